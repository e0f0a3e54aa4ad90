#!/bin/sh
# Debian's supervisorctl 4.2.5 drives our supervisord and Python's
# supervisord 4.2.5 on the same config; every command's output and exit
# status must be the same, pids, uptimes, paths and dates aside.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
[ -x "$NV_PY_SUPERVISORD" ] && [ -x "$NV_PY_CTL" ] ||
    nv_skip "no Python supervisord/supervisorctl 4.2.5"

# conf DIR: the scenario's config with everything under DIR.
conf()
{
	mkdir -p "$1"
	cat >"$1/supervisord.conf" <<EOF
[unix_http_server]
file=$1/s.sock

[supervisord]
logfile=$1/supervisord.log
pidfile=$1/supervisord.pid
childlogdir=$1
loglevel=info
nodaemon=true

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$1/s.sock

[program:cat]
command=cat
startsecs=0

[program:echoer]
command=sh -c 'echo hello; echo oops >&2; exec sleep 1000'
startsecs=0
stdout_logfile=$1/echoer.out
stderr_logfile=$1/echoer.err

[program:later]
command=sleep 1001
autostart=false
startsecs=0

[program:broken]
command=/nonexistent/program
autostart=false
startretries=0

[group:grp]
programs=a,b

[program:a]
command=sleep 1002
startsecs=0

[program:b]
command=sleep 1003
startsecs=0
EOF
}

ours=$NV_TMP/ours
theirs=$NV_TMP/py
conf "$ours"
conf "$theirs"

env NV_TEST_MARK="$NV_TMP" "$NV_SUPERVISORD" -c "$ours/supervisord.conf" \
    >"$ours/out" 2>&1 &
NV_SD_PID=$!
env NV_TEST_MARK="$NV_TMP" "$NV_PY_SUPERVISORD" -c "$theirs/supervisord.conf" \
    >"$theirs/out" 2>&1 &
py_pid=$!
NV_BG_PIDS="$py_pid"

ctl() { _c=$1; shift; "$NV_PY_CTL" -c "$_c/supervisord.conf" "$@"; }
all_running()
{
	ctl "$1" status 2>/dev/null >"$1/st" || true
	[ "$(grep -c RUNNING "$1/st")" -eq 4 ]
}
wait_until 20 all_running "$ours"
wait_until 20 all_running "$theirs"

# run DIR ARGS...: one command, its output and status, normalized.
run()
{
	_d=$1
	shift
	"$NV_PY_CTL" -c "$_d/supervisord.conf" "$@" >"$_d/cmd" 2>&1
	_rc=$?
	{
		printf '$ %s (exit %d)\n' "$*" "$_rc"
		sed -e "s#$_d#DIR#g" \
		    -e 's/pid [0-9][0-9]*/pid N/g' \
		    -e 's/uptime [0-9:]*/uptime U/g' \
		    -e 's/[A-Z][a-z][a-z] [0-9][0-9] [0-9][0-9]:[0-9][0-9] [AP]M/DATE/' \
		    -e 's/^[0-9][0-9]*$/N/' \
		    -e 's/  *$//' "$_d/cmd"
	} >>"$_d/transcript"
}

# both ARGS...: the same command against both daemons.
both() { run "$ours" "$@"; run "$theirs" "$@"; }

# both_sorted ARGS...: the same, comparing the lines in any order.
# stopProcessGroup, startAllProcesses and stopAllProcesses list their
# results in 4.2.5's own order, which ours does not follow yet.
both_sorted()
{
	for _d in "$ours" "$theirs"; do
		"$NV_PY_CTL" -c "$_d/supervisord.conf" "$@" >"$_d/cmd" 2>&1
		printf '$ %s (exit %d, sorted)\n' "$*" "$?" >>"$_d/transcript"
		sort "$_d/cmd" >>"$_d/transcript"
	done
}

# both_follow TEXT ARGS...: a command that never ends (tail -f, fg),
# interrupted as by Ctrl-C once its output shows TEXT. Its stdin says
# "hello-fg" and then stays open.
has_text() { grep -q -- "$1" "$2"; }
# 4.2.5's fg leaves its tail thread running after the first Ctrl-C and
# exits on the second.
follow_done()
{
	nv_dead "$1" && return 0
	has_text "Exiting foreground" "$2" && kill -INT "$1"
	return 1
}
both_follow()
{
	_t=$1
	shift
	for _d in "$ours" "$theirs"; do
		rm -f "$_d/fifo"
		mkfifo "$_d/fifo" || fail "mkfifo"
		# A background job starts with SIGINT ignored; give the
		# client back the default so that it sees the interrupt.
		"$NV_PYTHON" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$NV_PY_CTL" \
		    -c "$_d/supervisord.conf" "$@" <"$_d/fifo" \
		    >"$_d/cmd" 2>/dev/null &
		_p=$!
		exec 9>"$_d/fifo"
		echo hello-fg >&9
		wait_until 20 has_text "$_t" "$_d/cmd"
		kill -INT "$_p"
		wait_until 20 follow_done "$_p" "$_d/cmd"
		wait "$_p"
		_rc=$?
		exec 9>&-
		# Whether the client ends with 0 or with 130 (the second
		# Ctrl-C landing before or after its own exit) is a race
		# inside the client, the same one against either daemon.
		[ "$_rc" -eq 130 ] && _rc=0
		printf '$ %s (exit %d, stdout)\n' "$*" "$_rc" >>"$_d/transcript"
		cat "$_d/cmd" >>"$_d/transcript"
	done
}

# Wait for a process's state in both.
state_is() { ctl "$1" status "$2" 2>/dev/null | grep -q " $3 "; }
both_state() { wait_until 20 state_is "$ours" "$1" "$2";
    wait_until 20 state_is "$theirs" "$1" "$2"; }

both status
both status cat
both status grp:*
both status nosuch
both pid
both pid cat
both pid later
both pid nosuch
both version
both start later
both_state later RUNNING
both start later
both start nosuch
both start broken
both status broken
both stop cat
both stop cat
both stop nosuch
both status
both start cat
both_sorted restart grp:*
both_state grp:a RUNNING
both_sorted stop grp:
both start grp:a
both status grp:*
both signal HUP cat
both signal BOGUS cat
both signal HUP later grp:b
both tail echoer
both tail echoer stderr
both tail -5 echoer
both tail echoer stdout
both tail nosuch
both_follow hello tail -f echoer
both_follow oops tail -f echoer stderr
both clear echoer
# fg: what is typed goes to cat's stdin and comes back through its log.
both_follow hello-fg fg cat
both tail echoer
both avail
both reread
both update
both_sorted stop all
both status
both_sorted start all
both_state cat RUNNING
both status

# A changed config: later goes, extra comes, cat changes.
for _d in "$ours" "$theirs"; do
	sed -e 's/^command=sleep 1001$/command=sleep 1004/' \
	    -e 's/^\[program:later\]$/[program:extra]/' \
	    -e 's/^command=cat$/command=cat -u/' \
	    "$_d/supervisord.conf" >"$_d/new.conf"
	mv "$_d/new.conf" "$_d/supervisord.conf"
done
both avail
both reread
both remove later
both stop later
both remove later
both add extra
both add extra
both avail
both update
both_state cat RUNNING
both start extra
both status
both remove nosuch
both add nosuch
both reload
wait_until 20 all_running "$ours"
wait_until 20 all_running "$theirs"
both status
both shutdown

wait_until 30 nv_dead "$NV_SD_PID"
wait_until 30 nv_dead "$py_pid"
NV_SD_PID=
if ! diff -u "$theirs/transcript" "$ours/transcript" >"$NV_TMP/diff"; then
	cat "$NV_TMP/diff" >&2
	fail "supervisorctl output differs (- Python, + ours)"
fi
exit 0
