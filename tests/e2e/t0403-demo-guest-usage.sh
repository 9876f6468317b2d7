#!/bin/sh
# The demo guest's command line and symbol outputs (no KVM needed): usage errors exit 129,
# --kallsyms is a sorted guest-kernel kallsyms with _text/_stext/_etext, --elf is the guest
# image with the demo functions as symbols, and a missing /dev/kvm is a clear error.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
[ -x "$DEMO_GUEST" ] || skip "demo guest not built: $DEMO_GUEST"
G=$DEMO_GUEST

$G --help >out || fail "--help failed"
grep -q '^usage: kvmprof-demo-guest' out || fail "--help lacks usage"
$G --version | grep -q '^kvmprof-demo-guest version ' || fail "--version"
expect_fail 129 "unknown function 'tepid'" $G --mix hot=1,tepid=2
expect_fail 129 "add up to 0" $G --mix hot=0
expect_fail 129 "bad number for pio-out" $G --pio-out -1
expect_fail 129 "bad number for --pio-port" $G --pio-port 0x10000
expect_fail 129 "needs a value" $G --cpuid
expect_fail 129 "unknown option '--bogus'" $G --bogus
expect_fail 129 "bad number of seconds" $G -t soon
expect_fail 129 "unexpected argument" $G extra
expect_fail 1 "cannot write '$T/no/such/dir/k'" $G --kallsyms "$T/no/such/dir/k" -t 0.1

# symbol files are written before KVM is touched, so they work anywhere; the
# guest itself may fail (no /dev/kvm) — then the message must name the fix
$G --kallsyms k --elf g.elf -t 0.2 >out 2>err
rc=$?
if [ $rc != 0 ]; then
	[ $rc = 1 ] || fail "demo guest exited $rc"
	grep -q '/dev/kvm\|KVM' err || { cat err >&2; fail "error does not mention KVM"; }
fi
head -2 k | awk "{ print \$3 }" | LC_ALL=C sort >head.got
printf '_stext\n_text\n' >head.want
check_same head.want head.got
tail -1 k | grep -q '^ffffffff8[0-9a-f]* T _etext$' || fail "kallsyms does not end with _etext"
grep -q '^ffffffff81000000 T demo_trap_ud$' k || fail "kallsyms lacks demo_trap_ud"
grep -vq '^[0-9a-f]\{16\} [tT] [a-z_]*$' k && fail "kallsyms has malformed lines"
cut -c1-16 k | LC_ALL=C sort -c || fail "kallsyms is not sorted by address"
if command -v nm >/dev/null 2>&1; then
	for f in demo_hot demo_warm demo_cool demo_cold demo_main demo_start; do
		nm g.elf | grep -q "^0000000000401[0-9a-f]* T $f\$" || fail "g.elf lacks $f"
	done
fi
exit 0
