#!/bin/sh
# Two real demo guests at once under --guestmount DIR with opposite mixes
# (A: hot=80,cold=20; B: hot=20,cold=80), recorded system-wide:
#  - report -s pid,dso,sym shows each guest's functions on its own vCPU
#    thread with its own shares, and equals perf kvm --guestmount report;
#  - report --sort pid equals perf kvm's;
#  - report --guest-summary has one line per VMM whose samples and guest
#    user share equal what perf's raw dump (-D) counts for that pid;
#  - buildid-list lists the guest image once per guest machine, as perf.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_perf
need_root
need_demo_guest

demo_guestmount_home
unset DEBUGINFOD_URLS
demo_guest_start --guestmount "$T/gm" --mix hot=80,cold=20
PA=$DEMO_PID
demo_guest_start --guestmount "$T/gm" --mix hot=20,cold=80
PB=$DEMO_PID
"$KP" --guest --guestmount="$T/gm" record -e cpu-clock -o two.data -a -- sleep 2 \
	>rec.out 2>rec.err || { cat rec.err >&2; fail "kvmprof record -a exited $?"; }
kill -TERM "$PA" "$PB"
wait

perf report -D -i two.data 2>/dev/null >dump || fail "perf report -D"
# the vCPU thread of each VMM (the tid of its guest samples)
vcpu() { sed -n "s/.*PERF_RECORD_SAMPLE(IP, 0x5): $1\/\([0-9]*\):.*/\1/p" dump | sort -u; }
TA=$(vcpu "$PA") TB=$(vcpu "$PB")
[ -n "$TA" ] && [ -n "$TB" ] || fail "no guest samples of one of the guests ($PA: '$TA', $PB: '$TB')"
[ "$(echo "$TA" | wc -l)" = 1 ] && [ "$(echo "$TB" | wc -l)" = 1 ] || fail "one vCPU thread each"

strip() { grep -v '^# (' | grep -v '^$'; }
"$KP" --guestmount="$T/gm" -i two.data report --stdio -s pid,dso,sym >k.txt 2>k.err ||
	{ cat k.err >&2; fail "kvmprof report"; }
cat k.txt >&2
share() { # TID FUNC
	awk -v t="$1" -v f="$2" '$2 == t ":" ":" t && $NF == f { sub(/%/, "", $1); print $1 }' k.txt
}
for x in "$TA:demo_hot" "$TA:demo_cold" "$TB:demo_hot" "$TB:demo_cold"; do
	[ -n "$(share "${x%:*}" "${x#*:}")" ] || fail "no row for ${x#*:} of thread ${x%:*}"
done
awk -v h="$(share "$TA" demo_hot)" -v c="$(share "$TA" demo_cold)" 'BEGIN { exit !(h > 2 * c) }' ||
	fail "guest A (hot=80) does not show demo_hot well above demo_cold"
awk -v h="$(share "$TB" demo_hot)" -v c="$(share "$TB" demo_cold)" 'BEGIN { exit !(c > 2 * h) }' ||
	fail "guest B (cold=80) does not show demo_cold well above demo_hot"
perf kvm --guestmount="$T/gm" -i two.data report --stdio --sort pid,dso,sym 2>/dev/null |
	strip >want
strip <k.txt >got
check_same want got
for m in "" "--host"; do
	# shellcheck disable=SC2086
	perf kvm $m --guestmount="$T/gm" -i two.data report --stdio --sort pid 2>/dev/null |
		strip >want
	# shellcheck disable=SC2086
	"$KP" $m --guestmount="$T/gm" -i two.data report --stdio --sort pid 2>err | strip >got ||
		{ cat err >&2; fail "report --sort pid"; }
	check_same want got
done

# --guest-summary vs perf's raw samples: per VMM pid, guest samples and shares
"$KP" --guestmount="$T/gm" -i two.data report --stdio --guest-summary >s.txt 2>err ||
	{ cat err >&2; fail "report --guest-summary"; }
sed -n '/^# Guest summary/,$p' s.txt >&2
awk '/PERF_RECORD_SAMPLE\(IP, 0x[0-9a-f]*\):/ {
	split($0, a, "period: "); p = a[2] + 0; total += p; n++
	if (match($0, /\(IP, 0x[45]\): [0-9-]*\//)) {
		m = substr($0, RSTART, RLENGTH); mode = substr(m, 8, 1)
		pid = substr(m, 12); sub(/\//, "", pid)
		cnt[pid]++; if (mode == 4) ks[pid] += p; else us[pid] += p
	}
}
END {
	printf "# Guest summary of event '\''cpu-clock'\'' (shares of all %d samples):\n", n
	for (pid in cnt)
		printf "%d %d %.2f%% %.2f%%\n", pid, cnt[pid], 100 * ks[pid] / total, 100 * us[pid] / total
}' dump >want.raw
grep '^# Guest summary' want.raw >want
grep '^# Guest summary' s.txt >got
check_same want got
grep -v '^#' want.raw | sort -n >want
awk '/^# Guest summary/ { on = 1; next } on && $2 ~ /^[0-9]+$/ { print $2, $4, $5, $6 }' s.txt |
	sort -n >got
check_same want got
grep -q "^ *$PA " want && grep -q "^ *$PB " want || fail "the summary misses a guest"
grep -q "^#  *$PA  kvmprof-demo-gu " s.txt || fail "VMM command of $PA"

# the guest image once per guest machine, as perf lists it
"$KP" --guestmount="$T/gm" -i two.data buildid-list >bids 2>err || { cat err >&2; fail "buildid-list"; }
[ "$(grep -c ' /demo-guest.elf$' bids)" = 2 ] || { cat bids >&2; fail "not one entry per guest"; }
perf kvm --guestmount="$T/gm" -i two.data buildid-list >want 2>/dev/null
check_same want bids
exit 0
