#!/bin/sh
# A SIGHUP storm: 30 back to back, then 10 more with a broken config in
# place. supervisord keeps running through all of them, ends with its
# programs RUNNING under the last good config, answers RPC, and holds no
# more file descriptors than before.
. "$(dirname "$0")/lib.sh"
nv_setup
NV_LOGLEVEL=info
nv_conf <<EOF
[program:a]
command=sleep 1000
startsecs=0
stopwaitsecs=5

[program:b]
command=sleep 1000
startsecs=0
numprocs=3
process_name=%(program_name)s_%(process_num)d
stopwaitsecs=5
EOF
cp "$NV_CONF" "$NV_TMP/good.conf"

fds()
{
	ls "/proc/$NV_SD_PID/fd" | wc -l
}

settled()
{
	out=$(nv_pyctl status 2>/dev/null)
	[ "$(printf '%s\n' "$out" | grep -c RUNNING)" -eq 4 ]
}

nv_start
wait_until 10 settled
fds_before=$(fds)
i=0
while [ $i -lt 30 ]; do
	kill -HUP "$NV_SD_PID" || fail "supervisord is gone after $i SIGHUPs"
	i=$((i + 1))
done
wait_until 20 settled
printf '[program:c]\ncommand=true\nnumprocs=zero\n' >>"$NV_CONF"
i=0
while [ $i -lt 10 ]; do
	kill -HUP "$NV_SD_PID" || fail "supervisord is gone after $i bad SIGHUPs"
	i=$((i + 1))
done
wait_log "zero" 10
cp "$NV_TMP/good.conf" "$NV_CONF"
kill -HUP "$NV_SD_PID"
wait_until 20 settled
nv_alive "$NV_SD_PID" || fail "supervisord died"
fds_after=$(fds)
[ "$fds_after" -le "$fds_before" ] ||
    fail "supervisord held $fds_before fds before the storm, $fds_after after"
nv_stop
