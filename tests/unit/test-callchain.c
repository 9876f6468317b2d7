// SPDX-License-Identifier: GPL-2.0
/*
 * test-callchain.c - callchain marker walking (analysis/callchain.c) and the
 * folded stack table (ui/folded.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analysis/callchain.h"
#include "ui/folded.h"
#include "util/util.h"

#define CHAIN(name, ...)                                                           \
	static const u64 name##_ips[] = { __VA_ARGS__ };                           \
	struct {                                                                   \
		u64 nr;                                                            \
		u64 ips[ARRAY_SIZE(name##_ips)];                                   \
	} name##_buf;                                                              \
	name##_buf.nr = ARRAY_SIZE(name##_ips);                                    \
	memcpy(name##_buf.ips, name##_ips, sizeof(name##_ips));                    \
	const struct ip_callchain *name = (const void *)&name##_buf

struct walked {
	u64 ip[256];
	u8 mode[256];
	int n;
};

static void walk_all(const struct ip_callchain *chain, unsigned int max_stack, struct walked *w,
		     bool *invalid)
{
	struct callchain_walk cw;
	u64 ip;
	u8 mode;

	callchain_walk__init(&cw, chain, max_stack);
	w->n = 0;
	while (callchain_walk__next(&cw, &ip, &mode)) {
		assert_true(w->n < 256);
		w->ip[w->n] = ip;
		w->mode[w->n] = mode;
		w->n++;
	}
	*invalid = cw.invalid;
}

static void test_host_chain(void **state)
{
	CHAIN(chain, KP_CONTEXT_KERNEL, 0xffffffff81000010ULL, 0xffffffff81000020ULL,
	      KP_CONTEXT_USER, 0x401000, 0x402000);
	struct walked w;
	bool invalid;

	walk_all(chain, 0, &w, &invalid);
	assert_false(invalid);
	assert_int_equal(w.n, 4);
	assert_int_equal(w.mode[0], PERF_RECORD_MISC_KERNEL);
	assert_int_equal(w.mode[1], PERF_RECORD_MISC_KERNEL);
	assert_int_equal(w.mode[2], PERF_RECORD_MISC_USER);
	assert_true(w.ip[0] == 0xffffffff81000010ULL);
	assert_true(w.ip[3] == 0x402000);
}

static void test_starts_in_user_mode(void **state)
{
	CHAIN(chain, 0x401000, KP_CONTEXT_HV, 0x10);
	struct walked w;
	bool invalid;

	walk_all(chain, 0, &w, &invalid);
	assert_false(invalid);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.mode[0], PERF_RECORD_MISC_USER);
	assert_int_equal(w.mode[1], PERF_RECORD_MISC_HYPERVISOR);
}

static void test_guest_sections(void **state)
{
	/* what a kernel with the guest-callchain series records */
	CHAIN(chain, KP_CONTEXT_GUEST_KERNEL, 0xffffffff81100000ULL, 0xffffffff81100100ULL,
	      KP_CONTEXT_GUEST_USER, 0x400100, 0x400200, 0x400300);
	struct walked w;
	bool invalid;

	walk_all(chain, 0, &w, &invalid);
	assert_false(invalid);
	assert_int_equal(w.n, 5);
	assert_int_equal(w.mode[0], PERF_RECORD_MISC_GUEST_KERNEL);
	assert_int_equal(w.mode[1], PERF_RECORD_MISC_GUEST_KERNEL);
	assert_int_equal(w.mode[2], PERF_RECORD_MISC_GUEST_USER);
	assert_int_equal(w.mode[4], PERF_RECORD_MISC_GUEST_USER);
	assert_true(w.ip[4] == 0x400300);
}

static void test_plain_guest_marker_discards_chain(void **state)
{
	/* frames before the bad marker are dropped too, as perf resets its cursor */
	CHAIN(chain, KP_CONTEXT_KERNEL, 0xffffffff81000010ULL, KP_CONTEXT_GUEST, 0x1234);
	struct walked w;
	bool invalid;

	walk_all(chain, 0, &w, &invalid);
	assert_true(invalid);
	assert_int_equal(w.n, 0);
}

static void test_deferred_and_unknown_markers_invalid(void **state)
{
	CHAIN(a, KP_CONTEXT_USER_DEFERRED, 0x1);
	CHAIN(b, 0x1000, (u64)-3000, 0x2000);
	struct walked w;
	bool invalid;

	walk_all(a, 0, &w, &invalid);
	assert_true(invalid);
	assert_int_equal(w.n, 0);
	walk_all(b, 0, &w, &invalid);
	assert_true(invalid);
	assert_int_equal(w.n, 0);
	assert_int_equal(callchain_marker__cpumode(KP_CONTEXT_GUEST), 0);
	assert_int_equal(callchain_marker__cpumode(KP_CONTEXT_GUEST_USER),
			 PERF_RECORD_MISC_GUEST_USER);
}

static void test_max_stack(void **state)
{
	u64 buf[1 + 1 + 200 + 2];
	struct ip_callchain *chain = (void *)buf;
	struct walked w;
	bool invalid;

	chain->nr = 1 + 200 + 2;
	buf[1] = KP_CONTEXT_USER;
	for (int i = 0; i < 200; i++)
		buf[2 + i] = 0x1000 + (u64)i;
	/* a bad marker after the 127th address is never reached by perf */
	buf[202] = KP_CONTEXT_GUEST;
	buf[203] = 0x5;

	walk_all(chain, 0, &w, &invalid);
	assert_false(invalid);
	assert_int_equal(w.n, CALLCHAIN_MAX_STACK);
	assert_true(w.ip[126] == 0x1000 + 126);

	walk_all(chain, 3, &w, &invalid);
	assert_int_equal(w.n, 3);

	/* ... but one within reach invalidates the chain */
	buf[10] = KP_CONTEXT_GUEST;
	walk_all(chain, 0, &w, &invalid);
	assert_true(invalid);
	assert_int_equal(w.n, 0);
}

static void test_empty_and_null(void **state)
{
	CHAIN(markers_only, KP_CONTEXT_USER);
	struct walked w;
	bool invalid;

	walk_all(NULL, 0, &w, &invalid);
	assert_false(invalid);
	assert_int_equal(w.n, 0);
	walk_all(markers_only, 0, &w, &invalid);
	assert_false(invalid);
	assert_int_equal(w.n, 0);
}

struct collect {
	struct strbuf sb;
};

static int collect_one(const char *stack, size_t len, u64 count, void *arg)
{
	struct collect *c = arg;

	strbuf_add(&c->sb, stack, len);
	strbuf_addf(&c->sb, " %llu\n", (unsigned long long)count);
	return 0;
}

static void test_folded_table_sorted(void **state)
{
	struct folded *f = folded__new(NULL);
	struct collect c = { STRBUF_INIT };
	char key[32];

	folded__add_stack(f, "work;main;hot1", 14, 1);
	folded__add_stack(f, "work;main", 9, 2);
	folded__add_stack(f, "CPU_0/KVM;kvm_vcpu_ioctl", 24, 1);
	folded__add_stack(f, "work;main;hot1", 14, 3);
	/* enough distinct stacks to force several rehashes */
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof(key), "z;%05d", i);

		folded__add_stack(f, key, (size_t)n, 1);
	}
	assert_int_equal(folded__nr_stacks(f), 5003);
	folded__for_each(f, collect_one, &c);
	assert_memory_equal(c.sb.buf,
			    "CPU_0/KVM;kvm_vcpu_ioctl 1\nwork;main 2\nwork;main;hot1 4\nz;00000 1\n",
			    strlen("CPU_0/KVM;kvm_vcpu_ioctl 1\nwork;main 2\nwork;main;hot1 4\nz;00000 1\n"));
	assert_non_null(strstr(c.sb.buf, "z;04999 1\n"));
	strbuf_release(&c.sb);
	folded__delete(f);
}

static void test_folded_frame_names(void **state)
{
	struct symbol sym = { .start = 0, .end = 0x10, .name = "ns::f(int; char)" };
	struct symbol anon = { .start = 0, .end = 0x10,
			       .name = "(anonymous namespace)::g(int)" };
	struct symbol quoted = { .start = 0, .end = 0x10, .name = "RegExp:[&<>\"']" };
	struct addr_location al = { .sym = &sym };
	struct strbuf sb = STRBUF_INIT;

	folded__frame_name(&sb, &al, PERF_RECORD_MISC_USER);
	assert_string_equal(sb.buf, "ns::f");
	strbuf_reset(&sb);
	al.sym = &anon;
	folded__frame_name(&sb, &al, PERF_RECORD_MISC_GUEST_KERNEL);
	assert_string_equal(sb.buf, "(anonymous namespace)::g_[g]");
	strbuf_reset(&sb);
	al.sym = &quoted;
	folded__frame_name(&sb, &al, PERF_RECORD_MISC_KERNEL);
	assert_string_equal(sb.buf, "RegExp:[&<>]");
	strbuf_reset(&sb);
	al.sym = NULL;
	folded__frame_name(&sb, &al, PERF_RECORD_MISC_GUEST_USER);
	assert_string_equal(sb.buf, "[unknown]_[u]");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_chain),
		cmocka_unit_test(test_starts_in_user_mode),
		cmocka_unit_test(test_guest_sections),
		cmocka_unit_test(test_plain_guest_marker_discards_chain),
		cmocka_unit_test(test_deferred_and_unknown_markers_invalid),
		cmocka_unit_test(test_max_stack),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_folded_table_sorted),
		cmocka_unit_test(test_folded_frame_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
