#!/bin/sh
# A program that dies before startsecs goes to BACKOFF, is retried with a
# linearly growing delay, and gives up (FATAL) after startretries.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_conf <<EOF
[program:crasher]
command=sh -c 'echo trying; exit 3'
startsecs=5
startretries=2
EOF
nv_start
wait_log 'gave up: crasher entered FATAL state, too many start retries too quickly' 20

n=$(log_count "spawned: 'crasher' with pid")
[ "$n" -eq 3 ] || fail "expected 3 spawns (1 + startretries), saw $n"
n=$(log_count 'WARN exited: crasher \(exit status 3; not expected\)')
[ "$n" -eq 3 ] || fail "expected 3 'exited' lines, saw $n"

# Linear backoff: the gaps between spawns are about 1 s, then 2 s.
gaps=$(grep "spawned: 'crasher'" "$NV_LOG" | awk '{
	split($2, t, /[:,]/)
	ms = ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4]
	if (NR > 1) printf "%d ", ms - prev
	prev = ms
}')
set -- $gaps
[ "$1" -ge 900 ] && [ "$1" -lt 2500 ] || fail "first retry gap $1 ms"
[ "$2" -ge 1900 ] && [ "$2" -lt 3500 ] || fail "second retry gap $2 ms"

# The child's output reached its AUTO stdout log.
ls "$NV_TMP"/crasher-stdout---supervisor-*.log >/dev/null 2>&1 ||
    fail "no AUTO stdout log for crasher"
grep -q trying "$NV_TMP"/crasher-stdout---supervisor-*.log ||
    fail "crasher's output is not in its log"
nv_stop
