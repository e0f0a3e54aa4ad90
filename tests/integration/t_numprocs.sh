#!/bin/sh
# numprocs, numprocs_start and process_name name each instance, and every
# instance sees its names and the server URL in its environment.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_conf <<EOF
[program:worker]
command=sh -c 'echo "\$SUPERVISOR_PROCESS_NAME \$SUPERVISOR_GROUP_NAME \$SUPERVISOR_ENABLED \$SUPERVISOR_SERVER_URL \$FOO"; exec sleep 1000'
process_name=%(program_name)s_%(process_num)02d
numprocs=3
numprocs_start=5
startsecs=0
environment=FOO="bar baz"
stdout_logfile=$NV_TMP/%(process_num)d.out
EOF
nv_start
for n in 05 06 07; do
	wait_proc_state "worker_$n" RUNNING
done
for n in 5 6 7; do
	wait_until 10 test -s "$NV_TMP/$n.out"
	got=$(cat "$NV_TMP/$n.out")
	want="worker_0$n worker 1 unix://$NV_SOCK bar baz"
	[ "$got" = "$want" ] || fail "instance $n saw '$got', want '$want'"
done
nv_stop
