#!/bin/sh
# Files written by kvmprof record: perf report (the oracle) and kvmprof report agree.
. "$(dirname "$0")/lib.sh"
need_perf

cat >spin.c <<'EOC'
static volatile unsigned long x;
__attribute__((noinline)) void hot1(long n) { for (long i = 0; i < n; i++) x += i; }
__attribute__((noinline)) void hot2(long n) { for (long i = 0; i < n; i++) x ^= i; }
int main(void) { for (int r = 0; r < 6; r++) { hot1(20000000); hot2(10000000); } return 0; }
EOC
${CC:-cc} -O1 -o spin spin.c || skip "no C compiler"
$KP --host --no-guest record -g -e cpu-clock -F 2000 -o kp.data -- ./spin >/dev/null 2>rec.err ||
	{ cat rec.err >&2; skip "kvmprof record does not work here"; }

grep -q "\[\.\] hot1" <<EOF2 || fail "no hot1 row in kvmprof's report of its own file"
$($KP --host --no-guest report -i kp.data --no-children)
EOF2
for o in "" "--no-children" "--sort pid -n" "--showcpuutilization" "--sort dso,sym"; do
	compare_with_perf "--host --no-guest report -i kp.data -g none $o" "report -i kp.data -g none $o"
done
exit 0
