/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top.h - the live, decaying histogram behind `kvmprof top` (perf top's
 * model, 2010 layout of the original perf kvm mail).
 *
 * struct top collects two things between refreshes:
 *
 *   - interval counters for the headline (perf's util/top.c): SAMPLE records,
 *     and among them those in each cpumode (kernel, us, guest kernel, guest
 *     us) and those with PERF_RECORD_MISC_EXACT_IP, plus lost records.  They
 *     are reset by every snapshot.  Unlike perf 6.x, which also counts
 *     non-SAMPLE records per cpumode, only samples are counted per cpumode,
 *     as the 2010 perf top did, so that the four percentages add up to 100
 *     when every sample is in one of those modes;
 *
 *   - one entry per (DSO, symbol, level) - or per address when the symbol is
 *     unknown - holding a decaying sample count.  top__snapshot() copies the
 *     counts, then multiplies every count by 7/8 (integer, as perf's
 *     hists__decay_entry()) and drops entries that reach 0; with @zero set
 *     the counts are cleared instead (perf top -z).
 *
 * A struct top_snapshot is what the ui layer draws: the headline figures and
 * the rows of the current view, hottest first, with their percentage of all
 * counted samples (entries outside the view, and host samples filtered out
 * of a guest-only session, still count in that total, as perf's filtered
 * entries do).
 *
 * Ownership: entries store borrowed pointers to DSO names and symbols owned by
 * the machine layer; they must outlive the struct top (machines__exit() after
 * top__exit()).  A snapshot borrows the same strings.
 */
#ifndef KP_ANALYSIS_TOP_H
#define KP_ANALYSIS_TOP_H

#include "util/util.h"

struct symbol;

/* which samples the table shows (the TUI's 'h' key cycles through them) */
enum top_view_mode {
	TOP_VIEW_GUEST, /* levels 'g' and 'u' */
	TOP_VIEW_HOST, /* levels 'k', '.' and 'H' */
	TOP_VIEW_BOTH,
	TOP_VIEW_NR,
};

struct top_view {
	enum top_view_mode mode;
	const char *dso; /* zoom: only rows of this DSO name (compared by string); NULL: all */
};

/* headline figures of one interval, and what perf prints after them */
struct top_headline {
	bool guest; /* perf_guest: the form with us/guest kernel/guest us */
	double delay_secs; /* the refresh interval, the irqs/sec divisor */
	u64 samples, kernel, us, guest_kernel, guest_us, exact;
	u64 lost, lost_total; /* lost records this interval / since start */
	/* event part */
	u64 sample_period; /* the frequency when @freq */
	bool freq;
	const char *event; /* event name, borrowed */
	/* target part */
	const char *target_pid; /* -p list as given, or NULL */
	const char *target_tid; /* -t as given, or NULL */
	const char *cpu_list; /* -C as given, or NULL */
	int nr_cpus; /* CPUs profiled */
};

/* the sample key the caller resolved through the machine layer */
struct top_key {
	const char *dso_name; /* NULL: no map ([unknown]) */
	const struct symbol *sym; /* NULL: unresolved, keyed by @addr */
	u64 addr; /* map-relative address (or raw ip without a map) */
	char level; /* 'k' '.' 'g' 'u' 'H' */
	bool filtered; /* counted in the total, never shown (machine layer's filter) */
};

struct top_entry;

struct top {
	/* interval counters (reset by each snapshot) */
	u64 samples, kernel, us, guest_kernel, guest_us, exact, lost;
	u64 lost_total;
	u64 total_samples; /* since start, never reset */
	/* entries: hash table of chains */
	struct top_entry **table;
	size_t table_size; /* power of two */
	size_t nr_entries;
	struct top_entry *free_list; /* recycled entries */
	bool zero; /* clear instead of decaying (perf top -z) */
};

struct top_row {
	const char *sym_name; /* NULL: show @addr_name */
	const char *dso_name; /* "[unknown]" when there is no map */
	u64 count; /* the entry's count at snapshot time */
	double percent; /* of the snapshot's total */
	char level;
	char addr_name[24]; /* "0x%016llx" for unresolved entries */
};

struct top_snapshot {
	struct top_headline hl;
	struct top_row *all; /* every shown-able entry, hottest first */
	size_t nr_all;
	size_t alloc_all;
	struct top_row *rows; /* the rows of the current view, same order */
	size_t nr_rows;
	size_t alloc_rows;
	u64 total; /* sum of every entry's count, the percent base */
	size_t nr_entries; /* entries alive at snapshot time (all views) */
};

/** top__init - an empty histogram. */
void top__init(struct top *top);

/** top__exit - free every entry (the borrowed names stay with their owner). */
void top__exit(struct top *top);

/**
 * top__count_sample - count one SAMPLE record for the headline: @cpumode is
 * misc & PERF_RECORD_MISC_CPUMODE_MASK, @exact is misc's EXACT_IP bit.
 */
void top__count_sample(struct top *top, u8 cpumode, bool exact);

/** top__count_lost - count @nr lost records (PERF_RECORD_LOST). */
void top__count_lost(struct top *top, u64 nr);

/**
 * top__add - add one sample to the entry of @key (created on first use; no
 * allocation otherwise).
 */
void top__add(struct top *top, const struct top_key *key);

/**
 * top__snapshot - fill @snap: the headline from the interval counters (then
 * reset them; @hl gives the fixed parts: form, delay, event and target), and
 * the rows of @view sorted by count (descending; ties by symbol name, then
 * DSO name); then decay every entry by 7/8 and drop the ones that reach
 * zero.  @snap is reused between calls (top_snapshot__exit() frees it).
 */
void top__snapshot(struct top *top, const struct top_headline *hl, const struct top_view *view,
		   struct top_snapshot *snap);

/**
 * top_snapshot__set_view - re-select the rows of @snap for @view (no new
 * counting: the TUI's h and d keys redraw the same snapshot).
 */
void top_snapshot__set_view(struct top_snapshot *snap, const struct top_view *view);

/** top_snapshot__exit - free the rows of @snap. */
void top_snapshot__exit(struct top_snapshot *snap);

/** top_row__sym - the name the function column shows for @row. */
static inline const char *top_row__sym(const struct top_row *row)
{
	return row->sym_name ? row->sym_name : row->addr_name;
}

/**
 * top_headline__percents - the headline's percentages as perf computes them:
 * each x% = 100 - 100 * (sps - xsps) / sps with sps = samples / delay (NaN
 * when there were no samples); exact% = 100 * exact / samples.
 */
void top_headline__percents(const struct top_headline *hl, double *kernel, double *us,
			    double *guest_kernel, double *guest_us, double *exact);

/**
 * top_headline__strbuf - append perf's PerfTop line (without newline) to
 * @sb: "   PerfTop:%8.0f irqs/sec  kernel:%4.1f%% us:..." in the perf_guest
 * form, the lost/drop form otherwise, then "[<period>Hz <event>], " and the
 * target " (all, N CPUs)", " (target_pid: P, N CPUs)", ", CPUs: LIST)" ...
 */
void top_headline__strbuf(const struct top_headline *hl, struct strbuf *sb);

/** top_view_mode__name - "guest", "host" or "guest+host". */
const char *top_view_mode__name(enum top_view_mode mode);

#endif
