#!/bin/sh
# The same listeners on the same config under Python supervisord 4.2.5 and
# under ours: what each listener was sent, header and payload, must be the
# same for every event type, once serials, pids and times are masked.
#
# One pool records with a listener built on supervisor.childutils (it
# reads stdin in text mode, so len: must count characters); another runs
# scripts/listener_ok.sh, a shell listener. Programs cover every process
# state but STOPPING/STOPPED (shutdown order makes those racy), output
# with events enabled (non-ASCII on stdout, undecodable bytes on stderr),
# capture mode, group additions and ticks.
. "$(dirname "$0")/lib.sh"
nv_setup
[ -x "$NV_PY_SUPERVISORD" ] || nv_skip "no $NV_PY_SUPERVISORD"
"$NV_PYTHON" -c 'from supervisor import childutils' 2>/dev/null ||
    nv_skip "no supervisor.childutils for $NV_PYTHON"
nv_need_bin "$NV_SUPERVISORD"

# The childutils listener: one line per event, masked, into $1.
cat >"$NV_TMP/rec.py" <<'EOF'
import re, sys
from supervisor import childutils

def mask(s):
    return re.sub(r'\b(pid|when):\d+', r'\1:N', s)

out = open(sys.argv[1], 'a')
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    keys = ' '.join('%s:%s' % (k, headers[k]) for k in
                    ('ver', 'server', 'pool', 'eventname'))
    lenok = 'lenok' if int(headers['len']) == len(payload) else 'LENBAD'
    out.write('%s %s %s %s\n' % (headers['eventname'], keys, lenok,
                                 ascii(mask(payload))))
    out.write('%s poolserial %s\n' % ('~', headers['poolserial']))
    out.flush()
    childutils.listener.ok(sys.stdout)
EOF

# Talks on stdout (non-ASCII) and stderr (not UTF-8), then exits 0.
cat >"$NV_TMP/talker.sh" <<'EOF'
#!/bin/sh
printf 'caf\303\251 \342\202\254 ok\n'
printf 'bad \377\376 bytes\n' >&2
exec sleep 3
EOF
# One message in capture mode on each channel, then stays up.
cat >"$NV_TMP/commer.sh" <<'EOF'
#!/bin/sh
printf '<!--XSUPERVISOR:BEGIN-->hello \303\251 comm<!--XSUPERVISOR:END-->'
printf 'x<!--XSUPERVISOR:BEGIN-->on stderr\n<!--XSUPERVISOR:END-->y\n' >&2
exec sleep 1000
EOF
chmod +x "$NV_TMP/talker.sh" "$NV_TMP/commer.sh"

# conf TAG: the config for one run; every file it names carries TAG.
conf()
{
	cat <<EOF
[supervisord]
logfile=$NV_TMP/$1.log
pidfile=$NV_TMP/$1.pid
childlogdir=$NV_TMP
loglevel=debug
identifier=nvtest

[eventlistener:rec]
command=$NV_PYTHON $NV_TMP/rec.py $NV_TMP/$1.rec
events=PROCESS_STATE,PROCESS_LOG,PROCESS_COMMUNICATION,SUPERVISOR_STATE_CHANGE_RUNNING,PROCESS_GROUP,TICK_5
buffer_size=1000
environment=PYTHONIOENCODING="utf-8"
stderr_logfile=$NV_TMP/$1.rec.err

[eventlistener:shl]
command=$NV_SCRIPTS/listener_ok.sh
events=PROCESS_STATE_EXITED,PROCESS_STATE_FATAL
buffer_size=100
stderr_logfile=$NV_TMP/$1.shl

[program:talker]
command=$NV_TMP/talker.sh
startsecs=1
autorestart=false
stdout_events_enabled=true
stderr_events_enabled=true
exitcodes=0

[program:commer]
command=$NV_TMP/commer.sh
startsecs=0
stdout_capture_maxbytes=1024
stderr_capture_maxbytes=1024

[program:failer]
command=/bin/sh -c 'exit 1'
startsecs=10
startretries=1
EOF
}

rec_has()
{
	[ -f "$NV_TMP/$1.rec" ] && grep -q "^$2 " "$NV_TMP/$1.rec"
}

# Everything the comparison needs has arrived in run TAG.
run_settled()
{
	rec_has "$1" PROCESS_STATE_EXITED &&
	    rec_has "$1" PROCESS_STATE_FATAL &&
	    rec_has "$1" PROCESS_COMMUNICATION_STDOUT &&
	    rec_has "$1" PROCESS_COMMUNICATION_STDERR &&
	    rec_has "$1" PROCESS_LOG_STDERR &&
	    rec_has "$1" TICK_5 &&
	    [ -f "$NV_TMP/$1.shl" ] &&
	    [ "$(grep -c '^ver:' "$NV_TMP/$1.shl")" -ge 2 ]
}

run_started()
{
	[ -f "$NV_TMP/$1.log" ] &&
	    grep -q 'supervisord started with pid' "$NV_TMP/$1.log"
}

# run TAG DAEMON: start, wait until settled (ticks come every 5 s), stop.
run()
{
	conf "$1" >"$NV_TMP/$1.conf"
	nv_bg "$2" -n -c "$NV_TMP/$1.conf"
	_pid=$NV_BG_PID
	wait_until 15 run_started "$1"
	nv_poll 30 run_settled "$1" ||
	    fail "$1: listeners did not get every event; see $NV_TMP/$1.rec"
	kill -TERM "$_pid"
	wait_until 30 nv_dead "$_pid"
}

run py "$NV_PY_SUPERVISORD"
run nv "$NV_SUPERVISORD"

# Per event type: the masked records, as a sorted multiset; ticks once.
# STOPPING and STOPPED come while the listeners themselves are stopping.
masked()
{
	grep -Ev '^(~|TICK_5|PROCESS_STATE_STOPP[A-Z]*) ' "$NV_TMP/$1.rec" |
	    sort
	grep '^TICK_5 ' "$NV_TMP/$1.rec" | sort -u
}
masked py >"$NV_TMP/py.cmp"
masked nv >"$NV_TMP/nv.cmp"
if ! diff -u "$NV_TMP/py.cmp" "$NV_TMP/nv.cmp" >"$NV_TMP/cmp.diff"; then
	cat "$NV_TMP/cmp.diff" >&2
	fail "the childutils listener was sent other events under ours"
fi
grep -q LENBAD "$NV_TMP/nv.cmp" && fail "len: disagrees with the payload"
grep -q "Undecodable: b'bad " "$NV_TMP/nv.cmp" ||
    fail "undecodable stderr is not Python's repr"
grep -q 'caf\\xe9 \\u20ac ok' "$NV_TMP/nv.cmp" ||
    fail "non-ASCII stdout did not arrive as characters"

# poolserial counts 0, 1, 2, ... with nothing lost (buffer_size=1000).
for t in py nv; do
	sed -n 's/^~ poolserial //p' "$NV_TMP/$t.rec" |
	    awk '$1 != NR - 1 { exit 1 }' ||
	    fail "$t: poolserials have a gap"
done

# The shell listener's log: header lines and payloads, masked.
shl()
{
	sed -e 's/serial:[0-9]*/serial:N/g' -e 's/pid:[0-9]*/pid:N/g' \
	    -e 's/len:[0-9]*/len:N/' "$NV_TMP/$1.shl" | sort
}
shl py >"$NV_TMP/py.shl.cmp"
shl nv >"$NV_TMP/nv.shl.cmp"
diff -u "$NV_TMP/py.shl.cmp" "$NV_TMP/nv.shl.cmp" >&2 ||
    fail "the shell listener was sent other events under ours"
exit 0
