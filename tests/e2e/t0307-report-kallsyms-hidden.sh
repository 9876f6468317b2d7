#!/bin/sh
# kvmprof report vs Linux perf 6.1 for a user to whom the kernel hides kernel
# addresses (/proc/kallsyms reads all zeros: kptr_restrict, perf_event_paranoid
# > 1 without CAP_SYSLOG).  perf then does not load kallsyms and prints raw
# kernel addresses; kvmprof must do the same, with a warning that says why,
# and never name samples after the one symbol an all-zero table leaves.
. "$(dirname "$0")/lib.sh"
need_perf
need_root
command -v setpriv >/dev/null || skip "setpriv (util-linux) is missing"
asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
asnobody true 2>/dev/null || skip "cannot run as nobody here"
first=$(asnobody head -1 /proc/kallsyms | cut -d' ' -f1)
case "$first" in
0000000000000000) ;;
*) skip "kernel addresses are visible to nobody here (kptr_restrict 0, paranoid <= 1)" ;;
esac

perf record -q -g -e cpu-clock -F 4000 -o k.data -- \
	sh -c 'dd if=/dev/zero of=/dev/null bs=512 count=400000 2>/dev/null' >/dev/null 2>&1 ||
	skip "perf record -g does not work here"
D=$(mktemp -d /tmp/kvmprof-t0307.XXXXXX)
trap 'rm -rf "$T" "$D"' EXIT
chmod 755 "$D"
cp k.data "$D/k.data"
chmod 644 "$D/k.data"

n=0
for args in "" "--sort dso,sym" "--sort dso,sym -g caller" "--no-children" "-g none -n"; do
	asnobody perf report -i "$D/k.data" --stdio $args 2>/dev/null | strip_tip >want ||
		fail "perf report $args as nobody"
	asnobody env KVMPROF_CACHE_DIR="$D/cache" "$KP" --host report -i "$D/k.data" --stdio \
		$args 2>kp.err | strip_tip >got
	[ -s got ] || { cat kp.err >&2; fail "kvmprof report $args as nobody: no output"; }
	check_same want got
	grep -q "every address is 0" kp.err || { cat kp.err >&2; fail "no warning about hidden addresses"; }
	n=$((n + 1))
done
# the case is there: kernel samples shown by raw address
grep -Eq '\[kernel\.kallsyms\] +\[k\] 0xffff' got || fail "no raw kernel address rows"
exit 0
