#!/bin/sh
# A file recorded with --call-graph dwarf holds copies of user stacks that
# kvmprof does not unwind: report, script and script --folded must say so
# (their call graphs lack the user frames) instead of showing short chains
# silently; a frame-pointer -g file gets no such warning.
. "$(dirname "$0")/lib.sh"
need_perf
perf record -q --call-graph dwarf -e cpu-clock -o dw.data -- \
	sh -c 'ls -R /usr/share/doc >/dev/null' >/dev/null 2>&1 ||
	skip "perf record --call-graph dwarf does not work here"
perf record -q -g -e cpu-clock -o fp.data -- sh -c 'ls -R /usr/share/doc >/dev/null' \
	>/dev/null 2>&1 || skip "perf record -g does not work here"

for cmd in "report --stdio" "script" "script --folded"; do
	"$KP" --host $cmd -i dw.data >out 2>err || { cat err >&2; fail "$cmd on a dwarf file failed"; }
	grep -q "recorded with --call-graph dwarf" err || { cat err >&2; fail "$cmd: no dwarf warning"; }
	[ "$(grep -c 'call-graph dwarf' err)" = 1 ] || fail "$cmd: the warning is not printed once"
	"$KP" --host $cmd -i fp.data >out 2>err || { cat err >&2; fail "$cmd on a -g file failed"; }
	! grep -q "call-graph dwarf" err || fail "$cmd warns about dwarf on a frame-pointer file"
done
exit 0
