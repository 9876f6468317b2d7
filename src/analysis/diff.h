/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff.h - perf diff: pair the histogram entries of two files and compute
 * what changed (builtin-diff.c's model, perf 6.1).
 *
 * Both files are read into struct hists with the same sort keys (perf diff's
 * default: dso,sym).  hists__diff() then does what perf does per event:
 *   - match: every baseline entry looks up the equal entry of the new file
 *     with perf's tree walk (DSOs compare by name, resolved symbols by DSO
 *     name and address range, unresolved ones by address), so entries pair
 *     across files, host and guest machines alike: a guest's DSOs carry
 *     guest names ([guest.kernel.kallsyms.PID], guest paths) and pair only
 *     with the same guest DSO of the other file;
 *   - link: an entry only the new file has gets a "dummy" baseline entry
 *     (no samples, printed with an empty Baseline);
 *   - compute, per pair: delta (new% - old%, each relative to its own
 *     file's total), ratio (new period / old period) or weighted diff
 *     (new * w2 - old * w1);
 *   - order the baseline for output: paired entries first, by the computed
 *     value (|delta| for delta-abs) descending, then by baseline period,
 *     then by the sort keys; unpaired (baseline-only) entries after.
 * The entries' pair pointers and computed values live in struct hist_entry
 * (hist.h); the stdio table is ui/stdio/diff.h.
 */
#ifndef KP_ANALYSIS_DIFF_H
#define KP_ANALYSIS_DIFF_H

#include "util/util.h"
#include "analysis/hist.h"

enum diff_compute {
	DIFF_COMPUTE_DELTA,
	DIFF_COMPUTE_RATIO,
	DIFF_COMPUTE_WDIFF,
	DIFF_COMPUTE_DELTA_ABS, /* perf's default */
};

struct diff_conf {
	enum diff_compute compute;
	s64 wdiff_w1, wdiff_w2; /* -c wdiff:w1,w2 */
	bool relative; /* --percentage relative: percent of the shown (not filtered) period */
	bool order_by_compute; /* perf's -o 1 (default): the computed column sorts first */
};

#define DIFF_CONF_DEFAULT                                                                  \
	((struct diff_conf){ .compute = DIFF_COMPUTE_DELTA_ABS, .order_by_compute = true })

/**
 * diff_conf__parse_compute - parse perf's -c value: delta, delta-abs,
 * ratio, wdiff:W1,W2 (both non-zero).  Returns 0 or KP_ERR_USAGE with a
 * detail saying what is accepted.
 */
int diff_conf__parse_compute(struct diff_conf *conf, const char *str);

/**
 * diff_conf__parse_percentage - parse --percentage relative|absolute.
 * Returns 0 or KP_ERR_USAGE.
 */
int diff_conf__parse_percentage(struct diff_conf *conf, const char *str);

/**
 * hists__diff - pair @base's entries with @other's (NULL: the new file has
 * no matching event, nothing pairs), add dummy baseline entries for the
 * entries only @other has, compute each pair's value, recompute @base's
 * totals from its entries as perf's output resort does and sort @base for
 * output (hists__output_resort()).  @other must have been filled, never
 * resorted; both must outlive the printing.  Call once per @base.
 */
void hists__diff(struct hists *base, struct hists *other, const struct diff_conf *conf);

/**
 * hists__diff_percent - @period as a percentage of @hists' total (the not
 * filtered total with --percentage relative); 0 for an empty total.
 */
double hists__diff_percent(const struct hists *hists, const struct diff_conf *conf, u64 period);

#endif
