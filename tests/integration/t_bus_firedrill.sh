#!/bin/sh
# Fire drill and flight recorder. nanovisor.fireEvent publishes a
# synthetic PROCESS_STATE_EXITED for a real, running program: a
# Supervisor-style listener (supervisor.childutils) gets it with
# "synthetic:1" leading its payload, while the program stays RUNNING and
# the main log says nothing of an exit. The flight recorder file holds
# every event with a timestamp; tap --replay prints it back (text and
# JSON) and plays it to the same listener program, speaking the listener
# protocol, prefix filter included.
. "$(dirname "$0")/lib.sh"
nv_setup
NV_LOGLEVEL=info
NV_TAP=${NV_TAP:-$top_builddir/tap}
nv_need_bin "$NV_TAP"

cp "$top_srcdir/tests/integration/bus_rpc.py" "$NV_TMP/rpc.py"
rpc() { "$NV_PYTHON" "$NV_TMP/rpc.py" "$NV_SOCK" "$@"; }

cat >"$NV_TMP/listener.py" <<'EOF'
import sys
from supervisor import childutils

out = open(sys.argv[1], 'a')
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    out.write('%s serial:%s %s\n' % (headers['eventname'], headers['serial'],
                                     payload))
    out.flush()
    childutils.listener.ok(sys.stdout)
EOF

REC=$NV_TMP/flight.rec
nv_conf <<EOF
[program:idle]
command=sleep 1000
startsecs=0

[eventlistener:alert]
command=$NV_PYTHON $NV_TMP/listener.py $NV_TMP/alert.out
events=PROCESS_STATE_EXITED
EOF
sed -i "s|^\[supervisord\]\$|&\nbus_record=$REC\nbus_record_maxbytes=1MB|" "$NV_CONF"
nv_start
wait_proc_state idle RUNNING
wait_proc_state alert RUNNING

serial=$(rpc fire PROCESS_STATE_EXITED \
    '{"processname": "idle", "from_state": "RUNNING", "pid": 4242}') ||
    fail "fireEvent failed"
wait_until 20 grep -q "^PROCESS_STATE_EXITED serial:[0-9]* synthetic:1 processname:idle groupname:idle from_state:RUNNING expected:0 pid:4242\$" \
    "$NV_TMP/alert.out"
assert_proc_state idle RUNNING
assert_log_lacks 'exited: idle'
assert_log_has "fire drill: synthetic PROCESS_STATE_EXITED published, serial $serial"

# the same drill from our supervisorctl
out=$(nv_ctl firedrill PROCESS_STATE_EXITED processname=idle \
    from_state=RUNNING pid=4343) || fail "supervisorctl firedrill: $out"
case $out in
"PROCESS_STATE_EXITED: synthetic event published, serial "[0-9]*) ;;
*)	fail "supervisorctl firedrill said: $out" ;;
esac
wait_until 20 grep -q "^PROCESS_STATE_EXITED serial:[0-9]* synthetic:1 processname:idle groupname:idle from_state:RUNNING expected:0 pid:4343\$" \
    "$NV_TMP/alert.out"
out=$(nv_ctl firedrill NO_SUCH_EVENT) && fail "firedrill NO_SUCH_EVENT: exit 0"
[ "$out" = "ERROR: BAD_NAME: NO_SUCH_EVENT" ] ||
    fail "firedrill NO_SUCH_EVENT said: $out"
out=$(nv_ctl firedrill PROCESS_STATE_EXITED pid) && fail "firedrill pid: exit 0"
[ "$out" = "Error: pid is not field=value" ] || fail "firedrill pid said: $out"

# bad requests are faults, not events
"$NV_PYTHON" - "$NV_SOCK" >"$NV_TMP/faults" <<'EOF' || fail "fault checks: $(cat "$NV_TMP/faults")"
import sys, xmlrpc.client
from supervisor.xmlrpc import SupervisorTransport
t = SupervisorTransport(None, None, 'unix://' + sys.argv[1])
s = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=t)
for args in (('NO_SUCH_EVENT',), ('PROCESS_STATE_EXITED', {'from_state': 'x'}),
             ('PROCESS_STATE_EXITED', {'processname': 'a b'})):
    try:
        s.nanovisor.fireEvent(*args)
        raise SystemExit('no fault for %r' % (args,))
    except xmlrpc.client.Fault as f:
        print(f.faultCode, f.faultString)
EOF
grep -q '^10 BAD_NAME: NO_SUCH_EVENT$' "$NV_TMP/faults" || fail "faults: $(cat "$NV_TMP/faults")"

# the recorder writes within 0.2 s
wait_until 10 grep -q "^PROCESS_STATE_EXITED nv:1 serial:$serial " "$REC"
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"

grep -q '^@[0-9]*\.[0-9]\{6\} [0-9]*$' "$REC" || fail "no record header in $REC"
"$NV_TAP" --replay "$REC" >"$NV_TMP/replay.txt" || fail "tap --replay failed"
grep -q "^ver:3.0 server:supervisor serial:$serial pool:tap poolserial:[0-9]* eventname:PROCESS_STATE_EXITED len:[0-9]*\$" \
    "$NV_TMP/replay.txt" || fail "replay: no drill event"
grep -q '^ver:3.0 .* eventname:PROCESS_STATE_RUNNING ' "$NV_TMP/replay.txt" ||
    fail "replay: no real event"
grep -q '^ver:3.0 .* eventname:SUPERVISOR_STATE_CHANGE_STOPPING ' "$NV_TMP/replay.txt" ||
    fail "replay: the last events were not flushed at exit"
! grep -q '^gap not recoverable' "$NV_TMP/replay.txt" || fail "replay: a gap"
"$NV_TAP" --replay "$REC" -j -p PROCESS_STATE_EXITED >"$NV_TMP/replay.json" ||
    fail "tap --replay -j failed"
grep -q "^{\"serial\":$serial,\"eventname\":\"PROCESS_STATE_EXITED\",\"time\":[0-9.]*,\"synthetic\":true,\"headers\":{\"synthetic\":\"1\",\"processname\":\"idle\"" \
    "$NV_TMP/replay.json" || fail "replay -j: $(head -3 "$NV_TMP/replay.json")"
! grep -v '"eventname":"PROCESS_STATE_EXITED"' "$NV_TMP/replay.json" | grep -q . ||
    fail "replay -j -p: other events printed"

# to a listener command, speaking the protocol
"$NV_TAP" --replay "$REC" -p PROCESS_STATE -- "$NV_PYTHON" "$NV_TMP/listener.py" \
    "$NV_TMP/replayed.out" || fail "tap --replay to a listener failed"
grep -q "^PROCESS_STATE_EXITED serial:$serial synthetic:1 processname:idle " \
    "$NV_TMP/replayed.out" || fail "the listener did not get the drill"
grep -q '^PROCESS_STATE_RUNNING serial:[0-9]* processname:idle ' \
    "$NV_TMP/replayed.out" || fail "the listener did not get a real event"
! grep -qv '^PROCESS_STATE_' "$NV_TMP/replayed.out" ||
    fail "the listener got events outside the prefix"
exit 0
