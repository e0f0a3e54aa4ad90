#!/bin/sh
# Programs start in priority order, all in one pass, and shutdown stops
# them one priority level at a time, highest first.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_conf <<EOF
[program:late]
command=sleep 1000
priority=300
startsecs=0

[program:early]
command=sleep 1000
priority=100
startsecs=0

[program:middle]
command=sleep 1000
priority=200
startsecs=0
EOF
nv_start
for p in early middle late; do
	wait_proc_state "$p" RUNNING
done

order=$(sed -n "s/.* spawned: '\([a-z]*\)' with pid .*/\1/p" "$NV_LOG" |
    tr '\n' ' ')
[ "$order" = "early middle late " ] || fail "spawn order was: $order"

nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
order=$(sed -n "s/.* stopped: \([a-z]*\) (terminated by SIGTERM)$/\1/p" \
    "$NV_LOG" | tr '\n' ' ')
[ "$order" = "late middle early " ] || fail "stop order was: $order"
assert_log_has 'received SIGTERM indicating exit request'
