// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/kvm-stat.h"
#include "data/reader.h"
#include "ui/kvm-stat-ui.h"
#include "util/util.h"

static struct kvm_stat *new_stat(enum kvm_stat_report report, int vcpu)
{
	struct kvm_stat_opts opts = {
		.report = report,
		.sort = KVM_SORT_SAMPLE,
		.vcpu = vcpu,
		.reasons = &kvm_exit_reasons_svm,
	};

	return kvm_stat__new(&opts);
}

static void ev(struct kvm_stat *kvm, enum kvm_tp_kind kind, u32 tid, u64 time, u64 a, u64 b)
{
	struct kvm_stat_event e = { .kind = kind, .pid = 10, .tid = tid, .time = time, .a = a, .b = b };

	kvm_stat__event(kvm, &e);
}

static struct kvm_stat_row *find_row(const struct kvm_stat_view *v, const char *name)
{
	for (u32 i = 0; i < v->all->nr_sorted; i++)
		if (!strcmp(v->all->sorted[i]->name, name))
			return v->all->sorted[i];
	return NULL;
}

static void test_stats_welford(void **state)
{
	struct kvm_stats st;

	kvm_stats__init(&st);
	assert_int_equal(st.min, UINT64_MAX);
	kvm_stats__update(&st, 5000, false);
	kvm_stats__update(&st, 7000, false);
	kvm_stats__update(&st, 9000, false);
	assert_int_equal(st.n, 3);
	assert_int_equal(st.min, 5000);
	assert_int_equal(st.max, 9000);
	assert_int_equal(st.time, 21000);
	assert_true(st.mean == 7000.0);
	/* the spec's example: 5, 7, 9 us -> +- 16.50% */
	{
		char buf[32];

		snprintf(buf, sizeof(buf), "%7.2f", kvm_stats__stddev_pct(&st));
		assert_string_equal(buf, "  16.50");
	}
	/* log2 buckets: 5000 and 7000 in [4096, 8192), 9000 in [8192, 16384) */
	assert_int_equal(st.hist[12], 2);
	assert_int_equal(st.hist[13], 1);
	kvm_stats__init(&st);
	kvm_stats__update(&st, 42, false);
	assert_true(kvm_stats__stddev_pct(&st) == 0.0);
}

static void test_percentiles(void **state)
{
	struct kvm_stats st;

	kvm_stats__init(&st);
	for (u64 i = 1000; i >= 1; i--)
		kvm_stats__update(&st, i, true);
	assert_int_equal(kvm_stats__percentile(&st, 50), 500);
	assert_int_equal(kvm_stats__percentile(&st, 99), 990);
	assert_int_equal(kvm_stats__percentile(&st, 99.9), 999);
	assert_int_equal(kvm_stats__percentile(&st, 100), 1000);
	free(st.durs);
}

static void test_pairing_vmexit(void **state)
{
	struct kvm_stat *kvm = new_stat(KVM_REPORT_VMEXIT, -1);
	const struct kvm_stat_view *v;
	struct kvm_stat_row *hlt, *io, *npf;

	ev(kvm, KVM_TP_EXIT, 100, 500, 0x78, 0); /* before the first entry: ignored */
	ev(kvm, KVM_TP_ENTRY, 100, 600, 0, 0); /* creates vCPU 0; no begin yet: dropped */
	ev(kvm, KVM_TP_EXIT, 100, 10000, 0x78, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 15000, 0, 0); /* hlt 5 us */
	ev(kvm, KVM_TP_EXIT, 100, 20000, 0x78, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 27000, 0, 0); /* hlt 7 us */
	ev(kvm, KVM_TP_EXIT, 100, 30000, 0x78, 0);
	ev(kvm, KVM_TP_PIO, 100, 30500, 1, 0x3f8); /* not part of vmexit */
	ev(kvm, KVM_TP_ENTRY, 100, 39000, 0, 0); /* hlt 9 us */
	ev(kvm, KVM_TP_ENTRY, 100, 39500, 0, 0); /* end without begin */
	ev(kvm, KVM_TP_EXIT, 100, 40000, 0x400, 0); /* overwritten by the next begin */
	ev(kvm, KVM_TP_EXIT, 100, 40100, 0x7b, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 41300, 0, 0); /* io 1.2 us */
	ev(kvm, KVM_TP_EXIT, 100, 50000, 0x7b, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 49000, 0, 0); /* ends before it began: dropped */
	ev(kvm, KVM_TP_ENTRY, 100, 60000, 0, 0); /* and the state was cleared */
	ev(kvm, KVM_TP_EXIT, 200, 1000, 0x7b, 0); /* thread 200 never entered */
	v = kvm_stat__view(kvm);
	assert_int_equal(v->mode, KVM_STAT_MODE_PAIRED);
	assert_int_equal(v->all->total_count, 4);
	assert_int_equal(v->all->total_time, 22200);
	assert_int_equal(v->all->nr_sorted, 2);
	hlt = find_row(v, "hlt");
	io = find_row(v, "io");
	npf = find_row(v, "npf");
	assert_non_null(hlt);
	assert_non_null(io);
	assert_null(npf); /* created at begin but never completed: hidden */
	assert_ptr_equal(v->all->sorted[0], hlt);
	assert_int_equal(hlt->count, 3);
	assert_int_equal(io->count, 1);
	assert_int_equal(io->stats.min, 1200);
	kvm_stat__delete(kvm);
}

static void test_stdio_layout(void **state)
{
	struct kvm_stat *kvm = new_stat(KVM_REPORT_VMEXIT, -1);
	struct kvm_stat_print_opts o = { .path = "x", .kvm = kvm };
	const char *want =
		"\n\nAnalyze events for all VMs, all VCPUs:\n\n"
		"             VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time"
		"         Avg time \n\n"
		"                 hlt          3    75.00%    94.59%      5.00us      9.00us"
		"      7.00us ( +-  16.50% )\n"
		"                  io          1    25.00%     5.41%      1.20us      1.20us"
		"      1.20us ( +-   0.00% )\n"
		"\nTotal Samples:4, Total events handled time:22.20us.\n\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ev(kvm, KVM_TP_ENTRY, 100, 1, 0, 0);
	ev(kvm, KVM_TP_EXIT, 100, 10000, 0x78, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 15000, 0, 0);
	ev(kvm, KVM_TP_EXIT, 100, 20000, 0x78, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 27000, 0, 0);
	ev(kvm, KVM_TP_EXIT, 100, 30000, 0x78, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 39000, 0, 0);
	ev(kvm, KVM_TP_EXIT, 100, 40100, 0x7b, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 41300, 0, 0);
	assert_int_equal(kvm_stat__print_stdio(fp, kvm_stat__view(kvm), &o), 0);
	fclose(fp);
	assert_string_equal(buf, want);
	free(buf);
	kvm_stat__delete(kvm);
}

static void test_vcpu_filter(void **state)
{
	struct kvm_stat *kvm = new_stat(KVM_REPORT_VMEXIT, 1);
	const struct kvm_stat_view *v;

	ev(kvm, KVM_TP_ENTRY, 100, 1, 0, 0);
	ev(kvm, KVM_TP_ENTRY, 101, 2, 1, 0);
	ev(kvm, KVM_TP_EXIT, 100, 10, 0x78, 0);
	ev(kvm, KVM_TP_EXIT, 101, 11, 0x7b, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 20, 0, 0);
	ev(kvm, KVM_TP_ENTRY, 101, 31, 1, 0);
	v = kvm_stat__view(kvm);
	assert_int_equal(v->all->nr_sorted, 1);
	assert_string_equal(v->all->sorted[0]->name, "io");
	/* deliberate difference: the real minimum, not perf 6.1's 0 */
	assert_int_equal(v->all->sorted[0]->stats.min, 20);
	kvm_stat__delete(kvm);
}

static void test_pid_filter_and_groups(void **state)
{
	static const u32 pids[] = { 20 };
	struct kvm_stat_opts opts = {
		.report = KVM_REPORT_IOPORT, .vcpu = -1, .pids = pids, .nr_pids = 1,
		.per_vm = true, .per_vcpu = true,
	};
	struct kvm_stat *kvm = kvm_stat__new(&opts);
	struct kvm_stat_event e = { .kind = KVM_TP_ENTRY, .pid = 20, .tid = 21 };
	const struct kvm_stat_view *v;

	kvm_stat__comm(kvm, 20, "vm-a");
	kvm_stat__event(kvm, &e);
	e.kind = KVM_TP_PIO, e.time = 100, e.a = 1, e.b = 0x70;
	kvm_stat__event(kvm, &e);
	e.kind = KVM_TP_ENTRY, e.time = 150, e.a = 0;
	kvm_stat__event(kvm, &e);
	e.pid = 30, e.tid = 31, e.time = 200; /* filtered by -p */
	kvm_stat__event(kvm, &e);
	e.kind = KVM_TP_PIO, e.time = 300, e.a = 1, e.b = 0x70;
	kvm_stat__event(kvm, &e);
	e.kind = KVM_TP_ENTRY, e.time = 400;
	kvm_stat__event(kvm, &e);
	v = kvm_stat__view(kvm);
	assert_int_equal(v->all->total_count, 1);
	assert_string_equal(v->all->sorted[0]->name, "0x70:POUT");
	assert_int_equal(v->nr_groups, 2);
	assert_int_equal(v->groups[0]->pid, 20);
	assert_int_equal(v->groups[0]->vcpu, -1);
	assert_int_equal(v->groups[1]->vcpu, 0);
	assert_int_equal(v->groups[1]->total_time, 50);
	assert_string_equal(kvm_stat__comm_of(kvm, 20), "vm-a");
	kvm_stat__delete(kvm);
}

static void test_mmio(void **state)
{
	struct kvm_stat *kvm = new_stat(KVM_REPORT_MMIO, -1);
	const struct kvm_stat_view *v;
	struct kvm_stat_row *r, *w;

	ev(kvm, KVM_TP_ENTRY, 100, 1, 0, 0);
	ev(kvm, KVM_TP_EXIT, 100, 100, 0x400, 0); /* begin without key */
	ev(kvm, KVM_TP_MMIO, 100, 130, KVM_MMIO_UNSATISFIED_READ, 0xfee00000);
	ev(kvm, KVM_TP_MMIO, 100, 150, KVM_MMIO_READ, 0xfee00000); /* end with key: 50 */
	ev(kvm, KVM_TP_ENTRY, 100, 160, 0, 0); /* no begin open */
	ev(kvm, KVM_TP_EXIT, 100, 200, 0x400, 0);
	ev(kvm, KVM_TP_MMIO, 100, 210, KVM_MMIO_WRITE, 0xfee000b0); /* begin with key */
	ev(kvm, KVM_TP_ENTRY, 100, 240, 0, 0); /* 30 */
	ev(kvm, KVM_TP_EXIT, 100, 300, 0x7b, 0);
	ev(kvm, KVM_TP_ENTRY, 100, 310, 0, 0); /* no key at all: dropped */
	v = kvm_stat__view(kvm);
	assert_int_equal(v->all->total_count, 2);
	r = find_row(v, "0xfee00000:R");
	w = find_row(v, "0xfee000b0:W");
	assert_non_null(r);
	assert_non_null(w);
	assert_int_equal(r->stats.time, 50);
	assert_int_equal(w->stats.time, 30);
	kvm_stat__delete(kvm);
}

static void test_sort_ties_perf61(void **state)
{
	struct kvm_stat *kvm = new_stat(KVM_REPORT_IOPORT, -1);
	const struct kvm_stat_view *v;
	static const u64 ports[] = { 0x3f8, 0x70, 0x10, 0x1000, 0x1010 };
	u64 t = 10;

	ev(kvm, KVM_TP_ENTRY, 100, 1, 0, 0);
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++) {
		ev(kvm, KVM_TP_PIO, 100, t, 0, ports[i]);
		ev(kvm, KVM_TP_ENTRY, 100, t + 5, 0, 0);
		t += 10;
	}
	v = kvm_stat__view(kvm);
	assert_int_equal(v->all->nr_sorted, 5);
	/* perf 6.1 walks buckets key & 4095 in order, newest row first in a bucket */
	assert_string_equal(v->all->sorted[0]->name, "0x1000:PIN");
	assert_string_equal(v->all->sorted[1]->name, "0x1010:PIN");
	assert_string_equal(v->all->sorted[2]->name, "0x10:PIN");
	assert_string_equal(v->all->sorted[3]->name, "0x70:PIN");
	assert_string_equal(v->all->sorted[4]->name, "0x3f8:PIN");
	kvm_stat__delete(kvm);
}

static void test_sort_keys(void **state)
{
	struct kvm_stat_opts opts = { .report = KVM_REPORT_VMEXIT, .vcpu = -1,
				      .reasons = &kvm_exit_reasons_vmx };
	struct kvm_stat *kvm;
	const struct kvm_stat_view *v;

	assert_int_equal(kvm_stat_sort__parse("sample"), KVM_SORT_SAMPLE);
	assert_int_equal(kvm_stat_sort__parse("time"), KVM_SORT_TIME);
	assert_int_equal(kvm_stat_sort__parse("max_t"), KVM_SORT_MAX);
	assert_int_equal(kvm_stat_sort__parse("ev_name"), KVM_SORT_NAME);
	assert_int_equal(kvm_stat_sort__parse("percent_sample"), -1);
	assert_int_equal(kvm_stat_report__parse("msr"), KVM_REPORT_MSR);
	assert_int_equal(kvm_stat_report__parse("hcall"), -1);

	for (int k = KVM_SORT_SAMPLE; k <= KVM_SORT_NAME; k++) {
		opts.sort = k;
		kvm = kvm_stat__new(&opts);
		ev(kvm, KVM_TP_ENTRY, 1, 1, 0, 0);
		/* HLT: 3 x 100; CPUID: 1 x 1000; unknown 2457: 2 x 10 */
		for (int i = 0; i < 3; i++) {
			ev(kvm, KVM_TP_EXIT, 1, 1000 + i * 2000, 12, 0);
			ev(kvm, KVM_TP_ENTRY, 1, 1100 + i * 2000, 0, 0);
		}
		ev(kvm, KVM_TP_EXIT, 1, 10000, 10, 0);
		ev(kvm, KVM_TP_ENTRY, 1, 11000, 0, 0);
		ev(kvm, KVM_TP_EXIT, 1, 12000, 2457, 0);
		ev(kvm, KVM_TP_ENTRY, 1, 12010, 0, 0);
		ev(kvm, KVM_TP_EXIT, 1, 13000, 2457, 0);
		ev(kvm, KVM_TP_ENTRY, 1, 13010, 0, 0);
		v = kvm_stat__view(kvm);
		assert_int_equal(v->all->nr_sorted, 3);
		assert_int_equal(v->nr_unknown_rows, 1);
		switch (k) {
		case KVM_SORT_SAMPLE:
			assert_string_equal(v->all->sorted[0]->name, "HLT");
			assert_string_equal(v->all->sorted[1]->name, "UNKNOWN(2457)");
			break;
		case KVM_SORT_TIME:
		case KVM_SORT_MEAN:
		case KVM_SORT_TOTAL:
		case KVM_SORT_MAX:
		case KVM_SORT_MIN:
			assert_string_equal(v->all->sorted[0]->name, "CPUID");
			assert_string_equal(v->all->sorted[2]->name, "UNKNOWN(2457)");
			break;
		case KVM_SORT_NAME:
			assert_string_equal(v->all->sorted[0]->name, "CPUID");
			assert_string_equal(v->all->sorted[1]->name, "HLT");
			break;
		}
		kvm_stat__delete(kvm);
	}
}

static void test_access_fallback(void **state)
{
	struct kvm_stat_opts opts = { .report = KVM_REPORT_IOPORT, .vcpu = -1, .percentiles = true };
	struct kvm_stat *kvm = kvm_stat__new(&opts);
	const struct kvm_stat_view *v;
	struct kvm_stat_row *row;

	ev(kvm, KVM_TP_PIO, 100, 100, 1, 0x3f8);
	ev(kvm, KVM_TP_USERSPACE_EXIT, 100, 150, 2, 0); /* timed: 50 */
	ev(kvm, KVM_TP_PIO, 100, 200, 1, 0x3f8);
	ev(kvm, KVM_TP_MSR, 100, 210, 0, 0x10); /* next KVM event is not the exit: untimed */
	ev(kvm, KVM_TP_USERSPACE_EXIT, 100, 260, 2, 0);
	ev(kvm, KVM_TP_PIO, 100, 300, 1, 0x3f8);
	ev(kvm, KVM_TP_PIO, 101, 310, 0, 0x3f8); /* another thread */
	ev(kvm, KVM_TP_USERSPACE_EXIT, 100, 330, 2, 0); /* timed: 30 */
	ev(kvm, KVM_TP_PIO, 100, 400, 1, 0x3f8);
	ev(kvm, KVM_TP_USERSPACE_EXIT, 100, 900, 5, 0); /* KVM_EXIT_HLT: not this access */
	v = kvm_stat__view(kvm);
	assert_int_equal(v->mode, KVM_STAT_MODE_ACCESS);
	assert_int_equal(v->all->total_count, 5);
	assert_int_equal(v->all->total_time, 80);
	row = find_row(v, "0x3f8:POUT");
	assert_non_null(row);
	assert_int_equal(row->count, 4);
	assert_int_equal(row->stats.n, 2);
	assert_int_equal(row->stats.min, 30);
	assert_int_equal(kvm_stats__percentile(&row->stats, 50), 30);
	row = find_row(v, "0x3f8:PIN");
	assert_int_equal(row->count, 1);
	assert_int_equal(row->stats.n, 0);
	kvm_stat__delete(kvm);
}

static void test_no_fallback_with_entries(void **state)
{
	struct kvm_stat *kvm = new_stat(KVM_REPORT_IOPORT, -1);
	const struct kvm_stat_view *v;

	ev(kvm, KVM_TP_PIO, 100, 100, 1, 0x3f8);
	ev(kvm, KVM_TP_ENTRY, 100, 150, 0, 0);
	v = kvm_stat__view(kvm);
	/* kvm_entry exists: perf's model, even if it gives an empty table */
	assert_int_equal(v->mode, KVM_STAT_MODE_PAIRED);
	assert_int_equal(v->all->nr_sorted, 0);
	kvm_stat__delete(kvm);
}


/* a seeded stream: several VMs and vCPUs, all kinds, lost begins and ends, time going back */
static u64 rnd_state;

static u64 rnd(u64 below)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (rnd_state >> 33) % below;
}

static void compare_tables(const struct kvm_stat_table *a, const struct kvm_stat_table *b)
{
	assert_int_equal(a->nr_sorted, b->nr_sorted);
	assert_int_equal(a->total_count, b->total_count);
	assert_int_equal(a->total_time, b->total_time);
	for (u32 i = 0; i < a->nr_sorted; i++) {
		const struct kvm_stat_row *ra = a->sorted[i], *rb = b->sorted[i];

		assert_int_equal(ra->key, rb->key);
		assert_int_equal(ra->info, rb->info);
		assert_int_equal(ra->count, rb->count);
		assert_int_equal(ra->stats.n, rb->stats.n);
		assert_int_equal(ra->stats.min, rb->stats.min);
		assert_int_equal(ra->stats.max, rb->stats.max);
		assert_int_equal(ra->stats.time, rb->stats.time);
		/* bit for bit: the same updates in the same order */
		assert_memory_equal(&ra->stats.mean, &rb->stats.mean, sizeof(double));
		assert_memory_equal(&ra->stats.m2, &rb->stats.m2, sizeof(double));
		assert_memory_equal(ra->stats.hist, rb->stats.hist, sizeof(ra->stats.hist));
	}
}

/*
 * kvm_stat__event_packed() (the reader's fast path, with its tight loop for
 * plain paired reports) must give what kvm_stat__event() gives event by event.
 */
static void test_packed_matches_events(void **state)
{
	static const enum kvm_stat_report reports[] = { KVM_REPORT_VMEXIT, KVM_REPORT_IOPORT,
							KVM_REPORT_MSR, KVM_REPORT_MMIO };
	enum { N = 60000 };
	struct packed_sample *ps = xcalloc(N, sizeof(*ps));

	(void)state;
	for (size_t r = 0; r < ARRAY_SIZE(reports); r++) {
		for (int vcpu = -1; vcpu <= 0; vcpu++) {
			struct kvm_stat *a = new_stat(reports[r], vcpu);
			struct kvm_stat *b = new_stat(reports[r], vcpu);
			const struct kvm_stat_view *va, *vb;
			u64 now = 1000000;

			rnd_state = 42 + r;
			for (size_t i = 0; i < N; i++) {
				struct kvm_stat_event e;
				u64 k = rnd(100);

				e.kind = k < 40 ? KVM_TP_EXIT : k < 80 ? KVM_TP_ENTRY :
					 k < 88 ? KVM_TP_PIO : k < 94 ? KVM_TP_MSR :
						  k < 99 ? KVM_TP_MMIO : KVM_TP_USERSPACE_EXIT;
				e.pid = 100 + (u32)rnd(3);
				e.tid = e.pid * 10 + (u32)rnd(4);
				/* now and then a time before the last one */
				now += rnd(20) ? rnd(5000) : 0;
				e.time = rnd(500) ? now : now - rnd(3000);
				e.a = e.kind == KVM_TP_ENTRY ? e.tid % 10 : rnd(e.kind == KVM_TP_EXIT ? 9 : 3);
				e.b = e.kind == KVM_TP_EXIT ? 0 : 0x60 + rnd(4);
				/* the first entries come late: the access model sees the start */
				if (i < 300 && e.kind == KVM_TP_ENTRY)
					e.kind = KVM_TP_PIO;
				kvm_stat__event(a, &e);
				ps[i].time = e.time;
				ps[i].payload[0] = (u64)e.tid << 32 | e.pid;
				ps[i].payload[1] = (u64)e.kind << 32 | e.a;
				ps[i].payload[2] = e.b;
			}
			for (size_t i = 0; i < N;) {
				size_t n = 1 + rnd(400);

				n = n > N - i ? N - i : n;
				kvm_stat__event_packed(b, ps + i, n);
				i += n;
			}
			va = kvm_stat__view(a);
			vb = kvm_stat__view(b);
			assert_int_equal(va->mode, vb->mode);
			assert_memory_equal(va->nr_tp, vb->nr_tp, sizeof(va->nr_tp));
			assert_true(va->all->nr_sorted > 2);
			compare_tables(va->all, vb->all);
			kvm_stat__delete(a);
			kvm_stat__delete(b);
		}
	}
	free(ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_welford),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_pairing_vmexit),
		cmocka_unit_test(test_stdio_layout),
		cmocka_unit_test(test_vcpu_filter),
		cmocka_unit_test(test_pid_filter_and_groups),
		cmocka_unit_test(test_mmio),
		cmocka_unit_test(test_sort_ties_perf61),
		cmocka_unit_test(test_sort_keys),
		cmocka_unit_test(test_access_fallback),
		cmocka_unit_test(test_no_fallback_with_entries),
		cmocka_unit_test(test_packed_matches_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
