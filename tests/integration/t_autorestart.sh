#!/bin/sh
# autorestart=true restarts on any exit, unexpected only on an exit code
# not in exitcodes, false never.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_conf <<EOF
[program:always]
command=sh -c 'sleep 0.3; exit 0'
startsecs=0
autorestart=true

[program:unexp_bad]
command=sh -c 'sleep 0.3; exit 2'
startsecs=0
autorestart=unexpected

[program:unexp_ok]
command=sh -c 'sleep 0.3; exit 2'
startsecs=0
autorestart=unexpected
exitcodes=0,2

[program:never]
command=sh -c 'sleep 0.3; exit 2'
startsecs=0
autorestart=false
EOF
nv_start
spawns() { log_count "spawned: '$1' with pid"; }
restarted_twice() {
	[ "$(spawns always)" -ge 3 ] && [ "$(spawns unexp_bad)" -ge 3 ]
}
wait_until 20 restarted_twice
wait_log 'exited: unexp_ok \(exit status 2; expected\)'
wait_log 'exited: never \(exit status 2; not expected\)'
# Let the restarting programs cycle twice more: the others had all that
# time to come back if they were going to.
n=$(spawns always)
more_cycles() { [ "$(spawns always)" -ge $((n + 2)) ]; }
wait_until 20 more_cycles
[ "$(spawns unexp_ok)" -eq 1 ] ||
    fail "autorestart=unexpected restarted after an expected exit"
[ "$(spawns never)" -eq 1 ] || fail "autorestart=false restarted"
assert_log_has 'INFO exited: always \(exit status 0; expected\)'
assert_log_has 'WARN exited: unexp_bad \(exit status 2; not expected\)'
nv_stop
