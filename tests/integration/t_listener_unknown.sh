#!/bin/sh
# Listeners that break the protocol (garbage instead of READY, a flood of
# output) enter UNKNOWN with 4.2.5's warning and get nothing more; their
# pool mates and other pools keep getting events.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"

# Process 0 says HELLO instead of READY; process 1 behaves.
cat >"$NV_TMP/mixed.sh" <<EOF
#!/bin/sh
if [ "\$1" = 0 ]; then
	printf 'HELLO\n'
	exec sleep 1000
fi
exec $NV_SCRIPTS/listener_ok.sh
EOF
chmod +x "$NV_TMP/mixed.sh"

NV_LOGLEVEL=info nv_conf <<EOF
[eventlistener:mixed]
command=$NV_TMP/mixed.sh %(process_num)d
process_name=%(program_name)s_%(process_num)d
numprocs=2
events=PROCESS_STATE_RUNNING
stderr_logfile=$NV_TMP/mixed_%(process_num)d.log
startsecs=0

[eventlistener:flood]
command=/bin/sh -c 'head -c 4000000 /dev/zero; exec sleep 1000'
events=PROCESS_STATE_RUNNING
stdout_logfile=NONE
startsecs=0

[eventlistener:good]
command=$NV_SCRIPTS/listener_ok.sh
events=PROCESS_STATE_RUNNING
stderr_logfile=$NV_TMP/good.log
startsecs=0

[program:late]
command=/bin/sleep 1000
startsecs=2
EOF

late_seen()
{
	[ -f "$NV_TMP/$1.log" ] && grep -q 'processname:late ' "$NV_TMP/$1.log"
}

nv_start
wait_log 'WARN mixed_0: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol'
wait_log 'WARN flood: has entered the UNKNOWN state and will no longer receive events'
wait_until 20 late_seen good
wait_until 20 late_seen mixed_1
[ -s "$NV_TMP/mixed_0.log" ] && fail "mixed_0 got events in UNKNOWN"
[ "$(log_count 'has entered the UNKNOWN state')" -eq 2 ] ||
    fail "someone else entered UNKNOWN"
nv_stop
