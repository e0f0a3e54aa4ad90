#!/bin/sh
# Across a reload (SIGHUP) pools go and come back with their groups: the
# new pool numbers its events from poolserial 0 again, the global serial
# goes on where it was, and server: follows the new identifier.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"

conf()
{
	nv_conf <<EOF
[eventlistener:lst]
command=$NV_SCRIPTS/listener_ok.sh
events=PROCESS_GROUP_ADDED
stderr_logfile=$NV_TMP/lst.log
startsecs=0

[program:p]
command=/bin/sleep 1000
startsecs=0
EOF
	# identifier is the only change between the two configs
	sed -i "s/^\[supervisord\]\$/[supervisord]\nidentifier=$1/" "$NV_CONF"
}

headers()
{
	grep '^ver:' "$NV_TMP/lst.log" 2>/dev/null
}

nheaders()
{
	[ "$(headers | wc -l)" -ge "$1" ]
}

conf first
nv_start
wait_until 10 nheaders 2
conf second
kill -HUP "$NV_SD_PID"
wait_until 20 nheaders 4
got=$(headers | sed 's/ len:.*//')
want="ver:3.0 server:first serial:0 pool:lst poolserial:0 eventname:PROCESS_GROUP_ADDED
ver:3.0 server:first serial:1 pool:lst poolserial:1 eventname:PROCESS_GROUP_ADDED
ver:3.0 server:second serial:2 pool:lst poolserial:0 eventname:PROCESS_GROUP_ADDED
ver:3.0 server:second serial:3 pool:lst poolserial:1 eventname:PROCESS_GROUP_ADDED"
[ "$got" = "$want" ] || fail "listener saw:
$got
expected:
$want"
nv_stop
