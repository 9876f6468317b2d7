#!/bin/sh
# The perf_event_attrs that record command lines open, without privileges
# (KVMPROF_ATTR_DRYRUN: collect/evopen.h logs every open and calls no kernel),
# against tests/golden/attr/.  pid and cpu numbers are normalized, lines sorted
# and made unique (one line per distinct attr).  UPDATE_GOLDEN=1 rewrites them.
. "$(dirname "$0")/lib.sh"
G=$SRCDIR/tests/golden/attr
export KVMPROF_ATTR_DRYRUN=1

check() {
	name=$1
	shift
	rm -f "$T/log"
	KVMPROF_ATTR_LOG=$T/log "$KP" "$@" >"$T/out" 2>"$T/err" ||
		{ cat "$T/err" >&2; fail "kvmprof $* exited $?"; }
	[ -s "$T/log" ] || fail "kvmprof $*: nothing logged"
	sed -E 's/pid=[1-9][0-9]*/pid=PID/; s/ cpu=[0-9]+/ cpu=N/' "$T/log" | sort -u >"$T/$name"
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$T/$name" "$G/$name"
	else
		check_same "$G/$name" "$T/$name"
	fi
}

check guest-a record -e cpu-clock -a
check guest-nohost --no-guest record -e cpu-clock -a
check kvm-a --host record -e cpu-clock -a
check kvm-both-a --host --guest record -e cpu-clock -a
check host-a --host --no-guest record -e cpu-clock -a
check host-p --host --no-guest record -e cpu-clock -p $$
check guest-t record -e cpu-clock -t $$
check guest-command record -e cpu-clock -- true
check guest-a-command record -a -e cpu-clock -- true
check guest-multi record -e cpu-clock -e task-clock -a
check guest-callchain record -e cpu-clock -g -c 100000 -C 0
check guest-freq record -e instructions -F 1000 -C 0

# every guest-only attr has exclude_host and never exclude_guest; host-only the reverse
grep -l exclude_guest "$G"/guest-* && fail "a guest-only attr excludes the guest"
for f in "$G"/guest-*; do grep -q exclude_host "$f" || fail "$f lacks exclude_host"; done
grep -q exclude_host "$G"/host-a && fail "host-only excludes the host"
grep -q exclude_guest "$G"/host-a || fail "host-only lacks exclude_guest"
grep -q 'exclude_' "$G"/kvm-a && fail "--host --guest must exclude neither"

# without -e: cycles with a PMU, else cpu-clock (said once)
KVMPROF_ATTR_LOG=$T/log0 "$KP" record -a >"$T/out" 2>"$T/err" || fail "default event"
if grep -q 'no hardware PMU: using cpu-clock' "$T/err"; then
	grep -q 'type=1 size=128 config=0 ' "$T/log0" || fail "default is not cpu-clock"
else
	grep -q 'type=0 size=128 config=0 ' "$T/log0" || fail "default is not cycles"
fi

# usage errors
expect_fail 129 'nothing to record' "$KP" record
expect_fail 129 'unknown event' "$KP" record -e bogus -a
expect_fail 129 'one target' "$KP" record -a -p 1
expect_fail 129 '-F wants' "$KP" record -F x -a
expect_fail 129 'power of two' "$KP" record -m 3 -a
expect_fail 129 'only .fp.' "$KP" record --call-graph dwarf -a
expect_fail 129 'unknown option' "$KP" record --bogus
expect_fail 129 'exclude each other' "$KP" record -F 100 -c 100 -a
expect_fail 1 'does not exist' "$KP" record -p 2147483000
"$KP" record --help >"$T/help" || fail "--help exited $?"
grep -q 'guest-user-elf' "$T/help" || fail "--help lacks the options"
exit 0
