/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-stat-bpf.h - load and read kvm-stat.bpf.c, the in-kernel aggregation
 * behind `kvmprof stat live --bpf`.
 *
 * The program is built at build time (clang -target bpf, bpftool gen
 * skeleton) and relocated at load time against the running kernel's BTF
 * (CO-RE), so the tracepoint layouts are the kernel's own.  Builds without
 * clang/bpftool/libbpf get a stub whose kvm_stat_bpf__open() fails with
 * KP_ERR_UNSUPPORTED.
 *
 * The maps are cumulative since load.  A refresh is:
 *
 *	gen = kvm_stat_bpf__next_gen(b);	// min/max of interval gen are now stable
 *	kvm_stat_bpf__read_rows(b, cb, arg);	// cb gets every row, cumulative
 *	kvm_stat_bpf__poll_slow(b, slow_cb, arg);	// --duration records
 *
 * Ownership: kvm_stat_bpf__close() detaches the programs and frees all.
 */
#ifndef KP_COLLECT_BPF_KVM_STAT_BPF_H
#define KP_COLLECT_BPF_KVM_STAT_BPF_H

#include <linux/types.h>

#include "collect/bpf/kvm-stat-bpf-shared.h"
#include "util/types.h"

struct kvm_stat_bpf;

struct kvm_stat_bpf_opts {
	u32 report_mask; /* 1 << KSB_REPORT_* */
	int vcpu; /* -1 = all */
	u64 duration_ns; /* 0 = no --duration records */
	const u32 *pids; /* NULL/0: every process */
	int nr_pids;
};

typedef int (*kvm_stat_bpf_row_fn)(void *arg, const struct ksb_key *key, const struct ksb_val *val);
typedef void (*kvm_stat_bpf_slow_fn)(void *arg, const struct ksb_slow *slow);

/** kvm_stat_bpf__built - true if this binary carries the BPF program. */
bool kvm_stat_bpf__built(void);

/**
 * kvm_stat_bpf__open - check BTF, load the program with @opts and attach it to
 * the KVM tracepoints.  Returns 0, KP_ERR_UNSUPPORTED (not built, no BTF) or
 * -errno (-EPERM without CAP_BPF/CAP_PERFMON), with a kp_error() detail.
 */
int kvm_stat_bpf__open(struct kvm_stat_bpf **out, const struct kvm_stat_bpf_opts *opts);

/** kvm_stat_bpf__close - detach and free; NULL is fine. */
void kvm_stat_bpf__close(struct kvm_stat_bpf *b);

/** kvm_stat_bpf__next_gen - start a new interval; returns the number of the one that ended. */
u64 kvm_stat_bpf__next_gen(struct kvm_stat_bpf *b);

/** kvm_stat_bpf__read_rows - call @fn for every row; stops at a negative return. */
int kvm_stat_bpf__read_rows(struct kvm_stat_bpf *b, kvm_stat_bpf_row_fn fn, void *arg);

/** kvm_stat_bpf__tp_counts - events seen per tracepoint kind since load (after -p). */
void kvm_stat_bpf__tp_counts(struct kvm_stat_bpf *b, u64 counts[KSB_TP_NR]);

/** kvm_stat_bpf__dropped - rows or --duration records that did not fit (the "lost" count). */
u64 kvm_stat_bpf__dropped(struct kvm_stat_bpf *b);

/** kvm_stat_bpf__poll_slow - hand pending --duration records to @fn. */
int kvm_stat_bpf__poll_slow(struct kvm_stat_bpf *b, kvm_stat_bpf_slow_fn fn, void *arg);

#endif
