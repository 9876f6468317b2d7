#!/bin/sh
# --header-only must print what perf 6.1 prints, on committed fixtures (perf not
# needed) and on files perf records here (skipped without perf).
. "$(dirname "$0")/lib.sh"
FIX="$SRCDIR/tests/fixtures/data"

for f in cpu-clock-z tracepoints; do
	"$KP" report --header-only -i "$FIX/$f.data" >out 2>err || { cat err >&2; fail "$f: exit $?"; }
	grep -v '^# captured on' out >got
	check_same "$FIX/$f.header" got
	grep -q '^# captured on    : ' out || fail "$f: no captured-on line"
done

need_perf
perf record -q -e cpu-clock -F 999 -g -o g.data -- sh -c 'ls -R /usr/lib >/dev/null' 2>/dev/null ||
	skip "perf cannot record here"
perf record -q -z -e cpu-clock -F 999 -o z.data -- sh -c 'ls -R /usr/lib >/dev/null' 2>/dev/null
for f in g.data z.data; do
	perf report --header-only -i "$f" >want 2>/dev/null
	"$KP" report --header-only -i "$f" >got 2>err || { cat err >&2; fail "$f: exit $?"; }
	check_same want got
done
exit 0
