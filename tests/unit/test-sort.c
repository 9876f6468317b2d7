// SPDX-License-Identifier: GPL-2.0
/* sort keys: parsing, perf's comparators and cells */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/util.h"
#include "analysis/hist.h"
#include "analysis/sort.h"
#include "machine/machine.h"

static void test_parse(void **state)
{
	struct sort_list l;

	assert_int_equal(sort_list__parse(&l, "comm,dso,symbol"), 0);
	assert_int_equal(l.nr, 3);
	assert_int_equal(l.keys[2], SORT_SYM);
	assert_int_equal(sort_list__parse(&l, "pid,cpu,sym,pid"), 0);
	assert_int_equal(l.nr, 3);
	assert_int_equal(l.keys[0], SORT_PID);
	assert_int_equal(l.keys[1], SORT_CPU);
	assert_int_equal(sort_list__parse(&l, "comm,bogus"), KP_ERR_USAGE);
	assert_non_null(strstr(kp_errmsg(KP_ERR_USAGE), "'bogus'"));
	assert_int_equal(sort_list__parse(&l, ","), KP_ERR_USAGE);
}

static void test_cmp(void **state)
{
	struct symbol s1 = { .start = 0x10, .end = 0x20, .name = "b" };
	struct symbol s2 = { .start = 0x20, .end = 0x30, .name = "a" };
	struct hist_entry l = { .comm = "aaa", .dso_name = "libc", .sym = &s1, .tid = 5, .cpu = 1 };
	struct hist_entry r = { .comm = "bbb", .dso_name = "libc", .sym = &s2, .tid = 7, .cpu = 0 };

	/* > 0: left prints first */
	assert_true(sort_key__cmp(SORT_COMM, &l, &r) > 0);
	assert_true(sort_key__cmp(SORT_PID, &l, &r) > 0);
	assert_true(sort_key__cmp(SORT_CPU, &l, &r) < 0);
	assert_true(sort_key__cmp(SORT_DSO, &l, &r) == 0);
	/* identity by address, output order by name */
	assert_true(sort_key__cmp(SORT_SYM, &l, &r) > 0);
	assert_true(sort_key__sort(SORT_SYM, &l, &r) < 0);
	/* a missing DSO or symbol comes after a present one */
	r.dso_name = NULL;
	assert_true(sort_key__cmp(SORT_DSO, &l, &r) > 0);
	r.dso_name = "libc";
	r.sym = NULL;
	assert_true(sort_key__sort(SORT_SYM, &l, &r) > 0);
	assert_true(sort_key__cmp(SORT_SYM, &l, &r) > 0);
	/* two unresolved: the address alone */
	l.sym = NULL;
	l.ip = 0x100;
	r.ip = 0x200;
	r.dso_name = "other";
	assert_true(sort_key__cmp(SORT_SYM, &l, &r) > 0);
	r.ip = 0x100;
	assert_true(sort_key__cmp(SORT_SYM, &l, &r) == 0);
}

static void test_cells(void **state)
{
	struct symbol s = { .start = 0x10, .end = 0x20, .name = "do_syscall_64" };
	struct hists h;
	struct sort_list l;
	struct hist_entry he = { .comm = "work", .dso_name = "[kernel.kallsyms]", .sym = &s,
				 .tid = 7927, .cpu = 1, .level = 'k' };
	struct strbuf sb = STRBUF_INIT;

	sort_list__parse(&l, "comm");
	hists__init(&h, &l, false, NULL);
	sort_key__snprintf(SORT_SYM, &h, &he, &sb, 30);
	assert_string_equal(sb.buf, "[k] do_syscall_64");
	strbuf_reset(&sb);
	sort_key__snprintf(SORT_COMM, &h, &he, &sb, 7);
	assert_string_equal(sb.buf, "work   ");
	strbuf_reset(&sb);
	sort_key__snprintf(SORT_PID, &h, &he, &sb, 15);
	assert_string_equal(sb.buf, "   7927:work   ");
	strbuf_reset(&sb);
	sort_key__snprintf(SORT_CPU, &h, &he, &sb, 3);
	assert_string_equal(sb.buf, "001");
	strbuf_reset(&sb);
	he.cpu = -1;
	sort_key__snprintf(SORT_CPU, &h, &he, &sb, 3);
	assert_string_equal(sb.buf, "-001");
	strbuf_reset(&sb);
	he.sym = NULL;
	he.dso_name = NULL;
	he.ip = 0x401000;
	he.level = '.';
	sort_key__snprintf(SORT_SYM, &h, &he, &sb, 22);
	assert_string_equal(sb.buf, "[.] 0x0000000000401000");
	strbuf_reset(&sb);
	sort_key__snprintf(SORT_DSO, &h, &he, &sb, 13);
	assert_string_equal(sb.buf, "[unknown]    ");
	strbuf_release(&sb);
	hists__exit(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
