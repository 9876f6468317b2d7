/* SPDX-License-Identifier: GPL-2.0 */
/*
 * folded.h - folded stacks ("comm;root;...;leaf count"), the input of
 * flamegraph.pl, speedscope, Pyroscope and kvmprof's own flame graph.
 *
 * The stacks are what Brendan Gregg's stackcollapse-perf.pl makes of
 * `perf script` output with its default options:
 *  - root frame: the comm, spaces replaced by '_';
 *  - then the callchain root first; a frame is the symbol name without
 *    +0xoff, with ';' replaced by ':', cut at the first '(' (except
 *    "(anonymous namespace)"), quotes removed; an unresolved frame is
 *    "[dso basename]" when its map is known, else "[unknown]";
 *  - one count per sample (not per period);
 *  - lines sorted bytewise.
 * kvmprof additions (not in stackcollapse-perf.pl):
 *  - guest frames carry a suffix flamegraph.pl-style tools can colour by:
 *    "_[g]" for guest kernel frames, "_[u]" for guest user frames (perf's
 *    level letters); host frames are left plain;
 *  - a sample without callchain, or whose callchain yields no frame (guest
 *    samples on kernels without guest callchains), gets its own ip as the
 *    single frame instead of an empty stack.
 *
 * Ownership: struct folded is created by folded__new() and freed by
 * folded__delete(); it copies every stack it is given into its own arena.
 */
#ifndef KP_UI_FOLDED_H
#define KP_UI_FOLDED_H

#include <stdio.h>

#include "data/sample.h"
#include "machine/machine.h"

struct folded;

/** folded__new - an empty stack table; @machines resolves callchain frames. */
struct folded *folded__new(struct machines *machines);

/**
 * folded__set_cache - resolve callchain frames through @cache (borrowed;
 * the caller invalidates it when the machines change).
 */
struct callchain_cache;
void folded__set_cache(struct folded *f, struct callchain_cache *cache);

/** folded__delete - free the table; NULL is fine. */
void folded__delete(struct folded *f);

/**
 * folded__add_stack - count @count more for the folded stack @stack (@len
 * bytes, "a;b;c" without count).  Used directly by tests and importers.
 */
void folded__add_stack(struct folded *f, const char *stack, size_t len, u64 count);

/**
 * folded__add_sample - fold @sample (resolved as @al) and count it once.
 * @use_callchain: false to ignore the sample's callchain (-G).
 */
void folded__add_sample(struct folded *f, const struct perf_sample *sample,
			const struct addr_location *al, bool use_callchain);

/**
 * folded__add_sample_n - folded__add_sample() for @count equal samples
 * (sample-dedup.h): the stack's count grows by @count.
 */
void folded__add_sample_n(struct folded *f, const struct perf_sample *sample,
			  const struct addr_location *al, bool use_callchain, u64 count);

/** folded__nr_stacks - number of distinct stacks so far. */
size_t folded__nr_stacks(const struct folded *f);

/**
 * folded__for_each - call @fn for every stack in bytewise order of the
 * stack text; stops at and returns the first non-zero return of @fn.
 */
int folded__for_each(struct folded *f,
		     int (*fn)(const char *stack, size_t len, u64 count, void *arg), void *arg);

/** folded__fprintf - write "stack count\n" lines, sorted; 0 or -errno. */
int folded__fprintf(struct folded *f, FILE *fp);

/**
 * folded__frame_name - append @al's frame name as stackcollapse-perf.pl
 * writes it (see above), with the guest suffix for @cpumode.
 */
struct strbuf;
void folded__frame_name(struct strbuf *sb, const struct addr_location *al, u8 cpumode);

#endif
