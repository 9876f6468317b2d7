#!/bin/sh
# No permission to profile: kernel.perf_event_paranoid = 3 and root without its
# capabilities (setpriv drops CAP_PERFMON / CAP_SYS_ADMIN): record and stat record
# exit 1 naming the fix (perf_event_paranoid, CAP_PERFMON); an existing output file
# is left untouched.
. "$(dirname "$0")/lib.sh"
need_root
command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
P=/proc/sys/kernel/perf_event_paranoid
old=$(cat $P)
echo 3 >$P 2>/dev/null || skip "cannot set perf_event_paranoid"
trap 'echo $old >$P; rm -rf "$T"' EXIT
nocap() { setpriv --inh-caps=-all --bounding-set=-all -- "$@"; }
echo previous >k.data
nocap "$KP" --host record -a -e cpu-clock -o k.data -- sleep 0.2 >out 2>err
rc=$?
[ "$rc" = 1 ] || { cat err >&2; fail "record exited $rc, want 1"; }
grep -q "perf_event_paranoid" err && grep -q "CAP_PERFMON" err ||
	{ cat err >&2; fail "record: the message does not name perf_event_paranoid and CAP_PERFMON"; }
[ "$(cat k.data)" = previous ] || fail "record: existing k.data was changed"
[ ! -e k.data.tmp ] || fail "record: k.data.tmp left behind"
echo previous >s.data
nocap "$KP" -o s.data stat record -a -- sleep 0.2 >out 2>err
rc=$?
[ "$rc" = 1 ] || { cat err >&2; fail "stat record exited $rc, want 1"; }
grep -q "perf_event_paranoid" err ||
	{ cat err >&2; fail "stat record: the message does not name perf_event_paranoid"; }
[ "$(cat s.data)" = previous ] || fail "stat record: existing s.data was changed"
exit 0
