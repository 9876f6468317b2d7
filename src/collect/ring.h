/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ring.h - per-CPU perf ring buffers: map, read records in place, consume.
 *
 * One struct kp_ring per mmap'ed event fd (normally one per CPU; other events
 * on the same CPU are redirected into it with PERF_EVENT_IOC_SET_OUTPUT).
 * The reading protocol is the kernel's (include/uapi/linux/perf_event.h):
 *
 *	if (kp_ring__read_init(ring) == 0) {
 *		while ((ev = kp_ring__read_event(ring)) != NULL)
 *			use(ev);	// valid until the next read_event/consume
 *		kp_ring__consume(ring);	// hand the space back to the kernel
 *	}
 *
 * read_init() snapshots data_head (with an acquire barrier); read_event()
 * returns a pointer into the mapping, or - when a record wraps around the end
 * of the buffer - into the ring's private copy buffer; consume() publishes
 * data_tail (release barrier).  A record whose size field is smaller than a
 * header or larger than the data available is corruption: read_event() stops
 * and sets ring->corrupt; kp_ring__consume() then drops the rest.
 *
 * kp_ring__drain() is the live half of the event pipeline (the file half is
 * data/reader.h): it decodes every record of one ring and calls the same
 * struct perf_tool callbacks the reader does (without time ordering).
 *
 * Dry run (collect/evopen.h, KVMPROF_ATTR_DRYRUN=1): kp_ring__mmap() maps
 * anonymous zeroed memory instead, so the ring always reads empty.
 *
 * Ownership: the ring owns its mapping and copy buffer (kp_ring__munmap()
 * frees both); it does not own or close the fd.
 */
#ifndef KP_COLLECT_RING_H
#define KP_COLLECT_RING_H

#include "data/event.h"

struct perf_tool;
struct evlist;

struct kp_ring {
	int fd;
	int cpu; /* -1 for a per-thread ring */
	void *base; /* control page followed by the data pages; NULL if unmapped */
	size_t mmap_len;
	u8 *data; /* first data byte */
	u64 mask; /* data size - 1 (data size is a power of two) */
	u64 start; /* read position (bytes, not wrapped) */
	u64 end; /* data_head snapshot */
	bool corrupt;
	u64 nr_wrapped; /* records copied out because they straddled the end */
	u64 nr_read; /* records returned by read_event */
	u64 bytes_read;
	u8 *copy; /* 64 KiB: the largest record */
};

/** kp_ring__default_pages - perf's default: 512 KiB of data per ring (128 pages of 4 KiB). */
unsigned int kp_ring__default_pages(void);

/**
 * kp_ring__mmap - map @pages data pages (a power of two) plus the control page
 * of event @fd for reading.  Returns 0 or -errno (-EPERM/-ENOMEM when the
 * locked-memory limit kernel.perf_event_mlock_kb is exceeded, with a kp_error()
 * detail saying to use a smaller -m).
 */
int kp_ring__mmap(struct kp_ring *ring, int fd, int cpu, unsigned int pages);

/** kp_ring__munmap - unmap and free; safe on a zeroed or already unmapped ring. */
void kp_ring__munmap(struct kp_ring *ring);

/** kp_ring__read_init - snapshot the head; returns 0, or -EAGAIN if there is nothing new. */
int kp_ring__read_init(struct kp_ring *ring);

/**
 * kp_ring__read_event - the next record in the window, or NULL at its end (or
 * on corruption).  The record is borrowed: valid until the next call or
 * kp_ring__consume().  Its header.size is always >= 8 and a multiple of 8.
 */
union perf_event *kp_ring__read_event(struct kp_ring *ring);

/** kp_ring__consume - give everything read so far back to the kernel. */
void kp_ring__consume(struct kp_ring *ring);

/** kp_ring__empty - true if the kernel has written nothing that was not consumed. */
bool kp_ring__empty(struct kp_ring *ring);

/**
 * kp_ring__drain - read everything available in @ring, find each record's
 * event in @evlist (evlist__event2evsel), parse samples and sample_id
 * trailers, and call @tool's callbacks by record type (sample, mmap, mmap2,
 * comm, fork, exit, lost, lost_samples, throttle, unthrottle, ksymbol,
 * context_switch, other); NULL callbacks are skipped.  Consumes what it read.
 * Returns the number of records read, or the first negative callback value
 * (the ring is still consumed) or KP_ERR_BAD_RECORD on corruption.
 */
int kp_ring__drain(struct kp_ring *ring, struct evlist *evlist, struct perf_tool *tool);

#endif
