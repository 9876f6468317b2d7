#!/bin/sh
# kvmprof buildid-list: usage, errors, ELF input.
. "$(dirname "$0")/lib.sh"

$KP buildid-list --help >out 2>err || fail "--help exited $?"
grep -q 'usage: kvmprof .*buildid-list' out || fail "--help prints no usage"
expect_fail 129 "unknown option" $KP buildid-list --bogus
expect_fail 129 "needs a value" $KP buildid-list -i
expect_fail 129 "unexpected argument" $KP buildid-list extra
expect_fail 1 "nonexistent.data" $KP buildid-list -i nonexistent.data
# the default file name follows perf kvm's rule
expect_fail 1 "perf.data.guest" $KP buildid-list
expect_fail 1 "perf.data.kvm" $KP --host buildid-list
expect_fail 1 "perf.data.host" $KP --host --no-guest buildid-list

# not a perf.data file
printf 'garbage garbage garbage garbage' >junk.data
expect_fail 1 "junk.data" $KP buildid-list -i junk.data

# an ELF file: its own build-id
if command -v cc >/dev/null 2>&1; then
	echo 'int main(void) { return 0; }' >t.c
	cc -Wl,--build-id=0x0011223344556677889900112233445566778899 -o t t.c ||
		fail "cc failed"
	$KP buildid-list -i t >out || fail "buildid-list -i ELF exited $?"
	echo 0011223344556677889900112233445566778899 >want
	check_same want out
fi

# -k: the running kernel's build-id, from /sys/kernel/notes
if [ -r /sys/kernel/notes ]; then
	$KP buildid-list -k >out || fail "-k exited $?"
	grep -Eq '^[0-9a-f]{2,40}$' out || fail "-k printed '$(cat out)'"
	if command -v perf >/dev/null 2>&1 && perf buildid-list -k >want 2>/dev/null; then
		check_same want out
	fi
fi
exit 0
