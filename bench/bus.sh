#!/bin/sh
# bench/bus.sh: the event bus seen from outside (ours only: 4.2.5 has no
# bus).
#
# BUS_WRITERS programs (bench/linewriter.c, built here with cc, niced;
# one PROCESS_LOG_STDOUT event per line thanks to packet-mode pipes;
# stdout_events_enabled, no child log) publish as fast as the daemon
# reads them, for BENCH_BUS_SECS (default 5, 2 in quick mode) a run:
#
#  1. with 1, 4 and 16 external subscribers: tap --stats processes on
#     the ipc:// endpoint (they watch, the daemon is measured: by default
#     they run under SCHED_IDLE, BENCH_BUS_TAP_SCHED=idle, so that they
#     only take CPU the daemon and the writers leave; "nice" runs them
#     at nice BENCH_BUS_TAP_NICE, 10, as earlier runs did, where 16 taps
#     outweighed the daemon on 2 CPUs), each counting what libnvbus
#     hands it (live or
#     caught up from the ring) and what it reports lost; the ring holds
#     1,000,000 messages (512 MB) so that a tap that falls behind can
#     catch up. Figures: events published per second (bus serials / window) and the daemon's CPU
#     per 1,000 events. After the window the writers stop and every tap
#     must reach the last serial: "unreported" (serials neither handed
#     out nor reported lost) and "repeated" (handed out or reported lost
#     twice) must be 0 for each.
#  2. no subscriber, ring on (bus_ring_size 10000, the default) and off
#     (0): daemon CPU per 1,000 events, the ring's cost.
#
# Goal: >= 200,000 events/s, zero unreported loss. On a 2-CPU machine the
# writers, the daemon and the taps share the CPUs, so the rate there is
# a floor; the CPU per 1,000 events is the figure that travels.

. "$(dirname "$0")/lib.sh"
BENCH_IMPLS=ours
bench_setup bus

if [ "$BENCH_QUICK" = 1 ]; then
	BUS_SECS=${BENCH_BUS_SECS:-2}
else
	BUS_SECS=${BENCH_BUS_SECS:-5}
fi
BUS_WRITERS=${BENCH_BUS_WRITERS:-2}
BUS_TAP_NICE=${BENCH_BUS_TAP_NICE:-10}
case ${BENCH_BUS_TAP_SCHED:-idle} in
idle)	BUS_TAP_RUN="chrt -i 0" ;;
nice)	BUS_TAP_RUN="nice -n $BUS_TAP_NICE" ;;
*)	bench_die "BENCH_BUS_TAP_SCHED is idle or nice" ;;
esac
BUS_TAP=$NV_BUILD/tap
[ -x "$BUS_TAP" ] || bench_die "$BUS_TAP is not built"
BUS_WRITER=$BENCH_TMP/linewriter
"$BENCH_CC" -O2 -o "$BUS_WRITER" "$BENCH_DIR/linewriter.c" ||
    bench_die "cannot build $BENCH_DIR/linewriter.c"
BUS_PY=${BENCH_PYTHON:-/usr/bin/python3}
mkdir -p "$BENCH_TMP/ours" "$BENCH_TMP/shell"

# bus_conf RING: the config, writers stopped until the window opens.
bus_conf()
{
	bench_conf_head ours 4096
	cat <<EOF
bus_endpoint=ipc://$BENCH_TMP/ours/bus.ipc
bus_ring_size=$1
bus_ring_bytes=512MB

[unix_http_server]
file=$BENCH_TMP/ours/sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:w]
command=nice -n 5 $BUS_WRITER
process_name=w%(process_num)d
numprocs=$BUS_WRITERS
autostart=false
startsecs=0
stdout_logfile=NONE
stdout_events_enabled=true
EOF
}

# bus_rpc WHAT: serial | start | stop, through xmlrpc.client.
bus_rpc()
{
	"$BUS_PY" - "$BENCH_TMP/ours/sock" "$1" <<'EOF'
import sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
t = SupervisorTransport(None, None, 'unix://' + sys.argv[1])
s = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=t)
if sys.argv[2] == 'serial':
    print(s.nanovisor.getBusInfo()['serial'])
elif sys.argv[2] == 'start':
    s.supervisor.startProcessGroup('w')
else:
    s.supervisor.stopProcessGroup('w')
EOF
}

bus_up() { bus_rpc serial >/dev/null 2>&1; }

# bus_tap_done FILE SERIAL: the tap's last stats line reached SERIAL.
bus_tap_done()
{
	tail -n 1 "$1" 2>/dev/null | awk -v s="$2" '
	    { split($4, a, ":"); exit !(a[2] + 0 >= s + 0) }'
}

# bus_run RING NSUBS: one window; sets BUS_RATE, BUS_CPU (ms per 1,000
# events), BUS_UNREP (sum over taps, or n/a), BUS_LOST, BUS_CAUGHT.
bus_run()
{
	bus_conf "$1" >"$BENCH_TMP/ours/sd.conf"
	rm -f "$BENCH_TMP/ours/supervisord.log"
	bench_sd_start ours "$BENCH_TMP/ours/sd.conf"
	BUS_RATE=n/a BUS_CPU=n/a BUS_UNREP=n/a BUS_LOST=n/a BUS_REP=n/a
	bench_poll 20 bus_up || { bench_note "daemon did not answer"; return; }
	_taps=
	_i=0
	while [ "$_i" -lt "$2" ]; do
		env BENCH_MARK="$BENCH_TMP/shell" $BUS_TAP_RUN \
		    "$BUS_TAP" \
		    -b "ipc://$BENCH_TMP/ours/bus.ipc" \
		    -r "unix://$BENCH_TMP/ours/sock" --stats \
		    >"$BENCH_TMP/tap$_i" 2>&1 &
		_taps="$_taps $!"
		_i=$((_i + 1))
	done
	sleep 0.5
	_s0=$(bus_rpc serial)
	_c0=$(bench_sched_ns "$BENCH_SD_PID")
	_t0=$(bench_now_ms)
	bus_rpc start
	sleep "$BUS_SECS"
	_s1=$(bus_rpc serial)
	_c1=$(bench_sched_ns "$BENCH_SD_PID")
	_t1=$(bench_now_ms)
	bus_rpc stop
	_s2=$(bus_rpc serial)
	BUS_RATE=$(bench_calc "($_s1 - $_s0) * 1000 / ($_t1 - $_t0)")
	BUS_CPU=$(bench_calc "($_c1 - $_c0) / 1000000 * 1000 / ($_s1 - $_s0)")
	if [ "$2" -gt 0 ]; then
		BUS_UNREP=0 BUS_LOST=0 BUS_REP=0
		_i=0
		for _p in $_taps; do
			bench_poll 60 bus_tap_done "$BENCH_TMP/tap$_i" "$_s2" ||
			    bench_note "tap $_i did not reach serial $_s2"
			kill -TERM "$_p" 2>/dev/null
			wait "$_p" 2>/dev/null
			_l=$(tail -n 1 "$BENCH_TMP/tap$_i")
			_u=$(printf '%s\n' "$_l" | sed -n 's/.* unreported:\([0-9]*\).*/\1/p')
			_lo=$(printf '%s\n' "$_l" | sed -n 's/.* lost:\([0-9]*\) .*/\1/p')
			_r=$(printf '%s\n' "$_l" | sed -n 's/.* repeated:\([0-9]*\).*/\1/p')
			BUS_REP=$(bench_calc "$BUS_REP + ${_r:-n/a}")
			BUS_UNREP=$(bench_calc "$BUS_UNREP + ${_u:-n/a}")
			BUS_LOST=$(bench_calc "$BUS_LOST + ${_lo:-n/a}")
			_i=$((_i + 1))
		done
	fi
	bench_sd_stop
}

printf '\nbus (ours only): %s writers, %s s windows, taps: %s\n' "$BUS_WRITERS" "$BUS_SECS" "$BUS_TAP_RUN"
printf '  %-28s %14s %16s %12s %14s %10s\n' "run" "events/s" "CPU ms/1k ev" \
    "unreported" "lost (taps)" "repeated"
for _n in 1 4 16; do
	bus_run 1000000 "$_n"
	printf '  %-28s %14s %16s %12s %14s %10s\n' "$_n subscriber(s), ring on" \
	    "$(bench_fmt 0 "$BUS_RATE")" "$(bench_fmt 3 "$BUS_CPU")" \
	    "$BUS_UNREP" "$BUS_LOST" "$BUS_REP"
	bench_json run="subs$_n" subscribers="$_n" ring=1000000 \
	    events_per_s="$BUS_RATE" cpu_ms_per_1k="$BUS_CPU" \
	    unreported="$BUS_UNREP" lost_reported="$BUS_LOST" \
	    repeated="$BUS_REP"
	bench_summary "events/s, $_n subscriber(s)" "$(bench_fmt 0 "$BUS_RATE")" \
	    n/a n/a ">= 200000" "$(bench_verdict "$BUS_RATE >= 200000")"
	bench_summary "unreported loss, $_n sub(s)" "$BUS_UNREP" n/a n/a "0" \
	    "$(bench_verdict "$BUS_UNREP == 0")"
	bench_summary "serials repeated, $_n sub(s)" "$BUS_REP" n/a n/a "0" \
	    "$(bench_verdict "$BUS_REP == 0")"
done
for _r in 10000 0; do
	bus_run "$_r" 0
	_label="no subscriber, ring $([ "$_r" = 0 ] && echo off || echo on)"
	printf '  %-28s %14s %16s %12s %14s %10s\n' "$_label" \
	    "$(bench_fmt 0 "$BUS_RATE")" "$(bench_fmt 3 "$BUS_CPU")" - - -
	bench_json run="ring$_r" subscribers=0 ring="$_r" \
	    events_per_s="$BUS_RATE" cpu_ms_per_1k="$BUS_CPU"
	bench_summary "CPU ms/1k events, $_label" "$(bench_fmt 3 "$BUS_CPU")" \
	    n/a n/a "reported" ""
done
exit 0
