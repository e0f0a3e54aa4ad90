#!/bin/sh
# An event a listener rejects (FAIL), or holds when it dies, is sent
# again, with the same serial and poolserial, and only within its own
# pool: a pool of the same priority never sees it (4.2.5 leaks rejected
# events into such pools; we do not).
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"

# listener MODE RECORD: MODE fail answers FAIL the first time it sees a
# serial, MODE die exits instead; both record every header they get.
cat >"$NV_TMP/lst.sh" <<'EOF'
#!/bin/sh
mode=$1
rec=$2
while :; do
	printf 'READY\n'
	IFS= read -r header || exit 0
	len=${header##*len:}
	head -c "$len" >/dev/null
	printf '%s\n' "$header" >>"$rec"
	serial=${header#*serial:}
	serial=${serial%% *}
	if [ -e "$rec.$serial" ]; then
		printf 'RESULT 2\nOK'
		continue
	fi
	: >"$rec.$serial"
	[ "$mode" = die ] && exit 1
	printf 'RESULT 4\nFAIL'
done
EOF
chmod +x "$NV_TMP/lst.sh"

nv_conf <<EOF
[eventlistener:failing]
command=$NV_TMP/lst.sh fail $NV_TMP/failing.rec
events=PROCESS_LOG_STDOUT
startsecs=0

[eventlistener:dying]
command=$NV_TMP/lst.sh die $NV_TMP/dying.rec
events=PROCESS_LOG_STDOUT
startsecs=0
autorestart=true

[eventlistener:bystander]
command=$NV_SCRIPTS/listener_ok.sh
events=PROCESS_STATE_RUNNING
stderr_logfile=$NV_TMP/bystander.log
startsecs=0

[program:quick]
command=/bin/sh -c 'echo one; exec sleep 1000'
process_name=%(program_name)s_%(process_num)d
numprocs=3
startsecs=0
stdout_events_enabled=true
EOF

lines()
{
	[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]
}

nv_start
# three PROCESS_LOG events, each seen twice by each listener
wait_until 30 lines "$NV_TMP/failing.rec" 6
wait_until 30 lines "$NV_TMP/dying.rec" 6
wait_until 10 nv_log_has 'dying \(exit status 1; not expected\)'

for pool in failing dying; do
	rec=$NV_TMP/$pool.rec
	[ "$(grep -c 'eventname:PROCESS_LOG_STDOUT' "$rec")" -eq 6 ] ||
	    fail "$pool: not 6 deliveries: $(cat "$rec")"
	# every (serial, poolserial) pair exactly twice
	sed 's/.* serial:\([0-9]*\) .* poolserial:\([0-9]*\) .*/\1 \2/' \
	    "$rec" | sort | uniq -c | awk '$1 != 2 { exit 1 }' ||
	    fail "$pool: an event was not redelivered as itself: $(cat "$rec")"
done
[ "$(log_count 'WARN failing: event was rejected')" -eq 3 ] ||
    fail "expected 3 rejections in the main log"
assert_log_has 'DEBG rebuffering event [0-9]+ for pool failing \(buf size=[0-9]+, max=10\)'
assert_log_has 'DEBG rebuffering event [0-9]+ for pool dying '

# the bystander (same priority) got RUNNING events and nothing else
wait_until 10 grep -q 'processname:quick_2' "$NV_TMP/bystander.log"
if grep '^ver:' "$NV_TMP/bystander.log" |
    grep -v 'eventname:PROCESS_STATE_RUNNING '; then
	fail "a rejected event leaked into another pool"
fi
nv_stop
