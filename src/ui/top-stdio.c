// SPDX-License-Identifier: GPL-2.0
/*
 * top-stdio.c - perf top's text screen (see top-stdio.h).
 */
#include <string.h>

#include "ui/top-stdio.h"

#define TOP_FIXED_COLS 29 /* perf: count, percent and separators take 29 columns */

void top_table__layout(const struct top_snapshot *snap, int cols, size_t max_rows,
		       struct top_table_layout *lay)
{
	size_t n = snap->nr_rows;
	int sym = (int)strlen("function"), dso = (int)strlen("DSO");

	if (max_rows && n > max_rows)
		n = max_rows;
	for (size_t i = 0; i < n; i++) {
		int s = (int)strlen(top_row__sym(&snap->rows[i]));
		int d = (int)strlen(snap->rows[i].dso_name);

		if (s > sym)
			sym = s;
		if (d > dso)
			dso = d;
	}
	if (cols > 0 && sym + dso > cols - TOP_FIXED_COLS) {
		/* perf cuts the function column; keep at least its title */
		sym = cols - dso - TOP_FIXED_COLS;
		if (sym < 8) {
			sym = 8;
			dso = cols - sym - TOP_FIXED_COLS;
			if (dso < 3)
				dso = 3;
		}
	}
	lay->cols = cols;
	lay->sym_width = sym;
	lay->dso_width = dso;
	lay->nr_rows = n;
}

void top_table__dashes(struct strbuf *sb, const struct top_table_layout *lay)
{
	strbuf_addchars(sb, '-', lay->cols > 1 ? (size_t)lay->cols - 1 : 79);
}

void top_table__header(struct strbuf *sb, const struct top_table_layout *lay)
{
	strbuf_addf(sb, "             samples  pcnt %-*.*s DSO", lay->sym_width, lay->sym_width,
		    "function");
}

void top_table__underline(struct strbuf *sb, const struct top_table_layout *lay)
{
	strbuf_addstr(sb, "             _______ _____ ");
	strbuf_addchars(sb, '_', (size_t)lay->sym_width);
	strbuf_addch(sb, ' ');
	strbuf_addchars(sb, '_', (size_t)lay->dso_width);
}

void top_table__row(struct strbuf *sb, const struct top_row *row,
		    const struct top_table_layout *lay)
{
	strbuf_addf(sb, "%20.2f %4.1f%% %-*.*s %-*.*s", (double)row->count, row->percent,
		    lay->sym_width, lay->sym_width, top_row__sym(row), lay->dso_width,
		    lay->dso_width, row->dso_name);
	strbuf_rtrim(sb);
}

void top_stdio__render(struct strbuf *sb, const struct top_snapshot *snap, int cols,
		       size_t max_rows)
{
	struct top_table_layout lay;

	top_table__layout(snap, cols, max_rows, &lay);
	top_table__dashes(sb, &lay);
	strbuf_addch(sb, '\n');
	top_headline__strbuf(&snap->hl, sb);
	strbuf_addch(sb, '\n');
	top_table__dashes(sb, &lay);
	strbuf_addstr(sb, "\n\n");
	top_table__header(sb, &lay);
	strbuf_addch(sb, '\n');
	top_table__underline(sb, &lay);
	strbuf_addstr(sb, "\n\n");
	for (size_t i = 0; i < lay.nr_rows; i++) {
		top_table__row(sb, &snap->rows[i], &lay);
		strbuf_addch(sb, '\n');
	}
}
