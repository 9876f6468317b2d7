#!/bin/sh
# kvmprof stat record -a -- COMMAND records system-wide while the command runs (as
# perf record -a -- COMMAND): the CPU-wide events are enabled by hand (enable_on_exec
# never fires for them) and the command gets no per-thread events of its own (they
# would count its events twice).  The demo guest's exact PIO count must show, once.
# Likewise -p PID -- COMMAND records PID while the command runs.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
N=123 PORT=0x1f7
"$KP" stat record -a -o all.data -- "$DEMO_GUEST" --pio-out $N --pio-port $PORT \
	--exit-after-actions -t 20 >rec.out 2>rec.err || { cat rec.err >&2; fail "stat record -a -- COMMAND failed"; }
grep -q 'tracepoint kvm:kvm_pio is not available' rec.err && skip "no kvm:kvm_pio tracepoint here"
grep -q 'wrote [1-9][0-9]* samples' rec.err || { cat rec.err >&2; fail "stat record -a -- COMMAND wrote no samples"; }
got=$("$KP" -i all.data stat report --event=ioport 2>/dev/null | awk -v k="$PORT:POUT" '$1 == k { print $2 }')
[ "$got" = $N ] || fail "ioport $PORT:POUT: want $N, got '$got'"
# the command's name comes from the system-wide COMM records
"$KP" -i all.data stat report --event=ioport --per-vm 2>/dev/null | grep -q 'kvmprof-demo-gu' ||
	fail "--per-vm does not name the demo guest"

# -p PID -- sleep: a guest busy with PIO all the time is recorded while sleep runs
"$DEMO_GUEST" --pio-out 100000000 --pio-port $PORT -t 30 >busy.out 2>busy.err &
DEMO_PIDS="$DEMO_PIDS $!"
sleep 0.3
"$KP" stat record -p $! -o pid.data -- sleep 0.5 >rec.out 2>rec.err ||
	{ cat rec.err >&2; fail "stat record -p PID -- COMMAND failed"; }
got=$("$KP" -i pid.data stat report --event=ioport 2>/dev/null | awk -v k="$PORT:POUT" '$1 == k { print $2 }')
[ "${got:-0}" -gt 100 ] || { cat rec.err >&2; fail "-p PID -- sleep: want many $PORT:POUT accesses, got '$got'"; }
exit 0
