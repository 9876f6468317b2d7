#!/bin/sh
# Callchains with PERF_CONTEXT_GUEST_KERNEL / GUEST_USER sections (the
# guest-callchain series): a fixture written by kvmprof's writer
# (tests/fixtures/script/gen-guest-chains.c) printed as text, as folded stacks
# and as a flame graph, against golden files.  Guest frames resolve on the
# guest machine with --guestkallsyms; a plain PERF_CONTEXT_GUEST drops the chain.
. "$(dirname "$0")/lib.sh"
FX=$SRCDIR/tests/fixtures/script
G=$SRCDIR/tests/golden/script
D=$FX/guest-chains.data
both() { "$KP" --host --guestkallsyms="$FX/guest-kallsyms" "$@"; }

both script --kallsyms "$FX/host-kallsyms" -i "$D" >both.txt 2>err || { cat err >&2; fail "script failed"; }
check_same "$G/guest-chains.both.txt" both.txt
"$KP" --guestkallsyms="$FX/guest-kallsyms" script -i "$D" >guest.txt 2>err ||
	{ cat err >&2; fail "guest-only script failed"; }
check_same "$G/guest-chains.guest.txt" guest.txt
both script --kallsyms "$FX/host-kallsyms" -i "$D" --folded >folded 2>err ||
	{ cat err >&2; fail "script --folded failed"; }
check_same "$G/guest-chains.folded" folded
both script --kallsyms "$FX/host-kallsyms" -i "$D" -F comm,pid,tid,time,event,ip,sym,dso -G \
	>F.txt 2>err || { cat err >&2; fail "script -F -G failed"; }
check_same "$G/guest-chains.F.txt" F.txt

# the folded counts add up to the samples shown
[ "$(awk '{ n += $NF } END { print n }' folded)" = "$(grep -c 'cpu-clock:' both.txt)" ] ||
	fail "folded counts do not add up to the samples"

# flame graph: well-formed, one frame per tree node, guest colours present
both flamegraph --kallsyms "$FX/host-kallsyms" -i "$D" -o fg.svg 2>err || { cat err >&2; fail "flamegraph failed"; }
head -c 200 fg.svg | grep -q '<svg' || fail "flamegraph output is not SVG"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout fg.svg || fail "flamegraph SVG is not well-formed XML"
fi
grep -q '<title>native_safe_halt_\[g\] (3 samples' fg.svg || fail "guest frame missing from the SVG"
grep -q 'rgb(230,0,230)' fg.svg || fail "search highlight code missing"
! grep -q 'src=\|href=' fg.svg || fail "SVG refers to external resources"

# Linux perf reads the file kvmprof wrote
if command -v perf >/dev/null 2>&1 && perf version >/dev/null 2>&1; then
	perf script -i "$D" --kallsyms "$FX/host-kallsyms" >perf.txt 2>perf.err ||
		{ cat perf.err >&2; fail "perf cannot read the fixture"; }
	grep -q 'vcpu_enter_guest+0x10 (\[kernel.kallsyms\])' perf.txt || fail "perf output lacks host frames"
fi

# bad input: a truncated file is an error with the file named, never a crash
head -c 1000 "$D" >trunc.data
"$KP" --host script -i trunc.data >out 2>err && fail "truncated file accepted"
grep -q 'trunc.data' err || { cat err >&2; fail "error does not name the file"; }
expect_fail 129 "unknown option" "$KP" script --bogus
expect_fail 129 "max-stack" "$KP" script --max-stack 0
exit 0
