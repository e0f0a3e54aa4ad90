#!/bin/sh
# The web page in Debian's chromium, driven by playwright-core (from the
# npm registry, pinned in tests/web/package-lock.json) against the real
# daemon on 127.0.0.1 with Basic auth: the table, Stop/Start/Restart
# without a reload, a supervisorctl start seen live, group actions, the
# live tail with UTF-8, tail.html, a phone-sized page, the 4.2.5 GET
# action URL that does not act, and cross-site POSTs refused. Screenshots
# go to $top_builddir/tests/web-results/. Skips only without chromium or
# node.
. "$(dirname "$0")/lib.sh"
nv_setup
NV_CHROMIUM=${NV_CHROMIUM:-/usr/bin/chromium}
[ -x "$NV_CHROMIUM" ] || nv_skip "no chromium ($NV_CHROMIUM)"
command -v node >/dev/null 2>&1 || nv_skip "no node"
command -v npm >/dev/null 2>&1 || nv_skip "no npm"
[ -x "$NV_PY_CTL" ] || nv_skip "no $NV_PY_CTL"

# playwright-core into the build tree, once per lock file.
web=$top_builddir/tests/web-node
mkdir -p "$web" || fail "mkdir $web"
for f in package.json package-lock.json lib.js web_test.js web_csrf.js \
    bench.js; do
	cp "$top_srcdir/tests/web/$f" "$web/" || fail "copy $f"
done
if ! cmp -s "$web/package-lock.json" "$web/node_modules/.nv-lock" 2>/dev/null
then
	(cd "$web" && npm ci --no-audit --no-fund --loglevel=error) \
	    >"$NV_TMP/npm.out" 2>&1 || { cat "$NV_TMP/npm.out"; fail "npm ci"; }
	cp "$web/package-lock.json" "$web/node_modules/.nv-lock"
fi

port=$(nv_free_port)
NV_LOGLEVEL=trace
nv_conf <<EOF
[inet_http_server]
port=127.0.0.1:$port
username=web
password=s3cret

[program:ticker]
command=/bin/sh -c 'i=0; while :; do i=\$((i+1)); echo "tick \$i hé ✓ 日本"; sleep 0.2; done'
startsecs=0
stdout_logfile=$NV_TMP/ticker.log

[program:sleeper]
command=sleep 1000
startsecs=0
stopwaitsecs=5

[program:later]
command=sleep 1000
autostart=false
startsecs=0

[group:grp]
programs=a,b

[program:a]
command=sleep 1000
startsecs=0

[program:b]
command=sleep 1000
startsecs=0
EOF
nv_start
wait_proc_state ticker RUNNING
wait_proc_state sleeper RUNNING

results=$top_builddir/tests/web-results
NV_URL=http://127.0.0.1:$port NV_USER=web NV_PASS=s3cret \
NV_CTL=$NV_PY_CTL NV_CONF=$NV_CONF NV_TICKER_LOG=$NV_TMP/ticker.log \
NV_RESULTS=$results NV_TMP=$NV_TMP NV_CHROMIUM=$NV_CHROMIUM \
    node "$web/web_test.js" || fail "browser scenario failed"

[ -s "$results/index.png" ] || fail "no screenshot"
nv_stop

# Another site in the browser against a daemon without HTTP auth: its
# form POST and fetches reach the daemon and are refused (403).
NV_LOG=$NV_TMP/csrf.log
nv_conf csrf.conf <<EOF
[inet_http_server]
port=127.0.0.1:$port

[program:ticker]
command=sleep 1000
startsecs=0
EOF
nv_start "$NV_TMP/csrf.conf"
wait_proc_state ticker RUNNING
NV_URL=http://127.0.0.1:$port NV_CHROMIUM=$NV_CHROMIUM \
    node "$web/web_csrf.js" || fail "cross-site scenario failed"
# the form and the fetch to /action, the fetch to /RPC2
action_refused_twice()
{
	test "$(log_count '"POST /action HTTP/1.1" 403')" -ge 2
}
wait_until 10 action_refused_twice
wait_log '"POST /RPC2 HTTP/1.1" 403'
assert_log_lacks '"POST /action HTTP/1.1" 200'
assert_proc_state ticker RUNNING
nv_stop
