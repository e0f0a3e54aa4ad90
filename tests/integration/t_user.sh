#!/bin/sh
# user= runs the child as that user: its uid, gid and groups, with the
# environment left as supervisord's (HOME unchanged, as 4.2.5). The
# chdir to directory= happens after the switch, so a directory the user
# cannot enter fails the spawn. Root only: it creates a throwaway user.
. "$(dirname "$0")/lib.sh"
nv_setup
[ "$(id -u)" -eq 0 ] || nv_skip "not root"
command -v useradd >/dev/null 2>&1 || nv_skip "no useradd"

NV_USER=nvtest$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')
useradd -M -N -g nogroup -d /nonexistent -s /bin/false "$NV_USER" \
    >/dev/null 2>&1 || nv_skip "useradd $NV_USER failed"
# Remove the user before the common cleanup (which exits).
trap '_rc=$?; userdel -f "$NV_USER" >/dev/null 2>&1; (exit $_rc); nv_cleanup' EXIT
uid=$(id -u "$NV_USER")
gid=$(id -g "$NV_USER")

mkdir -m 700 "$NV_TMP/private"
HOME=$NV_TMP/roothome
export HOME
nv_conf <<EOF
[program:asuser]
command=sleep 1000
startsecs=0
user=$NV_USER

[program:noaccess]
command=sleep 1000
user=$NV_USER
directory=$NV_TMP/private
startretries=0
stderr_logfile=$NV_TMP/noaccess.err
EOF
nv_start
wait_proc_state asuser RUNNING
pid=$(proc_pid_from_log asuser)
status_of() { sed -n "s/^$1:[[:space:]]*//p" "/proc/$pid/status" | tr -s '\t ' ' '; }
[ "$(status_of Uid)" = "$uid $uid $uid $uid" ] ||
    fail "child Uid: $(status_of Uid), expected $uid"
[ "$(status_of Gid)" = "$gid $gid $gid $gid" ] ||
    fail "child Gid: $(status_of Gid), expected $gid"
[ "$(status_of Groups)" = "$gid " ] || [ "$(status_of Groups)" = "$gid" ] ||
    fail "child Groups: '$(status_of Groups)', expected $gid"
child_home=$(tr '\0' '\n' <"/proc/$pid/environ" | sed -n 's/^HOME=//p')
[ "$child_home" = "$HOME" ] ||
    fail "child HOME is '$child_home', supervisord's is '$HOME'"

wait_log 'INFO gave up: noaccess entered FATAL state, too many start retries too quickly'
grep -qx "supervisor: couldn't chdir to $NV_TMP/private: EACCES" \
    "$NV_TMP/noaccess.err" || fail "noaccess.err: $(cat "$NV_TMP/noaccess.err")"
assert_log_has 'WARN exited: noaccess \(exit status 127; not expected\)'
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
