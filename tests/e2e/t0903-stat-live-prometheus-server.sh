#!/bin/sh
# A real Prometheus server (Debian's prometheus) scrapes stat live on loopback; a counter
# queried through its HTTP API equals the demo guest's PIO writes.  The guest runs until
# the test stops it and both ports are free ones, so a slow machine only makes it slower.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
need_demo_guest
command -v curl >/dev/null || skip "curl not installed"
if ! command -v prometheus >/dev/null; then
	apt-get install -y prometheus >/dev/null 2>&1 || skip "the prometheus package cannot be installed"
fi
command -v prometheus >/dev/null || skip "no prometheus binary"
N=2053
"$KP" stat live --event=ioport --stdio -d 0.2 --prometheus=127.0.0.1:0 -- \
	sh -c 'echo $$ >guest.pid; exec "$0" "$@"' "$DEMO_GUEST" --pio-out $N -t 300 \
	>live.out 2>live.err &
KPID=$!
DEMO_PIDS="$DEMO_PIDS $KPID" # killed (and with it the guest) if the test fails
deadline=$(($(date +%s) + 150))
KPORT=
while [ -z "$KPORT" ] && [ "$(date +%s)" -lt $deadline ] && kill -0 $KPID 2>/dev/null; do
	sleep 0.1
	KPORT=$(sed -n 's/^serving Prometheus metrics on .* (port \([0-9]*\))$/\1/p' live.err)
done
[ -n "$KPORT" ] || { cat live.err >&2; fail "stat live did not say which port it serves"; }
# a port nobody listens on now, for Prometheus
PPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >prom.yml <<EOY
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: kvmprof
    static_configs:
      - targets: ['127.0.0.1:$KPORT']
EOY
prometheus --config.file=prom.yml --storage.tsdb.path="$T/tsdb" \
	--web.listen-address=127.0.0.1:$PPORT >prom.log 2>&1 &
DEMO_PIDS="$DEMO_PIDS $!"
ok=0
while [ "$(date +%s)" -lt $deadline ] && kill -0 $KPID 2>/dev/null; do
	sleep 0.25
	curl -sf "http://127.0.0.1:$PPORT/api/v1/query" \
		--data-urlencode "query=sum(kvm_pio_total{job=\"kvmprof\",port=\"0x3f8\",dir=\"out\"})" \
		>q.json 2>/dev/null || continue
	if python3 -c 'import json,sys; d=json.load(open("q.json")); r=d["data"]["result"]; sys.exit(0 if r and r[0]["value"][1]==sys.argv[1] else 1)' $N; then
		ok=1
		break
	fi
done
[ $ok = 1 ] || { cat q.json prom.log live.err >&2; fail "Prometheus never returned $N for kvm_pio_total"; }
curl -sf "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode 'query=up{job="kvmprof"}' |
	grep -q '"value":\[[0-9.]*,"1"\]' || fail "the kvmprof target is not up"
kill -TERM "$(cat guest.pid)"
wait $KPID || { cat live.err >&2; fail "stat live failed"; }
exit 0
