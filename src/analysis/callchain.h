/* SPDX-License-Identifier: GPL-2.0 */
/*
 * callchain.h - walk a sample's callchain frame by frame, the way perf does.
 *
 * A PERF_SAMPLE_CALLCHAIN array mixes addresses with context markers
 * (PERF_CONTEXT_*): a marker switches the cpumode used to resolve the
 * addresses that follow it.  perf 6.1 knows HV, KERNEL and USER; kvmprof
 * also accepts GUEST_KERNEL and GUEST_USER, as the unmerged "perf: KVM:
 * Enable callchains for guests" series (patch 5) does, and resolves those
 * frames on the sample's guest machine ([g] / [u] frames).  Any other marker
 * (plain GUEST, USER_DEFERRED, unknown values) makes the whole chain invalid:
 * perf discards it and so do we (the sample then has no frames).
 *
 * The walk starts in USER mode, goes callee first (leaf to root) and stops
 * after @max_stack addresses (markers do not count), as perf script's
 * default --max-stack of 127 does.
 *
 * Two levels, both allocation-free and embedded by the caller:
 *  - struct callchain_walk yields (ip, cpumode) pairs and needs nothing but
 *    the array (unit-testable, usable by code that only counts modes);
 *  - struct callchain_iter adds resolution through the machine layer and
 *    yields struct addr_location per frame (report -g, script, folded).
 * Nothing is owned: the chain belongs to the sample (valid during the tool
 * callback), machines and threads to struct machines.
 */
#ifndef KP_ANALYSIS_CALLCHAIN_H
#define KP_ANALYSIS_CALLCHAIN_H

#include "data/sample.h"
#include "machine/machine.h"

/* perf script's default --max-stack (PERF_MAX_STACK_DEPTH) */
#define CALLCHAIN_MAX_STACK 127

struct callchain_walk {
	const u64 *ips;
	u64 nr;
	u64 pos;
	unsigned int max_stack;
	unsigned int nr_entries; /* addresses yielded so far */
	u8 cpumode; /* mode for the next address */
	bool invalid; /* a marker perf rejects: no frames */
	u64 bad_marker; /* the first such marker, when invalid */
};

/**
 * callchain_marker__cpumode - the cpumode a context marker switches to, or 0
 * when @marker is a marker the walk rejects (GUEST, USER_DEFERRED, unknown).
 */
u8 callchain_marker__cpumode(u64 marker);

/**
 * callchain_walk__init - prepare a walk of @chain (may be NULL: no frames).
 * Scans the part of the chain the walk will visit for rejected markers first,
 * so that an invalid chain yields nothing at all (perf resets its cursor).
 * @max_stack: at most this many addresses (0 means CALLCHAIN_MAX_STACK).
 */
void callchain_walk__init(struct callchain_walk *w, const struct ip_callchain *chain,
			  unsigned int max_stack);

/**
 * callchain_walk__next - the next address and the cpumode it is in.
 * Returns true with *ip and *cpumode set, false at the end.
 */
bool callchain_walk__next(struct callchain_walk *w, u64 *ip, u8 *cpumode);

struct callchain_frame {
	u64 ip; /* the address as recorded */
	u8 cpumode; /* mode it was resolved in (PERF_RECORD_MISC_*) */
	struct addr_location al; /* resolution; al.map/al.sym NULL when unknown */
};

/*
 * A direct-mapped cache of frame resolutions: callchains repeat the same
 * addresses over and over, and a map + symbol lookup costs far more than a
 * hash probe.  Entries are keyed by (machine, thread, cpumode, ip) and are
 * valid for one generation: the owner must call callchain_cache__invalidate()
 * whenever the machines change (every MMAP, COMM, FORK, EXIT, KSYMBOL ...),
 * since the borrowed map/symbol pointers may then go away.
 */
#define CALLCHAIN_CACHE_BITS 13

struct callchain_cache_entry {
	u64 ip;
	const struct machine *machine;
	const struct thread *thread;
	u32 gen;
	u8 cpumode;
	struct addr_location al;
};

struct callchain_cache {
	struct callchain_cache_entry *entries; /* 1 << CALLCHAIN_CACHE_BITS */
	u32 gen;
	u64 hits, misses;
};

/** callchain_cache__init - allocate an empty cache (freed by callchain_cache__exit()). */
void callchain_cache__init(struct callchain_cache *c);
/** callchain_cache__exit - free the entries; the struct may be re-initialised. */
void callchain_cache__exit(struct callchain_cache *c);

/** callchain_cache__invalidate - forget every entry (O(1)). */
static inline void callchain_cache__invalidate(struct callchain_cache *c)
{
	if (c && ++c->gen == 0) {
		/* wrapped: entries of generation 0 would look valid again */
		c->gen = 1;
		for (u32 i = 0; i < (1u << CALLCHAIN_CACHE_BITS); i++)
			c->entries[i].gen = 0;
	}
}

struct callchain_iter {
	struct callchain_walk walk;
	struct callchain_cache *cache; /* may be NULL */
	struct machines *machines;
	const struct perf_sample *sample;
	struct machine *machine; /* the sample's machine and thread (root_al) */
	struct thread *thread;
	struct machine *guest; /* guest machine/thread for guest frames of host samples */
	struct thread *guest_thread;
	bool guest_looked_up;
};

/**
 * callchain_iter__init - walk @sample's callchain, resolving frames against
 * @machines.  @root is the sample's own resolution (machines__resolve()): its
 * machine and thread resolve host-mode frames, and guest-mode frames when the
 * sample is itself a guest sample.  Guest-mode frames of a host sample are
 * resolved on the guest machine the sample's pid selects (perf's
 * machines__find_for_cpumode() rule).
 */
void callchain_iter__init(struct callchain_iter *it, struct machines *machines,
			  const struct perf_sample *sample, const struct addr_location *root,
			  unsigned int max_stack);

/**
 * callchain_iter__set_cache - resolve through @cache (NULL: no caching).
 * Call after callchain_iter__init().
 */
static inline void callchain_iter__set_cache(struct callchain_iter *it,
					     struct callchain_cache *cache)
{
	it->cache = cache;
}

/**
 * callchain_iter__next - resolve the next frame into @frame.
 * Returns true with @frame filled, false at the end of the chain.
 */
bool callchain_iter__next(struct callchain_iter *it, struct callchain_frame *frame);

/** callchain_iter__invalid - true if the chain was discarded for a rejected marker. */
static inline bool callchain_iter__invalid(const struct callchain_iter *it)
{
	return it->walk.invalid;
}

/**
 * callchain_frame__print_addr - the address perf script prints for a frame:
 * the map-relative address when the frame has a map, else the raw address.
 */
static inline u64 callchain_frame__print_addr(const struct callchain_frame *frame)
{
	return frame->al.map ? frame->al.addr : frame->ip;
}

#endif
