#!/bin/sh
# bench/script.sh - kvmprof script vs perf script on one ~300k-sample -g file.
#
#   bench/script.sh [KVMPROF [SAMPLES]]
#
# Records (as root) a callchain profile of a small C workload with Linux perf,
# then times, on the same file:
#   perf script > /dev/null
#   kvmprof --host script > /dev/null
#   kvmprof --host script --folded > /dev/null
# and prints the ratios (targets: script >= 5x, folded >= 10x faster than
# perf script alone).  Needs perf, cc and root.
set -eu
KP=${1:-${KVMPROF:-build/kvmprof}}
SAMPLES=${2:-300000}
command -v perf >/dev/null || { echo "perf not installed" >&2; exit 77; }
command -v cc >/dev/null || { echo "cc not installed" >&2; exit 77; }
W=$(mktemp -d /tmp/kvmprof-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

cat >"$W/work.c" <<'EOC'
#include <stdlib.h>
#include <stdio.h>
#include <time.h>
static volatile unsigned long sink;
__attribute__((noinline)) void leaf_a(unsigned long n) { for (unsigned long i = 0; i < n; i++) sink += i * i; }
__attribute__((noinline)) void leaf_b(unsigned long n) { for (unsigned long i = 0; i < n; i++) sink ^= i; }
__attribute__((noinline)) int rec(int d, unsigned long n)
{
	int r;

	if (d == 0) {
		if (n & 1) leaf_a(n); else leaf_b(n);
		return 0;
	}
	r = rec(d - 1, n);
	sink += (unsigned long)r;
	return r + 1;
}
int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 10, t0, t;
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	t0 = ts.tv_sec + ts.tv_nsec / 1e9;
	for (long i = 0;; i++) {
		rec((int)(i % 24), 100000 + (unsigned long)(i & 1));
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		t = ts.tv_sec + ts.tv_nsec / 1e9;
		if (t - t0 >= secs)
			break;
	}
	printf("%lu\n", sink);
	return 0;
}
EOC
cc -O1 -fno-omit-frame-pointer -fno-optimize-sibling-calls -o "$W/work" "$W/work.c"

# period 50 us of cpu-clock: 20k samples per CPU-second (the workload stops after
# that much CPU time, however busy the machine is)
secs=$((SAMPLES / 20000 + 1))
perf record -q -g -e cpu-clock -c 50000 -o "$W/g.data" -- "$W/work" "$secs" >/dev/null 2>&1
n=$(perf script -i "$W/g.data" -F period 2>/dev/null | wc -l)
echo "file: $W/g.data, $n samples, $(du -h "$W/g.data" | cut -f1)"

t() { # best of 3 wall seconds
	best=
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s.%N)
		d=$(echo "$e - $s" | bc)
		if [ -z "$best" ] || [ "$(echo "$d < $best" | bc)" = 1 ]; then best=$d; fi
	done
	echo "$best"
}
tp=$(t perf script -i "$W/g.data")
tk=$(t "$KP" --host script -i "$W/g.data")
tf=$(t "$KP" --host script --folded -i "$W/g.data")
printf "perf script               %8.3f s\n" "$tp"
printf "kvmprof script            %8.3f s   %6.1fx faster (target >= 5x)\n" "$tk" "$(echo "$tp / $tk" | bc -l)"
printf "kvmprof script --folded   %8.3f s   %6.1fx faster (target >= 10x)\n" "$tf" "$(echo "$tp / $tf" | bc -l)"
