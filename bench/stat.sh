#!/bin/sh
# bench/stat.sh - kvmprof stat report vs Linux perf 6.1's perf kvm stat report on one
# synthetic file of ~5M KVM events (seeded generator, 4 VMs x 4 vCPUs, VMX).
# Prints wall time and peak RSS of both and the ratios (targets: >= 10x faster,
# <= 0.5x the RSS).  Usage: bench/stat.sh [BUILDDIR] [EXITS]
set -eu
BUILD=${1:-build}
[ -f "$BUILD" ] && BUILD=$(dirname "$BUILD") # make bench passes the kvmprof binary
EXITS=${2:-2000000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
KP=$BUILD/kvmprof
GEN=$BUILD/tests/gen/gen-kvm-stat
[ -x "$KP" ] && [ -x "$GEN" ] || { echo "build first: $KP, $GEN" >&2; exit 1; }
command -v perf >/dev/null || { echo "Linux perf is not installed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (package 'time') is needed" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$GEN" -o "$T/big.data" -f "$SRC/tests/fixtures/stat/formats-6.18" --isa vmx --seed 42 \
	--vms 4 --vcpus 4 --exits "$EXITS" 2>/dev/null
n=$(perf script -i "$T/big.data" -F event 2>/dev/null | wc -l)
echo "file: $(du -m "$T/big.data" | cut -f1) MB, $n events"
/usr/bin/time -f "%e %M" -o "$T/perf.t" perf kvm -i "$T/big.data" stat report 2>"$T/perf.out" >/dev/null
/usr/bin/time -f "%e %M" -o "$T/kp.t" "$KP" -i "$T/big.data" stat report >"$T/kp.out" 2>/dev/null
read -r pt pm <"$T/perf.t"
read -r kt km <"$T/kp.t"
grep -q "Total Samples" "$T/kp.out" || { echo "kvmprof printed no table" >&2; exit 1; }
# same numbers as the oracle
if ! grep -v '^unknown kvm exit' "$T/perf.out" | diff -q - "$T/kp.out" >/dev/null; then
	echo "WARNING: tables differ" >&2
fi
echo "perf kvm stat report:    ${pt} s, ${pm} KB peak RSS"
echo "kvmprof stat report:     ${kt} s, ${km} KB peak RSS"
awk -v pt="$pt" -v kt="$kt" -v pm="$pm" -v km="$km" 'BEGIN {
	printf "speed-up: %.1fx (target >= 10x)   RSS ratio: %.2fx (target <= 0.5x)\n",
		(kt > 0 ? pt / kt : 0), (pm > 0 ? km / pm : 0) }'
