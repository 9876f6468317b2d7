/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sort.h - sort keys of report histograms (perf's --sort): comm, pid, dso,
 * sym, cpu.
 *
 * Each key has perf's three comparators with perf's sign convention
 * (cmp(left, right) > 0 means left comes first):
 *   - cmp: identity; entries equal on every active key are merged, and the
 *     order of entries that tie on everything else follows it;
 *   - sort: the output order (names for comm and sym, otherwise cmp);
 * and a cell printer that writes what perf's column shows.
 */
#ifndef KP_ANALYSIS_SORT_H
#define KP_ANALYSIS_SORT_H

#include "util/util.h"

struct hist_entry;
struct hists;

enum sort_key {
	SORT_COMM,
	SORT_PID,
	SORT_DSO,
	SORT_SYM,
	SORT_CPU,
	SORT_NR_KEYS,
};

#define SORT_MAX_KEYS 8

struct sort_list {
	enum sort_key keys[SORT_MAX_KEYS];
	int nr;
};

/** perf's default for report: comm,dso,symbol */
#define SORT_DEFAULT_ORDER "comm,dso,symbol"

/**
 * sort_list__parse - parse a perf --sort string ("comm,dso,sym", also
 * "symbol", "pid", "cpu"; comma or space separated; duplicates ignored as
 * perf does).  Returns 0 or KP_ERR_USAGE with a detail naming the bad key.
 */
int sort_list__parse(struct sort_list *list, const char *str);

/** sort_list__has - true if @key is one of @list's keys. */
bool sort_list__has(const struct sort_list *list, enum sort_key key);

/** sort_key__header - the column header perf prints for @key. */
const char *sort_key__header(enum sort_key key);

/** sort_key__cmp - perf's se_cmp for @key (identity comparator). */
s64 sort_key__cmp(enum sort_key key, const struct hist_entry *left,
		  const struct hist_entry *right);

/** sort_key__sort - perf's se_sort (or se_cmp) for @key (output comparator). */
s64 sort_key__sort(enum sort_key key, const struct hist_entry *left,
		   const struct hist_entry *right);

/**
 * hist_entry__cmp - compare two entries on every key of @list with cmp();
 * 0 means they are the same entry.
 */
s64 hist_entry__cmp(const struct sort_list *list, const struct hist_entry *left,
		    const struct hist_entry *right);

/**
 * sort_key__snprintf - append @he's cell for @key to @sb, formatted for a
 * column of @width as perf does (padded, except a symbol cell which is not).
 */
void sort_key__snprintf(enum sort_key key, const struct hists *hists,
			const struct hist_entry *he, struct strbuf *sb, unsigned int width);

#endif
