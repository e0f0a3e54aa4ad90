#!/bin/sh
# A pool of three listener processes shares the work: every event is
# handled exactly once, and a busy listener's events go to the others.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"

# Takes its time over each event and records who handled which.
cat >"$NV_TMP/slow.sh" <<'EOF'
#!/bin/sh
while :; do
	printf 'READY\n'
	IFS= read -r header || exit 0
	len=${header##*len:}
	head -c "$len" >/dev/null
	ps=${header#*poolserial:}
	ps=${ps%% *}
	sleep 0.3
	printf '%s %s\n' "$SUPERVISOR_PROCESS_NAME" "$ps" >>"$1"
	printf 'RESULT 2\nOK'
done
EOF
chmod +x "$NV_TMP/slow.sh"

nv_conf <<EOF
[eventlistener:pool]
command=$NV_TMP/slow.sh $NV_TMP/done
process_name=%(program_name)s_%(process_num)d
numprocs=3
events=PROCESS_STATE_RUNNING
buffer_size=100
startsecs=1

[program:w]
command=/bin/sleep 1000
process_name=%(program_name)s_%(process_num)d
numprocs=6
startsecs=0
EOF

# 6 w RUNNING, 3 pool RUNNING
all_done()
{
	[ -f "$NV_TMP/done" ] && [ "$(wc -l <"$NV_TMP/done")" -ge 9 ]
}

nv_start
wait_until 30 all_done
n=$(wc -l <"$NV_TMP/done")
[ "$n" -eq 9 ] || fail "$n deliveries for 9 events: $(cat "$NV_TMP/done")"
serials=$(cut -d' ' -f2 "$NV_TMP/done" | sort -n | tr '\n' ' ')
[ "$serials" = "0 1 2 3 4 5 6 7 8 " ] ||
    fail "poolserials handled: $serials"
workers=$(cut -d' ' -f1 "$NV_TMP/done" | sort -u | wc -l)
[ "$workers" -ge 2 ] || fail "one listener did all the work"
nv_stop
