#!/bin/sh
# 1,000 idle connections, a client that leaves in the middle of a
# streamed /logtail and one that leaves during a wait=true start: the
# daemon keeps serving and the children's output keeps reaching their
# logs. supervisord runs with 1,024 file descriptors, so the idle
# connections cannot all be held at once.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
nv_conf <<EOF
[program:ticker]
command=/bin/sh -c 'i=0; while :; do i=\$((i+1)); echo "tick \$i"; sleep 0.1; done'
startsecs=0
stdout_logfile=$NV_TMP/ticker.log

[program:slow]
command=sleep 1000
startsecs=3
autostart=false
EOF
nv_start_fd_limit 1024
wait_proc_state ticker RUNNING

cat >"$NV_TMP/idle.py" <<'EOF'
import http.client, socket, sys, time, xmlrpc.client

path, log = sys.argv[1], sys.argv[2]

def check(what, cond):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)

class UnixConnection(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=20)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(20)
        self.sock.connect(path)

class UnixTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        return UnixConnection()

def proxy():
    return xmlrpc.client.ServerProxy("http://localhost/RPC2",
                                      transport=UnixTransport())

def log_lines():
    with open(log) as f:
        return sum(1 for _ in f)

# A client that reads part of a tail and goes.
c = UnixConnection()
c.request("GET", "/logtail/ticker")
r = c.getresponse()
check("logtail 200", r.status == 200)
check("logtail data", len(r.read1(10)) > 0)
c.sock.close()

# A client that goes during a wait=true start (startsecs=3).
c = UnixConnection()
body = xmlrpc.client.dumps(("slow", True), "supervisor.startProcess")
c.request("POST", "/RPC2", body, {"Content-Type": "text/xml"})
time.sleep(0.2)
c.sock.close()

# A thousand idle connections, some with half a request line.
idle = []
for i in range(1000):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    if i % 10 == 0:
        s.send(b"GET /ok")
    idle.append(s)

before = log_lines()
t0 = time.monotonic()
p = proxy()
check("getState with 1000 idle", p.supervisor.getState()["statename"]
      == "RUNNING")
for i in range(20):
    p.supervisor.getAllProcessInfo()
check("20 calls took under 15 s", time.monotonic() - t0 < 15)
deadline = time.monotonic() + 10
while log_lines() <= before + 5 and time.monotonic() < deadline:
    time.sleep(0.1)
check("the child's output kept reaching its log", log_lines() > before + 5)
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    if p.supervisor.getProcessInfo("slow")["statename"] == "RUNNING":
        break
    time.sleep(0.2)
check("slow reached RUNNING after its client left",
      p.supervisor.getProcessInfo("slow")["statename"] == "RUNNING")
for s in idle:
    s.close()
print("ok")
EOF
out=$("$NV_PYTHON" "$NV_TMP/idle.py" "$NV_SOCK" "$NV_TMP/ticker.log" 2>&1) ||
    fail "client: $out"
out=$(nv_pyctl status ticker) || fail "status after the idle clients: $out"
echo "$out" | grep -q RUNNING || fail "status: $out"
nv_alive "$NV_SD_PID" || fail "supervisord died"
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
exit 0
