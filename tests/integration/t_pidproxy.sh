#!/bin/sh
# pidproxy in front of a program that detaches a worker and writes the
# worker's pid to a pidfile: signals reach the worker, TERM/INT/QUIT end
# pidproxy with 0, a child's exit ends it at once (no 5 s poll), the
# command is not looked up in PATH, and the usage text is 4.2.5's.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PIDPROXY"

# ---- the fixture: a launcher and the worker it detaches ----

cat >"$NV_TMP/worker.sh" <<'EOF'
#!/bin/sh
# Record each signal; TERM, INT and QUIT also end the worker.
dir=$1
rec() { echo "$1" >>"$dir/signals"; }
trap 'rec HUP' HUP
trap 'rec USR1' USR1
trap 'rec USR2' USR2
trap 'rec TERM; exit 0' TERM
trap 'rec INT; exit 0' INT
trap 'rec QUIT; exit 0' QUIT
echo $$ >"$dir/worker.pid.new" && mv "$dir/worker.pid.new" "$dir/worker.pid"
while :; do
	sleep 1 &
	wait $!
done
EOF

# The launcher stays in the foreground while its worker runs in a new
# session, as mysqld_safe does with mysqld. Background jobs of sh start
# with INT and QUIT ignored, so the worker gets them back first.
if env --default-signal=INT true 2>/dev/null; then
	dflsig="env --default-signal=INT,QUIT"
	have_dflsig=1
else
	dflsig=
	have_dflsig=
fi
cat >"$NV_TMP/daemon.sh" <<EOF
#!/bin/sh
$dflsig setsid -w sh "$NV_TMP/worker.sh" "\$1" </dev/null &
wait \$!
EOF
chmod +x "$NV_TMP/daemon.sh" "$NV_TMP/worker.sh"

# pp_start CASE: in a fresh dir, run pidproxy with a relative pidfile and
# a relative command; wait until the worker wrote its pid. Sets PP, WPID.
pp_start()
{
	CASE=$NV_TMP/$1
	mkdir "$CASE" && cp "$NV_TMP/daemon.sh" "$CASE/" || fail "mkdir $CASE"
	cd "$CASE" || fail "cd $CASE"
	nv_bg "$NV_PIDPROXY" worker.pid ./daemon.sh "$CASE" \
	    >"$CASE/pidproxy.out" 2>&1
	PP=$NV_BG_PID
	cd "$NV_TMP" || fail "cd $NV_TMP"
	wait_until 10 test -s "$CASE/worker.pid"
	WPID=$(cat "$CASE/worker.pid")
	nv_alive "$WPID" || fail "worker $WPID is not running"
	[ "$WPID" != "$PP" ] || fail "worker is pidproxy itself"
	sid=$(ps -o sid= -p "$WPID" | tr -d ' ')
	[ "$sid" = "$WPID" ] || fail "worker $WPID did not detach (sid $sid)"
}

got_signal()
{
	grep -qx "$1" "$CASE/signals" 2>/dev/null
}

# pp_exit_status: wait for pidproxy to exit and return its status.
pp_exit_status()
{
	wait_until "${1:-10}" nv_dead "$PP"
	wait "$PP"
}

# ---- usage ----

usage_expected()
{
	cat <<EOF
pidproxy -- run command and proxy signals to it via its pidfile.

This executable runs a command and then monitors a pidfile.  When this
executable receives a signal, it sends the same signal to the pid
in the pidfile.

Usage: $1 <pidfile name> <command> [<cmdarg1> ...]

EOF
}

usage_expected "$(nv_argv0 "$NV_PIDPROXY")" >"$NV_TMP/usage.ok"
"$NV_PIDPROXY" >"$NV_TMP/usage.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "pidproxy with no arguments exited $rc, not 1"
cmp -s "$NV_TMP/usage.ok" "$NV_TMP/usage.out" ||
    fail "usage text differs: $(diff "$NV_TMP/usage.ok" "$NV_TMP/usage.out")"
"$NV_PIDPROXY" only.pid >"$NV_TMP/usage.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "pidproxy with a pidfile only exited $rc, not 1"
cmp -s "$NV_TMP/usage.ok" "$NV_TMP/usage.out" ||
    fail "usage text (pidfile only) differs"

# The same bytes as 4.2.5, when it is installed.
pyproxy=/usr/lib/python3/dist-packages/supervisor/pidproxy.py
if [ -f "$pyproxy" ] && [ -x "$NV_PYTHON" ]; then
	"$NV_PYTHON" "$pyproxy" >"$NV_TMP/usage.py" 2>&1
	rc=$?
	[ "$rc" -eq 1 ] || fail "4.2.5's pidproxy exited $rc without args"
	usage_expected "$pyproxy" | cmp -s - "$NV_TMP/usage.py" ||
	    fail "4.2.5's usage text is not what we print"
else
	nv_note "4.2.5's pidproxy.py not found; compared with the known text"
fi

# ---- HUP, USR1, USR2 are relayed and pidproxy stays ----

pp_start relay
for sig in HUP USR1 USR2; do
	kill -"$sig" "$PP" || fail "kill -$sig pidproxy"
	wait_until 10 got_signal "$sig"
	nv_alive "$PP" || fail "pidproxy exited after $sig"
	nv_alive "$WPID" || fail "worker exited after $sig"
done

# An unreadable pidfile is reported, nothing is sent, pidproxy stays.
mv "$CASE/worker.pid" "$CASE/worker.pid.away"
kill -USR1 "$PP"
wait_until 10 grep -qx "Can't read child pidfile worker.pid!" \
    "$CASE/pidproxy.out"
nv_alive "$PP" || fail "pidproxy exited on an unreadable pidfile"
[ "$(grep -cx USR1 "$CASE/signals")" -eq 1 ] ||
    fail "USR1 reached the worker without a pidfile"
mv "$CASE/worker.pid.away" "$CASE/worker.pid"

# TERM is relayed and pidproxy exits 0 right after.
kill -TERM "$PP"
pp_exit_status
rc=$?
[ "$rc" -eq 0 ] || fail "pidproxy exited $rc after TERM, not 0"
wait_until 10 got_signal TERM
wait_until 10 nv_dead "$WPID"

# ---- INT and QUIT end pidproxy with 0 too ----

for sig in INT QUIT; do
	pp_start "$sig"
	kill -"$sig" "$PP"
	pp_exit_status
	rc=$?
	[ "$rc" -eq 0 ] || fail "pidproxy exited $rc after $sig, not 0"
	if [ -n "$have_dflsig" ]; then
		wait_until 10 got_signal "$sig"
	else
		kill -TERM "$WPID"
	fi
	wait_until 10 nv_dead "$WPID"
done

# ---- our child's exit ends pidproxy at once, with 0 ----

# 4.2.5 notices only on its next 5 s poll; we wake on SIGCHLD, so 3 s
# (times NV_TIMEOUT_SCALE) is plenty.
pp_start childexit
kill -KILL "$WPID"
pp_exit_status 3
rc=$?
[ "$rc" -eq 0 ] || fail "pidproxy exited $rc when its child ended, not 0"

# ---- the command is made absolute, never searched in PATH ----

mkdir "$NV_TMP/bin" "$NV_TMP/elsewhere" || fail "mkdir"
cat >"$NV_TMP/bin/probe" <<EOF
#!/bin/sh
echo "\$0" >"$NV_TMP/probe.ran"
exit 3
EOF
chmod +x "$NV_TMP/bin/probe"

cd "$NV_TMP/elsewhere" || fail "cd"
nv_bg env PATH="$NV_TMP/bin:$PATH" "$NV_PIDPROXY" none.pid probe \
    >"$NV_TMP/nopath.out" 2>&1
PP=$NV_BG_PID
pp_exit_status
rc=$?
[ "$rc" -eq 0 ] || fail "pidproxy exited $rc when exec failed, not 0"
[ ! -e "$NV_TMP/probe.ran" ] || fail "pidproxy found probe through PATH"
grep -q "$NV_TMP/elsewhere/probe" "$NV_TMP/nopath.out" ||
    fail "no error naming $NV_TMP/elsewhere/probe: $(cat "$NV_TMP/nopath.out")"

# A relative path with "." and ".." is made absolute and normalized (the
# kernel hands a script the path it was executed by, so the probe sees
# it), and the child's exit status (3) is not passed on.
cd "$NV_TMP/bin" || fail "cd"
nv_bg "$NV_PIDPROXY" none.pid ../elsewhere/..//bin/./probe
PP=$NV_BG_PID
pp_exit_status
rc=$?
[ "$rc" -eq 0 ] || fail "pidproxy exited $rc after its child exited 3"
ran=$(cat "$NV_TMP/probe.ran" 2>/dev/null)
[ "$ran" = "$NV_TMP/bin/probe" ] ||
    fail "probe ran as '$ran', not as $NV_TMP/bin/probe"
cd "$NV_TMP" || fail "cd"
exit 0
