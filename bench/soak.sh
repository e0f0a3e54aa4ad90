#!/bin/sh
# bench/soak.sh: does the daemon stay flat over a long run?
#
#  1. SOAK_CYCLES start/stop cycles (default 100,000) of one program
#     (sleep, startsecs=0) through XML-RPC on the unix socket:
#     startProcess(wait) then stopProcess(wait). Cycles per second, and
#     the daemon's RSS and open fds sampled ten times along the way.
#  2. SOAK_SECS of mixed load (default 3,600): a child writing lines,
#     20 idle programs, and a client looping over getAllProcessInfo, a
#     log tail, and a start/stop; RSS and fds sampled ten times.
#
# Both for Python 4.2.5 and ours (BENCH_IMPLS). 4.2.5 manages about one
# cycle every few seconds (its wait=true calls poll), so it runs
# SOAK_PY_CYCLES (default SOAK_CYCLES / 100, at least 20) and the RSS
# growth is compared per 1,000 cycles. Flat means the last sample is
# within a few hundred kB and a few fds of the first after warm-up.
# Shorten with SOAK_CYCLES and SOAK_SECS (BENCH_QUICK=1: 2,000 cycles,
# 20 s).

. "$(dirname "$0")/lib.sh"
bench_setup soak

if [ "$BENCH_QUICK" = 1 ]; then
	SOAK_CYCLES=${SOAK_CYCLES:-2000}
	SOAK_SECS=${SOAK_SECS:-20}
else
	SOAK_CYCLES=${SOAK_CYCLES:-100000}
	SOAK_SECS=${SOAK_SECS:-3600}
fi
SOAK_PY_CYCLES=${SOAK_PY_CYCLES:-$((SOAK_CYCLES / 100 < 20 ? 20 : SOAK_CYCLES / 100))}
SOAK_PY=${BENCH_PYTHON:-python3}

cat >"$BENCH_TMP/soak.py" <<'EOF'
import http.client, os, socket, sys, time, xmlrpc.client
sock, pid, cycles, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    float(sys.argv[4])
class C(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=120)
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(120)
        self.sock.connect(sock)
class T(xmlrpc.client.Transport):
    def make_connection(self, host):
        return C()
s = xmlrpc.client.ServerProxy("http://localhost/RPC2", transport=T())
def sample(tag, x):
    with open("/proc/%d/status" % pid) as f:
        rss = [l.split()[1] for l in f if l.startswith("VmRSS")][0]
    fds = len(os.listdir("/proc/%d/fd" % pid))
    print("%s %s %s %d" % (tag, x, rss, fds), flush=True)
step = max(1, cycles // 10)
t0 = time.monotonic()
sample("cycle", 0)
for i in range(1, cycles + 1):
    s.supervisor.startProcess("quick", True)
    s.supervisor.stopProcess("quick", True)
    if i % step == 0:
        sample("cycle", i)
print("rate %.1f" % (cycles / (time.monotonic() - t0)), flush=True)
t0 = time.monotonic()
nxt, n = 0.0, 0
while True:
    el = time.monotonic() - t0
    if el >= nxt:
        sample("time", "%.0f" % el)
        nxt += secs / 10
    if el >= secs:
        break
    s.supervisor.getAllProcessInfo()
    s.supervisor.tailProcessStdoutLog("talker", 0, 4096)
    s.supervisor.startProcess("quick", True)
    s.supervisor.stopProcess("quick", True)
    n += 1
print("mixed %d" % n, flush=True)
EOF

soak_conf()
{
	bench_conf_head "$1" 1024
	cat <<EOF
[unix_http_server]
file=$BENCH_TMP/$1/sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:quick]
command=sleep 100000
autostart=false
startsecs=0

[program:talker]
command=/bin/sh -c 'i=0; while :; do i=\$((i+1)); echo "line \$i"; sleep 0.01; done'
startsecs=0
stdout_logfile_maxbytes=1MB
stdout_logfile_backups=1

[program:idle]
command=sleep 100000
process_name=%(program_name)s_%(process_num)02d
numprocs=20
startsecs=0
EOF
}

# soak_run IMPL: leaves $BENCH_TMP/IMPL/samples
soak_run()
{
	_sr_conf=$BENCH_TMP/$1.conf
	soak_conf "$1" >"$_sr_conf" || bench_die "cannot write $_sr_conf"
	bench_sd_start "$1" "$_sr_conf"
	if ! bench_wait_log ' success: (talker|idle_[0-9]+) entered RUNNING' \
	    21 60; then
		bench_note "$1: did not start: $BENCH_SD_WHY"
		bench_sd_stop
		return 1
	fi
	_sr_n=$SOAK_CYCLES
	[ "$1" = python ] && _sr_n=$SOAK_PY_CYCLES
	bench_note "$1: $_sr_n cycles, then $SOAK_SECS s of mixed load"
	"$SOAK_PY" "$BENCH_TMP/soak.py" "$BENCH_TMP/$1/sock" "$BENCH_SD_PID" \
	    "$_sr_n" "$SOAK_SECS" >"$BENCH_TMP/$1/samples" ||
	    bench_note "$1: the client failed"
	bench_sd_stop
}

soak_get()
{
	[ -f "$BENCH_TMP/$1/samples" ] || { echo n/a; return; }
	awk -v k="$2" -v n="$3" -v c="$4" '
	$1 == k { i++; if (n == "last" || i == n) v = $c }
	END { print (v == "" ? "n/a" : v) }' "$BENCH_TMP/$1/samples"
}

for _i in $(bench_impls); do
	soak_run "$_i"
done

bench_table_head "soak: start/stop cycles (ours $SOAK_CYCLES, python" \
    "$SOAK_PY_CYCLES), then $SOAK_SECS s of mixed load"
for _k in cycle time; do
	for _n in 1 2 3 4 5 6 7 8 9 10 11; do
		_xo=$(soak_get ours "$_k" "$_n" 2)
		_xp=$(soak_get python "$_k" "$_n" 2)
		[ "$_xo" = n/a ] && [ "$_xp" = n/a ] && continue
		_u=$([ "$_k" = cycle ] && echo "cycles" || echo "s of load")
		bench_row "after $_u (ours/python)" "$_xo" "$_xp" "" ""
		bench_row "  RSS (kB)" "$(soak_get ours "$_k" "$_n" 3)" \
		    "$(soak_get python "$_k" "$_n" 3)" "" ""
		bench_row "  fds" "$(soak_get ours "$_k" "$_n" 4)" \
		    "$(soak_get python "$_k" "$_n" 4)" "" ""
		for _i in ours python; do
			bench_json impl=$_i phase="$_k" \
			    at="$(soak_get $_i "$_k" "$_n" 2)" \
			    rss_kb="$(soak_get $_i "$_k" "$_n" 3)" \
			    fds="$(soak_get $_i "$_k" "$_n" 4)"
		done
	done
done
_o_rate=$(soak_get ours rate 1 2)
_p_rate=$(soak_get python rate 1 2)
bench_row "start/stop cycles/s" "$_o_rate" "$_p_rate" \
    "$(bench_ratio "$_o_rate" "$_p_rate")" ""
bench_row "mixed-load loops" "$(soak_get ours mixed 1 2)" \
    "$(soak_get python mixed 1 2)" "" ""
# growth from the second cycle sample (after warm-up) to the last one
soak_growth()
{
	bench_calc "($(soak_get "$1" cycle last 3) - $(soak_get "$1" cycle 2 3)) * 1000 / ($(soak_get "$1" cycle last 2) - $(soak_get "$1" cycle 2 2))"
}
_o_g=$(soak_growth ours)
_p_g=$(soak_growth python)
bench_row "RSS growth per 1,000 cycles (kB)" "$(bench_fmt 1 "$_o_g")" \
    "$(bench_fmt 1 "$_p_g")" "" ""
bench_row "RSS after the load - before (kB)" \
    "$(bench_calc "$(soak_get ours time last 3) - $(soak_get ours time 1 3)")" \
    "$(bench_calc "$(soak_get python time last 3) - $(soak_get python time 1 3)")" "" ""
bench_row "fds after the load - before" \
    "$(bench_calc "$(soak_get ours time last 4) - $(soak_get ours cycle 1 4)")" \
    "$(bench_calc "$(soak_get python time last 4) - $(soak_get python cycle 1 4)")" "" ""
bench_json cycles="$SOAK_CYCLES" py_cycles="$SOAK_PY_CYCLES" secs="$SOAK_SECS" \
    ours_rate="$_o_rate" python_rate="$_p_rate" ours_growth_kb="$_o_g" \
    python_growth_kb="$_p_g"
bench_summary "soak start/stop cycles/s" "$_o_rate" "$_p_rate" \
    "$(bench_ratio "$_o_rate" "$_p_rate")" "" ""
bench_summary "soak RSS kB/1,000 cycles" "$(bench_fmt 1 "$_o_g")" \
    "$(bench_fmt 1 "$_p_g")" "" "flat" ""
