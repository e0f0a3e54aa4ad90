#!/bin/sh
# bench/listeners.sh: events through event listener pools.
#
# Three set-ups, each run on both daemons in turn:
#
#  py1, py4	20 programs (bench/linewriter.c, built here with cc: line
#		buffered, one write(2) a line, as fast as the pipe takes
#		them; the pipe in packet mode, so each line is one read and
#		one PROCESS_LOG event on both daemons, not a 64 KiB lump)
#		with stdout_events_enabled=true and no log file, into a
#		PROCESS_LOG pool of 1, then 4, minimal Python listeners
#		(READY, header, payload, OK, in /usr/bin/python3; each
#		writes its count and a time stamp to a file once a second).
#  c4		the same writers into a pool of 4 scripts/listener_ok, the
#		fast C listener; its count is the write(2) calls it made
#		(/proc/PID/io syscw: two per event). buffer_size is large
#		and the main log's "buffer overflowed" lines are counted
#		(in every set-up: the writers outrun any listener, so the
#		pools overflow; a discarded event is CPU spent for nothing).
#  flap		one program that exits at once (autorestart=true,
#		startsecs=0) and a pool of 1 listener_ok on PROCESS_STATE.
#
# The writers run under nice -n 19 (BENCH_LSN_NICE): they still write as
# fast as they can, but cannot starve the daemon and the listeners of
# the CPU on a small machine. Once events flow to every listener, the
# window opens: BENCH_LSN_SECS (default 10, 3 in quick mode; flap
# BENCH_LSN_FLAP_SECS, default 5).
# Figures: events/s the listeners acknowledged and daemon CPU time
# (utime+stime from /proc) per delivered event, in µs, and the main
# log's overflow lines. BENCH_LSN_WRITERS (20) and BENCH_LSN_BUFFER
# (buffer_size, 100000) change the set-up.
#
# Goals for ours: CPU per event <= 1/10 of Python's with the Python
# listeners; >= 150,000 events/s into 4 C listeners with no overflow;
# >= 10x Python's PROCESS_STATE events/s while a program flaps.

. "$(dirname "$0")/lib.sh"
bench_setup listeners

if [ "$BENCH_QUICK" = 1 ]; then
	LS_SECS=${BENCH_LSN_SECS:-3}
	LS_FLAP_SECS=${BENCH_LSN_FLAP_SECS:-2}
else
	LS_SECS=${BENCH_LSN_SECS:-10}
	LS_FLAP_SECS=${BENCH_LSN_FLAP_SECS:-5}
fi
LS_WRITERS=${BENCH_LSN_WRITERS:-20}
LS_BUFFER=${BENCH_LSN_BUFFER:-100000}
# Niceness of the writers: 20 of them on a small machine would otherwise
# take the CPU the daemon and the listeners need to deliver anything.
LS_NICE=${BENCH_LSN_NICE:-19}
LS_COK=$NV_BUILD/scripts/listener_ok
LS_WRITER=$BENCH_TMP/linewriter
LS_PYLSN=$BENCH_TMP/listener.py
LS_PYTHON=${BENCH_PYTHON:-/usr/bin/python3}
LS_OVERFLOW="event buffer overflowed"
# The flapping program's starts, from the main log.
LS_SPAWNED=" spawned: 'flap' with pid "

ls_build()
{
	"$BENCH_CC" -O2 -o "$LS_WRITER" "$BENCH_DIR/linewriter.c" ||
	    bench_die "cannot build $BENCH_DIR/linewriter.c"
	[ -x "$LS_COK" ] || bench_die "no $LS_COK: make check TESTS= in" \
	    "$NV_BUILD builds it"
	# Count file: "PID COUNT TIME", replaced whole once a second.
	cat >"$LS_PYLSN" <<'PYEOF'
import os, sys, time

def dump(path, count):
    with open(path + ".tmp", "w") as f:
        f.write("%d %d %.6f\n" % (os.getpid(), count, time.time()))
    os.replace(path + ".tmp", path)

def main():
    path = "%s.%d" % (sys.argv[1], os.getpid())
    count, last = 0, 0.0
    while True:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            return
        hdr = dict(t.split(":", 1) for t in line.split())
        sys.stdin.read(int(hdr["len"]))
        sys.stdout.write("RESULT 2\nOK")
        sys.stdout.flush()
        count += 1
        now = time.monotonic()
        if now - last >= 1.0:
            dump(path, count)
            last = now

main()
PYEOF
}

# ls_conf IMPL SETUP: the config of one run.
ls_conf()
{
	bench_conf_head "$1" 1024
	if [ "$2" = flap ]; then
		cat <<EOF
[program:flap]
command=/bin/true
startsecs=0
autorestart=true
stdout_logfile=NONE
stderr_logfile=NONE

[eventlistener:lsn]
command=$LS_COK
events=PROCESS_STATE
buffer_size=$LS_BUFFER
stderr_logfile=$BENCH_TMP/$1/lsn.err
EOF
		return
	fi
	cat <<EOF
[program:w]
command=/usr/bin/nice -n $LS_NICE $LS_WRITER
process_name=w_%(process_num)02d
numprocs=$LS_WRITERS
startsecs=0
autorestart=false
stdout_events_enabled=true
stdout_logfile=NONE
stderr_logfile=NONE

[eventlistener:lsn]
process_name=lsn_%(process_num)d
events=PROCESS_LOG
buffer_size=$LS_BUFFER
stderr_logfile=$BENCH_TMP/$1/lsn_%(process_num)d.err
EOF
	case $2 in
	py1)	printf 'command=%s %s %s\nnumprocs=1\n' "$LS_PYTHON" \
		    "$LS_PYLSN" "$BENCH_TMP/$1/cnt" ;;
	py4)	printf 'command=%s %s %s\nnumprocs=4\n' "$LS_PYTHON" \
		    "$LS_PYLSN" "$BENCH_TMP/$1/cnt" ;;
	c4)	printf 'command=%s\nnumprocs=4\n' "$LS_COK" ;;
	esac
}

ls_npool()
{
	case $1 in
	py4|c4)	echo 4 ;;
	*)	echo 1 ;;
	esac
}

# The daemon's listener_ok children.
ls_c_pids()
{
	for _cp in $(bench_marked_pids "$BENCH_SD_MARK"); do
		[ "$(readlink "/proc/$_cp/exe" 2>/dev/null)" = "$LS_COK" ] &&
		    echo "$_cp"
	done
}

# Events the C listeners acknowledged so far: each one wrote READY and
# RESULT for every event, and the READY of the event it waits for now.
ls_c_count()
{
	for _cc in $(ls_c_pids); do
		cat "/proc/$_cc/io" 2>/dev/null
	done | awk '$1 == "syscw:" { n += int(($2 - 1) / 2) }
	    END { print n + 0 }'
}

# ls_flowing_end: 0 when the daemon died (no point waiting), else 1.
ls_flowing_end()
{
	bench_sd_running
	[ $? = 2 ]
}

# True once N C listeners each took an event.
ls_c_flowing()
{
	_cf_n=0
	for _cf in $(ls_c_pids); do
		awk '$1 == "syscw:" { exit !($2 >= 3) }' "/proc/$_cf/io" \
		    2>/dev/null && _cf_n=$((_cf_n + 1))
	done
	[ "$_cf_n" -ge "$1" ] || ls_flowing_end
}

# True once N Python listeners of IMPL wrote a count file.
ls_py_flowing()
{
	[ "$(ls_py_snap "$2" | wc -l)" -ge "$1" ] || ls_flowing_end
}

# ls_py_snap IMPL: the count files as they are now, one line each.
ls_py_snap()
{
	for _ps in "$BENCH_TMP/$1"/cnt.*; do
		case $_ps in
		*.tmp|*'*')	;;
		*)	cat "$_ps" 2>/dev/null ;;
		esac
	done
}

# ls_py_rate SNAP0 SNAP1: events/s summed over the listeners, each one's
# rate taken between its own two time stamps.
ls_py_rate()
{
	printf '%s\n--\n%s\n' "$1" "$2" | awk '
	$1 == "--" { second = 1; next }
	!second { c0[$1] = $2; t0[$1] = $3; next }
	($1 in t0) && $3 > t0[$1] { r += ($2 - c0[$1]) / ($3 - t0[$1]) }
	END { printf "%.1f\n", r }'
}

# ls_fail PREFIX REASON: record why a run has no figures.
ls_fail()
{
	eval "${1}_why=\$2"
	bench_note "$1: $2"
	bench_sd_stop
	return 1
}

# ls_count IMPL SETUP: the listeners' count now (a snapshot for py*).
ls_count()
{
	case $2 in
	py*)	ls_py_snap "$1" ;;
	*)	ls_c_count ;;
	esac
}

# ls_measure IMPL SETUP: one run; figures in LS_<IMPL>_<SETUP>_*.
ls_measure()
{
	_lm_v=LS_$1_$2
	_lm_conf=$BENCH_TMP/$1-$2.conf
	_lm_n=$(ls_npool "$2")
	_lm_secs=$LS_SECS
	[ "$2" = flap ] && _lm_secs=$LS_FLAP_SECS
	rm -rf "$BENCH_TMP/$1"
	ls_conf "$1" "$2" >"$_lm_conf" || bench_die "cannot write $_lm_conf"
	bench_note "$1, $2: $_lm_secs s"
	bench_sd_start "$1" "$_lm_conf"
	case $2 in
	py*)	bench_poll 60 ls_py_flowing "$_lm_n" "$1" ;;
	*)	bench_poll 60 ls_c_flowing "$_lm_n" ;;
	esac && ! ls_flowing_end ||
	    { ls_fail "$_lm_v" "no events reached the listeners"; return 1; }

	_lm_tk0=$(bench_cpu_ticks "$BENCH_SD_PID")
	_lm_t0=$(bench_now_ms)
	_lm_c0=$(ls_count "$1" "$2")
	_lm_sp0=$(bench_log_count "$LS_SPAWNED")
	sleep "$_lm_secs"
	_lm_sp1=$(bench_log_count "$LS_SPAWNED")
	_lm_c1=$(ls_count "$1" "$2")
	_lm_t1=$(bench_now_ms)
	_lm_tk1=$(bench_cpu_ticks "$BENCH_SD_PID")
	ls_flowing_end && { ls_fail "$_lm_v" "daemon $BENCH_SD_WHY"; return 1; }

	_lm_win=$(bench_calc "($_lm_t1 - $_lm_t0) / 1000")
	case $2 in
	py*)	_lm_evs=$(ls_py_rate "$_lm_c0" "$_lm_c1") ;;
	*)	_lm_evs=$(bench_calc "($_lm_c1 - $_lm_c0) / $_lm_win") ;;
	esac
	_lm_cpu_s=$(bench_calc "($_lm_tk1 - $_lm_tk0) / $BENCH_TICK_HZ")
	_lm_cpu_us=$(bench_calc "$_lm_cpu_s * 1e6 / ($_lm_evs * $_lm_win)")
	_lm_pct=$(bench_calc "100 * $_lm_cpu_s / $_lm_win")
	_lm_ovf=$(bench_log_count "$LS_OVERFLOW")
	_lm_sps=$(bench_calc "($_lm_sp1 - $_lm_sp0) / $_lm_win")
	bench_sd_stop
	eval "${_lm_v}_win=\$_lm_win ${_lm_v}_evs=\$_lm_evs" \
	    "${_lm_v}_cpu_s=\$_lm_cpu_s ${_lm_v}_cpu_us=\$_lm_cpu_us" \
	    "${_lm_v}_pct=\$_lm_pct ${_lm_v}_ovf=\$_lm_ovf" \
	    "${_lm_v}_sps=\$_lm_sps"
	bench_note "$1, $2: $(bench_fmt 0 "$_lm_evs") events/s," \
	    "daemon $(bench_pct "$_lm_pct") of a core," \
	    "$(bench_fmt 2 "$_lm_cpu_us") µs/event, $_lm_ovf overflow lines"
	rm -rf "$BENCH_TMP/$1"
}

ls_get()
{
	eval "_lg_v=\${LS_$1_$2:-n/a}"
	echo "$_lg_v"
}

# ls_report_evs SETUP LABEL GOAL VERDICT: the events/s row.
ls_report_evs()
{
	_re_o=$(ls_get "ours_$1" evs)
	_re_p=$(ls_get "python_$1" evs)
	bench_row "$2: events/s" "$(bench_fmt 0 "$_re_o")" \
	    "$(bench_fmt 0 "$_re_p")" "$(bench_ratio "$_re_o" "$_re_p")" \
	    "$3${4:+: $4}"
	bench_summary "$2 events/s" "$(bench_fmt 0 "$_re_o")" \
	    "$(bench_fmt 0 "$_re_p")" "$(bench_ratio "$_re_o" "$_re_p")" \
	    "${3:-(ours/python)}" "$4"
}

# ls_report_cpu SETUP LABEL GOAL VERDICT: the CPU per event rows.
ls_report_cpu()
{
	_rc_o=$(ls_get "ours_$1" cpu_us)
	_rc_p=$(ls_get "python_$1" cpu_us)
	bench_row "$2: daemon CPU us/event" "$(bench_fmt 2 "$_rc_o")" \
	    "$(bench_fmt 2 "$_rc_p")" "$(bench_ratio "$_rc_p" "$_rc_o")" \
	    "$3${4:+: $4}"
	bench_row "$2: daemon % of a core" \
	    "$(bench_pct "$(ls_get "ours_$1" pct)")" \
	    "$(bench_pct "$(ls_get "python_$1" pct)")" "" ""
	bench_summary "$2 CPU us/event" "$(bench_fmt 2 "$_rc_o")" \
	    "$(bench_fmt 2 "$_rc_p")" "$(bench_ratio "$_rc_p" "$_rc_o")" \
	    "${3:-(python/ours)}" "$4"
}

# ls_cpu_verdict SETUP: ours at most a tenth of Python's CPU per event.
ls_cpu_verdict()
{
	bench_verdict "$(ls_get "ours_$1" cpu_us) * 10 <= \
	    $(ls_get "python_$1" cpu_us)"
}

ls_report()
{
	bench_table_head "listeners: $LS_WRITERS line writers into" \
	    "PROCESS_LOG pools ($LS_SECS s); a flapping program" \
	    "($LS_FLAP_SECS s)"
	ls_report_evs py1 "1 python listener" "" ""
	ls_report_cpu py1 "1 python listener" "ours <= 1/10" \
	    "$(ls_cpu_verdict py1)"
	ls_report_evs py4 "4 python listeners" "" ""
	ls_report_cpu py4 "4 python listeners" "ours <= 1/10" \
	    "$(ls_cpu_verdict py4)"
	ls_report_evs c4 "4 C listeners" "ours >= 150000" \
	    "$(bench_verdict "$(ls_get ours_c4 evs) >= 150000")"
	ls_report_cpu c4 "4 C listeners" "" ""
	_rp_o=$(ls_get ours_c4 ovf)
	bench_row "4 C listeners: overflow lines" "$_rp_o" \
	    "$(ls_get python_c4 ovf)" "" \
	    "ours 0: $(bench_verdict "$_rp_o == 0")"
	bench_summary "4 C listeners overflow lines" "$_rp_o" \
	    "$(ls_get python_c4 ovf)" "" "0" "$(bench_verdict "$_rp_o == 0")"
	ls_report_evs flap "flapping: PROCESS_STATE" ">= 10x" \
	    "$(bench_verdict "$(ls_get ours_flap evs) >= \
	    10 * $(ls_get python_flap evs)")"
	bench_row "flapping: starts/s (main log)" \
	    "$(bench_fmt 0 "$(ls_get ours_flap sps)")" \
	    "$(bench_fmt 1 "$(ls_get python_flap sps)")" \
	    "$(bench_ratio "$(ls_get ours_flap sps)" \
	    "$(ls_get python_flap sps)")" ""
	for _rp_k in py1 py4 c4 flap; do
		for _rp_i in $(bench_impls); do
			_rp_w=$(ls_get "${_rp_i}_$_rp_k" why)
			[ "$_rp_w" = n/a ] || printf '  %s %s failed: %s\n' \
			    "$_rp_i" "$_rp_k" "$_rp_w"
		done
	done
}

# ls_json IMPL SETUP: the JSON line of one run.
ls_json()
{
	_lj_k=${1}_$2
	if [ "$(ls_get "$_lj_k" evs)" = n/a ]; then
		bench_json impl="$1" setup="$2" error="$(ls_get "$_lj_k" why)"
		return
	fi
	bench_json impl="$1" setup="$2" writers="$LS_WRITERS" \
	    listeners="$(ls_npool "$2")" buffer_size="$LS_BUFFER" \
	    window_s="$(ls_get "$_lj_k" win)" \
	    events_per_s="$(ls_get "$_lj_k" evs)" \
	    daemon_cpu_s="$(ls_get "$_lj_k" cpu_s)" \
	    daemon_cpu_us_per_event="$(ls_get "$_lj_k" cpu_us)" \
	    overflow_lines="$(ls_get "$_lj_k" ovf)" \
	    flap_starts_per_s="$(ls_get "$_lj_k" sps)"
}

ls_build
for _setup in py1 py4 c4 flap; do
	for _impl in $(bench_impls); do
		ls_measure "$_impl" "$_setup"
	done
done
for _setup in py1 py4 c4 flap; do
	for _impl in $(bench_impls); do
		ls_json "$_impl" "$_setup"
	done
done
ls_report
