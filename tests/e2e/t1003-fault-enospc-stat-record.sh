#!/bin/sh
# kvmprof stat record on a 1 MiB tmpfs that fills up while the demo guest does PIO:
# exit 1, an error naming the file and "No space left on device"; every round that
# reached the disk is still read by stat report (counted independently by
# fault-scan.py) from FILE.partial, and the previous output is untouched.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
SCAN=$SRCDIR/tests/e2e/fault-scan.py
TRACEFS=/sys/kernel/tracing
[ -r $TRACEFS/events/kvm/kvm_pio/id ] || skip "no kvm:kvm_pio tracepoint in tracefs"
pio_id=$(cat $TRACEFS/events/kvm/kvm_pio/id)
mkdir mnt
mount -t tmpfs -o size=1m tmpfs mnt 2>/dev/null || skip "cannot mount a tmpfs"
"$DEMO_GUEST" --pio-out 1000000000 -t 40 >guest.out 2>guest.err &
gp=$!
trap 'kill -TERM $gp 2>/dev/null; wait; umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
# wait until the guest really does PIO (its start can be slow on a loaded machine)
demo_wait_pio $gp guest.err "$pio_id"
echo previous >mnt/s.data
"$KP" -o mnt/s.data stat record -a -- sleep 20 >rec.out 2>rec.err
rc=$?
cat rec.err >&2
[ "$rc" = 1 ] || fail "exited $rc, want 1"
grep -q "mnt/s.data.*No space left on device" rec.err || fail "no ENOSPC message naming the file"
[ "$(cat mnt/s.data)" = previous ] || fail "previous output lost"
f=mnt/s.data.partial
grep -q "'$f' holds the data written before the error" rec.err || fail "no note saying where the data is"
[ -f $f ] || fail "no partial output file left"
scan=$(python3 "$SCAN" $f) || fail "fault-scan.py failed"
echo "partial file: $scan" >&2
want=$(echo "$scan" | tr ' ' '\n' | sed -n "s/^config$pio_id=//p")
[ "${want:-0}" -gt 0 ] || fail "the partial file holds no kvm_pio sample"
"$KP" -i $f stat report --event=ioport --json >rep.json 2>rep.err ||
	{ cat rep.err >&2; fail "stat report rejects the partial file"; }
got=$(python3 -c 'import json; d=json.load(open("rep.json")); print(sum(r["samples"] for r in d["all"]["rows"]))')
[ "$got" = "$want" ] || fail "stat report counts $got PIO accesses, the partial file holds $want"
exit 0
