#!/bin/sh
# stat report --timeline FILE: a Chrome / Perfetto trace-event JSON timeline of
# the paired KVM intervals of synthetic kvm stat files (tests/gen): the JSON
# parses, holds one complete event per interval (as many as the report's
# samples, for every report kind and with --vcpu), pid = VM, tid = vCPU.
. "$SRCDIR/tests/e2e/lib.sh"
GEN=${GEN_KVM_STAT:?GEN_KVM_STAT not set (run through meson test)}
F=$SRCDIR/tests/fixtures/stat
command -v python3 >/dev/null 2>&1 || skip "python3 is needed to check the JSON"

"$GEN" -o vmx.data -f "$F/formats-6.18" --isa vmx --seed 21 --vms 2 --vcpus 3 --exits 4000 \
	2>/dev/null || fail "generator failed (vmx)"
"$GEN" -o svm.data -f "$F/formats-old" --isa svm --seed 22 --vms 2 --vcpus 2 --exits 3000 \
	--quirks 2>/dev/null || fail "generator failed (svm)"

for f in vmx.data svm.data; do
	for ev in vmexit mmio ioport; do
		for opt in "" "--vcpu=1"; do
			# shellcheck disable=SC2086
			"$KP" -i "$f" stat report --event=$ev $opt --timeline tl.json >rep.txt 2>err ||
				{ cat err >&2; fail "stat report --event=$ev $opt --timeline on $f failed"; }
			python3 -m json.tool tl.json >/dev/null || fail "timeline of $f $ev is not JSON"
			want=$(sed -n 's/.*Total Samples:\([0-9]*\).*/\1/p' rep.txt)
			[ -n "$want" ] || { cat rep.txt >&2; fail "no Total Samples in the report"; }
			got=$(python3 - tl.json "$opt" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
x = [e for e in ev if e["ph"] == "X"]
names = {(e["pid"], e["tid"]) for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
for e in x:
    assert e["dur"] >= 0 and e["ts"] > 0 and e["name"], e
    assert (e["pid"], e["tid"]) in names, ("unnamed thread", e)
    if sys.argv[2] == "--vcpu=1":
        assert e["tid"] == 1, e
print(len(x))
EOP
) || fail "timeline of $f --event=$ev $opt is malformed"
			[ "$got" = "$want" ] ||
				fail "$f --event=$ev $opt: $got timeline events, the report has $want samples"
		done
	done
done
# exit reasons are the names the report prints
grep -q '"name":"EXTERNAL_INTERRUPT"\|"name":"HLT"\|"name":"EPT_VIOLATION"' tl.json ||
	"$KP" -i vmx.data stat report --timeline tl2.json >/dev/null 2>&1
"$KP" -i vmx.data stat report --timeline tl2.json >rep.txt 2>err || { cat err >&2; fail "vmexit"; }
first=$(awk 'NR > 1 && NF > 3 && $1 !~ /^(Event|VM-EXIT|Analyze|Total)/ { print $1; exit }' rep.txt)
[ -n "$first" ] && grep -q "\"name\":\"$first\"" tl2.json ||
	fail "exit reason '$first' of the report is not in the timeline"

expect_fail 1 "nodir" "$KP" -i vmx.data stat report --timeline "$T/nodir/t.json"
exit 0
