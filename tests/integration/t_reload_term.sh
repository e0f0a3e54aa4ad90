#!/bin/sh
# TERM while a reload is still stopping things turns it into a shutdown:
# supervisord exits 0 without starting the new config, says STOPPING once
# on the bus (4.2.5 notifies it once) and keeps its 3 s throttle on
# "waiting for ... to die".
. "$(dirname "$0")/lib.sh"
nv_setup
NV_LOGLEVEL=info
command -v nanocat >/dev/null 2>&1 || nv_skip "nanocat is not installed"
URL=ipc://$NV_TMP/bus.ipc
nv_conf <<EOF
[program:slow]
command=sh -c 'trap "" TERM; while :; do sleep 0.1; done'
startsecs=0
stopwaitsecs=1
priority=999

[program:chatty]
command=sh -c 'while :; do echo chat; sleep 0.05; done'
startsecs=0
priority=1
stdout_events_enabled=true
EOF
sed -i "s|^\[supervisord\]\$|&\nbus_endpoint=$URL|" "$NV_CONF"
nv_start
wait_proc_state slow RUNNING
OUT=$NV_TMP/bus.out
nv_bg nanocat --sub --connect "$URL" --subscribe SUPERVISOR_STATE_CHANGE \
    --subscribe PROCESS_LOG_STDOUT -A >"$OUT"
# Connected once chatty's output arrives.
wait_until 10 grep -q '^PROCESS_LOG_STDOUT ' "$OUT"

kill -HUP "$NV_SD_PID"
wait_log 'INFO waiting for .* to die'
kill -TERM "$NV_SD_PID"
wait_log 'WARN received SIGTERM indicating exit request'
# chatty stops last, a second after slow: its output keeps coming, and
# anything the TERM published reaches nanocat before the next lines do.
# (What is published as supervisord exits may never reach it.)
chat() { grep -c '^PROCESS_LOG_STDOUT ' "$OUT"; }
n0=$(chat)
more_chat() { [ "$(chat)" -ge $((n0 + 3)) ]; }
wait_until 10 more_chat
n=$(grep -c '^SUPERVISOR_STATE_CHANGE_STOPPING ' "$OUT")
[ "$n" -eq 1 ] || fail "$n SUPERVISOR_STATE_CHANGE_STOPPING events"
wait_until 30 nv_dead "$NV_SD_PID"
wait "$NV_SD_PID"
NV_SD_STATUS=$?
NV_SD_PID=
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
assert_log_has 'WARN received SIGTERM indicating exit request'
assert_log_has "WARN killing 'slow' \\([0-9]+\\) with SIGKILL"
assert_log_has 'WARN stopped: slow \(terminated by SIGKILL\)'
assert_log_has 'WARN stopped: chatty \(terminated by SIGTERM\)'
n=$(log_count 'waiting for .* to die')
[ "$n" -eq 1 ] || fail "$n 'waiting for ... to die' lines within 3 s"
n=$(log_count 'supervisord started with pid')
[ "$n" -eq 1 ] || fail "the abandoned reload started again"
n=$(log_count "spawned: 'slow'")
[ "$n" -eq 1 ] || fail "slow was spawned $n times"
