#!/bin/sh
# kvmprof --host report in children mode on a `perf kvm --host --guest record -a -g`
# file vs perf 6.1: the same rows in the same order, ties included.  Rows with
# equal percentages and [unknown] symbols print in the order of perf's rbtrees:
# two unresolved symbols compare by the wrapping difference of their addresses,
# which is no order, so a plain sort gets them wrong.  A helper spins with %rbp
# on a fake frame chain whose return addresses span the 64-bit range, so such
# ties are always there; the demo guest runs meanwhile (guest samples).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/demo-lib.sh"
need_perf
need_root
need_demo_guest

cat >fakefp.c <<'EOC'
#include <stdlib.h>
#include "fakefp.h"
#define NF 48
static uint64_t frames[NF * 2 + 2];
int main(int argc, char **argv)
{
	/* each fake frame: the next frame, then a return address */
	for (int i = 0; i < NF; i++) {
		frames[2 * i] = i + 1 < NF ? (uint64_t)(uintptr_t)&frames[2 * (i + 1)] : 0;
		frames[2 * i + 1] = (uint64_t)(i % 4) << 62 | (uint64_t)(i * 0x1111111) << 20 | 0x10;
	}
	fakefp_spin(frames, argc > 1 ? atof(argv[1]) : 2.0);
	return 0;
}
EOC
[ "$(uname -m)" = x86_64 ] || skip "the fake-frame helper is x86_64 code"
command -v "${CC:-cc}" >/dev/null || skip "no C compiler"
${CC:-cc} -O2 -fomit-frame-pointer -I"$SRCDIR/tests/e2e" -o fakefp fakefp.c || fail "cannot build the fake-frame helper"

demo_guest_start
./fakefp 2.5 &
FPID=$!
perf kvm --host --guest record -a -g -e cpu-clock -o kvm.data -- sleep 3 >rec.out 2>&1 ||
	{ cat rec.out >&2; kill "$FPID" 2>/dev/null; skip "perf kvm record -a -g does not work here"; }
wait "$FPID"
demo_guest_stop

# compare "kvmprof report args" "perf kvm report args"
compare() {
	perf kvm --host -i kvm.data report --stdio $2 2>perf.err | strip_tip >want ||
		{ cat perf.err >&2; fail "perf kvm report $2"; }
	"$KP" --host -i kvm.data report --stdio $1 2>kp.err | strip_tip >got
	[ -s got ] || { cat kp.err >&2; fail "kvmprof report $1: no output"; }
	if ! diff -u want got >diff.out; then
		head -60 diff.out >&2
		fail "kvmprof --host report $1 differs from perf kvm --host report $2"
	fi
}

# the case must be there: many [unknown] rows of the helper with equal children
n=$(perf kvm --host -i kvm.data report --stdio -g none --comm fakefp 2>/dev/null |
	grep -c '^ .*%  *\[unknown\]  *\[\.\] 0x')
[ "$n" -ge 40 ] || fail "only $n unresolved fake-frame rows (want >= 40)"

compare "" ""
compare "-g none" "-g none"
compare "-g none -n" "-g none -n"
compare "--no-children -g none" "--no-children -g none"
compare "-g caller" "-g caller"
exit 0
