#!/bin/sh
# kvmprof stat live on real KVM events, in both modes: the demo guest does exactly N PIO
# writes and M MMIO writes; the totals since start show exactly N and M, nothing lost,
# and the BPF and streaming runs agree on every count.  The guest is the command of stat
# live (only its events are counted) and stops after its actions; -t only bounds a hung run.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
N=4099 M=257
run() { # MODE -> live.MODE.out
	"$KP" stat live --event=ioport,mmio --stdio -d 0.5 "$1" -- "$DEMO_GUEST" --pio-out $N \
		--mmio-write $M --exit-after-actions -t 300 >"live$1.out" 2>"live$1.err" ||
		{ cat "live$1.err" >&2; fail "stat live $1 failed"; }
}
count() { # MODE NAME -> Samples of row NAME in the totals
	sed -n '/^Totals since start/,$p' "live$1.out" | awk -v n="$2" '$1 == n { print $2 }'
}
run --no-bpf
grep -q 'tracepoint kvm:kvm_pio is not available' live--no-bpf.err && skip "no kvm:kvm_pio here"
grep -q '^Totals since start (.*streaming)' live--no-bpf.out || fail "no streaming totals"
run --bpf
if grep -q 'in-kernel aggregation unavailable\|cannot load\|BTF' live--bpf.err; then
	cat live--bpf.err >&2
	skip "BPF not usable here"
fi
grep -q '^Totals since start (.*BPF)' live--bpf.out || fail "no BPF totals"
for m in --no-bpf --bpf; do
	[ "$(count $m 0x3f8:POUT)" = $N ] || fail "$m: 0x3f8:POUT want $N, got '$(count $m 0x3f8:POUT)'"
	[ "$(count $m 0x10000000:W)" = $M ] || fail "$m: MMIO W want $M, got '$(count $m 0x10000000:W)'"
	grep -q '^Lost events: 0$' "live$m.out" || fail "$m: events were lost"
	# every access was timed (kvm_userspace_exit follows each one on this host)
	[ "$(sed -n '/^Totals since start/,$p' "live$m.out" | awk '$1 == "0x3f8:POUT" { print $3 }')" = $N ] ||
		fail "$m: not every PIO write was timed"
done
# a bad option is a usage error, an unknown event too
expect_fail 129 "unknown --event" "$KP" stat live --event=bogus
expect_fail 129 "power of two" "$KP" stat live -m 3
expect_fail 129 "percentiles" "$KP" stat live --bpf --percentiles
exit 0
