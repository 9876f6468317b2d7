#!/bin/sh
# kvmprof report -g vs Linux perf 6.1 on chains deeper than 32 frames.  perf's
# graph printer keeps the "|" columns in an int with bit (1 << depth): the
# shift wraps at 32, so a column 32 levels down shares the bit of a shallow
# one and perf draws its bar.  The profile has two top-level paths; the
# smaller one (so its first column is closed) is a comb that branches at each
# of 45 levels, so the wrapped bar shows below depth 32.
. "$(dirname "$0")/lib.sh"
need_perf

cat >rec.c <<'EOC'
#include <time.h>
static volatile unsigned long x;
__attribute__((noinline)) void spin(void) { for (int i = 0; i < 300000; i++) x += i; }
__attribute__((noinline)) void leaf(void) { for (int i = 0; i < 200000; i++) x ^= i; }
/* a comb: rec(k) is k + 1 frames of rec over leaf, so every level branches */
__attribute__((noinline)) void rec(int d)
{
	if (d)
		rec(d - 1);
	else
		leaf();
	x++;
}
__attribute__((noinline)) void top_a(void) { spin(); x++; }
__attribute__((noinline)) void top_b(int k) { rec(k); x++; }
int main(void)
{
	time_t end = time(NULL) + 3;

	/* top_a gets more time: the deep comb is the last (closed) column */
	for (int w = 0; time(NULL) < end; w++) {
		top_a();
		top_b(w % 45);
	}
	return 0;
}
EOC
${CC:-cc} -O1 -fno-omit-frame-pointer -fno-optimize-sibling-calls -o rec rec.c ||
	skip "no C compiler"
perf record -q -g -e cpu-clock -F 4000 -o g.data -- ./rec >/dev/null 2>&1 ||
	skip "perf record -g does not work here"

# the case must be there: a chain deeper than 32 frames with two leaves
depth=$(perf script -i g.data -F ip 2>/dev/null | awk 'NF == 0 { if (n > m) m = n; n = 0; next }
	{ n++ } END { print m + 0 }')
[ "$depth" -gt 40 ] || fail "deepest recorded chain has $depth frames (want > 40)"

for args in "--no-children" "--no-children -g caller" "--children" "--no-children -g fractal" \
	"--no-children -g graph,0.3,callee"; do
	compare_with_perf "--host report -i g.data --stdio $args" \
		"report -i g.data $args"
	# the graph must really go below depth 33 (or the case is not tested)
	if [ "$args" = "--no-children" ]; then
		awk 'length($0) > 15 + 11 * 34' got | grep -q . ||
			fail "no graph line below depth 34: the case is not exercised"
	fi
done
exit 0
