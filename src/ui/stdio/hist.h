/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h - perf report's stdio table for one event's histogram.
 *
 * Layout (perf 6.1 ui/stdio/hist.c): a header line "# " + column headers,
 * a dots line, "#", then one row per entry: two spaces, then the cells
 * separated by two spaces.  Percent and count columns are right-aligned,
 * sort-key columns left-aligned and padded to the column width except the
 * last one, which carries whatever its cell printed (a symbol cell is never
 * padded; other cells pad themselves).
 */
#ifndef KP_UI_STDIO_HIST_H
#define KP_UI_STDIO_HIST_H

#include <stdio.h>

#include "analysis/hist.h"
#include "analysis/chain-tree.h"

struct hists_fprintf_opts {
	bool show_header; /* the "# Overhead ..." header lines (not with -q) */
	bool show_nr_samples; /* -n: Samples column */
	bool show_cpu_util; /* --showcpuutilization: sys, usr */
	bool show_guest_util; /* ... and guest sys, guest usr (when guest samples are shown) */
	float min_percent; /* --percent-limit */
	/* -g: print each entry's callchain tree this way (NULL or CHAIN_NONE: not) */
	const struct callchain_param *callchain;
	bool callchain_skip_first; /* the sort order starts with "sym" */
};

/**
 * hists__fprintf - print @hists (after hists__output_resort()) as perf's
 * stdio report table.  Returns the number of rows printed.
 */
size_t hists__fprintf(const struct hists *hists, const struct hists_fprintf_opts *opts, FILE *fp);

/**
 * hists__fprintf_nr_sample_events - the "# Samples: N  of event 'NAME'" and
 * "# Event count (approx.): N" lines (counts above 1000 scaled to K, M, G).
 */
void hists__fprintf_nr_sample_events(const struct hists *hists, const char *evname, FILE *fp);

#endif
