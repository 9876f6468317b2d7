#!/bin/sh
# kvmprof diff vs perf 6.1 on the same pairs of files:
#  - two recordings of the demo guest under --guestmount with a changed --mix
#    (hot 50 -> 20, cold 5 -> 35): demo_hot goes down, demo_cold up, the others
#    stay near; kvmprof diff == perf kvm --guestmount=DIR diff, also with -c
#    delta, -c ratio, -c wdiff, --percentage relative and --sort;
#  - a host-only pair recorded with perf record (a program whose hot/cold mix
#    changes and whose "gone" function disappears): kvmprof --host diff ==
#    perf diff, including the unpaired rows and -c ratio/wdiff/-o 0;
#  - default files (perf.data.host vs perf.data.guest; -i FILE vs FILE.old),
#    usage errors and a missing file.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_perf
need_root
need_demo_guest

demo_guestmount_home
unset DEBUGINFOD_URLS
demo_record_guest hot=50,warm=30,cool=15,cold=5 old.data
demo_record_guest hot=20,warm=30,cool=15,cold=35 new.data

"$KP" --guestmount="$T/gm" diff old.data new.data >k.txt 2>k.err ||
	{ cat k.err >&2; fail "kvmprof diff exited $?"; }
cat k.txt >&2
# the expected deltas: hot about -30 points, cold about +30, warm and cool near 0
delta() { awk -v f="$1" '$NF == f { for (i = 1; i < NF; i++) if ($i ~ /^[-+][0-9.]+%$/) { sub(/%/, "", $i); print $i + 0 } }' k.txt; }
for fr in demo_hot:-40:-20 demo_cold:20:40 demo_warm:-8:8 demo_cool:-8:8; do
	f=${fr%%:*} r=${fr#*:} lo=${r%:*} hi=${r#*:}
	d=$(delta "$f")
	[ -n "$d" ] || fail "no delta for $f"
	awk -v d="$d" -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(d >= lo && d <= hi) }' ||
		fail "$f: delta $d not in [$lo, $hi]"
done
head -5 k.txt | sed -n 3p | grep -q '^# Baseline  Delta Abs  Shared Object  *Symbol' ||
	fail "header is not perf diff's"
# sorted by |delta|: hot and cold first
sed -n 6,7p k.txt | grep -c 'demo_hot$\|demo_cold$' | grep -q '^2$' || fail "not sorted by |delta|"

for opt in "" "-c delta" "-c ratio" "-c wdiff:1,3" "--percentage relative" "-s sym" "-s pid,sym"; do
	# shellcheck disable=SC2086
	perf kvm --guestmount="$T/gm" diff $opt old.data new.data >want 2>/dev/null ||
		fail "perf kvm diff $opt failed"
	# shellcheck disable=SC2086
	"$KP" --guestmount="$T/gm" diff $opt old.data new.data >got 2>err ||
		{ cat err >&2; fail "kvmprof diff $opt exited $?"; }
	check_same want got
done

# default files: perf kvm's perf.data.host (baseline) vs perf.data.guest; -i NEW vs NEW.old
cp old.data perf.data.host && cp new.data perf.data.guest
"$KP" --guestmount="$T/gm" diff >got 2>err || { cat err >&2; fail "diff without files"; }
check_same k.txt got
cp old.data x.data.old && cp new.data x.data
"$KP" --guestmount="$T/gm" -i x.data diff >got 2>err || { cat err >&2; fail "-i x.data diff"; }
check_same k.txt got

# usage errors and a missing file
expect_fail 129 "not a computation" "$KP" diff -c bogus old.data new.data
expect_fail 129 "wdiff:W1,W2" "$KP" diff -c wdiff:0,1 old.data new.data
expect_fail 129 "relative or absolute" "$KP" diff --percentage half old.data new.data
expect_fail 129 "two files, not 3" "$KP" diff a b c
expect_fail 129 "either as -i NEW" "$KP" -i x.data diff old.data new.data
expect_fail 129 "unknown sort key" "$KP" diff -s nope old.data new.data
expect_fail 1 "missing.data" "$KP" diff old.data missing.data

# a host-only pair recorded by perf record: plain perf diff's layout and pairing
command -v cc >/dev/null 2>&1 || { echo "no C compiler: host pair skipped" >&2; exit 0; }
cat >w.c <<'EOS'
#include <stdlib.h>
#define SPIN(name) __attribute__((noinline)) long name(long n) \
	{ volatile long s = 0; for (long i = 0; i < n; i++) s += i; return s; }
SPIN(hot) SPIN(warm) SPIN(cold) SPIN(gone)
int main(int argc, char **argv)
{
	long t = 0, h = atol(argv[1]), w = atol(argv[2]), c = atol(argv[3]), g = atol(argv[4]);

	for (int r = 0; r < 200; r++) {
		t += hot(h * 10000) + warm(w * 10000) + cold(c * 10000);
		if (g)
			t += gone(g * 10000);
	}
	return (int)(t & 1);
}
EOS
cc -O1 -o w w.c || fail "cc"
perf record -q -e cpu-clock -F 4000 -o hold.data -- ./w 50 30 10 5 >/dev/null 2>&1 ||
	skip "perf record does not work here"
perf record -q -e cpu-clock -F 4000 -o hnew.data -- ./w 20 30 40 0 >/dev/null 2>&1 ||
	fail "perf record (second run)"
for opt in "" "-c delta" "-c ratio" "-c wdiff:2,1" "-o 0" "-c ratio -o 0" "-s dso" "-s comm,sym" \
	"--percentage relative"; do
	# shellcheck disable=SC2086
	perf diff $opt hold.data hnew.data >want 2>/dev/null || fail "perf diff $opt failed"
	# shellcheck disable=SC2086
	"$KP" --host --no-guest diff $opt hold.data hnew.data >got 2>err ||
		{ cat err >&2; fail "kvmprof --host diff $opt exited $?"; }
	check_same want got
done
"$KP" --host diff hold.data hnew.data >got 2>err || { cat err >&2; fail "kvmprof --host diff"; }
grep -q '^ *[0-9.]*%  *w  *\[\.\] gone$' got || { cat got >&2; fail "the baseline-only row"; }
grep -q '^ *[0-9.]*%  *-[0-9.]*%  *w  *\[\.\] hot$' got || { cat got >&2; fail "hot not down"; }
grep -q '^ *[0-9.]*%  *+[0-9.]*%  *w  *\[\.\] cold$' got || { cat got >&2; fail "cold not up"; }
perf diff -c ratio hold.data hnew.data >want 2>/dev/null
"$KP" --host diff -c ratio hold.data hnew.data >got 2>/dev/null
check_same want got
exit 0
