#!/bin/sh
# Guest build-id entries (pids 0 and 4321, guest kernel, module, user DSO)
# in a generated perf.data: golden output, and perf 6.1 when it is here.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 (fixture generator) is missing"
FIX=$SRCDIR/tests/fixtures/symbol
python3 "$FIX/gen-guest-data.py" g.data || fail "generator failed"
python3 "$FIX/gen-guest-data.py" nobid.data --no-buildid || fail "generator failed"

$KP -i g.data buildid-list >got || fail "buildid-list exited $?"
check_same "$FIX/buildid-list-guest.golden" got
# -H: only DSOs that samples hit; guest kernel and module (perf kvm marks guest samples)
$KP --host --guest -i g.data buildid-list -H >got || fail "buildid-list -H exited $?"
check_same "$FIX/buildid-list-guest-hits.golden" got
# without the BUILD_ID feature the samples are processed; hit DSOs have no id
$KP -i nobid.data buildid-list >got || fail "buildid-list (no feature) exited $?"
check_same "$FIX/buildid-list-guest-nobid.golden" got
# host-only view: guest samples do not count, nothing is hit
$KP --host --no-guest -i g.data buildid-list -H >got || fail "host -H exited $?"
[ ! -s got ] || { cat got >&2; fail "host-only -H listed DSOs"; }

if command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1; then
	for mode in "" "--host" "--host --guest"; do
		for h in "" "-H"; do
			perf kvm $mode -i g.data buildid-list $h >want 2>/dev/null ||
				fail "perf kvm $mode buildid-list $h"
			$KP $mode -i g.data buildid-list $h >got || fail "kvmprof $mode buildid-list $h"
			check_same want got
		done
	done
	perf buildid-list -i nobid.data -H >want 2>/dev/null || fail "perf buildid-list"
	$KP --host --no-guest -i nobid.data buildid-list -H >got || fail "kvmprof"
	check_same want got
fi
exit 0
