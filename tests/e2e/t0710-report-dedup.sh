#!/bin/sh
# Sample de-duplication (analysis/sample-dedup.h): report and script --folded
# resolve each distinct stack once per window between machine events.  On a
# -g profile of a program (and a shell) that forks many short processes
# (FORK, COMM, MMAP and EXIT records all through the samples) and repeats its
# own stacks between them, the output must be byte-identical with KVMPROF_NO_DEDUP=1 (sample by
# sample) in every mode, including the ones whose lookups depend on tree
# shapes (unresolved kernel frames from a 3-line kallsyms, --sort sym), and
# identical to Linux perf 6.1's.
. "$(dirname "$0")/lib.sh"
need_perf
[ -r /proc/kallsyms ] || skip "no /proc/kallsyms"

${CC:-cc} -O1 -fno-omit-frame-pointer -o fk "$SRCDIR/tests/e2e/workloads/fk.c" || skip "no C compiler"
perf record -q -g -e cpu-clock -F 20000 -o f.data -- sh -c './fk 60; for i in $(seq 30); do /bin/true; done' \
	>/dev/null 2>&1 || skip "perf record -g does not work here"
head -3 /proc/kallsyms >k3

# the table must really be in use: many windows, far fewer stacks than samples
"$KP" --host report -i f.data --stdio --no-children -v >/dev/null 2>v.err ||
	{ cat v.err >&2; fail "kvmprof report -v"; }
set -- $(sed -n 's/^report: \([0-9]*\) samples in \([0-9]*\) windows, \([0-9]*\) distinct.*/\1 \2 \3/p' v.err)
[ $# = 3 ] || { cat v.err >&2; fail "no de-duplication statistics at -v"; }
[ "$2" -ge 20 ] || fail "only $2 windows: the profile has too few machine events in between"
[ $(($3 * 2)) -lt "$1" ] || fail "$3 distinct stacks for $1 samples: nothing merged"

n=0
same_both_ways() { # CMD...: output with and without de-duplication
	n=$((n + 1))
	"$KP" "$@" >on.$n 2>on.err || { cat on.err >&2; fail "kvmprof $*"; }
	KVMPROF_NO_DEDUP=1 "$KP" "$@" >off.$n 2>off.err || { cat off.err >&2; fail "kvmprof $*"; }
	[ -s on.$n ] || fail "kvmprof $*: no output"
	if ! cmp -s off.$n on.$n; then
		diff -u off.$n on.$n | head -40 >&2
		fail "kvmprof $* differs with KVMPROF_NO_DEDUP=1"
	fi
}
for k in "" "--kallsyms k3"; do
	for o in "" "--no-children" "-g none" "--no-children -g none" "--sort sym" \
		"--sort comm,sym --no-children" "--sort pid,dso,sym -n" "--sort cpu,sym" \
		"--sort dso" "--showcpuutilization -n --no-children" "-g folded,0,caller" \
		"--max-stack 3"; do
		same_both_ways --host report -i f.data --stdio $k $o
	done
	same_both_ways --host script --folded -i f.data $k
	same_both_ways --host script --folded -G -i f.data $k
done

for o in "" "--no-children" "--sort sym" "--no-children --kallsyms k3"; do
	compare_with_perf "--host report -i f.data $o" "report -i f.data $o"
done
exit 0
