#!/bin/sh
# A 1 MiB tmpfs that fills up mid-record: exit 1, an error naming the file and the
# cause, and a partial file that Linux perf (and kvmprof) still read; the previous
# output is kept as FILE.old.
. "$(dirname "$0")/lib.sh"
need_perf
need_root
mkdir mnt
mount -t tmpfs -o size=1m tmpfs mnt 2>/dev/null || skip "cannot mount a tmpfs"
trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
echo previous >mnt/full.data
"$KP" --host record -a -F 10000 -e cpu-clock -o mnt/full.data -- sleep 20 >out 2>err
rc=$?
cat err >&2
[ "$rc" = 1 ] || fail "exited $rc, want 1"
grep -q "mnt/full.data.*No space left on device" err || fail "no ENOSPC message naming the file"
grep -q "mnt/full.data holds the" err || fail "message does not say where the data is"
[ "$(cat mnt/full.data.old)" = previous ] || fail "previous output not kept as .old"
pn=$(perf report -D -i mnt/full.data 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE(')
[ "$pn" -gt 100 ] || fail "perf reads only $pn samples from the partial file"
perf report -i mnt/full.data --stdio >/dev/null 2>&1 || fail "perf report rejects the partial file"
if "$KP" report --help >/dev/null 2>&1; then
	"$KP" --host -i mnt/full.data report --stdio >/dev/null 2>kerr ||
		{ cat kerr >&2; fail "kvmprof report rejects the partial file"; }
fi
exit 0
