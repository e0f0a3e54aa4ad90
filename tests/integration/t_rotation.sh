#!/bin/sh
# Child logs rotate at *_logfile_maxbytes keeping *_logfile_backups files
# (0 backups: the file is truncated), and the main log rotates at
# logfile_maxbytes. A file may overshoot by one write, and one write is at
# most one read of the child's pipe (128 KiB, as 4.2.5 reads) plus a log
# line's header.
. "$(dirname "$0")/lib.sh"
nv_setup
# Once the test says go: 2000 numbered 100-byte lines, written one by
# one, a last line, exit. (Until then the main log keeps its start line,
# which nv_start waits for.)
cat >"$NV_TMP/writer.py" <<'EOF'
import os, sys, time
while not os.path.exists(sys.argv[1]):
    time.sleep(0.01)
for i in range(2000):
    sys.stdout.write("%06d %s\n" % (i, "x" * 92))
    sys.stdout.flush()
sys.stdout.write("done\n")
sys.stdout.flush()
EOF
max=20480
slack=$((131072 + 1024))
nv_conf <<EOF
[program:two]
command=$NV_PYTHON $NV_TMP/writer.py $NV_TMP/go
startsecs=0
autorestart=false
stdout_logfile=$NV_TMP/two.log
stdout_logfile_maxbytes=20KB
stdout_logfile_backups=2

[program:zero]
command=$NV_PYTHON $NV_TMP/writer.py $NV_TMP/go
startsecs=0
autorestart=false
stdout_logfile=$NV_TMP/zero.log
stdout_logfile_maxbytes=20KB
stdout_logfile_backups=0
EOF
sed -i "s/^loglevel=.*/loglevel=debug\nlogfile_maxbytes=50KB\nlogfile_backups=1/" \
    "$NV_CONF"
nv_start
: >"$NV_TMP/go"
# A child's output is all logged before its exit is. The main log
# rotates meanwhile, maybe past the line: look in the copy on stdout.
exited() {
	grep -q "INFO exited: $1 (exit status 0; expected)" "$NV_SD_OUT"
}
wait_until 20 exited two
wait_until 20 exited zero
# The last write may itself trigger a rotation: "done" ends the live
# file or, if that was just emptied, the newest backup.
grep -qx done "$NV_TMP/two.log" "$NV_TMP/two.log.1" ||
    fail "the last line is in neither two.log nor two.log.1"

size() { wc -c <"$1"; }
bounded() {
	_s=$(size "$1")
	[ "$_s" -lt $((max + slack)) ] || fail "$1 is $_s bytes"
}
# Line numbers in a file: first and last.
first_n() { sed -n 's/^\([0-9]\{6\}\) .*/\1/p' "$1" | head -n 1; }
last_n() { sed -n 's/^\([0-9]\{6\}\) .*/\1/p' "$1" | tail -n 1; }

# backups=2: the live file, .1 and .2; never .3. A rotated file reached
# maxbytes before it was moved; the newest data is in the live file.
for f in two.log two.log.1 two.log.2; do
	[ -f "$NV_TMP/$f" ] || fail "$f does not exist"
	bounded "$NV_TMP/$f"
done
[ ! -e "$NV_TMP/two.log.3" ] || fail "two.log.3 exists with backups=2"
for f in two.log.1 two.log.2; do
	[ "$(size "$NV_TMP/$f")" -ge "$max" ] ||
	    fail "$f was rotated before reaching maxbytes"
done
a=$(last_n "$NV_TMP/two.log.2")
b=$(first_n "$NV_TMP/two.log.1")
c=$(last_n "$NV_TMP/two.log.1")
d=$(first_n "$NV_TMP/two.log")
[ $((1$a - 1000000 + 1)) -eq $((1$b - 1000000)) ] &&
    [ $((1$c - 1000000 + 1)) -eq $((1${d:-002000} - 1000000)) ] ||
    fail "rotated files are not consecutive: .2 ends $a, .1 is $b-$c," \
	"live starts ${d:-with done}"

# backups=0: one file, truncated in place, holding only the newest data.
[ ! -e "$NV_TMP/zero.log.1" ] || fail "zero.log.1 exists with backups=0"
bounded "$NV_TMP/zero.log"
n=$(first_n "$NV_TMP/zero.log")
[ -z "$n" ] || [ "$n" -gt 0 ] || fail "zero.log was never truncated"

# The main log rotated too (child output is copied into it at debug).
[ -f "$NV_LOG.1" ] || fail "the main log did not rotate"
[ ! -e "$NV_LOG.2" ] || fail "supervisord.log.2 exists with logfile_backups=1"
max=51200
bounded "$NV_LOG"
bounded "$NV_LOG.1"
[ "$(size "$NV_LOG.1")" -ge "$max" ] ||
    fail "the main log was rotated before reaching logfile_maxbytes"
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
