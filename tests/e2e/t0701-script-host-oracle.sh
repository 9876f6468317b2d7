#!/bin/sh
# `kvmprof script` prints what perf 6.1 `perf script` prints, line for line, on
# host profiles Linux perf recorded here: with callchains (-g), system-wide
# without callchains (cpu column, single-line form), and with -F; --folded
# equals stackcollapse-perf's rules applied to perf script's output.
. "$(dirname "$0")/lib.sh"
need_perf
need_root

perf record -q -g -e cpu-clock -o g.data -- sh -c 'i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done; ls -lR /usr/share/doc >/dev/null 2>&1' \
	>rec.out 2>&1 || { cat rec.out >&2; fail "perf record -g failed"; }
perf script -i g.data >want.g 2>/dev/null || fail "perf script failed"
[ -s want.g ] || fail "perf recorded no samples"
"$KP" --host --no-guest script -i g.data >got.g 2>err || { cat err >&2; fail "kvmprof script -g failed"; }
check_same want.g got.g
# a file without guest samples looks the same with guest display on
"$KP" --host script -i g.data >got.g2 2>err || { cat err >&2; fail "kvmprof --host script failed"; }
check_same want.g got.g2
# guest-only display (the perf kvm default) hides every host sample
"$KP" script -i g.data >got.none 2>err || { cat err >&2; fail "kvmprof script (guest only) failed"; }
[ ! -s got.none ] || { head got.none >&2; fail "guest-only script showed host samples"; }

# -F with pid/tid
F=comm,pid,tid,time,event,ip,sym,symoff,dso,period
perf script -i g.data -F $F >want.F 2>/dev/null || fail "perf script -F failed"
"$KP" --host --no-guest script -i g.data -F $F >got.F 2>err || { cat err >&2; fail "kvmprof script -F failed"; }
check_same want.F got.F

# folded
awk -f "$SRCDIR/tests/e2e/script/stackcollapse.awk" want.g | LC_ALL=C sort >want.folded
"$KP" --host --no-guest script -i g.data --folded >got.folded 2>err ||
	{ cat err >&2; fail "kvmprof script --folded failed"; }
check_same want.folded got.folded

# system-wide, no callchain: cpu column, one line per sample
perf record -q -a -e cpu-clock -o a.data -- sh -c 'i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done' \
	>rec.out 2>&1 || { cat rec.out >&2; fail "perf record -a failed"; }
perf script -i a.data >want.a 2>/dev/null || fail "perf script failed"
"$KP" --host --no-guest script -i a.data >got.a 2>err || { cat err >&2; fail "kvmprof script -a failed"; }
check_same want.a got.a
grep -q '^ *sh  *[0-9]* \[00[0-9]\] ' got.a || { head -3 got.a >&2; fail "no cpu column in -a output"; }

# -F naming data the file lacks is an error, as in perf
expect_fail 1 "no CPU" "$KP" --host script -i g.data -F comm,cpu
expect_fail 129 "unknown field" "$KP" --host script -i g.data -F comm,bogus
exit 0
