#!/bin/sh
# A pool whose buffer is full discards its oldest event with 4.2.5's
# error line; the listener, once up, gets the newest events, and the
# number of discards is exactly where its poolserials start.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"

# startsecs keeps the listener out of RUNNING while events pile up.
nv_conf <<EOF
[eventlistener:lst]
command=$NV_SCRIPTS/listener_ok.sh
events=PROCESS_STATE
buffer_size=2
startsecs=2
stderr_logfile=$NV_TMP/lst.log

[program:w]
command=/bin/sleep 1000
process_name=%(program_name)s_%(process_num)d
numprocs=4
startsecs=0
EOF

got_some()
{
	[ -f "$NV_TMP/lst.log" ] && grep -q '^ver:' "$NV_TMP/lst.log"
}

nv_start
wait_until 20 got_some
assert_log_has '^[0-9-]+ [0-9:,]+ ERRO pool lst event buffer overflowed, discarding event 0$'
dropped=$(log_count 'ERRO pool lst event buffer overflowed, discarding event [0-9]+$')
# lst STARTING, 4 x (w STARTING, w RUNNING), lst RUNNING: 10 events
# taken in before the first dispatch, 2 kept
[ "$dropped" -eq 8 ] || fail "expected 8 discarded events, log says $dropped"
first=$(sed -n 's/^ver:.* poolserial:\([0-9]*\) .*/\1/p' "$NV_TMP/lst.log" |
    head -n 1)
[ "$first" = "$dropped" ] ||
    fail "first poolserial delivered is $first, expected $dropped"
# the two newest: the last w RUNNING, then the listener's own RUNNING
wait_until 10 grep -q 'processname:lst groupname:lst from_state:STARTING' \
    "$NV_TMP/lst.log"
n=$(grep -c '^ver:' "$NV_TMP/lst.log")
[ "$n" -eq 2 ] || fail "listener got $n events, expected 2"
nv_stop
