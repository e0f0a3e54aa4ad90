#!/bin/sh
# A subscriber that sleeps through a burst catches up: tap (built on
# libnvbus) is stopped with SIGSTOP while 100,000 fire-drill events are
# published (far more than the daemon's 1 MiB and the kernel's socket
# buffers hold for it, so most are dropped, and the daemon counts them),
# then continued. It fills the gap from the daemon's ring over
# nanovisor.getEvents and prints every serial exactly once, in order,
# with no "gap not recoverable" line. Then, with a ring too small for a
# second burst, tap must say which serials it could not recover, and
# after supervisord restarts (serials from 1 again) it follows.
. "$(dirname "$0")/lib.sh"
nv_setup
NV_LOGLEVEL=warn
NV_TAP=${NV_TAP:-$top_builddir/tap}
# Under memcheck (which looks for memory errors, not at the burst's size)
# the daemon is some 20 times slower: a fifth of the burst.
BURST=100000
! nv_memchecked || BURST=20000
nv_need_bin "$NV_TAP"

BUS=ipc://$NV_TMP/bus.ipc
nv_conf <<EOF
[program:idle]
command=sleep 1000
startsecs=0
EOF
sed -i "s|^\[supervisord\]\$|&\nbus_endpoint=$BUS\nbus_ring_size=200000\nbus_ring_bytes=256MB|" "$NV_CONF"
sed -i "s|^loglevel=warn\$|loglevel=info|" "$NV_CONF"
nv_start

cp "$top_srcdir/tests/integration/bus_rpc.py" "$NV_TMP/rpc.py"
rpc() { "$NV_PYTHON" "$NV_TMP/rpc.py" "$NV_SOCK" "$@"; }

# start_tap OUT [ARGS]: tap in the background, its pid in TAP.
start_tap()
{
	_out=$1
	shift
	"$NV_TAP" -b "$BUS" -r "unix://$NV_SOCK" "$@" >"$_out" \
	    2>"$_out.err" &
	TAP=$!
	NV_BG_PIDS="$NV_BG_PIDS $TAP"
}

# TICK_ events may come between and after: look for the serial anywhere
has_serial() { grep -q "^{\"serial\":$1," "$OUT" 2>/dev/null; }

OUT=$NV_TMP/tap.out
start_tap "$OUT" -j
# tap prints what is published once it has subscribed: single events go
# out until one comes through (the first may beat tap's connect)
# fire_seen CHECK: fire one event (its serial in $first); true once
# CHECK SERIAL finds it in tap's output.
fire_seen()
{
	first=$(rpc one) || fail "fireEvent failed"
	nv_poll 0.5 "$1" "$first"
}
wait_until 20 fire_seen has_serial

kill -STOP "$TAP"
dropped0=$(rpc dropped)
final=$(rpc burst "$BURST") || { kill -CONT "$TAP"; fail "the burst failed"; }
dropped1=$(rpc dropped)
kill -CONT "$TAP"
[ "$dropped1" -gt $((dropped0 + BURST / 2)) ] ||
    fail "the daemon counted $((dropped1 - dropped0)) events dropped for the stopped tap"
wait_until 120 has_serial "$final"

# every serial from first to final exactly once, in order, nothing lost
awk -v first="$first" -v final="$final" -v want="$BURST" '
/gap_not_recoverable/ { print "gap: " $0; exit 1 }
n == final - first + 1 { exit 0 }
{
	if (!match($0, /^\{"serial":[0-9]+,/)) { print "line: " $0; exit 1 }
	s = substr($0, 11, RLENGTH - 11) + 0
	if (n == 0 && s < first)
		next		# published before our first event
	if (s != first + n) {
		print "serial " s " where " first + n " was due"; exit 1
	}
	n++
	if (index($0, "\"caught_up\":true")) caught++
	if (index($0, "\"type\":\"burst\"")) burst++
}
END {
	if (n != final - first + 1) {
		print n " events, not " final - first + 1; exit 1
	}
	if (burst != want) { print burst " burst events, not " want; exit 1 }
	if (caught == 0) { print "nothing came through the catch-up"; exit 1 }
	printf "%d events, %d caught up over XML-RPC\n", n, caught
}' "$OUT" >"$NV_TMP/check" || fail "tap output: $(cat "$NV_TMP/check")"
nv_note "$(cat "$NV_TMP/check")"
grep -q '"eventname":"REMOTE_COMMUNICATION","synthetic":true' "$OUT" ||
    fail "the events are not marked synthetic"
kill -TERM "$TAP"
wait_until 10 nv_dead "$TAP"

# A ring too small for the burst: the gap is said, not hidden. The burst
# again far outgrows what the buffers hold for a stopped tap (20,000
# events of some 330 bytes: 6.6 MB, against 1 MiB in the daemon and the
# kernel's default socket buffers).
sed -i "s|^bus_ring_size=200000\$|bus_ring_size=1000|" "$NV_CONF"
kill -HUP "$NV_SD_PID"
wait_until 20 sh -c "[ \$(grep -c 'supervisord started with pid' \
    '$NV_LOG') -ge 2 ]"
OUT=$NV_TMP/tap2.out
start_tap "$OUT"
has_text_serial() { grep -q "^ver:3.0 server:supervisor serial:$1 " "$OUT"; }
wait_until 20 fire_seen has_text_serial
kill -STOP "$TAP"
final=$(rpc burst 20000) || { kill -CONT "$TAP"; fail "the burst failed"; }
kill -CONT "$TAP"
wait_until 60 grep -q "^ver:3.0 server:supervisor serial:$final " "$OUT"
grep -q '^gap not recoverable: serials [0-9]* to [0-9]* ([0-9]* events) lost$' \
    "$OUT" || fail "no gap line from tap with a small ring"
[ "$(rpc lost "$first")" -gt 0 ] || fail "getEvents reports nothing lost"

# supervisord restarts, its serials start again at 1: tap follows
nv_stop
mv "$NV_LOG" "$NV_LOG.1"
nv_start
before=$first
has_rc_serial()
{
	grep -q "^ver:3.0 server:supervisor serial:$1 .*eventname:REMOTE_COMMUNICATION " "$OUT"
}
wait_until 20 fire_seen has_rc_serial
[ "$first" -lt "$before" ] || fail "serials did not start again ($first)"
nv_stop
exit 0
