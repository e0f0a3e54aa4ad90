#!/bin/sh
# Our supervisorctl's interactive shell in a tmux pane: the prompt and
# status on entry, completion of commands, processes and groups, fg,
# history kept across sessions, the shutdown y/N question, and Ctrl-C
# and EOF leaving with status 0.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_CTL"
command -v tmux >/dev/null 2>&1 || nv_skip "no tmux"

nv_conf <<EOF
[program:cat]
command=cat
startsecs=0

[group:grp]
programs=alpha,beta

[program:alpha]
command=sleep 1001
startsecs=0

[program:beta]
command=sleep 1002
startsecs=0
EOF
sed '/^\[supervisorctl\]/a\
prompt=nvtest\
history_file=%(here)s/hist' "$NV_CONF" >"$NV_TMP/c" && mv "$NV_TMP/c" "$NV_CONF"
nv_start
running3() { [ "$(nv_ctl status | grep -c RUNNING)" -eq 3 ]; }
wait_until 20 running3

TM="tmux -S $NV_TMP/tmux.sock"
# shell N: a new window running the shell; its exit status lands in rc.N.
shell()
{
	rm -f "$NV_TMP/rc.$1"
	_cmd="'$NV_CTL' -c '$NV_CONF'; echo \$? >'$NV_TMP/rc.$1'; sleep 600"
	if [ "$1" = 1 ]; then
		env NV_TEST_MARK="$NV_TMP" $TM -f /dev/null new-session -d \
		    -x 160 -y 50 -s t -n w1 "$_cmd"
	else
		$TM new-window -t t -n "w$1" "$_cmd"
	fi
	W=t:w$1
}
pane() { $TM capture-pane -p -t "$W"; }
# The last non-empty line of the pane, trailing blanks dropped.
last() { pane | sed 's/  *$//' | grep -v '^$' | tail -n 1; }
shows() { pane | grep -qF -- "$1"; }
last_is() { [ "$(last)" = "$1" ]; }
rc_is() { [ -f "$NV_TMP/rc.$1" ] && [ "$(cat "$NV_TMP/rc.$1")" = "$2" ]; }
keys() { $TM send-keys -t "$W" "$@"; }
echoed_twice() { [ "$(pane | grep -c hello-tmux)" -ge 2 ]; }

shell 1
wait_until 20 last_is "nvtest>"
pane | grep -q '^cat  *RUNNING' || fail "no status on entry"

# Commands complete; so do processes, group:name and group names.
keys 'vers' Tab
wait_until 10 last_is "nvtest> version"
keys Enter
wait_until 10 shows "4.2.5"
keys 'stat' Tab 'c' Tab
wait_until 10 last_is "nvtest> status cat"
keys Enter
wait_until 10 last_is "nvtest>"
keys 'status gr' Tab
wait_until 10 last_is "nvtest> status grp:"
keys 'al' Tab Enter
wait_until 10 shows "grp:alpha                        RUNNING"
keys 'update g' Tab
wait_until 10 last_is "nvtest> update grp"
keys C-a C-k 'st' Tab
wait_until 10 shows "start  status  stop"
keys C-a C-k

# fg: what is typed goes to cat and comes back; Ctrl-C returns.
keys 'fg cat' Enter
wait_until 10 shows "==> Press Ctrl-C to exit <=="
keys 'hello-tmux' Enter
wait_until 10 echoed_twice
keys C-c
wait_until 10 shows "Exiting foreground"
wait_until 10 last_is "nvtest>"

# Shutdown asks; "n" keeps the daemon.
keys 'shutdown' Enter
wait_until 10 last_is "Really shut the remote supervisord process down y/N?"
keys 'n' Enter
wait_until 10 last_is "nvtest>"
nv_alive "$NV_SD_PID" || fail "supervisord went away after n"
keys 'quit' Enter
wait_until 10 rc_is 1 0
grep -q '^version *$' "$NV_TMP/hist" || fail "history not saved"

# A second session sees the first one's history; Ctrl-C leaves.
shell 2
wait_until 20 last_is "nvtest>"
keys Up Up
wait_until 10 last_is "nvtest> shutdown"
keys C-a C-k C-c
wait_until 10 rc_is 2 0

# EOF leaves too; a last session shuts down with y.
shell 3
wait_until 20 last_is "nvtest>"
keys C-d
wait_until 10 rc_is 3 0
shell 4
wait_until 20 last_is "nvtest>"
keys 'shutdown' Enter
wait_until 10 last_is "Really shut the remote supervisord process down y/N?"
keys 'y' Enter
wait_until 10 shows "Shut down"
wait_until 30 nv_dead "$NV_SD_PID"
NV_SD_PID=
$TM kill-server 2>/dev/null
exit 0
