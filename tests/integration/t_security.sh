#!/bin/sh
# Security: the unix socket's chmod= and chown= are honoured; passwords
# (right or wrong, plain or in an Authorization header) never reach a
# log, even at loglevel=blather; run as root, a config file that other
# users may write is refused, at start and at SIGHUP. (user= switching
# with a real unprivileged user: t_user.sh.)
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
root=false
[ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && root=true
port=$(nv_free_port)
NV_LOGLEVEL=blather
nv_conf_base | sed '/^file=/a\
chmod=0660\
username=alice\
password=Sekr1tPass' >"$NV_CONF"
$root && sed -i '/^chmod=0660$/a\
chown=nobody:nogroup' "$NV_CONF"
cat >>"$NV_CONF" <<EOF
[inet_http_server]
port=127.0.0.1:$port
username=bob
password={SHA}$(printf 'Inet0nlyPass' | sha1sum | cut -d' ' -f1)

[program:echo]
command=/bin/sh -c 'echo started; exec sleep 1000'
startsecs=0
stdout_logfile=$NV_TMP/echo.log
EOF
chmod 600 "$NV_CONF"

nv_start
wait_proc_state echo RUNNING
[ "$(stat -c %a "$NV_SOCK")" = 660 ] ||
    fail "socket mode $(stat -c %a "$NV_SOCK"), expected 660"
if $root; then
	[ "$(stat -c %U:%G "$NV_SOCK")" = nobody:nogroup ] ||
	    fail "socket owner $(stat -c %U:%G "$NV_SOCK")"
fi

cat >"$NV_TMP/auth.py" <<'EOF'
import base64, http.client, socket, sys, xmlrpc.client
path, port = sys.argv[1], int(sys.argv[2])
class U(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=10)
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
def call(conn, user, pw, method="supervisor.getState", args=()):
    body = xmlrpc.client.dumps(args, method)
    h = {"Content-Type": "text/xml"}
    if user is not None:
        h["Authorization"] = "Basic " + base64.b64encode(
            ("%s:%s" % (user, pw)).encode()).decode()
    conn.request("POST", "/RPC2", body, h)
    r = conn.getresponse()
    r.read()
    return r.status
def inet():
    return http.client.HTTPConnection("127.0.0.1", port, timeout=10)
def raw(conn, auth):
    # a header as given: 4.2.5 answers 400 when it cannot decode it
    conn.request("GET", "/", headers={"Authorization": auth})
    r = conn.getresponse()
    r.read()
    return r.status
res = [
    call(U(), "alice", "Sekr1tPass"),
    call(U(), "alice", "Wr0ngGuess"),
    call(U(), "Sekr1tPass", "Sekr1tPass"),
    call(U(), None, None),
    call(inet(), "bob", "Inet0nlyPass"),
    call(inet(), "bob", "Wr0ngGuess"),
    call(U(), "alice", "Sekr1tPass", "supervisor.readLog", (0, 0)),
    raw(U(), "Basic YWxpY2U6U2Vrcj"),
    raw(U(), "basic " + base64.b64encode(b"alice:Sekr1tPass").decode()),
]
print(" ".join(map(str, res)))
EOF
got=$("$NV_PYTHON" "$NV_TMP/auth.py" "$NV_SOCK" "$port") || fail "client: $got"
[ "$got" = "200 401 401 401 200 401 200 400 200" ] || fail "statuses: $got"
for secret in Sekr1tPass Wr0ngGuess Inet0nlyPass YWxpY2U6U2Vrcj \
    "$(printf alice:Sekr1tPass | base64)" "$(printf bob:Wr0ngGuess | base64)"; do
	if grep -rl -F -- "$secret" "$NV_LOG" "$NV_SD_OUT" "$NV_TMP"/*.log \
	    >/dev/null 2>&1; then
		# the one place it may appear: the config itself
		fail "'$secret' found in: $(grep -rl -F -- "$secret" \
		    "$NV_LOG" "$NV_SD_OUT" "$NV_TMP"/*.log | tr '\n' ' ')"
	fi
done
nv_stop

$root || { nv_note "not root: config mode checks skipped"; exit 0; }
# a config file others may write: refused at start...
chmod 666 "$NV_CONF"
out=$("$NV_SUPERVISORD" -n -c "$NV_CONF" 2>&1) && fail "started with a 0666 config"
case $out in
*"is writable by other users: refusing it as root"*) ;;
*) fail "start with a 0666 config said: $out" ;;
esac
# ...and at SIGHUP, where the running config is kept
chmod 644 "$NV_CONF"
nv_start
wait_proc_state echo RUNNING
chmod 646 "$NV_CONF"
kill -HUP "$NV_SD_PID"
wait_log 'ERRO reload aborted, keeping the running configuration: config file .* is writable by other users' 10
nv_alive "$NV_SD_PID" || fail "supervisord died"
nv_stop
