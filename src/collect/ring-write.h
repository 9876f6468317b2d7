/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ring-write.h - copy the records of the rings into a perf.data file: the
 * recording loop that record and stat record share.
 *
 *	struct kp_ring_writer out = { .w = w, .note = note, .arg = arg };
 *
 *	kp_ring_writer__write(&out, ev, size);		// synthesized records
 *	while (recording)
 *		kp_ring_writer__drain(&out, rings, nr_rings);
 *	if (out.err)					// ENOSPC, EIO: stop, keep the file
 *		...
 *
 * A write error is sticky: the first one is kept in @err (with its detail
 * message) and returned by every later write, and nothing more is written,
 * but the rings are still read and consumed so that the kernel never stalls
 * on a full ring while the caller winds down.  Each pass that copied records
 * ends with a PERF_RECORD_FINISHED_ROUND, the ordering barrier perf record
 * writes (the writer hands each complete round to the kernel, so that a
 * killed recorder leaves every finished round readable).
 *
 * Ownership: the writer and the rings are borrowed.
 */
#ifndef KP_COLLECT_RING_WRITE_H
#define KP_COLLECT_RING_WRITE_H

#include "collect/ring.h"

struct perf_writer;

struct kp_ring_writer {
	struct perf_writer *w; /* borrowed */
	int err; /* the first write error (sticky); 0 while every write succeeded */
	u64 nr_records; /* records copied from the rings */
	/* sees every ring record before it is written; may be NULL */
	void (*note)(void *arg, const union perf_event *ev);
	void *arg;
};

/**
 * kp_ring_writer__write - append one record of @size bytes to the file, unless
 * an earlier write failed.  Returns 0 or the (first) write error.
 */
int kp_ring_writer__write(struct kp_ring_writer *rw, const void *ev, size_t size);

/**
 * kp_ring_writer__emit - kp_ring_writer__write() of @ev in the shape of a
 * synthesis callback (collect/synth.h): @arg is the struct kp_ring_writer.
 */
int kp_ring_writer__emit(void *arg, const union perf_event *ev);

/**
 * kp_ring_writer__drain - one pass over @nr rings: hand every record to
 * @rw->note, write it, consume the ring; a corrupt ring is reported and its
 * contents dropped.  A pass that found records ends with a FINISHED_ROUND.
 * Returns the number of records found (also added to @rw->nr_records); they
 * are found and consumed even after a write error.
 */
u64 kp_ring_writer__drain(struct kp_ring_writer *rw, struct kp_ring *rings, int nr);

#endif
