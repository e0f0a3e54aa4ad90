#!/bin/sh
# kill -9 storms: 200 children are killed at once, three times. Each time
# every one is reaped, logged and restarted, the daemon keeps answering,
# and it holds as many file descriptors after the storms as before.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_PYTHON"
NV_LOGLEVEL=info
nv_conf <<EOF
[program:victim]
command=sleep 1000
process_name=%(program_name)s_%(process_num)03d
numprocs=200
startsecs=0
autorestart=true
EOF

cat >"$NV_TMP/pids.py" <<'EOF'
import sys, unixrpc, xmlrpc.client
s = unixrpc.proxy(sys.argv[1])
running = [p["pid"] for p in s.supervisor.getAllProcessInfo()
           if p["statename"] == "RUNNING"]
print(len(running), " ".join(map(str, running)))
EOF

all_running()
{
	set -- $("$NV_PYTHON" "$NV_TMP/pids.py" "$NV_SOCK")
	[ "$1" = 200 ] || return 1
	shift
	PIDS=$*
}

fds()
{
	ls "/proc/$NV_SD_PID/fd" | wc -l
}

nv_start
wait_until 30 all_running
fds_before=$(fds)
for round in 1 2 3; do
	old=$PIDS
	kill -KILL $old
	for p in $old; do wait_until 10 nv_dead "$p"; done
	wait_until 30 all_running
	for p in $old; do
		case " $PIDS " in *" $p "*) fail "pid $p still listed" ;; esac
	done
	n=$(log_count 'exited: victim_[0-9]+ \(terminated by SIGKILL; not expected\)')
	[ "$n" -eq $((round * 200)) ] ||
	    fail "round $round: $n SIGKILL exits logged"
done
fds_after=$(fds)
[ "$fds_after" -le "$fds_before" ] ||
    fail "supervisord held $fds_before fds before the storms, $fds_after after"
nv_stop
