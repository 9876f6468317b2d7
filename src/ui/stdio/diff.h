/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diff.h - perf diff's stdio table for one event.
 *
 * Layout (perf 6.1 builtin-diff.c + ui/stdio/hist.c): "# " + headers, a
 * dots line, "#", then one row per shown baseline entry: two spaces, the
 * Baseline cell ("%6.2f%%" right-aligned in 8, empty for an entry only the
 * new file has), the computed cell (Delta Abs / Delta: "%+4.2F%%" in 9 / 7;
 * Ratio: "%14.6F"; Weighted diff: "%14ld"; empty when the entry has no
 * pair; N/A for ratio and wdiff without a baseline), then the sort-key
 * cells as in report.
 */
#ifndef KP_UI_STDIO_DIFF_H
#define KP_UI_STDIO_DIFF_H

#include <stdio.h>

#include "analysis/diff.h"

/**
 * hists__fprintf_diff - print @base after hists__diff(); with @show_header
 * the three header lines first.  Returns the number of rows printed.
 */
size_t hists__fprintf_diff(const struct hists *base, const struct diff_conf *conf,
			   bool show_header, FILE *fp);

#endif
