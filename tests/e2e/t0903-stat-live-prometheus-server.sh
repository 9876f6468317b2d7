#!/bin/sh
# A real Prometheus server (Debian's prometheus) scrapes stat live on loopback; a counter
# queried through its HTTP API equals the demo guest's PIO writes.
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
KPORT=$((20000 + $$ % 20000))
PPORT=$((KPORT + 1))
"$KP" stat live --event=ioport --stdio -d 0.2 --prometheus=127.0.0.1:$KPORT -- \
	"$DEMO_GUEST" --pio-out $N -t 25 >live.out 2>live.err &
KPID=$!
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
PPID_=$!
trap 'kill $PPID_ $KPID 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
ok=0
for i in $(seq 1 80); do
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
exit 0
