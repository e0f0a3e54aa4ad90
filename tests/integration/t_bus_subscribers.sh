#!/bin/sh
# Three kinds of outside subscribers, each with its own prefix, on ipc://
# and then tcp://127.0.0.1: nanocat (nanomsg-utils) on PROCESS_STATE, a
# Perl program on NanoMsg::Raw (libnanomsg-raw-perl) on
# REMOTE_COMMUNICATION, and tap on PROCESS_STATE_EXITED. Fire-drill events
# of both families are published until every subscriber saw its own; each
# must see nothing outside its prefix.
. "$(dirname "$0")/lib.sh"
nv_setup
NV_LOGLEVEL=info
NV_TAP=${NV_TAP:-$top_builddir/tap}
nv_need_bin "$NV_TAP"
command -v nanocat >/dev/null 2>&1 || nv_skip "nanocat is not installed"
command -v perl >/dev/null 2>&1 && perl -MNanoMsg::Raw -e 1 2>/dev/null ||
    nv_skip "NanoMsg::Raw (libnanomsg-raw-perl) is not installed"

cp "$top_srcdir/tests/integration/bus_rpc.py" "$NV_TMP/rpc.py"
rpc() { "$NV_PYTHON" "$NV_TMP/rpc.py" "$NV_SOCK" "$@"; }

cat >"$NV_TMP/sub.pl" <<'EOF'
# sub.pl URL PREFIX OUT: print every message received, one per record.
use strict;
use NanoMsg::Raw;
my ($url, $prefix, $out) = @ARGV;
open(my $fh, '>>', $out) or die "$out: $!";
$fh->autoflush(1);
my $s = nn_socket(AF_SP, NN_SUB) // die nn_errno;
defined nn_setsockopt($s, NN_SUB, NN_SUB_SUBSCRIBE, $prefix) or die nn_errno;
defined nn_connect($s, $url) or die nn_errno;
while (1) {
    defined nn_recv($s, my $buf) or die nn_errno;
    print $fh "$buf\n";
}
EOF

# saw FILE TYPE: FILE has a header line of a drill event of TYPE
saw() { grep -q "^$2 nv:1 serial:[0-9]* .*synthetic:1 " "$1" 2>/dev/null; }
tap_saw() { grep -q "^ver:3.0 server:supervisor serial:[0-9]* pool:tap poolserial:[0-9]* eventname:PROCESS_STATE_EXITED " "$1" 2>/dev/null; }

all_saw()
{
	saw "$_d/nanocat" PROCESS_STATE_EXITED &&
	    saw "$_d/perl" REMOTE_COMMUNICATION && tap_saw "$_d/tap"
}

# fire_until_seen: subscribers connect when they will; publish again
# until each got its event.
fire_until_seen()
{
	_end=$(( $(nv_now_ms) + $(nv_scale_ms 30) ))
	while ! all_saw; do
		[ "$(nv_now_ms)" -lt "$_end" ] ||
		    fail "$_tag: not every subscriber saw its event"
		rpc fire PROCESS_STATE_EXITED '{"processname": "web", "pid": 7}' \
		    >/dev/null || fail "fireEvent failed"
		rpc fire REMOTE_COMMUNICATION '{"type": "ping", "data": "x"}' \
		    >/dev/null || fail "fireEvent failed"
		sleep 0.2
	done
}

run()
{
	_url=$1
	_tag=$2
	_d=$NV_TMP/$_tag
	mkdir -p "$_d"
	nv_conf <<EOF
[program:idle]
command=sleep 1000
startsecs=0
EOF
	sed -i "s|^\[supervisord\]\$|&\nbus_endpoint=$_url|" "$NV_CONF"
	nv_start
	nv_bg nanocat --sub --connect "$_url" --subscribe PROCESS_STATE -A \
	    >"$_d/nanocat"
	nv_bg perl "$NV_TMP/sub.pl" "$_url" REMOTE_COMMUNICATION "$_d/perl"
	nv_bg "$NV_TAP" -b "$_url" -r "unix://$NV_SOCK" \
	    -p PROCESS_STATE_EXITED >"$_d/tap"
	fire_until_seen
	nv_stop
	for _p in $NV_BG_PIDS; do
		nv_alive "$_p" && kill -TERM "$_p"
	done
	NV_BG_PIDS=
	# nothing outside each prefix (payload lines start with synthetic:1)
	! grep -v '^PROCESS_STATE_' "$_d/nanocat" | grep -q . ||
	    fail "$_tag: nanocat got other events"
	! grep -E '^[A-Z_]+ nv:1 ' "$_d/perl" |
	    grep -v '^REMOTE_COMMUNICATION ' | grep -q . ||
	    fail "$_tag: the Perl subscriber got other events"
	! grep '^ver:3.0 ' "$_d/tap" | grep -v 'eventname:PROCESS_STATE_EXITED ' |
	    grep -q . || fail "$_tag: tap printed other events"
	grep -q '^synthetic:1 processname:web groupname:web from_state:RUNNING expected:0 pid:7$' \
	    "$_d/tap" || fail "$_tag: tap: no drill payload"
}

run "ipc://$NV_TMP/bus.ipc" ipc
run "tcp://127.0.0.1:$(nv_free_port)" tcp
exit 0
