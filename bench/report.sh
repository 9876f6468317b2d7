#!/bin/sh
# bench/report.sh - kvmprof report vs Linux perf report on one ~300k-sample
# cpu-clock profile with callchains.  Prints wall time and peak RSS of both and
# the ratios (targets: >= 5x faster, <= 0.5x peak RSS).
#
#   bench/report.sh [KVMPROF] [SAMPLES]
#
# The profile is kept in ${BENCH_DIR:-/tmp/kvmprof-bench} and reused when it
# already holds enough samples.
set -eu
KP=${1:-build/kvmprof}
WANT=${2:-300000}
DIR=${BENCH_DIR:-/tmp/kvmprof-bench}
F=$DIR/report-bench.data
TIME=/usr/bin/time

command -v perf >/dev/null || { echo "bench/report.sh: Linux perf is not installed" >&2; exit 1; }
[ -x "$TIME" ] || { echo "bench/report.sh: $TIME is missing (apt-get install time)" >&2; exit 1; }
[ -x "$KP" ] || { echo "bench/report.sh: no kvmprof binary at $KP" >&2; exit 1; }
mkdir -p "$DIR"

nr_samples() {
	perf report -i "$1" --stdio --no-children --sort comm 2>/dev/null |
		awk '/^# Samples:/ { n = $3; sub(/K$/, "", n); if ($3 ~ /K$/) n *= 1000; print n; exit }'
}

if [ ! -s "$F" ] || [ "$(nr_samples "$F")" -lt "$WANT" ]; then
	cat >"$DIR/work.c" <<'EOC'
#include <stdlib.h>
#include <time.h>
static volatile unsigned long x;
#define F(n) __attribute__((noinline)) void f##n(long k) { for (long i = 0; i < k; i++) x += i * n; }
F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7)
static void (*const fs[])(long) = { f0, f1, f2, f3, f4, f5, f6, f7 };
__attribute__((noinline)) void dispatch(int d, long k) { if (d) dispatch(d - 1, k); else fs[k & 7](k); }
int main(int argc, char **argv)
{
	time_t end = time(NULL) + (argc > 1 ? atol(argv[1]) : 10);

	for (long r = 0; time(NULL) < end; r++)
		dispatch(r % 5, 2000 + (r & 7));
	return 0;
}
EOC
	${CC:-cc} -O1 -o "$DIR/work" "$DIR/work.c"
	ncpu=$(nproc)
	# 2 workers per CPU at 20 kHz until about WANT samples
	secs=$(( WANT / (ncpu * 7000) + 2 ))  # cpu-clock reaches ~7 kHz per CPU here
	echo "recording ~$WANT samples ($secs s on $ncpu CPUs)..." >&2
	perf record -q -g -e cpu-clock -F 20000 -o "$F" -- sh -c "
		i=0; while [ \$i -lt $((ncpu * 2)) ]; do '$DIR/work' $secs & i=\$((i+1)); done; wait" \
		>/dev/null 2>&1
fi
n=$(nr_samples "$F")
echo "profile: $F, $n samples, $(du -h "$F" | cut -f1)"

# warm the page cache and the symbol files once
perf report --stdio --no-children -i "$F" >/dev/null 2>&1
"$KP" --host report --stdio --no-children -i "$F" >/dev/null 2>&1 || true

# best of 3 runs: wall seconds, CPU seconds (user+sys), peak RSS in KB
run() {
	best=""
	for i in 1 2 3; do
		"$TIME" -f "%e %U %S %M" -o "$DIR/time.out" "$@" >/dev/null 2>"$DIR/err.out" ||
			{ cat "$DIR/err.out" >&2; echo "bench/report.sh: '$*' failed" >&2; exit 1; }
		cur=$(tail -1 "$DIR/time.out")
		best=$(printf '%s\n%s\n' "$best" "$cur" | awk 'NF == 4 { print $1, $2 + $3, $4 }' |
			sort -n | head -1)
	done
	echo "$best"
}
set -- $(run perf report --stdio --no-children -i "$F")
p_time=$1 p_cpu=$2 p_rss=$3
set -- $(run "$KP" --host report --stdio --no-children -i "$F")
k_time=$1 k_cpu=$2 k_rss=$3

awk -v pt="$p_time" -v pc="$p_cpu" -v pr="$p_rss" -v kt="$k_time" -v kc="$k_cpu" -v kr="$k_rss" 'BEGIN {
	if (kt < 0.005) kt = 0.005
	if (kc < 0.005) kc = 0.005
	printf "perf report:    %6.2f s wall  %6.2f s CPU  %8d KB peak RSS\n", pt, pc, pr
	printf "kvmprof report: %6.2f s wall  %6.2f s CPU  %8d KB peak RSS\n", kt, kc, kr
	printf "speed: %.1fx faster wall, %.1fx CPU (target >= 5x)   peak RSS: %.2fx of perf (target <= 0.5x)\n",
		pt / kt, pc / kc, kr / pr
}'
