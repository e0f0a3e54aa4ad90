#!/bin/sh
# [fcgi-program:x]: supervisord creates the listening socket (tcp:// or
# unix:// with socket_mode), every process of the pool gets it as fd 0,
# and it is closed once the pool has stopped.
. "$(dirname "$0")/lib.sh"
nv_setup
NV_LOGLEVEL=info
PORT=$(nv_free_port)
SOCK=$NV_TMP/fcgi.sock
# Print what fd 0 is: address and whether it listens (SO_ACCEPTCONN).
cat >"$NV_TMP/fd0.py" <<'EOF'
import socket, sys, time
fam = socket.AF_UNIX if sys.argv[1] == "unix" else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM, 0, 0)
print(s.getsockname(), s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN),
      flush=True)
time.sleep(1000)
EOF
nv_conf <<EOF
[fcgi-program:web]
socket=tcp://127.0.0.1:$PORT
numprocs=2
process_name=%(program_name)s_%(process_num)s
command=$NV_PYTHON $NV_TMP/fd0.py inet
startsecs=0
stdout_logfile=$NV_TMP/%(program_name)s_%(process_num)s.out

[fcgi-program:unixy]
socket=unix://$SOCK
socket_mode=0660
command=$NV_PYTHON $NV_TMP/fd0.py unix
startsecs=0
stdout_logfile=$NV_TMP/unixy.out
EOF
nv_start
for p in web_0 web_1 unixy; do
	wait_proc_state "$p" RUNNING
done
assert_log_has "INFO Creating socket tcp://127.0.0.1:$PORT\$"
assert_log_has "INFO Creating socket unix://$SOCK\$"

has_line() { [ -s "$1" ]; }
for n in 0 1; do
	wait_until 10 has_line "$NV_TMP/web_$n.out"
	[ "$(cat "$NV_TMP/web_$n.out")" = "('127.0.0.1', $PORT) 1" ] ||
	    fail "web_$n fd 0: $(cat "$NV_TMP/web_$n.out")"
done
wait_until 10 has_line "$NV_TMP/unixy.out"
[ "$(cat "$NV_TMP/unixy.out")" = "$SOCK 1" ] ||
    fail "unixy fd 0: $(cat "$NV_TMP/unixy.out")"

# supervisord holds the sockets: clients connect.
connect() {
	"$NV_PYTHON" -c 'import socket, sys
if sys.argv[1].startswith("/"):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
else:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.close()' "$1" 2>/dev/null
}
connect "$PORT" || fail "cannot connect to 127.0.0.1:$PORT"
connect "$SOCK" || fail "cannot connect to $SOCK"
[ -S "$SOCK" ] || fail "$SOCK is not a socket"
mode=$(stat -c %a "$SOCK")
[ "$mode" = 660 ] || fail "socket mode is $mode, expected 660"

nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
for p in web_0 web_1 unixy; do
	assert_proc_state "$p" STOPPED
done
# Once at the config check, once when the pool stopped.
n=$(log_count "INFO Closing socket tcp://127.0.0.1:$PORT\$")
[ "$n" -eq 2 ] || fail "$n 'Closing socket tcp://...' lines, expected 2"
n=$(log_count "INFO Closing socket unix://$SOCK\$")
[ "$n" -eq 2 ] || fail "$n 'Closing socket unix://...' lines, expected 2"
! connect "$PORT" || fail "127.0.0.1:$PORT still accepts connections"
