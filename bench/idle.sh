#!/bin/sh
# bench/idle.sh: what an idle supervisord costs.
#
# 100 programs run `sleep 100000` (startsecs=1). Once the main log has a
# "success:" line for each, we sample the daemon process over a window of
# BENCH_IDLE_SECS (default 60, 10 in quick mode): its resident set
# (VmRSS, the daemon alone, not its children), the CPU it used in the
# window (utime+stime from /proc/PID/stat, in ticks; schedstat in ns as a
# finer second figure) and its wakeups per second (voluntary plus
# involuntary context switches, summed over all its threads).
#
# Goals for ours: RSS <= 1/10 of Python's, CPU <= 1/20, <= 0.25 wakeups/s.

. "$(dirname "$0")/lib.sh"
bench_setup idle

IDLE_PROGS=${BENCH_IDLE_PROGS:-100}
if [ "$BENCH_QUICK" = 1 ]; then
	IDLE_SECS=${BENCH_IDLE_SECS:-10}
else
	IDLE_SECS=${BENCH_IDLE_SECS:-60}
fi
# Let the last start-up work (log writes, timers armed at spawn) finish
# before the window opens.
IDLE_SETTLE=${BENCH_IDLE_SETTLE:-1}

idle_conf()
{
	bench_conf_head "$1" 1024
	_ic_i=0
	while [ "$_ic_i" -lt "$IDLE_PROGS" ]; do
		printf '[program:idle%03d]\ncommand=sleep 100000\n' "$_ic_i"
		printf 'startsecs=1\n\n'
		_ic_i=$((_ic_i + 1))
	done
}

# idle_run IMPL: measure IMPL; leaves IDLE_<IMPL>_<figure> variables.
idle_run()
{
	_ir_conf=$BENCH_TMP/$1.conf
	idle_conf "$1" >"$_ir_conf" || bench_die "cannot write $_ir_conf"
	bench_sd_start "$1" "$_ir_conf"
	if ! bench_wait_log ' success: idle[0-9]+ entered RUNNING' \
	    "$IDLE_PROGS" $((30 + IDLE_PROGS / 10)); then
		bench_note "$1: not all $IDLE_PROGS programs RUNNING:" \
		    "$BENCH_SD_WHY"
		eval "IDLE_$1_why=\$BENCH_SD_WHY"
		bench_sd_stop
		return 1
	fi
	sleep "$IDLE_SETTLE"
	_ir_pid=$BENCH_SD_PID
	_ir_t0=$(bench_now_ms)
	_ir_tk0=$(bench_cpu_ticks "$_ir_pid")
	_ir_ns0=$(bench_sched_ns "$_ir_pid")
	_ir_cs0=$(bench_ctxsw "$_ir_pid")
	bench_note "$1: $IDLE_PROGS programs RUNNING; sampling for" \
	    "$IDLE_SECS s"
	sleep "$IDLE_SECS"
	_ir_cs1=$(bench_ctxsw "$_ir_pid")
	_ir_ns1=$(bench_sched_ns "$_ir_pid")
	_ir_tk1=$(bench_cpu_ticks "$_ir_pid")
	_ir_t1=$(bench_now_ms)
	_ir_rss=$(bench_rss_kb "$_ir_pid")
	_ir_thr=$(bench_nthreads "$_ir_pid")
	_ir_running=$(bench_log_count ' success: idle[0-9]+ entered RUNNING')
	if ! bench_alive "$_ir_pid"; then
		eval "IDLE_$1_why='died in the window'"
		bench_sd_stop
		return 1
	fi
	bench_sd_stop
	_ir_win=$(bench_calc "($_ir_t1 - $_ir_t0) / 1000")
	_ir_rss_mb=$(bench_calc "$_ir_rss / 1024")
	_ir_cpu_s=$(bench_calc "($_ir_tk1 - $_ir_tk0) / $BENCH_TICK_HZ")
	_ir_cpu_ms=$(bench_calc "($_ir_ns1 - $_ir_ns0) / 1e6")
	_ir_wakeups=$(bench_calc "($_ir_cs1 - $_ir_cs0) / $_ir_win")
	for _ir_f in win rss_mb cpu_s cpu_ms wakeups running; do
		eval "IDLE_$1_$_ir_f=\$_ir_$_ir_f"
	done
	eval "IDLE_$1_threads=\$_ir_thr"
	return 0
}

# idle_get IMPL FIGURE: the figure, or n/a.
idle_get()
{
	eval "_ig_v=\${IDLE_$1_$2:-n/a}"
	echo "$_ig_v"
}

idle_report()
{
	_rp_o_rss=$(idle_get ours rss_mb)
	_rp_p_rss=$(idle_get python rss_mb)
	_rp_o_cpu=$(idle_get ours cpu_s)
	_rp_p_cpu=$(idle_get python cpu_s)
	_rp_o_ms=$(idle_get ours cpu_ms)
	_rp_p_ms=$(idle_get python cpu_ms)
	_rp_o_wk=$(idle_get ours wakeups)
	_rp_p_wk=$(idle_get python wakeups)
	_rp_tick=$(bench_calc "1 / $BENCH_TICK_HZ")

	_rp_r_rss=$(bench_ratio "$_rp_p_rss" "$_rp_o_rss")
	_rp_r_cpu=$(bench_ratio "$_rp_p_cpu" "$_rp_o_cpu" "$_rp_tick")
	_rp_r_ms=$(bench_ratio "$_rp_p_ms" "$_rp_o_ms")
	_rp_r_wk=$(bench_ratio "$_rp_p_wk" "$_rp_o_wk")
	_rp_v_rss=$(bench_verdict "$_rp_o_rss * 10 <= $_rp_p_rss")
	# Below one tick, schedstat decides.
	_rp_v_cpu=$(bench_verdict "$_rp_o_ms * 20 <= $_rp_p_ms")
	_rp_v_wk=$(bench_verdict "$_rp_o_wk <= 0.25")

	bench_table_head "idle: $IDLE_PROGS programs RUNNING (sleep," \
	    "startsecs=1), ${IDLE_SECS} s window; ratio = python/ours"
	bench_row "RSS of the daemon (MB)" "$(bench_fmt 1 "$_rp_o_rss")" \
	    "$(bench_fmt 1 "$_rp_p_rss")" "$_rp_r_rss" \
	    "ours <= 1/10: $_rp_v_rss"
	bench_row "CPU in window (s, stat)" "$(bench_fmt 2 "$_rp_o_cpu")" \
	    "$(bench_fmt 2 "$_rp_p_cpu")" "$_rp_r_cpu" \
	    "ours <= 1/20: $_rp_v_cpu"
	bench_row "CPU in window (ms, schedstat)" \
	    "$(bench_fmt 1 "$_rp_o_ms")" "$(bench_fmt 1 "$_rp_p_ms")" \
	    "$_rp_r_ms" ""
	bench_row "wakeups/s (context switches)" \
	    "$(bench_fmt 3 "$_rp_o_wk")" "$(bench_fmt 3 "$_rp_p_wk")" \
	    "$_rp_r_wk" "ours <= 0.25/s: $_rp_v_wk"
	bench_row "threads" "$(idle_get ours threads)" \
	    "$(idle_get python threads)" "" ""
	for _rp_i in ours python; do
		_rp_w=$(idle_get "$_rp_i" why)
		[ "$_rp_w" = n/a ] || printf '  %s: failed: %s\n' "$_rp_i" "$_rp_w"
	done

	bench_summary "idle RSS (MB)" "$(bench_fmt 1 "$_rp_o_rss")" \
	    "$(bench_fmt 1 "$_rp_p_rss")" "$_rp_r_rss" "<= 1/10" "$_rp_v_rss"
	bench_summary "idle CPU (ms in ${IDLE_SECS} s)" \
	    "$(bench_fmt 1 "$_rp_o_ms")" "$(bench_fmt 1 "$_rp_p_ms")" \
	    "$_rp_r_ms" "<= 1/20" "$_rp_v_cpu"
	bench_summary "idle wakeups/s" "$(bench_fmt 3 "$_rp_o_wk")" \
	    "$(bench_fmt 3 "$_rp_p_wk")" "$_rp_r_wk" "<= 0.25" "$_rp_v_wk"
}

for _impl in $(bench_impls); do
	if idle_run "$_impl"; then
		bench_json impl="$_impl" programs="$IDLE_PROGS" \
		    window_s="$(idle_get "$_impl" win)" \
		    running="$(idle_get "$_impl" running)" \
		    rss_mb="$(idle_get "$_impl" rss_mb)" \
		    cpu_s="$(idle_get "$_impl" cpu_s)" \
		    cpu_ms_schedstat="$(idle_get "$_impl" cpu_ms)" \
		    wakeups_per_s="$(idle_get "$_impl" wakeups)" \
		    threads="$(idle_get "$_impl" threads)"
	else
		bench_json impl="$_impl" programs="$IDLE_PROGS" \
		    error="$(idle_get "$_impl" why)"
	fi
done
idle_report
