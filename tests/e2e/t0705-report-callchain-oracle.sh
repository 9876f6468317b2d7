#!/bin/sh
# kvmprof report -g vs Linux perf 6.1 (the oracle) on a host profile recorded
# with -g: every call-graph layout (graph, fractal, flat, folded), both orders,
# the value types, thresholds and print limits, in children and self mode,
# must be identical line for line (perf's random tip line left out).
. "$(dirname "$0")/lib.sh"
need_perf

cat >deep.c <<'EOC'
#include <fcntl.h>
#include <unistd.h>
static volatile unsigned long x;
__attribute__((noinline)) void leaf_a(long n) { for (long i = 0; i < n; i++) x += i; }
__attribute__((noinline)) void leaf_b(long n) { for (long i = 0; i < n; i++) x ^= i; }
__attribute__((noinline)) void mid1(long n) { leaf_a(n); leaf_b(n / 2); }
__attribute__((noinline)) void mid2(long n) { leaf_b(n); mid1(n / 4); }
__attribute__((noinline)) void sys(int r)
{
	char buf[4096];
	for (int i = 0; i < 300; i++) {
		int fd = open("/proc/self/stat", O_RDONLY);
		if (fd >= 0) {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
		}
	}
	x += (unsigned long)r;
}
__attribute__((noinline)) void top(int r) { mid1(3000000); mid2(2000000); sys(r); }
int main(void)
{
	for (int r = 0; r < 6; r++)
		top(r);
	return 0;
}
EOC
${CC:-cc} -O1 -g -fno-omit-frame-pointer -o deep deep.c || skip "no C compiler"
perf record -q -g -e cpu-clock -F 2000 -o g.data -- ./deep >/dev/null 2>&1 ||
	skip "perf record -g does not work here"

# perf 6.1 prints fractal's "[...]" rest from a malloc'ed symbol whose
# 'inlined' flag is never set: " (inlined)" follows it or not by chance
strip_tip() { grep -v '^# (.*)$' | sed 's/--\[\.\.\.\] (inlined)$/--[...]/'; }
n=0
compare() {
	n=$((n + 1))
	perf report -i g.data --stdio $1 2>perf.err | strip_tip >want.$n ||
		{ cat perf.err >&2; fail "perf report $1"; }
	"$KP" --host --no-guest report -i g.data --stdio $1 2>kp.err | strip_tip >got.$n
	[ -s got.$n ] || { cat kp.err >&2; fail "kvmprof report $1: no output"; }
	if ! diff -u want.$n got.$n >diff.out; then
		head -60 diff.out >&2
		fail "kvmprof report $1 differs from perf"
	fi
	# shellcheck disable=SC2086
	check_threads --host --no-guest report -i g.data --stdio $1
}

for o in "" "--no-children"; do
	for g in "" "-g graph" "-g flat" "-g folded" "-g fractal" "-g caller" "-g callee" \
		"-g graph,0.1,caller,period" "-g fractal,2,callee,count" "-g flat,1,2" \
		"-g folded,0,callee,count" "--call-graph=graph,0.5,caller,function,percent" \
		"-g graph,0,3"; do
		compare "$g $o"
	done
done
compare "-g graph --no-children --sort sym"
compare "-g caller --sort dso,sym -n"
compare "-g none"
# --percent-limit is also the call graph's threshold in perf, until a later -g sets one
compare "--no-children --percent-limit 2"
compare "--no-children --percent-limit 2 -g graph,0.5"
compare "-g graph,0.2 --percent-limit 3"

# the trees are really there (a test that cannot fail is a defect)
grep -q -- '---' got.2 || fail "no graph connectors in -g graph output"
grep -q -- '--[0-9.]*%--' got.2 || fail "no branch percentages in -g graph output"
grep -Eq '^[0-9.]+% [^ ]+;' got.4 || fail "no folded lines in -g folded output"

# usage errors
expect_fail 129 "call-graph" "$KP" --host report -i g.data --stdio -g bogus
expect_fail 129 "not supported" "$KP" --host report -i g.data --stdio -g address
exit 0
