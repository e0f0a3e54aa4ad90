#!/bin/sh
# The bundled examples/demo.conf runs as shipped (its own port moved to a
# free one, flaky's lifetime cut to 3 s so the scenario stays short):
# every program reaches RUNNING, flaky is restarted, and a TERM stops it
# all cleanly. Our supervisorctl and the web page answer on it meanwhile.
. "$(dirname "$0")/lib.sh"
nv_setup
D=$NV_TMP/examples
mkdir -p "$D/log" "$NV_TMP/scripts" || fail "mkdir failed"
cp "$top_srcdir/examples/demo.conf" "$top_srcdir/examples/clock.sh" \
    "$top_srcdir/examples/flaky.sh" "$top_srcdir/examples/worker.sh" "$D/" ||
    fail "cannot copy the demo"
cp "$top_srcdir/scripts/listener_ok.sh" "$NV_TMP/scripts/" ||
    fail "cannot copy listener_ok.sh"
PORT=$(nv_free_port)
sed -i -e "s/127\.0\.0\.1:9001/127.0.0.1:$PORT/" \
    -e 's|%(here)s/flaky.sh 7|%(here)s/flaky.sh 3|' "$D/demo.conf"
grep -q "port=127.0.0.1:$PORT" "$D/demo.conf" || fail "port not replaced"
grep -q 'flaky.sh 3$' "$D/demo.conf" || fail "flaky's lifetime not replaced"
NV_CONF=$D/demo.conf
NV_LOG=$D/log/supervisord.log

nv_start "$NV_CONF"
for p in clock worker_00 worker_01 events flaky; do
	wait_proc_state "$p" RUNNING 10
done
# flaky fails after 3 s: exit 1 is unexpected, so it comes back.
wait_log 'WARN exited: flaky \(exit status 1; not expected\)' 10
respawned() { [ "$(log_count "spawned: 'flaky' with pid")" -ge 2 ]; }
wait_until 10 respawned
wait_proc_state flaky RUNNING 10
grep -q 'tick$' "$D/log/clock.out" || fail "clock.out has no tick"
# What the quick start points at: our supervisorctl on the demo's config
# and the web page.
# flaky is RUNNING for about a second of each 3: ask until one status
# shows every program RUNNING (each call takes a second under memcheck).
all_running()
{
	out=$(nv_ctl status) ; rc=$?
	[ "$rc" -eq 0 ] || fail "supervisorctl status exited $rc: $out"
	for p in clock events flaky workers:worker_00 workers:worker_01; do
		printf '%s\n' "$out" | grep -q "^$p  *RUNNING  *pid " ||
		    return 1
	done
}
all_running || wait_until 30 all_running
curl -s -m 10 "http://127.0.0.1:$PORT/" >"$NV_TMP/page.html" ||
    fail "the web page did not answer"
grep -q '<title>nanovisor' "$NV_TMP/page.html" ||
    fail "the web page: $(head -c 300 "$NV_TMP/page.html")"
grep -q '^worker_00: job 1$' "$D/log/worker_00.out" ||
    fail "worker_00.out: $(cat "$D/log/worker_00.out")"
grep -q '^worker_01: job 1$' "$D/log/worker_01.out" ||
    fail "worker_01.out: $(cat "$D/log/worker_01.out")"

pids=
for p in clock worker_00 worker_01 events flaky; do
	pids="$pids $(proc_pid_from_log "$p")"
done
# stopasgroup: the workers' sleeps must go with them.
for p in worker_00 worker_01; do
	pids="$pids $(pgrep -P "$(proc_pid_from_log "$p")")"
done
nv_stop
[ "$NV_SD_STATUS" -eq 0 ] || fail "supervisord exited $NV_SD_STATUS"
for pid in $pids; do
	nv_dead "$pid" || fail "pid $pid outlived supervisord"
done
assert_log_has 'WARN stopped: clock \(terminated by SIGTERM\)'
assert_log_has 'INFO stopped: worker_00 \(exit status 0\)'
assert_log_has 'INFO stopped: worker_01 \(exit status 0\)'
assert_log_has 'WARN stopped: flaky \(terminated by SIGTERM\)'
assert_log_has 'stopped: events \('
grep -q '^worker_00: stopping after [0-9]* jobs$' "$D/log/worker_00.out" ||
    fail "worker_00 did not finish cleanly"
assert_log_lacks ' ERRO '
# The only CRIT lines 4.2.5 writes here: root, and an HTTP server
# without auth.
n=$(grep ' CRIT ' "$NV_LOG" | grep -v -e 'CRIT Supervisor is running as root\.' \
    -e "CRIT Server 'inet_http_server' running without any HTTP authentication checking" |
    wc -l)
[ "$n" -eq 0 ] || fail "unexpected CRIT lines in the main log"
[ ! -e "$D/log/supervisord.pid" ] || fail "pidfile left behind"
