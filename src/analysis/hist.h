/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h - histograms of samples keyed by sort keys (perf's struct hists).
 *
 * A struct hists collects the samples of one event.  Every sample becomes a
 * struct hist_entry key (thread, comm, DSO, symbol, address, cpu, level),
 * which is merged with the entry that compares equal on the active sort keys
 * (see sort.h), exactly as perf merges entries with its per-key comparators.
 * Entries live in a hash table keyed by those sort keys and are allocated
 * from slabs: adding a sample allocates nothing unless the key is new.  With
 * the sym key, perf's own lookup (a walk of its entries_in rbtree) can miss
 * an equal entry, because two unresolved symbols compare by the wrapping
 * difference of their addresses; such keys are looked up by replaying that
 * walk, so the same duplicate entries exist as in perf (hist.c).
 *
 * hists__output_resort() computes the totals, the column widths and the
 * output order once at the end (perf's order: period descending, then each
 * key's sort function, then the extra output columns, then the key order).
 *
 * The layer below (machine) is reached only through the caller: the entry
 * stores borrowed pointers (thread, symbol) and strings (DSO name) that must
 * stay valid until hists__exit(); comm strings are copied (interned) here
 * because a thread's comm changes while samples are added.
 *
 * Children mode (perf's --children, the default on files with callchains):
 * hists__add_sample() adds the self entry, then hists__add_callchain_entry()
 * once per resolved callchain address; entries seen earlier in the same
 * sample are skipped, as perf does.
 */
#ifndef KP_ANALYSIS_HIST_H
#define KP_ANALYSIS_HIST_H

#include "util/util.h"
#include "analysis/sort.h"
#include "analysis/chain-tree.h"

struct symbol;

struct he_stat {
	u64 period;
	u64 period_sys;
	u64 period_us;
	u64 period_guest_sys;
	u64 period_guest_us;
	u64 nr_events;
};

struct hist_entry {
	struct hist_entry *next; /* hash chain */
	u64 hash;
	/* the key (only the fields of active sort keys are compared) */
	const void *thread; /* borrowed, opaque here */
	s32 tid;
	s32 cpu;
	const char *comm; /* interned by the hists */
	const char *dso_name; /* short DSO name, NULL when there is no map */
	const struct symbol *sym; /* NULL: unresolved */
	u64 ip; /* map-relative address (self) or raw address (callchain) */
	u64 addr; /* map-relative address: the +0x offset of a data symbol */
	char level; /* 'k' '.' 'g' 'u' 'H' */
	bool filtered; /* counted in the totals, never shown */
	/* accumulated */
	struct he_stat stat; /* self */
	struct he_stat stat_acc; /* self + callees (children mode) */
	struct chain_root *callchain; /* -g: paths through this entry, NULL if none */
	/* diff (analysis/diff.h): the matching entry of the other file, and what was computed */
	struct hist_entry *pair;
	bool dummy; /* added to the baseline for an entry only the other file has */
	double diff_delta; /* new percent - old percent */
	double diff_ratio; /* new period / old period */
	s64 diff_wdiff; /* new period * w2 - old period * w1 */
};

/* what the caller knows about one sample (or one callchain address) */
struct hist_key {
	const void *thread;
	s32 tid;
	s32 cpu;
	const char *comm;
	const char *dso_name;
	const struct symbol *sym;
	u64 ip; /* the key: map-relative (self) or raw (callchain, as perf) */
	u64 addr; /* map-relative, for "sym+0xoff" of a data symbol */
	char level;
	bool filtered;
};

struct hists_stats {
	u64 nr_samples; /* every sample, filtered ones included */
	u64 nr_non_filtered_samples;
	u64 total_period; /* percent base (perf's default, filtered included) */
	u64 total_non_filtered_period;
};

/* the widths of the sort-key columns, as perf's hists__calc_col_len() */
enum hist_column {
	HISTC_COMM,
	HISTC_THREAD,
	HISTC_DSO,
	HISTC_SYMBOL,
	HISTC_CPU,
	HISTC_NR_COLS,
};

struct hist_slab;
struct hist_in_tree;
struct intern_str;
struct hist_dedup;

struct hists {
	struct sort_list sort;
	bool cumulate; /* children mode */
	bool use_callchain; /* entries keep callchain trees (hists__enable_callchain()) */
	enum chain_order callchain_order;
	struct chain_arena *chain_arena;
	/* output columns perf appends to the sort order (set before the resort) */
	bool sort_cpu_util; /* sys, usr */
	bool sort_guest_util; /* guest sys, guest usr */
	bool sort_nr_samples; /* Samples */
	/* hash table of entries */
	struct hist_entry **table;
	size_t table_size; /* power of two */
	size_t nr_entries;
	struct hist_slab *slabs;
	/* interned comm strings */
	struct intern_str **comm_table;
	size_t comm_table_size;
	size_t nr_comms;
	const char *last_comm_src, *last_comm; /* consecutive samples share a thread */
	/* DSO name -> hash, by pointer (names are stable while the hists live) */
	struct {
		const char *name;
		u64 hash;
	} dso_hash_cache[256];
	/* the current sample's entries (children mode de-duplication) */
	struct hist_entry **he_cache;
	size_t nr_he_cache;
	size_t alloc_he_cache;
	/* perf's entries_in rbtree (hist.c), searched for unresolved symbols */
	struct hist_in_tree *in_tree;
	/* result of hists__output_resort() */
	struct hist_entry **sorted; /* every entry, filtered ones too, in output order */
	size_t nr_sorted;
	struct hists_stats stats;
	u16 col_len[HISTC_NR_COLS];
	/* the thread's comm at output time (perf sizes columns and prints pid cells with it) */
	const char *(*thread_comm)(const void *thread);
	/*
	 * Output comparators that replace the period ones (perf diff's columns);
	 * the sort keys' order follows.  > 0: @a prints before @b.
	 */
	s64 (*output_cmp)(const struct hist_entry *a, const struct hist_entry *b, const void *arg);
	const void *output_cmp_arg;
	/* what hists__dedup_note_*() saw (NULL until first used) */
	struct hist_dedup *dedup;
};

/**
 * hists__init - empty histogram with sort keys @sort (copied), children mode
 * if @cumulate; @thread_comm returns a thread's current comm (may be NULL:
 * then the entry's comm is used).
 */
void hists__init(struct hists *hists, const struct sort_list *sort, bool cumulate,
		 const char *(*thread_comm)(const void *thread));

/** hists__exit - free every entry and interned string. */
void hists__exit(struct hists *hists);

/**
 * hists__intern_comm - the hists' own copy of @comm (equal strings share one
 * copy, so comms compare by pointer).  Valid until hists__exit().
 */
const char *hists__intern_comm(struct hists *hists, const char *comm);

/**
 * hists__add_sample - account one sample: find or create the entry for @key
 * and add @period in @cpumode (PERF_RECORD_MISC_*).  Starts a new sample for
 * the children de-duplication.  Returns the entry.
 */
struct hist_entry *hists__add_sample(struct hists *hists, const struct hist_key *key, u64 period,
				     u8 cpumode);

/**
 * hists__add_sample_n - hists__add_sample() for @count equal samples at once
 * (sample-dedup.h) with their summed @period.
 */
struct hist_entry *hists__add_sample_n(struct hists *hists, const struct hist_key *key,
				       u64 period, u8 cpumode, u64 count);

/**
 * hists__add_callchain_entry - children mode: add @period to the accumulated
 * stat of @key's entry, unless an equal entry was already seen in this sample.
 * Returns the entry, or NULL when it was skipped (or not in children mode).
 */
struct hist_entry *hists__add_callchain_entry(struct hists *hists, const struct hist_key *key,
					      u64 period, u8 cpumode);

/** hists__add_callchain_entry_n - the same for @count equal samples with summed @period. */
struct hist_entry *hists__add_callchain_entry_n(struct hists *hists, const struct hist_key *key,
						u64 period, u8 cpumode, u64 count);

/**
 * hists__enable_callchain - keep a callchain tree per entry (report -g),
 * whose paths are added in @order.  Call before adding samples.  In children
 * mode, entries of one thread with equal accumulated periods then print
 * callers above callees (perf compares their longest paths).
 */
void hists__enable_callchain(struct hists *hists, enum chain_order order);

/**
 * hists__append_callchain - add the path @entries[0..@nr) with @period to
 * @he's callchain tree (nothing unless hists__enable_callchain() was called).
 */
void hists__append_callchain(struct hists *hists, struct hist_entry *he,
			     const struct chain_entry *entries, u32 nr, u64 period);

/** hists__append_callchain_n - the same for @count equal paths with summed @period. */
void hists__append_callchain_n(struct hists *hists, struct hist_entry *he,
			       const struct chain_entry *entries, u32 nr, u64 period, u64 count);

/**
 * hists__dedup_note_key - sample de-duplication (sample-dedup.h): with
 * @record, record that @key will be looked up in this window; without, only
 * ask.  Returns true when that lookup may depend on the shape of perf's
 * entries_in tree (see hist.c): the samples of that stack must then be added
 * one by one, in order, rather than at once.  Record every key of a window
 * before asking about any: what a later key records can affect an earlier.
 */
bool hists__dedup_note_key(struct hists *hists, const struct hist_key *key, bool record);

/**
 * hists__dedup_tainted - true once hists__dedup_note_key() answers true for
 * every key, for good (an unresolved symbol without a dso key before sym):
 * the consumer may as well stop de-duplicating.
 */
bool hists__dedup_tainted(const struct hists *hists);

/**
 * hists__dedup_note_frame - the same for a callchain frame appended to a
 * tree (-g): its DSO (identity; NULL without map), whether it has a symbol,
 * and its mapping base (raw address minus map-relative address).
 */
bool hists__dedup_note_frame(struct hists *hists, const void *dso, bool has_sym, u64 base,
			     bool record);

/**
 * hists__sort_callchains - after hists__output_resort(): choose and order
 * the callchain nodes to print, with perf's threshold (@min_percent of the
 * total period, or of each parent in fractal mode).
 */
void hists__sort_callchains(struct hists *hists, enum chain_mode mode, double min_percent);

/**
 * hists__output_resort - compute totals and column widths (from entries that
 * are not filtered) and sort every entry into output order.  With the comm
 * key it first merges equal entries as perf's collapse step does: call once.
 */
void hists__output_resort(struct hists *hists);

/**
 * hists__find_entry - the entry of @hists equal to @he on @hists' sort keys
 * (@he may belong to other hists), found by perf's walk of its entries_in
 * tree (hists__find_entry()), or NULL.
 */
struct hist_entry *hists__find_entry(const struct hists *hists, const struct hist_entry *he);

/**
 * hists__add_dummy - perf's hists__add_dummy_entry(): the entry of @hists
 * equal to @pair if its walk finds one, else a new entry with @pair's key,
 * no samples and ->dummy set.  @pair's borrowed pointers (thread, DSO name,
 * symbol) must outlive @hists.
 */
struct hist_entry *hists__add_dummy(struct hists *hists, const struct hist_entry *pair);

/**
 * hists__entries_in - every entry in perf's entries_in tree order into
 * @out (room for hists->nr_entries); returns the number written.
 */
size_t hists__entries_in(const struct hists *hists, struct hist_entry **out);

/**
 * hists__percent - @period as a percentage of the hists' total period
 * (0 when the total is 0).
 */
double hists__percent(const struct hists *hists, u64 period);

/**
 * hists__col_len - width of a sort-key column after hists__output_resort().
 */
static inline unsigned int hists__col_len(const struct hists *hists, enum hist_column col)
{
	return hists->col_len[col];
}

#endif
