// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-stat.bpf.c - perf kvm stat's pairing model, in the kernel.
 *
 * Tracepoint programs on kvm:kvm_entry, kvm_exit, kvm_mmio, kvm_pio, kvm_msr
 * and kvm_userspace_exit apply exactly the rules of analysis/kvm-stat.c (see
 * kvm-stat.h) per host thread, for every report in report_mask, and add each
 * completed interval to a hash map row keyed by (report, model, VM, thread,
 * vCPU, key, info): count, summed time, min, max, sum of squares and a log2
 * histogram.  User space reads the rows every refresh; nothing is streamed,
 * except intervals longer than duration_ns (the --duration report) through a
 * BPF ring buffer.
 *
 * The tracepoint layouts come from the running kernel's BTF (CO-RE): only the
 * fields named below are used, wherever the kernel puts them.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "kvm-stat-bpf-shared.h"

#define INVALID_KEY (~0ULL)
#define KVM_MMIO_UNSATISFIED_READ 0
#define KVM_MMIO_READ 1
#define KVM_MMIO_WRITE 2
#define KVM_EXIT_IO 2
#define KVM_EXIT_MMIO 6
#define KVM_EXIT_X86_RDMSR 29
#define KVM_EXIT_X86_WRMSR 30

/* the fields we read; CO-RE relocates them against the kernel's BTF */
struct trace_event_raw_kvm_entry {
	unsigned int vcpu_id;
} __attribute__((preserve_access_index));
struct trace_event_raw_kvm_exit {
	unsigned int exit_reason;
} __attribute__((preserve_access_index));
struct trace_event_raw_kvm_mmio {
	__u32 type;
	__u64 gpa;
} __attribute__((preserve_access_index));
struct trace_event_raw_kvm_pio {
	unsigned int rw;
	unsigned int port;
} __attribute__((preserve_access_index));
struct trace_event_raw_kvm_msr {
	unsigned int write;
	__u32 ecx;
} __attribute__((preserve_access_index));
struct trace_event_raw_kvm_userspace_exit {
	__u32 reason;
} __attribute__((preserve_access_index));

/* configuration, set by the loader before loading */
const volatile __u32 report_mask = 1;
const volatile __s32 vcpu_filter = -1;
const volatile __u64 duration_ns = 0;
const volatile __u8 filter_pids = 0;

/* written by user space: the interval number (see struct ksb_val) */
__u64 gen = 0;
/* statistics of the program itself */
__u64 nr_entry = 0;
__u64 nr_dropped = 0; /* rows that did not fit in the map */
__u64 nr_slow_dropped = 0; /* --duration records the ring buffer had no room for */

struct rstate {
	__u64 start; /* 0: no open begin */
	__u64 last_key;
	__s32 last_info;
	__u8 last_valid;
	__u8 fb_pending;
	__u16 pad;
	__u64 fb_start;
	__u64 fb_key;
	__s32 fb_info;
	__u32 fb_exit_reason;
};

struct thr {
	__u32 pid;
	__s32 vcpu_id;
	__u8 is_vcpu;
	__u8 pad[7];
	struct rstate r[KSB_NR_REPORTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KSB_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct thr);
} threads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, KSB_MAX_ROWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ksb_key);
	__type(value, struct ksb_val);
} rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KSB_TP_NR);
	__type(key, __u32);
	__type(value, __u64);
} tp_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} slow SEC(".maps");

static const struct thr zero_thr;
static const struct ksb_val zero_val;

static __always_inline __u32 log2_bucket(__u64 v)
{
	__u32 r = 0;

	if (v < 2)
		return 0;
	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1)
		r += 1;
	return r;
}

static __always_inline void add128(struct ksb_val *v, __u64 lo, __u64 hi)
{
	__u64 nlo = v->sq_lo + lo;

	v->sq_hi += hi + (nlo < v->sq_lo);
	v->sq_lo = nlo;
}

/* add one interval (or, untimed, one access) to its row */
static __always_inline void account(__u32 report, __u32 mode, __u32 pid, __u32 tid, __s32 vcpu,
				    __u64 key, __s32 info, __u64 diff, int counts, int timed,
				    __u64 now)
{
	struct ksb_key k = {};
	struct ksb_val *v;
	__u64 g, s;

	k.pid = pid;
	k.tid = tid;
	k.vcpu = vcpu;
	k.report = report;
	k.mode = mode;
	k.key = key;
	k.info = info;
	v = bpf_map_lookup_elem(&rows, &k);
	if (!v) {
		bpf_map_update_elem(&rows, &k, &zero_val, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&rows, &k);
		if (!v) {
			__sync_fetch_and_add(&nr_dropped, 1);
			return;
		}
		v->min = ~0ULL;
		v->slot_gen[0] = ~0ULL;
		v->slot_gen[1] = ~0ULL;
	}
	/* a row belongs to one thread, and a thread runs on one CPU at a time */
	if (counts)
		v->count++;
	if (!timed)
		return;
	v->n++;
	v->time += diff;
	if (diff < v->min)
		v->min = diff;
	if (diff > v->max)
		v->max = diff;
	{
		__u64 h = diff >> 32, l = diff & 0xffffffffULL, m = h * l;

		add128(v, l * l, 0);
		add128(v, m << 33, m >> 31);
		add128(v, 0, h * h);
	}
	v->hist[log2_bucket(diff) & (KSB_HIST_BUCKETS - 1)]++;
	g = gen;
	s = g & 1;
	if (v->slot_gen[s] != g) {
		v->slot_gen[s] = g;
		v->slot_min[s] = ~0ULL;
		v->slot_max[s] = 0;
	}
	if (diff < v->slot_min[s])
		v->slot_min[s] = diff;
	if (diff > v->slot_max[s])
		v->slot_max[s] = diff;
	if (duration_ns && diff > duration_ns) {
		struct ksb_slow *e = bpf_ringbuf_reserve(&slow, sizeof(*e), 0);

		if (!e) {
			__sync_fetch_and_add(&nr_slow_dropped, 1);
			return;
		}
		e->time = now;
		e->diff = diff;
		e->key = key;
		e->pid = pid;
		e->vcpu = vcpu;
		e->info = info;
		e->report = report;
		e->mode = mode;
		e->pad = 0;
		bpf_ringbuf_submit(e, 0);
	}
}

/* the access fallback of kvm-stat.c (hosts without kvm_exit/kvm_entry) */
static __always_inline void access_model(__u32 report, struct thr *t, struct rstate *rs, __u32 tid,
					 int kind, __u64 a, __u64 b, __u64 now)
{
	int counts = 0, starts = 0;
	__u64 key = 0;
	__s32 info = 0;

	if (rs->fb_pending) {
		rs->fb_pending = 0;
		if (kind == KSB_TP_USERSPACE_EXIT && now >= rs->fb_start && a == rs->fb_exit_reason)
			account(report, KSB_MODE_ACCESS, t->pid, tid, -1, rs->fb_key, rs->fb_info,
				now - rs->fb_start, 0, 1, now);
	}
	switch (kind) {
	case KSB_TP_PIO:
		if (report != KSB_REPORT_IOPORT)
			return;
		key = b;
		info = (__s32)a;
		counts = starts = 1;
		break;
	case KSB_TP_MSR:
		if (report != KSB_REPORT_MSR)
			return;
		key = b;
		info = (__s32)a;
		counts = starts = 1;
		break;
	case KSB_TP_MMIO:
		if (report != KSB_REPORT_MMIO)
			return;
		key = b;
		if (a == KVM_MMIO_WRITE) {
			info = KVM_MMIO_WRITE;
			counts = starts = 1;
		} else if (a == KVM_MMIO_READ) {
			info = KVM_MMIO_READ;
			counts = 1;
		} else if (a == KVM_MMIO_UNSATISFIED_READ) {
			info = KVM_MMIO_READ;
			starts = 1;
		}
		break;
	default:
		return;
	}
	if (counts)
		account(report, KSB_MODE_ACCESS, t->pid, tid, -1, key, info, 0, 1, 0, now);
	if (starts) {
		rs->fb_exit_reason = report == KSB_REPORT_IOPORT ? KVM_EXIT_IO :
				     report == KSB_REPORT_MMIO	 ? KVM_EXIT_MMIO :
				     info			 ? KVM_EXIT_X86_WRMSR :
								   KVM_EXIT_X86_RDMSR;
		rs->fb_pending = 1;
		rs->fb_key = key;
		rs->fb_info = info;
		rs->fb_start = now;
	}
}

/* perf's begin/end predicates for one report */
static __always_inline void paired_model(__u32 report, struct thr *t, struct rstate *rs, __u32 tid,
					 int kind, __u64 a, __u64 b, __u64 now)
{
	__u64 key = INVALID_KEY, begin;
	__s32 info = 0;
	int is_begin = 0, is_end = 0;

	switch (report) {
	case KSB_REPORT_VMEXIT:
		if (kind == KSB_TP_EXIT) {
			is_begin = 1;
			key = a;
		}
		break;
	case KSB_REPORT_MMIO:
		if (kind == KSB_TP_EXIT) {
			is_begin = 1;
		} else if (kind == KSB_TP_MMIO && a == KVM_MMIO_WRITE) {
			is_begin = 1;
			key = b;
			info = (__s32)a;
		}
		break;
	case KSB_REPORT_IOPORT:
		if (kind == KSB_TP_PIO) {
			is_begin = 1;
			key = b;
			info = (__s32)a;
		}
		break;
	case KSB_REPORT_MSR:
		if (kind == KSB_TP_MSR) {
			is_begin = 1;
			key = b;
			info = (__s32)a;
		}
		break;
	}
	if (is_begin) {
		rs->last_valid = key != INVALID_KEY;
		rs->last_key = key;
		rs->last_info = info;
		rs->start = now;
		return;
	}
	if (kind == KSB_TP_ENTRY) {
		is_end = 1;
	} else if (report == KSB_REPORT_MMIO && kind == KSB_TP_MMIO && a == KVM_MMIO_READ) {
		is_end = 1;
		key = b;
		info = (__s32)a;
	}
	if (!is_end)
		return;
	begin = rs->start;
	if (!begin)
		return;
	if (!rs->last_valid && key == INVALID_KEY)
		return;
	if (rs->last_valid) {
		key = rs->last_key;
		info = rs->last_info;
	}
	rs->last_valid = 0;
	rs->start = 0;
	if (now < begin)
		return;
	account(report, KSB_MODE_PAIRED, t->pid, tid, t->vcpu_id, key, info, now - begin, 1, 1,
		now);
}

static __always_inline void per_report(__u32 report, struct thr *t, __u32 tid, int kind, __u64 a,
				       __u64 b, __u64 now, int fallback)
{
	struct rstate *rs = &t->r[report];

	if (!(report_mask & (1U << report)))
		return;
	if (fallback)
		access_model(report, t, rs, tid, kind, a, b, now);
	if (!t->is_vcpu)
		return;
	if (vcpu_filter != -1 && vcpu_filter != t->vcpu_id)
		return;
	paired_model(report, t, rs, tid, kind, a, b, now);
}

static __always_inline int handle(int kind, __u64 a, __u64 b)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), now = bpf_ktime_get_ns(), *cnt;
	__u32 pid = pid_tgid >> 32, tid = (__u32)pid_tgid, idx = kind;
	struct thr *t;
	int fallback;

	if (filter_pids && !bpf_map_lookup_elem(&pids, &pid))
		return 0;
	cnt = bpf_map_lookup_elem(&tp_counts, &idx);
	if (cnt)
		(*cnt)++;
	if (kind == KSB_TP_ENTRY && !nr_entry)
		__sync_fetch_and_add(&nr_entry, 1);
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t) {
		bpf_map_update_elem(&threads, &tid, &zero_thr, BPF_NOEXIST);
		t = bpf_map_lookup_elem(&threads, &tid);
		if (!t) {
			__sync_fetch_and_add(&nr_dropped, 1);
			return 0;
		}
		t->pid = pid;
	}
	/* once a kvm_entry was seen anywhere the fallback can no longer be chosen */
	fallback = !nr_entry;
	if (!t->is_vcpu && kind == KSB_TP_ENTRY) {
		t->is_vcpu = 1;
		t->vcpu_id = (__s32)a;
		t->pid = pid;
	}
	per_report(KSB_REPORT_VMEXIT, t, tid, kind, a, b, now, fallback);
	per_report(KSB_REPORT_MMIO, t, tid, kind, a, b, now, fallback);
	per_report(KSB_REPORT_IOPORT, t, tid, kind, a, b, now, fallback);
	per_report(KSB_REPORT_MSR, t, tid, kind, a, b, now, fallback);
	return 0;
}

SEC("tp/kvm/kvm_entry")
int ksb_entry(struct trace_event_raw_kvm_entry *ctx)
{
	return handle(KSB_TP_ENTRY, ctx->vcpu_id, 0);
}

SEC("tp/kvm/kvm_exit")
int ksb_exit(struct trace_event_raw_kvm_exit *ctx)
{
	return handle(KSB_TP_EXIT, ctx->exit_reason, 0);
}

SEC("tp/kvm/kvm_mmio")
int ksb_mmio(struct trace_event_raw_kvm_mmio *ctx)
{
	return handle(KSB_TP_MMIO, ctx->type, ctx->gpa);
}

SEC("tp/kvm/kvm_pio")
int ksb_pio(struct trace_event_raw_kvm_pio *ctx)
{
	return handle(KSB_TP_PIO, ctx->rw, ctx->port);
}

SEC("tp/kvm/kvm_msr")
int ksb_msr(struct trace_event_raw_kvm_msr *ctx)
{
	return handle(KSB_TP_MSR, ctx->write, ctx->ecx);
}

SEC("tp/kvm/kvm_userspace_exit")
int ksb_userspace_exit(struct trace_event_raw_kvm_userspace_exit *ctx)
{
	return handle(KSB_TP_USERSPACE_EXIT, ctx->reason, 0);
}

char LICENSE[] SEC("license") = "GPL";
