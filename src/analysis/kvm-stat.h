/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-stat.h - perf kvm stat's analysis model: pair KVM tracepoints per vCPU
 * thread into timed intervals and aggregate them per key (exit reason, MMIO
 * address, I/O port, MSR).
 *
 * The model is Linux perf 6.1's (builtin-kvm.c), reproduced on purpose:
 *  - a host thread becomes a vCPU only at its first kvm:kvm_entry (whose
 *    vcpu_id field names it); until then all its samples are ignored;
 *  - a *begin* (vmexit: kvm_exit; ioport: kvm_pio; msr: kvm_msr; mmio: kvm_exit
 *    without key or kvm_mmio write) stores the start time and the row, a later
 *    begin overwrites it; an *end* (kvm_entry; mmio read: kvm_mmio type 1)
 *    closes the interval, which is dropped if no begin was seen, if no key is
 *    known, or if it ends before it began;
 *  - statistics are Welford's (count, mean, M2, min, max, summed time);
 *  - rows are keyed by (key, info); every unknown exit code is its own row;
 *  - sorting by sample count or mean time, ties in the order of perf's
 *    4096-bucket event cache (key & 4095 ascending, newest row first).
 * Deliberate differences (documented in kvmprof-stat(1)): with --vcpu the Min
 * column holds the real minimum (perf 6.1 prints 0.00us), unknown codes show
 * their number, more sort keys, percentiles, histograms, per-VM/per-vCPU
 * tables, and a fallback for hosts where kvm_exit/kvm_entry never fire.
 *
 * Fallback (KVM_STAT_MODE_ACCESS): when no kvm:kvm_entry sample exists at all,
 * ioport/mmio/msr rows are built from the access tracepoints themselves:
 * every kvm_pio, kvm_msr, kvm_mmio read (type 1) and write (type 2) counts
 * once; an access (kvm_pio, kvm_msr, kvm_mmio type 0 or 2) is *timed* only when
 * the same thread's very next KVM tracepoint is kvm:kvm_userspace_exit with
 * the exit reason of that access (KVM_EXIT_IO, KVM_EXIT_MMIO,
 * KVM_EXIT_X86_RDMSR/WRMSR), and the time is the in-kernel part of the exit to
 * the VMM (access -> return of KVM_RUN).  Accesses handled in the kernel are
 * counted but not timed.
 *
 * Ownership: struct kvm_stat owns its rows, groups and per-thread records;
 * kvm_stat__delete() frees all.  Views returned by kvm_stat__view() point into
 * the kvm_stat and live until it is deleted.
 */
#ifndef KP_ANALYSIS_KVM_STAT_H
#define KP_ANALYSIS_KVM_STAT_H

#include "analysis/kvm-exit-reasons.h"
#include "util/types.h"

struct sample_pack;
struct packed_sample;

struct evlist;
struct evsel;
struct perf_sample;

enum kvm_stat_report {
	KVM_REPORT_VMEXIT,
	KVM_REPORT_MMIO,
	KVM_REPORT_IOPORT,
	KVM_REPORT_MSR,
};

enum kvm_stat_sort {
	KVM_SORT_SAMPLE, /* count, descending (perf's default) */
	KVM_SORT_TIME, /* mean time, descending (perf 6.1's "time") */
	KVM_SORT_TOTAL, /* total time, descending (perf 6.5+'s "time") */
	KVM_SORT_MAX,
	KVM_SORT_MIN,
	KVM_SORT_MEAN,
	KVM_SORT_NAME, /* display name, ascending strcmp() */
};

/* the tracepoints the analysis understands */
enum kvm_tp_kind {
	KVM_TP_NONE, /* not a KVM tracepoint: ignored */
	KVM_TP_ENTRY,
	KVM_TP_EXIT,
	KVM_TP_MMIO,
	KVM_TP_PIO,
	KVM_TP_MSR,
	KVM_TP_USERSPACE_EXIT,
	KVM_TP_OTHER, /* any other kvm:* tracepoint */
	KVM_TP_NR,
};

/* KVM_TRACE_MMIO_* */
#define KVM_MMIO_UNSATISFIED_READ 0
#define KVM_MMIO_READ 1
#define KVM_MMIO_WRITE 2

/**
 * struct kvm_stat_event - one decoded tracepoint sample.
 * @a/@b by kind: ENTRY vcpu_id/-; EXIT exit_reason/-; MMIO type/gpa;
 * PIO rw/port; MSR write/ecx; USERSPACE_EXIT reason/-.
 */
struct kvm_stat_event {
	enum kvm_tp_kind kind;
	u32 pid, tid;
	u64 time;
	u64 a, b;
};

#define KVM_STAT_HIST_BUCKETS 64

struct kvm_stats {
	u64 n;
	double mean, m2; /* Welford, in double exactly as perf's struct stats */
	u64 min, max;
	u64 time; /* sum of durations, ns */
	u64 hist[KVM_STAT_HIST_BUCKETS]; /* [b] = durations with floor(log2(ns)) == b; 0,1 -> 0 */
	u64 *durs; /* every duration, only with opts.percentiles */
	size_t nr_durs, alloc_durs;
	bool durs_sorted;
};

struct kvm_stat_row {
	u64 key;
	int info;
	u32 seq; /* creation order */
	u64 count; /* Samples: == stats.n, except in access mode (untimed accesses count) */
	struct kvm_stats stats;
	char *name; /* display name, filled by kvm_stat__view() */
	bool known; /* the name came from a table (vmexit) */
};

/* one table: the whole file, one VM, or one vCPU */
struct kvm_stat_table {
	s64 pid; /* -1: all */
	s64 vcpu; /* -1: all; in access mode the thread id (see tid_is_vcpu) */
	struct kvm_stat_row *rows;
	u32 nr_rows, alloc_rows;
	u32 *hash; /* row index + 1, open addressing */
	u32 hash_size;
	u64 total_count, total_time;
	struct kvm_stat_row **sorted; /* view: visible rows in sort order */
	u32 nr_sorted;
};

/* an interval longer than opts.duration_ns (perf's live --duration) */
struct kvm_stat_slow {
	u32 pid;
	s64 vcpu; /* paired: vCPU id; access mode: thread id */
	u64 time; /* end of the interval */
	u64 key;
	int info;
	u64 diff; /* ns */
	bool access;
};

struct kvm_stat_opts {
	enum kvm_stat_report report;
	enum kvm_stat_sort sort;
	int vcpu; /* -1 = all */
	const u32 *pids; /* -p filter; NULL/0 = all */
	int nr_pids;
	bool percentiles;
	bool per_vm;
	bool per_vcpu;
	const struct exit_reason_table *reasons; /* vmexit names; NULL -> numbers */
	u64 duration_ns; /* 0: no slow-interval callback */
	void (*slow)(void *arg, const struct kvm_stat_slow *s);
	void *slow_arg;
};

enum kvm_stat_mode {
	KVM_STAT_MODE_PAIRED, /* perf's model */
	KVM_STAT_MODE_ACCESS, /* fallback, no kvm_entry in the data */
};

struct kvm_stat;

/** kvm_stat__new - an empty analysis with @opts (copied; pids array borrowed). */
struct kvm_stat *kvm_stat__new(const struct kvm_stat_opts *opts);
/** kvm_stat__delete - free everything; NULL is fine. */
void kvm_stat__delete(struct kvm_stat *kvm);

/** kvm_tp_kind__from_name - "kvm:kvm_exit" -> KVM_TP_EXIT, ...; KVM_TP_NONE if not kvm:*. */
enum kvm_tp_kind kvm_tp_kind__from_name(const char *name);
/** kvm_tp_kind__name - "kvm:kvm_exit" etc. */
const char *kvm_tp_kind__name(enum kvm_tp_kind kind);

/**
 * kvm_stat__setup_evlist - map each tracepoint event of @evlist to its kind and
 * resolve the fields the analysis reads from its format (no offsets are
 * assumed).  Fails with KP_ERR_MISSING_FIELD naming event and field when a
 * recorded KVM tracepoint lacks a field the report needs.  @path is for messages.
 */
int kvm_stat__setup_evlist(struct kvm_stat *kvm, const struct evlist *evlist, const char *path);

/**
 * kvm_stat__sample - decode one sample of @evsel (set up before) and feed it
 * to kvm_stat__event().  Fails (KP_ERR_MISSING_FIELD/BAD_SAMPLE) on raw data
 * too short for a field.
 */
int kvm_stat__sample(struct kvm_stat *kvm, const struct evsel *evsel,
		     const struct perf_sample *sample);

/** kvm_stat__event - the model: process one decoded event, in time order. */
void kvm_stat__event(struct kvm_stat *kvm, const struct kvm_stat_event *ev);

/**
 * kvm_stat__decode - decode one sample of @evsel into @ev without feeding it.
 * Returns 1 for a KVM tracepoint, 0 for anything else, or a negative error as
 * kvm_stat__sample().  Live mode queues the decoded events to sort them by time.
 */
int kvm_stat__decode(const struct kvm_stat *kvm, const struct evsel *evsel,
		     const struct perf_sample *sample, struct kvm_stat_event *ev);

/**
 * kvm_stat__peek - kvm_stat__decode() packed into three words, for the
 * reader's sample_peek() fast path; samples in file order.  Returns 1 when
 * packed (feed it to kvm_stat__event_packed(), in time order; 3: the same,
 * and the plans of kvm_stat__pack() are stale); 2 when the
 * sample was fully accounted here (it could only be counted: do not feed
 * it); 0 for a sample that is no KVM tracepoint or that kvm_stat__decode()
 * would fail on, or whose fields do not fit the packing (then use
 * kvm_stat__sample()).  Every sample it returns 1 for must reach the model
 * (or processing fail).  Uses only what kvm_stat__setup_evlist() set and
 * state of its own: safe on another thread than the one feeding the model,
 * but not concurrently with itself or kvm_stat__view().
 */
int kvm_stat__peek(struct kvm_stat *kvm, const struct evsel *evsel,
		   const struct perf_sample *sample, u64 payload[3]);

/**
 * kvm_stat__pack - what kvm_stat__peek() would do with every sample of @evsel
 * from now on, as a plan for the reader's sample_pack() (SAMPLE_PACK_PEEK:
 * ask kvm_stat__peek() sample by sample).  kvm_stat__peek() returns 3 instead
 * of 1 when the plans given so far are stale.
 */
void kvm_stat__pack(struct kvm_stat *kvm, const struct evsel *evsel, struct sample_pack *pack);

/**
 * kvm_stat__event_packed - kvm_stat__event() of each of @s[0..n), in order, as
 * kvm_stat__peek() packed them.
 */
void kvm_stat__event_packed(struct kvm_stat *kvm, const struct packed_sample *s, size_t n);

/*
 * Live mode (stat live): one kvm_stat per refresh interval is reset after it
 * was shown and merged into a cumulative one; in-kernel (BPF) aggregates come
 * in through kvm_stat__add().
 */

/** struct kvm_stat_agg - one aggregated row from elsewhere (the BPF maps) */
struct kvm_stat_agg {
	bool access; /* a row of the access fallback, else perf's pairing */
	u32 pid, tid;
	int vcpu; /* paired rows */
	u64 key;
	int info;
	u64 count; /* Samples */
	u64 n, time, min, max; /* timed intervals; min/max ignored when n == 0 */
	double sumsq; /* sum of squared durations (ns^2) */
	const u64 *hist; /* KVM_STAT_HIST_BUCKETS counts, or NULL */
};

/**
 * kvm_stat__reset - forget all statistics (rows, totals, tracepoint counts)
 * but keep the per-thread pairing state, as perf's live mode does at every
 * refresh.  Whether a kvm_entry was ever seen (the mode) is kept too.
 */
void kvm_stat__reset(struct kvm_stat *kvm);

/** kvm_stat__merge - add every statistic of @src to @dst (same report); @src is unchanged. */
void kvm_stat__merge(struct kvm_stat *dst, const struct kvm_stat *src);

/** kvm_stat__add - add one aggregated row to the tables (and the per-VM/vCPU groups). */
void kvm_stat__add(struct kvm_stat *kvm, const struct kvm_stat_agg *agg);

/** kvm_stat__add_tp - count @n events of tracepoint @kind seen elsewhere. */
void kvm_stat__add_tp(struct kvm_stat *kvm, enum kvm_tp_kind kind, u64 n);

/** kvm_stat__key_name - the display name of (@key, @info) for this report; false if unknown. */
bool kvm_stat__key_name(const struct kvm_stat *kvm, u64 key, int info, char *buf, size_t size);

/** kvm_stat__report - the report (--event) this analysis makes. */
enum kvm_stat_report kvm_stat__report(const struct kvm_stat *kvm);

/** kvm_stat__comm - remember the command name of @pid (for per-VM labels). */
void kvm_stat__comm(struct kvm_stat *kvm, u32 pid, const char *comm);
/** kvm_stat__comm_of - the name recorded for @pid, or NULL. */
const char *kvm_stat__comm_of(const struct kvm_stat *kvm, u32 pid);

/** struct kvm_stat_view - the result, sorted, for the ui layer */
struct kvm_stat_view {
	enum kvm_stat_report report;
	enum kvm_stat_mode mode;
	const char *title; /* "VM-EXIT", "MMIO Access", "IO Port Access", "MSR Access" */
	int vcpu;
	struct kvm_stat_table *all;
	struct kvm_stat_table **groups; /* per-VM then per-vCPU tables, sorted by pid, vcpu */
	u32 nr_groups;
	bool percentiles;
	u64 nr_tp[KVM_TP_NR]; /* samples seen per tracepoint kind (after -p) */
	u64 nr_unknown_rows; /* rows whose exit code no table knows */
	const struct exit_reason_table *reasons;
};

/**
 * kvm_stat__view - choose the mode, decode names, sort every table.  May be
 * called again after more events (live mode); the previous view is then gone.
 */
const struct kvm_stat_view *kvm_stat__view(struct kvm_stat *kvm);

/** kvm_stats__stddev_pct - perf's relative stddev of the mean, in percent. */
double kvm_stats__stddev_pct(const struct kvm_stats *st);
/** kvm_stats__percentile - nearest-rank percentile @p (0..100] in ns; needs durations. */
u64 kvm_stats__percentile(struct kvm_stats *st, double p);
/** kvm_stats__update - add one duration (exported for tests). */
void kvm_stats__update(struct kvm_stats *st, u64 ns, bool keep);
/** kvm_stats__init - empty statistics (min = UINT64_MAX as perf's init_stats). */
void kvm_stats__init(struct kvm_stats *st);

/** kvm_stat_report__parse - "vmexit"|"mmio"|"ioport"|"msr"; -1 if unknown. */
int kvm_stat_report__parse(const char *s);
/** kvm_stat_sort__parse - sort key name (perf 6.1 and 6.12 spellings); -1 if unknown. */
int kvm_stat_sort__parse(const char *s);

#endif
