# tests/integration/lib.sh: helpers for integration scenarios (POSIX sh).
#
# A scenario is tests/integration/t_NAME.sh. It starts with
#
#	. "$(dirname "$0")/lib.sh"
#	nv_setup
#
# and then writes a config (nv_conf), starts our supervisord (nv_start),
# waits on conditions (wait_until, wait_log, wait_proc_state) and fails
# with fail. Everything it starts lives in its own temp dir and is killed
# at exit, by PID. It exits 0 to pass, 77 to skip (nv_skip), else fails.
#
# Environment:
#	top_builddir	where the binaries were built (default: .)
#	top_srcdir	the source tree (default: two levels above the scenario)
#	NV_TIMEOUT_SCALE	multiplies every deadline (default 1)
#	NV_MEMCHECK	set when NV_SUPERVISORD runs the daemon under memcheck
#	NV_WRAPPER_FDS	fds a wrapper around the daemon takes from its limit
#	NV_WRAPPER_DIR	where wrappers such as memcheck's are, and
#	NV_WRAPPED_DIR	where the binaries they run are (which name
#			themselves by that path in usage and help texts)
#	TMPDIR		parent of the scenario's temp dir (default /tmp)

# ---- paths ----

NV_SCENARIO=$(basename "$0" .sh)
top_builddir=$(cd "${top_builddir:-.}" && pwd) || exit 1
top_srcdir=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd) || exit 1
NV_TIMEOUT_SCALE=${NV_TIMEOUT_SCALE:-1}

NV_SUPERVISORD=${NV_SUPERVISORD:-$top_builddir/supervisord}
NV_CTL=${NV_CTL:-$top_builddir/supervisorctl}
NV_PIDPROXY=${NV_PIDPROXY:-$top_builddir/pidproxy}
NV_ECHO_CONF=${NV_ECHO_CONF:-$top_builddir/echo_supervisord_conf}
NV_CONF_DUMP=${NV_CONF_DUMP:-$top_builddir/tests/conf_dump}
NV_LISTENER_C=${NV_LISTENER_C:-$top_builddir/scripts/listener_ok}
NV_SCRIPTS=$top_srcdir/scripts
NV_PY_SUPERVISORD=${NV_PY_SUPERVISORD:-/usr/bin/supervisord}
NV_PY_CTL=${NV_PY_CTL:-/usr/bin/supervisorctl}
NV_PYTHON=${NV_PYTHON:-/usr/bin/python3}

# Set by nv_setup.
NV_TMP=
NV_CONF=
NV_LOG=
NV_SOCK=
NV_SD_PID=
NV_SD_OUT=
NV_BG_PIDS=

# ---- reporting ----

nv_note()
{
	printf '%s: %s\n' "$NV_SCENARIO" "$*"
}

# Print what a reader needs to see why the scenario failed, then exit 1.
fail()
{
	printf '%s: FAIL: %s\n' "$NV_SCENARIO" "$*" >&2
	if [ -n "$NV_TMP" ]; then
		printf -- '--- temp dir: %s (kept)\n' "$NV_TMP" >&2
		[ -f "$NV_CONF" ] && printf -- '--- config: %s\n' "$NV_CONF" >&2
	fi
	if [ -n "$NV_LOG" ] && [ -f "$NV_LOG" ]; then
		printf -- '--- last 40 lines of %s:\n' "$NV_LOG" >&2
		tail -n 40 "$NV_LOG" >&2
	fi
	if [ -n "$NV_SD_OUT" ] && [ -s "$NV_SD_OUT" ]; then
		printf -- '--- last 20 lines of supervisord output:\n' >&2
		tail -n 20 "$NV_SD_OUT" >&2
	fi
	NV_FAILED=1
	exit 1
}

nv_skip()
{
	printf '%s: SKIP: %s\n' "$NV_SCENARIO" "$*"
	exit 77
}

# ---- time ----

nv_now_ms()
{
	date +%s%3N
}

# Scale a deadline in seconds (decimals allowed) to milliseconds.
nv_scale_ms()
{
	awk -v s="$1" -v k="$NV_TIMEOUT_SCALE" \
	    'BEGIN { printf "%d\n", s * k * 1000 }'
}

# wait_until SECONDS COMMAND [ARGS...]: run COMMAND every 0.05 s until it
# succeeds; fail once SECONDS (scaled) have passed.
wait_until()
{
	_wu_end=$(( $(nv_now_ms) + $(nv_scale_ms "$1") ))
	shift
	while ! "$@"; do
		[ "$(nv_now_ms)" -lt "$_wu_end" ] ||
		    fail "timed out waiting for: $*"
		sleep 0.05
	done
}

# Like wait_until, but return 1 on the deadline instead of failing.
nv_poll()
{
	_np_end=$(( $(nv_now_ms) + $(nv_scale_ms "$1") ))
	shift
	while ! "$@"; do
		[ "$(nv_now_ms)" -lt "$_np_end" ] || return 1
		sleep 0.05
	done
}

# ---- processes ----

# True while PID is a live process (a zombie counts as gone).
nv_alive()
{
	[ -n "$1" ] || return 1
	kill -0 "$1" 2>/dev/null || return 1
	[ -r "/proc/$1/stat" ] || return 0
	case $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) in
	Z|X|'')	return 1 ;;
	esac
	return 0
}

nv_dead()
{
	! nv_alive "$1"
}

# Pids of every process that carries this scenario's mark in its
# environment: whatever we started, and all their descendants.
nv_marked_pids()
{
	[ -n "$NV_TMP" ] || return 0
	grep -lzx -F "NV_TEST_MARK=$NV_TMP" /proc/[0-9]*/environ \
	    2>/dev/null | cut -d/ -f3
}

# nv_bg COMMAND [ARGS...]: start COMMAND in the background, marked for
# cleanup; its pid is left in NV_BG_PID.
nv_bg()
{
	env NV_TEST_MARK="$NV_TMP" "$@" &
	NV_BG_PID=$!
	NV_BG_PIDS="$NV_BG_PIDS $NV_BG_PID"
}

# Send SIGTERM to PID and wait up to SECONDS for it to go; 1 if it stays.
nv_term_wait()
{
	nv_alive "$1" || return 0
	kill -TERM "$1" 2>/dev/null
	nv_poll "$2" nv_dead "$1"
}

NV_SAN_PATTERN='ERROR: (Address|Leak)Sanitizer|runtime error: '

nv_cleanup()
{
	_rc=$?
	trap - EXIT HUP INT TERM
	trap '' PIPE
	if nv_alive "$NV_SD_PID" && ! nv_term_wait "$NV_SD_PID" 20; then
		kill -KILL "$NV_SD_PID" 2>/dev/null
	fi
	for _p in $NV_BG_PIDS; do
		nv_alive "$_p" && kill -KILL "$_p" 2>/dev/null
	done
	# Anything left (children that outlived supervisord, daemons that
	# detached) still carries the mark; the mark was never set in this
	# shell, so we cannot match ourselves.
	for _i in 1 2 3; do
		_left=$(nv_marked_pids)
		[ -n "$_left" ] || break
		kill -KILL $_left 2>/dev/null
		nv_poll 2 nv_none_marked
	done
	# A sanitizer build reports to the daemon's stderr, and the report
	# fails the scenario even when every check in it passed.
	if [ -n "$NV_SD_OUT" ] && grep -qE "$NV_SAN_PATTERN" "$NV_SD_OUT" \
	    2>/dev/null; then
		printf '%s: sanitizer report from supervisord:\n' \
		    "$NV_SCENARIO" >&2
		grep -E -A40 "$NV_SAN_PATTERN" "$NV_SD_OUT" | head -80 >&2
		if [ "$_rc" -eq 0 ] || [ "$_rc" -eq 77 ]; then
			_rc=1
		fi
	fi
	if [ "$_rc" -eq 0 ] || [ "$_rc" -eq 77 ]; then
		[ -n "$NV_TMP" ] && rm -rf "$NV_TMP"
	elif [ -n "$NV_TMP" ] && [ -z "$NV_FAILED" ]; then
		printf '%s: exit %d; temp dir kept: %s\n' "$NV_SCENARIO" \
		    "$_rc" "$NV_TMP" >&2
	fi
	exit "$_rc"
}

nv_none_marked()
{
	[ -z "$(nv_marked_pids)" ]
}

# Print a TCP port on 127.0.0.1 that was free a moment ago, for an
# [inet_http_server] or a tcp:// bus endpoint.
nv_free_port()
{
	"$NV_PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' || fail "no free TCP port"
}

# ---- setup and config ----

nv_setup()
{
	# The scenarios' Python helpers import unixrpc.py from here.
	PYTHONPATH=$top_srcdir/tests/integration${PYTHONPATH:+:$PYTHONPATH}
	export PYTHONPATH
	NV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nv-$NV_SCENARIO.XXXXXX") ||
	    fail "mktemp failed"
	# Physical path: programs under test report getcwd() results.
	NV_TMP=$(cd "$NV_TMP" && pwd -P) || fail "cannot enter the temp dir"
	NV_CONF=$NV_TMP/supervisord.conf
	NV_LOG=$NV_TMP/supervisord.log
	NV_SOCK=$NV_TMP/supervisor.sock
	NV_SD_OUT=$NV_TMP/supervisord.out
	NV_FAILED=
	trap nv_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 141' PIPE
}

# Print the sections every scenario needs: the unix socket, [supervisord]
# with its log, pidfile and child logs in the temp dir, the RPC interface
# and [supervisorctl]. NV_LOGLEVEL picks the log level (default debug).
nv_conf_base()
{
	cat <<EOF
[unix_http_server]
file=$NV_SOCK

[supervisord]
logfile=$NV_LOG
pidfile=$NV_TMP/supervisord.pid
childlogdir=$NV_TMP
loglevel=${NV_LOGLEVEL:-debug}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$NV_SOCK

EOF
}

# nv_conf [FILE] <<EOF: write nv_conf_base followed by stdin to FILE
# (default NV_CONF; relative names land in the temp dir).
nv_conf()
{
	_f=${1:-$NV_CONF}
	case $_f in /*) ;; *) _f=$NV_TMP/$_f ;; esac
	{ nv_conf_base; cat; } >"$_f" || fail "cannot write $_f"
}

# nv_conf_raw [FILE] <<EOF: write stdin alone.
nv_conf_raw()
{
	_f=${1:-$NV_CONF}
	case $_f in /*) ;; *) _f=$NV_TMP/$_f ;; esac
	cat >"$_f" || fail "cannot write $_f"
}

# ---- supervisord ----

nv_need_bin()
{
	[ -x "$1" ] || nv_skip "$1 is not built"
}

# True when our supervisord is an ASan build (its memory figures are
# inflated by shadow memory and the free quarantine).
nv_sanitized()
{
	ldd "$NV_SUPERVISORD" 2>/dev/null | grep -q libasan
}

# True when our supervisord runs under memcheck (its RSS is mostly the
# tool's own).
nv_memchecked()
{
	[ -n "${NV_MEMCHECK:-}" ]
}

# nv_fd_limit N: the `ulimit -n` that leaves the daemon N fds, above
# what a wrapper (memcheck keeps 12 for itself) takes from the limit.
nv_fd_limit()
{
	echo $(($1 + ${NV_WRAPPER_FDS:-0}))
}

# nv_argv0 PATH: the name the program run as PATH gives itself in its
# messages: the wrapped binary's, when PATH is a wrapper.
nv_argv0()
{
	if [ -n "${NV_WRAPPER_DIR:-}" ] && [ "${1%/*}" = "$NV_WRAPPER_DIR" ]; then
		echo "$NV_WRAPPED_DIR/${1##*/}"
	else
		echo "$1"
	fi
}

nv_sd_started()
{
	nv_alive "$NV_SD_PID" ||
	    fail "supervisord exited before it started (pid $NV_SD_PID)"
	# This daemon's line: a scenario that starts supervisord again on the
	# same log must not take the last run's line for its own.
	[ -f "$NV_LOG" ] &&
	    grep -q "supervisord started with pid $NV_SD_PID\$" "$NV_LOG"
}

# nv_start [CONF]: run our supervisord in the foreground, in the
# background of this shell, and wait for its main log to say it started.
nv_start()
{
	nv_need_bin "$NV_SUPERVISORD"
	if [ -n "$NV_SD_PID" ] && nv_alive "$NV_SD_PID"; then
		fail "nv_start: supervisord is already running"
	fi
	env NV_TEST_MARK="$NV_TMP" "$NV_SUPERVISORD" -n -c "${1:-$NV_CONF}" \
	    >>"$NV_SD_OUT" 2>&1 &
	NV_SD_PID=$!
	wait_until 15 nv_sd_started
}

# nv_start_fd_limit N: nv_start with the config in NV_CONF, the daemon
# left N file descriptors (ulimit -n, see nv_fd_limit).
nv_start_fd_limit()
{
	nv_need_bin "$NV_SUPERVISORD"
	env NV_TEST_MARK="$NV_TMP" sh -c 'ulimit -n $2 && exec "$0" -n -c "$1"' \
	    "$NV_SUPERVISORD" "$NV_CONF" "$(nv_fd_limit "$1")" \
	    >>"$NV_SD_OUT" 2>&1 &
	NV_SD_PID=$!
	wait_until 15 nv_sd_started
}

# nv_stop: SIGTERM supervisord and wait for it to exit; its exit status
# is left in NV_SD_STATUS.
nv_stop()
{
	[ -n "$NV_SD_PID" ] || fail "nv_stop: supervisord was not started"
	kill -TERM "$NV_SD_PID" 2>/dev/null
	wait_until 30 nv_dead "$NV_SD_PID"
	wait "$NV_SD_PID"
	NV_SD_STATUS=$?
	NV_SD_PID=
}

# nv_ctl ARGS...: our supervisorctl against this scenario's config.
nv_ctl()
{
	nv_need_bin "$NV_CTL"
	"$NV_CTL" -c "$NV_CONF" "$@"
}

# nv_pyctl ARGS...: 4.2.5's supervisorctl against our supervisord.
nv_pyctl()
{
	"$NV_PY_CTL" -c "$NV_CONF" "$@"
}

# ---- the main log ----

nv_log_has()
{
	[ -f "$NV_LOG" ] && grep -Eq -- "$1" "$NV_LOG"
}

assert_log_has()
{
	nv_log_has "$1" || fail "main log has no line matching: $1"
}

assert_log_lacks()
{
	! nv_log_has "$1" || fail "main log has a line matching: $1"
}

# wait_log REGEX [SECONDS]: wait for a main log line matching REGEX.
wait_log()
{
	wait_until "${2:-10}" nv_log_has "$1"
}

# Count main log lines matching REGEX.
log_count()
{
	[ -f "$NV_LOG" ] || { echo 0; return; }
	grep -Ec -- "$1" "$NV_LOG"
}

# proc_state_from_log NAME: the state the main log last put process NAME
# in, from the messages 4.2.5 writes at info level (spawned:, success:,
# exited:, gave up:, waiting for ... to stop, stopped:). Prints UNKNOWN
# when the log has said nothing about NAME. An exit while STARTING is
# BACKOFF, an exit after RUNNING is EXITED.
proc_state_from_log()
{
	[ -f "$NV_LOG" ] || { echo UNKNOWN; return; }
	awk -v name="$1" '
	BEGIN { st = "UNKNOWN" }
	{
		sub(/^[0-9-]+ [0-9:,]+ [A-Z]+ /, "")
		if ($0 == "spawned: '\''" name "'\'' with pid " $NF)
			st = "STARTING"
		else if (index($0, "success: " name " entered RUNNING") == 1)
			st = "RUNNING"
		else if (index($0, "exited: " name " (") == 1)
			st = (st == "STARTING") ? "BACKOFF" : "EXITED"
		else if (index($0, "gave up: " name " entered FATAL") == 1)
			st = "FATAL"
		else if ($0 == "waiting for " name " to stop")
			st = "STOPPING"
		else if (index($0, "stopped: " name " (") == 1)
			st = "STOPPED"
	}
	END { print st }' "$NV_LOG"
}

proc_state_is()
{
	[ "$(proc_state_from_log "$1")" = "$2" ]
}

# wait_proc_state NAME STATE [SECONDS]
wait_proc_state()
{
	wait_until "${3:-10}" proc_state_is "$1" "$2"
}

assert_proc_state()
{
	_s=$(proc_state_from_log "$1")
	[ "$_s" = "$2" ] || fail "$1 is $_s in the main log, expected $2"
}

# Pid of the last "spawned: 'NAME' with pid N" line, or nothing.
proc_pid_from_log()
{
	[ -f "$NV_LOG" ] || return 0
	sed -n "s/.* spawned: '$1' with pid \([0-9][0-9]*\)\$/\1/p" \
	    "$NV_LOG" | tail -n 1
}
