#!/bin/sh
# A start immediately followed by a stop, 1,000 times: every stop ends
# with the stop signal (the child is never left to stopwaitsecs and
# SIGKILL, as happens in 4.2.5 when the stop lands before the exec).
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
NV_LOGLEVEL=info
nv_conf <<EOF
[program:quick]
command=sleep 1000
autostart=false
startsecs=0
stopwaitsecs=5
EOF

cat >"$NV_TMP/cycle.py" <<'EOF'
import sys, time, unixrpc, xmlrpc.client
s = unixrpc.proxy(sys.argv[1], timeout=30)
n = int(sys.argv[2])
t0 = time.monotonic()
for i in range(n):
    s.supervisor.startProcess("quick", False)
    s.supervisor.stopProcess("quick", True)
print("%d cycles in %.1f s" % (n, time.monotonic() - t0))
EOF

nv_start
out=$("$NV_PYTHON" "$NV_TMP/cycle.py" "$NV_SOCK" 1000) || fail "RPC: $out"
nv_note "$out"
n=$(log_count '(INFO|WARN) stopped: quick \(terminated by SIGTERM\)')
[ "$n" -eq 1000 ] || fail "$n of 1000 stops ended with SIGTERM"
assert_log_lacks 'SIGKILL'
nv_stop
