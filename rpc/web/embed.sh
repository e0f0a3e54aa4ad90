#!/bin/sh
# embed.sh FILE...: C source holding each file as one string, for
# rpc_web.c: every line escaped and quoted, then RPC_WEB_SRCS listing
# each file as { "/name", data, length }.
i=0
list=
for f in "$@"; do
	printf 'static const char rpc_web_f%d[] =\n' "$i"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$f" ||
		exit 1
	printf ';\n'
	list="$list { \"/${f##*/}\", rpc_web_f$i, sizeof(rpc_web_f$i) - 1 },"
	i=$((i + 1))
done
printf '#define RPC_WEB_SRCS%s\n' "$list"
