#!/bin/sh
# kvmprof top: usage errors exit 129 with a message, --help exits 0, and the
# event a command line opens (dry run through the evopen seam, no privileges)
# carries perf kvm's host/guest exclusion: guest only -> exclude_host,
# --host --no-guest -> exclude_guest, --host --guest -> neither.
. "$(dirname "$0")/lib.sh"

"$KP" top --help >help.out || fail "top --help failed"
grep -q -- '--stdio' help.out || fail "top --help does not mention --stdio"
expect_fail 129 "-d wants seconds" "$KP" top -d 0 --stdio
expect_fail 129 "-n wants a positive number" "$KP" top -n x --stdio
expect_fail 129 "choose one target" "$KP" top -a -p 1 --stdio
expect_fail 129 "bad pid list" "$KP" top -p 12x --stdio
expect_fail 129 "unknown option" "$KP" top --bogus
expect_fail 129 "-F and -c exclude each other" "$KP" top -F 99 -c 1000 --stdio
expect_fail 129 "runs no command" "$KP" top --stdio sleep 1
expect_fail 1 "does not exist" "$KP" top -p 2147483000 --stdio

export KVMPROF_ATTR_DRYRUN=1
attrs() {
	rm -f attr.log
	KVMPROF_ATTR_LOG=$T/attr.log "$KP" "$@" >out 2>err || { cat err >&2; fail "'$*' failed"; }
	grep -q 'dry run' err || { cat err >&2; fail "'$*': no dry-run note"; }
	[ -s attr.log ] || fail "'$*' opened nothing"
}
attrs top -C 0 --stdio
grep -q 'exclude_host' attr.log || fail "guest-only top lacks exclude_host"
grep -q 'exclude_guest' attr.log && fail "guest-only top sets exclude_guest"
[ "$(wc -l <attr.log)" = 1 ] || fail "-C 0 should open one event"
grep -q 'cpu=0 .*sample_type=IP|TID|TIME|CPU|PERIOD' attr.log || { cat attr.log >&2; fail "bad sample_type"; }
attrs --host --no-guest top -a --stdio -F 999
grep -q 'exclude_guest' attr.log || fail "host-only top lacks exclude_guest"
grep -q 'freq=999' attr.log || fail "-F 999 not applied"
attrs --host --guest top -C 0 --stdio -c 100000
grep -q 'exclude_' attr.log && fail "--host --guest top excludes a side"
grep -q 'period=100000' attr.log || fail "-c 100000 not applied"
# -p: one open per thread and CPU, inherited
sleep 30 &
SLEEPER=$!
attrs top -p $SLEEPER -C 0 --stdio
kill $SLEEPER
grep -q "pid=$SLEEPER cpu=0 .*inherit" attr.log || { cat attr.log >&2; fail "-p not per thread"; }
exit 0
