#!/bin/sh
# Regenerate the golden files: every NN.conf here is dumped by conf_dump
# into NN.ok, in the environment check_conf uses. Review the diff before
# committing it.
# usage: tests/conf/regen.sh [builddir]   (default: the current directory)
set -eu
build=$(cd "${1:-.}" && pwd)
dump="$build/tests/conf_dump"
[ -x "$dump" ] || { echo "regen.sh: build $dump first" >&2; exit 1; }
cd "$(dirname "$0")"
for conf in *.conf; do
	env -i HOME=/nonexistent TMPDIR=/tmp NV_TEST=hello \
	    "$dump" "$conf" > "${conf%.conf}.ok"
done
