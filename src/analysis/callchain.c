// SPDX-License-Identifier: GPL-2.0
/*
 * callchain.c - callchain walking with context markers (see callchain.h).
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/callchain.h"
#include "util/util.h"

u8 callchain_marker__cpumode(u64 marker)
{
	switch (marker) {
	case KP_CONTEXT_HV:
		return PERF_RECORD_MISC_HYPERVISOR;
	case KP_CONTEXT_KERNEL:
		return PERF_RECORD_MISC_KERNEL;
	case KP_CONTEXT_USER:
		return PERF_RECORD_MISC_USER;
	case KP_CONTEXT_GUEST_KERNEL:
		return PERF_RECORD_MISC_GUEST_KERNEL;
	case KP_CONTEXT_GUEST_USER:
		return PERF_RECORD_MISC_GUEST_USER;
	default:
		/* GUEST, USER_DEFERRED and anything unknown: perf drops the chain */
		return 0;
	}
}

void callchain_walk__init(struct callchain_walk *w, const struct ip_callchain *chain,
			  unsigned int max_stack)
{
	unsigned int n = 0;

	memset(w, 0, sizeof(*w));
	w->max_stack = max_stack ? max_stack : CALLCHAIN_MAX_STACK;
	w->cpumode = PERF_RECORD_MISC_USER;
	if (!chain)
		return;
	w->ips = chain->ips;
	w->nr = chain->nr;

	/*
	 * perf resets its cursor when it meets a bad marker, discarding frames
	 * it already added; look ahead over exactly the entries it would visit.
	 */
	for (u64 i = 0; i < w->nr && n < w->max_stack; i++) {
		u64 ip = w->ips[i];

		if (ip < KP_CONTEXT_MAX) {
			n++;
			continue;
		}
		if (!callchain_marker__cpumode(ip)) {
			w->invalid = true;
			w->bad_marker = ip;
			pr_debug2("invalid callchain context: %lld", (long long)(s64)ip);
			return;
		}
	}
}

bool callchain_walk__next(struct callchain_walk *w, u64 *ip, u8 *cpumode)
{
	if (w->invalid)
		return false;
	while (w->pos < w->nr && w->nr_entries < w->max_stack) {
		u64 v = w->ips[w->pos++];

		if (v >= KP_CONTEXT_MAX) {
			w->cpumode = callchain_marker__cpumode(v);
			continue;
		}
		w->nr_entries++;
		*ip = v;
		*cpumode = w->cpumode;
		return true;
	}
	return false;
}

void callchain_iter__init(struct callchain_iter *it, struct machines *machines,
			  const struct perf_sample *sample, const struct addr_location *root,
			  unsigned int max_stack)
{
	memset(it, 0, sizeof(*it));
	callchain_walk__init(&it->walk, sample->callchain, max_stack);
	it->machines = machines;
	it->sample = sample;
	it->machine = root->machine;
	it->thread = root->thread;
}

static bool cpumode_is_guest(u8 cpumode)
{
	return cpumode == PERF_RECORD_MISC_GUEST_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_USER;
}

void callchain_cache__init(struct callchain_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->entries = xcalloc((size_t)1 << CALLCHAIN_CACHE_BITS, sizeof(*c->entries));
	c->gen = 1;
}

void callchain_cache__exit(struct callchain_cache *c)
{
	free(c->entries);
	memset(c, 0, sizeof(*c));
}

static void resolve_cached(struct callchain_iter *it, struct machine *machine,
			   struct thread *thread, u8 cpumode, u64 ip, struct addr_location *al)
{
	struct callchain_cache *c = it->cache;
	struct callchain_cache_entry *e;
	u64 h;

	if (!c) {
		machines__resolve_ip(it->machines, machine, thread, cpumode, ip, al);
		return;
	}
	h = (ip ^ (ip >> 17) ^ ((uintptr_t)thread >> 4) ^ cpumode) * 0x9e3779b97f4a7c15ULL;
	e = &c->entries[h >> (64 - CALLCHAIN_CACHE_BITS)];
	if (e->gen == c->gen && e->ip == ip && e->thread == thread && e->machine == machine &&
	    e->cpumode == cpumode) {
		c->hits++;
		*al = e->al;
		return;
	}
	c->misses++;
	machines__resolve_ip(it->machines, machine, thread, cpumode, ip, al);
	e->gen = c->gen;
	e->ip = ip;
	e->thread = thread;
	e->machine = machine;
	e->cpumode = cpumode;
	e->al = *al;
}

bool callchain_iter__next(struct callchain_iter *it, struct callchain_frame *frame)
{
	u64 ip;
	u8 cpumode;

	if (!callchain_walk__next(&it->walk, &ip, &cpumode))
		return false;
	frame->ip = ip;
	frame->cpumode = cpumode;

	if (cpumode_is_guest(cpumode) && it->machine && machine__is_host(it->machine)) {
		/*
		 * A guest section in a host sample's chain: the host thread's
		 * maps mean nothing there.  Resolve the first guest frame as if
		 * it were a guest sample of the same pid (that selects the guest
		 * machine and its thread), then reuse them.
		 */
		if (!it->guest_looked_up) {
			struct perf_sample gs = *it->sample;

			gs.ip = ip;
			gs.cpumode = cpumode;
			gs.misc = (u16)((gs.misc & ~PERF_RECORD_MISC_CPUMODE_MASK) | cpumode);
			gs.callchain = NULL;
			machines__resolve(it->machines, &gs, &frame->al);
			it->guest = frame->al.machine;
			it->guest_thread = frame->al.thread;
			it->guest_looked_up = true;
			return true;
		}
		if (it->guest) {
			resolve_cached(it, it->guest, it->guest_thread, cpumode, ip, &frame->al);
			return true;
		}
	}
	resolve_cached(it, it->machine, it->thread, cpumode, ip, &frame->al);
	return true;
}
