#!/bin/sh
# echo_supervisord_conf prints a sample that names every section and
# option, is our own text, and is accepted by 4.2.5's parser and by ours,
# both as printed and with its [program:x] and [eventlistener:x]
# examples uncommented.
. "$(dirname "$0")/lib.sh"
nv_setup
nv_need_bin "$NV_ECHO_CONF"

"$NV_ECHO_CONF" >"$NV_TMP/printed.conf"
rc=$?
[ "$rc" -eq 0 ] || fail "echo_supervisord_conf exited $rc"
[ -s "$NV_TMP/printed.conf" ] || fail "echo_supervisord_conf printed nothing"

# Point every /tmp path into the temp dir, so log and socket directories
# exist and nothing outside it is touched.
sed "s|/tmp/|$NV_TMP/|g; s|=/tmp |=$NV_TMP |" "$NV_TMP/printed.conf" \
    >"$NV_TMP/sample.conf"
sed "s|$NV_TMP||g" "$NV_TMP/sample.conf" | grep -q '/tmp' &&
    fail "a /tmp path survived sed"

# The examples, uncommented: from the section header to the blank line.
sed -e '/^;\[program:/,/^$/s/^;//' -e '/^;\[eventlistener:/,/^$/s/^;//' \
    "$NV_TMP/sample.conf" >"$NV_TMP/examples.conf"
grep -qx '\[program:theprogramname\]' "$NV_TMP/examples.conf" ||
    fail "no [program:theprogramname] example to uncomment"
grep -qx '\[eventlistener:theeventlistenername\]' "$NV_TMP/examples.conf" ||
    fail "no [eventlistener:theeventlistenername] example to uncomment"

# ---- every section and option appears, active or as an example ----

has_section()
{
	grep -Eq "^;?\\[$1\\]" "$NV_TMP/printed.conf" ||
	    fail "the sample has no [$1] section"
}

has_option()
{
	grep -Eq "^;?$1 *=" "$NV_TMP/printed.conf" ||
	    fail "the sample has no $1 option"
}

for s in unix_http_server inet_http_server supervisord \
    rpcinterface:supervisor supervisorctl 'program:[a-z]+' \
    'eventlistener:[a-z]+' 'group:[a-z]+' include 'fcgi-program:[a-z]+'; do
	has_section "$s"
done
for o in file chmod chown username password port logfile logfile_maxbytes \
    logfile_backups loglevel pidfile nodaemon silent minfds minprocs \
    umask user directory identifier nocleanup childlogdir strip_ansi \
    environment bus_endpoint supervisor.rpcinterface_factory serverurl \
    prompt history_file command process_name numprocs numprocs_start \
    priority autostart startsecs startretries autorestart exitcodes \
    stopsignal stopwaitsecs stopasgroup killasgroup redirect_stderr \
    stdout_logfile stdout_logfile_maxbytes stdout_logfile_backups \
    stdout_capture_maxbytes stdout_events_enabled stdout_syslog \
    stderr_logfile stderr_logfile_maxbytes stderr_logfile_backups \
    stderr_capture_maxbytes stderr_events_enabled stderr_syslog events \
    buffer_size result_handler programs socket socket_backlog \
    socket_owner socket_mode files; do
	has_option "$o"
done
grep -q '^supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface$' \
    "$NV_TMP/printed.conf" || fail "[rpcinterface:supervisor] is not active"
grep -q '^\[unix_http_server\]' "$NV_TMP/printed.conf" ||
    fail "[unix_http_server] is not active"
grep -q '^;\[inet_http_server\]' "$NV_TMP/printed.conf" ||
    fail "[inet_http_server] is not commented out"

# ---- our own words: no comment of 4.2.5's sample reappears ----
# (section headers and option names are shared on purpose)

ref=${NV_REF_SAMPLE:-/work/shared/reference/supervisor-docs/echo_supervisord_conf-output-4.2.5.conf}
if [ -f "$ref" ]; then
	grep -Fx -f "$ref" "$NV_TMP/printed.conf" |
	    awk '(/^; / || /[^;].* ;/) && length >= 30' \
	    >"$NV_TMP/shared-lines"
	[ -s "$NV_TMP/shared-lines" ] &&
	    fail "lines copied from 4.2.5's sample: $(cat "$NV_TMP/shared-lines")"
else
	nv_note "4.2.5's sample not found; the copy check did not run"
fi

# ---- 4.2.5's parser accepts both ----

py_parse()
{
	"$NV_PYTHON" - "$1" <<'EOF'
import sys
from supervisor.options import ServerOptions
o = ServerOptions()
o.realize(["-c", sys.argv[1]])
o.process_config()
for w in getattr(o, "parse_warnings", []):
    print("warning:", w)
for g in o.process_group_configs:
    print("group:", g.name)
EOF
}

if [ -x "$NV_PYTHON" ] && "$NV_PYTHON" -c 'import supervisor.options' \
    2>/dev/null; then
	for c in sample examples; do
		py_parse "$NV_TMP/$c.conf" >"$NV_TMP/$c.py" 2>&1 ||
		    fail "4.2.5 rejects $c.conf: $(cat "$NV_TMP/$c.py")"
		grep -q '^warning:' "$NV_TMP/$c.py" &&
		    fail "4.2.5 warns about $c.conf: $(cat "$NV_TMP/$c.py")"
	done
	grep -q '^group:' "$NV_TMP/sample.py" &&
	    fail "4.2.5 found programs in the sample as printed"
	grep -qx 'group: theprogramname' "$NV_TMP/examples.py" ||
	    fail "4.2.5 did not see [program:theprogramname]"
	grep -qx 'group: theeventlistenername' "$NV_TMP/examples.py" ||
	    fail "4.2.5 did not see [eventlistener:theeventlistenername]"
else
	nv_note "SKIP: 4.2.5 (supervisor.options) is not installed"
fi

# ---- our parser accepts both ----

if [ -x "$NV_CONF_DUMP" ]; then
	for c in sample examples; do
		"$NV_CONF_DUMP" "$NV_TMP/$c.conf" >"$NV_TMP/$c.dump" 2>&1 ||
		    fail "our parser rejects $c.conf: $(cat "$NV_TMP/$c.dump")"
	done
	for n in theprogramname theeventlistenername; do
		grep -q "$n" "$NV_TMP/examples.dump" ||
		    fail "our parser did not report $n"
	done
else
	nv_note "SKIP: tests/conf_dump is not built; our parser not checked"
fi
exit 0
