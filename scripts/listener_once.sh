#!/bin/sh
# listener_once.sh: an event listener that handles one event, then exits.
#
# Same protocol as listener_ok.sh (READY, header line, len bytes of
# payload, "RESULT 2\nOK"), but it exits 0 after the first event, so each
# event is seen by a fresh process. Pair it with autorestart=true: exit
# code 0 is "expected", so autorestart=unexpected would leave it stopped.
#
#	[eventlistener:once]
#	command=/path/to/listener_once.sh
#	events=TICK_5
#	autorestart=true
#	startsecs=0

printf 'READY\n'
IFS= read -r header || exit 0
len=${header##*len:}
len=${len%% *}
case $len in
''|*[!0-9]*)
	printf 'listener_once.sh: no len in header: %s\n' "$header" >&2
	exit 1
	;;
esac
payload=$(head -c "$len"; echo x)
payload=${payload%x}
printf '%s\n%s\n' "$header" "$payload" >&2
printf 'RESULT 2\nOK'
exit 0
