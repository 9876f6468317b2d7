#!/bin/sh
# report -g on callchains with PERF_CONTEXT_GUEST_KERNEL / GUEST_USER sections
# (the guest-callchain series; fixture written by kvmprof's writer, see
# t0704): guest frames resolve on the guest machine and print with "[g] " /
# "[u] " before the symbol; the trees are checked against golden files.
. "$(dirname "$0")/lib.sh"
FX=$SRCDIR/tests/fixtures/script
G=$SRCDIR/tests/golden/report
D=$FX/guest-chains.data
rep() { "$KP" --host --guestkallsyms="$FX/guest-kallsyms" report --kallsyms "$FX/host-kallsyms" \
	-i "$D" --stdio "$@" 2>err | grep -v '^# (.*)$'; }

for m in graph:"-g graph" children:"" caller:"-g caller --no-children" flat:"-g flat" \
	folded:"-g folded --no-children" fractal:"-g fractal,0.5,count"; do
	name=${m%%:*} args=${m#*:}
	rep $args >"$name.txt" || { cat err >&2; fail "report $args failed"; }
	if [ -n "${KP_UPDATE_GOLDEN:-}" ]; then cp "$name.txt" "$G/guest-chains.$name.txt"; fi
	check_same "$G/guest-chains.$name.txt" "$name.txt"
done

# guest frames are labelled, host frames are not, and a mixed chain shows both
grep -q '\[g\] native_safe_halt' graph.txt || fail "guest kernel frame not labelled"
grep -q '\[u\] 0x400' graph.txt || fail "guest user frame not labelled"
grep -q 'vcpu_enter_guest' graph.txt || fail "host frames missing"
! grep -q '\[g\] vcpu_enter_guest' graph.txt || fail "host frame labelled as guest"
exit 0
