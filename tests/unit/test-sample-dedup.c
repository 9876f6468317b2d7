// SPDX-License-Identifier: GPL-2.0
/*
 * sample-dedup: keys that differ in any field stay apart, first-seen order,
 * sums, the recorded sequence, reset, growth past the first slot table,
 * full-table and too-long-chain answers; the counted chain-tree and hists
 * appends equal repeated single ones; the shape notes of the hists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/util.h"
#include "analysis/chain-tree.h"
#include "analysis/hist.h"
#include "analysis/sample-dedup.h"
#include "analysis/sort.h"
#include "machine/machine.h"

struct chain4 {
	u64 nr;
	u64 ips[4];
};

static struct chain4 chain_a = { 3, { PERF_CONTEXT_USER, 0x401000, 0x402000 } };
static struct chain4 chain_b = { 3, { PERF_CONTEXT_USER, 0x401000, 0x402008 } };
static struct chain4 chain_c = { 2, { PERF_CONTEXT_USER, 0x401000 } };

static struct sample_dedup_key base_key(void)
{
	return (struct sample_dedup_key){
		.idx = 1, .pid = 10, .tid = 11, .cpu = 2, .misc = PERF_RECORD_MISC_USER,
		.ip = 0x401234, .callchain = (const struct ip_callchain *)&chain_a,
	};
}

static void test_fields_keep_apart(void **state)
{
	struct sample_dedup d;
	struct sample_dedup_key k[9];
	u32 n = 0;

	(void)state;
	for (int i = 0; i < 9; i++)
		k[i] = base_key();
	k[1].idx = 2;
	k[2].pid = 12;
	k[3].tid = 12;
	k[4].cpu = 3;
	k[5].misc = PERF_RECORD_MISC_KERNEL;
	k[6].ip = 0x401238;
	k[7].callchain = (const struct ip_callchain *)&chain_b;
	k[8].callchain = (const struct ip_callchain *)&chain_c;

	sample_dedup__init(&d, true, true);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 9; i++)
			assert_int_equal(sample_dedup__add(&d, &k[i], 100 + i), i);
	n = sample_dedup__nr(&d);
	assert_int_equal(n, 9);
	for (u32 i = 0; i < n; i++) {
		const struct sample_dedup_stack *s = sample_dedup__stack(&d, i);

		assert_int_equal(s->count, 3);
		assert_int_equal(s->period, 3 * (100 + i));
	}
	/* no chain is not an empty chain, and an empty chain is a chain */
	{
		struct sample_dedup_key a = base_key(), b = base_key();
		struct chain4 empty = { 0 };

		a.callchain = NULL;
		b.callchain = (const struct ip_callchain *)&empty;
		assert_int_equal(sample_dedup__add(&d, &a, 1), 9);
		assert_int_equal(sample_dedup__add(&d, &b, 1), 10);
		assert_int_equal(sample_dedup__add(&d, &a, 1), 9);
		assert_null(sample_dedup__callchain(&d, sample_dedup__stack(&d, 9)));
		assert_int_equal(sample_dedup__callchain(&d, sample_dedup__stack(&d, 10))->nr, 0);
	}
	sample_dedup__exit(&d);

	/* without match_cpu the cpu is not compared: the first sample's is kept */
	sample_dedup__init(&d, false, false);
	assert_int_equal(sample_dedup__add(&d, &k[0], 1), 0);
	assert_int_equal(sample_dedup__add(&d, &k[4], 1), 0);
	assert_int_equal(sample_dedup__stack(&d, 0)->cpu, 2);
	assert_int_equal(sample_dedup__stack(&d, 0)->count, 2);
	assert_int_equal(sample_dedup__nr_seq(&d), 0);
	sample_dedup__exit(&d);
}

static void test_order_seq_and_sample(void **state)
{
	struct sample_dedup d;
	struct sample_dedup_key a = base_key(), b = base_key(), c = base_key();
	struct perf_sample s;
	const u32 want_seq[] = { 0, 1, 0, 2, 1, 0 };
	const u64 want_period[] = { 5, 7, 6, 9, 8, 4 };
	u64 period;

	(void)state;
	b.ip = 0x999;
	c.callchain = NULL;
	sample_dedup__init(&d, false, true);
	sample_dedup__add(&d, &a, 5);
	sample_dedup__add(&d, &b, 7);
	sample_dedup__add(&d, &a, 6);
	sample_dedup__add(&d, &c, 9);
	sample_dedup__add(&d, &b, 8);
	sample_dedup__add(&d, &a, 4);
	assert_int_equal(sample_dedup__nr(&d), 3);
	assert_int_equal(sample_dedup__stack(&d, 0)->ip, a.ip);
	assert_int_equal(sample_dedup__stack(&d, 1)->ip, b.ip);
	assert_false(sample_dedup__stack(&d, 2)->has_chain);
	assert_int_equal(sample_dedup__nr_seq(&d), 6);
	for (u32 i = 0; i < 6; i++) {
		assert_int_equal(sample_dedup__seq(&d, i, &period), want_seq[i]);
		assert_int_equal(period, want_period[i]);
	}

	sample_dedup__to_sample(&d, sample_dedup__stack(&d, 0), &s);
	assert_int_equal(s.ip, a.ip);
	assert_int_equal(s.pid, 10);
	assert_int_equal(s.tid, 11);
	assert_int_equal(s.cpu, 2);
	assert_int_equal(s.period, 15);
	assert_int_equal(s.cpumode, PERF_RECORD_MISC_USER);
	assert_int_equal(s.callchain->nr, 3);
	assert_memory_equal(s.callchain->ips, chain_a.ips, 3 * sizeof(u64));

	/* reset: empty, and old keys are new again */
	sample_dedup__reset(&d);
	assert_int_equal(sample_dedup__nr(&d), 0);
	assert_int_equal(sample_dedup__nr_seq(&d), 0);
	assert_int_equal(sample_dedup__add(&d, &b, 1), 0);
	assert_int_equal(sample_dedup__add(&d, &a, 1), 1);
	assert_int_equal(sample_dedup__stack(&d, 0)->count, 1);
	sample_dedup__exit(&d);
}

static bool admit_none(const struct sample_dedup_key *key, void *arg)
{
	(void)key;
	++*(int *)arg;
	return false;
}

static void test_growth_limits_and_admit(void **state)
{
	struct sample_dedup d;
	struct sample_dedup_key k = base_key();
	int asked = 0;

	(void)state;
	sample_dedup__init(&d, false, false);
	/* many windows: resets are O(1) and never confuse generations */
	for (int w = 0; w < 3; w++) {
		for (u32 i = 0; i < SAMPLE_DEDUP_MAX_STACKS; i++) {
			k.ip = 0x1000 + i;
			assert_int_equal(sample_dedup__add(&d, &k, 1), (int)i);
		}
		for (u32 i = 0; i < SAMPLE_DEDUP_MAX_STACKS; i += 997) {
			k.ip = 0x1000 + i;
			assert_int_equal(sample_dedup__add(&d, &k, 1), (int)i);
		}
		k.ip = 0x1;
		assert_int_equal(sample_dedup__add(&d, &k, 1), -ENOSPC);
		sample_dedup__reset(&d);
		assert_int_equal(sample_dedup__add(&d, &k, 1), 0);
		sample_dedup__reset(&d);
	}
	/* admission is asked for new stacks only */
	k = base_key();
	assert_int_equal(sample_dedup__add_if(&d, &k, 1, admit_none, &asked), -EAGAIN);
	assert_int_equal(asked, 1);
	assert_int_equal(sample_dedup__add(&d, &k, 1), 0);
	assert_int_equal(sample_dedup__add_if(&d, &k, 1, admit_none, &asked), 0);
	assert_int_equal(asked, 1);
	sample_dedup__exit(&d);

	/* a chain longer than any window */
	{
		struct ip_callchain *big = calloc(SAMPLE_DEDUP_MAX_WORDS + 1, sizeof(u64));

		big->nr = SAMPLE_DEDUP_MAX_WORDS;
		k.callchain = big;
		sample_dedup__init(&d, false, true);
		assert_int_equal(sample_dedup__add(&d, &k, 1), -E2BIG);
		/* half of it fits once, not twice */
		big->nr = SAMPLE_DEDUP_MAX_WORDS / 2;
		assert_int_equal(sample_dedup__add(&d, &k, 1), 0);
		big->ips[0] = 1;
		assert_int_equal(sample_dedup__add(&d, &k, 1), -ENOSPC);
		sample_dedup__exit(&d);
		free(big);
	}
	/* the sequence bounds a window too */
	sample_dedup__init(&d, false, true);
	k = base_key();
	for (u32 i = 0; i < SAMPLE_DEDUP_MAX_SEQ; i++)
		assert_int_equal(sample_dedup__add(&d, &k, 1), 0);
	assert_int_equal(sample_dedup__add(&d, &k, 1), -ENOSPC);
	sample_dedup__exit(&d);
}

static void test_disabled_env(void **state)
{
	(void)state;
	unsetenv("KVMPROF_NO_DEDUP");
	assert_false(sample_dedup__disabled());
	setenv("KVMPROF_NO_DEDUP", "0", 1);
	assert_false(sample_dedup__disabled());
	setenv("KVMPROF_NO_DEDUP", "1", 1);
	assert_true(sample_dedup__disabled());
	unsetenv("KVMPROF_NO_DEDUP");
}

/* counted appends build the same trees and totals as repeated single ones */
static struct symbol s1 = { .start = 0x100, .end = 0x200, .name = "s1" };
static struct symbol s2 = { .start = 0x200, .end = 0x300, .name = "s2" };

static void check_same_node(const struct chain_node *a, const struct chain_node *b)
{
	assert_int_equal(a->nr_val, b->nr_val);
	assert_int_equal(a->hit, b->hit);
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->children_hit, b->children_hit);
	assert_int_equal(a->children_count, b->children_count);
	assert_int_equal(a->nr_children, b->nr_children);
	for (u32 i = 0; i < a->nr_val; i++)
		assert_int_equal(a->val[i].ip, b->val[i].ip);
	for (u32 i = 0; i < a->nr_children; i++)
		check_same_node(a->children[i], b->children[i]);
}

static void test_counted_appends(void **state)
{
	const int dso = 0;
	const struct chain_entry p1[] = { { 0x150, &dso, &s1, 0 }, { 0x250, &dso, &s2, 0 } };
	const struct chain_entry p2[] = { { 0x150, &dso, &s1, 0 }, { 0x400, &dso, NULL, 0 } };
	const struct chain_entry p3[] = { { 0x160, &dso, &s1, 0 } };
	const struct chain_entry *paths[] = { p1, p2, p3, p1 };
	const u32 lens[] = { 2, 2, 1, 2 };
	const u64 counts[] = { 3, 2, 4, 1 };
	struct chain_arena *arena = chain_arena__new();
	struct chain_root *one = chain_root__new(arena), *many = chain_root__new(arena);
	struct sort_list sort;
	struct hists h1, h2;
	struct hist_key key = { .comm = "c", .dso_name = "d", .sym = &s1, .ip = 0x150,
				.level = '.' };

	(void)state;
	for (int i = 0; i < 4; i++) {
		for (u64 c = 0; c < counts[i]; c++)
			chain_root__append(arena, one, paths[i], lens[i], 10);
		chain_root__append_n(arena, many, paths[i], lens[i], 10 * counts[i], counts[i]);
	}
	check_same_node(&one->node, &many->node);
	assert_int_equal(one->max_depth, many->max_depth);
	chain_arena__delete(arena);

	sort_list__parse(&sort, "comm,dso,sym");
	hists__init(&h1, &sort, true, NULL);
	hists__init(&h2, &sort, true, NULL);
	for (int c = 0; c < 5; c++) {
		hists__add_sample(&h1, &key, 7, PERF_RECORD_MISC_KERNEL);
		hists__add_callchain_entry(&h1, &key, 7, PERF_RECORD_MISC_KERNEL);
	}
	struct hist_entry *e2 = hists__add_sample_n(&h2, &key, 35, PERF_RECORD_MISC_KERNEL, 5);

	hists__add_callchain_entry_n(&h2, &key, 35, PERF_RECORD_MISC_KERNEL, 5);
	assert_int_equal(h1.stats.nr_samples, h2.stats.nr_samples);
	assert_int_equal(h1.stats.total_period, h2.stats.total_period);
	assert_int_equal(h1.stats.nr_non_filtered_samples, h2.stats.nr_non_filtered_samples);
	assert_int_equal(e2->stat.nr_events, 5);
	assert_int_equal(e2->stat.period_sys, 35);
	assert_int_equal(e2->stat_acc.nr_events, 5);
	hists__exit(&h1);
	hists__exit(&h2);
}

/* which lookups the hists say depend on shapes */
static void test_shape_notes(void **state)
{
	struct sort_list sort;
	struct hists h;
	struct hist_key lo = { .comm = "c", .dso_name = NULL, .ip = 0x1000, .level = '.' };
	struct hist_key hi = lo, other = lo, res = lo;
	const int dso_a = 0, dso_b = 0;

	(void)state;
	hi.ip = 0xffffffff81000000ULL;
	other.comm = "d";
	res.sym = &s1;

	sort_list__parse(&sort, "comm,dso,sym");
	hists__init(&h, &sort, false, NULL);
	assert_false(hists__dedup_note_key(&h, &res, true)); /* resolved: a hash lookup */
	assert_false(hists__dedup_note_key(&h, &lo, true));
	assert_false(hists__dedup_note_key(&h, &other, true));
	assert_false(hists__dedup_note_key(&h, &lo, false));
	assert_true(hists__dedup_note_key(&h, &hi, true)); /* both halves in (c, no dso) */
	assert_false(hists__dedup_tainted(&h));
	assert_true(hists__dedup_note_key(&h, &lo, false));
	hi.comm = "d";
	hi.ip = 0x2000;
	assert_false(hists__dedup_note_key(&h, &hi, false));
	/* no trees without -g */
	assert_false(hists__dedup_note_frame(&h, &dso_a, true, 0, true));
	hists__exit(&h);

	/* without a dso key before sym, any unresolved key taints the hists */
	sort_list__parse(&sort, "sym");
	hists__init(&h, &sort, false, NULL);
	assert_false(hists__dedup_note_key(&h, &res, true));
	assert_false(hists__dedup_note_key(&h, &lo, false));
	assert_false(hists__dedup_tainted(&h));
	assert_true(hists__dedup_note_key(&h, &lo, true));
	assert_true(hists__dedup_note_key(&h, &res, false));
	assert_true(hists__dedup_tainted(&h));
	hists__exit(&h);

	/* no sym key: no walks */
	sort_list__parse(&sort, "comm,dso");
	hists__init(&h, &sort, false, NULL);
	assert_false(hists__dedup_note_key(&h, &lo, true));
	assert_false(hists__dedup_note_key(&h, &hi, true));
	/* trees: a DSO with and without symbols, at two bases */
	hists__enable_callchain(&h, ORDER_CALLEE);
	assert_false(hists__dedup_note_frame(&h, &dso_a, true, 0x1000, true));
	assert_false(hists__dedup_note_frame(&h, &dso_a, false, 0x1000, true));
	assert_false(hists__dedup_note_frame(&h, &dso_b, true, 0x1000, true));
	assert_false(hists__dedup_note_frame(&h, &dso_b, true, 0x5000, true));
	assert_false(hists__dedup_note_frame(&h, NULL, false, 0, true));
	assert_true(hists__dedup_note_frame(&h, &dso_a, true, 0x9000, true));
	assert_true(hists__dedup_note_frame(&h, &dso_a, true, 0x1000, false));
	assert_false(hists__dedup_note_frame(&h, &dso_b, true, 0x1000, false));
	hists__exit(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_keep_apart),
		cmocka_unit_test(test_order_seq_and_sample),
		cmocka_unit_test(test_growth_limits_and_admit),
		cmocka_unit_test(test_disabled_env),
		cmocka_unit_test(test_counted_appends),
		cmocka_unit_test(test_shape_notes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
