#!/bin/sh
# tests/fuzz_replay.sh: replay each committed fuzz corpus (seeds and the
# inputs of crashes once found) through its target built as a plain
# program; a crash or sanitizer report fails make check.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
rc=0
for name in conf lp_proto capscan bus; do
	"$top_builddir/tests/replay_$name" "$top_srcdir/tests/fuzz/$name" || rc=1
done
exit $rc
