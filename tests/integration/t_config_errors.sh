#!/bin/sh
# An invalid config makes supervisord exit 2 before it starts anything,
# with "Error: " and where (file, line, option) on stderr and the help
# hint last. Also: a missing -c file, a positional argument, -v, --check.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_SUPERVISORD"
MARK=$NV_TMP/marker
# The name supervisord gives itself, which its help hint repeats.
ARGV0=$(nv_argv0 "$NV_SUPERVISORD")

# sd_run ARGS...: supervisord in the foreground with a deadline; status
# in rc, streams in $NV_TMP/err and $NV_TMP/out.
sd_run()
{
	timeout -k 5 "$(awk -v k="$NV_TIMEOUT_SCALE" 'BEGIN { print 15 * k }')" \
	    env NV_TEST_MARK="$NV_TMP" "$NV_SUPERVISORD" "$@" \
	    >"$NV_TMP/out" 2>"$NV_TMP/err" </dev/null
	rc=$?
}

# bad NAME 'ERROR REGEX' [OPTION] <<EOF: a program that would touch the
# marker, then a program carrying the error. With OPTION, the message
# ends with where it is: file, line and option.
bad()
{
	_c=$NV_TMP/$1.conf
	{
		nv_conf_base
		printf '[program:marker]\ncommand=touch %s\nstartsecs=0\n\n' \
		    "$MARK"
		cat
	} >"$_c"
	_re=$2
	[ -z "$3" ] || _re="$_re $(bad_at "$_c" "$3")"
	sd_run -n -c "$_c"
	[ "$rc" -eq 2 ] || fail "$1: exit $rc, expected 2: $(cat "$NV_TMP/err")"
	[ ! -e "$MARK" ] || fail "$1: a program was started"
	head -n 1 "$NV_TMP/err" | grep -Eq -- "^Error: $_re\$" ||
	    fail "$1: stderr is: $(cat "$NV_TMP/err")"
	[ "$(tail -n 1 "$NV_TMP/err")" = "For help, use $ARGV0 -h" ] ||
	    fail "$1: last line is: $(tail -n 1 "$NV_TMP/err")"
	[ ! -s "$NV_TMP/out" ] || fail "$1: stdout is: $(cat "$NV_TMP/out")"
}

# The offending option is the last of its name in the file.
bad_at()
{
	printf "[(]file: '%s', line %d, option '%s'[)]" "$1" \
	    "$(grep -n "^$2=" "$1" | tail -n 1 | cut -d: -f1)" "$2"
}

bad startsecs "invalid literal for int\\(\\) with base 10: 'abc' in section 'program:x'" startsecs <<EOF
[program:x]
command=sleep 10
startsecs=abc
EOF
bad autorestart "invalid 'autorestart' value 'maybe' in section 'program:x'" autorestart <<EOF
[program:x]
command=sleep 10
autorestart=maybe
EOF
bad signal "value 'BOGUS' is not a valid signal name in section 'program:x'" stopsignal <<EOF
[program:x]
command=sleep 10
stopsignal=BOGUS
EOF
bad user "Invalid user name nosuchuser_nv in section 'program:x'" user <<EOF
[program:x]
command=sleep 10
user=nosuchuser_nv
EOF
bad nocommand "program section program:x does not specify a command in section 'program:x' \\(file: '$NV_TMP/nocommand.conf', line [0-9]+\\)" <<EOF
[program:x]
startsecs=1
EOF
bad syntax "Source contains parsing errors: '$NV_TMP/syntax.conf'" <<EOF
[program:x]
command=sleep 10
this line is not ini
EOF
grep -q "^	\\[line  *[0-9]*\\]: 'this line is not ini\\\\n'\$" "$NV_TMP/err" ||
    fail "syntax: no offending line: $(cat "$NV_TMP/err")"

# Command line errors.
sd_run -n -c "$NV_TMP/nosuch.conf"
[ "$rc" -eq 2 ] || fail "missing -c file: exit $rc"
[ "$(head -n 1 "$NV_TMP/err")" = \
    "Error: could not find config file $NV_TMP/nosuch.conf" ] ||
    fail "missing -c file: $(cat "$NV_TMP/err")"
[ "$(tail -n 1 "$NV_TMP/err")" = "For help, use $ARGV0 -h" ] ||
    fail "missing -c file: no help hint"

nv_conf <<EOF
[program:marker]
command=touch $MARK
startsecs=0
EOF
sd_run -n -c "$NV_CONF" extra
[ "$rc" -eq 2 ] || fail "positional argument: exit $rc"
[ "$(head -n 1 "$NV_TMP/err")" = \
    "Error: positional arguments are not supported: ['extra']" ] ||
    fail "positional argument: $(cat "$NV_TMP/err")"
[ ! -e "$MARK" ] || fail "a positional argument started programs"

sd_run -v
[ "$rc" -eq 0 ] && [ "$(cat "$NV_TMP/out")" = 4.2.5 ] ||
    fail "-v: exit $rc, printed '$(cat "$NV_TMP/out")'"

# --check: a good config passes and starts nothing; a bad one fails.
sd_run --check -c "$NV_CONF"
[ "$rc" -eq 0 ] || fail "--check on a good config: exit $rc: $(cat "$NV_TMP/err")"
[ ! -e "$MARK" ] || fail "--check started programs"
[ ! -e "$NV_LOG" ] || fail "--check opened the main log"
sd_run --check -c "$NV_TMP/startsecs.conf"
[ "$rc" -eq 2 ] || fail "--check on a bad config: exit $rc"
head -n 1 "$NV_TMP/err" | grep -q "^Error: invalid literal for int() with base 10: 'abc'" ||
    fail "--check on a bad config: $(cat "$NV_TMP/err")"
exit 0
