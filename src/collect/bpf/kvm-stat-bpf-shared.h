/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-stat-bpf-shared.h - the map layouts shared by kvm-stat.bpf.c (kernel
 * side) and kvm-stat-bpf.c (its loader).  Plain fixed-size types only: the
 * file is compiled both by clang -target bpf and by the host compiler.
 */
#ifndef KP_COLLECT_BPF_KVM_STAT_BPF_SHARED_H
#define KP_COLLECT_BPF_KVM_STAT_BPF_SHARED_H

/* tracepoint kinds: the same numbers as enum kvm_tp_kind (analysis/kvm-stat.h) */
#define KSB_TP_ENTRY 1
#define KSB_TP_EXIT 2
#define KSB_TP_MMIO 3
#define KSB_TP_PIO 4
#define KSB_TP_MSR 5
#define KSB_TP_USERSPACE_EXIT 6
#define KSB_TP_NR 8

/* reports: the same numbers as enum kvm_stat_report */
#define KSB_REPORT_VMEXIT 0
#define KSB_REPORT_MMIO 1
#define KSB_REPORT_IOPORT 2
#define KSB_REPORT_MSR 3
#define KSB_NR_REPORTS 4

/* which model produced a row: perf's pairing, or the access fallback */
#define KSB_MODE_PAIRED 0
#define KSB_MODE_ACCESS 1

#define KSB_HIST_BUCKETS 64
#define KSB_MAX_ROWS 16384
#define KSB_MAX_THREADS 16384

/* one row: a (report, model, VM, thread, key, info) */
struct ksb_key {
	__u32 pid;
	__u32 tid;
	__s32 vcpu; /* paired: the vCPU id; access: -1 */
	__u8 report;
	__u8 mode;
	__u16 pad;
	__u64 key;
	__s32 info;
	__u32 pad2;
};

/*
 * Cumulative since load.  The two generation slots hold the minimum and
 * maximum of the interval numbered gen (slot gen & 1): user space advances
 * the generation, then reads the slot of the interval that just ended, which
 * no event writes again until the generation after the next.
 */
struct ksb_val {
	__u64 count; /* Samples (in access mode also untimed accesses) */
	__u64 n; /* timed intervals */
	__u64 time; /* ns */
	__u64 sq_lo, sq_hi; /* sum of squared durations, 128 bits */
	__u64 min, max;
	__u64 slot_gen[2];
	__u64 slot_min[2];
	__u64 slot_max[2];
	__u64 hist[KSB_HIST_BUCKETS]; /* floor(log2(ns)); 0 and 1 in [0] */
};

/* an interval longer than --duration, sent through the ring buffer */
struct ksb_slow {
	__u64 time; /* CLOCK_MONOTONIC ns of the end */
	__u64 diff;
	__u64 key;
	__u32 pid;
	__s32 vcpu;
	__s32 info;
	__u8 report;
	__u8 mode;
	__u16 pad;
};

#endif
