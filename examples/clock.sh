#!/bin/sh
# clock.sh [SECONDS]: print the time every SECONDS (default 5), forever.
# The demo's simplest program: watch it with "supervisorctl tail -f clock".
interval=${1:-5}
while :; do
	date '+%Y-%m-%d %H:%M:%S tick'
	sleep "$interval"
done
