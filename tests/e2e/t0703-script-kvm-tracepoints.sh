#!/bin/sh
# kvm:kvm_pio / kvm:kvm_mmio recorded by Linux perf while the demo guest does
# PIO and MMIO: `kvmprof --host script` prints the tracepoint lines (the
# libtraceevent field text, the padded event names) exactly as perf script.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/demo-lib.sh"
need_perf
need_root
need_demo_guest
perf list 2>/dev/null | grep -q 'kvm:kvm_pio' || skip "no kvm:* tracepoints here"

perf record -q -a -e kvm:kvm_pio -e kvm:kvm_mmio -o tp.data -- "$DEMO_GUEST" --pio-out 100 \
	--pio-in 30 --mmio-write 40 --mmio-read 20 --exit-after-actions -t 60 >rec.out 2>&1 ||
	{ cat rec.out >&2; fail "perf record of the demo guest failed"; }
perf script -i tp.data >want 2>/dev/null || fail "perf script failed"
grep -q 'kvm:kvm_pio: pio_write at 0x3f8 size 1 count 1' want || { head want >&2; fail "no pio lines from perf"; }
"$KP" --host script -i tp.data >got 2>err || { cat err >&2; fail "kvmprof script failed"; }
check_same want got
F=comm,tid,cpu,time,event,trace
perf script -i tp.data -F $F >want.F 2>/dev/null || fail "perf script -F failed"
"$KP" --host script -i tp.data -F $F >got.F 2>err || { cat err >&2; fail "kvmprof script -F failed"; }
check_same want.F got.F
# tracepoints fire in host context: the guest-only default shows none
"$KP" script -i tp.data >none 2>err || { cat err >&2; fail "kvmprof script failed"; }
[ ! -s none ] || fail "guest-only display showed host tracepoint samples"
exit 0
