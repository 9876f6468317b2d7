// SPDX-License-Identifier: GPL-2.0
/*
 * top.c - the perf top screen in curses: the same lines as --stdio, plus a
 * selection bar and a status line.
 */
#include <curses.h>
#include <string.h>

#include "ui/top-stdio.h"
#include "ui/tui/tui.h"

static void put_line(int y, const char *s, size_t len, int cols)
{
	move(y, 0);
	clrtoeol();
	addnstr(s, (int)(len < (size_t)cols ? len : (size_t)cols));
}

void tui_top__move(struct tui_top *st, long delta, size_t nr_rows)
{
	long sel = (long)st->selected + delta;

	if (sel >= (long)nr_rows)
		sel = (long)nr_rows - 1;
	if (sel < 0)
		sel = 0;
	st->selected = (size_t)sel;
}

void tui_top__draw(const struct top_snapshot *snap, struct tui_top *st)
{
	struct strbuf sb = STRBUF_INIT;
	struct top_table_layout lay;
	int cols = COLS, lines = LINES, y = 0;
	size_t page, end;

	if (!tui__active())
		return;
	erase();
	top_table__layout(snap, cols, 0, &lay);
	top_table__dashes(&sb, &lay);
	put_line(y++, sb.buf, sb.len, cols);

	/* the headline, wrapped: its percentages must stay readable on narrow screens */
	strbuf_setlen(&sb, 0);
	top_headline__strbuf(&snap->hl, &sb);
	attron(A_BOLD);
	for (size_t off = 0; off < sb.len && y < lines - 1; off += (size_t)cols)
		put_line(y++, sb.buf + off, sb.len - off, cols);
	attroff(A_BOLD);

	strbuf_setlen(&sb, 0);
	top_table__dashes(&sb, &lay);
	if (y < lines - 1)
		put_line(y++, sb.buf, sb.len, cols);
	y++;
	strbuf_setlen(&sb, 0);
	top_table__header(&sb, &lay);
	if (y < lines - 1)
		put_line(y++, sb.buf, sb.len, cols);
	strbuf_setlen(&sb, 0);
	top_table__underline(&sb, &lay);
	if (y < lines - 1)
		put_line(y++, sb.buf, sb.len, cols);
	y++;

	page = y < lines - 1 ? (size_t)(lines - 1 - y) : 0;
	st->page = page ? page : 1;
	if (snap->nr_rows && st->selected >= snap->nr_rows)
		st->selected = snap->nr_rows - 1;
	if (st->selected < st->scroll)
		st->scroll = st->selected;
	if (page && st->selected >= st->scroll + page)
		st->scroll = st->selected - page + 1;
	if (st->scroll >= snap->nr_rows)
		st->scroll = 0;
	end = st->scroll + page;
	if (end > snap->nr_rows)
		end = snap->nr_rows;
	for (size_t i = st->scroll; i < end; i++, y++) {
		strbuf_setlen(&sb, 0);
		top_table__row(&sb, &snap->rows[i], &lay);
		if (i == st->selected)
			attron(A_REVERSE);
		put_line(y, sb.buf, sb.len, cols);
		if (i == st->selected) {
			/* the bar spans the row */
			for (int x = (int)(sb.len < (size_t)cols ? sb.len : (size_t)cols); x < cols;
			     x++)
				mvaddch(y, x, ' ');
			attroff(A_REVERSE);
		}
	}
	if (!snap->nr_rows && y < lines - 1)
		put_line(y, "   (no samples in this view yet)", 32, cols);

	strbuf_setlen(&sb, 0);
	if (st->message)
		strbuf_addf(&sb, " %s |", st->message);
	strbuf_addf(&sb, " view: %s  dso: %s  rows: %zu | q quit  h guest/host/both  "
			 "d zoom DSO  arrows select",
		    top_view_mode__name(st->mode), st->dso ? st->dso : "all", snap->nr_rows);
	attron(A_REVERSE);
	put_line(lines - 1, sb.buf, sb.len, cols);
	for (int x = (int)(sb.len < (size_t)cols ? sb.len : (size_t)cols); x < cols; x++)
		mvaddch(lines - 1, x, ' ');
	attroff(A_REVERSE);
	st->message = NULL;
	refresh();
	strbuf_release(&sb);
}
