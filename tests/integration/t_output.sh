#!/bin/sh
# Where child output goes: redirect_stderr merges stderr into the stdout
# log, otherwise stderr has its own; strip_ansi removes colour codes;
# NONE writes no file; at loglevel=debug the main log copies the output.
# Then the main log on /dev/stdout, a pipe, with logfile_maxbytes left at
# its default (4.2.5 fails every write there with "Illegal seek").
. "$(dirname "$0")/lib.sh"
nv_setup
E=$(printf '\033')
nv_conf <<EOF
[program:merged]
command=sh -c 'echo to-out; echo to-err >&2; exec sleep 1000'
startsecs=0
redirect_stderr=true
stdout_logfile=$NV_TMP/merged.out

[program:split]
command=sh -c 'echo to-out; echo to-err >&2; exec sleep 1000'
startsecs=0
stdout_logfile=$NV_TMP/split.out
stderr_logfile=$NV_TMP/split.err

[program:ansi]
command=printf '\\033[1;31mred\\033[0m plain\\n\\033[2Jclear\\n'
startsecs=0
autorestart=false
stdout_logfile=$NV_TMP/ansi.out

[program:none]
command=sh -c 'echo nothing-here; echo nor-here >&2; exec sleep 1000'
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE
EOF
sed -i 's/^\[supervisord\]$/&\nstrip_ansi=true/' "$NV_CONF"
nv_start
lines_in() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
wait_until 10 lines_in "$NV_TMP/merged.out" 2
wait_until 10 lines_in "$NV_TMP/split.out" 1
wait_until 10 lines_in "$NV_TMP/split.err" 1
wait_log 'exited: ansi \(exit status 0; expected\)'
wait_log "DEBG 'none' stderr output:"

# Merged: both lines in one file, no stderr log at all.
[ "$(sort "$NV_TMP/merged.out" | tr '\n' ' ')" = "to-err to-out " ] ||
    fail "merged.out: $(cat "$NV_TMP/merged.out")"
! ls "$NV_TMP"/merged-stderr---* >/dev/null 2>&1 ||
    fail "redirect_stderr still made a stderr log"
[ "$(cat "$NV_TMP/split.out")" = to-out ] ||
    fail "split.out: $(cat "$NV_TMP/split.out")"
[ "$(cat "$NV_TMP/split.err")" = to-err ] ||
    fail "split.err: $(cat "$NV_TMP/split.err")"

# strip_ansi: the text stays, the escapes go, in the child log and in
# the main log's copy.
[ "$(cat "$NV_TMP/ansi.out")" = "red plain
clear" ] || fail "ansi.out: $(od -c "$NV_TMP/ansi.out")"
grep -q "$E" "$NV_LOG" && fail "the main log has an escape character"
assert_log_has "DEBG 'ansi' stdout output:"
grep -q '^red plain$' "$NV_LOG" || fail "no stripped copy in the main log"

# NONE: no file, but still copied to the main log at debug.
! ls "$NV_TMP"/none-* >/dev/null 2>&1 || fail "NONE made a file: $(ls "$NV_TMP")"
grep -A1 "DEBG 'none' stdout output:" "$NV_LOG" | grep -q '^nothing-here$' ||
    fail "no copy of none's stdout in the main log"
grep -A1 "DEBG 'none' stderr output:" "$NV_LOG" | grep -q '^nor-here$' ||
    fail "no copy of none's stderr in the main log"
grep -A1 "DEBG 'merged' stdout output:" "$NV_LOG" | grep -q '^to-out$' ||
    fail "no copy of merged's stdout in the main log"
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"

# Without strip_ansi the escapes are kept (the check above can fail).
rm -f "$NV_TMP/ansi.out" "$NV_LOG"
sed -i '/^strip_ansi=true$/d' "$NV_CONF"
nv_start
wait_until 10 lines_in "$NV_TMP/ansi.out" 2
grep -q "$E" "$NV_TMP/ansi.out" || fail "escapes were stripped by default"
nv_stop

# The main log on a pipe: logfile=/dev/stdout, default maxbytes.
mkfifo "$NV_TMP/fifo" || fail "mkfifo failed"
OUT=$NV_TMP/stdout.log
nv_bg cat "$NV_TMP/fifo" >"$OUT"
nv_conf_raw <<EOF
[supervisord]
logfile=/dev/stdout
pidfile=$NV_TMP/supervisord.pid
childlogdir=$NV_TMP
loglevel=info

[program:hello]
command=sh -c 'echo hi; exec sleep 1000'
startsecs=0
EOF
env NV_TEST_MARK="$NV_TMP" "$NV_SUPERVISORD" -n -c "$NV_CONF" \
    >"$NV_TMP/fifo" 2>&1 &
NV_SD_PID=$!
NV_LOG=$OUT
wait_log "INFO supervisord started with pid $NV_SD_PID\$"
wait_log "INFO success: hello entered RUNNING state"
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
wait_until 10 nv_dead "$NV_BG_PID"
assert_log_has 'WARN stopped: hello \(terminated by SIGTERM\)'
assert_log_lacks 'Illegal seek'
assert_log_lacks ' ERRO '
n=$(grep -vc -e ' CRIT Supervisor is running as root\.' \
    -e ' INFO ' -e ' WARN received SIGTERM' -e ' WARN stopped: hello' "$OUT")
[ "$n" -eq 0 ] || fail "unexpected lines on stdout"
exit 0
