#!/bin/sh
# Supervisor 4.2.5's XML-RPC API under Python supervisord and under ours,
# on the same config, driven by the same xmlrpc.client script: every
# method, its answer and its faults must be the same once pids, times,
# dates, AUTO log names and the run's directory are masked. Arrays whose
# order depends on timing (group results) are sorted first. What ours
# does on purpose differently is checked apart, on ours alone: the
# autorestart key of getAllConfigInfo, a log slice that splits a UTF-8
# sequence (4.2.5 answers 500), and our own methodHelp texts.
. "$(dirname "$0")/lib.sh"
nv_setup
[ -x "$NV_PY_SUPERVISORD" ] || nv_skip "no $NV_PY_SUPERVISORD"
nv_need_bin "$NV_SUPERVISORD"
nv_need_bin "$NV_PYTHON"

# conf DIR [EXTRA]: the config of one run, everything under DIR.
conf()
{
	cat <<EOF
[unix_http_server]
file=$1/sock

[supervisord]
logfile=$1/main.log
pidfile=$1/sd.pid
childlogdir=$1
identifier=cmp

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:cat]
command=/bin/cat
startsecs=0
stdout_logfile=$1/cat.out
stderr_logfile=$1/cat.err

[program:sleeper]
command=/bin/sleep $2
startsecs=1
autostart=false

[program:$3]
command=/bin/true
startsecs=1
startretries=0
autostart=false

[program:missing]
command=/nonexistent/prog
autostart=false

[group:g]
programs=a,b

[program:a]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:b]
command=/bin/sleep 1000
startsecs=0
autostart=false
EOF
	[ "$4" = new ] && printf '\n[program:newprog]\ncommand=/bin/sleep 1000\nstartsecs=0\n'
}

cat >"$NV_TMP/client.py" <<'EOF'
import http.client, os, re, socket, sys, time, xmlrpc.client

d, which = sys.argv[1], sys.argv[2]

class Conn(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(d + '/sock')

class Transport(xmlrpc.client.Transport):
    def make_connection(self, host):
        return Conn('localhost')

p = xmlrpc.client.ServerProxy('http://localhost', transport=Transport())
out = open(d + '/answers', 'w')
extra = open(d + '/extra', 'w')

def mask(s):
    s = s.replace(d, 'DIR')
    s = re.sub(r"'(pid|start|stop|now)': \d+", r"'\1': N", s)
    s = re.sub(r'pid \d+, uptime \d+:\d\d:\d\d', 'pid N, uptime T', s)
    s = re.sub(r'[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M', 'DATE', s)
    s = re.sub(r'---cmp-[a-z0-9_]{8}\.log', '---cmp-X.log', s)
    return s

def norm(v):
    if isinstance(v, list) and v and all(isinstance(x, dict) and
                                         'status' in x for x in v):
        return sorted(v, key=lambda x: (x['group'], x['name']))
    return v

def ask(name, *args):
    try:
        r = getattr(p, name)(*args)
    except xmlrpc.client.Fault as f:
        r = ('FAULT', f.faultCode, f.faultString)
    return r

def show(name, *args):
    r = ask(name, *args)
    if isinstance(r, list) and r and isinstance(r[0], dict) and \
            'autorestart' in r[0]:
        extra.write('autorestart %s\n' % r[0]['autorestart'])
        for x in r:
            x.pop('autorestart', None)
    out.write(mask('%s%r => %r\n' % (name, args, norm(r))))
    return r

def wait_for(cond, secs=15):
    end = time.time() + secs
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    out.write('TIMEOUT\n')
    return False

def state(name):
    return ask('supervisor.getProcessInfo', name)['statename']

wait_for(lambda: state('cat') == 'RUNNING')
for m in ('getAPIVersion', 'getVersion', 'getSupervisorVersion',
          'getIdentification', 'getState'):
    show('supervisor.' + m)
names = ask('system.listMethods')
# our own namespace is checked apart: 4.2.5 has no nanovisor.*
extra.write('own %r\n' % [n for n in names if n.startswith('nanovisor.')])
names = [n for n in names if not n.startswith('nanovisor.')]
out.write('listMethods %r\n' % names)
for m in names:
    show('system.methodSignature', m)
extra.write('help %s\n' % ascii(ask('system.methodHelp', 'supervisor.getState')))
show('system.methodHelp', 'nope.x')
show('system.methodSignature', 'nope')
show('supervisor.nope')
show('supervisor.getState', 'x')
show('supervisor.getProcessInfo')
show('supervisor.getAllProcessInfo')
show('supervisor.getAllConfigInfo')
show('supervisor.getProcessInfo', 'cat')
show('supervisor.getProcessInfo', 'nosuch')
show('supervisor.getProcessInfo', 'g:*')
show('supervisor.getProcessInfo', 'g:zz')
show('supervisor.startProcess', 'missing')
show('supervisor.startProcess', 'nosuch')
# 4.2.5 may miss a fast exit (inventory quirk 4, fixed here): ours only
r = ask('supervisor.startProcess', 'quick')
wait_for(lambda: state('quick') in ('FATAL', 'EXITED'))
extra.write('quick %s %s\n' % (ascii(r), ascii(ask(
    'supervisor.getProcessInfo', 'quick')['description'])))
show('supervisor.startProcess', 'cat')
show('supervisor.startProcess', 'sleeper')
show('supervisor.getProcessInfo', 'sleeper')
show('supervisor.startProcess', 'sleeper')
show('supervisor.startProcessGroup', 'g')
show('supervisor.startProcess', 'g:*')
show('supervisor.stopProcess', 'g:a')
show('supervisor.getProcessInfo', 'g:a')
show('supervisor.stopProcess', 'g:')
show('supervisor.stopProcess', 'g:a')
show('supervisor.startProcessGroup', 'nosuch')
show('supervisor.stopProcessGroup', 'g')
show('supervisor.startProcess', 'g:b', False)
wait_for(lambda: state('g:b') == 'RUNNING')
show('supervisor.signalProcess', 'cat', 'BOGUS')
show('supervisor.signalProcess', 'cat', '33')
show('supervisor.signalProcess', 'g:a', 'HUP')
show('supervisor.signalProcess', 'cat', 'cont')
show('supervisor.signalProcess', 'cat', 'SIGCONT')
show('supervisor.signalProcess', 'cat', '18')
show('supervisor.signalProcess', 'g:*', 'CONT')
show('supervisor.signalProcessGroup', 'g', 'CONT')
show('supervisor.signalProcessGroup', 'nosuch', 'CONT')
show('supervisor.signalAllProcesses', 'CONT')
show('supervisor.sendProcessStdin', 'cat', 'hello\n')
wait_for(lambda: ask('supervisor.readProcessStdoutLog', 'cat', 0, 0) ==
         'hello\n')
for args in ((0, 0), (1, 3), (-3, 0), (100, 0), (-100, 0), (-1, 5),
             (0, -5)):
    show('supervisor.readProcessStdoutLog', 'cat', *args)
    show('supervisor.readProcessLog', 'cat', *args)
show('supervisor.readProcessStderrLog', 'cat', 0, 0)
show('supervisor.readProcessStdoutLog', 'nosuch', 0, 0)
for args in ((0, 3), (2, 100), (6, 10), (0, 6), (100, 5)):
    show('supervisor.tailProcessStdoutLog', 'cat', *args)
    show('supervisor.tailProcessLog', 'cat', *args)
show('supervisor.tailProcessStderrLog', 'cat', 0, 100)
show('supervisor.tailProcessStderrLog', 'nosuch', 0, 100)
show('supervisor.readLog', -1, 5)
show('supervisor.readMainLog', 0, -1)
show('supervisor.sendProcessStdin', 'sleeper', 'x')
show('supervisor.sendProcessStdin', 'nosuch', 'x')
show('supervisor.sendProcessStdin', 'missing', 'x')
show('supervisor.sendProcessStdin', 'nosuch', 5)
show('supervisor.sendProcessStdin', 'cat', True)
show('supervisor.sendProcessStdin', 'cat', 0.1)
show('supervisor.sendProcessStdin', 'cat', 3.0)
show('supervisor.clearProcessLogs', 'cat')
show('supervisor.readProcessStdoutLog', 'cat', 0, 0)
show('supervisor.clearProcessLog', 'nosuch')
show('supervisor.clearAllProcessLogs')
show('supervisor.clearLog')
show('supervisor.sendRemoteCommEvent', 'type', 'data')
show('system.multicall', [
    {'methodName': 'supervisor.getAPIVersion'},
    {'methodName': 'nope.x', 'params': []},
    {'params': []},
    {'methodName': 'system.multicall', 'params': [[]]},
    {'methodName': 'supervisor.startProcess', 'params': ['sleeper']},
    {'methodName': 'supervisor.getProcessInfo', 'params': ['nosuch']}])
show('supervisor.stopProcess', 'sleeper')
show('system.multicall', [
    {'methodName': 'supervisor.startProcess', 'params': ['sleeper']},
    {'methodName': 'supervisor.getProcessInfo', 'params': ['sleeper']}])

# ours only: a slice that splits the UTF-8 of an e acute
ask('supervisor.clearProcessLogs', 'cat')
ask('supervisor.sendProcessStdin', 'cat', 'caf\u00e9')
wait_for(lambda: ask('supervisor.readProcessStdoutLog', 'cat', 0, 0) ==
         'caf\u00e9')
if which == 'nv':
    extra.write('slice %s\n' % ascii(ask('supervisor.readProcessStdoutLog',
                                   'cat', 0, 4)))
    extra.write('tail %s\n' % ascii(ask('supervisor.tailProcessStdoutLog',
                                  'cat', 0, 1)))

# reload: the config is rewritten before this point (see the .sh)
open(d + '/reload-now', 'w').close()
wait_for(lambda: os.path.exists(d + '/reload-done'), 60)
show('supervisor.reloadConfig')
show('supervisor.addProcessGroup', 'newprog')
show('supervisor.addProcessGroup', 'newprog')
show('supervisor.addProcessGroup', 'nosuch')
wait_for(lambda: state('newprog') == 'RUNNING')
show('supervisor.removeProcessGroup', 'newprog')
show('supervisor.removeProcessGroup', 'quick')
show('supervisor.removeProcessGroup', 'quick')
show('supervisor.getAllProcessInfo')
show('supervisor.stopAllProcesses')
show('supervisor.stopAllProcesses')
show('supervisor.shutdown')
out.close()
extra.close()
EOF

reload_asked()
{
	[ -f "$1/reload-now" ]
}

# run TAG DAEMON: start on the first config, drive the client, rewrite the
# config when it asks, wait for the daemon to exit after shutdown.
run()
{
	_d=$NV_TMP/$1
	mkdir -p "$_d" || fail "mkdir $_d"
	conf "$_d" 1000 quick >"$_d/sd.conf"
	nv_bg "$2" -n -c "$_d/sd.conf" >"$_d/out" 2>&1
	_pid=$NV_BG_PID
	wait_until 15 test -S "$_d/sock"
	"$NV_PYTHON" "$NV_TMP/client.py" "$_d" "$1" &
	_cpid=$!
	wait_until 60 reload_asked "$_d"
	conf "$_d" 1001 quiek new >"$_d/sd.conf.new"
	mv "$_d/sd.conf.new" "$_d/sd.conf"
	echo ok >"$_d/reload-done"
	wait "$_cpid" || fail "$1: the client failed"
	wait_until 30 nv_dead "$_pid"
}

run py "$NV_PY_SUPERVISORD"
run nv "$NV_SUPERVISORD"

if ! diff -u "$NV_TMP/py/answers" "$NV_TMP/nv/answers" >"$NV_TMP/diff"; then
	cat "$NV_TMP/diff"
	fail "the answers differ (py then nv)"
fi
grep -q TIMEOUT "$NV_TMP/nv/answers" && fail "a wait timed out"
grep -q '^autorestart unexpected$' "$NV_TMP/nv/extra" ||
    fail "getAllConfigInfo has no autorestart"
grep -q "^slice 'caf\\\\ufffd'$" "$NV_TMP/nv/extra" ||
    fail "a split UTF-8 slice: $(grep '^slice' "$NV_TMP/nv/extra")"
grep -q "^tail \\['\\\\ufffd', 5, True\\]$" "$NV_TMP/nv/extra" ||
    fail "a split UTF-8 tail: $(grep '^tail' "$NV_TMP/nv/extra")"
grep -q '^help .*statecode' "$NV_TMP/nv/extra" || fail "no methodHelp text"
grep -q "^own \['nanovisor.fireEvent', 'nanovisor.getBusInfo', 'nanovisor.getEvents'\]\$" \
    "$NV_TMP/nv/extra" || fail "own methods: $(grep '^own' "$NV_TMP/nv/extra")"
grep -q "^quick ('FAULT', 50, 'SPAWN_ERROR: quick') 'Exited too quickly" \
    "$NV_TMP/nv/extra" || fail "quick: $(grep '^quick' "$NV_TMP/nv/extra")"
exit 0
