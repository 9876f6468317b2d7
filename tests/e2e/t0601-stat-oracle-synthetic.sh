#!/bin/sh
# kvmprof stat report vs Linux perf 6.1 (perf kvm -i F stat report, on stderr) on
# synthetic VMX and SVM files from the seeded generator: many VMs and vCPUs, all
# reports, --vcpu, -k, -p, two tracepoint layouts, lost begins/ends, unknown codes.
. "$SRCDIR/tests/e2e/lib.sh"
need_perf
GEN=${GEN_KVM_STAT:?GEN_KVM_STAT not set (run through meson test)}
F=$SRCDIR/tests/fixtures/stat

# perf prints the table on stderr, with one "unknown kvm exit code" line per unknown row
perf_table() {
	_f=$1
	shift
	perf kvm -i "$_f" stat report "$@" 2>&1 >/dev/null | grep -v '^unknown kvm exit code' |
		grep -v '^  Warning' || true
}
# kvmprof names unknown codes UNKNOWN(<code>); perf only UNKNOWN: compare without padding
unify() { sed -E 's/UNKNOWN\([0-9a-fx]+\)/UNKNOWN/; s/^ +//; s/ +/ /g'; }
# with --vcpu, perf 6.1 prints Min Time 0.00us (zero-filled per-vCPU stats); kvmprof the
# real minimum: blank that column on both sides after checking perf's zeros
# (rows end in "( +- X% )"; names may hold spaces, as SVM's "PF excp": count from the end)
drop_min() { awk '$NF == ")" && $(NF - 7) ~ /%$/ { $(NF - 6) = "MIN" } { print }'; }

"$GEN" -o vmx.data -f "$F/formats-6.18" --isa vmx --seed 11 --vms 3 --vcpus 4 --exits 30000 \
	--quirks 2>/dev/null || fail "generator failed (vmx)"
"$GEN" -o svm.data -f "$F/formats-old" --isa svm --seed 12 --vms 2 --vcpus 3 --exits 20000 \
	--quirks 2>/dev/null || fail "generator failed (svm)"
"$GEN" -o clean.data -f "$F/formats-6.18" --isa vmx --seed 13 --vms 2 --vcpus 2 --exits 5000 \
	2>/dev/null || fail "generator failed (clean)"
n=0
for f in vmx.data svm.data clean.data; do
	for ev in vmexit mmio ioport msr; do
		for opt in "" "--vcpu=1" "-k time" "--vcpu=0 -k time" "-k sample" "-p 4100"; do
			# shellcheck disable=SC2086
			perf_table "$f" --event=$ev $opt >"p.txt"
			# shellcheck disable=SC2086
			"$KP" -i "$f" stat report --event=$ev $opt >k.txt 2>k.err ||
				{ cat k.err >&2; fail "kvmprof stat report --event=$ev $opt on $f failed"; }
			grep -q 'Total Samples:[1-9]' p.txt || fail "perf found nothing in $f --event=$ev $opt"
			case "$opt" in
			*--vcpu*)
				unify <p.txt | awk '$NF == ")" && $(NF - 6) != "0.00us" { bad = 1 } END { exit bad }' \
					 || fail "perf 6.1's --vcpu Min Time quirk not seen"
				unify <p.txt | drop_min >p.n
				unify <k.txt | drop_min >k.n
				;;
			*)
				unify <p.txt >p.n
				unify <k.txt >k.n
				;;
			esac
			check_same p.n k.n
			# shellcheck disable=SC2086
			check_threads -i "$f" stat report --event=$ev $opt
			n=$((n + 1))
		done
	done
done
# without unknown codes the table must be byte-identical (layout included)
perf_table clean.data --event=vmexit >p.txt
"$KP" -i clean.data stat report >k.txt 2>/dev/null
check_same p.txt k.txt
perf_table clean.data --event=ioport -k time >p.txt
"$KP" -i clean.data stat report --event=ioport -k time >k.txt 2>/dev/null
check_same p.txt k.txt
echo "ok: $n report variants equal to perf's, on one reading thread and on two" >&2
