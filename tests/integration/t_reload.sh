#!/bin/sh
# SIGHUP reloads: everything stops in priority order, the new config's
# programs start, supervisord keeps its pid. A reload with an invalid
# config logs the error and keeps the old world running (4.2.5 exits).
. "$(dirname "$0")/lib.sh"
nv_setup
nv_conf <<EOF
[program:keep]
command=sleep 1000
startsecs=0
priority=10

[program:gone]
command=sleep 1001
startsecs=0
priority=20
EOF
nv_start
wait_proc_state keep RUNNING
wait_proc_state gone RUNNING
keep1=$(proc_pid_from_log keep)
gone1=$(proc_pid_from_log gone)
sdpid=$NV_SD_PID

# gone goes, added comes, keep stays in the config.
nv_conf <<EOF
[program:keep]
command=sleep 1000
startsecs=0
priority=10

[program:added]
command=sleep 1002
startsecs=0
priority=30
EOF
kill -HUP "$sdpid"
wait_log 'WARN received SIGHUP indicating restart request'
wait_proc_state added RUNNING
wait_until 10 proc_state_is keep RUNNING
keep2=$(proc_pid_from_log keep)
[ "$keep2" != "$keep1" ] || fail "keep was not restarted by the reload"
nv_dead "$keep1" || fail "the old keep ($keep1) is still alive"
nv_dead "$gone1" || fail "gone ($gone1) is still alive after the reload"
assert_proc_state gone STOPPED
nv_alive "$sdpid" || fail "supervisord died in the reload"
[ "$(cat "$NV_TMP/supervisord.pid")" = "$sdpid" ] ||
    fail "pidfile does not hold supervisord's pid after the reload"

# Stops came in reverse priority order and before any new spawn.
line() { grep -n -- "$1" "$NV_LOG" | head -n 1 | cut -d: -f1; }
l_hup=$(line 'received SIGHUP')
l_gone=$(line 'stopped: gone (terminated by SIGTERM)')
l_keep=$(line 'stopped: keep (terminated by SIGTERM)')
l_added=$(line "spawned: 'added'")
[ -n "$l_gone" ] && [ -n "$l_keep" ] || fail "no stopped: lines"
[ "$l_hup" -lt "$l_gone" ] && [ "$l_gone" -lt "$l_keep" ] &&
    [ "$l_keep" -lt "$l_added" ] ||
    fail "reload order: SIGHUP $l_hup, gone $l_gone, keep $l_keep," \
	"added $l_added"
assert_log_has 'INFO waiting for keep, gone to die'
n=$(log_count "spawned: 'gone'")
[ "$n" -eq 1 ] || fail "gone was spawned $n times"
n=$(log_count 'supervisord started with pid '"$sdpid"'$')
[ "$n" -eq 2 ] || fail "expected 2 'supervisord started' lines, saw $n"

# An invalid config: the error names file, line and option; nothing
# stops, nothing restarts.
added2=$(proc_pid_from_log added)
nv_conf <<EOF
[program:keep]
command=sleep 1000
startsecs=abc
EOF
kill -HUP "$sdpid"
two_hups() { [ "$(log_count 'received SIGHUP')" -eq 2 ]; }
wait_until 10 two_hups
wait_log "ERRO .*invalid literal for int\(\) with base 10: 'abc' in section 'program:keep' \(file: '$NV_CONF', line [0-9]+, option 'startsecs'\)"
# The error is logged after the decision: anything the reload would have
# done has started by now.
nv_alive "$sdpid" || fail "supervisord died on an invalid config"
nv_alive "$keep2" || fail "keep died on the invalid reload"
nv_alive "$added2" || fail "added died on the invalid reload"
[ "$(proc_pid_from_log keep)" = "$keep2" ] || fail "keep was respawned"
[ "$(proc_pid_from_log added)" = "$added2" ] || fail "added was respawned"
assert_proc_state keep RUNNING
assert_proc_state added RUNNING
assert_log_lacks 'stopped: added'

nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
nv_dead "$keep2" && nv_dead "$added2" || fail "children outlived supervisord"
assert_log_has 'stopped: added \(terminated by SIGTERM\)'
[ ! -e "$NV_TMP/supervisord.pid" ] || fail "pidfile left behind"
