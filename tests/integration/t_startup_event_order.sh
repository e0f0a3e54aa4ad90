#!/bin/sh
# At startup the events come in 4.2.5's order: every PROCESS_GROUP_ADDED,
# then SUPERVISOR_STATE_CHANGE_RUNNING, then the first PROCESS_STATE_STARTING.
# A listener pool with a buffer large enough for all of them records it.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_conf <<EOF
[eventlistener:rec]
command=$NV_SCRIPTS/listener_ok.sh
events=PROCESS_GROUP,SUPERVISOR_STATE_CHANGE,PROCESS_STATE_STARTING
buffer_size=100
stderr_logfile=$NV_TMP/rec.err

[program:a]
command=sleep 1000
startsecs=0

[program:b]
command=sleep 1000
startsecs=0
EOF
nv_start
names() { sed -n 's/.*eventname:\([A-Z_]*\) .*/\1/p' "$NV_TMP/rec.err"; }
seen_b_starting() {
	grep -q 'eventname:PROCESS_STATE_STARTING' "$NV_TMP/rec.err" 2>/dev/null &&
	    grep -q 'processname:b ' "$NV_TMP/rec.err"
}
wait_until 15 seen_b_starting
order=$(names | uniq | tr '\n' ' ')
want="PROCESS_GROUP_ADDED SUPERVISOR_STATE_CHANGE_RUNNING PROCESS_STATE_STARTING "
case $order in
"$want"*) ;;
*) fail "event order was: $order" ;;
esac
[ "$(names | grep -c PROCESS_GROUP_ADDED)" -eq 3 ] ||
    fail "expected 3 PROCESS_GROUP_ADDED, got: $(names | tr '\n' ' ')"
nv_stop
