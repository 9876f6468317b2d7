#!/bin/sh
# stat live --prometheus: scrape /metrics with curl while the demo guest runs; the
# counters equal the guest's actions, the histogram _count too; a taken port is a clear
# error.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
command -v curl >/dev/null || skip "curl not installed"
N=1031 M=67
PORT=$((20000 + $$ % 20000))
"$KP" stat live --event=ioport,mmio --stdio -d 0.3 --prometheus=127.0.0.1:$PORT -- \
	"$DEMO_GUEST" --pio-out $N --mmio-write $M -t 6 >live.out 2>live.err &
KPID=$!
ok=0
for i in $(seq 1 50); do
	sleep 0.2
	curl -sf "http://127.0.0.1:$PORT/metrics" >m.txt 2>/dev/null || continue
	if grep -q "^kvm_pio_total{.*port=\"0x3f8\",dir=\"out\"} $N\$" m.txt &&
		grep -q "^kvm_mmio_total{.*gpa=\"0x10000000\",dir=\"write\"} $M\$" m.txt; then
		ok=1
		break
	fi
done
[ $ok = 1 ] || { cat live.err m.txt >&2; kill $KPID; fail "metrics never showed $N PIO and $M MMIO writes"; }
# the endpoint speaks the text format 0.0.4
curl -sI "http://127.0.0.1:$PORT/metrics" | grep -qi 'content-type: text/plain; version=0.0.4' ||
	fail "wrong Content-Type"
grep -q '^# TYPE kvm_pio_duration_seconds histogram$' m.txt || fail "no histogram TYPE line"
grep -q "^kvm_pio_duration_seconds_count{.*port=\"0x3f8\",dir=\"out\"} $N\$" m.txt ||
	fail "histogram count is not $N"
grep -q "^kvm_pio_duration_seconds_bucket{.*le=\"+Inf\"} $N\$" m.txt || fail "+Inf bucket is not $N"
grep -q '^kvmprof_lost_events_total 0$' m.txt || fail "lost events"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/nope")" = 404 ] || fail "no 404"
# the port is taken now
expect_fail 1 "already in use" "$KP" stat live --prometheus=127.0.0.1:$PORT -n 1
expect_fail 129 "ADDR:PORT" "$KP" stat live --prometheus=localhost:http -n 1
wait $KPID || { cat live.err >&2; fail "stat live failed"; }
exit 0
