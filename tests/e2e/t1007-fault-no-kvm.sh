#!/bin/sh
# /dev/kvm absent (a private mount namespace with a fresh /dev): the demo guest, run
# directly or under kvmprof stat record, exits non-zero with a message naming the fix
# (load the KVM module); stat record keeps an existing output file.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/demo-lib.sh"
need_root
[ -x "$DEMO_GUEST" ] || skip "demo guest not built: $DEMO_GUEST"
unshare -m true 2>/dev/null || skip "cannot create a mount namespace"
nokvm() {
	unshare -m sh -c 'mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 &&
		mknod -m 666 /dev/zero c 1 5 && mknod -m 666 /dev/urandom c 1 9 &&
		[ ! -e /dev/kvm ] || exit 99; exec "$@"' nokvm "$@"
}
nokvm "$DEMO_GUEST" -t 1 >out 2>err
rc=$?
[ "$rc" = 99 ] && skip "cannot hide /dev/kvm"
[ "$rc" != 0 ] || fail "the demo guest ran without /dev/kvm"
grep -q "cannot open /dev/kvm: No such file" err || { cat err >&2; fail "no message naming /dev/kvm"; }
grep -q "modprobe kvm" err || { cat err >&2; fail "the message does not name the fix"; }
echo previous >s.data
nokvm "$KP" -o s.data stat record -- "$DEMO_GUEST" -t 1 >out 2>err
rc=$?
[ "$rc" != 0 ] || { cat err >&2; fail "stat record of a guest without /dev/kvm exited 0"; }
grep -q "cannot open /dev/kvm" err || { cat err >&2; fail "stat record hides the guest's message"; }
[ "$(cat s.data)" = previous ] || [ -f s.data.old ] || fail "existing s.data was lost"
exit 0
