#!/bin/sh
# bench/stat-live.sh - overhead of watching KVM exits live.
#
#   bench/stat-live.sh [KVMPROF [PIO_WRITES]]
#
# The demo guest does PIO_WRITES (default 40000) port writes as fast as it can, alone and
# while `perf kvm stat live`, `kvmprof stat live --no-bpf` (streaming) and
# `kvmprof stat live --bpf` (in-kernel aggregation) watch the whole system. Prints the
# guest's PIO exits per second in each case and observed / unobserved (1.00 = no cost).
# perf 6.1's tables stay empty on hosts without kvm_exit/kvm_entry, but it still streams
# every kvm_pio event, which is the cost measured here. Needs root; exits 77 without it.
set -eu
KP=${1:-${KVMPROF:-build/kvmprof}}
K=${2:-40000}
BUILD=$(dirname "$KP")
G=${KVMPROF_DEMO_GUEST:-$BUILD/tools/kvmprof-demo-guest}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 77; }
[ -x "$G" ] || { echo "demo guest not built: $G" >&2; exit 77; }
W=$(mktemp -d /tmp/kvmprof-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

rate() { # -> PIO writes per second of one guest run (best of 3)
	best=0
	for i in 1 2 3; do
		s=$("$G" --pio-out "$K" --exit-after-actions -t 120 | sed -n 's/^demo-guest: \([0-9.]*\) s,.*/\1/p')
		r=$(awk -v k="$K" -v s="$s" 'BEGIN { printf "%.0f", k / s }')
		[ "$r" -gt "$best" ] && best=$r
	done
	echo "$best"
}
observed() { # NAME CMD... -> rate while CMD runs in the background
	name=$1
	shift
	"$@" >"$W/$name.out" 2>&1 &
	pid=$!
	sleep 2
	r=$(rate)
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	echo "$r"
}
base=$(rate)
echo "unobserved:                  $base PIO exits/s"
if command -v perf >/dev/null 2>&1; then
	p=$(observed perf perf kvm stat live --event=ioport -d 1)
	echo "perf kvm stat live:          $p PIO exits/s  ratio $(awk -v a="$p" -v b="$base" 'BEGIN { printf "%.3f", a / b }')"
else
	echo "perf kvm stat live:          (perf not installed)"
fi
s=$(observed stream "$KP" stat live --event=ioport --stdio -d 1 --no-bpf)
echo "kvmprof stat live --no-bpf:  $s PIO exits/s  ratio $(awk -v a="$s" -v b="$base" 'BEGIN { printf "%.3f", a / b }')"
b=$(observed bpf "$KP" stat live --event=ioport --stdio -d 1 --bpf)
grep -q 'BPF' "$W/bpf.out" || echo "note: --bpf did not load (see $W/bpf.out)"
echo "kvmprof stat live --bpf:     $b PIO exits/s  ratio $(awk -v a="$b" -v b="$base" 'BEGIN { printf "%.3f", a / b }')"
