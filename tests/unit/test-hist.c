// SPDX-License-Identifier: GPL-2.0
/* hists: merging, totals, output order, column widths and the stdio table */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/util.h"
#include "analysis/hist.h"
#include "analysis/sort.h"
#include "machine/machine.h"
#include "ui/stdio/hist.h"

static struct symbol hot1 = { .start = 0x1100, .end = 0x1140, .name = "hot1" };
static struct symbol hot2 = { .start = 0x1140, .end = 0x1180, .name = "hot2" };
static struct symbol ksym_a = { .start = 0x100, .end = 0x200, .name = "__split_vma" };
static struct symbol ksym_b = { .start = 0x300, .end = 0x400, .name = "alloc_vmap_area" };
static struct symbol lsym = { .start = 0x10, .end = 0x20, .name = "get_common_indices.constprop.0" };

/* "threads" are just their final comm here */
static const char *thread_comm(const void *thread)
{
	return thread;
}

static struct hist_key key(const char *thread, int tid, const char *comm, const char *dso,
			   struct symbol *sym, u64 ip, char level)
{
	return (struct hist_key){ .thread = thread, .tid = tid, .cpu = -1, .comm = comm,
				  .dso_name = dso, .sym = sym, .ip = ip, .level = level };
}

static char *print(struct hists *hists, const struct hists_fprintf_opts *opts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	hists__output_resort(hists);
	hists__fprintf(hists, opts, fp);
	fclose(fp);
	return buf;
}

static void fill(struct hists *h)
{
	struct hist_key k;

	for (int i = 0; i < 150; i++) {
		k = key("spin", 11, "spin", "spin", &hot2, 0x1150, '.');
		hists__add_sample(h, &k, 1000, PERF_RECORD_MISC_USER);
		k = key("spin", 11, "spin", "spin", &hot1, 0x1110 + i % 8, '.');
		hists__add_sample(h, &k, 1000, PERF_RECORD_MISC_USER);
	}
	k = key("spin", 12, "spin", "ld-linux-x86-64.so.2", &lsym, 0x12, '.');
	hists__add_sample(h, &k, 1000, PERF_RECORD_MISC_USER);
	k = key("spin", 12, "sh", "[kernel.kallsyms]", &ksym_b, 0x310, 'k');
	hists__add_sample(h, &k, 1000, PERF_RECORD_MISC_KERNEL);
	k = key("spin", 12, "sh", "[kernel.kallsyms]", &ksym_a, 0x110, 'k');
	hists__add_sample(h, &k, 1000, PERF_RECORD_MISC_KERNEL);
	/* a filtered sample: counts in the total, never shown, no width */
	k = key("a-very-long-thread-name", 13, "guestthing", "[guest.kernel.kallsyms.1234]", NULL,
		0x4242, 'g');
	k.filtered = true;
	hists__add_sample(h, &k, 1000, PERF_RECORD_MISC_GUEST_KERNEL);
}

static void test_default_sort(void **state)
{
	struct sort_list sort;
	struct hists h;
	struct hists_fprintf_opts opts = { .show_header = true, .show_nr_samples = true };
	char *out;

	assert_int_equal(sort_list__parse(&sort, SORT_DEFAULT_ORDER), 0);
	hists__init(&h, &sort, false, thread_comm);
	fill(&h);
	h.sort_nr_samples = true;
	out = print(&h, &opts);
	assert_int_equal(h.stats.nr_samples, 304);
	assert_int_equal(h.stats.total_period, 304000);
	assert_int_equal(h.nr_entries, 6);
	/* ties in period: the sh rows by comm, then symbol name; spin after sh */
	assert_string_equal(out,
		"# Overhead       Samples  Command  Shared Object         Symbol                            \n"
		"# ........  ............  .......  ....................  ..................................\n"
		"#\n"
		"    49.34%           150  spin     spin                  [.] hot1\n"
		"    49.34%           150  spin     spin                  [.] hot2\n"
		"     0.33%             1  sh       [kernel.kallsyms]     [k] __split_vma\n"
		"     0.33%             1  sh       [kernel.kallsyms]     [k] alloc_vmap_area\n"
		"     0.33%             1  spin     ld-linux-x86-64.so.2  [.] get_common_indices.constprop.0\n");
	free(out);
	hists__exit(&h);
}

static void test_sort_pid_and_limit(void **state)
{
	struct sort_list sort;
	struct hists h;
	struct hists_fprintf_opts opts = { .show_header = true, .min_percent = 1.0 };
	char *out;

	assert_int_equal(sort_list__parse(&sort, "pid"), 0);
	hists__init(&h, &sort, false, thread_comm);
	fill(&h);
	out = print(&h, &opts);
	/* the pid cell shows the thread's final comm, padded to the column */
	assert_string_equal(out,
		"# Overhead      Pid:Command\n"
		"# ........  ...............\n"
		"#\n"
		"    98.68%       11:spin   \n");
	free(out);
	hists__exit(&h);
}

static void test_unresolved_and_cpu_util(void **state)
{
	struct sort_list sort;
	struct hists h;
	struct hists_fprintf_opts opts = { .show_header = true, .show_cpu_util = true,
					   .show_guest_util = true };
	struct hist_key k;
	char *out;

	assert_int_equal(sort_list__parse(&sort, "comm,dso,sym"), 0);
	hists__init(&h, &sort, false, NULL);
	h.sort_cpu_util = h.sort_guest_util = true;
	k = key(NULL, 7927, ":7927", "[guest.kernel.kallsyms]", &hot1, 0x1110, 'g');
	for (int i = 0; i < 6; i++)
		hists__add_sample(&h, &k, 1, PERF_RECORD_MISC_GUEST_KERNEL);
	/* two unresolved addresses with equal periods: lower address first */
	k = key(NULL, 7927, ":7927", NULL, NULL, 0x400123, 'u');
	hists__add_sample(&h, &k, 1, PERF_RECORD_MISC_GUEST_USER);
	k = key(NULL, 7927, ":7927", NULL, NULL, 0x400100, 'u');
	hists__add_sample(&h, &k, 1, PERF_RECORD_MISC_GUEST_USER);
	out = print(&h, &opts);
	assert_string_equal(out,
		"# Overhead       sys       usr  guest sys  guest usr  Command  Shared Object            Symbol                \n"
		"# ........  ........  ........  .........  .........  .......  .......................  ......................\n"
		"#\n"
		"    75.00%     0.00%     0.00%     75.00%      0.00%  :7927    [guest.kernel.kallsyms]  [g] hot1\n"
		"    12.50%     0.00%     0.00%      0.00%     12.50%  :7927    [unknown]                [u] 0x0000000000400100\n"
		"    12.50%     0.00%     0.00%      0.00%     12.50%  :7927    [unknown]                [u] 0x0000000000400123\n");
	free(out);
	hists__exit(&h);
}

static void test_children(void **state)
{
	struct sort_list sort;
	struct hists h;
	struct hists_fprintf_opts opts = { .show_header = true };
	struct hist_key self, caller;
	char *out;

	assert_int_equal(sort_list__parse(&sort, "comm,dso,sym"), 0);
	hists__init(&h, &sort, true, NULL);
	for (int i = 0; i < 3; i++) {
		self = key(NULL, 1, "w", "w", &hot1, 0x1110, '.');
		caller = key(NULL, 1, "w", "w", &hot2, 0x1150, '.');
		hists__add_sample(&h, &self, 10, PERF_RECORD_MISC_USER);
		/* the chain repeats the sample's own symbol: counted once */
		hists__add_callchain_entry(&h, &self, 10, PERF_RECORD_MISC_USER);
		hists__add_callchain_entry(&h, &caller, 10, PERF_RECORD_MISC_USER);
		hists__add_callchain_entry(&h, &caller, 10, PERF_RECORD_MISC_USER);
	}
	self = key(NULL, 1, "w", "w", &hot2, 0x1150, '.');
	hists__add_sample(&h, &self, 10, PERF_RECORD_MISC_USER);
	out = print(&h, &opts);
	assert_int_equal(h.stats.total_period, 40);
	assert_string_equal(out,
		"# Children      Self  Command  Shared Object  Symbol  \n"
		"# ........  ........  .......  .............  ........\n"
		"#\n"
		"   100.00%    25.00%  w        w              [.] hot2\n"
		"    75.00%    75.00%  w        w              [.] hot1\n");
	free(out);
	hists__exit(&h);
}

static void test_many_entries(void **state)
{
	struct sort_list sort;
	struct hists h;
	struct hist_key k;

	assert_int_equal(sort_list__parse(&sort, "sym"), 0);
	hists__init(&h, &sort, false, NULL);
	for (int round = 0; round < 3; round++)
		for (u64 ip = 0; ip < 50000; ip++) {
			k = key(NULL, 1, "x", "x", NULL, ip, '.');
			hists__add_sample(&h, &k, ip + 1, PERF_RECORD_MISC_USER);
		}
	assert_int_equal(h.nr_entries, 50000);
	hists__output_resort(&h);
	assert_int_equal(h.sorted[0]->ip, 49999);
	assert_int_equal(h.sorted[0]->stat.period, 150000);
	assert_int_equal(h.sorted[49999]->ip, 0);
	hists__exit(&h);
}

static void test_nr_sample_events(void **state)
{
	struct sort_list sort;
	struct hists h;
	struct hist_key k = key(NULL, 1, "x", "x", NULL, 1, '.');
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	sort_list__parse(&sort, "comm");
	hists__init(&h, &sort, false, NULL);
	for (int i = 0; i < 1500; i++)
		hists__add_sample(&h, &k, 500000, PERF_RECORD_MISC_USER);
	fp = open_memstream(&buf, &len);
	hists__fprintf_nr_sample_events(&h, "cpu-clock", fp);
	fclose(fp);
	assert_string_equal(buf, "# Samples: 1K of event 'cpu-clock'\n"
				 "# Event count (approx.): 750000000\n#\n");
	free(buf);
	hists__exit(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_sort),
		cmocka_unit_test(test_sort_pid_and_limit),
		cmocka_unit_test(test_unresolved_and_cpu_util),
		cmocka_unit_test(test_children),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_nr_sample_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
