// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-stat-bpf.c - libbpf loader of kvm-stat.bpf.c (see kvm-stat-bpf.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collect/bpf/kvm-stat-bpf.h"
#include "src/collect/bpf/kvm-stat.skel.h" /* generated: struct ksb_skel */
#include "util/util.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"

struct kvm_stat_bpf {
	struct ksb_skel *skel;
	struct ring_buffer *rb;
	int ncpus;
	u64 *percpu; /* scratch for one per-CPU tp_counts value */
	kvm_stat_bpf_slow_fn slow_fn;
	void *slow_arg;
};

bool kvm_stat_bpf__built(void)
{
	return true;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's chatter (and the verifier log) only at -vv */
	if (kp_verbose < 2 || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int slow_cb(void *ctx, void *data, size_t size)
{
	struct kvm_stat_bpf *b = ctx;

	if (size >= sizeof(struct ksb_slow) && b->slow_fn)
		b->slow_fn(b->slow_arg, data);
	return 0;
}

int kvm_stat_bpf__open(struct kvm_stat_bpf **out, const struct kvm_stat_bpf_opts *opts)
{
	struct kvm_stat_bpf *b;
	int err;

	*out = NULL;
	if (access(BTF_PATH, R_OK))
		return kp_error(KP_ERR_UNSUPPORTED, "'%s': %s: the kernel has no BTF, which the "
				"BPF program needs to find the tracepoint fields", BTF_PATH,
				strerror(errno));
	libbpf_set_print(libbpf_log);
	b = xzalloc(sizeof(*b));
	b->ncpus = libbpf_num_possible_cpus();
	if (b->ncpus <= 0) {
		free(b);
		return kp_error(KP_ERR_UNSUPPORTED, "cannot count the possible CPUs");
	}
	b->percpu = xcalloc((size_t)b->ncpus, sizeof(u64));
	b->skel = ksb_skel__open();
	if (!b->skel) {
		err = -errno;
		kvm_stat_bpf__close(b);
		return kp_error(err ? err : KP_ERR_UNSUPPORTED, "cannot open the BPF program: %s",
				strerror(err ? -err : EINVAL));
	}
	b->skel->rodata->report_mask = opts->report_mask;
	b->skel->rodata->vcpu_filter = opts->vcpu;
	b->skel->rodata->duration_ns = opts->duration_ns;
	b->skel->rodata->filter_pids = opts->nr_pids > 0;
	err = ksb_skel__load(b->skel);
	if (err) {
		kvm_stat_bpf__close(b);
		if (err == -EPERM || err == -EACCES)
			return kp_error(err, "loading the BPF program was refused (%s): it needs "
					"root or CAP_BPF and CAP_PERFMON", strerror(-err));
		return kp_error(err, "cannot load the BPF program: %s (-vv shows libbpf's log)",
				strerror(-err));
	}
	for (int i = 0; i < opts->nr_pids; i++) {
		u8 one = 1;

		if (bpf_map__update_elem(b->skel->maps.pids, &opts->pids[i], sizeof(u32), &one,
					 sizeof(one), BPF_ANY)) {
			err = -errno;
			kvm_stat_bpf__close(b);
			return kp_error(err, "cannot set the pid filter: %s", strerror(-err));
		}
	}
	b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.slow), slow_cb, b, NULL);
	if (!b->rb) {
		err = -errno;
		kvm_stat_bpf__close(b);
		return kp_error(err, "cannot map the BPF ring buffer: %s", strerror(-err));
	}
	err = ksb_skel__attach(b->skel);
	if (err) {
		kvm_stat_bpf__close(b);
		return kp_error(err, "cannot attach the BPF program to the kvm tracepoints: %s",
				strerror(-err));
	}
	*out = b;
	return 0;
}

void kvm_stat_bpf__close(struct kvm_stat_bpf *b)
{
	if (!b)
		return;
	ring_buffer__free(b->rb);
	ksb_skel__destroy(b->skel);
	free(b->percpu);
	free(b);
}

u64 kvm_stat_bpf__next_gen(struct kvm_stat_bpf *b)
{
	u64 old = __atomic_load_n(&b->skel->bss->gen, __ATOMIC_RELAXED);

	__atomic_store_n(&b->skel->bss->gen, old + 1, __ATOMIC_SEQ_CST);
	return old;
}

int kvm_stat_bpf__read_rows(struct kvm_stat_bpf *b, kvm_stat_bpf_row_fn fn, void *arg)
{
	int fd = bpf_map__fd(b->skel->maps.rows);
	struct ksb_key key, next;
	struct ksb_val val;
	void *prev = NULL;
	int ret;

	/* rows are never deleted, so walking while the program adds rows is safe */
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &val))
			continue;
		ret = fn(arg, &key, &val);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void kvm_stat_bpf__tp_counts(struct kvm_stat_bpf *b, u64 counts[KSB_TP_NR])
{
	int fd = bpf_map__fd(b->skel->maps.tp_counts);

	for (u32 k = 0; k < KSB_TP_NR; k++) {
		counts[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, b->percpu))
			continue;
		for (int c = 0; c < b->ncpus; c++)
			counts[k] += b->percpu[c];
	}
}

u64 kvm_stat_bpf__dropped(struct kvm_stat_bpf *b)
{
	return __atomic_load_n(&b->skel->bss->nr_dropped, __ATOMIC_RELAXED) +
	       __atomic_load_n(&b->skel->bss->nr_slow_dropped, __ATOMIC_RELAXED);
}

int kvm_stat_bpf__poll_slow(struct kvm_stat_bpf *b, kvm_stat_bpf_slow_fn fn, void *arg)
{
	int n;

	b->slow_fn = fn;
	b->slow_arg = arg;
	n = ring_buffer__consume(b->rb);
	return n < 0 ? kp_error(n, "reading the BPF ring buffer: %s", strerror(-n)) : 0;
}
