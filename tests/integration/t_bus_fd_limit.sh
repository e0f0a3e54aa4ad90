#!/bin/sh
# The external bus endpoint at the fd limit: supervisord runs with 64
# file descriptors and 100 connections arrive on its ipc:// endpoint
# that never send their SP header. Once the fds are gone accept fails:
# the daemon says so once, pauses accepting instead of spinning, and
# after 5 s drops the silent connections it took. When the connections
# go, RPC answers and a real subscriber gets in and receives an event.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
NV_LOGLEVEL=info
BUS=$NV_TMP/bus.ipc
nv_conf <<EOF
[supervisord]
minfds=32

[program:idle]
command=sleep 1000
startsecs=0
EOF
sed -i "s|^\[supervisord\]\$|&\nbus_endpoint=ipc://$BUS|" "$NV_CONF"
cp "$top_srcdir/tests/integration/bus_rpc.py" "$NV_TMP/rpc.py"
rpc() { "$NV_PYTHON" "$NV_TMP/rpc.py" "$NV_SOCK" "$@"; }

nv_start_fd_limit 64

# hold.py: 100 silent connections; prints how many, then "dropped" when
# the daemon closes one (its 5 s wait for the header is over); holds
# the rest until stdin closes.
cat >"$NV_TMP/hold.py" <<'EOF'
import select, socket, sys
held = []
for i in range(100):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(2)
    try:
        s.connect(sys.argv[1])
    except OSError:
        break
    held.append(s)
print(len(held), flush=True)
while True:
    r, _, _ = select.select(held, [], [], 30)
    if any(x.recv(64) == b"" for x in r):
        break
print("dropped", flush=True)
sys.stdin.read()
EOF
mkfifo "$NV_TMP/hold.in"
ticks0=$(awk '{ print $14 + $15 }' "/proc/$NV_SD_PID/stat")
"$NV_PYTHON" "$NV_TMP/hold.py" "$BUS" <"$NV_TMP/hold.in" \
    >"$NV_TMP/hold.out" &
HOLD=$!
NV_BG_PIDS="$NV_BG_PIDS $HOLD"
exec 7>"$NV_TMP/hold.in"
wait_log 'bus: external endpoint: accept: Too many open files'
# some 5 s at the limit, until the first silent connection is dropped
wait_until 30 grep -q '^dropped$' "$NV_TMP/hold.out"
ticks=$(( $(awk '{ print $14 + $15 }' "/proc/$NV_SD_PID/stat") - ticks0 ))
lines=$(grep -c 'bus: external endpoint: accept' "$NV_LOG")
nv_note "$(head -n 1 "$NV_TMP/hold.out") connections held; $lines" \
    "accept errors logged, $ticks ticks of CPU"
# once, and perhaps once more as the drop frees fds and they run out again
[ "$lines" -le 2 ] || fail "$lines accept error lines in the main log"
[ "$ticks" -lt 100 ] ||
    fail "supervisord used $ticks ticks of CPU at the fd limit"
exec 7>&-
wait_until 10 nv_dead "$HOLD"
wait_until 20 rpc serial

# sub.py: a SUB by hand; prints the first REMOTE_COMMUNICATION message.
cat >"$NV_TMP/sub.py" <<'EOF'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(30)
s.connect(sys.argv[1])
s.sendall(b"\0SP\0\0\x21\0\0")
def take(n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            sys.exit("end of file")
        b += c
    return b
assert take(8) == b"\0SP\0\0\x20\0\0"
while True:
    t, n = struct.unpack(">BQ", take(9))
    m = take(n)
    if m.startswith(b"REMOTE_COMMUNICATION "):
        print(m.split(b"\n")[0].decode(), flush=True)
        break
EOF
subscribed() { [ "$(rpc subscribers)" = 1 ]; }
"$NV_PYTHON" "$NV_TMP/sub.py" "$BUS" >"$NV_TMP/sub.out" 2>&1 &
SUB=$!
NV_BG_PIDS="$NV_BG_PIDS $SUB"
wait_until 20 subscribed
serial=$(rpc one)
wait_until 20 nv_dead "$SUB"
grep -q "^REMOTE_COMMUNICATION nv:1 serial:$serial " "$NV_TMP/sub.out" ||
    fail "the subscriber got: $(cat "$NV_TMP/sub.out")"
nv_alive "$NV_SD_PID" || fail "supervisord died"
nv_stop
