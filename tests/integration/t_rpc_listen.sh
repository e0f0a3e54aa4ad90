#!/bin/sh
# Binding as 4.2.5 does: a second supervisord on a live socket file exits 2
# with 4.2.5's message; a stale socket file (a killed daemon's) is
# replaced; a reload over XML-RPC (supervisorctl reload) closes and
# reopens the server; shutdown unlinks the socket file.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
nv_conf <<EOF
[program:sleeper]
command=sleep 1000
startsecs=0
EOF
nv_start
wait_proc_state sleeper RUNNING
[ -S "$NV_SOCK" ] || fail "no socket file at $NV_SOCK"
assert_log_has "CRIT Server 'unix_http_server' running without any HTTP authentication checking"

# maintail reads the main log; maintail -f follows /mainlogtail.
nv_pyctl maintail | grep -q "INFO supervisord started with pid $NV_SD_PID" ||
    fail "maintail lacks the started line"
timeout -s INT 3 "$NV_PY_CTL" -c "$NV_CONF" maintail -f >"$NV_TMP/mtf" 2>&1
grep -q "INFO supervisord started with pid $NV_SD_PID" "$NV_TMP/mtf" ||
    fail "maintail -f printed: $(head -c 300 "$NV_TMP/mtf")"

# A second daemon on the same socket.
"$NV_SUPERVISORD" -n -c "$NV_CONF" >"$NV_TMP/second.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "second supervisord exited $rc, not 2"
grep -q '^Error: Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord.$' \
    "$NV_TMP/second.out" || fail "second supervisord said: $(cat "$NV_TMP/second.out")"
[ -S "$NV_SOCK" ] || fail "the second supervisord removed the live socket"
out=$(nv_pyctl pid) || fail "first supervisord unreachable after the second: $out"
[ "$out" = "$NV_SD_PID" ] || fail "pid says $out, not $NV_SD_PID"

# Reload over XML-RPC: answered, servers reopened, same pid.
out=$(nv_pyctl reload 2>&1) || fail "reload: $out"
[ "$out" = "Restarted supervisord" ] || fail "reload said: $out"
wait_until 20 nv_log_has "INFO supervisord started with pid $NV_SD_PID"
wait_until 20 sh -c "[ \"\$('$NV_PY_CTL' -c '$NV_CONF' pid 2>/dev/null)\" = $NV_SD_PID ]"
[ "$(log_count "INFO RPC interface 'supervisor' initialized")" -eq 2 ] ||
    fail "the server was not reopened once by the reload"

# Killed hard: the socket file stays behind, stale.
sleeper=$(proc_pid_from_log sleeper)
kill -KILL "$NV_SD_PID"
wait_until 10 nv_dead "$NV_SD_PID"
wait "$NV_SD_PID" 2>/dev/null
NV_SD_PID=
kill -KILL "$sleeper" 2>/dev/null
[ -S "$NV_SOCK" ] || fail "expected a stale socket file after SIGKILL"
nv_start
wait_log "INFO supervisord started with pid $NV_SD_PID"
grep -q "^Unlinking stale socket $NV_SOCK\$" "$NV_SD_OUT" ||
    fail "no 'Unlinking stale socket' on stderr"
out=$(nv_pyctl pid) || fail "new supervisord unreachable: $out"
[ "$out" = "$NV_SD_PID" ] || fail "pid says $out, not $NV_SD_PID"

nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
[ ! -e "$NV_SOCK" ] || fail "socket file left after shutdown"
exit 0
