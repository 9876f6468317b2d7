#!/bin/sh
# stat live --prometheus: scrape /metrics with curl while the demo guest runs; the
# counters equal the guest's actions, the histogram _count too; a taken port is a clear
# error.  The guest is the command of stat live, so only its events are counted, and it
# runs until the test stops it (no race against a run time); the port is the one the
# kernel chose (--prometheus=127.0.0.1:0), so no other test or program can hold it.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
command -v curl >/dev/null || skip "curl not installed"
N=1031 M=67
# sh execs the guest: guest.pid is the guest's pid
"$KP" stat live --event=ioport,mmio --stdio -d 0.3 --prometheus=127.0.0.1:0 -- \
	sh -c 'echo $$ >guest.pid; exec "$0" "$@"' "$DEMO_GUEST" --pio-out $N --mmio-write $M \
	-t 300 >live.out 2>live.err &
KPID=$!
DEMO_PIDS="$DEMO_PIDS $KPID" # killed (and with it the guest) if the test fails
deadline=$(($(date +%s) + 120))
PORT=
while [ -z "$PORT" ] && [ "$(date +%s)" -lt $deadline ] && kill -0 $KPID 2>/dev/null; do
	sleep 0.1
	PORT=$(sed -n 's/^serving Prometheus metrics on .* (port \([0-9]*\))$/\1/p' live.err)
done
[ -n "$PORT" ] || { cat live.err >&2; fail "stat live did not say which port it serves"; }
ok=0
while [ "$(date +%s)" -lt $deadline ] && kill -0 $KPID 2>/dev/null; do
	if curl -sf "http://127.0.0.1:$PORT/metrics" >m.txt 2>/dev/null &&
		grep -q "^kvm_pio_total{.*port=\"0x3f8\",dir=\"out\"} $N\$" m.txt &&
		grep -q "^kvm_mmio_total{.*gpa=\"0x10000000\",dir=\"write\"} $M\$" m.txt; then
		ok=1
		break
	fi
	sleep 0.2
done
[ $ok = 1 ] || { cat live.err m.txt >&2; fail "metrics never showed $N PIO and $M MMIO writes"; }
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
# the guest stops (SIGTERM: it exits 0), so does stat live, with the same totals
kill -TERM "$(cat guest.pid)"
wait $KPID || { cat live.err >&2; fail "stat live failed"; }
sed -n '/^Totals since start/,$p' live.out | awk -v n=$N '$1 == "0x3f8:POUT" && $2 == n { f = 1 }
	END { exit !f }' || { cat live.out >&2; fail "the totals do not show $N PIO writes"; }
exit 0
