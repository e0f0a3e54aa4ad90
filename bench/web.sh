#!/bin/sh
# bench/web.sh: the web page with 1,000 processes (BENCH_WEB_PROGS), in
# Debian's chromium driven by playwright-core (tests/web/bench.js; the
# package is installed into the build dir as t_web_browser does).
#
#  1. First contentful paint and "ready": for ours, navigation start to
#     every process row filled in from /RPC2; for 4.2.5, the load event
#     of its server-rendered page.
#  2. Ours only (4.2.5's page does not update itself): with the page
#     open, stopAllProcesses then startAllProcesses over XML-RPC, four
#     state events a process, each carried to the page by /events; the
#     events per second the page applied, and how far behind the daemon
#     it finished (lag).
#
# Both daemons get the same programs (sleep, startsecs=0, child logs on
# tmpfs as in launch.sh) and an [inet_http_server] without auth.

. "$(dirname "$0")/lib.sh"
if [ "${BENCH_WEB_DISK:-0}" != 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
bench_setup web

WEB_PROGS=${BENCH_WEB_PROGS:-1000}
[ "$BENCH_QUICK" = 1 ] && WEB_PROGS=${BENCH_WEB_PROGS:-200}
WEB_CHROMIUM=${NV_CHROMIUM:-/usr/bin/chromium}
[ -x "$WEB_CHROMIUM" ] || bench_die "no chromium ($WEB_CHROMIUM)"
command -v node >/dev/null 2>&1 || bench_die "node is missing"
command -v npm >/dev/null 2>&1 || bench_die "npm is missing"

# playwright-core, as the integration test installs it
WEB_NODE=$NV_BUILD/tests/web-node
mkdir -p "$WEB_NODE" || bench_die "mkdir $WEB_NODE"
for _f in package.json package-lock.json lib.js bench.js; do
	cp "$BENCH_TOP/tests/web/$_f" "$WEB_NODE/" || bench_die "copy $_f"
done
if ! cmp -s "$WEB_NODE/package-lock.json" "$WEB_NODE/node_modules/.nv-lock" \
    2>/dev/null; then
	(cd "$WEB_NODE" && npm ci --no-audit --no-fund --loglevel=error) \
	    >&2 || bench_die "npm ci failed"
	cp "$WEB_NODE/package-lock.json" "$WEB_NODE/node_modules/.nv-lock"
fi

# web_port: a free TCP port on 127.0.0.1
web_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

web_conf()
{
	bench_conf_head "$1" 8192
	printf '[inet_http_server]\nport=127.0.0.1:%s\n\n' "$WEB_PORT"
	printf '[rpcinterface:supervisor]\n'
	printf 'supervisor.rpcinterface_factory = '
	printf 'supervisor.rpcinterface:make_main_rpcinterface\n\n'
	_wc_i=0
	while [ "$_wc_i" -lt "$WEB_PROGS" ]; do
		printf '[program:w%04d]\ncommand=sleep 100000\n' "$_wc_i"
		printf 'startsecs=0\nstopwaitsecs=5\n\n'
		_wc_i=$((_wc_i + 1))
	done
}

# web_get IMPL KEY: a figure bench.js printed for IMPL, or n/a
web_get()
{
	_wg=$(awk -F= -v k="$2" '$1 == k { print $2 }' \
	    "$BENCH_TMP/$1/bench.out" 2>/dev/null)
	echo "${_wg:-n/a}"
}

# web_run IMPL: start the daemon, wait for every program, run bench.js
web_run()
{
	mkdir -p "$BENCH_TMP/$1"
	WEB_PORT=$(web_port) || bench_die "no free port"
	web_conf "$1" >"$BENCH_TMP/$1/supervisord.conf"
	bench_sd_start "$1" "$BENCH_TMP/$1/supervisord.conf"
	if ! bench_wait_log ' success: w[0-9]+ entered RUNNING' "$WEB_PROGS" \
	    300; then
		bench_note "$1: programs did not all start: $BENCH_SD_WHY"
		bench_sd_stop
		return 1
	fi
	bench_note "$1: $WEB_PROGS programs RUNNING; opening the page"
	NV_CHROMIUM=$WEB_CHROMIUM node "$WEB_NODE/bench.js" \
	    "http://127.0.0.1:$WEB_PORT" "$WEB_PROGS" "$1" \
	    >"$BENCH_TMP/$1/bench.out" 2>"$BENCH_TMP/$1/bench.err" ||
	    bench_note "$1: bench.js failed: $(tail -3 "$BENCH_TMP/$1/bench.err")"
	bench_sd_stop
}

for _impl in $(bench_impls); do
	web_run "$_impl"
	bench_json impl="$_impl" programs="$WEB_PROGS" \
	    fcp_ms="$(web_get "$_impl" fcp_ms)" \
	    ready_ms="$(web_get "$_impl" ready_ms)" \
	    events="$(web_get "$_impl" events)" \
	    events_secs="$(web_get "$_impl" events_secs)" \
	    events_per_s="$(web_get "$_impl" events_per_s)" \
	    lag_ms="$(web_get "$_impl" lag_ms)" \
	    rows_running="$(web_get "$_impl" rows_running)" \
	    missed="$(web_get "$_impl" missed)"
done

bench_table_head "web page, $WEB_PROGS processes (chromium, headless)"
_o_fcp=$(web_get ours fcp_ms)
_p_fcp=$(web_get python fcp_ms)
_o_rdy=$(web_get ours ready_ms)
_p_rdy=$(web_get python ready_ms)
bench_row "first contentful paint (ms)" "$(bench_fmt 0 "$_o_fcp")" \
    "$(bench_fmt 0 "$_p_fcp")" "$(bench_ratio "$_p_fcp" "$_o_fcp")" "report"
bench_row "every row on screen (ms)" "$(bench_fmt 0 "$_o_rdy")" \
    "$(bench_fmt 0 "$_p_rdy")" "$(bench_ratio "$_p_rdy" "$_o_rdy")" "report"
bench_row "state events applied/s" "$(web_get ours events_per_s)" "n/a" \
    "" "keeps up"
bench_row "  events, lag after daemon (ms)" \
    "$(web_get ours events), $(web_get ours lag_ms)" "n/a" "" ""
bench_summary "first paint, ${WEB_PROGS} procs (ms)" \
    "$(bench_fmt 0 "$_o_fcp")" "$(bench_fmt 0 "$_p_fcp")" \
    "$(bench_ratio "$_p_fcp" "$_o_fcp")" "report" ""
bench_summary "page events/s" "$(web_get ours events_per_s)" "n/a" "" \
    "keeps up" ""
