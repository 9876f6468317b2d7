#!/bin/sh
# report --pprof: the gzip profile.proto that kvmprof writes is read by
# `go tool pprof` (Debian golang-go), and its totals (samples and period)
# equal the report's; guest frames keep their labels.
. "$(dirname "$0")/lib.sh"
command -v go >/dev/null 2>&1 || skip "go (Debian golang-go) is not installed"
export HOME="$T" GOCACHE="$T/gocache" GOFLAGS=-mod=mod GOTOOLCHAIN=local
go tool pprof -h >/dev/null 2>&1 || skip "go tool pprof does not run here"
FX=$SRCDIR/tests/fixtures/script
D=$FX/guest-chains.data

# totals of a pprof file: "SAMPLES PERIOD" from go tool pprof -raw
totals() {
	go tool pprof -raw "$1" 2>pp.err >raw || { cat pp.err >&2; fail "go tool pprof cannot read $1"; }
	awk '/^Samples:/ { s = 1; next } /^Locations/ { s = 0 }
	     s && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+:$/ { n += $1; sub(":", "", $2); p += $2 }
	     END { print n + 0, p + 0 }' raw
}
# totals of the report: samples (-n column) and the event count line
report_totals() {
	"$KP" "$@" --stdio -g none --no-children -n -s pid >rep.txt 2>rep.err ||
		{ cat rep.err >&2; fail "report $* failed"; }
	n=$(awk '/^ / { n += $2 } END { print n + 0 }' rep.txt)
	p=$(sed -n 's/^# Event count (approx.): //p' rep.txt)
	echo "$n $p"
}

# the guest-callchain fixture: guest and host samples, mixed chains
"$KP" --host --guestkallsyms="$FX/guest-kallsyms" report --kallsyms "$FX/host-kallsyms" -i "$D" \
	--stdio --pprof fx.pb.gz >/dev/null 2>err || { cat err >&2; fail "report --pprof failed"; }
[ "$(head -c 2 fx.pb.gz | od -An -tx1 | tr -d ' ')" = "1f8b" ] || fail "pprof file is not gzip"
got=$(totals fx.pb.gz)
want=$(report_totals --host --guestkallsyms="$FX/guest-kallsyms" report --kallsyms "$FX/host-kallsyms" -i "$D")
[ "$got" = "$want" ] || fail "pprof totals '$got' differ from the report's '$want'"
go tool pprof -top -sample_index=1 fx.pb.gz >top.txt 2>&1 || { cat top.txt >&2; fail "pprof -top failed"; }
grep -q '\[g\] native_safe_halt' top.txt || { cat top.txt >&2; fail "guest frame missing in pprof -top"; }
grep -q 'vcpu_enter_guest' top.txt || fail "host frame missing in pprof -top"
go tool pprof -raw fx.pb.gz | grep -q 'mode:\[guest_kernel\]' || fail "mode label missing"

# a real host profile from perf record -g, when perf works here
if command -v perf >/dev/null 2>&1 && perf record -q -g -e cpu-clock -F 2000 -o host.data -- \
	sh -c 'for i in 1 2 3 4 5 6 7 8; do ls -R /usr/lib >/dev/null 2>&1; done' >/dev/null 2>&1; then
	"$KP" --host report -i host.data --stdio --pprof host.pb.gz >/dev/null 2>err ||
		{ cat err >&2; fail "report --pprof on a host profile failed"; }
	got=$(totals host.pb.gz)
	want=$(report_totals --host report -i host.data)
	[ "$got" = "$want" ] || fail "host pprof totals '$got' differ from the report's '$want'"
fi

# bad output path: a clear error, non-zero exit
expect_fail 1 "nodir" "$KP" --host report -i "$D" --stdio --pprof "$T/nodir/x.pb.gz"
exit 0
