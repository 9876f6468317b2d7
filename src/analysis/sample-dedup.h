/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sample-dedup.h - resolve each distinct stack once: a table of the raw
 * samples of one window (the samples between two machine events), merged
 * when everything the resolution reads is equal.
 *
 * Real profiles repeat the same few thousand stacks hundreds of thousands of
 * times.  report and script --folded put every sample into this table
 * instead of resolving it; at the next machine event (MMAP, COMM, FORK,
 * EXIT, KSYMBOL, build-id), at the end of the input, or when the table is
 * full, they "flush": replay the distinct stacks in FIRST-SEEN order through
 * the ordinary per-sample path, once each, with the summed count and period.
 *
 * Why the output stays byte-identical:
 *  - the key holds every sample field the resolution and the histogram
 *    insertion read: event index, pid, tid, header.misc (cpumode), ip, the
 *    raw callchain words, and the cpu when the consumer's output shows it
 *    (the caller says so at __init); other per-sample data (time for
 *    --pprof) makes the consumer bypass the table;
 *  - between two machine events the machine state (threads, comms, maps,
 *    symbols) is constant, so every sample of one key resolves to the same
 *    answer; the first-seen sample's other fields (cpu when not compared)
 *    are kept, and they are the ones that created any entry the stack makes;
 *  - replaying distinct stacks in first-seen order creates every histogram
 *    entry and callchain node in the same order as sample-by-sample
 *    processing: an entry is created by the earliest sample that maps to it,
 *    and that sample's stack is first seen exactly there (an earlier sample
 *    with the same stack would map to it too);
 *  - counts and periods are integer sums, which do not depend on order
 *    (script --folded needs no more: its lines are sorted at the end).
 * The exceptions are lookups whose result depends on the shape of the
 * structure searched rather than on its contents (perf's entries_in walk
 * with a comparator that is no order, the callchain trees' child search,
 * hist.c), and resolutions that change the machine (a kernel's symbols
 * loaded on first use move its maps).  The consumer detects the first per
 * stack (hists__dedup_note_*()) and replays the window in sample order from
 * the recorded sequence (sample_dedup__seq()): such stacks sample by
 * sample, the others once at their first sample; it processes the second
 * kind alone, as the end of a window.  Still exact, only without the saving.
 *
 * KVMPROF_NO_DEDUP=1 in the environment turns the de-duplication off in
 * report and script --folded (sample_dedup__disabled()), for tests that
 * compare both paths.
 *
 * Memory is bounded: at most SAMPLE_DEDUP_MAX_STACKS distinct stacks,
 * SAMPLE_DEDUP_MAX_WORDS callchain words and (with the sequence)
 * SAMPLE_DEDUP_MAX_SEQ samples per window; sample_dedup__add() says when the
 * caller must flush first.  A reset costs O(1) (a generation counter), so
 * files that interleave many small windows stay cheap.
 */
#ifndef KP_ANALYSIS_SAMPLE_DEDUP_H
#define KP_ANALYSIS_SAMPLE_DEDUP_H

#include "util/util.h"
#include "data/sample.h"
#include "machine/machine.h"

#define SAMPLE_DEDUP_MAX_STACKS (1u << 16)
#define SAMPLE_DEDUP_MAX_WORDS (1u << 20)
#define SAMPLE_DEDUP_MAX_SEQ (1u << 16)

/* what the table compares (a sample, or part of one) */
struct sample_dedup_key {
	u32 idx; /* event index; 0 when the consumer merges events */
	u32 pid, tid;
	u32 cpu; /* compared only with match_cpu */
	u16 misc; /* the record's header.misc (its cpumode bits and the rest) */
	u64 ip;
	const struct ip_callchain *callchain; /* NULL: none */
};

/* one distinct stack: the key of its first sample and the sums */
struct sample_dedup_stack {
	u64 hash;
	u64 ip;
	u32 idx, pid, tid, cpu;
	u16 misc;
	bool has_chain;
	u32 chain_off; /* the chain's words (nr, ips...) in the table's arena */
	u64 count; /* samples merged */
	u64 period; /* their summed period */
	u8 flags; /* the consumer's (0 when the stack is added) */
};

struct sample_dedup_slot {
	u32 gen;
	u32 idx;
};

struct sample_dedup {
	struct sample_dedup_stack *stacks; /* first-seen order */
	u32 nr_stacks;
	u32 alloc_stacks;
	u64 *words; /* callchains, each as its nr then its ips */
	size_t nr_words;
	size_t alloc_words;
	struct sample_dedup_slot *slots; /* open addressing, at most half full */
	u32 nr_slots;
	u32 gen;
	bool match_cpu;
	bool record_seq;
	/* the window's samples in order: stack index and own period */
	u32 *seq;
	u64 *seq_period;
	u32 nr_seq;
	u32 alloc_seq;
	/* kernels whose lazy symbol load is done (sample_dedup__may_load_kernel()) */
	struct machines *machines;
	const struct symbol_conf *conf;
	const struct machine **kernel_loaded;
	size_t nr_kernel_loaded, alloc_kernel_loaded;
	bool host_kernel_loaded;
	/* statistics for -v */
	u64 nr_added, nr_flushed_stacks;
};

/**
 * sample_dedup__disabled - true when KVMPROF_NO_DEDUP is set to a non-empty
 * value other than "0" (the consumers then process sample by sample).
 */
bool sample_dedup__disabled(void);

/**
 * sample_dedup__init - an empty table.  @match_cpu: the cpu is part of the
 * key.  @record_seq: also record the order of the samples (for consumers
 * that may have to replay a window sample by sample).
 */
void sample_dedup__init(struct sample_dedup *d, bool match_cpu, bool record_seq);

/** sample_dedup__exit - free the table; it may be initialised again. */
void sample_dedup__exit(struct sample_dedup *d);

/**
 * sample_dedup__add - count one sample of @key with @period.  Returns the
 * index of its stack, -ENOSPC when the table is full (flush, reset and add
 * again), or -E2BIG when the callchain alone is too long for any window
 * (process that sample directly, after a flush).
 */
int sample_dedup__add(struct sample_dedup *d, const struct sample_dedup_key *key, u64 period);

/**
 * sample_dedup__add_if - sample_dedup__add(), but a stack not in the window
 * yet is added only if @admit(@key, @arg) returns true; else -EAGAIN (the
 * caller processes that sample itself).  Samples of stacks already in the
 * window are counted without asking.
 */
int sample_dedup__add_if(struct sample_dedup *d, const struct sample_dedup_key *key, u64 period,
			 bool (*admit)(const struct sample_dedup_key *key, void *arg), void *arg);

/**
 * sample_dedup__add_sample - sample_dedup__add_if() of @sample of event @idx
 * (its callchain only with @chain), with @period, admitting a new stack
 * unless its resolution may load a kernel's symbols
 * (sample_dedup__may_load_kernel()): on -EAGAIN the caller processes that
 * sample itself, alone, after a flush.
 */
int sample_dedup__add_sample(struct sample_dedup *d, const struct perf_sample *sample, u32 idx,
			     bool chain, u64 period);

/** sample_dedup__nr - number of distinct stacks in the window. */
static inline u32 sample_dedup__nr(const struct sample_dedup *d)
{
	return d->nr_stacks;
}

/** sample_dedup__stack - the @i-th distinct stack, in first-seen order. */
static inline const struct sample_dedup_stack *sample_dedup__stack(const struct sample_dedup *d,
								  u32 i)
{
	return &d->stacks[i];
}

/**
 * sample_dedup__callchain - @s's raw callchain (valid until the next add or
 * reset), or NULL when the sample had none.
 */
static inline const struct ip_callchain *sample_dedup__callchain(const struct sample_dedup *d,
								 const struct sample_dedup_stack *s)
{
	return s->has_chain ? (const struct ip_callchain *)(d->words + s->chain_off) : NULL;
}

/**
 * sample_dedup__to_sample - fill @sample with @s's key (ip, pid, tid, cpu,
 * misc and cpumode, callchain) and its summed period; other fields are cleared
 * (time ~0ULL).
 */
void sample_dedup__to_sample(const struct sample_dedup *d, const struct sample_dedup_stack *s,
			     struct perf_sample *sample);

/** sample_dedup__nr_seq - samples recorded in the window (0 without record_seq). */
static inline u32 sample_dedup__nr_seq(const struct sample_dedup *d)
{
	return d->nr_seq;
}

/** sample_dedup__seq - the @i-th sample of the window: its stack index and its own period. */
static inline u32 sample_dedup__seq(const struct sample_dedup *d, u32 i, u64 *period)
{
	*period = d->seq_period[i];
	return d->seq[i];
}

/**
 * sample_dedup__watch_kernels - the machines (and their symbol settings) the
 * consumer resolves samples against, for sample_dedup__may_load_kernel().
 */
void sample_dedup__watch_kernels(struct sample_dedup *d, struct machines *machines,
				 const struct symbol_conf *conf);

/**
 * sample_dedup__may_load_kernel - whether resolving @sample (its callchain
 * too with @chain) may reach a kernel whose symbols are not loaded yet.
 * The machine layer loads them on first use and that moves the kernel maps:
 * the address that triggers it was looked up before, later ones after (as
 * perf does), so the machine changes in the middle of a window.  Such a
 * sample must be processed alone, at its place, after a flush; then pass
 * every location its resolution produced to sample_dedup__note_resolved().
 * Conservative: any kernel-mode or upper-half address of a machine whose
 * kernel DSO no resolution has reached yet.
 */
bool sample_dedup__may_load_kernel(struct sample_dedup *d, const struct perf_sample *sample,
				   bool chain);

/** sample_dedup__note_resolved - @al reached a kernel DSO: its machine's kernel is loaded. */
void sample_dedup__note_resolved(struct sample_dedup *d, const struct addr_location *al);

/** sample_dedup__reset - empty the window in O(1) (the storage is kept). */
void sample_dedup__reset(struct sample_dedup *d);

#endif
