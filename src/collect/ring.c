// SPDX-License-Identifier: GPL-2.0
/*
 * ring.c - reading the kernel's perf ring buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "collect/evopen.h"
#include "collect/ring.h"
#include "util/util.h"

#define RING_COPY_SIZE 65536

unsigned int kp_ring__default_pages(void)
{
	struct strbuf sb = STRBUF_INIT;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long kb = 516, pages;
	unsigned int p2 = 1;

	if (strbuf_read_file(&sb, "/proc/sys/kernel/perf_event_mlock_kb", 64) > 0)
		kb = strtoul(sb.buf, NULL, 10);
	strbuf_release(&sb);
	if (kb < 516)
		kb = 516; /* perf's own minimum; root is not limited anyway */
	if (page <= 0)
		page = 4096;
	pages = kb * 1024 / (unsigned long)page - 1; /* minus the control page */
	while ((unsigned long)p2 * 2 <= pages && p2 < (1u << 20))
		p2 *= 2;
	return p2;
}

int kp_ring__mmap(struct kp_ring *ring, int fd, int cpu, unsigned int pages)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len;
	void *base;

	memset(ring, 0, sizeof(*ring));
	ring->fd = fd;
	ring->cpu = cpu;
	if (!pages || (pages & (pages - 1)))
		return kp_error(-EINVAL, "ring buffer size must be a power of two pages, not %u",
				pages);
	len = ((size_t)pages + 1) * (size_t)page;
	if (kp_event_dryrun())
		base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		int err = -errno;

		if (err == -EPERM || err == -ENOMEM)
			return kp_error(err,
					"cannot map a %u-page ring buffer for CPU %d: %s (locked memory "
					"limit, see kernel.perf_event_mlock_kb); use a smaller -m",
					pages, cpu, strerror(-err));
		return kp_error(err, "cannot map the ring buffer for CPU %d: %s", cpu,
				strerror(-err));
	}
	ring->base = base;
	ring->mmap_len = len;
	ring->data = (u8 *)base + page;
	ring->mask = (u64)pages * (u64)page - 1;
	ring->copy = xmalloc(RING_COPY_SIZE);
	return 0;
}

void kp_ring__munmap(struct kp_ring *ring)
{
	if (ring->base)
		munmap(ring->base, ring->mmap_len);
	ring->base = NULL;
	free(ring->copy);
	ring->copy = NULL;
}

static inline u64 ring_head(struct kp_ring *ring)
{
	struct perf_event_mmap_page *pc = ring->base;

	return __atomic_load_n(&pc->data_head, __ATOMIC_ACQUIRE);
}

static inline u64 ring_tail(struct kp_ring *ring)
{
	struct perf_event_mmap_page *pc = ring->base;

	return __atomic_load_n(&pc->data_tail, __ATOMIC_RELAXED);
}

bool kp_ring__empty(struct kp_ring *ring)
{
	if (!ring->base)
		return true;
	return ring_head(ring) == ring_tail(ring);
}

int kp_ring__read_init(struct kp_ring *ring)
{
	if (!ring->base)
		return -EAGAIN;
	ring->start = ring_tail(ring);
	ring->end = ring_head(ring);
	ring->corrupt = false;
	if (ring->end == ring->start)
		return -EAGAIN;
	/* the kernel never lets head run more than a buffer ahead of tail */
	if (ring->end - ring->start > ring->mask + 1) {
		ring->corrupt = true;
		return -EAGAIN;
	}
	return 0;
}

union perf_event *kp_ring__read_event(struct kp_ring *ring)
{
	struct perf_event_header hdr;
	u64 avail = ring->end - ring->start;
	u64 off = ring->start & ring->mask;
	u64 size = ring->mask + 1;
	union perf_event *ev;

	if (ring->corrupt || avail < sizeof(hdr))
		return NULL;
	/* the header itself is 8-aligned and never wraps; records are 8-aligned */
	memcpy(&hdr, ring->data + off, sizeof(hdr));
	if (hdr.size < sizeof(hdr) || (hdr.size & 7) || hdr.size > avail) {
		ring->corrupt = true;
		return NULL;
	}
	if (off + hdr.size > size) {
		u64 first = size - off;

		memcpy(ring->copy, ring->data + off, first);
		memcpy(ring->copy + first, ring->data, hdr.size - first);
		ev = (union perf_event *)ring->copy;
		ring->nr_wrapped++;
	} else {
		ev = (union perf_event *)(ring->data + off);
	}
	ring->start += hdr.size;
	ring->nr_read++;
	ring->bytes_read += hdr.size;
	return ev;
}

void kp_ring__consume(struct kp_ring *ring)
{
	struct perf_event_mmap_page *pc = ring->base;

	if (!pc)
		return;
	/* on corruption give the whole window back: there is no way to resync */
	__atomic_store_n(&pc->data_tail, ring->corrupt ? ring->end : ring->start,
			 __ATOMIC_RELEASE);
}
