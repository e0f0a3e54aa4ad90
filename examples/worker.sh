#!/bin/sh
# worker.sh: pretend to work, one job every 3 s, and finish the current
# job cleanly on SIGTERM. supervisord runs two of these (numprocs=2);
# each one learns its name from SUPERVISOR_PROCESS_NAME.
me=${SUPERVISOR_PROCESS_NAME:-worker}
running=1
trap 'running=' TERM
job=0
echo "$me: ready (pid $$)"
while [ -n "$running" ]; do
	job=$((job + 1))
	echo "$me: job $job"
	sleep 3 &
	wait $!
done
echo "$me: stopping after $job jobs"
exit 0
