#!/bin/sh
# The host kallsyms snapshot cache (symbol/kallsyms-cache.h): report prints the
# same bytes cold (no snapshot: /proc/kallsyms parsed, snapshot written), warm
# (snapshot read), with KVMPROF_NO_KALLSYMS_CACHE=1, after the snapshot was
# truncated or corrupted (ignored, rewritten) and with an unwritable cache
# directory; all of them as perf 6.1 prints it.
. "$(dirname "$0")/lib.sh"
need_perf

perf record -q -e cpu-clock -F 4000 -o k.data -- \
	sh -c 'dd if=/dev/zero of=/dev/null bs=64k count=60000; cat /proc/kallsyms >/dev/null' \
	>/dev/null 2>&1 || skip "perf record does not work here"

C=$T/cache
export KVMPROF_CACHE_DIR="$C"
unset KVMPROF_NO_KALLSYMS_CACHE
SNAP=$C/kallsyms-$(id -u).snap
ARGS="--host --no-guest -i k.data report --stdio --no-children -s dso,sym"

run() { # run NAME [VAR=VALUE...]: report into NAME.out, -v log into NAME.err, must exit 0
	n=$1
	shift
	env "$@" $KP -v $ARGS >"$n.out" 2>"$n.err" || { cat "$n.err" >&2; fail "$n: kvmprof report failed"; }
	grep -v '^# (' "$n.out" >"$n.cmp"
}

run cold
[ -f "$SNAP" ] || fail "cold run wrote no snapshot $SNAP"
[ "$(stat -c %a "$SNAP")" = 600 ] || fail "snapshot mode is $(stat -c %a "$SNAP"), want 600"
[ "$(stat -c %a "$C")" = 700 ] || fail "cache dir mode is $(stat -c %a "$C"), want 700"
grep -q '\[k\] [a-z_]' cold.out ||
	skip "no kernel symbol resolved (kernel samples hidden from this user?)"
grep -q 'symbols from the snapshot' cold.err && fail "cold run claims to have used a snapshot"

run warm
grep -q 'symbols from the snapshot' warm.err || { cat warm.err >&2; fail "warm run did not use the snapshot"; }
check_same cold.cmp warm.cmp

run off KVMPROF_NO_KALLSYMS_CACHE=1
grep -q 'snapshot' off.err && fail "KVMPROF_NO_KALLSYMS_CACHE=1 still used the cache"
check_same cold.cmp off.cmp

# the oracle
perf report -i k.data --stdio --no-children -s dso,sym 2>/dev/null | grep -v '^# (' >want
check_same want cold.cmp

# truncated: ignored (never trusted), output unchanged, then rewritten
size=$(stat -c %s "$SNAP")
head -c $((size / 2)) "$SNAP" >"$SNAP.t" && mv "$SNAP.t" "$SNAP" && chmod 600 "$SNAP"
run trunc
grep -q 'ignored' trunc.err || { cat trunc.err >&2; fail "truncated snapshot not reported as ignored"; }
check_same cold.cmp trunc.cmp
[ "$(stat -c %s "$SNAP")" = "$size" ] || fail "truncated snapshot was not rewritten"

# one flipped byte in the symbol array and one in the names
for off in 65600 $((size - 100)); do
	b=$(od -An -tu1 -j "$off" -N1 "$SNAP" | tr -d ' ')
	printf "\\$(printf %o $(( (b + 1) % 256 )))" | dd of="$SNAP" bs=1 seek="$off" conv=notrunc 2>/dev/null
	[ "$(od -An -tu1 -j "$off" -N1 "$SNAP" | tr -d ' ')" != "$b" ] || fail "byte $off not changed"
	run corrupt
	grep -q 'ignored' corrupt.err || { cat corrupt.err >&2; fail "corrupt snapshot (byte $off) not ignored"; }
	check_same cold.cmp corrupt.cmp
	run rewarm
	grep -q 'symbols from the snapshot' rewarm.err || fail "snapshot not rewritten after corruption"
	check_same cold.cmp rewarm.cmp
done

# garbage in place of the snapshot, and a cache directory that cannot be created
head -c 200000 /dev/urandom >"$SNAP"
chmod 600 "$SNAP"
run garbage
check_same cold.cmp garbage.cmp
: >notadir
run unwritable KVMPROF_CACHE_DIR="$T/notadir/sub"
check_same cold.cmp unwritable.cmp
exit 0
