#!/bin/sh
# A child writes to stdout as fast as it can (its log rotating at 1 MB)
# while a client makes RPC calls: every call answers within a bound, the
# log keeps growing, and another child's output still reaches its log.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
# debug would copy every byte of the flood into the main log
NV_LOGLEVEL=info
nv_conf <<EOF
[program:flood]
command=/bin/sh -c 'exec yes 0123456789abcdefghijklmnopqrstuvwxyz'
startsecs=0
stdout_logfile=$NV_TMP/flood.log
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=1

[program:ticker]
command=/bin/sh -c 'i=0; while :; do i=\$((i+1)); echo "tick \$i"; sleep 0.05; done'
startsecs=0
stdout_logfile=$NV_TMP/ticker.log
EOF

cat >"$NV_TMP/rpc.py" <<'EOF'
import sys, time, unixrpc, xmlrpc.client
s = unixrpc.proxy(sys.argv[1])
worst, n, end = 0.0, 0, time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    t = time.monotonic()
    info = s.supervisor.getProcessInfo("flood")
    s.supervisor.readProcessStdoutLog("flood", 0, 4096)
    worst = max(worst, time.monotonic() - t)
    n += 1
    if info["statename"] != "RUNNING":
        sys.exit("flood is " + info["statename"])
print("%d %.3f" % (n, worst))
EOF

nv_start
wait_proc_state flood RUNNING
wait_proc_state ticker RUNNING
ticks_before=$(wc -l <"$NV_TMP/ticker.log")
out=$("$NV_PYTHON" "$NV_TMP/rpc.py" "$NV_SOCK" 3) || fail "RPC: $out"
set -- $out
nv_note "$1 call pairs in 3 s, slowest ${2}s"
[ "$1" -ge 20 ] || fail "only $1 RPC call pairs answered in 3 s"
awk -v w="$2" 'BEGIN { exit !(w < 1.0) }' || fail "an RPC call took ${2}s"
# Polled: a rotation removes the backup just before it renames the log
# onto it (as 4.2.5 does), and the flood rotates many times a second.
nv_poll 5 test -f "$NV_TMP/flood.log.1" || fail "the flood's log never rotated"
ticks_after=$(wc -l <"$NV_TMP/ticker.log")
[ $((ticks_after - ticks_before)) -ge 10 ] ||
    fail "ticker logged $((ticks_after - ticks_before)) lines in 3 s"
nv_stop
