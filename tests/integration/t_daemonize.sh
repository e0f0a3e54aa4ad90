#!/bin/sh
# Without -n supervisord detaches: the command returns 0 at once, the
# daemon (another pid, in the pidfile) leads its own session with stdio
# on /dev/null and runs the programs; TERM stops everything and removes
# the pidfile.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"
nv_conf <<EOF
[program:worker]
command=sleep 1000
startsecs=0
EOF
PIDFILE=$NV_TMP/supervisord.pid

timeout -k 5 "$(awk -v k="$NV_TIMEOUT_SCALE" 'BEGIN { print 10 * k }')" \
    env NV_TEST_MARK="$NV_TMP" "$NV_SUPERVISORD" -c "$NV_CONF" \
    >"$NV_SD_OUT" 2>&1 </dev/null &
launcher=$!
wait "$launcher"
rc=$?
[ "$rc" -eq 0 ] || fail "the launcher exited $rc"
[ ! -s "$NV_SD_OUT" ] || fail "the launcher printed: $(cat "$NV_SD_OUT")"

has_pidfile() { [ -s "$PIDFILE" ]; }
wait_until 10 has_pidfile
wait_log 'supervisord started with pid'
NV_SD_PID=$(cat "$PIDFILE")
case $NV_SD_PID in
''|*[!0-9]*) fail "pidfile holds '$NV_SD_PID'" ;;
esac
[ "$NV_SD_PID" != "$launcher" ] || fail "the daemon did not fork"
nv_alive "$NV_SD_PID" || fail "the daemon ($NV_SD_PID) is not running"
assert_log_has "INFO supervisord started with pid $NV_SD_PID\$"
assert_log_has 'INFO daemonizing the supervisord process'

sid=$(ps -o sid= -p "$NV_SD_PID" | tr -d ' ')
[ "$sid" = "$NV_SD_PID" ] || fail "the daemon's session is $sid, not its own"
for fd in 0 1 2; do
	t=$(readlink "/proc/$NV_SD_PID/fd/$fd")
	[ "$t" = /dev/null ] || fail "the daemon's fd $fd is $t"
done

wait_proc_state worker RUNNING
child=$(proc_pid_from_log worker)
nv_alive "$child" || fail "worker is not running"
ppid=$(ps -o ppid= -p "$child" | tr -d ' ')
[ "$ppid" = "$NV_SD_PID" ] || fail "worker's parent is $ppid"

kill -TERM "$NV_SD_PID"
wait_until 20 nv_dead "$NV_SD_PID"
NV_SD_PID=
nv_dead "$child" || fail "worker outlived supervisord"
[ ! -e "$PIDFILE" ] || fail "the pidfile was left behind"
assert_log_has 'WARN received SIGTERM indicating exit request'
assert_log_has 'stopped: worker \(terminated by SIGTERM\)'
