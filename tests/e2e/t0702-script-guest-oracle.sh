#!/bin/sh
# A guest profile recorded by Linux perf (`perf kvm --guest record -a -e cpu-clock`
# while the demo guest runs): the host samples print exactly as perf script
# prints them, and the guest samples (which perf 6.1 cannot show: it has no
# `perf kvm script` and plain perf script filters them) print in the same
# layout with the guest thread's comm (":TID"), their raw guest RIP and the
# values perf script -D dumps for them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/demo-lib.sh"
need_perf
need_root
need_demo_guest

demo_guest_start --mix hot=40,warm=30,cool=20,cold=10
perf kvm --guest record -q -a -e cpu-clock -o p.data -- sleep 1 >rec.out 2>&1 ||
	{ cat rec.out >&2; fail "perf kvm --guest record failed"; }
demo_guest_stop

# host side: perf script is the oracle
perf script -i p.data >want.host 2>/dev/null || fail "perf script failed"
"$KP" --host --no-guest script -i p.data >got.host 2>err || { cat err >&2; fail "kvmprof host script failed"; }
check_same want.host got.host

# guest side: rebuild the expected lines from perf's raw dump
width=$(perf evlist -i p.data 2>/dev/null | awk '{ if (length($0) > w) w = length($0) } END { print w }')
perf script -D -i p.data 2>/dev/null | awk -v w="$width" '
	/PERF_RECORD_SAMPLE\(IP, 0x[45]\)/ {
		cpu = $1; t = $2
		for (i = 1; i < NF; i++) {
			if ($i ~ /^[0-9]+\/[0-9]+:$/) { split($i, pt, /[\/:]/); ip = $(i + 1) }
			if ($i == "period:") period = $(i + 1)
		}
		sub(/^0x/, "", ip)
		ts = sprintf("%d.%06d", int(t / 1000000000), int((t % 1000000000) / 1000))
		printf "%16s %5d [%03d] %12s: %10d %*s:  %16s [unknown] ([unknown])\n", \
			":" pt[2], pt[2], cpu, ts, period, w, "cpu-clock", ip
	}' | LC_ALL=C sort >want.guest
[ -s want.guest ] || fail "perf recorded no guest samples (is the guest running natively?)"
"$KP" script -i p.data >got.guest.raw 2>err || { cat err >&2; fail "kvmprof guest script failed"; }
LC_ALL=C sort got.guest.raw >got.guest
check_same want.guest got.guest

# both: every sample once, in time order
"$KP" --host script -i p.data >got.both 2>err || { cat err >&2; fail "kvmprof --host script failed"; }
[ "$(wc -l <got.both)" = $(($(wc -l <want.host) + $(wc -l <want.guest))) ] ||
	fail "--host --guest does not show host + guest samples"

# folded: the guest user frames are marked _[u]
"$KP" script -i p.data --folded >folded 2>err || { cat err >&2; fail "kvmprof script --folded failed"; }
grep -q '^:[0-9]*;\[unknown\]_\[u\] [0-9]*$' folded || { head folded >&2; fail "no _[u] guest frames"; }
total=$(awk '{ n += $NF } END { print n }' folded)
[ "$total" = "$(wc -l <want.guest)" ] || fail "folded counts $total samples, want $(wc -l <want.guest)"
exit 0
