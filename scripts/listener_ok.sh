#!/bin/sh
# listener_ok.sh: an event listener that accepts every event and logs it.
#
# Speaks the listener protocol on stdin/stdout: write READY, read one
# header line ("ver:3.0 ... eventname:X len:N"), read N bytes of payload,
# write "RESULT 2\nOK", and again. Each event goes to stderr, which
# supervisord keeps in this listener's stderr log. Exits 0 when stdin
# closes.
#
# N counts characters; reading N bytes is right for ASCII payloads, which
# is what state and tick events carry.
#
#	[eventlistener:log]
#	command=/path/to/listener_ok.sh
#	events=PROCESS_STATE,TICK_60

while :; do
	printf 'READY\n'
	IFS= read -r header || exit 0
	len=${header##*len:}
	len=${len%% *}
	case $len in
	''|*[!0-9]*)
		printf 'listener_ok.sh: no len in header: %s\n' "$header" >&2
		exit 1
		;;
	esac
	# head -c stops at len bytes, so nothing of the next event is lost.
	payload=$(head -c "$len"; echo x)
	payload=${payload%x}
	printf '%s\n%s\n' "$header" "$payload" >&2
	printf 'RESULT 2\nOK'
done
