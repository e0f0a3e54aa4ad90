#!/bin/sh
# A program that ignores its stop signal is killed with SIGKILL after
# stopwaitsecs; killasgroup reaches its grandchildren too, and without it
# they are left behind as in 4.2.5.
. "$(dirname "$0")/lib.sh"
nv_setup
cat >"$NV_TMP/stubborn.sh" <<'EOS'
#!/bin/sh
trap '' TERM
# A grandchild that also ignores TERM; its pid is recorded for the test.
sh -c 'trap "" TERM; while :; do sleep 0.2; done' &
echo $! >"$1"
while :; do sleep 0.2; done
EOS
chmod +x "$NV_TMP/stubborn.sh"
nv_conf <<EOF
[program:stubborn]
command=$NV_TMP/stubborn.sh $NV_TMP/grandchild.pid
startsecs=0
stopwaitsecs=1
killasgroup=true

[program:loner]
command=$NV_TMP/stubborn.sh $NV_TMP/orphan.pid
startsecs=0
stopwaitsecs=1
EOF
nv_start
wait_proc_state stubborn RUNNING
wait_proc_state loner RUNNING
wait_until 10 test -s "$NV_TMP/grandchild.pid"
wait_until 10 test -s "$NV_TMP/orphan.pid"
gc=$(cat "$NV_TMP/grandchild.pid")
orphan=$(cat "$NV_TMP/orphan.pid")
nv_alive "$gc" || fail "grandchild not running"

nv_stop
assert_log_has "WARN killing 'stubborn' \([0-9]+\) with SIGKILL"
assert_log_has 'WARN stopped: stubborn \(terminated by SIGKILL\)'
assert_log_has "WARN killing 'loner' \([0-9]+\) with SIGKILL"
wait_until 5 nv_dead "$gc"
nv_alive "$orphan" || fail "without killasgroup the grandchild should survive"
kill -KILL "$orphan"
