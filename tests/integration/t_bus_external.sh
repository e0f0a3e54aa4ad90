#!/bin/sh
# [supervisord] bus_endpoint publishes every event on ipc:// or tcp://:
# a plain nanomsg subscriber (nanocat) sees Supervisor's event names and
# payloads, bus serials that increase, and only the prefixes it asked for.
. "$(dirname "$0")/lib.sh"
nv_setup
NV_LOGLEVEL=info
command -v nanocat >/dev/null 2>&1 || nv_skip "nanocat is not installed"

# run_bus URL TAG: one supervisord publishing on URL, two subscribers.
run_bus()
{
	_url=$1
	_sub=$NV_TMP/$2.state
	_all=$NV_TMP/$2.all
	rm -f "$NV_LOG"
	nv_conf <<EOF
[program:victim]
command=sleep 1000
startsecs=0
autorestart=true

[program:chatty]
command=sh -c 'while :; do echo chat; sleep 0.05; done'
startsecs=0
stdout_events_enabled=true
EOF
	sed -i "s|^\[supervisord\]\$|&\nbus_endpoint=$_url|" "$NV_CONF"
	nv_start
	wait_proc_state victim RUNNING
	nv_bg nanocat --sub --connect "$_url" --subscribe PROCESS_STATE -A \
	    >"$_sub"
	nv_bg nanocat --sub --connect "$_url" -A >"$_all"
	bus_kill_until_seen "$_sub" "$_all"
	# both nanocats count as connected subscribers
	wait_until 10 bus_subscribers_are 2
	bus_reload_keeps "$_sub"
	nv_stop
	[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
	bus_check "$_sub" "$_all"
}

bus_subscribers_are()
{
	[ "$("$NV_PYTHON" "$top_srcdir/tests/integration/bus_rpc.py" \
	    "$NV_SOCK" subscribers)" = "$1" ]
}

# nanocat may connect after anything we do: kill victim, wait a moment
# for its EXITED, and kill again until a subscriber saw one.
bus_kill_until_seen()
{
	_end=$(( $(nv_now_ms) + $(nv_scale_ms 20) ))
	while :; do
		[ "$(nv_now_ms)" -lt "$_end" ] ||
		    fail "no PROCESS_STATE_EXITED for victim reached nanocat"
		victim=$(proc_pid_from_log victim)
		kill -KILL "$victim"
		nv_poll 2 bus_saw_exit "$1" "$victim" && break
		# wait for the respawn before the next try
		wait_until 10 bus_respawned "$victim"
	done
	wait_until 10 bus_saw_running "$1" "$(bus_new_pid "$victim")"
	wait_until 10 grep -q '^PROCESS_LOG_STDOUT ' "$2"
}

# A reload keeps the endpoint: no error, and the subscriber, still
# connected, sees the new world's events.
bus_reload_keeps()
{
	_old=$(proc_pid_from_log victim)
	kill -HUP "$NV_SD_PID"
	wait_until 10 bus_two_starts
	wait_until 10 bus_respawned "$_old"
	assert_log_lacks 'Address already in use'
	victim=$(proc_pid_from_log victim)
	kill -KILL "$victim"
	wait_until 10 bus_saw_exit "$1" "$victim"
}

bus_two_starts()
{
	[ "$(log_count 'supervisord started with pid')" -eq 2 ]
}

bus_respawned()
{
	_p=$(proc_pid_from_log victim)
	[ -n "$_p" ] && [ "$_p" != "$1" ] && proc_state_is victim RUNNING
}

bus_new_pid()
{
	wait_until 10 bus_respawned "$1"
	proc_pid_from_log victim
}

bus_saw_exit()
{
	grep -q "^PROCESS_STATE_EXITED .*\.processname:victim groupname:victim from_state:RUNNING expected:0 pid:$2\$" "$1" 2>/dev/null
}

bus_saw_running()
{
	grep -q "^PROCESS_STATE_RUNNING .*\.processname:victim groupname:victim from_state:STARTING pid:$2\$" "$1" 2>/dev/null
}

# Every line: NAME nv:1 serial:N ... len:L, a newline (nanocat -A shows
# a dot), then L bytes of payload; serials increase.
bus_check()
{
	awk '
	{
		if ($1 !~ /^PROCESS_STATE_[A-Z]+$/ || $2 != "nv:1" ||
		    $3 !~ /^serial:[0-9]+$/) {
			print "bad header: " $0; exit 1
		}
		s = substr($3, 8) + 0
		if (NR > 1 && s <= last) {
			print "serial " s " after " last; exit 1
		}
		last = s
		if (!match($0, / len:[0-9]+\./)) {
			print "no len: " $0; exit 1
		}
		len = substr($0, RSTART + 5, RLENGTH - 6) + 0
		pl = substr($0, RSTART + RLENGTH)
		if (length(pl) != len) {
			print "len " len " but payload is " length(pl) ": " $0
			exit 1
		}
		if (pl !~ /^processname:[^ ]+ groupname:[^ ]+ from_state:[A-Z]+/) {
			print "payload: " pl; exit 1
		}
	}' "$1" >"$NV_TMP/bus_check.out" ||
	    fail "$1: $(cat "$NV_TMP/bus_check.out")"
	! grep -Eq '^(TICK_|PROCESS_LOG)' "$1" ||
	    fail "the PROCESS_STATE subscriber got other events"
	grep -Eq '^PROCESS_LOG_STDOUT .*\.processname:chatty groupname:chatty pid:[0-9]+ channel:stdout\.chat\.' "$2" ||
	    fail "the catch-all subscriber got no PROCESS_LOG_STDOUT from chatty"
	for _p in $NV_BG_PIDS; do
		nv_alive "$_p" && kill -TERM "$_p"
	done
	NV_BG_PIDS=
}

run_bus "ipc://$NV_TMP/bus.ipc" ipc
run_bus "tcp://127.0.0.1:$(nv_free_port)" tcp

# A reload that changes bus_endpoint moves the bus: the old endpoint is
# unbound (its socket file gone), a subscriber on the new one sees
# events. One naming an endpoint that cannot be bound keeps the old one.
# One that removes bus_endpoint unbinds it.
listening() { grep -q " $1\$" /proc/net/unix; }
not_listening() { ! listening "$1"; }
A=$NV_TMP/a.ipc
B=$NV_TMP/b.ipc
rm -f "$NV_LOG"
nv_conf <<EOF2
[program:victim]
command=sleep 1000
startsecs=0
autorestart=true
EOF2
sed -i "s|^\[supervisord\]\$|&\nbus_endpoint=ipc://$A|" "$NV_CONF"
nv_start
wait_proc_state victim RUNNING
wait_until 10 listening "$A"
sed -i "s|^bus_endpoint=ipc://$A\$|bus_endpoint=ipc://$B|" "$NV_CONF"
kill -HUP "$NV_SD_PID"
wait_until 10 bus_two_starts
wait_until 10 listening "$B"
wait_until 10 not_listening "$A"
[ ! -e "$A" ] || fail "the old endpoint's socket file is still there"
nv_bg nanocat --sub --connect "ipc://$B" --subscribe PROCESS_STATE -A \
    >"$NV_TMP/moved.state"
# nanocat may connect after a kill: kill until it saw an EXITED
moved_saw_exit()
{
	victim=$(proc_pid_from_log victim)
	kill -KILL "$victim"
	nv_poll 2 bus_saw_exit "$NV_TMP/moved.state" "$victim" && return 0
	wait_until 10 bus_respawned "$victim"
	return 1
}
wait_until 20 moved_saw_exit
assert_log_lacks 'CRIT .*ipc://'
starts_are() { [ "$(log_count 'supervisord started with pid')" -ge "$1" ]; }
# A new endpoint that cannot be bound is logged, and the old one stays.
sed -i "s|^bus_endpoint=ipc://$B\$|bus_endpoint=ipc://$NV_TMP/no/such/dir.ipc|" \
    "$NV_CONF"
kill -HUP "$NV_SD_PID"
wait_until 10 starts_are 3
wait_log "CRIT ipc://$NV_TMP/no/such/dir.ipc: No such file or directory"
listening "$B" || fail "the old endpoint went with the failed bind"
bound=$("$NV_PYTHON" "$top_srcdir/tests/integration/bus_rpc.py" "$NV_SOCK" \
    endpoint)
[ "$bound" = "ipc://$B" ] || fail "getBusInfo says the endpoint is $bound"
sed -i "/^bus_endpoint=/d" "$NV_CONF"
kill -HUP "$NV_SD_PID"
wait_until 10 starts_are 4
wait_until 10 not_listening "$B"
nv_stop
