#!/bin/sh
# Programs that cannot be started: each spawn error is logged as
# "spawnerr: ..." (BACKOFF), retried, then "gave up:" (FATAL). A chdir
# failure happens in the child: its message lands in the child's stderr
# log and the exit is "exited too quickly". An unknown user= is a config
# error.
. "$(dirname "$0")/lib.sh"
nv_setup
mkdir "$NV_TMP/adir"
printf '#!/bin/sh\necho hi\n' >"$NV_TMP/noexec.sh"
chmod 644 "$NV_TMP/noexec.sh"
nv_conf <<EOF
[program:notfound]
command=nosuchprog_nv --flag
startretries=1

[program:isdir]
command=$NV_TMP/adir
startretries=1

[program:noexec]
command=$NV_TMP/noexec.sh
startretries=1

[program:badcd]
command=sleep 1000
directory=$NV_TMP/nonexistent
startretries=1
stderr_logfile=$NV_TMP/badcd.err
EOF
nv_start
for p in notfound isdir noexec badcd; do
	wait_log "INFO gave up: $p entered FATAL state, too many start retries too quickly" 15
done

# One line per attempt: 1 + startretries.
twice() {
	n=$(log_count "^.{23} INFO spawnerr: $1\$")
	[ "$n" -eq 2 ] || fail "expected 2 lines 'spawnerr: $1', saw $n"
}
twice "can't find command 'nosuchprog_nv'"
twice "command at '$NV_TMP/adir' is a directory"
twice "command at '$NV_TMP/noexec.sh' is not executable"
for p in notfound isdir noexec; do
	[ "$(log_count "spawned: '$p'")" -eq 0 ] ||
	    fail "$p was reported as spawned"
done

# badcd forked and failed in the child, twice.
n=$(log_count "^.{23} WARN exited: badcd \\(exit status 127; not expected\\)\$")
[ "$n" -eq 2 ] || fail "expected 2 'exited: badcd' lines, saw $n"
n=$(grep -c "^supervisor: couldn't chdir to $NV_TMP/nonexistent: ENOENT\$" \
    "$NV_TMP/badcd.err")
[ "$n" -eq 2 ] || fail "badcd.err: $(cat "$NV_TMP/badcd.err")"
n=$(grep -c '^supervisor: child process was not spawned$' "$NV_TMP/badcd.err")
[ "$n" -eq 2 ] || fail "badcd.err: $(cat "$NV_TMP/badcd.err")"
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"

# user= naming no one: supervisord refuses the config.
nv_conf <<EOF
[program:nobody]
command=sleep 1000
user=nosuchuser_nv
EOF
timeout -k 5 "$(awk -v k="$NV_TIMEOUT_SCALE" 'BEGIN { print 15 * k }')" \
    env NV_TEST_MARK="$NV_TMP" "$NV_SUPERVISORD" -n -c "$NV_CONF" \
    >"$NV_TMP/out" 2>&1 </dev/null
rc=$?
[ "$rc" -eq 2 ] || fail "user=nosuchuser_nv: exit $rc"
grep -q "^Error: Invalid user name nosuchuser_nv in section 'program:nobody'" \
    "$NV_TMP/out" || fail "user=nosuchuser_nv: $(cat "$NV_TMP/out")"
exit 0
