#!/bin/sh
# kvmprof stat report on real SVM files (tests/nested/fixtures: recorded in t0610's
# nested L1 by kvmprof and by perf 6.1): the demo guest's exact counts, and with Linux
# perf present, every vmexit/mmio/ioport table equal to perf kvm stat report's (up to
# the deliberate differences of kvmprof-stat(1)).  Runs where QEMU cannot.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/nested/compare.sh"
F=$SRCDIR/tests/nested/fixtures
row() { # FILE EVENT KEY -> the Samples column of row KEY (names may hold spaces)
	"$KP" -i "$1" stat report --event="$2" 2>/dev/null | awk -v k="$3" '$NF == ")" {
		name = $1; for (i = 2; i <= NF - 10; i++) name = name " " $i
		if (name == k) print $(NF - 9) }'
}
want() { # FILE EVENT KEY COUNT
	_got=$(row "$1" "$2" "$3")
	[ "$_got" = "$4" ] || fail "$(basename "$1"): $2 $3: want $4, got '$_got'"
}
for f in "$F/svm-kvmprof.data" "$F/svm-perf.data"; do
	"$KP" -i "$f" stat report >out 2>err || { cat err >&2; fail "kvmprof cannot report $f"; }
	grep -q UNKNOWN out && { cat out >&2; fail "$f: an SVM exit reason has no name"; }
	want "$f" ioport 0x3f8:POUT 40
	want "$f" ioport 0x3f8:PIN 7
	want "$f" mmio 0x10000000:W 20
	want "$f" mmio 0x10000000:R 10
	want "$f" msr 0x10:R 6
	want "$f" vmexit io 47
	want "$f" vmexit cpuid 5
	want "$f" vmexit msr 6
	want "$f" vmexit 'UD excp' 88 # the demo's ud2 traps (SVM intercepts #UD)
done

need_perf
n=0
for f in "$F/svm-kvmprof.data" "$F/svm-perf.data"; do
	for ev in vmexit mmio ioport; do
		for opt in "" "--vcpu=0" "--vcpu=1" "-k time" "--vcpu=0 -k time"; do
			# shellcheck disable=SC2086
			perf kvm -i "$f" stat report --event=$ev $opt 2>p.txt >/dev/null ||
				{ cat p.txt >&2; fail "perf kvm stat report --event=$ev $opt failed on $f"; }
			# shellcheck disable=SC2086
			"$KP" -i "$f" stat report --event=$ev $opt >k.txt 2>k.err ||
				{ cat k.err >&2; fail "kvmprof stat report --event=$ev $opt failed on $f"; }
			stat_table p.txt >p.n
			stat_table k.txt >k.n
			[ -s p.n ] || { cat p.txt >&2; fail "no perf table for --event=$ev $opt on $f"; }
			case $opt in
			*--vcpu*)
				stat_perf_min_zero p.n || fail "perf 6.1's --vcpu Min Time quirk not seen"
				stat_drop_min <k.n >k.t && mv k.t k.n
				stat_drop_min <p.n >p.t && mv p.t p.n
				;;
			esac
			diff -u p.n k.n >&2 || fail "kvmprof and perf differ: --event=$ev $opt on $f"
			# shellcheck disable=SC2086
			check_threads -i "$f" stat report --event=$ev $opt
			n=$((n + 1))
		done
	done
done
echo "ok: $n tables equal to perf's" >&2
