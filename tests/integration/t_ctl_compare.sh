#!/bin/sh
# Our supervisorctl beside Debian's 4.2.5, each driving its own copy of
# the same daemon: our supervisord and Python's supervisord 4.2.5. Every
# command's output and exit status must match, pids, uptimes and dates
# aside; help <command> texts are our own and are not compared, nor is
# the help section listing our own commands (firedrill).
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
nv_need_bin "$NV_CTL"
[ -x "$NV_PY_SUPERVISORD" ] && [ -x "$NV_PY_CTL" ] ||
    nv_skip "no Python supervisord/supervisorctl 4.2.5"

# conf DIR [AUTH]: the scenario's config with everything under DIR.
conf()
{
	mkdir -p "$1"
	{
		printf '[unix_http_server]\nfile=%s/s.sock\n' "$1"
		[ -n "$2" ] && printf 'username=user\npassword=%s\n' "$2"
		cat <<EOF2

[supervisord]
logfile=$1/supervisord.log
pidfile=$1/supervisord.pid
childlogdir=$1
loglevel=info
nodaemon=true

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/s.sock

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
EOF2
	} >"$1/supervisord.conf"
}

# Two copies of our daemon: ours_py (driven by Python's client) and
# ours_c (by ours); t_ctl_compare_py sets CTL_DAEMON=py for two of
# Python's. t_ctl_errors covers connection errors, 401 and options.
k=${CTL_DAEMON:-ours}
dirs="${k}_py ${k}_c"
for d in $dirs; do
	conf "$NV_TMP/$d"
	case $d in
	*ours*) sd=$NV_SUPERVISORD ;;
	*) sd=$NV_PY_SUPERVISORD ;;
	esac
	nv_bg "$sd" -c "$NV_TMP/$d/supervisord.conf" >"$NV_TMP/$d/out" 2>&1
	eval "pid_$d=\$NV_BG_PID"
done

# client DIR: the supervisorctl that drives DIR.
client()
{
	case $1 in *_c) echo "$NV_CTL" ;; *) echo "$NV_PY_CTL" ;; esac
}
ctl() { _c=$1; shift; "$(client "$_c")" -c "$_c/supervisord.conf" "$@"; }
all_running()
{
	"$NV_PY_CTL" -c "$1/supervisord.conf" status 2>/dev/null \
	    >"$1/st" || true
	[ "$(grep -c RUNNING "$1/st")" -eq 4 ]
}
for d in $dirs; do
	wait_until 20 all_running "$NV_TMP/$d"
done

norm()
{
	sed -e "s#$1#DIR#g" \
	    -e 's/pid [0-9][0-9]*/pid N/g' \
	    -e 's/uptime [0-9:]*/uptime U/g' \
	    -e 's/[A-Z][a-z][a-z] [0-9][0-9] [0-9][0-9]:[0-9][0-9] [AP]M/DATE/' \
	    -e 's/^[0-9][0-9]*$/N/' \
	    -e 's/  *$//' \
	    -e '/^nanovisor commands (type help <topic>):$/,/^$/d'
}

# run DIR ARGS...: one command, its output and status, normalized.
run()
{
	_d=$1
	shift
	ctl "$_d" "$@" >"$_d/cmd" 2>&1 </dev/null
	_rc=$?
	{
		printf '$ %s (exit %d)\n' "$*" "$_rc"
		norm "$_d" <"$_d/cmd"
	} >>"$_d/transcript"
}

# every ARGS...: the same command through each pair, both at once (each
# client has its own daemon and files).
every()
{
	_pids=
	for _d in $dirs; do
		run "$NV_TMP/$_d" "$@" &
		_pids="$_pids $!"
	done
	wait $_pids
}

# every_sorted ARGS...: the same, lines in any order (4.2.5 lists the
# results of group and "all" operations in its own order).
sorted1()
{
	_d=$1
	shift
	ctl "$_d" "$@" >"$_d/cmd" 2>&1 </dev/null
	printf '$ %s (exit %d, sorted)\n' "$*" "$?" >>"$_d/transcript"
	sort "$_d/cmd" >>"$_d/transcript"
}
every_sorted()
{
	_pids=
	for _d in $dirs; do
		sorted1 "$NV_TMP/$_d" "$@" &
		_pids="$_pids $!"
	done
	wait $_pids
}

# every_follow TEXT ARGS...: a command that never ends (tail -f, fg),
# interrupted as by Ctrl-C once its output shows TEXT. Its stdin says
# "hello-fg" and then stays open.
has_text() { grep -q -- "$1" "$2"; }
# 4.2.5's fg leaves its tail thread running after the first Ctrl-C and
# exits on the second; ours leaves on the first.
follow_done()
{
	nv_dead "$1" && return 0
	has_text "Exiting foreground" "$2" && kill -INT "$1"
	return 1
}
every_follow()
{
	_t=$1
	shift
	for _d in $dirs; do
		_d=$NV_TMP/$_d
		rm -f "$_d/fifo"
		mkfifo "$_d/fifo" || fail "mkfifo"
		# A background job starts with SIGINT ignored; give the
		# client back the default so that it sees the interrupt.
		"$NV_PYTHON" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$(client "$_d")" \
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
		[ "$_rc" -eq 130 ] && _rc=0
		printf '$ %s (exit %d, stdout)\n' "$*" "$_rc" >>"$_d/transcript"
		cat "$_d/cmd" >>"$_d/transcript"
	done
}

state_is() { "$NV_PY_CTL" -c "$1/supervisord.conf" status "$2" 2>/dev/null |
    grep -q " $3 "; }
every_state() { for _d in $dirs; do wait_until 20 state_is "$NV_TMP/$_d" \
    "$1" "$2"; done; }

every status
every status cat
every status grp:*
every status grp:
every status nosuch
every status nosuch grp:a nogroup:
every status all
every pid
every pid cat
every pid later
every pid nosuch
every pid all
every version
every version extra
every help
every help nosuch
every bogus command
every ''
every start
every start later
every_state later RUNNING
every start later
every start nosuch
every start nosuch:
every start broken
every status broken
every stop
every stop cat
every stop cat
every stop nosuch
every stop nosuch:
every status
every start cat
every_sorted restart grp:*
every_state grp:a RUNNING
every restart
every_sorted stop grp:
every start grp:a
every status grp:*
every signal
every signal HUP
every signal HUP cat
every signal BOGUS cat
every signal HUP later grp:b
every signal HUP nosuch:
every_sorted signal HUP all
every tail
every tail echoer
every tail echoer stderr
every tail -5 echoer
every tail echoer stdout
every tail echoer STDERR
every tail echoer bogus
every tail -x echoer
every tail -f echoer stdout extra
every tail nosuch
every tail later
every maintail -5 extra
every maintail x
every maintail -x
every_follow hello tail -f echoer
every_follow oops tail -f echoer stderr
every clear
every clear echoer
every clear nosuch
every_sorted clear all
every fg
every fg a b
every fg nosuch
every fg broken
# fg: what is typed goes to cat's stdin and comes back through its log.
every_follow hello-fg fg cat
every tail cat
every avail
every avail x
every reread
every reread x
every update
every update nosuch
every open
every open ftp://x
every shutdown now
every reload now
every_sorted stop all
every status
every_sorted start all
every_state cat RUNNING
every status

# A changed config: later goes, extra comes, cat changes.
for _d in $dirs; do
	_d=$NV_TMP/$_d
	sed -e 's/^command=sleep 1001$/command=sleep 1004/' \
	    -e 's/^\[program:later\]$/[program:extra]/' \
	    -e 's/^command=cat$/command=cat -u/' \
	    "$_d/supervisord.conf" >"$_d/new.conf"
	mv "$_d/new.conf" "$_d/supervisord.conf"
done
every avail
every reread
every remove later
every stop later
every remove later
every add extra
every add extra
every avail
every update
every_state cat RUNNING
every start extra
every status
every remove nosuch
every add nosuch

every reload
for d in $dirs; do wait_until 20 all_running "$NV_TMP/$d"; done
every status
every shutdown
for d in $dirs; do
	eval "wait_until 30 nv_dead \$pid_$d"
done
every shutdown
every status
every pid
# Each client's help texts, left out of its transcripts.
helptexts()
{
	for _c in add avail clear exit fg help maintail open pid quit reload \
	    remove reread restart shutdown signal start status stop tail \
	    update version; do
		"$1" help "$_c" </dev/null
	done | norm "$NV_TMP" | grep -v '^$' | sort -u
}
helptexts "$NV_PY_CTL" >"$NV_TMP/help_py"
helptexts "$NV_CTL" >"$NV_TMP/help_c"
for c in py c; do
	grep -vxF -f "$NV_TMP/help_$c" "$NV_TMP/${k}_$c/transcript" \
	    >"$NV_TMP/${k}_$c/cmp"
done
if ! diff -u "$NV_TMP/${k}_py/cmp" "$NV_TMP/${k}_c/cmp" >"$NV_TMP/diff"; then
	cat "$NV_TMP/diff" >&2
	fail "supervisorctl output differs (- Python's, + ours) against $k"
fi
exit 0
