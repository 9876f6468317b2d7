#!/bin/sh
# kvmprof --guest --guestmount=DIR record -p VMM -- sleep 2 on the running demo
# guest (started with --guestmount DIR): the file has the guest's kernel MMAP
# "[guest.kernel.kallsyms.PID]_text" (pid = PID, misc GUEST_KERNEL) and the
# GUEST_USER MMAP2 from DIR/PID/guest-user.maps, a build-id for the guest
# image with machine pid PID, the image in the build-id cache; kvmprof report
# and perf kvm report (which finds the image through that cache) name the demo
# functions with the same shares, each near the mix weight.
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_perf
need_root
need_demo_guest

# both kvmprof and perf use $HOME/.debug as the build-id cache here
demo_guestmount_home
demo_record_guest hot=50,warm=30,cool=15,cold=5 g.data
n=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' rec.err)
[ -n "$n" ] && [ "$n" -ge 500 ] || { cat rec.err >&2; fail "too few samples: '$n'"; }

perf report -D -i g.data 2>/dev/null >dump
grep -q "PERF_RECORD_MMAP $DEMO_PID/0: .*\[guest.kernel.kallsyms.$DEMO_PID\]_text" dump ||
	{ grep MMAP dump >&2; fail "no guest kernel MMAP for machine $DEMO_PID"; }
grep -q "PERF_RECORD_MMAP2 $DEMO_PID/$DEMO_PID: .*r-xp /demo-guest.elf" dump ||
	{ grep MMAP dump >&2; fail "no GUEST_USER MMAP2 of /demo-guest.elf"; }
# the VMM's COMMs twice: its host threads, then the guest machine's (GUEST_USER)
[ "$(grep -c "PERF_RECORD_COMM: [^:]*:$DEMO_PID/$DEMO_PID\$" dump)" -ge 2 ] ||
	{ grep COMM dump >&2; fail "no guest COMM of the VMM"; }
bid=$(readelf -n "$T/gm/$DEMO_PID/demo-guest.elf" | sed -n 's/.*Build ID: *//p')
[ -n "$bid" ] || fail "the demo image has no build-id"
"$KP" -i g.data buildid-list >bids 2>&1 || { cat bids >&2; fail "buildid-list"; }
grep -q "^$bid /demo-guest.elf$" bids || { cat bids >&2; fail "no build-id for the guest image"; }
[ -f "$HOME/.debug/.build-id/$(echo "$bid" | cut -c1-2)/$(echo "$bid" | cut -c3-)/elf" ] ||
	fail "the guest image is not in the build-id cache"

shares() { awk '$NF ~ /^demo_(hot|warm|cool|cold)$/ { sub(/%/, "", $1); print $NF, $1 }' "$1"; }
"$KP" --guest --guestmount="$T/gm" -i g.data report --stdio >k.txt 2>k.err ||
	{ cat k.err >&2; fail "kvmprof report failed"; }
perf kvm --guest --guestmount="$T/gm" -i g.data report --stdio >p.txt 2>p.err ||
	{ cat p.err >&2; fail "perf kvm report failed"; }
shares k.txt >kshares
shares p.txt >pshares
cat kshares >&2
[ "$(wc -l <kshares)" = 4 ] || { cat k.txt >&2; fail "kvmprof does not name the 4 functions"; }
check_same pshares kshares
for fw in demo_hot:50 demo_warm:30 demo_cool:15 demo_cold:5; do
	f=${fw%:*} w=${fw#*:}
	awk -v f=$f -v w=$w '$1 == f { d = $2 - w; ok = d <= 10 && d >= -10 } END { exit !ok }' \
		kshares || fail "$f's share is not within 10 points of $w"
done

# -N: no copy into the cache
rm -rf "$HOME/.debug"
demo_guest_start --guestmount "$T/gm"
"$KP" --guest --guestmount="$T/gm" record -N -q -e cpu-clock -o n.data -p "$DEMO_PID" -- \
	sleep 0.5 2>rec2.err || { cat rec2.err >&2; fail "record -N exited $?"; }
demo_guest_stop
[ ! -e "$HOME/.debug" ] || fail "-N still wrote the build-id cache"
exit 0
