#!/bin/sh
# flaky.sh [SECONDS]: run for SECONDS (default 7), then fail with status 1.
# Exit status 1 is not in exitcodes, so autorestart=unexpected starts it
# again: the demo's restart loop (see "exited: flaky" in the main log).
lifetime=${1:-7}
echo "flaky: up as pid $$, failing in ${lifetime}s"
sleep "$lifetime"
echo "flaky: giving up with status 1" >&2
exit 1
