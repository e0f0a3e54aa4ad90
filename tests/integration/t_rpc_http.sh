#!/bin/sh
# The HTTP server of the real supervisord, driven by Python's xmlrpc.client
# and urllib: the unix socket (with {SHA} auth) and 127.0.0.1 (plaintext
# auth) at once, keep-alive, 401, a wait=true start, /ok.html, /logtail,
# /mainlogtail, 404s, shutdown over XML-RPC and the socket file unlinked.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
port=$(nv_free_port)
# sha1("s3cret")
sha=$(printf s3cret | sha1sum | cut -d' ' -f1)
nv_conf_raw <<EOF
[unix_http_server]
file=$NV_SOCK
username=alice
password={SHA}$sha

[inet_http_server]
port=127.0.0.1:$port
username=bob
password=plain

[supervisord]
logfile=$NV_LOG
pidfile=$NV_TMP/supervisord.pid
childlogdir=$NV_TMP
loglevel=trace

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$NV_SOCK
username=alice
password=s3cret

[program:ticker]
command=/bin/sh -c 'i=0; while :; do i=\$((i+1)); echo "tick \$i"; sleep 0.2; done'
startsecs=0

[program:slow]
command=sleep 1000
startsecs=1
autostart=false
EOF
nv_start
wait_proc_state ticker RUNNING
assert_log_has "INFO RPC interface 'supervisor' initialized"
assert_log_lacks "running without any HTTP authentication checking"

cat >"$NV_TMP/client.py" <<'EOF'
import http.client, socket, sys, time, urllib.request, urllib.error
import xmlrpc.client

sock, port, sdpid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.unix_path = path
        self.connects = 0

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)
        self.connects += 1

class UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path):
        super().__init__()
        self.conn = UnixConnection(path)

    def make_connection(self, host):
        # The base class takes the credentials out of host here.
        _, self._extra_headers, _ = self.get_host_info(host)
        return self.conn

def check(what, cond):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)

# Unix socket, {SHA} password; twenty calls on one connection.
t = UnixTransport(sock)
u = xmlrpc.client.ServerProxy("http://alice:s3cret@localhost/RPC2",
                              transport=t)
for i in range(20):
    check("getState over unix", u.supervisor.getState() ==
          {"statecode": 1, "statename": "RUNNING"})
check("one connection for twenty calls", t.conn.connects == 1)
check("getPID", u.supervisor.getPID() == sdpid)

# Wrong password on the unix socket: 401.
bad = xmlrpc.client.ServerProxy("http://alice:nope@localhost/RPC2",
                                transport=UnixTransport(sock))
try:
    bad.supervisor.getState()
    check("401 for a wrong password", False)
except xmlrpc.client.ProtocolError as e:
    check("401 for a wrong password", e.errcode == 401)

# 127.0.0.1, plaintext password.
i = xmlrpc.client.ServerProxy("http://bob:plain@127.0.0.1:%d/RPC2" % port)
check("getState over inet", i.supervisor.getState()["statename"] == "RUNNING")
try:
    xmlrpc.client.ServerProxy("http://127.0.0.1:%d/RPC2" % port) \
        .supervisor.getState()
    check("401 without credentials", False)
except xmlrpc.client.ProtocolError as e:
    check("401 without credentials", e.errcode == 401)
    check("realm", e.headers.get("WWW-Authenticate") ==
          'Basic realm="default"')

# wait=true: answered once slow is RUNNING (startsecs=1), the server
# serving others meanwhile.
t0 = time.monotonic()
check("startProcess wait", i.supervisor.startProcess("slow", True) is True)
check("start waited for startsecs", time.monotonic() - t0 >= 0.9)
check("slow RUNNING", i.supervisor.getProcessInfo("slow")["statename"]
      == "RUNNING")
check("stopProcess wait", i.supervisor.stopProcess("slow", True) is True)
check("slow STOPPED", i.supervisor.getProcessInfo("slow")["statename"]
      == "STOPPED")

# GET endpoints over inet.
pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()
pm.add_password(None, "http://127.0.0.1:%d/" % port, "bob", "plain")
op = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(pm))
base = "http://127.0.0.1:%d" % port
r = op.open(base + "/ok.html", timeout=10)
check("ok.html", r.status == 200 and r.read() == b"OK")
r = op.open(base + "/logtail/ticker", timeout=10)
check("logtail type", r.headers["Content-Type"] == "text/plain;charset=utf-8")
check("logtail buffering", r.headers["X-Accel-Buffering"] == "no")
first = r.readline()
check("logtail first line", first.startswith(b"tick"))
# Following: lines written after we connected keep coming.
seen = set()
deadline = time.monotonic() + 10
while len(seen) < 3 and time.monotonic() < deadline:
    seen.add(r.readline())
check("logtail follows", len(seen) >= 3)
r.close()
r = op.open(base + "/mainlogtail", timeout=10)
check("mainlogtail", r.status == 200 and len(r.readline()) > 0)
r.close()
for path in ("/logtail/nosuch", "/logtail/ticker/other", "/nothing"):
    try:
        op.open(base + path, timeout=10)
        check("404 " + path, False)
    except urllib.error.HTTPError as e:
        check("404 " + path, e.code == 404)

# Shutdown over XML-RPC: answered, then supervisord goes.
check("shutdown", u.supervisor.shutdown() is True)
print("client ok")
EOF

out=$("$NV_PYTHON" "$NV_TMP/client.py" "$NV_SOCK" "$port" "$NV_SD_PID" 2>&1) ||
    fail "client: $out"
wait_until 30 nv_dead "$NV_SD_PID"
wait "$NV_SD_PID"
[ $? -eq 0 ] || fail "supervisord exited non-zero after shutdown"
NV_SD_PID=
[ ! -e "$NV_SOCK" ] || fail "socket file left after shutdown"
assert_log_has 'TRAC 127.0.0.1:[0-9]* - - \[.*\] "POST /RPC2 HTTP/1.1" 200'
assert_log_has 'TRAC localhost:0 - - \[.*\] "POST /RPC2 HTTP/1.1" 401'
assert_log_has '"GET /logtail/nosuch HTTP/1.1" 404'
exit 0
