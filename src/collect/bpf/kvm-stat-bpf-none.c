// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-stat-bpf-none.c - kvm-stat-bpf.h for builds without clang, bpftool or
 * libbpf: every open fails, so stat live streams instead.
 */
#include "collect/bpf/kvm-stat-bpf.h"
#include "util/util.h"

bool kvm_stat_bpf__built(void)
{
	return false;
}

int kvm_stat_bpf__open(struct kvm_stat_bpf **out, const struct kvm_stat_bpf_opts *opts)
{
	*out = NULL;
	return kp_error(KP_ERR_UNSUPPORTED, "this kvmprof was built without BPF support "
			"(install clang, bpftool and libbpf-dev and rebuild)");
}

void kvm_stat_bpf__close(struct kvm_stat_bpf *b)
{
}

u64 kvm_stat_bpf__next_gen(struct kvm_stat_bpf *b)
{
	return 0;
}

int kvm_stat_bpf__read_rows(struct kvm_stat_bpf *b, kvm_stat_bpf_row_fn fn, void *arg)
{
	return 0;
}

void kvm_stat_bpf__tp_counts(struct kvm_stat_bpf *b, u64 counts[KSB_TP_NR])
{
	for (int i = 0; i < KSB_TP_NR; i++)
		counts[i] = 0;
}

u64 kvm_stat_bpf__dropped(struct kvm_stat_bpf *b)
{
	return 0;
}

int kvm_stat_bpf__poll_slow(struct kvm_stat_bpf *b, kvm_stat_bpf_slow_fn fn, void *arg)
{
	return 0;
}
