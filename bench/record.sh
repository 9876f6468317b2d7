#!/bin/sh
# bench/record.sh - kvmprof record vs perf record.
#
#   bench/record.sh [KVMPROF [SECONDS]]
#
# 1. `kvmprof --host record -a -F 10000 -e cpu-clock` for SECONDS (default 10) while
#    both CPUs are busy: prints the samples written and the lost count (target: 0).
# 2. A CPU-bound workload (a C loop) timed alone, under `perf record` and under
#    `kvmprof record` with the same options (-e cpu-clock -F 10000 -g): prints each
#    workload's own run time (best of 3), both slowdowns and kvmprof/perf.
# Needs root, perf and cc; exits 77 without them.
set -eu
KP=${1:-${KVMPROF:-build/kvmprof}}
SECS=${2:-10}
command -v perf >/dev/null || { echo "perf not installed" >&2; exit 77; }
command -v cc >/dev/null || { echo "cc not installed" >&2; exit 77; }
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 77; }
W=$(mktemp -d /tmp/kvmprof-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

cat >"$W/spin.c" <<'EOC'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static volatile unsigned long sink;
__attribute__((noinline)) static void work(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		sink += i * i ^ (i >> 3);
}
int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000000UL;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int k = 0; k < 10; k++)
		work(n / 10);
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* the workload's own run time: profiler start-up is not the slowdown */
	if (argc > 2)
		printf("%.6f\n", (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
EOC
cc -O2 -fno-omit-frame-pointer -o "$W/spin" "$W/spin.c"

echo "== record -a -F 10000 for $SECS s (both CPUs busy)"
"$W/spin" 100000000000 & s1=$!
"$W/spin" 100000000000 & s2=$!
"$KP" --host record -a -F 10000 -e cpu-clock -o "$W/a.data" -- sleep "$SECS" 2>"$W/a.err" || true
kill $s1 $s2 2>/dev/null; wait 2>/dev/null || true
cat "$W/a.err"
samples=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' "$W/a.err")
lost=$(sed -n 's/.*lost \([0-9]*\) events, \([0-9]*\) samples.*/\1+\2/p' "$W/a.err")
echo "samples: ${samples:-?}  expected ~$((SECS * 10000 * $(nproc)))  lost: $(echo "${lost:-0}" | bc)"
echo "perf reads: $(perf report -D -i "$W/a.data" 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE(') samples"

echo "== CPU-bound workload slowdown (-e cpu-clock -F 10000 -g), best of 3, workload's own time"
N=2000000000
best() { sort -n | head -1; }
base=$(for i in 1 2 3; do "$W/spin" $N t; done | best)
perf_t=$(for i in 1 2 3; do
	perf record -q -e cpu-clock -F 10000 -g -o "$W/p.data" -- "$W/spin" $N t 2>/dev/null; done | best)
kp_t=$(for i in 1 2 3; do
	"$KP" --host --no-guest record -q -e cpu-clock -F 10000 -g -o "$W/k.data" -- "$W/spin" $N t \
		2>/dev/null; done | best)
printf 'alone   %.3f s\n' "$base"
printf 'perf    %.3f s  slowdown %.3fx  (%s samples)\n' "$perf_t" "$(echo "$perf_t / $base" | bc -l)" \
	"$(perf report -D -i "$W/p.data" 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE(')"
printf 'kvmprof %.3f s  slowdown %.3fx  (%s samples)\n' "$kp_t" "$(echo "$kp_t / $base" | bc -l)" \
	"$(perf report -D -i "$W/k.data" 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE(')"
printf 'kvmprof/perf: %.3f\n' "$(echo "$kp_t / $perf_t" | bc -l)"
