// SPDX-License-Identifier: GPL-2.0
/*
 * sample-dedup.c - the window table of distinct raw stacks (see
 * sample-dedup.h for why replaying them once each is exact).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/hash.h"
#include "util/util.h"
#include "analysis/callchain.h"
#include "analysis/sample-dedup.h"

/* slots start few (a window's stacks stay in the cache) and double at half load */
#define MIN_SLOTS 1024u
#define MAX_SLOTS (2 * SAMPLE_DEDUP_MAX_STACKS)

bool sample_dedup__disabled(void)
{
	const char *v = getenv("KVMPROF_NO_DEDUP");

	return v && *v && strcmp(v, "0");
}

void sample_dedup__init(struct sample_dedup *d, bool match_cpu, bool record_seq)
{
	memset(d, 0, sizeof(*d));
	d->nr_slots = MIN_SLOTS;
	d->slots = xcalloc(d->nr_slots, sizeof(*d->slots));
	d->gen = 1;
	d->match_cpu = match_cpu;
	d->record_seq = record_seq;
}

void sample_dedup__exit(struct sample_dedup *d)
{
	free(d->stacks);
	free(d->words);
	free(d->slots);
	free(d->seq);
	free(d->seq_period);
	free(d->kernel_loaded);
	memset(d, 0, sizeof(*d));
}

void sample_dedup__reset(struct sample_dedup *d)
{
	d->nr_flushed_stacks += d->nr_stacks;
	d->nr_stacks = 0;
	d->nr_words = 0;
	d->nr_seq = 0;
	if (++d->gen == 0) {
		/* wrapped: slots of generation 0 would look valid again */
		memset(d->slots, 0, d->nr_slots * sizeof(*d->slots));
		d->gen = 1;
	}
}

static u64 key__hash(const struct sample_dedup *d, const struct sample_dedup_key *k)
{
	u64 h = kp_hash_word(0, ((u64)k->idx << 16) | k->misc);

	h = kp_hash_word(h, ((u64)k->pid << 32) | k->tid);
	if (d->match_cpu)
		h = kp_hash_word(h, k->cpu);
	h = kp_hash_word(h, k->ip);
	if (k->callchain)
		h = kp_hash_words(kp_hash_word(h, k->callchain->nr), k->callchain->ips,
				  k->callchain->nr);
	else
		h = kp_hash_word(h, ~0ULL);
	return kp_hash_final(h);
}

static bool stack__equal(const struct sample_dedup *d, const struct sample_dedup_stack *s,
			 const struct sample_dedup_key *k, u64 hash)
{
	const u64 *w;

	if (s->hash != hash || s->ip != k->ip || s->pid != k->pid || s->tid != k->tid ||
	    s->idx != k->idx || s->misc != k->misc || s->has_chain != !!k->callchain ||
	    (d->match_cpu && s->cpu != k->cpu))
		return false;
	if (!k->callchain)
		return true;
	w = d->words + s->chain_off;
	if (w[0] != k->callchain->nr)
		return false;
	/* chains are short: a loop beats the call to memcmp() */
	for (u64 i = 0; i < k->callchain->nr; i++)
		if (w[i + 1] != k->callchain->ips[i])
			return false;
	return true;
}

static bool seq__push(struct sample_dedup *d, u32 idx, u64 period)
{
	if (!d->record_seq)
		return true;
	if (d->nr_seq >= SAMPLE_DEDUP_MAX_SEQ)
		return false;
	if (d->nr_seq == d->alloc_seq) {
		d->alloc_seq = d->alloc_seq ? d->alloc_seq * 2 : 1024;
		d->seq = xreallocarray(d->seq, d->alloc_seq, sizeof(*d->seq));
		d->seq_period = xreallocarray(d->seq_period, d->alloc_seq, sizeof(*d->seq_period));
	}
	d->seq[d->nr_seq] = idx;
	d->seq_period[d->nr_seq++] = period;
	return true;
}

/* twice the slots, the window's stacks inserted again */
static void slots__grow(struct sample_dedup *d)
{
	u32 n = d->nr_slots * 2, mask = n - 1;

	free(d->slots);
	d->slots = xcalloc(n, sizeof(*d->slots));
	d->nr_slots = n;
	for (u32 i = 0; i < d->nr_stacks; i++) {
		u32 slot = (u32)d->stacks[i].hash & mask;

		while (d->slots[slot].gen == d->gen)
			slot = (slot + 1) & mask;
		d->slots[slot] = (struct sample_dedup_slot){ .gen = d->gen, .idx = i };
	}
}

int sample_dedup__add_if(struct sample_dedup *d, const struct sample_dedup_key *key, u64 period,
			 bool (*admit)(const struct sample_dedup_key *key, void *arg), void *arg)
{
	u64 hash, nr_chain = key->callchain ? key->callchain->nr : 0;
	u32 slot, i, mask;
	struct sample_dedup_stack *s;

	if (key->callchain && nr_chain >= SAMPLE_DEDUP_MAX_WORDS)
		return -E2BIG;
	if (d->record_seq && d->nr_seq >= SAMPLE_DEDUP_MAX_SEQ)
		return -ENOSPC;
	hash = key__hash(d, key);
	mask = d->nr_slots - 1;
	for (slot = (u32)hash & mask;; slot = (slot + 1) & mask) {
		struct sample_dedup_slot *sl = &d->slots[slot];

		if (sl->gen != d->gen)
			break;
		s = &d->stacks[sl->idx];
		if (stack__equal(d, s, key, hash)) {
			s->count++;
			s->period += period;
			seq__push(d, sl->idx, period);
			d->nr_added++;
			return (int)sl->idx;
		}
	}
	/* a new stack */
	if (admit && !admit(key, arg))
		return -EAGAIN;
	if (d->nr_stacks >= SAMPLE_DEDUP_MAX_STACKS ||
	    (key->callchain && d->nr_words + nr_chain + 1 > SAMPLE_DEDUP_MAX_WORDS))
		return -ENOSPC;
	i = d->nr_stacks++;
	ALLOC_GROW(d->stacks, d->nr_stacks, d->alloc_stacks);
	s = &d->stacks[i];
	*s = (struct sample_dedup_stack){
		.hash = hash,
		.ip = key->ip,
		.idx = key->idx,
		.pid = key->pid,
		.tid = key->tid,
		.cpu = key->cpu,
		.misc = key->misc,
		.has_chain = key->callchain != NULL,
		.count = 1,
		.period = period,
	};
	if (key->callchain) {
		ALLOC_GROW(d->words, d->nr_words + nr_chain + 1, d->alloc_words);
		s->chain_off = (u32)d->nr_words;
		d->words[d->nr_words] = nr_chain;
		if (nr_chain)
			memcpy(d->words + d->nr_words + 1, key->callchain->ips, nr_chain * sizeof(u64));
		d->nr_words += nr_chain + 1;
	}
	d->slots[slot] = (struct sample_dedup_slot){ .gen = d->gen, .idx = i };
	if (d->nr_stacks * 2 > d->nr_slots && d->nr_slots < MAX_SLOTS)
		slots__grow(d);
	seq__push(d, i, period);
	d->nr_added++;
	return (int)i;
}

int sample_dedup__add(struct sample_dedup *d, const struct sample_dedup_key *key, u64 period)
{
	return sample_dedup__add_if(d, key, period, NULL, NULL);
}

/* sample_dedup__add_sample(): the sample whose new stack may join the window */
struct admit_arg {
	struct sample_dedup *d;
	const struct perf_sample *sample;
	bool chain;
};

static bool admit_sample(const struct sample_dedup_key *key, void *arg)
{
	const struct admit_arg *a = arg;

	return !sample_dedup__may_load_kernel(a->d, a->sample, a->chain);
}

int sample_dedup__add_sample(struct sample_dedup *d, const struct perf_sample *sample, u32 idx,
			     bool chain, u64 period)
{
	const struct sample_dedup_key key = {
		.idx = idx,
		.pid = sample->pid,
		.tid = sample->tid,
		.cpu = sample->cpu,
		.misc = sample->misc,
		.ip = sample->ip,
		.callchain = chain ? sample->callchain : NULL,
	};
	struct admit_arg admit = { d, sample, chain };

	return sample_dedup__add_if(d, &key, period, admit_sample, &admit);
}

void sample_dedup__to_sample(const struct sample_dedup *d, const struct sample_dedup_stack *s,
			     struct perf_sample *sample)
{
	memset(sample, 0, sizeof(*sample));
	sample->ip = s->ip;
	sample->pid = s->pid;
	sample->tid = s->tid;
	sample->cpu = s->cpu;
	sample->misc = s->misc;
	sample->cpumode = s->misc & PERF_RECORD_MISC_CPUMODE_MASK;
	sample->time = ~0ULL;
	sample->period = s->period;
	sample->callchain = sample_dedup__callchain(d, s);
}

void sample_dedup__watch_kernels(struct sample_dedup *d, struct machines *machines,
				 const struct symbol_conf *conf)
{
	d->machines = machines;
	d->conf = conf;
}

static bool kernel_is_loaded(const struct sample_dedup *d, const struct machine *m)
{
	for (size_t i = 0; i < d->nr_kernel_loaded; i++)
		if (d->kernel_loaded[i] == m)
			return true;
	return false;
}

void sample_dedup__note_resolved(struct sample_dedup *d, const struct addr_location *al)
{
	const char *name;

	if (!al->dso || !al->machine || kernel_is_loaded(d, al->machine))
		return;
	/* the machine layer's names of kernel DSOs (modules load nothing of their own) */
	name = dso__name(al->dso);
	if (strncmp(name, "[kernel.kallsyms", 16) && strncmp(name, "[guest.kernel.kallsyms", 22))
		return;
	ALLOC_GROW(d->kernel_loaded, d->nr_kernel_loaded + 1, d->alloc_kernel_loaded);
	d->kernel_loaded[d->nr_kernel_loaded++] = al->machine;
	if (machine__is_host(al->machine))
		d->host_kernel_loaded = true;
}

/* whether resolving @ip in @cpumode for @pid may reach a kernel not loaded yet */
static bool may_load_ip(struct sample_dedup *d, u64 ip, u8 cpumode, pid_t pid)
{
	bool guest = d->conf && d->conf->guest &&
		     (cpumode == PERF_RECORD_MISC_GUEST_KERNEL ||
		      cpumode == PERF_RECORD_MISC_GUEST_USER);
	const struct machine *m;

	/* user addresses are looked up in kernel maps only from the upper half */
	if ((cpumode == PERF_RECORD_MISC_USER || cpumode == PERF_RECORD_MISC_GUEST_USER) &&
	    !(ip >> 63))
		return false;
	if (!guest) {
		m = machines__find(d->machines, HOST_KERNEL_ID);
	} else {
		m = machines__find(d->machines, pid);
		if (!m && pid > 0 && d->conf->guestmount)
			return true; /* a machine of its own, made on first use */
		if (!m)
			m = machines__find(d->machines, DEFAULT_GUEST_KERNEL_ID);
	}
	return !m || !kernel_is_loaded(d, m);
}

bool sample_dedup__may_load_kernel(struct sample_dedup *d, const struct perf_sample *sample,
				   bool chain)
{
	struct callchain_walk w;
	u64 ip;
	u8 mode;

	if (!d->machines)
		return false;
	/* the common case: host samples only, host kernel done */
	if ((!d->conf || !d->conf->guest) && d->host_kernel_loaded)
		return false;
	if (may_load_ip(d, sample->ip, sample->cpumode, (pid_t)sample->pid))
		return true;
	if (!chain || !sample->callchain)
		return false;
	/* every address the walk may visit, whatever the consumer's --max-stack */
	callchain_walk__init(&w, sample->callchain, UINT_MAX);
	while (callchain_walk__next(&w, &ip, &mode))
		if (may_load_ip(d, ip, mode, (pid_t)sample->pid))
			return true;
	return false;
}
