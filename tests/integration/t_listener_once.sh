#!/bin/sh
# scripts/listener_once.sh handles one event per life and exits: with
# autorestart each event still arrives, once, at a fresh process, and no
# event is lost between lives.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"

nv_conf <<EOF
[eventlistener:once]
command=$NV_SCRIPTS/listener_once.sh
events=PROCESS_LOG_STDOUT
autorestart=true
startsecs=0
stderr_logfile=$NV_TMP/once.log

[program:talk]
command=/bin/sh -c 'for w in one two three four; do echo \$w; sleep 0.2; done; exec sleep 1000'
startsecs=0
stdout_events_enabled=true
EOF

got_four()
{
	[ -f "$NV_TMP/once.log" ] && grep -q '^four$' "$NV_TMP/once.log"
}

nv_start
wait_until 20 got_four
# the data lines, in order, each once
got=$(grep -Ex 'one|two|three|four' "$NV_TMP/once.log" | tr '\n' ' ')
[ "$got" = "one two three four " ] || fail "listener saw: $got"
# one process per event: after the last one the listener exits and is
# spawned again (which may come a moment after it logged the event)
lives_past_events()
{
	n=$(grep -c "spawned: 'once'" "$NV_LOG")
	events=$(grep -c '^ver:' "$NV_TMP/once.log")
	[ "$n" -gt "$events" ]
}
lives_past_events || wait_until 20 lives_past_events
[ "$events" -eq 4 ] || fail "$events events over $n listener lives"
assert_log_lacks 'ERRO pool once'
nv_stop
