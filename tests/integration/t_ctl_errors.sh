#!/bin/sh
# Our supervisorctl beside Debian's 4.2.5 where things go wrong: no
# socket file, a refused connection (TCP and a stale unix socket), bad
# options and configs, and 401 from our supervisord and from Python's
# when the password is missing or wrong. Output and exit status must
# match; the help texts that follow some errors are our own.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
nv_need_bin "$NV_CTL"
[ -x "$NV_PY_SUPERVISORD" ] && [ -x "$NV_PY_CTL" ] ||
    nv_skip "no Python supervisord/supervisorctl 4.2.5"

# conf DIR: a daemon with a password and one program.
conf()
{
	mkdir -p "$1"
	cat >"$1/supervisord.conf" <<EOF
[unix_http_server]
file=$1/s.sock
username=user
password=secret

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
EOF
}

for d in ours py; do
	conf "$NV_TMP/$d"
	case $d in
	ours) sd=$NV_SUPERVISORD ;;
	*) sd=$NV_PY_SUPERVISORD ;;
	esac
	nv_bg "$sd" -c "$NV_TMP/$d/supervisord.conf" >"$NV_TMP/$d/out" 2>&1
done
running() { "$NV_PY_CTL" -c "$1/supervisord.conf" -u user -p secret \
    status cat 2>/dev/null | grep -q RUNNING; }
wait_until 20 running "$NV_TMP/ours"
wait_until 20 running "$NV_TMP/py"

# A unix socket nobody listens on.
"$NV_PYTHON" -c 'import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$NV_TMP/stale.sock" ||
    fail "cannot make a stale socket"
printf '[x]\n' >"$NV_TMP/nosection.conf"
port=$(nv_free_port)

# raw CLIENT OUT ARGS...: one run of CLIENT, appended to OUT, normalized.
raw()
{
	_cl=$1
	_out=$2
	shift 2
	"$_cl" "$@" >"$NV_TMP/cmd" 2>&1 </dev/null
	_rc=$?
	{
		printf '$ %s (exit %d)\n' "$*" "$_rc"
		cat "$NV_TMP/cmd"
	} | sed -e "s#$NV_TMP#DIR#g" -e "s#$(nv_argv0 "$_cl")#CTL#g" -e 's/  *$//' \
	    -e 's/pid [0-9][0-9]*/pid N/g' -e 's/uptime [0-9:]*/uptime U/g' \
	    -e 's/^[0-9][0-9]*$/N/' >>"$_out"
}

for k in py c; do
	case $k in py) cl=$NV_PY_CTL ;; *) cl=$NV_CTL ;; esac
	out=$NV_TMP/transcript_$k
	for c in status pid start stop version add update reread avail \
	    shutdown reload tail maintail 'tail -f cat' 'maintail -f' fg \
	    clear 'signal HUP' remove 'tail -5 cat' bogus; do
		raw "$cl" "$out" -s "unix://$NV_TMP/nosuch.sock" $c cat
		raw "$cl" "$out" -s "unix://$NV_TMP/stale.sock" $c cat
		raw "$cl" "$out" -s "http://127.0.0.1:$port" $c cat
	done
	raw "$cl" "$out" -c "$NV_TMP/nosuch.conf" status
	raw "$cl" "$out" -c "$NV_TMP/nosection.conf" status
	raw "$cl" "$out" -x status
	raw "$cl" "$out" --bogus status
	raw "$cl" "$out" -s
	raw "$cl" "$out" -s bogus status
	raw "$cl" "$out" -s ftp://x status
	for d in ours py; do
		s=unix://$NV_TMP/$d/s.sock
		raw "$cl" "$out" -c "$NV_TMP/$d/supervisord.conf" -u user \
		    -p secret status cat
		raw "$cl" "$out" -u user -p secret -s "$s" pid cat
		for c in status 'stop nosuch' avail update 'add x' 'tail cat' \
		    'tail -f cat' 'maintail -f' version; do
			raw "$cl" "$out" -s "$s" $c
			raw "$cl" "$out" -s "$s" -u user -p bad $c
		done
	done
done

# Each client's help texts, left out of its transcript.
helptexts()
{
	for _c in add avail clear exit fg help maintail open pid quit reload \
	    remove reread restart shutdown signal start status stop tail \
	    update version; do
		"$1" help "$_c" </dev/null
	done | sed 's/  *$//' | grep -v '^$' | sort -u
}
helptexts "$NV_PY_CTL" >"$NV_TMP/help_py"
helptexts "$NV_CTL" >"$NV_TMP/help_c"
for k in py c; do
	grep -vxF -f "$NV_TMP/help_$k" "$NV_TMP/transcript_$k" >"$NV_TMP/cmp_$k"
done
if ! diff -u "$NV_TMP/cmp_py" "$NV_TMP/cmp_c" >"$NV_TMP/diff"; then
	cat "$NV_TMP/diff" >&2
	fail "supervisorctl output differs (- Python's, + ours)"
fi
exit 0
