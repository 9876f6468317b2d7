// SPDX-License-Identifier: GPL-2.0
/* diff: compute parsing, pairing, dummies, deltas and perf diff's order; guest summary */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/util.h"
#include "analysis/diff.h"
#include "analysis/guest-summary.h"
#include "analysis/hist.h"
#include "analysis/sort.h"
#include "machine/machine.h"
#include "ui/stdio/diff.h"

static void test_parse(void **state)
{
	struct diff_conf c = DIFF_CONF_DEFAULT;

	assert_int_equal(c.compute, DIFF_COMPUTE_DELTA_ABS);
	assert_int_equal(diff_conf__parse_compute(&c, "ratio"), 0);
	assert_int_equal(c.compute, DIFF_COMPUTE_RATIO);
	assert_int_equal(diff_conf__parse_compute(&c, "delta"), 0);
	assert_int_equal(c.compute, DIFF_COMPUTE_DELTA);
	assert_int_equal(diff_conf__parse_compute(&c, "wdiff:2,-3"), 0);
	assert_int_equal(c.compute, DIFF_COMPUTE_WDIFF);
	assert_int_equal(c.wdiff_w1, 2);
	assert_int_equal(c.wdiff_w2, -3);
	assert_int_equal(diff_conf__parse_compute(&c, "wdiff"), KP_ERR_USAGE);
	assert_int_equal(diff_conf__parse_compute(&c, "wdiff:0,1"), KP_ERR_USAGE);
	assert_int_equal(diff_conf__parse_compute(&c, "wdiff:1,"), KP_ERR_USAGE);
	assert_int_equal(diff_conf__parse_compute(&c, "ratio:1"), KP_ERR_USAGE);
	assert_int_equal(diff_conf__parse_compute(&c, "deltaabs"), KP_ERR_USAGE);
	assert_non_null(strstr(kp_errmsg(KP_ERR_USAGE), "'deltaabs'"));
	assert_int_equal(diff_conf__parse_percentage(&c, "relative"), 0);
	assert_true(c.relative);
	assert_int_equal(diff_conf__parse_percentage(&c, "absolute"), 0);
	assert_false(c.relative);
	assert_int_equal(diff_conf__parse_percentage(&c, "rel"), KP_ERR_USAGE);
}

static void add(struct hists *h, const char *dso, struct symbol *sym, u64 period, bool filtered)
{
	struct hist_key k = { .comm = "c", .dso_name = dso, .sym = sym, .ip = sym ? sym->start : 0,
			      .level = '.', .filtered = filtered };

	hists__add_sample(h, &k, period, PERF_RECORD_MISC_USER);
}

static const struct hist_entry *find(const struct hists *h, const char *name)
{
	for (size_t i = 0; i < h->nr_sorted; i++)
		if (h->sorted[i]->sym && !strcmp(h->sorted[i]->sym->name, name))
			return h->sorted[i];
	return NULL;
}

static void test_pair_and_order(void **state)
{
	/* the same symbols as different objects in each file, paired by address range */
	struct symbol o_hot = { .start = 0x10, .end = 0x20, .name = "hot" };
	struct symbol o_cold = { .start = 0x20, .end = 0x30, .name = "cold" };
	struct symbol o_gone = { .start = 0x30, .end = 0x40, .name = "gone" };
	struct symbol o_same = { .start = 0x40, .end = 0x50, .name = "same" };
	struct symbol o_host = { .start = 0x50, .end = 0x60, .name = "hostonly" };
	struct symbol n_hot = o_hot, n_cold = o_cold, n_same = o_same;
	struct symbol n_new = { .start = 0x60, .end = 0x70, .name = "new" };
	/* same name, other DSO: must not pair */
	struct symbol n_hot2 = { .start = 0x10, .end = 0x20, .name = "hot" };
	struct diff_conf conf = DIFF_CONF_DEFAULT;
	struct hists base, other;
	struct sort_list sort;
	const struct hist_entry *he;

	assert_int_equal(sort_list__parse(&sort, "dso,sym"), 0);
	hists__init(&base, &sort, false, NULL);
	hists__init(&other, &sort, false, NULL);
	add(&base, "app", &o_hot, 50, false);
	add(&base, "app", &o_cold, 10, false);
	add(&base, "app", &o_gone, 20, false);
	add(&base, "app", &o_same, 10, false);
	add(&base, "app", &o_host, 10, true); /* hidden, counted in the total */
	add(&other, "app", &n_hot, 20, false);
	add(&other, "app", &n_cold, 40, false);
	add(&other, "app", &n_same, 20, false);
	add(&other, "app", &n_new, 10, false);
	add(&other, "[guest.kernel.kallsyms.7]", &n_hot2, 10, false);
	hists__diff(&base, &other, &conf);

	assert_int_equal(base.stats.total_period, 100);
	he = find(&base, "hot");
	assert_non_null(he->pair);
	assert_true(fabs(he->diff_delta - (20.0 - 50.0)) < 1e-9);
	he = find(&base, "cold");
	assert_true(fabs(he->diff_delta - 30.0) < 1e-9);
	he = find(&base, "gone");
	assert_null(he->pair);
	he = find(&base, "new");
	assert_true(he->dummy);
	assert_int_equal(he->stat.period, 0);
	assert_true(fabs(he->diff_delta - 10.0) < 1e-9);
	/* |delta| descending: hot (30) and cold (30) by baseline, then the 10s, unpaired last */
	assert_string_equal(base.sorted[0]->sym->name, "hot");
	assert_string_equal(base.sorted[1]->sym->name, "cold");
	assert_string_equal(base.sorted[base.nr_sorted - 2]->sym->name, "gone");
	assert_true(base.sorted[base.nr_sorted - 1]->filtered);
	/* "hot" of the guest DSO is its own dummy row */
	for (size_t i = 0; i < base.nr_sorted; i++)
		if (base.sorted[i]->dso_name[0] == '[')
			assert_true(base.sorted[i]->dummy);
	hists__exit(&base);
	hists__exit(&other);

	/* relative: percentages of the shown samples only; ratio and its dummy order */
	hists__init(&base, &sort, false, NULL);
	hists__init(&other, &sort, false, NULL);
	add(&base, "app", &o_hot, 50, false);
	add(&base, "app", &o_host, 50, true);
	add(&other, "app", &n_hot, 30, false);
	add(&other, "app", &n_new, 10, false);
	conf.relative = true;
	conf.compute = DIFF_COMPUTE_RATIO;
	hists__diff(&base, &other, &conf);
	he = find(&base, "hot");
	assert_true(fabs(he->diff_delta - (75.0 - 100.0)) < 1e-9);
	assert_true(fabs(he->diff_ratio - 0.6) < 1e-9);
	assert_true(fabs(hists__diff_percent(&base, &conf, 50) - 100.0) < 1e-9);
	/* the dummy (ratio 10 against a baseline of "1") still sorts below */
	assert_string_equal(base.sorted[0]->sym->name, "hot");
	hists__exit(&base);
	hists__exit(&other);

	/* no matching event in the new file: nothing pairs */
	hists__init(&base, &sort, false, NULL);
	add(&base, "app", &o_hot, 5, false);
	hists__diff(&base, NULL, &conf);
	assert_int_equal(base.nr_sorted, 1);
	assert_null(base.sorted[0]->pair);
	hists__exit(&base);
}

/* perf prints a paired entry's ratio and weighted diff even when it is 0 */
static void test_zero_cells_printed(void **state)
{
	struct symbol o_even = { .start = 0x10, .end = 0x20, .name = "even" };
	struct symbol n_even = o_even;
	struct diff_conf conf = DIFF_CONF_DEFAULT;
	struct hists base, other;
	struct sort_list sort;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_int_equal(sort_list__parse(&sort, "dso,sym"), 0);
	assert_int_equal(diff_conf__parse_compute(&conf, "wdiff:1,1"), 0);
	hists__init(&base, &sort, false, NULL);
	hists__init(&other, &sort, false, NULL);
	add(&base, "app", &o_even, 40, false);
	add(&other, "app", &n_even, 40, false);
	hists__diff(&base, &other, &conf);
	assert_int_equal(base.sorted[0]->diff_wdiff, 0);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	hists__fprintf_diff(&base, &conf, false, fp);
	fclose(fp);
	/* the 0 right-aligned in the 14-wide "Weighted diff" cell, as perf prints it */
	assert_non_null(strstr(buf, "   100.00%               0  app"));
	free(buf);
	hists__exit(&base);
	hists__exit(&other);
}

static void test_guest_summary(void **state)
{
	struct guest_summary gs = { 0 };

	guest_summary__add(&gs, 300, PERF_RECORD_MISC_GUEST_USER, 10);
	guest_summary__add(&gs, 100, PERF_RECORD_MISC_GUEST_KERNEL, 10);
	guest_summary__add(&gs, 100, PERF_RECORD_MISC_GUEST_USER, 30);
	guest_summary__add(&gs, 100, PERF_RECORD_MISC_KERNEL, 40); /* host: total only */
	guest_summary__add(&gs, 200, PERF_RECORD_MISC_GUEST_USER, 10);
	assert_int_equal(gs.nr, 3);
	assert_int_equal(gs.nr_samples, 5);
	assert_int_equal(gs.rows[0].pid, 100);
	assert_int_equal(gs.rows[1].pid, 200);
	assert_int_equal(gs.rows[2].pid, 300);
	assert_int_equal(gs.rows[0].nr_samples, 2);
	assert_true(fabs(guest_summary__percent(&gs, gs.rows[0].period_guest_sys) - 10.0) < 1e-9);
	assert_true(fabs(guest_summary__percent(&gs, gs.rows[0].period_guest_us) - 30.0) < 1e-9);
	guest_summary__exit(&gs);
	assert_true(guest_summary__percent(&gs, 5) == 0.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_pair_and_order),
		cmocka_unit_test(test_guest_summary),
		cmocka_unit_test(test_zero_cells_printed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
