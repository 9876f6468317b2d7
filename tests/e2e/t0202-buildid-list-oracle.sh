#!/bin/sh
# kvmprof buildid-list == perf buildid-list (Linux perf 6.1) on a host
# profile recorded here with perf record -g, in every host/guest mode and
# with and without -H.
. "$(dirname "$0")/lib.sh"
need_perf

perf record -q -g -e cpu-clock -F 2000 -o host.data -- \
	sh -c 'i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; ls -lR /usr/lib >/dev/null' \
	>/dev/null 2>&1 || skip "perf record does not work here"
[ -s host.data ] || skip "perf record wrote nothing"

compare() { # "kvmprof global opts" "perf command line" "buildid-list opts"
	$2 $3 >want 2>perf.err || { cat perf.err >&2; fail "$2 $3"; }
	$KP $1 -i host.data buildid-list $3 >got 2>kp.err || { cat kp.err >&2; fail "kvmprof $1 $3"; }
	check_same want got
}
compare "--host --no-guest" "perf buildid-list -i host.data" ""
compare "--host --no-guest" "perf buildid-list -i host.data" "-H"
compare "" "perf kvm -i host.data buildid-list" ""
compare "" "perf kvm -i host.data buildid-list" "-H"
compare "--host" "perf kvm --host -i host.data buildid-list" "-H"
compare "--host --guest" "perf kvm --host --guest -i host.data buildid-list" "-H"
# the kernel and the workload are in the list
grep -q '\[kernel.kallsyms\]' got || fail "no [kernel.kallsyms] build-id"
exit 0
