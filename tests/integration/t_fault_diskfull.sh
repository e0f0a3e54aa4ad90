#!/bin/sh
# The log disk full: a child logs to a 1 MB tmpfs that a filler then
# fills. The child keeps running (same pid), the failure is reported once
# in the main log (which lives elsewhere), and logging resumes, with a
# line saying so, once space returns. Root only: it mounts the tmpfs.
. "$(dirname "$0")/lib.sh"
nv_setup
[ "$(id -u)" -eq 0 ] || nv_skip "not root: cannot mount a tmpfs"
mkdir "$NV_TMP/small"
mount -t tmpfs -o size=1m nvtest "$NV_TMP/small" 2>/dev/null ||
    nv_skip "cannot mount a tmpfs here"
trap '_rc=$?; umount "$NV_TMP/small" 2>/dev/null; (exit $_rc); nv_cleanup' EXIT
NV_LOGLEVEL=info
nv_conf <<EOF
[program:talker]
command=/bin/sh -c 'i=0; while :; do i=\$((i+1)); echo "line \$i"; echo \$i >$NV_TMP/count; sleep 0.01; done'
startsecs=0
stdout_logfile=$NV_TMP/small/talker.log
stdout_logfile_maxbytes=0
EOF

log=$NV_TMP/small/talker.log
last_line() { tail -n 1 "$log" 2>/dev/null | sed -n 's/^line //p'; }
grows()
{
	_n=$(last_line)
	[ -n "$_n" ] && [ "$_n" -gt "$1" ]
}

nv_start
wait_proc_state talker RUNNING
pid=$(proc_pid_from_log talker)
wait_until 10 grows 5
# fill the disk
dd if=/dev/zero of="$NV_TMP/small/filler" bs=64k 2>/dev/null
wait_log "ERRO could not write the stdout log of 'talker' \($log\): No space left on device" 10
# the child's line count in c; false while the child is rewriting the
# file (truncated, not yet written)
read_count() { c=$(cat "$NV_TMP/count" 2>/dev/null); [ -n "$c" ]; }
past() { _c=$(cat "$NV_TMP/count" 2>/dev/null); [ -n "$_c" ] && [ "$_c" -gt "$1" ]; }
# fifty more lines written into the full disk: still one report
wait_until 10 read_count
wait_until 10 past $((c + 50))
n=$(log_count "could not write the stdout log of 'talker'")
[ "$n" -eq 1 ] || fail "$n reports of the full disk, expected 1"
rm -f "$NV_TMP/small/filler"
wait_until 10 read_count
wait_log "INFO writing the stdout log of 'talker' \($log\) again" 10
wait_until 10 grows "$c"
[ "$(proc_pid_from_log talker)" = "$pid" ] || fail "talker was restarted"
nv_alive "$pid" || fail "talker died"
assert_proc_state talker RUNNING
nv_stop
