#!/bin/sh
# bench/ctl.sh: how long `supervisorctl status` takes with 1,000 programs,
# our client beside Python's 4.2.5 client, against the same daemon.
#
# Each daemon (ours, then Python's, as BENCH_IMPLS says) runs
# BENCH_CTL_PROGS (default 1000) programs (`sleep`, startsecs=0,
# minfds=8192, child logs on tmpfs as in launch.sh) behind a unix socket.
# Once every program is RUNNING, each client runs `supervisorctl -c CONF
# status` BENCH_CTL_RUNS times (default 5, 3 in quick mode), alternating;
# the figure is the median wall time from exec to exit. A run counts only
# when it exits 0 with one RUNNING line per program.
#
# Goal for ours: >= 10x faster than Python's client against the same
# daemon. Against Python's daemon most of the time is the daemon's own
# answer, so that row is reported only.

. "$(dirname "$0")/lib.sh"
if [ "${BENCH_CTL_DISK:-0}" != 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
bench_setup ctl

CTL_PROGS=${BENCH_CTL_PROGS:-1000}
if [ "$BENCH_QUICK" = 1 ]; then
	CTL_RUNS=${BENCH_CTL_RUNS:-3}
else
	CTL_RUNS=${BENCH_CTL_RUNS:-5}
fi
CTL_OURS=${BENCH_OURS_CTL:-$NV_BUILD/supervisorctl}
CTL_PY=${BENCH_PY_CTL:-/usr/bin/supervisorctl}
CTL_DEADLINE=${BENCH_CTL_DEADLINE:-180}
CTL_OK=' success: r[0-9]+ entered RUNNING'

[ -x "$CTL_OURS" ] || bench_die "our supervisorctl is not built: $CTL_OURS"
[ -x "$CTL_PY" ] || bench_die "no Python supervisorctl: $CTL_PY"

# ctl_conf IMPL: the config, a unix socket and CTL_PROGS programs.
ctl_conf()
{
	bench_conf_head "$1" 8192
	cat <<EOF
[unix_http_server]
file=$BENCH_TMP/$1/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$BENCH_TMP/$1/supervisor.sock

EOF
	_cc_i=0
	while [ "$_cc_i" -lt "$CTL_PROGS" ]; do
		printf '[program:r%04d]\ncommand=sleep 100000\n' "$_cc_i"
		printf 'startsecs=0\n\n'
		_cc_i=$((_cc_i + 1))
	done
}

ctl_median()
{
	printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -n |
	    awk '{ v[NR] = $1 } END {
		if (NR == 0) print "n/a"
		else if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ctl_time CLIENT CONF OUT: one status run; its wall time in ms, or
# nothing when it failed.
ctl_time()
{
	_ct_t0=$(bench_now_ms)
	"$1" -c "$2" status >"$3" 2>&1
	_ct_rc=$?
	_ct_t1=$(bench_now_ms)
	_ct_n=$(grep -c ' RUNNING ' "$3")
	if [ "$_ct_rc" != 0 ] || [ "$_ct_n" != "$CTL_PROGS" ]; then
		bench_note "$1: status exit $_ct_rc, $_ct_n RUNNING lines"
		return
	fi
	echo $((_ct_t1 - _ct_t0))
}

# ctl_run IMPL: both clients against IMPL's daemon; leaves
# CTL_<IMPL>_ours_ms and CTL_<IMPL>_py_ms (medians).
ctl_run()
{
	mkdir -p "$BENCH_TMP/$1" || bench_die "mkdir failed"
	_cr_conf=$BENCH_TMP/$1/supervisord.conf
	ctl_conf "$1" >"$_cr_conf"
	bench_sd_start "$1" "$_cr_conf"
	if ! bench_wait_log "$CTL_OK" "$CTL_PROGS" "$CTL_DEADLINE"; then
		bench_note "$1: programs not running: $BENCH_SD_WHY"
		bench_sd_stop 120
		return 1
	fi
	_cr_o=
	_cr_p=
	_cr_i=0
	while [ "$_cr_i" -lt "$CTL_RUNS" ]; do
		_cr_o="$_cr_o $(ctl_time "$CTL_OURS" "$_cr_conf" \
		    "$BENCH_TMP/$1/ours.txt")"
		_cr_p="$_cr_p $(ctl_time "$CTL_PY" "$_cr_conf" \
		    "$BENCH_TMP/$1/py.txt")"
		_cr_i=$((_cr_i + 1))
	done
	bench_sd_stop 120
	eval "CTL_$1_ours_ms=\$(ctl_median $_cr_o)"
	eval "CTL_$1_py_ms=\$(ctl_median $_cr_p)"
}

ctl_get()
{
	eval "echo \${CTL_$1_$2:-n/a}"
}

for _impl in $(bench_impls); do
	ctl_run "$_impl"
	bench_json impl="$_impl" programs="$CTL_PROGS" runs="$CTL_RUNS" \
	    ours_ctl_status_ms="$(ctl_get "$_impl" ours_ms)" \
	    python_ctl_status_ms="$(ctl_get "$_impl" py_ms)"
done

bench_table_head "ctl: supervisorctl status, $CTL_PROGS programs, wall time" \
    "exec to exit (ms, median of $CTL_RUNS; ratio = python/ours)"
for _impl in $(bench_impls); do
	_o=$(ctl_get "$_impl" ours_ms)
	_p=$(ctl_get "$_impl" py_ms)
	_r=$(bench_ratio "$_p" "$_o")
	if [ "$_impl" = ours ]; then
		_v=$(bench_verdict "$_p >= 10 * $_o")
		_g="ours >= 10x: $_v"
	else
		_v=
		_g="report only"
	fi
	bench_row "status, $_impl daemon (ms)" "$(bench_fmt 0 "$_o")" \
	    "$(bench_fmt 0 "$_p")" "$_r" "$_g"
	bench_summary "status $CTL_PROGS progs, $_impl sd (ms)" \
	    "$(bench_fmt 0 "$_o")" "$(bench_fmt 0 "$_p")" "$_r" \
	    "$([ "$_impl" = ours ] && echo '>= 10x' || echo report)" "$_v"
done
