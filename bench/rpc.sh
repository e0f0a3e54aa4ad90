#!/bin/sh
# bench/rpc.sh: how fast the XML-RPC server answers.
#
# Both daemons get the same kind of config: [inet_http_server] on a free
# 127.0.0.1 port, a [unix_http_server] socket in the temp dir and
# [rpcinterface:supervisor]. wrk POSTs an XML-RPC body to /RPC2 over
# keep-alive connections (a small Lua script sets method, body and
# Content-Type):
#
#  1. supervisor.getState, no programs: wrk -t1 -c1 (requests/s and p50
#     latency) and wrk -t2 -c16 (requests/s), BENCH_RPC_SECS (default
#     10, 3 in quick mode) each. The same two runs are repeated on the
#     daemon of part 2: Python's main loop visits every program's pipes
#     on each turn, so its answer time grows with the program count.
#  2. supervisor.getAllProcessInfo with 1,000 programs (BENCH_RPC_PROGS;
#     sleep, startsecs=0, minfds=8192, child logs on tmpfs as in
#     launch.sh): wrk -t1 -c1 for BENCH_RPC_SLOW_SECS (default 10; Python
#     completes only a handful of requests in that time).
#  3. /usr/bin/supervisorctl -c CONF status (4.2.5's client, over the
#     unix socket) with those programs: wall time from exec to exit,
#     median of BENCH_RPC_CTL_RUNS (default 3).
#
# wrk cannot talk to a unix socket, so getState on 1 and 16 connections
# is also run over the [unix_http_server] socket by bench/uload.c (built
# here with cc; keep-alive POSTs, one request in flight per connection,
# as wrk). Each run is checked first with curl: the answer must be an
# XML-RPC response of the expected shape.
#
# Goals for ours: getState on 16 connections >= 20x Python's requests/s;
# on one connection p50 <= 1/20 of Python's; getAllProcessInfo >= 100x
# Python's requests/s; supervisorctl status is reported only.

. "$(dirname "$0")/lib.sh"
# 2,000 AUTO child logs per daemon: keep ext4's inode allocator out of
# the figures, as launch.sh does.
if [ "${BENCH_RPC_DISK:-0}" != 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
bench_setup rpc

RPC_PROGS=${BENCH_RPC_PROGS:-1000}
if [ "$BENCH_QUICK" = 1 ]; then
	RPC_SECS=${BENCH_RPC_SECS:-3}
	RPC_SLOW_SECS=${BENCH_RPC_SLOW_SECS:-4}
else
	RPC_SECS=${BENCH_RPC_SECS:-10}
	RPC_SLOW_SECS=${BENCH_RPC_SLOW_SECS:-10}
fi
RPC_CTL=${BENCH_SUPERVISORCTL:-/usr/bin/supervisorctl}
RPC_CTL_RUNS=${BENCH_RPC_CTL_RUNS:-3}
RPC_DEADLINE=${BENCH_RPC_DEADLINE:-180}
RPC_OK=' success: r[0-9]+ entered RUNNING'

command -v wrk >/dev/null 2>&1 || apt-get install -y wrk >/dev/null 2>&1 ||
    bench_die "wrk is missing and could not be installed"
command -v wrk >/dev/null 2>&1 || bench_die "wrk is missing"
command -v curl >/dev/null 2>&1 || bench_die "curl is missing"
RPC_ULOAD=$BENCH_TMP/uload
"$BENCH_CC" -O2 -o "$RPC_ULOAD" "$BENCH_DIR/uload.c" ||
    bench_die "cannot build $BENCH_DIR/uload.c"

# rpc_port_used PORT: true when something listens on TCP PORT.
rpc_port_used()
{
	_pu_hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
	    awk -v h=":$_pu_hex" '$4 == "0A" && substr($2, length($2) - 4) == h {
		f = 1 } END { exit !f }'
}

# rpc_free_port: a TCP port nobody listens on, picked at random in
# 20000-59999 so that parallel runs rarely collide.
rpc_free_port()
{
	for _fp_i in 1 2 3 4 5 6 7 8 9 10; do
		_fp_p=$(awk -v s="$$$_fp_i" 'BEGIN { srand(s + srand());
		    print 20000 + int(rand() * 40000) }')
		rpc_port_used "$_fp_p" || { echo "$_fp_p"; return 0; }
	done
	return 1
}

# rpc_body METHOD: the XML-RPC request for METHOD, no parameters.
rpc_body()
{
	printf '<?xml version="1.0"?><methodCall><methodName>%s' "$1"
	printf '</methodName><params></params></methodCall>'
}

# rpc_lua METHOD FILE: a wrk script that POSTs METHOD's call.
rpc_lua()
{
	cat >"$2" <<EOF
wrk.method = "POST"
wrk.path = "/RPC2"
wrk.body = '$(rpc_body "$1")'
wrk.headers["Content-Type"] = "text/xml"
EOF
}

# rpc_conf IMPL NPROGS: the whole config, servers and programs.
rpc_conf()
{
	bench_conf_head "$1" 8192
	cat <<EOF
[inet_http_server]
port=127.0.0.1:$RPC_PORT

[unix_http_server]
file=$BENCH_TMP/$1/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$BENCH_TMP/$1/supervisor.sock

EOF
	_rc_i=0
	while [ "$_rc_i" -lt "$2" ]; do
		printf '[program:r%04d]\ncommand=sleep 100000\n' "$_rc_i"
		printf 'startsecs=0\n\n'
		_rc_i=$((_rc_i + 1))
	done
}

# rpc_call METHOD: POST METHOD once with curl; the answer on stdout.
rpc_call()
{
	curl -s -m 30 -H 'Content-Type: text/xml' --data-binary \
	    "$(rpc_body "$1")" "http://127.0.0.1:$RPC_PORT/RPC2"
}

rpc_http_up()
{
	case $(rpc_call supervisor.getState 2>/dev/null) in
	*'<name>statename</name>'*)	return 0 ;;
	esac
	bench_sd_running
}

# rpc_wait_http: wait until getState answers; 1 when it never does.
rpc_wait_http()
{
	_wh_end=$(( $(bench_now_ms) + 30000 ))
	while :; do
		rpc_http_up
		case $? in
		0)	return 0 ;;
		2)	return 1 ;;
		esac
		if [ "$(bench_now_ms)" -ge "$_wh_end" ]; then
			BENCH_SD_WHY="HTTP server not answering after 30 s"
			return 1
		fi
		sleep 0.05
	done
}

# rpc_ms VALUE: a wrk duration ("812.00us", "4.03ms", "1.20s") in ms.
rpc_ms()
{
	printf '%s\n' "$1" | awk '
	/us$/	{ sub(/us$/, ""); printf "%.10g\n", $0 / 1000; next }
	/ms$/	{ sub(/ms$/, ""); printf "%.10g\n", $0; next }
	/m$/	{ sub(/m$/, ""); printf "%.10g\n", $0 * 60000; next }
	/s$/	{ sub(/s$/, ""); printf "%.10g\n", $0 * 1000; next }
		{ print "n/a" }'
}

# rpc_wrk IMPL TAG METHOD THREADS CONNS SECS: run wrk; leaves
# RPC_<IMPL>_<TAG>_{rps,p50,reqs,errors}. The wrk output is kept in the
# temp dir.
rpc_wrk()
{
	_rw_lua=$BENCH_TMP/$3.lua
	_rw_out=$BENCH_TMP/$1/wrk-$2.txt
	rpc_lua "$3" "$_rw_lua"
	wrk -t"$4" -c"$5" -d"$6"s --timeout 10s --latency -s "$_rw_lua" \
	    "http://127.0.0.1:$RPC_PORT/RPC2" >"$_rw_out" 2>&1
	_rw_rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$_rw_out")
	_rw_p50=$(rpc_ms "$(awk '$1 == "50%" { print $2; exit }' "$_rw_out")")
	_rw_reqs=$(awk '$2 == "requests" && $3 == "in" { print $1 }' \
	    "$_rw_out")
	# Socket errors and non-2xx answers both count as failures.
	_rw_errors=$(awk '
	    /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
	    /Non-2xx or 3xx responses:/ { n += $NF }
	    END { print n + 0 }' "$_rw_out")
	[ -n "$_rw_rps" ] || {
		bench_note "$1: wrk $2 gave no figure: $(tail -1 "$_rw_out")"
		_rw_rps=n/a
	}
	[ "$_rw_errors" = 0 ] || bench_note "$1: wrk $2: $_rw_errors errors"
	for _rw_f in rps p50 reqs errors; do
		eval "RPC_$1_$2_$_rw_f=\${_rw_$_rw_f:-n/a}"
	done
	bench_note "$1: $3 -t$4 -c$5 ${6}s: $_rw_rps req/s," \
	    "p50 $_rw_p50 ms"
}

# rpc_uload IMPL TAG CONNS SECS: getState over IMPL's unix socket;
# leaves RPC_<IMPL>_<TAG>_{rps,p50,errors}.
rpc_uload()
{
	_ru_out=$BENCH_TMP/$1/uload-$2.txt
	rpc_body supervisor.getState >"$BENCH_TMP/getState.xml"
	"$RPC_ULOAD" "$BENCH_TMP/$1/supervisor.sock" "$3" "$4" \
	    "$BENCH_TMP/getState.xml" >"$_ru_out" 2>&1
	set -- "$1" "$2" "$3" "$4" $(cat "$_ru_out")
	if [ "$5" = requests ]; then
		eval "RPC_$1_$2_rps=\${10} RPC_$1_$2_p50=\${12}" \
		    "RPC_$1_$2_errors=\$8"
		bench_note "$1: getState over the unix socket, $3 conns:" \
		    "${10} req/s, p50 ${12} ms"
	else
		bench_note "$1: uload $2: $(tail -1 "$_ru_out")"
		eval "RPC_$1_$2_errors=1"
	fi
}

# rpc_median N...: the median of the numbers given.
rpc_median()
{
	printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -n |
	    awk '{ v[NR] = $1 } END {
		if (NR == 0) print "n/a"
		else if (NR % 2) print v[(NR + 1) / 2]
		else printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# rpc_ctl_status IMPL CONF: time supervisorctl status RPC_CTL_RUNS times;
# leaves RPC_<IMPL>_ctl_s (median, seconds) and RPC_<IMPL>_ctl_lines.
rpc_ctl_status()
{
	_cs_times=
	_cs_i=0
	while [ "$_cs_i" -lt "$RPC_CTL_RUNS" ]; do
		_cs_t0=$(bench_now_ms)
		"$RPC_CTL" -c "$2" status >"$BENCH_TMP/$1/status.txt" 2>&1
		_cs_rc=$?
		_cs_t1=$(bench_now_ms)
		_cs_lines=$(grep -c ' RUNNING ' "$BENCH_TMP/$1/status.txt")
		if [ "$_cs_rc" != 0 ] || [ "$_cs_lines" != "$RPC_PROGS" ]; then
			bench_note "$1: supervisorctl status exit $_cs_rc," \
			    "$_cs_lines RUNNING lines"
		else
			_cs_times="$_cs_times $(bench_calc \
			    "($_cs_t1 - $_cs_t0) / 1000")"
		fi
		_cs_i=$((_cs_i + 1))
	done
	eval "RPC_$1_ctl_s=\$(rpc_median $_cs_times)"
	eval "RPC_$1_ctl_lines=\$_cs_lines"
}

# rpc_fail IMPL WHY: record why IMPL could not be measured, stop it.
rpc_fail()
{
	bench_note "$1: $2"
	eval "RPC_$1_why=\"\$2\""
	bench_sd_stop 120
	return 1
}

# rpc_run IMPL: both daemons' runs of the three parts.
rpc_run()
{
	_rr_conf=$BENCH_TMP/$1-small.conf
	rpc_conf "$1" 0 >"$_rr_conf" || bench_die "cannot write $_rr_conf"
	bench_sd_start "$1" "$_rr_conf"
	rpc_wait_http || { rpc_fail "$1" "$BENCH_SD_WHY"; return 1; }
	rpc_wrk "$1" one supervisor.getState 1 1 "$RPC_SECS"
	rpc_wrk "$1" many supervisor.getState 2 16 "$RPC_SECS"
	rpc_uload "$1" uone 1 "$RPC_SECS"
	rpc_uload "$1" umany 16 "$RPC_SECS"
	bench_sd_running
	[ $? = 2 ] && { rpc_fail "$1" "died under getState"; return 1; }
	bench_sd_stop

	_rr_conf=$BENCH_TMP/$1-big.conf
	rpc_conf "$1" "$RPC_PROGS" >"$_rr_conf" ||
	    bench_die "cannot write $_rr_conf"
	bench_sd_start "$1" "$_rr_conf"
	bench_wait_log "$RPC_OK" "$RPC_PROGS" "$RPC_DEADLINE" || {
		rpc_fail "$1" "$BENCH_SD_WHY, $(bench_log_count \
		    "$RPC_OK") of $RPC_PROGS RUNNING"
		return 1
	}
	rpc_wait_http || { rpc_fail "$1" "$BENCH_SD_WHY"; return 1; }
	_rr_n=$(rpc_call supervisor.getAllProcessInfo |
	    grep -o '<string>RUNNING</string>' | wc -l)
	[ "$_rr_n" = "$RPC_PROGS" ] || bench_note "$1: getAllProcessInfo" \
	    "shows $_rr_n of $RPC_PROGS RUNNING"
	rpc_wrk "$1" all supervisor.getAllProcessInfo 1 1 "$RPC_SLOW_SECS"
	rpc_wrk "$1" bigone supervisor.getState 1 1 "$RPC_SECS"
	rpc_wrk "$1" bigmany supervisor.getState 2 16 "$RPC_SECS"
	rpc_uload "$1" ubigone 1 "$RPC_SECS"
	rpc_uload "$1" ubigmany 16 "$RPC_SECS"
	rpc_ctl_status "$1" "$_rr_conf"
	bench_sd_running
	[ $? = 2 ] && { rpc_fail "$1" "died under getAllProcessInfo"; return 1; }
	bench_sd_stop 120
	return 0
}

# rpc_get IMPL FIGURE: the figure, or n/a.
rpc_get()
{
	eval "_rg_v=\${RPC_$1_$2:-n/a}"
	echo "$_rg_v"
}

rpc_report()
{
	_rp_o1=$(rpc_get ours one_rps)
	_rp_p1=$(rpc_get python one_rps)
	_rp_o50=$(rpc_get ours one_p50)
	_rp_p50=$(rpc_get python one_p50)
	_rp_o16=$(rpc_get ours many_rps)
	_rp_p16=$(rpc_get python many_rps)
	_rp_oa=$(rpc_get ours all_rps)
	_rp_pa=$(rpc_get python all_rps)
	_rp_ob50=$(rpc_get ours bigone_p50)
	_rp_pb50=$(rpc_get python bigone_p50)
	_rp_ob16=$(rpc_get ours bigmany_rps)
	_rp_pb16=$(rpc_get python bigmany_rps)
	_rp_oc=$(rpc_get ours ctl_s)
	_rp_pc=$(rpc_get python ctl_s)

	_rp_r1=$(bench_ratio "$_rp_o1" "$_rp_p1")
	_rp_r50=$(bench_ratio "$_rp_p50" "$_rp_o50")
	_rp_r16=$(bench_ratio "$_rp_o16" "$_rp_p16")
	_rp_ra=$(bench_ratio "$_rp_oa" "$_rp_pa")
	_rp_rc=$(bench_ratio "$_rp_pc" "$_rp_oc")
	_rp_v50=$(bench_verdict "$_rp_o50 * 20 <= $_rp_p50")
	_rp_v16=$(bench_verdict "$_rp_o16 >= 20 * $_rp_p16")
	_rp_rb50=$(bench_ratio "$_rp_pb50" "$_rp_ob50")
	_rp_rb16=$(bench_ratio "$_rp_ob16" "$_rp_pb16")
	_rp_vb50=$(bench_verdict "$_rp_ob50 * 20 <= $_rp_pb50")
	_rp_vb16=$(bench_verdict "$_rp_ob16 >= 20 * $_rp_pb16")
	_rp_va=$(bench_verdict "$_rp_oa >= 100 * $_rp_pa")

	bench_table_head "rpc: XML-RPC over 127.0.0.1 (wrk, keep-alive);" \
	    "ratio = the better of the two over the other"
	bench_row "getState, 1 conn (req/s)" "$(bench_fmt 0 "$_rp_o1")" \
	    "$(bench_fmt 0 "$_rp_p1")" "$_rp_r1" ""
	bench_row "getState, 1 conn, p50 (ms)" "$(bench_fmt 3 "$_rp_o50")" \
	    "$(bench_fmt 3 "$_rp_p50")" "$_rp_r50" "ours <= 1/20: $_rp_v50"
	bench_row "getState, 16 conns (req/s)" "$(bench_fmt 0 "$_rp_o16")" \
	    "$(bench_fmt 0 "$_rp_p16")" "$_rp_r16" "ours >= 20x: $_rp_v16"
	bench_row "getState, $RPC_PROGS progs, p50 (ms)" \
	    "$(bench_fmt 3 "$_rp_ob50")" "$(bench_fmt 3 "$_rp_pb50")" \
	    "$_rp_rb50" "ours <= 1/20: $_rp_vb50"
	bench_row "getState, $RPC_PROGS progs, 16 c (req/s)" \
	    "$(bench_fmt 0 "$_rp_ob16")" "$(bench_fmt 0 "$_rp_pb16")" \
	    "$_rp_rb16" "ours >= 20x: $_rp_vb16"
	bench_row "getAllProcessInfo $RPC_PROGS (req/s)" \
	    "$(bench_fmt 1 "$_rp_oa")" "$(bench_fmt 2 "$_rp_pa")" "$_rp_ra" \
	    "ours >= 100x: $_rp_va"
	for _rp_t in uone:umany:"no programs" ubigone:ubigmany:"$RPC_PROGS progs"; do
		_rp_a=${_rp_t%%:*}; _rp_t=${_rp_t#*:}
		_rp_b=${_rp_t%%:*}; _rp_l=${_rp_t#*:}
		_rp_x=$(rpc_get ours "${_rp_a}_p50")
		_rp_y=$(rpc_get python "${_rp_a}_p50")
		bench_row "unix, $_rp_l, 1 conn p50 (ms)" \
		    "$(bench_fmt 3 "$_rp_x")" "$(bench_fmt 3 "$_rp_y")" \
		    "$(bench_ratio "$_rp_y" "$_rp_x")" \
		    "ours <= 1/20: $(bench_verdict "$_rp_x * 20 <= $_rp_y")"
		_rp_x=$(rpc_get ours "${_rp_b}_rps")
		_rp_y=$(rpc_get python "${_rp_b}_rps")
		bench_row "unix, $_rp_l, 16 c (req/s)" \
		    "$(bench_fmt 0 "$_rp_x")" "$(bench_fmt 0 "$_rp_y")" \
		    "$(bench_ratio "$_rp_x" "$_rp_y")" \
		    "ours >= 20x: $(bench_verdict "$_rp_x >= 20 * $_rp_y")"
	done
	bench_row "supervisorctl status (s, unix)" "$(bench_fmt 3 "$_rp_oc")" \
	    "$(bench_fmt 3 "$_rp_pc")" "$_rp_rc" "report only"
	for _rp_i in ours python; do
		_rp_e=$(( $(rpc_get "$_rp_i" one_errors | tr -c '0-9\n' 0) +
		    $(rpc_get "$_rp_i" many_errors | tr -c '0-9\n' 0) +
		    $(rpc_get "$_rp_i" all_errors | tr -c '0-9\n' 0) +
		    $(rpc_get "$_rp_i" bigone_errors | tr -c '0-9\n' 0) +
		    $(rpc_get "$_rp_i" bigmany_errors | tr -c '0-9\n' 0) ))
		[ "$_rp_e" = 0 ] ||
		    printf '  %s: %d failed requests under wrk\n' "$_rp_i" "$_rp_e"
		_rp_w=$(rpc_get "$_rp_i" why)
		[ "$_rp_w" = n/a ] || printf '  %s: failed: %s\n' "$_rp_i" "$_rp_w"
	done

	bench_summary "getState 1 conn p50 (ms)" "$(bench_fmt 3 "$_rp_o50")" \
	    "$(bench_fmt 3 "$_rp_p50")" "$_rp_r50" "<= 1/20" "$_rp_v50"
	bench_summary "getState 16 conns (req/s)" "$(bench_fmt 0 "$_rp_o16")" \
	    "$(bench_fmt 0 "$_rp_p16")" "$_rp_r16" ">= 20x" "$_rp_v16"
	bench_summary "getState $RPC_PROGS progs p50 (ms)" \
	    "$(bench_fmt 3 "$_rp_ob50")" "$(bench_fmt 3 "$_rp_pb50")" \
	    "$_rp_rb50" "<= 1/20" "$_rp_vb50"
	bench_summary "getState $RPC_PROGS progs 16 c (req/s)" \
	    "$(bench_fmt 0 "$_rp_ob16")" "$(bench_fmt 0 "$_rp_pb16")" \
	    "$_rp_rb16" ">= 20x" "$_rp_vb16"
	bench_summary "getAllProcessInfo (req/s)" "$(bench_fmt 1 "$_rp_oa")" \
	    "$(bench_fmt 2 "$_rp_pa")" "$_rp_ra" ">= 100x" "$_rp_va"
	bench_summary "supervisorctl status (s)" "$(bench_fmt 3 "$_rp_oc")" \
	    "$(bench_fmt 3 "$_rp_pc")" "$_rp_rc" "report" ""
}

RPC_PORT=$(rpc_free_port) || bench_die "no free TCP port found"
for _impl in $(bench_impls); do
	if rpc_run "$_impl"; then
		bench_json impl="$_impl" port="$RPC_PORT" secs="$RPC_SECS" \
		    slow_secs="$RPC_SLOW_SECS" \
		    programs="$RPC_PROGS" \
		    getstate_1conn_rps="$(rpc_get "$_impl" one_rps)" \
		    getstate_1conn_p50_ms="$(rpc_get "$_impl" one_p50)" \
		    getstate_1conn_errors="$(rpc_get "$_impl" one_errors)" \
		    getstate_16conn_rps="$(rpc_get "$_impl" many_rps)" \
		    getstate_16conn_p50_ms="$(rpc_get "$_impl" many_p50)" \
		    getstate_16conn_errors="$(rpc_get "$_impl" many_errors)" \
		    allinfo_rps="$(rpc_get "$_impl" all_rps)" \
		    allinfo_p50_ms="$(rpc_get "$_impl" all_p50)" \
		    allinfo_errors="$(rpc_get "$_impl" all_errors)" \
		    getstate_big_1conn_rps="$(rpc_get "$_impl" bigone_rps)" \
		    getstate_big_1conn_p50_ms="$(rpc_get "$_impl" bigone_p50)" \
		    getstate_big_16conn_rps="$(rpc_get "$_impl" bigmany_rps)" \
		    unix_getstate_1conn_p50_ms="$(rpc_get "$_impl" uone_p50)" \
		    unix_getstate_16conn_rps="$(rpc_get "$_impl" umany_rps)" \
		    unix_getstate_big_1conn_p50_ms="$(rpc_get "$_impl" ubigone_p50)" \
		    unix_getstate_big_16conn_rps="$(rpc_get "$_impl" ubigmany_rps)" \
		    ctl_status_s="$(rpc_get "$_impl" ctl_s)"
	else
		bench_json impl="$_impl" programs="$RPC_PROGS" \
		    error="$(rpc_get "$_impl" why)"
	fi
done
rpc_report
