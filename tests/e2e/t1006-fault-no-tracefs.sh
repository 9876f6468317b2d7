#!/bin/sh
# tracefs not mounted (a private mount namespace where it is unmounted): stat record
# either mounts it itself (libtracefs does, as root) and records a file stat report
# reads, or exits 1 saying how to mount it.  An existing output file is never lost
# (untouched, or kept as FILE.old).
. "$(dirname "$0")/lib.sh"
need_root
command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
unshare -m true 2>/dev/null || skip "cannot create a mount namespace"
echo previous >s.data
unshare -m sh -c '
	for m in /sys/kernel/debug/tracing /sys/kernel/tracing /sys/kernel/debug; do
		umount "$m" 2>/dev/null
	done
	grep -q tracefs /proc/self/mounts && exit 99
	"$0" -o s.data stat record -a -- sleep 0.5
	rc=$?
	grep -q tracefs /proc/self/mounts && echo "tracefs was mounted by stat record" >&2
	exit $rc' "$KP" >out 2>err
rc=$?
cat err >&2
[ "$rc" = 99 ] && skip "cannot unmount tracefs here"
if [ "$rc" = 0 ]; then
	grep -q "tracefs was mounted by stat record" err || fail "exit 0 without tracefs"
	[ "$(cat s.data.old)" = previous ] || fail "previous s.data not kept as s.data.old"
	"$KP" -i s.data stat report --event=ioport >rep.out 2>rep.err ||
		{ cat rep.err >&2; fail "stat report cannot read the file"; }
	exit 0
fi
[ "$rc" = 1 ] || fail "stat record exited $rc, want 0 or 1"
grep -q "mount -t tracefs" err || fail "the message does not say how to mount tracefs"
[ "$(cat s.data)" = previous ] || fail "existing s.data was changed"
[ ! -e s.data.tmp ] || fail "s.data.tmp left behind"
exit 0
