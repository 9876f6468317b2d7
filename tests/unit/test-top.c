// SPDX-License-Identifier: GPL-2.0
/* top: PerfTop headline, percentages, decay, views and the stdio table */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "analysis/top.h"
#include "data/event.h"
#include "machine/machine.h"
#include "ui/top-stdio.h"

static struct symbol sym_hot = { .start = 0x1000, .end = 0x1100, .name = "demo_hot" };
static struct symbol sym_warm = { .start = 0x1100, .end = 0x1200, .name = "demo_warm" };
static struct symbol sym_ticket = { .start = 0x10, .end = 0x20, .name = "__ticket_spin_lock" };
static const char dso_elf[] = "demo-guest.elf";
static const char dso_gk[] = "[guest.kernel.kallsyms.3067]";
static const char dso_k[] = "[kernel.kallsyms]";

static void add_n(struct top *top, const char *dso, const struct symbol *sym, u64 addr,
		  char level, u8 cpumode, int n)
{
	struct top_key k = { .dso_name = dso, .sym = sym, .addr = addr, .level = level };

	for (int i = 0; i < n; i++) {
		top__count_sample(top, cpumode, false);
		top__add(top, &k);
	}
}

static const struct top_headline base_hl = {
	.guest = true, .delay_secs = 2, .sample_period = 1000, .freq = true, .event = "cycles",
	.nr_cpus = 16,
};

/* the first example screen of the 2010 mail, from its own figures */
static void test_headline_mail(void **state)
{
	struct top_headline hl = base_hl;
	struct strbuf sb = STRBUF_INIT;

	/* 16024 irqs/s over 2 s: 32048 samples, 2.6/0.6/76.2/20.6 percent */
	hl.samples = 32048;
	hl.kernel = 833;
	hl.us = 192;
	hl.guest_kernel = 24421;
	hl.guest_us = 6602;
	hl.exact = 0;
	top_headline__strbuf(&hl, &sb);
	assert_string_equal(sb.buf, "   PerfTop:   16024 irqs/sec  kernel: 2.6% us: 0.6% "
				    "guest kernel:76.2% guest us:20.6% exact:  0.0% "
				    "[1000Hz cycles],  (all, 16 CPUs)");
	strbuf_release(&sb);
}

static void test_headline_targets(void **state)
{
	struct top_headline hl = base_hl;
	struct strbuf sb = STRBUF_INIT;

	hl.samples = 10;
	hl.guest_us = 10;
	hl.exact = 5;
	hl.delay_secs = 1;
	hl.event = "cpu-clock";
	hl.sample_period = 4000;
	hl.target_pid = "1234";
	hl.nr_cpus = 2;
	top_headline__strbuf(&hl, &sb);
	assert_string_equal(sb.buf, "   PerfTop:      10 irqs/sec  kernel: 0.0% us: 0.0% "
				    "guest kernel: 0.0% guest us:100.0% exact: 50.0% "
				    "[4000Hz cpu-clock],  (target_pid: 1234, 2 CPUs)");
	strbuf_setlen(&sb, 0);
	hl.target_pid = NULL;
	hl.target_tid = "77";
	hl.freq = false;
	hl.sample_period = 100003;
	top_headline__strbuf(&hl, &sb);
	assert_non_null(strstr(sb.buf, "[100003 cpu-clock],  (target_tid: 77)"));
	strbuf_setlen(&sb, 0);
	hl.target_tid = NULL;
	hl.cpu_list = "0-1";
	top_headline__strbuf(&hl, &sb);
	assert_non_null(strstr(sb.buf, "],  (all, CPUs: 0-1)"));
	strbuf_setlen(&sb, 0);
	hl.cpu_list = "1";
	hl.nr_cpus = 1;
	top_headline__strbuf(&hl, &sb);
	assert_non_null(strstr(sb.buf, "],  (all, CPU: 1)"));

	/* host only: perf's lost/drop form */
	strbuf_setlen(&sb, 0);
	hl.guest = false;
	hl.samples = 8;
	hl.kernel = 2;
	hl.exact = 0;
	hl.lost = 3;
	hl.lost_total = 9;
	hl.delay_secs = 2;
	top_headline__strbuf(&hl, &sb);
	assert_true(!strncmp(sb.buf, "   PerfTop:       4 irqs/sec  kernel:25.0%  exact:  0.0% "
				     "lost: 3/9 drop: 0/0 [",
			     strlen("   PerfTop:       4 irqs/sec  kernel:25.0%  exact:  0.0% "
				    "lost: 3/9 drop: 0/0 [")));
	strbuf_release(&sb);
}

static void test_percents_add_up(void **state)
{
	struct top top;
	struct top_snapshot snap = { 0 };
	double k, u, gk, gu, ex;

	top__init(&top);
	add_n(&top, dso_k, NULL, 0x10, 'k', PERF_RECORD_MISC_KERNEL, 7);
	add_n(&top, NULL, NULL, 0x400000, '.', PERF_RECORD_MISC_USER, 3);
	add_n(&top, dso_gk, &sym_ticket, 0, 'g', PERF_RECORD_MISC_GUEST_KERNEL, 11);
	add_n(&top, dso_elf, &sym_hot, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 979);
	top__count_sample(&top, PERF_RECORD_MISC_GUEST_USER, true);
	top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(snap.hl.samples, 1001);
	top_headline__percents(&snap.hl, &k, &u, &gk, &gu, &ex);
	assert_true(fabs(k + u + gk + gu - 100.0) < 1e-9);
	assert_true(fabs(gu - 98000.0 / 1001) < 1e-9);
	assert_true(fabs(ex - 100.0 / 1001) < 1e-9);
	/* counters reset: the next interval has no samples, NaN as in perf */
	top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(snap.hl.samples, 0);
	top_headline__percents(&snap.hl, &k, &u, &gk, &gu, &ex);
	assert_true(isnan(k) && isnan(gu) && isnan(ex));
	top_snapshot__exit(&snap);
	top__exit(&top);
}

static void test_decay(void **state)
{
	struct top top;
	struct top_snapshot snap = { 0 };

	top__init(&top);
	add_n(&top, dso_elf, &sym_hot, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 100);
	add_n(&top, dso_elf, &sym_warm, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 1);
	top__snapshot(&top, &base_hl, NULL, &snap);
	/* the snapshot shows the counts before decay, hottest first */
	assert_int_equal(snap.nr_rows, 2);
	assert_string_equal(top_row__sym(&snap.rows[0]), "demo_hot");
	assert_int_equal(snap.rows[0].count, 100);
	assert_int_equal(snap.total, 101);
	assert_true(fabs(snap.rows[0].percent - 10000.0 / 101) < 1e-9);
	/* 100 -> 87 (integer 7/8), 1 -> 0 and removed */
	assert_int_equal(top.nr_entries, 1);
	top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(snap.nr_rows, 1);
	assert_int_equal(snap.rows[0].count, 87);
	assert_true(fabs(snap.rows[0].percent - 100.0) < 1e-9);
	/* new samples add to the decayed count */
	add_n(&top, dso_elf, &sym_hot, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 10);
	top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(snap.rows[0].count, 87 * 7 / 8 + 10);
	/* decays to nothing: 86 -> 75 -> ... -> 0 */
	for (int i = 0; i < 60 && top.nr_entries; i++)
		top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(top.nr_entries, 0);
	top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(snap.nr_rows, 0);
	assert_int_equal(snap.total, 0);

	/* -z: cleared instead of decayed */
	top.zero = true;
	add_n(&top, dso_elf, &sym_hot, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 5);
	top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(snap.rows[0].count, 5);
	assert_int_equal(top.nr_entries, 0);
	top_snapshot__exit(&snap);
	top__exit(&top);
}

static void test_views(void **state)
{
	struct top top;
	struct top_snapshot snap = { 0 };
	struct top_view view = { .mode = TOP_VIEW_GUEST };
	struct top_key filtered = { .dso_name = dso_k, .level = 'k', .filtered = true };
	double sum = 0;

	top__init(&top);
	add_n(&top, dso_k, NULL, 0x10, 'k', PERF_RECORD_MISC_KERNEL, 10);
	add_n(&top, dso_gk, &sym_ticket, 0, 'g', PERF_RECORD_MISC_GUEST_KERNEL, 30);
	add_n(&top, dso_elf, &sym_hot, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 50);
	add_n(&top, dso_elf, &sym_warm, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 10);
	top__add(&top, &filtered);
	top__snapshot(&top, &base_hl, &view, &snap);
	/* filtered and host entries count in the total, but the guest view hides them */
	assert_int_equal(snap.total, 101);
	assert_int_equal(snap.nr_all, 4);
	assert_int_equal(snap.nr_rows, 3);
	for (size_t i = 0; i < snap.nr_rows; i++)
		sum += snap.rows[i].percent;
	assert_true(fabs(sum - 9000.0 / 101) < 1e-9);
	view.mode = TOP_VIEW_HOST;
	top_snapshot__set_view(&snap, &view);
	assert_int_equal(snap.nr_rows, 1);
	assert_string_equal(top_row__sym(&snap.rows[0]), "0x0000000000000010");
	assert_string_equal(snap.rows[0].dso_name, "[kernel.kallsyms]");
	view.mode = TOP_VIEW_BOTH;
	view.dso = "demo-guest.elf";
	top_snapshot__set_view(&snap, &view);
	assert_int_equal(snap.nr_rows, 2);
	assert_string_equal(top_row__sym(&snap.rows[1]), "demo_warm");
	view.dso = NULL;
	top_snapshot__set_view(&snap, &view);
	assert_int_equal(snap.nr_rows, 4);
	top_snapshot__exit(&snap);
	top__exit(&top);
}

/* many distinct keys: the table grows and every entry is found again */
static void test_many_entries(void **state)
{
	struct top top;
	struct top_snapshot snap = { 0 };

	top__init(&top);
	for (int round = 0; round < 2; round++)
		for (u64 a = 0; a < 5000; a++)
			add_n(&top, dso_k, NULL, a * 16, 'k', PERF_RECORD_MISC_KERNEL, 1);
	assert_int_equal(top.nr_entries, 5000);
	top__snapshot(&top, &base_hl, NULL, &snap);
	assert_int_equal(snap.nr_rows, 5000);
	assert_int_equal(snap.rows[0].count, 2);
	assert_int_equal(snap.total, 10000);
	top_snapshot__exit(&snap);
	top__exit(&top);
}

static void test_stdio_table(void **state)
{
	struct top top;
	struct top_snapshot snap = { 0 };
	struct top_headline hl = base_hl;
	struct strbuf sb = STRBUF_INIT;
	const char *want;

	top__init(&top);
	add_n(&top, dso_gk, &sym_ticket, 0, 'g', PERF_RECORD_MISC_GUEST_KERNEL, 3);
	add_n(&top, dso_elf, &sym_hot, 0, 'u', PERF_RECORD_MISC_GUEST_USER, 1);
	top__snapshot(&top, &hl, NULL, &snap);
	top_stdio__render(&sb, &snap, 0, 0);
	want = "-------------------------------------------------------------------------------\n"
	       "   PerfTop:       2 irqs/sec  kernel: 0.0% us: 0.0% guest kernel:75.0% "
	       "guest us:25.0% exact:  0.0% [1000Hz cycles],  (all, 16 CPUs)\n"
	       "-------------------------------------------------------------------------------\n"
	       "\n"
	       "             samples  pcnt function           DSO\n"
	       "             _______ _____ __________________ ____________________________\n"
	       "\n"
	       "                3.00 75.0% __ticket_spin_lock [guest.kernel.kallsyms.3067]\n"
	       "                1.00 25.0% demo_hot           demo-guest.elf\n";
	assert_string_equal(sb.buf, want);

	/* a narrow screen cuts the function column (perf's cols - 29 rule) */
	strbuf_setlen(&sb, 0);
	{
		struct top_table_layout lay;

		top_table__layout(&snap, 70, 0, &lay);
		assert_int_equal(lay.sym_width, 70 - 29 - 28);
		assert_int_equal(lay.dso_width, 28);
		top_table__row(&sb, &snap.rows[0], &lay);
		assert_string_equal(sb.buf, "                3.00 75.0% __ticket_spin [guest.kernel."
					    "kallsyms.3067]");
		/* -E: only the first rows count for the widths */
		top_table__layout(&snap, 0, 1, &lay);
		assert_int_equal(lay.nr_rows, 1);
	}
	strbuf_release(&sb);
	top_snapshot__exit(&snap);
	top__exit(&top);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headline_mail),
		cmocka_unit_test(test_headline_targets),
		cmocka_unit_test(test_percents_add_up),
		cmocka_unit_test(test_decay),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_stdio_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
