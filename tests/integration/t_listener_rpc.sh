#!/bin/sh
# Events that come from the XML-RPC API, under Python supervisord 4.2.5
# and under ours: REMOTE_COMMUNICATION (sendRemoteCommEvent, non-ASCII
# data included) and PROCESS_GROUP_ADDED/REMOVED (supervisorctl update
# after the config gained one group and lost another). The childutils
# listener must be sent the same thing by both, serials masked.
. "$(dirname "$0")/lib.sh"
nv_setup
[ -x "$NV_PY_SUPERVISORD" ] || nv_skip "no $NV_PY_SUPERVISORD"
"$NV_PYTHON" -c 'from supervisor import childutils' 2>/dev/null ||
    nv_skip "no supervisor.childutils for $NV_PYTHON"
nv_need_bin "$NV_SUPERVISORD"

cat >"$NV_TMP/rec.py" <<'EOF'
import sys
from supervisor import childutils

out = open(sys.argv[1], 'a')
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    lenok = 'lenok' if int(headers['len']) == len(payload) else 'LENBAD'
    out.write('%s server:%s pool:%s %s %s\n' % (headers['eventname'],
              headers['server'], headers['pool'], lenok, ascii(payload)))
    out.flush()
    childutils.listener.ok(sys.stdout)
EOF

cat >"$NV_TMP/send.py" <<'EOF'
import sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
t = SupervisorTransport(None, None, 'unix://' + sys.argv[1])
s = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=t)
s.supervisor.sendRemoteCommEvent('t1', 'hello \u00e9 \u20ac')
s.supervisor.sendRemoteCommEvent('multi word', 'line1\nline2\n')
EOF

# conf TAG WHICH: WHICH names the group that comes and goes.
conf()
{
	cat <<EOF
[unix_http_server]
file=$NV_TMP/$1.sock

[supervisord]
logfile=$NV_TMP/$1.log
pidfile=$NV_TMP/$1.pid
childlogdir=$NV_TMP
loglevel=debug

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$NV_TMP/$1.sock

[eventlistener:rec]
command=$NV_PYTHON $NV_TMP/rec.py $NV_TMP/$1.rec
events=REMOTE_COMMUNICATION,PROCESS_GROUP
buffer_size=100
environment=PYTHONIOENCODING="utf-8"

[program:$2]
command=/bin/sleep 1000
startsecs=0
EOF
}

rec_count()
{
	[ -f "$NV_TMP/$1.rec" ] && [ "$(grep -c "^$2 " "$NV_TMP/$1.rec")" -ge "$3" ]
}

run_started()
{
	[ -f "$NV_TMP/$1.log" ] &&
	    grep -q 'supervisord started with pid' "$NV_TMP/$1.log"
}

# run TAG DAEMON
run()
{
	conf "$1" before >"$NV_TMP/$1.conf"
	nv_bg "$2" -n -c "$NV_TMP/$1.conf"
	_pid=$NV_BG_PID
	wait_until 15 run_started "$1"
	wait_until 20 rec_count "$1" PROCESS_GROUP_ADDED 2
	"$NV_PYTHON" "$NV_TMP/send.py" "$NV_TMP/$1.sock" ||
	    fail "$1: sendRemoteCommEvent failed"
	wait_until 20 rec_count "$1" REMOTE_COMMUNICATION 2
	conf "$1" after >"$NV_TMP/$1.conf"
	"$NV_PY_CTL" -c "$NV_TMP/$1.conf" update >"$NV_TMP/$1.update" 2>&1 ||
	    fail "$1: supervisorctl update failed: $(cat "$NV_TMP/$1.update")"
	wait_until 20 rec_count "$1" PROCESS_GROUP_ADDED 3
	wait_until 20 rec_count "$1" PROCESS_GROUP_REMOVED 1
	kill -TERM "$_pid"
	wait_until 30 nv_dead "$_pid"
}

run py "$NV_PY_SUPERVISORD"
run nv "$NV_SUPERVISORD"

sort "$NV_TMP/py.rec" >"$NV_TMP/py.cmp"
sort "$NV_TMP/nv.rec" >"$NV_TMP/nv.cmp"
diff -u "$NV_TMP/py.cmp" "$NV_TMP/nv.cmp" >&2 ||
    fail "the listener was sent other events under ours"
grep -q LENBAD "$NV_TMP/nv.cmp" && fail "len: disagrees with the payload"
grep -q "REMOTE_COMMUNICATION .* 'type:t1\\\\nhello \\\\xe9 \\\\u20ac'" \
    "$NV_TMP/nv.cmp" || fail "no REMOTE_COMMUNICATION with its data"
exit 0
