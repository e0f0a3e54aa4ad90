#!/bin/sh
# The fd limit reached: supervisord runs with 64 file descriptors and 40
# programs that each hold three (their pipes; no log files, which are
# opened with the config and would take the fds first). The spawns that find no fd fail with
# "too many open files to spawn", the daemon stays up and answers RPC,
# and once running programs are stopped (fds freed) the failed ones
# start. A spawn leaves 32 fds free: at the very limit libmicrohttpd
# spins on an accept that fails and RPC goes deaf.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
NV_LOGLEVEL=info
nv_conf <<EOF
[supervisord]
minfds=32

[program:p]
command=sleep 1000
process_name=%(program_name)s_%(process_num)02d
numprocs=40
startsecs=0
startretries=0
stdout_logfile=NONE
stderr_logfile=NONE
EOF
# (a second [supervisord] section merges with nv_conf_base's, as in 4.2.5)

cat >"$NV_TMP/rpc.py" <<'EOF'
import sys, unixrpc, xmlrpc.client
s = unixrpc.proxy(sys.argv[1])
info = s.supervisor.getAllProcessInfo()
run = [p["name"] for p in info if p["statename"] == "RUNNING"]
fat = [p["name"] for p in info if p["statename"] == "FATAL"]
if sys.argv[2] == "count":
    print(len(run), len(fat))
elif sys.argv[2] == "recover":
    # free fds: stop every running one; failed ones then start until the
    # fds run short again, which is a spawn error, not a crash
    for n in run:
        s.supervisor.stopProcess("p:" + n, True)
    started = 0
    for n in fat:
        try:
            s.supervisor.startProcess("p:" + n, True)
            started += 1
        except xmlrpc.client.Fault as f:
            if not f.faultString.startswith("SPAWN_ERROR"):
                sys.exit(f.faultString)
            break
    print(started)
EOF
rpc() { "$NV_PYTHON" "$NV_TMP/rpc.py" "$NV_SOCK" "$@"; }

nv_start_fd_limit 64

settled()
{
	set -- $(rpc count)
	[ $(($1 + $2)) -eq 40 ] && [ "$2" -gt 0 ] && [ "$1" -gt 0 ]
}
wait_until 20 settled
set -- $(rpc count)
nv_note "$1 running, $2 failed to spawn"
assert_log_has "spawnerr: too many open files to spawn 'p_[0-9]+'"
nv_alive "$NV_SD_PID" || fail "supervisord died"
running=$1
started=$(rpc recover) || fail "recover: $started"
nv_note "$started started again once $running were stopped"
[ "$started" -ge 1 ] && [ "$started" -lt 36 ] ||
    fail "$started started again once $running were stopped"
nv_alive "$NV_SD_PID" || fail "supervisord died"
nv_stop

# Past the limit: with log files (two each) the config alone takes the
# fds, and libmicrohttpd cannot accept. It would retry at once, forever,
# logging two lines each time; supervisord pauses it between tries and
# writes a repeated message once a minute.
sed -i '/^std\(out\|err\)_logfile=NONE$/d' "$NV_CONF"
: >"$NV_LOG"
nv_start_fd_limit 64
ticks0=$(awk '{ print $14 + $15 }' "/proc/$NV_SD_PID/stat")
for i in 1 2 3 4 5 6; do
	"$NV_PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(0.5)
try:
    s.connect(sys.argv[1]); s.sendall(b"GET /ok.html HTTP/1.0\r\n\r\n"); s.recv(64)
except OSError:
    pass' "$NV_SOCK"
done
wait_log 'Error accepting connection: Too many open files'
ticks=$(( $(awk '{ print $14 + $15 }' "/proc/$NV_SD_PID/stat") - ticks0 ))
lines=$(grep -c 'Error accepting connection' "$NV_LOG")
nv_note "at the limit: $lines accept errors logged, $ticks ticks of CPU"
[ "$lines" -le 2 ] || fail "$lines accept error lines in the main log"
[ "$ticks" -lt 100 ] || fail "supervisord used $ticks ticks of CPU at the fd limit"
nv_alive "$NV_SD_PID" || fail "supervisord died"
nv_stop
