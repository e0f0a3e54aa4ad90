#!/bin/sh
# SIGUSR2 reopens the main log and every child log: after logrotate-style
# renames, new lines go to new files at the configured paths.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_conf <<EOF
[program:ticker]
command=sh -c 'i=0; while :; do i=\$((i+1)); echo "tick \$i"; sleep 0.05; done'
startsecs=0
stdout_logfile=$NV_TMP/ticker.log
EOF
nv_start
child_has_ticks() { [ -s "$NV_TMP/ticker.log" ]; }
wait_until 10 child_has_ticks
pid=$(proc_pid_from_log ticker)

mv "$NV_LOG" "$NV_TMP/supervisord.log.old" || fail "cannot move the main log"
mv "$NV_TMP/ticker.log" "$NV_TMP/ticker.log.old" ||
    fail "cannot move the child log"
kill -USR2 "$NV_SD_PID"

# Both lines are written before the reopen, so they end the old file.
reopened() {
	grep -q 'INFO supervisord logreopen' "$NV_TMP/supervisord.log.old"
}
wait_until 10 reopened
grep -q 'INFO received SIGUSR2 indicating log reopen request' \
    "$NV_TMP/supervisord.log.old" || fail "no SIGUSR2 line in the old log"
new_main() { [ -f "$NV_LOG" ]; }
wait_until 10 new_main

# Fresh output lands in the new child log: a tick newer than any the old
# file holds.
last_old=$(sed -n 's/^tick //p' "$NV_TMP/ticker.log.old" | tail -n 1)
newer_tick() {
	[ -f "$NV_TMP/ticker.log" ] &&
	    [ "$(sed -n 's/^tick //p' "$NV_TMP/ticker.log" | tail -n 1)" \
	    -gt "${last_old:-0}" ] 2>/dev/null
}
wait_until 10 newer_tick
nv_alive "$pid" || fail "ticker is not running"

# The old child log stops growing once the reopen is done.
size_old=$(wc -c <"$NV_TMP/ticker.log.old")
n=$(wc -l <"$NV_TMP/ticker.log")
more_new() { [ "$(wc -l <"$NV_TMP/ticker.log")" -ge $((n + 5)) ]; }
wait_until 10 more_new
[ "$(wc -c <"$NV_TMP/ticker.log.old")" -eq "$size_old" ] ||
    fail "output still lands in the renamed child log"

# New main log lines go to the new file.
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
assert_log_has 'WARN received SIGTERM indicating exit request'
assert_log_has 'stopped: ticker \(terminated by SIGTERM\)'
grep -q 'received SIGTERM' "$NV_TMP/supervisord.log.old" &&
    fail "the renamed main log got lines after the reopen"
grep -q "spawned: 'ticker'" "$NV_TMP/supervisord.log.old" ||
    fail "the renamed main log lost its old lines"
exit 0
