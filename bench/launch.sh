#!/bin/sh
# bench/launch.sh: how long supervisord takes to bring up many programs.
#
# 1,000 programs (BENCH_LAUNCH_PROGS) run `sleep 100000` with
# startsecs=0 and minfds=8192. We time from just before the exec of the
# daemon to the time stamp of the main log's 1,000th "success:" line
# (polling the log, with a deadline). The baseline is a shell loop that
# starts the same number of `sleep`s in the background.
#
# Goals for ours: >= 10x faster than Python, at or under the shell loop.

. "$(dirname "$0")/lib.sh"
# 2,000 AUTO child logs are created per daemon. On a disk that has seen
# many files created and deleted (these benchmarks, test suites), ext4's
# inode allocator then spends most of the time skipping recently freed
# inodes, for both daemons alike. tmpfs keeps that out of the figure;
# BENCH_LAUNCH_DISK=1 measures on $TMPDIR's disk instead.
if [ "${BENCH_LAUNCH_DISK:-0}" != 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
bench_setup launch

LAUNCH_PROGS=${BENCH_LAUNCH_PROGS:-1000}
LAUNCH_DEADLINE=${BENCH_LAUNCH_DEADLINE:-120}
LAUNCH_OK=' success: l[0-9]+ entered RUNNING'
LAUNCH_SPAWNED=" spawned: 'l[0-9]+' with pid "

launch_conf()
{
	bench_conf_head "$1" 8192
	_lc_i=0
	while [ "$_lc_i" -lt "$LAUNCH_PROGS" ]; do
		printf '[program:l%04d]\ncommand=sleep 100000\n' "$_lc_i"
		printf 'startsecs=0\n\n'
		_lc_i=$((_lc_i + 1))
	done
}

# launch_line_ms REGEX N: the time stamp of the N-th main log line
# matching REGEX; the time of our last poll if that cannot be read.
launch_line_ms()
{
	_le_ms=$(bench_log_ms "$(bench_log_nth "$1" "$2")")
	case $_le_ms in
	''|*[!0-9]*)	bench_now_ms ;;
	*)		echo "$_le_ms" ;;
	esac
}

# launch_since_t0 MS: seconds from the exec of the daemon to MS.
launch_since_t0()
{
	bench_calc "($1 - $BENCH_SD_T0) / 1000"
}

# launch_run IMPL: leaves LAUNCH_<IMPL>_{s,rss_mb} or LAUNCH_<IMPL>_why.
launch_run()
{
	_lr_conf=$BENCH_TMP/$1.conf
	launch_conf "$1" >"$_lr_conf" || bench_die "cannot write $_lr_conf"
	bench_sd_start "$1" "$_lr_conf"
	if ! bench_wait_log "$LAUNCH_OK" "$LAUNCH_PROGS" "$LAUNCH_DEADLINE"
	then
		_lr_n=$(bench_log_count "$LAUNCH_OK")
		eval "LAUNCH_$1_why=\"\$BENCH_SD_WHY, \$_lr_n RUNNING\""
		bench_note "$1: $BENCH_SD_WHY with $_lr_n of $LAUNCH_PROGS" \
		    "RUNNING"
		bench_sd_stop 120
		return 1
	fi
	_lr_s=$(launch_since_t0 "$(launch_line_ms "$LAUNCH_OK" \
	    "$LAUNCH_PROGS")")
	_lr_first=$(launch_since_t0 "$(launch_line_ms "$LAUNCH_SPAWNED" 1)")
	_lr_last=$(launch_since_t0 "$(launch_line_ms "$LAUNCH_SPAWNED" \
	    "$LAUNCH_PROGS")")
	_lr_rss_mb=$(bench_calc "$(bench_rss_kb "$BENCH_SD_PID") / 1024")
	for _lr_f in s first last rss_mb; do
		eval "LAUNCH_$1_$_lr_f=\$_lr_$_lr_f"
	done
	bench_note "$1: $LAUNCH_PROGS RUNNING; stopping"
	bench_sd_stop 120
	return 0
}

# The baseline: a shell loop backgrounding the same number of sleeps.
# Its sleeps carry a mark, so cleanup finds them without a pid list
# slowing the loop down.
launch_shell()
{
	(
		BENCH_MARK=$BENCH_TMP/shell
		export BENCH_MARK
		_ls_t0=$(bench_now_ms)
		_ls_i=0
		while [ "$_ls_i" -lt "$LAUNCH_PROGS" ]; do
			sleep 100000 &
			_ls_i=$((_ls_i + 1))
		done
		_ls_t1=$(bench_now_ms)
		echo $((_ls_t1 - _ls_t0)) >"$BENCH_TMP/shell.ms"
	) </dev/null >/dev/null 2>&1
	LAUNCH_shell_s=$(bench_calc "$(cat "$BENCH_TMP/shell.ms") / 1000")
	bench_kill_marked "$BENCH_TMP/shell"
}

launch_get()
{
	eval "_lg_v=\${LAUNCH_$1_$2:-n/a}"
	echo "$_lg_v"
}

launch_report()
{
	_lp_o=$(launch_get ours s)
	_lp_p=$(launch_get python s)
	_lp_sh=$(launch_get shell s)
	_lp_r=$(bench_ratio "$_lp_p" "$_lp_o")
	_lp_v_py=$(bench_verdict "$_lp_o * 10 <= $_lp_p")
	_lp_v_sh=$(bench_verdict "$_lp_o <= $_lp_sh")

	bench_table_head "launch: $LAUNCH_PROGS programs (sleep," \
	    "startsecs=0), exec to all RUNNING; ratio = python/ours"
	bench_row "exec to all RUNNING (s)" "$(bench_fmt 3 "$_lp_o")" \
	    "$(bench_fmt 3 "$_lp_p")" "$_lp_r" "ours >= 10x faster: $_lp_v_py"
	bench_row "  of which: exec to first spawned" \
	    "$(bench_fmt 3 "$(launch_get ours first)")" \
	    "$(bench_fmt 3 "$(launch_get python first)")" "" ""
	bench_row "  of which: exec to last spawned" \
	    "$(bench_fmt 3 "$(launch_get ours last)")" \
	    "$(bench_fmt 3 "$(launch_get python last)")" "" ""
	bench_row "shell loop baseline (s)" "$(bench_fmt 3 "$_lp_sh")" \
	    "$(bench_fmt 3 "$_lp_sh")" "" "ours <= shell loop: $_lp_v_sh"
	bench_row "ours vs shell loop" \
	    "$(bench_ratio "$_lp_sh" "$_lp_o")" "" "" "(shell/ours)"
	bench_row "RSS with all RUNNING (MB)" \
	    "$(bench_fmt 1 "$(launch_get ours rss_mb)")" \
	    "$(bench_fmt 1 "$(launch_get python rss_mb)")" \
	    "$(bench_ratio "$(launch_get python rss_mb)" \
	    "$(launch_get ours rss_mb)")" ""
	for _lp_i in ours python; do
		_lp_w=$(launch_get "$_lp_i" why)
		[ "$_lp_w" = n/a ] || printf '  %s: failed: %s\n' "$_lp_i" "$_lp_w"
	done

	bench_summary "launch $LAUNCH_PROGS (s)" "$(bench_fmt 3 "$_lp_o")" \
	    "$(bench_fmt 3 "$_lp_p")" "$_lp_r" ">= 10x" "$_lp_v_py"
	bench_summary "launch vs shell loop ($(bench_fmt 3 "$_lp_sh") s)" \
	    "$(bench_fmt 3 "$_lp_o")" "" "" "<= shell" "$_lp_v_sh"
}

for _impl in $(bench_impls); do
	if launch_run "$_impl"; then
		bench_json impl="$_impl" programs="$LAUNCH_PROGS" \
		    seconds="$(launch_get "$_impl" s)" \
		    first_spawned_s="$(launch_get "$_impl" first)" \
		    last_spawned_s="$(launch_get "$_impl" last)" \
		    rss_mb="$(launch_get "$_impl" rss_mb)"
	else
		bench_json impl="$_impl" programs="$LAUNCH_PROGS" \
		    error="$(launch_get "$_impl" why)"
	fi
done
launch_shell
bench_json impl=shell programs="$LAUNCH_PROGS" seconds="$LAUNCH_shell_s"
launch_report
