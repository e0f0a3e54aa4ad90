#!/bin/sh
# bench/throughput.sh: child stdout to a log file, as fast as it goes.
#
# One program (bench/producer.c, built here with cc) writes BENCH_BYTES
# (default 2 GiB, 200 MiB in quick mode) of text to stdout in 64 KiB
# blocks and exits 0; stdout_logfile is a file in the temp dir. The
# producer parks until SIGUSR1, so the window opens when we send it and
# closes at the time stamp of the main log's "exited: prod" line (or,
# without rotation, when the log file is complete if that is later). We
# also take the daemon's CPU time (utime+stime) over the window. First
# with stdout_logfile_maxbytes=0, then rotating at 50MB with 3 backups.
# The baseline is `producer BYTES | cat >> file` in the same run, parked
# and timed the same way. Each
# run is repeated BENCH_REPEAT times (default 5, 1 in quick mode),
# interleaved in a rotating order, and the best time and the lowest CPU
# are kept: a shared machine (CPU steal, page cache coming back from the
# host after a pause) only ever makes a run slower.
#
# Goals for ours: >= 80% of the cat baseline, daemon CPU per GiB <= 1/4
# of Python's. MB are 10^6 bytes.

. "$(dirname "$0")/lib.sh"
bench_setup throughput

if [ "$BENCH_QUICK" = 1 ]; then
	TP_BYTES=${BENCH_BYTES:-209715200}
	TP_REPEAT=${BENCH_REPEAT:-1}
else
	TP_BYTES=${BENCH_BYTES:-2147483648}
	TP_REPEAT=${BENCH_REPEAT:-5}
fi
TP_PROD=$BENCH_TMP/producer
# Generous: 10 MB/s would be a daemon in trouble.
TP_DEADLINE=$((60 + TP_BYTES / 10000000))
TP_EXITED=" exited: prod \\("

tp_build()
{
	"$BENCH_CC" -O2 -o "$TP_PROD" "$BENCH_DIR/producer.c" ||
	    bench_die "cannot build $BENCH_DIR/producer.c"
}

# tp_conf IMPL MODE: a config with the one producer program.
tp_conf()
{
	bench_conf_head "$1" 1024
	cat <<EOF
[program:prod]
command=$TP_PROD -w $TP_BYTES
startsecs=0
autorestart=false
stdout_logfile=$BENCH_TMP/$1/prod.out
stderr_logfile=$BENCH_TMP/$1/prod.err
EOF
	case $2 in
	plain)	printf 'stdout_logfile_maxbytes=0\n' ;;
	rotate)	printf 'stdout_logfile_maxbytes=50MB\n'
		printf 'stdout_logfile_backups=3\n' ;;
	esac
}

tp_file_size()
{
	stat -c %s "$1" 2>/dev/null || echo 0
}

tp_file_complete()
{
	[ "$(tp_file_size "$1")" -ge "$TP_BYTES" ]
}

# True once PID runs the producer and catches SIGUSR1 (bit 10).
tp_parked()
{
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$TP_PROD" ] || return 1
	awk '$1 == "SigCgt:" {
		d = substr($2, length($2) - 2, 1)
		exit !(index("2367abefABEF", d) > 0)
	}' "/proc/$1/status" 2>/dev/null
}

# tp_fail PREFIX REASON: record why a run has no figures.
tp_fail()
{
	eval "${1}_why=\$2 ${1}_fails=\$(( \${${1}_fails:-0} + 1 ))"
	bench_note "$1: $2"
	bench_sd_stop
	return 1
}

# tp_measure IMPL MODE: one run; keeps the best figures so far in
# TP_<IMPL>_<MODE>_{secs,mbs,cpu_s,cpu_gib}, a failure in ..._why.
tp_measure()
{
	_tm_v=TP_$1_$2
	_tm_conf=$BENCH_TMP/$1-$2.conf
	_tm_out=$BENCH_TMP/$1/prod.out
	rm -rf "$BENCH_TMP/$1"
	tp_conf "$1" "$2" >"$_tm_conf" || bench_die "cannot write $_tm_conf"
	bench_sd_start "$1" "$_tm_conf"
	bench_wait_log " spawned: 'prod' with pid " 1 30 ||
	    { tp_fail "$_tm_v" "no spawn: $BENCH_SD_WHY"; return 1; }
	_tm_ppid=$(bench_log_nth " spawned: 'prod' with pid " 1 |
	    sed 's/.* with pid //')
	bench_poll 30 tp_parked "$_tm_ppid" ||
	    { tp_fail "$_tm_v" "producer never parked"; return 1; }
	_tm_tk0=$(bench_cpu_ticks "$BENCH_SD_PID")
	_tm_st0=$(bench_steal_ticks)
	_tm_t0=$(bench_now_ms)
	kill -USR1 "$_tm_ppid"
	bench_wait_log "$TP_EXITED" 1 "$TP_DEADLINE" ||
	    { tp_fail "$_tm_v" "no exit: $BENCH_SD_WHY"; return 1; }
	_tm_t1=$(bench_log_ms "$(bench_log_nth "$TP_EXITED" 1)")
	if [ "$2" = plain ] && ! tp_file_complete "$_tm_out"; then
		# Still draining the pipe: the window runs until it is done.
		bench_poll 60 tp_file_complete "$_tm_out" || {
			tp_fail "$_tm_v" \
			    "log has $(tp_file_size "$_tm_out") bytes"
			return 1
		}
		_tm_t1=$(bench_now_ms)
	fi
	_tm_tk1=$(bench_cpu_ticks "$BENCH_SD_PID")
	_tm_st1=$(bench_steal_ticks)
	_tm_status=$(bench_log_nth "$TP_EXITED" 1 | sed 's/.* exited: //')
	case $_tm_status in
	*'exit status 0;'*)	;;
	*)	tp_fail "$_tm_v" "producer: $_tm_status"
		return 1 ;;
	esac
	bench_sd_stop
	tp_store "$_tm_v" "$((_tm_t1 - _tm_t0))" "$((_tm_tk1 - _tm_tk0))" \
	    "$((_tm_st1 - _tm_st0))"
	rm -rf "$BENCH_TMP/$1"
}

# tp_store PREFIX MS TICKS STEAL: turn one window into figures and keep
# them where they beat the stored ones: time and CPU each at their best.
# STEAL (ticks the host took from us meanwhile) only goes in the note.
tp_store()
{
	_ts_secs=$(bench_calc "$2 / 1000")
	_ts_mbs=$(bench_calc "$TP_BYTES / 1e6 / $_ts_secs")
	_ts_cpu_s=$(bench_calc "$3 / $BENCH_TICK_HZ")
	_ts_cpu_gib=$(bench_calc "$_ts_cpu_s / ($TP_BYTES / 1073741824)")
	bench_note "${1#TP_}: $(bench_fmt 0 "$_ts_mbs") MB/s," \
	    "daemon CPU $(bench_fmt 2 "$_ts_cpu_s") s," \
	    "CPU steal $(bench_calc "$4 / $BENCH_TICK_HZ") s"
	eval "_ts_old=\${${1}_secs:-}"
	if [ -z "$_ts_old" ] || bench_lt "$_ts_secs" "$_ts_old"; then
		eval "${1}_secs=\$_ts_secs ${1}_mbs=\$_ts_mbs"
	fi
	eval "_ts_old=\${${1}_cpu_s:-}"
	if [ -z "$_ts_old" ] || bench_lt "$_ts_cpu_s" "$_ts_old"; then
		eval "${1}_cpu_s=\$_ts_cpu_s ${1}_cpu_gib=\$_ts_cpu_gib"
	fi
	eval "${1}_runs=\$(( \${${1}_runs:-0} + 1 ))"
}

# The baseline: the producer straight into cat, into a file, timed the
# way a daemon run is: parked first, from SIGUSR1 to the exit of cat.
# A FIFO is the same kernel pipe as `producer | cat` and gives us both
# pids. Both daemons open their logs with O_APPEND, and so does cat here:
# on ext4 a fresh file opened with O_TRUNC instead writes at half the
# speed or less.
tp_cat()
{
	_tc_f=$BENCH_TMP/cat.out
	_tc_fifo=$BENCH_TMP/cat.fifo
	rm -f "$_tc_fifo" && mkfifo "$_tc_fifo" || bench_die "mkfifo failed"
	# Marked, so an interrupted run leaves nothing behind.
	# cat's own CPU time, as `times` reports its waited child: the
	# kernel's share of the work (the copies into the page cache), which
	# a daemon cannot go below either.
	env BENCH_MARK="$BENCH_TMP/shell" sh -c 'cat "$1" >>"$2"; times >"$3"' \
	    sh "$_tc_fifo" "$_tc_f" "$BENCH_TMP/cat.times" &
	_tc_cat=$!
	env BENCH_MARK="$BENCH_TMP/shell" "$TP_PROD" -w "$TP_BYTES" \
	    >"$_tc_fifo" &
	_tc_prod=$!
	if ! bench_poll 30 tp_parked "$_tc_prod"; then
		kill -KILL "$_tc_prod" "$_tc_cat" 2>/dev/null
		wait "$_tc_prod" "$_tc_cat"
		tp_fail TP_cat "producer never parked"
		return 1
	fi
	_tc_st0=$(bench_steal_ticks)
	_tc_t0=$(bench_now_ms)
	kill -USR1 "$_tc_prod"
	wait "$_tc_cat"
	_tc_t1=$(bench_now_ms)
	_tc_st1=$(bench_steal_ticks)
	wait "$_tc_prod"
	if tp_file_complete "$_tc_f"; then
		_tc_tk=$(awk -v hz="$BENCH_TICK_HZ" 'NR == 2 {
		    t = 0
		    for (i = 1; i <= 2; i++) {
			split($i, a, "m"); sub("s", "", a[2])
			t += a[1] * 60 + a[2]
		    }
		    printf "%d\n", t * hz + 0.5 }' "$BENCH_TMP/cat.times")
		tp_store TP_cat "$((_tc_t1 - _tc_t0))" "${_tc_tk:-0}" \
		    "$((_tc_st1 - _tc_st0))"
	else
		tp_fail TP_cat "cat wrote $(tp_file_size "$_tc_f") bytes"
	fi
	rm -f "$_tc_f" "$_tc_fifo" "$BENCH_TMP/cat.times"
}

tp_get()
{
	eval "_tg_v=\${TP_$1_$2:-n/a}"
	echo "$_tg_v"
}

# tp_report_mode MODE LABEL: the rows of one mode.
tp_report_mode()
{
	_tr_o=$(tp_get "ours_$1" mbs)
	_tr_p=$(tp_get "python_$1" mbs)
	_tr_c=$(tp_get cat mbs)
	_tr_oc=$(tp_get "ours_$1" cpu_gib)
	_tr_pc=$(tp_get "python_$1" cpu_gib)
	_tr_o_pct=$(bench_calc "100 * $_tr_o / $_tr_c")
	_tr_p_pct=$(bench_calc "100 * $_tr_p / $_tr_c")
	_tr_tick=$(bench_calc "1 / $BENCH_TICK_HZ")
	_tr_v_pct=$(bench_verdict "$_tr_o_pct >= 80")
	_tr_v_cpu=$(bench_verdict "$_tr_oc * 4 <= $_tr_pc")

	bench_row "$2: MB/s" "$(bench_fmt 0 "$_tr_o")" \
	    "$(bench_fmt 0 "$_tr_p")" "$(bench_ratio "$_tr_o" "$_tr_p")" \
	    "(ours/python)"
	bench_row "$2: % of cat baseline" "$(bench_pct "$_tr_o_pct")" \
	    "$(bench_pct "$_tr_p_pct")" "" "ours >= 80%: $_tr_v_pct"
	bench_row "$2: daemon CPU s/GiB" "$(bench_fmt 3 "$_tr_oc")" \
	    "$(bench_fmt 3 "$_tr_pc")" \
	    "$(bench_ratio "$_tr_pc" "$_tr_oc" "$_tr_tick")" \
	    "ours <= 1/4: $_tr_v_cpu"

	bench_summary "$2 MB/s (% of cat)" \
	    "$(bench_fmt 0 "$_tr_o") ($(bench_pct "$_tr_o_pct"))" \
	    "$(bench_fmt 0 "$_tr_p") ($(bench_pct "$_tr_p_pct"))" \
	    "$(bench_ratio "$_tr_o" "$_tr_p")" ">= 80% of cat" "$_tr_v_pct"
	bench_summary "$2 daemon CPU s/GiB" "$(bench_fmt 3 "$_tr_oc")" \
	    "$(bench_fmt 3 "$_tr_pc")" \
	    "$(bench_ratio "$_tr_pc" "$_tr_oc" "$_tr_tick")" "<= 1/4" \
	    "$_tr_v_cpu"
}

tp_report()
{
	bench_table_head "throughput: $(bench_calc "$TP_BYTES / 1048576")" \
	    "MiB of child stdout to its log file, best of $TP_REPEAT;" \
	    "cat baseline $(bench_fmt 0 "$(tp_get cat mbs)") MB/s"
	bench_row "cat: CPU s/GiB" "$(bench_fmt 3 "$(tp_get cat cpu_gib)")" \
	    "" "" "(the floor: the kernel's copies)"
	tp_report_mode plain "no rotation"
	tp_report_mode rotate "rotate 50MB x3"
	for _rp_k in cat ours_plain python_plain ours_rotate python_rotate
	do
		_rp_w=$(tp_get "$_rp_k" why)
		[ "$_rp_w" = n/a ] || printf '  %s: %s of %s runs failed;' \
		    "$_rp_k" "$(tp_get "$_rp_k" fails)" "$TP_REPEAT"
		[ "$_rp_w" = n/a ] || printf ' last: %s\n' "$_rp_w"
	done
}

# tp_json KEY FIELD=VALUE...: the JSON line of one run.
tp_json()
{
	_tj_k=$1
	shift
	if [ "$(tp_get "$_tj_k" secs)" = n/a ]; then
		bench_json "$@" bytes="$TP_BYTES" error="$(tp_get "$_tj_k" why)"
		return
	fi
	bench_json "$@" bytes="$TP_BYTES" runs="$(tp_get "$_tj_k" runs)" \
	    failed_runs="$(tp_get "$_tj_k" fails | sed s,n/a,0,)" \
	    seconds="$(tp_get "$_tj_k" secs)" \
	    mb_per_s="$(tp_get "$_tj_k" mbs)" \
	    daemon_cpu_s="$(tp_get "$_tj_k" cpu_s)" \
	    daemon_cpu_s_per_gib="$(tp_get "$_tj_k" cpu_gib)"
}

# tp_runs: every run of one repetition, as cat or IMPL:MODE.
tp_runs()
{
	echo cat
	for _tr_mode in plain rotate; do
		for _tr_impl in $(bench_impls); do
			echo "$_tr_impl:$_tr_mode"
		done
	done
}

# tp_run RUN: do one run named as tp_runs names it.
tp_run()
{
	case $1 in
	cat)	tp_cat ;;
	*)	bench_note "${1%%:*}, ${1#*:}, run $_rep of $TP_REPEAT"
		tp_measure "${1%%:*}" "${1#*:}" ;;
	esac
}

tp_build
TP_RUNS=$(tp_runs | tr '\n' ' ')
TP_NRUNS=$(echo $TP_RUNS | wc -w)
_rep=1
while [ "$_rep" -le "$TP_REPEAT" ]; do
	# Each repetition starts one run later, so over the repetitions no
	# run always goes first, right after a pause.
	_skip=$(( (_rep - 1) % TP_NRUNS ))
	set -- $TP_RUNS
	_i=0
	while [ "$_i" -lt "$_skip" ]; do
		_r=$1
		shift
		set -- "$@" "$_r"
		_i=$((_i + 1))
	done
	for _r in "$@"; do
		tp_run "$_r"
	done
	_rep=$((_rep + 1))
done
tp_json cat impl=cat mode=baseline
for _mode in plain rotate; do
	for _impl in $(bench_impls); do
		tp_json "${_impl}_$_mode" impl="$_impl" mode="$_mode"
	done
done
tp_report
