#!/bin/sh
# A low 'ulimit -n': record and stat record fail with exit 1 and a message that
# names the fix ('ulimit -n'); an existing output file is left untouched and no
# temporary file is left behind.
. "$(dirname "$0")/lib.sh"
need_root
echo previous >k.data
for n in 5 6 7 8; do
	(ulimit -n $n; exec "$KP" --host record -a -e cpu-clock -o k.data -- sleep 0.2) >out 2>err
	rc=$?
	[ "$rc" = 1 ] || { cat err >&2; fail "record with ulimit -n $n exited $rc, want 1"; }
	grep -q "Too many open files.*ulimit -n" err || { cat err >&2; fail "record, ulimit -n $n: no 'ulimit -n' in the message"; }
	[ "$(cat k.data)" = previous ] || fail "record, ulimit -n $n: existing k.data was changed"
	[ ! -e k.data.tmp ] || fail "record, ulimit -n $n: k.data.tmp left behind"
done
echo previous >s.data
(ulimit -n 10; exec "$KP" -o s.data stat record -a -- sleep 0.2) >out 2>err
rc=$?
grep -q "not available here" err && [ "$rc" = 1 ] && ! grep -q "ulimit" err &&
	skip "no kvm tracepoints here"
[ "$rc" = 1 ] || { cat err >&2; fail "stat record with ulimit -n 10 exited $rc, want 1"; }
grep -q "ulimit -n" err || { cat err >&2; fail "stat record: no 'ulimit -n' in the message"; }
[ "$(cat s.data)" = previous ] || fail "stat record: existing s.data was changed"
[ ! -e s.data.tmp ] || fail "stat record: s.data.tmp left behind"
exit 0
