#!/bin/sh
# kvmprof report: --help exits 0, usage errors 129, unreadable or corrupt files 1.
. "$(dirname "$0")/lib.sh"

$KP report --help >out || fail "report --help failed"
grep -q '^usage: kvmprof .*report' out || fail "report --help lacks usage"
expect_fail 129 "unknown option '--bogus'" $KP report --bogus
expect_fail 129 "unknown sort key 'bogus'" $KP report -i x --sort comm,bogus
expect_fail 129 "percent-limit" $KP report -i x --percent-limit abc
expect_fail 129 "needs a value" $KP report --sort
expect_fail 129 "use --stdio" $KP report --tui
expect_fail 1 "error: .*missing.data" $KP report -i missing.data
# the default file follows perf kvm's rule
expect_fail 1 "perf.data.guest" $KP report
expect_fail 1 "perf.data.kvm" $KP --host report
expect_fail 1 "perf.data.host" $KP --host --no-guest report
# not a perf.data file
printf 'this is not a perf.data file, just some text that is long enough to read\n%0200d\n' 0 >junk.data
expect_fail 1 "error: " $KP report -i junk.data
# a truncated real file (header claims more than there is)
if command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1; then
	perf record -q -e cpu-clock -o ok.data -- sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done' \
		>/dev/null 2>&1 || skip "perf record does not work here"
	head -c 300 ok.data >trunc.data
	expect_fail 1 "error: " $KP --host report -i trunc.data
	grep -q "trunc.data" err || { cat err >&2; fail "the message does not name the file"; }
fi
exit 0
