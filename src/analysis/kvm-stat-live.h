/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-stat-live.h - time ordering for `stat live` in streaming mode.
 *
 * Each CPU's ring is in time order, but a vCPU thread that migrates leaves its
 * begin in one ring and its end in another, and the pairing model needs the
 * events of a thread in time order.  Decoded events (copied out of the rings,
 * 48 bytes each) are queued, and a flush sorts the queue by time (stable:
 * equal times keep their arrival order) and hands over the events up to a
 * watermark: everything older than the moment the rings were last read minus
 * a small slack, or everything at the end.  An event older than one already
 * handed over is still processed and counted in nr_late.
 *
 * Ownership: the queue owns its array; kvm_stat_queue__exit() frees it.
 */
#ifndef KP_ANALYSIS_KVM_STAT_LIVE_H
#define KP_ANALYSIS_KVM_STAT_LIVE_H

#include "analysis/kvm-stat.h"

struct kvm_stat_qent {
	struct kvm_stat_event ev;
	u64 seq;
};

struct kvm_stat_queue {
	struct kvm_stat_qent *ents;
	size_t nr, alloc;
	u64 seq;
	u64 last_time; /* time of the last event handed over */
	u64 nr_late;
};

typedef void (*kvm_stat_queue_fn)(void *arg, const struct kvm_stat_event *ev);

/** kvm_stat_queue__push - copy @ev into the queue. */
void kvm_stat_queue__push(struct kvm_stat_queue *q, const struct kvm_stat_event *ev);

/**
 * kvm_stat_queue__flush - hand every queued event with time <= @upto to @fn
 * in time order (UINT64_MAX: all); returns how many.
 */
size_t kvm_stat_queue__flush(struct kvm_stat_queue *q, u64 upto, kvm_stat_queue_fn fn, void *arg);

/** kvm_stat_queue__exit - free the queue's memory. */
void kvm_stat_queue__exit(struct kvm_stat_queue *q);

#endif
