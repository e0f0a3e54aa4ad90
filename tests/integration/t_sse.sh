#!/bin/sh
# GET /events with curl -N: three streams (every event; PROCESS_STATE_;
# PROCESS_STATE_RUNNING,PROCESS_GROUP_) while processes are stopped and
# started and a group is added: each message's id is its bus serial,
# serials increase, each stream holds exactly the events its filter
# names, in the order the unfiltered stream saw them, and payloads are
# Supervisor's serialization. Then a client that does not read while a
# program writes megabytes of PROCESS_LOG events: the daemon keeps
# answering XML-RPC, and the stream says which serials it missed (GAP)
# instead of dropping them silently.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
command -v curl >/dev/null 2>&1 || nv_skip "no curl"
port=$(nv_free_port)
# chatty's output stays out of the main log
NV_LOGLEVEL=info
nv_conf <<EOF
[inet_http_server]
port=127.0.0.1:$port
username=u
password=p

[program:a]
command=sleep 1000
startsecs=0

[program:b]
command=sleep 1000
startsecs=0

[program:chatty]
command=/bin/sh -c 'yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz | head -c 60000000; echo; echo DONE-MARK; sleep 1000'
autostart=false
startsecs=0
stdout_events_enabled=true
stdout_logfile=$NV_TMP/chatty.log
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=0
EOF
nv_start
wait_proc_state a RUNNING
wait_proc_state b RUNNING
url=http://u:p@127.0.0.1:$port/events

nv_bg curl -sN "$url" >"$NV_TMP/all.sse" 2>/dev/null
nv_bg curl -sN "$url?type=PROCESS_STATE_" >"$NV_TMP/state.sse" 2>/dev/null
nv_bg curl -sN "$url?type=PROCESS_STATE_RUNNING,PROCESS_GROUP_" \
    >"$NV_TMP/running.sse" 2>/dev/null
# every stream starts with its comment line once it is subscribed
hello()
{
	for f in all state running; do
		grep -q '^: nanovisor event stream' "$NV_TMP/$f.sse" || return 1
	done
}
wait_until 10 hello

cat >>"$NV_CONF" <<EOF

[program:late]
command=sleep 1000
startsecs=0
EOF
for i in 1 2 3; do
	nv_pyctl stop a >/dev/null || fail "stop a"
	nv_pyctl start a >/dev/null || fail "start a"
	nv_pyctl restart b >/dev/null || fail "restart b"
done
nv_pyctl update >/dev/null || fail "update"
wait_proc_state late RUNNING
# a, b: 3 RUNNING each; late: 1
running_seen()
{
	test "$(grep -c '"type":"PROCESS_STATE_RUNNING"' "$NV_TMP/running.sse")" \
	    -ge 7 &&
	test "$(grep -c '"type":"PROCESS_STATE_RUNNING"' "$NV_TMP/all.sse")" \
	    -ge 7 &&
	test "$(grep -c '"type":"PROCESS_STATE_RUNNING"' "$NV_TMP/state.sse")" \
	    -ge 7
}
wait_until 15 running_seen

"$NV_PYTHON" - "$NV_TMP" <<'EOF' || fail "event streams are wrong"
import json, sys
tmp = sys.argv[1]

def parse(name):
    text = open(f"{tmp}/{name}.sse", encoding="utf-8").read()
    evs = []
    for block in text.split("\n\n"):
        lines = [l for l in block.split("\n") if l and not l.startswith(":")]
        if not lines:
            continue
        f = dict(l.split(": ", 1) for l in lines)
        ev = json.loads(f["data"])
        assert int(f["id"]) == ev["serial"], (f, ev)
        evs.append(ev)
    serials = [e["serial"] for e in evs]
    assert serials == sorted(serials) and len(set(serials)) == len(serials), \
        f"{name}: serials not increasing: {serials}"
    return evs

allev, state, running = parse("all"), parse("state"), parse("running")
print(f"all {len(allev)}, state {len(state)}, running {len(running)} events")

# payloads: Supervisor's serialization, as a listener gets it
for e in state:
    assert e["type"].startswith("PROCESS_STATE_"), e
    want = f"processname:{e['processname']} groupname:{e['groupname']} " \
        f"from_state:{e['from_state']}"
    assert e["payload"].startswith(want), e

def window(evs, lo, hi):
    return [e["serial"] for e in evs if lo <= e["serial"] <= hi]

# each filter keeps exactly its events, over the span both streams saw
for evs, keep in ((state, lambda t: t.startswith("PROCESS_STATE_")),
                  (running, lambda t: t == "PROCESS_STATE_RUNNING" or
                   t.startswith("PROCESS_GROUP_"))):
    lo = max(evs[0]["serial"], allev[0]["serial"])
    hi = min(evs[-1]["serial"], allev[-1]["serial"])
    assert window(evs, lo, hi) == \
        [e["serial"] for e in allev if lo <= e["serial"] <= hi and
         keep(e["type"])], "filter mismatch"
    assert all(keep(e["type"]) for e in evs)

# the order of one process's states
a = [e["type"][14:] for e in state if e["processname"] == "a"]
assert a == ["STOPPING", "STOPPED", "STARTING", "RUNNING"] * 3, a
assert any(e["type"] == "PROCESS_GROUP_ADDED" and e["groupname"] == "late"
           for e in running), "no PROCESS_GROUP_ADDED for late"
print("ok")
EOF

# A client that does not read, with a tiny receive buffer, while
# chatty writes 60 MB as PROCESS_LOG_STDOUT events.
"$NV_PYTHON" - "$port" "$NV_TMP" <<'EOF' || fail "slow client"
import base64, json, socket, sys, time, xmlrpc.client
port, tmp = int(sys.argv[1]), sys.argv[2]
auth = base64.b64encode(b"u:p").decode()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
# HTTP/1.0: the stream is sent as is, not chunked
s.sendall(f"GET /events?type=PROCESS_LOG_STDOUT HTTP/1.0\r\nHost: x\r\n"
          f"Authorization: Basic {auth}\r\n\r\n".encode())
px = xmlrpc.client.ServerProxy(f"http://u:p@127.0.0.1:{port}/RPC2")
px.supervisor.startProcess("chatty")
# while we sleep on the stream, the daemon answers at once
worst = 0
deadline = time.time() + 60
while time.time() < deadline:
    t = time.time()
    px.supervisor.getState()
    worst = max(worst, time.time() - t)
    tail = px.supervisor.tailProcessStdoutLog("chatty", 0, 100)[0]
    if "DONE-MARK" in tail:
        break
    time.sleep(0.1)
else:
    raise SystemExit("chatty did not finish writing")
assert worst < 2.0, f"an XML-RPC call took {worst:.2f}s during the burst"
# now read what the stream has
buf = b""
s.settimeout(2)
while True:
    try:
        d = s.recv(1 << 20)
    except socket.timeout:
        break
    if not d:
        break
    buf += d
text = buf.decode("utf-8", "replace")
msgs = []
for block in text.split("\n\n"):
    for line in block.split("\n"):
        if line.startswith("data: "):
            msgs.append(json.loads(line[6:]))
gaps = [m for m in msgs if m["type"] == "GAP"]
evs = [m for m in msgs if m["type"] != "GAP"]
assert gaps, f"no GAP message among {len(msgs)}"
# events and gaps, in order, never overlap: every serial is either sent
# or reported missing, once
prev = 0
for m in msgs:
    if m["type"] == "GAP":
        assert prev < m["first"] <= m["last"], (prev, m)
        assert 1 <= m["missed"] <= m["last"] - m["first"] + 1, m
        prev = m["last"]
    else:
        assert prev < m["serial"], (prev, m["serial"])
        prev = m["serial"]
g = gaps[0]
print(f"{len(evs)} events, {len(gaps)} gap(s), first {g}, worst RPC "
      f"{worst * 1000:.0f} ms")
EOF
nv_stop
