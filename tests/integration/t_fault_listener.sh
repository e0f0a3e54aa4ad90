#!/bin/sh
# Listeners that misbehave, beside one that behaves. Five pools take the
# same REMOTE_COMMUNICATION events:
#   good	handles every event
#   crash	dies in the middle of its first event: after its restart that
#		event comes again, exactly once, and nothing is lost
#   hang	takes one event and never answers: the other pools go on
#   flood	answers READY, then writes 8 MB of junk to its stdout: it is
#		put in UNKNOWN, the daemon's memory stays bounded
#   garbage	answers a result line without a number: UNKNOWN, logged
# Meanwhile RPC keeps answering.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"

cat >"$NV_TMP/lsn.py" <<'EOF'
import os, sys, time
mode, seen, mark = sys.argv[1], sys.argv[2], sys.argv[3]
out, inp = sys.stdout.buffer, sys.stdin.buffer
while True:
    out.write(b"READY\n"); out.flush()
    if mode == "flood":
        junk = b"x" * 65536
        for _ in range(128):
            out.write(junk)
        out.flush()
        time.sleep(1000)
    hdr = inp.readline()
    if not hdr:
        sys.exit(0)
    n = int(hdr.split(b"len:")[1].split()[0])
    body = inp.read(n)
    data = body.split(b"\n", 1)[1]
    if mode == "crash" and not os.path.exists(mark):
        open(mark, "w").close()
        os._exit(3)			# mid-event: no result
    with open(seen, "ab") as f:
        f.write(data + b"\n")
    if mode == "hang":
        time.sleep(1000)
    if mode == "garbage":
        out.write(b"RESULT two\n"); out.flush()
        time.sleep(1000)
    out.write(b"RESULT 2\nOK"); out.flush()
EOF

pools=
for m in good crash hang flood garbage; do
	pools="$pools $m"
	cat >>"$NV_TMP/pools.conf" <<EOF
[eventlistener:$m]
command=$NV_PYTHON $NV_TMP/lsn.py $m $NV_TMP/$m.seen $NV_TMP/$m.mark
events=REMOTE_COMMUNICATION
autorestart=true
startsecs=0
buffer_size=100

EOF
done
nv_conf <"$NV_TMP/pools.conf"

cat >"$NV_TMP/rpc.py" <<'EOF'
import sys, time, unixrpc, xmlrpc.client
s = unixrpc.proxy(sys.argv[1])
worst = 0.0
for i in range(1, int(sys.argv[2]) + 1):
    t = time.monotonic()
    s.supervisor.sendRemoteCommEvent("fault", "e%d" % i)
    s.supervisor.getState()
    worst = max(worst, time.monotonic() - t)
print("%.3f" % worst)
EOF

nv_start
for m in $pools; do wait_until 10 grep -q "success: $m entered RUNNING" "$NV_LOG"; done
wait_log 'flood: has entered the UNKNOWN state' 10
worst=$("$NV_PYTHON" "$NV_TMP/rpc.py" "$NV_SOCK" 5) || fail "RPC failed"
awk -v w="$worst" 'BEGIN { exit !(w < 2) }' ||
    fail "an RPC round trip took ${worst}s"

seen_all()
{
	[ -f "$NV_TMP/$1.seen" ] && [ "$(wc -l <"$NV_TMP/$1.seen")" -ge 5 ]
}
wait_until 10 seen_all good
wait_until 15 seen_all crash
[ "$(cat "$NV_TMP/good.seen" | tr '\n' ' ')" = "e1 e2 e3 e4 e5 " ] ||
    fail "good saw: $(cat "$NV_TMP/good.seen")"
# e1 was in flight when crash died: it is seen (once) after the restart
[ "$(sort "$NV_TMP/crash.seen" | tr '\n' ' ')" = "e1 e2 e3 e4 e5 " ] ||
    fail "crash saw: $(cat "$NV_TMP/crash.seen")"
[ -f "$NV_TMP/crash.mark" ] || fail "crash never crashed"
[ "$(grep -c "exited: crash " "$NV_LOG")" -eq 1 ] ||
    fail "crash exited more than once"
[ "$(cat "$NV_TMP/hang.seen")" = e1 ] || fail "hang saw: $(cat "$NV_TMP/hang.seen")"
wait_log "garbage: bad result line: 'RESULT two'"
wait_log 'garbage: has entered the UNKNOWN state'
# the flood was cut at the protocol's line limit, not buffered
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$NV_SD_PID/status")
limit=65536
nv_sanitized && limit=$((limit * 4))
nv_memchecked && limit=$((limit * 4))
[ "$rss" -lt "$limit" ] || fail "supervisord RSS is ${rss} kB after the flood"
nv_alive "$NV_SD_PID" || fail "supervisord died"
nv_stop
