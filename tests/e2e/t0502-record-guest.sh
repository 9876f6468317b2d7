#!/bin/sh
# kvmprof record of the running demo guest (--guest, -p VMM, --guest-user-elf):
# >= 80% of the samples are GUEST_USER, each demo function's share is within 10
# points of its weight, Linux perf reads the file with the same sample count as
# kvmprof says it wrote, and perf names the guest functions with the same shares.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/demo-lib.sh"
need_perf
need_root
need_demo_guest

demo_guest_start --mix hot=40,warm=30,cool=20,cold=10
"$KP" --guestkallsyms="$DEMO_KALLSYMS" record -e cpu-clock -p "$DEMO_PID" \
	--guest-user-elf "$DEMO_ELF" >rec.out 2>rec.err &
rp=$!
sleep 2
kill -INT $rp
wait $rp || { cat rec.err >&2; fail "kvmprof record exited $?"; }
demo_guest_stop
[ -f perf.data.guest ] || fail "default output perf.data.guest not written"
n=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' rec.err)
[ -n "$n" ] || { cat rec.err >&2; fail "no summary line"; }
grep -q 'Woken up [0-9]* times' rec.err || fail "no wakeup line"

pn=$(perf report -D -i perf.data.guest 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE(')
[ "$pn" = "$n" ] || fail "perf sees $pn samples, kvmprof wrote $n"
g=$(perf report -D -i perf.data.guest 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE(IP, 0x5)')
[ "$n" -ge 500 ] || fail "only $n samples in 2 s"
[ $((g * 100)) -ge $((n * 80)) ] || fail "only $g of $n samples are GUEST_USER"

perf kvm --guest -i perf.data.guest report --stdio --sort sym 2>/dev/null |
	awk '$3 ~ /^demo_/ { sub(/%/, "", $1); print $3, $1 }' >shares
cat shares >&2
for fw in demo_hot:40 demo_warm:30 demo_cool:20 demo_cold:10; do
	f=${fw%:*} w=${fw#*:}
	awk -v f=$f -v w=$w '$1 == f { found = 1; d = $2 - w; ok = d <= 10 && d >= -10 }
		END { exit !(found && ok) }' shares ||
		fail "$f's share is not within 10 points of $w (perf names guest samples?)"
done
# the guest image's build-id is in the file
perf buildid-list -i perf.data.guest 2>/dev/null | grep -q "$DEMO_ELF" ||
	fail "no build-id for the guest image"
# kvmprof reads it with the same shares (when report is built)
if "$KP" report --help >/dev/null 2>&1; then
	"$KP" report --stdio --sort sym >kshares.txt 2>kerr.txt || { cat kerr.txt >&2; fail "kvmprof report failed"; }
	awk '$3 ~ /^demo_/ { sub(/%/, "", $1); print $3, $1 }' kshares.txt >kshares
	check_same shares kshares
fi
exit 0
