#!/bin/sh
# A cpu-clock profile of the running demo guest has the configured shape: Linux perf
# (`perf kvm --guest record -e cpu-clock -p PID`) gets GUEST_USER samples with the real
# guest RIPs, and each demo function's share is within 10 points of its weight.  With the
# guest's user segment mapped by a GUEST_USER MMAP2 (add-guest-mmap.py), perf names them.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_perf
need_root
need_demo_guest
command -v nm >/dev/null 2>&1 || skip "nm (binutils) is not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

demo_guest_start --mix hot=40,warm=30,cool=20,cold=10
perf kvm --guest record -q -e cpu-clock -p "$DEMO_PID" -o p.data -- sleep 2 >rec.out 2>&1 ||
	{ cat rec.out >&2; fail "perf kvm --guest record failed"; }
demo_guest_stop

# function ranges of the guest image: "start end name"
nm -S --defined-only "$DEMO_ELF" | while read -r addr size type name; do
	case $name in demo_hot|demo_warm|demo_cool|demo_cold)
		echo "$((0x$addr)) $((0x$addr + 0x$size)) $name" ;;
	esac
done >ranges
[ "$(wc -l <ranges)" = 4 ] || { cat ranges >&2; fail "demo functions missing in $DEMO_ELF"; }

# PERF_RECORD_SAMPLE(IP, 0x5): PID/TID: IP ...   (misc 5 = GUEST_USER)
perf script -D -i p.data 2>/dev/null | awk '
	function hex(s,  i, v) {
		s = tolower(s)
		sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	FNR == NR { lo[$3] = $1; hi[$3] = $2; next }
	/PERF_RECORD_SAMPLE\(IP, / {
		total++
		if ($0 !~ /PERF_RECORD_SAMPLE\(IP, 0x5\)/) next
		guest++
		for (i = 1; i < NF; i++)
			if ($i ~ /^[0-9]+\/[0-9]+:$/)
				ip = hex($(i + 1))
		for (f in lo) if (ip >= lo[f] && ip < hi[f]) n[f]++
	}
	END {
		printf "total %d guest %d\n", total, guest
		for (f in lo) printf "%s %.2f\n", f, guest ? 100 * n[f] / guest : 0
	}' ranges - >shares
cat shares >&2
set -- $(head -1 shares)
[ "$2" -ge 500 ] || fail "only $2 samples in 2 s"
[ $(($4 * 100)) -ge $(($2 * 80)) ] || fail "only $4 of $2 samples are GUEST_USER"
for fw in demo_hot:40 demo_warm:30 demo_cool:20 demo_cold:10; do
	f=${fw%:*} w=${fw#*:}
	awk -v f=$f -v w=$w '$1 == f { d = $2 - w; exit !(d <= 10 && d >= -10) }' shares ||
		fail "$f's share is not within 10 points of $w"
done

# names: perf resolves GUEST_USER samples only through a GUEST_USER mmap of the guest
perf kvm --guest -i p.data report --stdio --sort sym >plain 2>&1
grep -q 'demo_hot' plain && fail "perf named guest samples without a guest mmap (test is stale)"
"$DEMO_ADD_MMAP" p.data named.data --elf "$DEMO_ELF" --pid "$DEMO_PID" --comm demo-guest ||
	fail "add-guest-mmap.py failed"
perf kvm --guest -i named.data report --stdio --sort comm,sym >named 2>&1
for f in demo_hot demo_warm demo_cool demo_cold; do
	grep -q "demo-guest .*\[u\] $f\$" named || { cat named >&2; fail "perf does not name $f"; }
done
exit 0
