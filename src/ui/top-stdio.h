/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top-stdio.h - the perf top screen as text (the layout of the 2010 perf kvm
 * mail): a dashed line, the PerfTop headline, a dashed line, then
 *
 *              samples  pcnt function                 DSO
 *              _______ _____ ________________________ _______________________
 *
 *              3740.00  8.0% __ticket_spin_lock       [guest.kernel.kallsyms]
 *
 * Column widths follow perf: the function column is as wide as the longest
 * name shown, and when function + DSO do not fit in the terminal width minus
 * 29 the function column is cut.  The TUI (ui/tui/) builds its lines with the
 * same functions.
 */
#ifndef KP_UI_TOP_STDIO_H
#define KP_UI_TOP_STDIO_H

#include <stdio.h>

#include "analysis/top.h"

struct top_table_layout {
	int cols; /* screen width; 0: unlimited (no cutting) */
	int sym_width;
	int dso_width;
	size_t nr_rows; /* rows to print */
};

/**
 * top_table__layout - widths for printing at most @max_rows rows of @snap
 * (0: all) on a screen @cols wide (0: unlimited).
 */
void top_table__layout(const struct top_snapshot *snap, int cols, size_t max_rows,
		       struct top_table_layout *lay);

/** top_table__dashes - append the dashed separator line (cols - 1 wide, 79 when unlimited). */
void top_table__dashes(struct strbuf *sb, const struct top_table_layout *lay);

/** top_table__header - append the column titles line (without newline). */
void top_table__header(struct strbuf *sb, const struct top_table_layout *lay);

/** top_table__underline - append the underscore line (without newline). */
void top_table__underline(struct strbuf *sb, const struct top_table_layout *lay);

/** top_table__row - append one row (without newline): "%20.2f %4.1f%% function DSO". */
void top_table__row(struct strbuf *sb, const struct top_row *row,
		    const struct top_table_layout *lay);

/**
 * top_stdio__render - append the whole screen of @snap to @sb: dashes,
 * headline, dashes, an empty line, titles, underline, an empty line, rows.
 */
void top_stdio__render(struct strbuf *sb, const struct top_snapshot *snap, int cols,
		       size_t max_rows);

#endif
