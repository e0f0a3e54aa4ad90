#!/bin/sh
# 1,000 idle connections, 50 slow-loris clients (headers, then a body
# trickled a byte at a time) and clients that leave in the middle of a
# 1 MB response: meanwhile every ordinary RPC call answers within a
# second, and the daemon ends with no more fds than it started with.
# (t_rpc_http_idle covers a client leaving a /logtail or a wait=true
# start.)
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
NV_LOGLEVEL=info
nv_conf <<EOF
[program:big]
command=/bin/sh -c 'head -c 1200000 /dev/zero | tr "\\\\0" x; echo; exec sleep 1000'
startsecs=0
stdout_logfile=$NV_TMP/big.log
stdout_logfile_maxbytes=0
EOF
nv_need_bin "$NV_SUPERVISORD"
env NV_TEST_MARK="$NV_TMP" sh -c 'ulimit -n 4096 && exec "$0" -n -c "$1"' \
    "$NV_SUPERVISORD" "$NV_CONF" >>"$NV_SD_OUT" 2>&1 &
NV_SD_PID=$!
wait_until 15 nv_sd_started
wait_proc_state big RUNNING
big_done() { [ "$(wc -c <"$NV_TMP/big.log")" -gt 1200000 ]; }
wait_until 10 big_done

cat >"$NV_TMP/loris.py" <<'EOF'
import socket, sys, time, unixrpc, xmlrpc.client
path = sys.argv[1]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s
p = unixrpc.proxy(path)
idle = [conn() for _ in range(1000)]
loris = []
for i in range(50):
    s = conn()
    s.send(b"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
           b"Content-Length: 100000\r\n\r\n<?xml")
    loris.append(s)
# clients that ask for 1 MB of log and leave after a few bytes
body = xmlrpc.client.dumps(("big", 0, 1100000),
                           "supervisor.readProcessStdoutLog").encode()
for i in range(20):
    s = conn()
    s.send(b"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
           b"Content-Length: %d\r\n\r\n" % len(body) + body)
    s.recv(100)
    s.close()
worst, end = 0.0, time.monotonic() + 2
while time.monotonic() < end:
    for s in loris:
        s.send(b"<")
    t = time.monotonic()
    if p.supervisor.getState()["statename"] != "RUNNING":
        sys.exit("not RUNNING")
    p.supervisor.getProcessInfo("big")
    worst = max(worst, time.monotonic() - t)
    time.sleep(0.05)
for s in idle + loris:
    s.close()
print("%.3f" % worst)
EOF

fds() { ls "/proc/$NV_SD_PID/fd" | wc -l; }
fds_before=$(fds)
worst=$("$NV_PYTHON" "$NV_TMP/loris.py" "$NV_SOCK" 2>&1) || fail "client: $worst"
nv_note "slowest call ${worst}s"
awk -v w="$worst" 'BEGIN { exit !(w < 1.0) }' || fail "a call took ${worst}s"
settled() { [ "$(fds)" -le "$fds_before" ]; }
wait_until 10 settled
nv_alive "$NV_SD_PID" || fail "supervisord died"
nv_stop
