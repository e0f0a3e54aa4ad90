#!/bin/sh
# tests/integration/run.sh: run the integration scenarios.
#
#	run.sh [NAME ...]	NAME is t_foo or foo; default: every t_*.sh
#
# Each scenario runs under a time limit with its output captured. A pass
# or skip leaves nothing behind; a failure keeps the scenario's output
# under the results dir and prints it (the scenario keeps its temp dir,
# under $TMPDIR: short paths, since unix socket paths are limited). The last
# line is "N passed, N failed"; the exit status is 1 if anything failed,
# 77 if everything was skipped.
#
# Environment: top_srcdir, top_builddir (as make check exports them),
# NV_TIMEOUT_SCALE (default 1), NV_SCENARIO_TIMEOUT in seconds before
# scaling (default 120), NV_RESULTS_DIR (default
# $top_builddir/tests/integration-results).

here=$(cd "$(dirname "$0")" && pwd) || exit 1
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd) || exit 1
top_builddir=$(cd "${top_builddir:-.}" && pwd) || exit 1
export top_srcdir top_builddir
NV_TIMEOUT_SCALE=${NV_TIMEOUT_SCALE:-1}
export NV_TIMEOUT_SCALE

limit=$(awk -v s="${NV_SCENARIO_TIMEOUT:-120}" -v k="$NV_TIMEOUT_SCALE" \
    'BEGIN { printf "%d\n", s * k + 0.999 }')
results=${NV_RESULTS_DIR:-$top_builddir/tests/integration-results}
mkdir -p "$results" || exit 1

npass=0
nfail=0
nskip=0

now_ms()
{
	date +%s%3N
}

# True if scenario $1 (t_foo) was asked for on the command line.
wanted()
{
	[ $# -eq 1 ] && return 0
	_n=$1
	shift
	for _w in "$@"; do
		_w=${_w##*/}
		_w=${_w%.sh}
		if [ "$_w" = "$_n" ] || [ "t_$_w" = "$_n" ]; then
			return 0
		fi
	done
	return 1
}

# run_one PATH NAME: run one scenario; sets rc and secs.
run_one()
{
	rm -f "$results/$2.log"
	_sh=
	[ -x "$1" ] || _sh=sh
	_t0=$(now_ms)
	timeout -k 10 "$limit" $_sh "$1" \
	    >"$results/$2.log" 2>&1 </dev/null
	rc=$?
	secs=$(awk -v ms="$(( $(now_ms) - _t0 ))" \
	    'BEGIN { printf "%.1f\n", ms / 1000 }')
}

ran=0
for t in "$here"/t_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	wanted "$name" "$@" || continue
	ran=$((ran + 1))
	run_one "$t" "$name"
	case $rc in
	0)
		echo "PASS $name (${secs}s)"
		# a part skipped inside a passing scenario
		sed -n 's/^.*: SKIP: /    skipped: /p' "$results/$name.log"
		npass=$((npass + 1))
		rm -f "$results/$name.log"
		;;
	77)
		echo "SKIP $name (${secs}s)"
		sed -n 's/^.*: SKIP: /    /p' "$results/$name.log"
		nskip=$((nskip + 1))
		rm -f "$results/$name.log"
		;;
	*)
		[ "$rc" -eq 124 ] && why=" timed out after ${limit}s" ||
		    why=" exit $rc"
		echo "FAIL $name (${secs}s)$why"
		sed 's/^/    /' "$results/$name.log"
		echo "    (output kept in $results/$name.log)"
		nfail=$((nfail + 1))
		;;
	esac
done

if [ $# -gt 0 ] && [ "$ran" -eq 0 ]; then
	echo "no scenario matches: $*"
	nfail=1
fi
rmdir "$results" 2>/dev/null
[ "$nskip" -gt 0 ] && echo "$nskip skipped"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ] || exit 1
[ "$npass" -eq 0 ] && [ "$nskip" -gt 0 ] && exit 77
exit 0
