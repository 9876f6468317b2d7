// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-stat-live.c - the time-ordering queue of stat live (see kvm-stat-live.h).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/kvm-stat-live.h"
#include "util/util.h"

void kvm_stat_queue__push(struct kvm_stat_queue *q, const struct kvm_stat_event *ev)
{
	ALLOC_GROW(q->ents, q->nr + 1, q->alloc);
	q->ents[q->nr].ev = *ev;
	q->ents[q->nr].seq = q->seq++;
	q->nr++;
}

static int cmp_qent(const void *pa, const void *pb)
{
	const struct kvm_stat_qent *a = pa, *b = pb;

	if (a->ev.time != b->ev.time)
		return a->ev.time < b->ev.time ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

size_t kvm_stat_queue__flush(struct kvm_stat_queue *q, u64 upto, kvm_stat_queue_fn fn, void *arg)
{
	size_t i;

	if (!q->nr)
		return 0;
	qsort(q->ents, q->nr, sizeof(*q->ents), cmp_qent);
	for (i = 0; i < q->nr && q->ents[i].ev.time <= upto; i++) {
		const struct kvm_stat_event *ev = &q->ents[i].ev;

		if (ev->time < q->last_time)
			q->nr_late++;
		else
			q->last_time = ev->time;
		fn(arg, ev);
	}
	memmove(q->ents, q->ents + i, (q->nr - i) * sizeof(*q->ents));
	q->nr -= i;
	return i;
}

void kvm_stat_queue__exit(struct kvm_stat_queue *q)
{
	free(q->ents);
	memset(q, 0, sizeof(*q));
}
