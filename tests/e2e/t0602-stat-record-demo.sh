#!/bin/sh
# kvmprof stat record on real KVM events: the demo guest does exactly N PIO writes,
# M MMIO writes + R reads and K MSR accesses; stat report shows exactly those counts,
# and Linux perf reads the same file (perf script sees the same raw event counts).
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
need_perf
N=257 M=41 R=23 KR=9 KW=5
"$KP" -o kvm.data stat record -- "$DEMO_GUEST" --pio-out $N --mmio-write $M --mmio-read $R \
	--msr-read $KR --msr-write $KW --exit-after-actions -t 20 >rec.out 2>rec.err ||
	{ cat rec.err >&2; fail "kvmprof stat record failed"; }
grep -q 'tracepoint kvm:kvm_pio is not available' rec.err && skip "no kvm:kvm_pio tracepoint here"
count() { # EVENT NAME -> the Samples column of row NAME
	"$KP" -i kvm.data stat report --event="$1" 2>/dev/null | awk -v n="$2" '$1 == n { print $2 }'
}
[ "$(count ioport 0x3f8:POUT)" = $N ] || fail "ioport 0x3f8:POUT: want $N, got '$(count ioport 0x3f8:POUT)'"
[ "$(count mmio 0x10000000:W)" = $M ] || fail "mmio W: want $M, got '$(count mmio 0x10000000:W)'"
[ "$(count mmio 0x10000000:R)" = $R ] || fail "mmio R: want $R, got '$(count mmio 0x10000000:R)'"
[ "$(count msr 0x10:R)" = $KR ] || fail "msr 0x10:R: want $KR, got '$(count msr 0x10:R)'"
[ "$(count msr 0xc0000102:W)" = $KW ] || fail "msr W: want $KW, got '$(count msr 0xc0000102:W)'"
for ev in vmexit ioport mmio msr; do
	check_threads -i kvm.data stat report --event=$ev
done
# the oracle reads our file and sees the same raw events
perf script -i kvm.data -F event,trace 2>/dev/null >script.txt || fail "perf script cannot read the file"
[ "$(grep -c 'kvm:kvm_pio:.*pio_write at 0x3f8' script.txt)" = $N ] || fail "perf script: kvm_pio count"
[ "$(grep -c 'kvm:kvm_msr:' script.txt)" = $((KR + KW)) ] || fail "perf script: kvm_msr count"
[ "$(grep -c 'kvm:kvm_mmio:.*mmio write' script.txt)" = $M ] || fail "perf script: mmio writes"
[ "$(grep -c 'kvm:kvm_mmio:.*mmio read ' script.txt)" = $R ] || fail "perf script: mmio reads"
perf kvm -i kvm.data stat report --event=ioport >/dev/null 2>&1 || fail "perf kvm stat report rejects the file"
# JSON carries the same numbers
"$KP" -i kvm.data stat report --event=ioport --json >j.json 2>/dev/null
python3 -c 'import json,sys; d=json.load(open("j.json")); r=d["all"]["rows"][0]; sys.exit(0 if (r["name"],r["samples"])==("0x3f8:POUT",int(sys.argv[1])) and d["mode"]=="access" else 1)' $N ||
	fail "JSON does not match"
