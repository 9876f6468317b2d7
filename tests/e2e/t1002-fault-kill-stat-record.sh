#!/bin/sh
# kvmprof stat record killed with SIGKILL at random moments while the demo guest does
# PIO: the FILE.tmp has no data size, no features and no tracepoint formats.  kvmprof
# stat report recovers it (formats from this machine's tracefs, said in a warning) and
# counts exactly the kvm:kvm_pio samples the file holds (fault-scan.py, independent).
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
SCAN=$SRCDIR/tests/e2e/fault-scan.py
TRACEFS=/sys/kernel/tracing
[ -r $TRACEFS/events/kvm/kvm_pio/id ] || TRACEFS=/sys/kernel/debug/tracing
[ -r $TRACEFS/events/kvm/kvm_pio/id ] || skip "no kvm:kvm_pio tracepoint in tracefs"
pio_id=$(cat $TRACEFS/events/kvm/kvm_pio/id)
"$DEMO_GUEST" --pio-out 1000000000 -t 40 >guest.out 2>guest.err &
gp=$!
DEMO_PIDS=$gp
sleep 0.5
# wait until the guest really does PIO (its start can be slow on a loaded machine)
demo_wait_pio $gp guest.err "$pio_id"
for i in 1 2; do
	rm -f s.data s.data.tmp
	"$KP" -o s.data stat record -a >rec.out 2>rec.err &
	pid=$!
	ms=$(( 2000 + $(od -An -N2 -tu2 /dev/urandom) % 3000 ))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -0 "$pid" 2>/dev/null || { cat rec.err >&2; fail "stat record exited before the kill"; }
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	[ -f s.data.tmp ] || fail "run $i: no s.data.tmp after SIGKILL at ${ms} ms"
	scan=$(python3 "$SCAN" s.data.tmp) || fail "fault-scan.py failed"
	echo "run $i: killed at ${ms} ms: $scan" >&2
	rounds=$(echo "$scan" | sed 's/.*rounds=\([0-9]*\).*/\1/')
	want=$(echo "$scan" | tr ' ' '\n' | sed -n "s/^config$pio_id=//p")
	[ "$rounds" -ge 1 ] || fail "run $i: no complete round in ${ms} ms"
	[ "${want:-0}" -gt 0 ] || fail "run $i: the file holds no kvm_pio sample"
	"$KP" -i s.data.tmp stat report --event=ioport --json >rep.json 2>rep.err ||
		{ cat rep.err >&2; fail "run $i: stat report failed on the killed recording"; }
	grep -q "recording was interrupted; recovering $rounds complete rounds" rep.err ||
		{ cat rep.err >&2; fail "run $i: no recovery warning"; }
	grep -q "using this machine's formats" rep.err || { cat rep.err >&2; fail "no formats warning"; }
	got=$(python3 -c 'import json; d=json.load(open("rep.json")); print(sum(r["samples"] for r in d["all"]["rows"]))')
	[ "$got" = "$want" ] || fail "run $i: stat report counts $got PIO accesses, the file holds $want"
done
kill -TERM $gp
exit 0
