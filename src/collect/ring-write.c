// SPDX-License-Identifier: GPL-2.0
/*
 * ring-write.c - rings into a perf.data file (see ring-write.h).
 */
#include "collect/ring-write.h"
#include "data/writer.h"
#include "util/util.h"

int kp_ring_writer__write(struct kp_ring_writer *rw, const void *ev, size_t size)
{
	if (!rw->err)
		rw->err = perf_writer__write(rw->w, ev, size);
	return rw->err;
}

int kp_ring_writer__emit(void *arg, const union perf_event *ev)
{
	return kp_ring_writer__write(arg, ev, ev->header.size);
}

u64 kp_ring_writer__drain(struct kp_ring_writer *rw, struct kp_ring *rings, int nr)
{
	static const struct perf_event_header round = { .type = PERF_RECORD_FINISHED_ROUND,
							 .size = sizeof(round) };
	u64 n = 0;

	for (int r = 0; r < nr; r++) {
		struct kp_ring *ring = &rings[r];
		union perf_event *ev;

		if (kp_ring__read_init(ring) < 0) {
			if (ring->corrupt) {
				pr_warning("ring buffer of %s %d is corrupt; dropping its contents",
					   ring->cpu >= 0 ? "CPU" : "thread", ring->cpu);
				kp_ring__consume(ring);
			}
			continue;
		}
		while ((ev = kp_ring__read_event(ring)) != NULL) {
			if (rw->note)
				rw->note(rw->arg, ev);
			/* a full disk stops writing, but the rings are still emptied */
			kp_ring_writer__write(rw, ev, ev->header.size);
			n++;
		}
		kp_ring__consume(ring);
	}
	if (n)
		kp_ring_writer__write(rw, &round, sizeof(round));
	rw->nr_records += n;
	return n;
}
