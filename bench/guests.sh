#!/bin/sh
# Per-sample cost of resolving guest samples: 8 guests under --guestmount vs
# one guest, with the same total number of samples (generated files,
# tests/fixtures/guests/gen-guests.py).  Prints both per-sample times and
# their ratio; fails when 8 guests cost more than 1.2x one guest.
# usage: bench/guests.sh [BUILD_DIR | KVMPROF] [SAMPLES_PER_FILE]
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$SRC/build}
N=${2:-800000}
KP=$B/kvmprof
[ -f "$B" ] && KP=$B # make bench passes the binary, like the other bench scripts
W=$(mktemp -d "${TMPDIR:-/tmp}/kvmprof-bench-guests.XXXXXX")
trap 'rm -rf "$W"' EXIT
GEN=$SRC/tests/fixtures/guests/gen-guests.py
# 100 samples per weight unit and guest: a=40 b=30 s=20 m=5 u=5
python3 "$GEN" "$W/one.data" --guests 5001 --scale $((N / 100)) --host-samples 0 \
	--guestmount "$W/gm"
pids=$(seq -s, 5001 5008)
python3 "$GEN" "$W/eight.data" --guests "$pids" --scale $((N / 800)) --host-samples 0 \
	--guestmount "$W/gm"
run() { # FILE -> best wall time of 5 runs, in seconds
	best=
	for i in 1 2 3 4 5; do
		s=$(date +%s.%N)
		"$KP" --guestmount="$W/gm" -i "$1" report --stdio -s dso,sym >/dev/null 2>&1
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}
t1=$(run "$W/one.data")
t8=$(run "$W/eight.data")
n1=$(( (N / 100) * 100 ))
n8=$(( (N / 800) * 800 ))
awk -v t1="$t1" -v t8="$t8" -v n1="$n1" -v n8="$n8" 'BEGIN {
	p1 = t1 / n1 * 1e9; p8 = t8 / n8 * 1e9; r = p8 / p1
	printf "1 guest:  %d samples %.3f s  %.1f ns/sample\n", n1, t1, p1
	printf "8 guests: %d samples %.3f s  %.1f ns/sample\n", n8, t8, p8
	printf "ratio 8/1: %.2f (limit 1.20)\n", r
	exit !(r <= 1.2) }'
