#!/bin/sh
# BPF_PROG_INFO / BPF_BTF header lines as perf 6.1 prints them: on a committed
# fixture (perf not needed), then on files perf records here while this test
# has its own BPF programs loaded (one function with BTF; three functions with
# BTF; three without), so the features always have content.
. "$(dirname "$0")/lib.sh"
FIX="$SRCDIR/tests/fixtures/data"

"$KP" report --header-only -i "$FIX/bpf-progs.data" >out 2>err || { cat err >&2; fail "exit $?"; }
grep -v '^# captured on' out >got
check_same "$FIX/bpf-progs.header" got
grep -q '^# 	sub_prog 2: bpf_prog_715e0f2e5866e0b2_helper_one ' got || fail "no BTF sub_prog name"

need_perf
need_root
command -v clang >/dev/null 2>&1 || skip "clang (BPF target) is not installed"
command -v bpftool >/dev/null 2>&1 || skip "bpftool is not installed"
[ -d /sys/fs/bpf ] || skip "no bpffs at /sys/fs/bpf"
PIN=/sys/fs/bpf/kvmprof-t0103-$$
trap 'rm -f "$PIN"-*; rm -rf "$T"' EXIT

cat >one.bpf.c <<'EOC'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cnt SEC(".maps");
SEC("tracepoint/sched/sched_switch")
int kvmprof_t0103(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&cnt, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
char LICENSE[] SEC("license") = "GPL";
EOC
cat >subs.bpf.c <<'EOC'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
static __attribute__((noinline)) int t0103_one(int x) { return x * 3 + 1; }
static __attribute__((noinline)) int t0103_two(int x) { return t0103_one(x) ^ 5; }
SEC("tracepoint/sched/sched_switch")
int kvmprof_t0103s(void *ctx)
{
	return t0103_two((int)bpf_get_smp_processor_id()) == 12345;
}
char LICENSE[] SEC("license") = "GPL";
EOC
INC="-I/usr/include/$(cc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"
clang -O2 -g -target bpf $INC -c one.bpf.c -o one.o 2>cc.err &&
	clang -O2 -g -target bpf $INC -c subs.bpf.c -o subs.o 2>>cc.err &&
	clang -O2 -target bpf $INC -c subs.bpf.c -o subs-nobtf.o 2>>cc.err ||
	{ cat cc.err >&2; skip "clang cannot build BPF objects (libbpf-dev missing?)"; }
for o in one subs subs-nobtf; do
	bpftool prog load $o.o "$PIN-$o" >load.err 2>&1 ||
		{ cat load.err >&2; skip "bpftool cannot load a BPF program here"; }
done

perf record -q -e cpu-clock -o bpf.data -- sleep 0.1 >/dev/null 2>&1 || skip "perf record fails"
perf report --header-only -i bpf.data >want 2>/dev/null
"$KP" report --header-only -i bpf.data >got 2>err || { cat err >&2; fail "exit $?"; }
check_same want got
# the test's own programs are there, with BTF names and "F" without BTF
grep -q '_kvmprof_t0103 addr ' want || fail "perf lists no kvmprof_t0103 program"
grep -q '	sub_prog 2: bpf_prog_[0-9a-f]*_t0103_one addr' want || fail "no BTF sub_prog names"
grep -q '	sub_prog 1: bpf_prog_[0-9a-f]*_F addr' want || fail "no sub_prog without BTF"
grep -q '^# btf info of id ' want || fail "perf lists no BTF"

# with a report after the header block too
perf report --header -i bpf.data --stdio 2>/dev/null | grep -v '^# (' >want
"$KP" --host --no-guest report --header -i bpf.data --stdio 2>err | grep -v '^# (' >got
check_same want got
exit 0
