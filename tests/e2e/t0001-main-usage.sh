#!/bin/sh
# The front end: usage errors exit 129, --help exits 0, unknown commands say so.
. "$(dirname "$0")/lib.sh"

$KP --help >out || fail "--help failed"
grep -q '^usage: kvmprof' out || fail "--help lacks usage"
expect_fail 129 "not a kvmprof command" $KP frobnicate
expect_fail 129 "unknown option '--bogus'" $KP --bogus report
expect_fail 129 "usage:" $KP
$KP --version | grep -q '^kvmprof version ' || fail "--version"
# a full disk behind stdout is an error, not silent loss
if [ -w /dev/full ]; then
	expect_fail 1 "writing standard output failed" sh -c "$KP --help >/dev/full"
fi
exit 0
