// SPDX-License-Identifier: GPL-2.0
/*
 * The time-ordering queue of stat live (analysis/kvm-stat-live.h): events
 * from several rings come out in time order, equal times in arrival order, up
 * to the watermark only; an event older than one already handed over is still
 * handed over and counted as late.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "analysis/kvm-stat-live.h"
#include "util/util.h"

struct seen {
	u64 time[64];
	u64 tag[64]; /* the event's .a: which push it was */
	int nr;
};

static void collect(void *arg, const struct kvm_stat_event *ev)
{
	struct seen *s = arg;

	assert_true(s->nr < 64);
	s->time[s->nr] = ev->time;
	s->tag[s->nr] = ev->a;
	s->nr++;
}

static void push(struct kvm_stat_queue *q, u64 time, u64 tag)
{
	struct kvm_stat_event ev = { .kind = KVM_TP_PIO, .pid = 7, .tid = 8, .time = time, .a = tag };

	kvm_stat_queue__push(q, &ev);
}

static void test_order_and_watermark(void **state)
{
	struct kvm_stat_queue q = { 0 };
	struct seen s = { .nr = 0 };

	/* two rings' worth, interleaved: 30 and 10 from one, 20 and 10 from another */
	push(&q, 30, 1);
	push(&q, 10, 2);
	push(&q, 20, 3);
	push(&q, 10, 4);
	assert_int_equal(kvm_stat_queue__flush(&q, 20, collect, &s), 3);
	assert_int_equal(s.nr, 3);
	assert_int_equal(s.time[0], 10);
	assert_int_equal(s.tag[0], 2); /* equal times: arrival order */
	assert_int_equal(s.time[1], 10);
	assert_int_equal(s.tag[1], 4);
	assert_int_equal(s.time[2], 20);
	assert_int_equal(s.tag[2], 3);
	/* 30 is above the watermark: it waits */
	assert_int_equal(q.nr, 1);
	assert_int_equal(q.last_time, 20);
	assert_int_equal(kvm_stat_queue__flush(&q, 29, collect, &s), 0);
	assert_int_equal(s.nr, 3);
	assert_int_equal(kvm_stat_queue__flush(&q, UINT64_MAX, collect, &s), 1);
	assert_int_equal(s.time[3], 30);
	assert_int_equal(s.tag[3], 1);
	assert_int_equal(q.nr, 0);
	assert_int_equal(q.nr_late, 0);
	/* an empty queue hands nothing over */
	assert_int_equal(kvm_stat_queue__flush(&q, UINT64_MAX, collect, &s), 0);
	kvm_stat_queue__exit(&q);
	assert_null(q.ents);
	assert_int_equal(q.nr, 0);
}

static void test_late_event(void **state)
{
	struct kvm_stat_queue q = { 0 };
	struct seen s = { .nr = 0 };

	push(&q, 100, 1);
	assert_int_equal(kvm_stat_queue__flush(&q, 100, collect, &s), 1);
	/* a straggler from a ring read after the watermark passed it */
	push(&q, 150, 2);
	push(&q, 50, 3);
	assert_int_equal(kvm_stat_queue__flush(&q, UINT64_MAX, collect, &s), 2);
	assert_int_equal(s.nr, 3);
	assert_int_equal(s.tag[1], 3); /* still processed, first of this flush */
	assert_int_equal(s.time[1], 50);
	assert_int_equal(s.tag[2], 2);
	assert_int_equal(q.nr_late, 1);
	/* the late event does not move the clock back */
	assert_int_equal(q.last_time, 150);
	kvm_stat_queue__exit(&q);
}

static void test_stable_many(void **state)
{
	struct kvm_stat_queue q = { 0 };
	struct seen s = { .nr = 0 };

	/* qsort is not stable by itself: 60 equal times must keep their order */
	for (u64 i = 0; i < 60; i++)
		push(&q, i % 2 ? 5 : 7, i);
	assert_int_equal(kvm_stat_queue__flush(&q, UINT64_MAX, collect, &s), 60);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(s.time[i], 5);
		assert_int_equal(s.tag[i], 2 * i + 1);
		assert_int_equal(s.time[30 + i], 7);
		assert_int_equal(s.tag[30 + i], 2 * i);
	}
	assert_int_equal(q.nr_late, 0);
	kvm_stat_queue__exit(&q);
}

static void test_events_copied(void **state)
{
	struct kvm_stat_queue q = { 0 };
	struct seen s = { .nr = 0 };
	struct kvm_stat_event ev = { .kind = KVM_TP_MMIO, .pid = 1, .tid = 2, .time = 9, .a = 42 };

	/* the queue copies: the caller's buffer (a ring) may be reused at once */
	kvm_stat_queue__push(&q, &ev);
	ev.a = 99;
	ev.time = 1;
	assert_int_equal(kvm_stat_queue__flush(&q, UINT64_MAX, collect, &s), 1);
	assert_int_equal(s.tag[0], 42);
	assert_int_equal(s.time[0], 9);
	kvm_stat_queue__exit(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_watermark),
		cmocka_unit_test(test_late_event),
		cmocka_unit_test(test_stable_many),
		cmocka_unit_test(test_events_copied),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
