#!/bin/sh
# run.sh BUILD SECONDS - run every libFuzzer target of BUILD (configured with
# -Dfuzzing=true) for SECONDS each, FUZZ_JOBS (default 2) at a time;
# FUZZ_TARGETS="a b" runs only those.
#
# Corpus: BUILD/corpus/<target>, seeded from fuzz/corpus/<target> and the
# regression inputs tests/fuzz-regressions/<target>.  A crash, leak, hang or
# sanitizer report is copied to tests/fuzz-regressions/<target>/ (so that
# `make check` replays it from then on) and makes the run fail.
# Prints one line per target: runs, executions per second, corpus size.
#
# FUZZ_SEED=N FUZZ_RUNS=M make a run deterministic (libFuzzer's -seed and -runs;
# SECONDS stays as a cap): `make check` uses that, so its brief fuzzing gives the
# same result on every run of the same tree instead of failing at random.
set -u
build=$1
secs=$2
jobs=${FUZZ_JOBS:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
targets=${FUZZ_TARGETS:-$(sed -n "s/^\t'\([a-z-]*\)',$/\1/p" "$src/fuzz/meson.build")}
mkdir -p "$build/fuzz-logs"

extra=""
[ -n "${FUZZ_SEED:-}" ] && extra="-seed=$FUZZ_SEED"
[ -n "${FUZZ_RUNS:-}" ] && extra="$extra -runs=$FUZZ_RUNS"
export build secs src extra
for t in $targets; do echo "$t"; done |
	xargs -P "$jobs" -I{} sh -c '
		t={}; corpus=$build/corpus/$t; art=$build/crashes/$t
		rm -rf "$art"; mkdir -p "$corpus" "$art"
		cp -n "$src/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null
		cp -n "$src/tests/fuzz-regressions/$t/"* "$corpus/" 2>/dev/null
		ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$src/fuzz/lsan.supp \
			"$build/fuzz/fuzz-$t" -max_total_time="$secs" -timeout=10 \
			-rss_limit_mb=2048 -max_len=262144 -print_final_stats=1 $extra \
			-artifact_prefix="$art/" "$corpus" >"$build/fuzz-logs/$t.log" 2>&1
		echo $? >"$build/fuzz-logs/$t.rc"'

rc=0
printf '%-16s %10s %10s %8s %s\n' target runs exec/s corpus result
for t in $targets; do
	log=$build/fuzz-logs/$t.log
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	nc=$(ls "$build/corpus/$t" | wc -l)
	res=ok
	if [ "$(cat "$build/fuzz-logs/$t.rc")" != 0 ]; then
		res="FAILED (see $log)"
		rc=1
		for a in "$build/crashes/$t"/*; do
			[ -f "$a" ] || continue
			mkdir -p "$src/tests/fuzz-regressions/$t"
			cp "$a" "$src/tests/fuzz-regressions/$t/"
			res="$res; saved tests/fuzz-regressions/$t/$(basename "$a")"
		done
	fi
	printf '%-16s %10s %10s %8s %s\n' "$t" "${runs:-?}" "${eps:-?}" "$nc" "$res"
done
exit $rc
