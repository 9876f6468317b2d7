#!/bin/sh
# tracefs mounted but closed to the user (as Debian mounts it: root-only): stat record,
# record -e kvm:... and stat live run as nobody say "permission denied on <path>" and how
# to fix it, not "mount tracefs", and exit 1 without leaving a file.  Nothing here changes
# the system's tracefs.
. "$(dirname "$0")/lib.sh"
need_root
TDIR=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -d "$d/events" ] && { TDIR=$d; break; }
done
[ -n "$TDIR" ] || skip "tracefs is not mounted"
id nobody >/dev/null 2>&1 || skip "no user nobody"
if command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
	as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
elif su -s /bin/sh nobody -c true 2>/dev/null; then
	as_nobody() { su -s /bin/sh nobody -c '"$0" "$@"' "$@"; }
else
	skip "cannot run a command as nobody"
fi
# the binary must be reachable by nobody (a build directory under /root may not be)
as_nobody "$KP" --version >/dev/null 2>&1 || skip "nobody cannot run $KP"
chmod 777 "$T"
as_nobody cat "$TDIR/events/kvm/kvm_pio/id" >/dev/null 2>&1 &&
	skip "tracefs is readable by nobody here"

PAT="permission denied on '$TDIR[^']*'.*run as root.*gid=GROUP.*perf_event_paranoid=-1"
as_nobody "$KP" -o "$T/s.data" stat record -a -- sleep 0.1 >out 2>err
rc=$?
cat err >&2
[ "$rc" = 1 ] || fail "stat record as nobody exited $rc, want 1"
grep -q "^error: tracepoint 'kvm:[a-z_]*': $PAT" err || fail "no permission message"
grep -q "mount -t tracefs\|mounted" err && fail "still tells to mount tracefs"
[ "$(grep -c . err)" = 1 ] || fail "want the one error line"
[ ! -e s.data ] && [ ! -e s.data.tmp ] || fail "a file was left behind"

as_nobody "$KP" -o "$T/r.data" record -e kvm:kvm_pio -- true >out 2>err
rc=$?
[ "$rc" = 1 ] || { cat err >&2; fail "record -e kvm:kvm_pio as nobody exited $rc, want 1"; }
grep -q "^error: tracepoint 'kvm:kvm_pio': $PAT" err || { cat err >&2; fail "record: no permission message"; }

as_nobody timeout 60 "$KP" stat live --stdio -d 0.2 -- true >out 2>err
rc=$?
[ "$rc" = 1 ] || { cat err >&2; fail "stat live as nobody exited $rc, want 1"; }
grep -q "^error: tracepoint 'kvm:[a-z_]*': $PAT" err || { cat err >&2; fail "stat live: no permission message"; }
grep -q "mounted" err && { cat err >&2; fail "stat live still tells to mount tracefs"; }

# root still records (the message is not a blanket refusal)
"$KP" -o "$T/root.data" stat record -a -- sleep 0.1 >out 2>err ||
	{ cat err >&2; fail "stat record as root"; }
exit 0
