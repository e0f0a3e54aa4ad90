# bench/lib.sh: helpers shared by the benchmark scenarios (POSIX sh).
#
# A scenario is bench/NAME.sh. It starts with
#
#	. "$(dirname "$0")/lib.sh"
#	bench_setup NAME
#
# then, for each implementation it can run (bench_impls), writes a config
# into its temp dir, starts the daemon in the foreground (bench_sd_start),
# watches the main log and /proc, stops the daemon (bench_sd_stop) and
# prints one table. Every figure also goes to the results file as a JSON
# line (bench_json) and, when run from bench/run, to the summary
# (bench_summary). Benchmarks print numbers; they never pass or fail on
# them. A scenario exits non-zero only when it could not run at all.
#
# Environment:
#	NV_BUILD		build dir holding our supervisord (default: ./build
#				of the repo)
#	BENCH_PY_SUPERVISORD	Python supervisord (default /usr/bin/supervisord)
#	BENCH_IMPLS		which to run, in order (default "python ours")
#	BENCH_QUICK		1: short windows and small byte counts
#	BENCH_RESULTS		JSON lines file (default bench/results/latest.jsonl)
#	BENCH_APPEND		1: append to BENCH_RESULTS instead of truncating
#	BENCH_SUMMARY		TSV file bench/run reads for its summary table
#	BENCH_KEEP		1: keep the temp dir
#	TMPDIR			parent of the temp dir (default /tmp)

BENCH_DIR=$(cd "$(dirname "$0")" && pwd) || exit 1
BENCH_TOP=$(cd "$BENCH_DIR/.." && pwd) || exit 1
NV_BUILD=${NV_BUILD:-$BENCH_TOP/build}
BENCH_OURS=${BENCH_OURS:-$NV_BUILD/supervisord}
BENCH_PY_SUPERVISORD=${BENCH_PY_SUPERVISORD:-/usr/bin/supervisord}
BENCH_IMPLS=${BENCH_IMPLS:-python ours}
BENCH_QUICK=${BENCH_QUICK:-0}
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results/latest.jsonl}
BENCH_CC=${CC:-cc}

# Set by bench_setup and bench_sd_start.
BENCH_NAME=
BENCH_TMP=
BENCH_SD_PID=
BENCH_SD_LOG=
BENCH_SD_MARK=
BENCH_SD_T0=
BENCH_SD_WHY=

# ---- reporting ----

bench_note()
{
	printf '%s: %s\n' "$BENCH_NAME" "$*" >&2
}

bench_die()
{
	printf '%s: error: %s\n' "$BENCH_NAME" "$*" >&2
	exit 1
}

# bench_calc AWK-EXPR: print the value, or "n/a" if an operand is not a
# number (a failed run leaves "n/a" or an empty string behind).
bench_calc()
{
	case $1 in
	*n/a*|*'()'*|'')	echo n/a; return ;;
	esac
	awk "BEGIN { v = $1; printf \"%.10g\n\", v }" 2>/dev/null || echo n/a
}

# bench_fmt PRECISION VALUE: VALUE with PRECISION decimals, or as is.
bench_fmt()
{
	case $2 in
	''|n/a|*[!0-9.e+-]*)	echo "${2:-n/a}"; return ;;
	esac
	awk -v p="$1" -v v="$2" 'BEGIN { printf "%.*f\n", p, v }'
}

# bench_pct VALUE: VALUE rounded, with a percent sign, or n/a.
bench_pct()
{
	_pc_v=$(bench_fmt 0 "$1")
	[ "$_pc_v" = n/a ] && echo n/a || echo "$_pc_v%"
}

# bench_ratio A B: A/B formatted "12.3x", "n/a" when either is missing,
# ">= A/FLOOR x" when B is below FLOOR (a measurement's resolution).
bench_ratio()
{
	case "$1 $2" in
	*n/a*|' '*|*' ')	echo n/a; return ;;
	esac
	awk -v a="$1" -v b="$2" -v f="${3:-0}" 'BEGIN {
		if (b <= f) {
			if (f > 0) printf ">= %.0fx\n", a / f
			else print "inf"
		} else
			printf "%.1fx\n", a / b
	}'
}

# bench_lt A B: true when number A is below number B.
bench_lt()
{
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'
}

# bench_verdict AWK-CONDITION: "met" or "missed", "n/a" on missing data.
bench_verdict()
{
	case $1 in
	*n/a*)	echo n/a; return ;;
	esac
	awk "BEGIN { exit !($1) }" 2>/dev/null && echo met || echo missed
}

# bench_row LABEL OURS PYTHON RATIO GOAL: one aligned table row.
bench_row()
{
	printf '  %-34s %12s %14s %10s  %s\n' "$1" "$2" "$3" "$4" "$5"
}

bench_table_head()
{
	printf '\n%s\n' "$*"
	bench_row "" "ours" "python 4.2.5" "ratio" "goal"
	bench_row "" "----" "------------" "-----" "----"
}

# bench_json KEY=VALUE...: one JSON object on one line in BENCH_RESULTS.
# Numbers stay numbers, "n/a" and empty become null, the rest strings.
bench_json()
{
	mkdir -p "$(dirname "$BENCH_RESULTS")" || return 1
	for _kv in "bench=$BENCH_NAME" "$@"; do
		printf '%s\n' "$_kv"
	done | awk '
	function esc(s) {
		gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
		gsub(/\t/, "\\t", s)
		return s
	}
	{
		k = substr($0, 1, index($0, "=") - 1)
		v = substr($0, index($0, "=") + 1)
		if (v == "" || v == "n/a")
			v = "null"
		else if (v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/)
			v = "\"" esc(v) "\""
		out = out (NR > 1 ? ", " : "") "\"" esc(k) "\": " v
	}
	END { print "{" out "}" }' >>"$BENCH_RESULTS"
}

# bench_summary METRIC OURS PYTHON RATIO GOAL VERDICT: a row of the
# summary table bench/run prints at the end.
bench_summary()
{
	[ -n "$BENCH_SUMMARY" ] || return 0
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$BENCH_NAME" "$@" \
	    >>"$BENCH_SUMMARY"
}

# ---- time ----

bench_now_ms()
{
	date +%s%3N
}

# bench_log_ms LINE: the time stamp that starts a main log line
# ("2024-01-02 03:04:05,678 INFO ..."), in ms since the epoch.
bench_log_ms()
{
	_lm_ts=$(printf '%s\n' "$1" | cut -d' ' -f1,2 | tr , .)
	date -d "$_lm_ts" +%s%3N 2>/dev/null
}

# ---- /proc ----

# Resident set of PID alone, in kB.
bench_rss_kb()
{
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null
}

# utime + stime of PID and all its threads, in clock ticks.
bench_cpu_ticks()
{
	# The command name may hold spaces and parentheses: cut at the last ')'.
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null |
	    awk '{ print $12 + $13 }'
}

# Time spent on a CPU by all threads of PID, in ns (schedstat).
bench_sched_ns()
{
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
	    awk '{ n += $1 } END { printf "%.0f\n", n }'
}

# Voluntary plus involuntary context switches summed over PID's threads:
# each one is a time a thread went to sleep or was preempted.
bench_ctxsw()
{
	cat /proc/"$1"/task/*/status 2>/dev/null | awk '
	    $1 == "voluntary_ctxt_switches:" ||
	    $1 == "nonvoluntary_ctxt_switches:" { n += $2 }
	    END { print n + 0 }'
}

# Ticks the hypervisor gave our CPUs to someone else, machine-wide.
bench_steal_ticks()
{
	awk '$1 == "cpu" { print $9 + 0 }' /proc/stat
}

bench_nthreads()
{
	awk '$1 == "Threads:" { print $2 }' "/proc/$1/status" 2>/dev/null
}

BENCH_TICK_HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

# ---- processes ----

# True while PID is a live process (a zombie counts as gone).
bench_alive()
{
	[ -n "$1" ] || return 1
	kill -0 "$1" 2>/dev/null || return 1
	case $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) in
	Z|X)	return 1 ;;
	esac
	return 0
}

# Pids of the processes whose environment holds BENCH_MARK=MARK: a daemon
# started with that mark and every child it spawned.
bench_marked_pids()
{
	grep -lzx -F "BENCH_MARK=$1" /proc/[0-9]*/environ 2>/dev/null |
	    cut -d/ -f3
}

# bench_poll SECONDS COMMAND...: run COMMAND every 0.05 s until it
# succeeds (0) or SECONDS pass (1).
bench_poll()
{
	_bp_end=$(( $(bench_now_ms) + $1 * 1000 ))
	shift
	while ! "$@"; do
		[ "$(bench_now_ms)" -lt "$_bp_end" ] || return 1
		sleep 0.05
	done
}

bench_dead()
{
	! bench_alive "$1"
}

# bench_kill_marked MARK: SIGKILL whatever still carries MARK.
bench_kill_marked()
{
	for _km_i in 1 2 3 4 5; do
		_km_left=$(bench_marked_pids "$1")
		[ -n "$_km_left" ] || return 0
		kill -KILL $_km_left 2>/dev/null
		sleep 0.1
	done
	bench_note "processes left with mark $1: $(bench_marked_pids "$1")"
}

# ---- the daemons ----

# Implementations to run, in BENCH_IMPLS order, that exist here.
bench_impls()
{
	for _bi in $BENCH_IMPLS; do
		case $_bi in
		python)	[ -x "$BENCH_PY_SUPERVISORD" ] && echo python ;;
		ours)	[ -x "$BENCH_OURS" ] && echo ours ;;
		esac
	done
}

bench_impl_bin()
{
	case $1 in
	python)	echo "$BENCH_PY_SUPERVISORD" ;;
	ours)	echo "$BENCH_OURS" ;;
	esac
}

bench_impl_missing()
{
	for _bm in $BENCH_IMPLS; do
		case " $(bench_impls | tr '\n' ' ') " in
		*" $_bm "*)	;;
		*)	bench_note "skipping $_bm: $(bench_impl_bin "$_bm")" \
			    "is not an executable" ;;
		esac
	done
}

# bench_conf_head IMPL MINFDS: the [supervisord] section of a config for
# IMPL in the temp dir: foreground, its own log, pidfile and child log
# dir, no HTTP server.
bench_conf_head()
{
	mkdir -p "$BENCH_TMP/$1/child" || bench_die "mkdir failed"
	cat <<EOF
[supervisord]
logfile=$BENCH_TMP/$1/supervisord.log
pidfile=$BENCH_TMP/$1/supervisord.pid
childlogdir=$BENCH_TMP/$1/child
loglevel=info
nodaemon=true
minfds=${2:-1024}

EOF
}

bench_sd_running()
{
	if ! bench_alive "$BENCH_SD_PID"; then
		BENCH_SD_WHY="exited early"
		return 2
	fi
	return 1
}

# bench_sd_start IMPL CONF: start IMPL's supervisord in the foreground on
# CONF. Leaves BENCH_SD_PID, BENCH_SD_LOG and BENCH_SD_T0 (ms, just
# before the exec).
bench_sd_start()
{
	BENCH_SD_LOG=$BENCH_TMP/$1/supervisord.log
	BENCH_SD_MARK=$BENCH_TMP/$1
	BENCH_SD_WHY=
	BENCH_SD_T0=$(bench_now_ms)
	env BENCH_MARK="$BENCH_SD_MARK" "$(bench_impl_bin "$1")" -n -c "$2" \
	    >"$BENCH_TMP/$1/supervisord.out" 2>&1 &
	BENCH_SD_PID=$!
}

# bench_sd_stop [SECONDS]: SIGTERM the daemon, SIGKILL it after SECONDS
# (default 60), then SIGKILL any child it left behind.
bench_sd_stop()
{
	[ -n "$BENCH_SD_PID" ] || return 0
	if bench_alive "$BENCH_SD_PID"; then
		kill -TERM "$BENCH_SD_PID" 2>/dev/null
		if ! bench_poll "${1:-60}" bench_dead "$BENCH_SD_PID"; then
			bench_note "pid $BENCH_SD_PID ignored SIGTERM; SIGKILL"
			kill -KILL "$BENCH_SD_PID" 2>/dev/null
		fi
	fi
	wait "$BENCH_SD_PID" 2>/dev/null
	BENCH_SD_PID=
	bench_kill_marked "$BENCH_SD_MARK"
}

# Count main log lines matching the extended regex $1.
bench_log_count()
{
	[ -f "$BENCH_SD_LOG" ] || { echo 0; return; }
	grep -Ec -- "$1" "$BENCH_SD_LOG"
}

bench_log_enough()
{
	[ "$(bench_log_count "$1")" -ge "$2" ] && return 0
	bench_sd_running
}

# bench_wait_log REGEX COUNT SECONDS: wait until the main log has COUNT
# lines matching REGEX. 0 when it does; 1 on the deadline or when the
# daemon died, with the reason in BENCH_SD_WHY.
bench_wait_log()
{
	_wl_end=$(( $(bench_now_ms) + $3 * 1000 ))
	while :; do
		bench_log_enough "$1" "$2"
		case $? in
		0)	return 0 ;;
		2)	return 1 ;;
		esac
		if [ "$(bench_now_ms)" -ge "$_wl_end" ]; then
			BENCH_SD_WHY="timed out after $3 s"
			return 1
		fi
		sleep 0.05
	done
}

# The COUNT-th main log line matching REGEX.
bench_log_nth()
{
	grep -E -- "$1" "$BENCH_SD_LOG" 2>/dev/null | sed -n "$2p"
}

# ---- setup ----

bench_cleanup()
{
	_bc_rc=$?
	trap - EXIT HUP INT TERM
	bench_sd_stop 30
	[ -n "$BENCH_TMP" ] && bench_kill_marked "$BENCH_TMP/shell"
	if [ -n "$BENCH_TMP" ] && [ "${BENCH_KEEP:-0}" != 1 ]; then
		rm -rf "$BENCH_TMP"
	elif [ -n "$BENCH_TMP" ]; then
		bench_note "temp dir kept: $BENCH_TMP"
	fi
	exit "$_bc_rc"
}

bench_setup()
{
	BENCH_NAME=$1
	BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nvbench-$1.XXXXXX") ||
	    bench_die "mktemp failed"
	trap bench_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	if [ "${BENCH_APPEND:-0}" != 1 ]; then
		mkdir -p "$(dirname "$BENCH_RESULTS")" &&
		    : >"$BENCH_RESULTS" || bench_die "cannot write $BENCH_RESULTS"
	fi
	bench_impl_missing
	[ -n "$(bench_impls)" ] || bench_die "no supervisord to measure"
}
