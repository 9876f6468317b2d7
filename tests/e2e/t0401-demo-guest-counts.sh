#!/bin/sh
# The demo guest performs exactly the PIO/MMIO/MSR/CPUID actions asked for:
# Linux perf's kvm tracepoint counts are the oracle.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_perf
need_root
need_demo_guest
perf list 2>/dev/null | grep -q 'kvm:kvm_pio' || skip "no kvm:* tracepoints here"

args="--pio-out 1000 --pio-in 300 --pio-port 0x80 --mmio-write 200 --mmio-read 100 \
	--msr-read 50 --msr-write 40 --cpuid 30 --exit-after-actions -t 120"

# 1. totals with perf stat
perf stat -x, -o stat.csv -e kvm:kvm_pio,kvm:kvm_mmio,kvm:kvm_msr,kvm:kvm_cpuid \
	-- "$DEMO_GUEST" $args >out 2>err || { cat err >&2; fail "demo guest under perf stat failed"; }
count() { awk -F, -v ev="$1" '$3 == ev { print $1 }' stat.csv; }
[ "$(count kvm:kvm_pio)" = 1300 ] || { cat stat.csv >&2; fail "kvm_pio: want 1300"; }
# an MMIO read is two events (unsatisfied-read, then read)
[ "$(count kvm:kvm_mmio)" = 400 ] || { cat stat.csv >&2; fail "kvm_mmio: want 400"; }
[ "$(count kvm:kvm_msr)" = 90 ] || { cat stat.csv >&2; fail "kvm_msr: want 90"; }
[ "$(count kvm:kvm_cpuid)" = 30 ] || { cat stat.csv >&2; fail "kvm_cpuid: want 30"; }
grep -q 'pio-out 1000, pio-in 300 (port 0x80), mmio-write 200, mmio-read 100, msr-read 50, msr-write 40, cpuid 30,' out ||
	{ cat out >&2; fail "summary line lacks the counts"; }

# 2. per direction/address with perf record + perf script
perf record -q -o trace.data -e kvm:kvm_pio,kvm:kvm_mmio,kvm:kvm_msr \
	-- "$DEMO_GUEST" $args >out 2>err || { cat err >&2; fail "demo guest under perf record failed"; }
perf script -i trace.data -F event,trace 2>/dev/null | sed 's/^ *//; s/ *$//; s/ val .*//; s/ = .*//' |
	sort | uniq -c | sed 's/^ *//' >got
cat >want <<'EOW'
100 kvm:kvm_mmio: mmio read len 4 gpa 0x10000000
100 kvm:kvm_mmio: mmio unsatisfied-read len 4 gpa 0x10000000
200 kvm:kvm_mmio: mmio write len 4 gpa 0x10000000
40 kvm:kvm_msr: msr_write c0000102
50 kvm:kvm_msr: msr_read 10
1000 kvm:kvm_pio: pio_write at 0x80 size 1 count 1
300 kvm:kvm_pio: pio_read at 0x80 size 1 count 1
EOW
sort want >want.sorted
sort got >got.sorted
check_same want.sorted got.sorted

# 3. nothing at all when no action is asked for
perf stat -x, -o stat.csv -e kvm:kvm_pio,kvm:kvm_mmio,kvm:kvm_msr,kvm:kvm_cpuid \
	-- "$DEMO_GUEST" -t 0.3 >out 2>err || { cat err >&2; fail "idle demo guest failed"; }
for ev in kvm_pio kvm_mmio kvm_msr kvm_cpuid; do
	[ "$(count kvm:$ev)" = 0 ] || { cat stat.csv >&2; fail "$ev fired without actions"; }
done
exit 0
