// SPDX-License-Identifier: GPL-2.0
/*
 * hist.c - perf report's stdio table.
 */
#include <stdio.h>
#include <string.h>

#include "util/util.h"
#include "analysis/hist.h"
#include "analysis/sort.h"
#include "ui/stdio/hist.h"
#include "ui/stdio/callchain.h"

enum column_kind {
	COL_CHILDREN,
	COL_SELF,
	COL_SYS,
	COL_USR,
	COL_GUEST_SYS,
	COL_GUEST_USR,
	COL_SAMPLES,
	COL_KEY,
};

struct column {
	enum column_kind kind;
	enum sort_key key;
	const char *header;
	unsigned int width;
};

#define MAX_COLUMNS (SORT_MAX_KEYS + 8)

static void add_col(struct column *cols, int *nr, enum column_kind kind, const char *header,
		    unsigned int width)
{
	unsigned int hlen = strlen(header);

	cols[*nr] = (struct column){ .kind = kind, .header = header,
				     .width = hlen > width ? hlen : width };
	(*nr)++;
}

static unsigned int key_width(const struct hists *hists, enum sort_key key)
{
	switch (key) {
	case SORT_COMM:
		return hists__col_len(hists, HISTC_COMM);
	case SORT_PID:
		return hists__col_len(hists, HISTC_THREAD);
	case SORT_DSO:
		return hists__col_len(hists, HISTC_DSO);
	case SORT_SYM:
		return hists__col_len(hists, HISTC_SYMBOL);
	case SORT_CPU:
		return hists__col_len(hists, HISTC_CPU);
	case SORT_NR_KEYS:
		break;
	}
	return 0;
}

static int setup_columns(const struct hists *hists, const struct hists_fprintf_opts *opts,
			 struct column *cols)
{
	int nr = 0;

	if (hists->cumulate) {
		add_col(cols, &nr, COL_CHILDREN, "Children", 8);
		add_col(cols, &nr, COL_SELF, "Self", 8);
	} else {
		add_col(cols, &nr, COL_SELF, "Overhead", 8);
	}
	if (opts->show_cpu_util) {
		add_col(cols, &nr, COL_SYS, "sys", 8);
		add_col(cols, &nr, COL_USR, "usr", 8);
		if (opts->show_guest_util) {
			add_col(cols, &nr, COL_GUEST_SYS, "guest sys", 9);
			add_col(cols, &nr, COL_GUEST_USR, "guest usr", 9);
		}
	}
	if (opts->show_nr_samples)
		add_col(cols, &nr, COL_SAMPLES, "Samples", 12);
	for (int i = 0; i < hists->sort.nr; i++) {
		enum sort_key key = hists->sort.keys[i];

		add_col(cols, &nr, COL_KEY, sort_key__header(key), key_width(hists, key));
		cols[nr - 1].key = key;
	}
	return nr;
}

static void print_headers(const struct column *cols, int nr, FILE *fp)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "# ");
	for (int i = 0; i < nr; i++) {
		if (i)
			strbuf_addstr(&sb, "  ");
		if (cols[i].kind == COL_KEY)
			strbuf_addf(&sb, "%-*s", (int)cols[i].width, cols[i].header);
		else
			strbuf_addf(&sb, "%*s", (int)cols[i].width, cols[i].header);
	}
	strbuf_addstr(&sb, "\n# ");
	for (int i = 0; i < nr; i++) {
		if (i)
			strbuf_addstr(&sb, "  ");
		strbuf_addchars(&sb, '.', cols[i].width);
	}
	strbuf_addstr(&sb, "\n#\n");
	fwrite(sb.buf, 1, sb.len, fp);
	strbuf_release(&sb);
}

static void add_percent(struct strbuf *sb, const struct hists *hists, u64 period,
			unsigned int width)
{
	strbuf_addf(sb, "%*.2f%%", (int)width - 1, hists__percent(hists, period));
}

static void print_cell(struct strbuf *sb, const struct hists *hists, const struct column *col,
		       const struct hist_entry *he)
{
	switch (col->kind) {
	case COL_CHILDREN:
		add_percent(sb, hists, he->stat_acc.period, col->width);
		break;
	case COL_SELF:
		add_percent(sb, hists, he->stat.period, col->width);
		break;
	case COL_SYS:
		add_percent(sb, hists, he->stat.period_sys, col->width);
		break;
	case COL_USR:
		add_percent(sb, hists, he->stat.period_us, col->width);
		break;
	case COL_GUEST_SYS:
		add_percent(sb, hists, he->stat.period_guest_sys, col->width);
		break;
	case COL_GUEST_USR:
		add_percent(sb, hists, he->stat.period_guest_us, col->width);
		break;
	case COL_SAMPLES:
		strbuf_addf(sb, "%*llu", (int)col->width, (unsigned long long)he->stat.nr_events);
		break;
	case COL_KEY:
		sort_key__snprintf(col->key, hists, he, sb, col->width);
		break;
	}
}

static float entry_percent(const struct hists *hists, const struct hist_entry *he)
{
	u64 period = hists->cumulate ? he->stat_acc.period : he->stat.period;

	if (!hists->stats.total_period)
		return 0;
	return (float)(period * 100.0 / hists->stats.total_period);
}

size_t hists__fprintf(const struct hists *hists, const struct hists_fprintf_opts *opts, FILE *fp)
{
	struct column cols[MAX_COLUMNS];
	struct strbuf sb = STRBUF_INIT;
	int nr = setup_columns(hists, opts, cols);
	size_t rows = 0;

	if (opts->show_header)
		print_headers(cols, nr, fp);
	for (size_t i = 0; i < hists->nr_sorted; i++) {
		const struct hist_entry *he = hists->sorted[i];

		if (he->filtered)
			continue;
		if (entry_percent(hists, he) < opts->min_percent)
			continue;
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		for (int c = 0; c < nr; c++) {
			size_t start;

			if (c)
				strbuf_addstr(&sb, "  ");
			start = sb.len;
			print_cell(&sb, hists, &cols[c], he);
			/* perf pads every column but the last to its width */
			if (c != nr - 1 && sb.len - start < cols[c].width)
				strbuf_addchars(&sb, ' ', cols[c].width - (sb.len - start));
		}
		strbuf_addch(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, fp);
		rows++;
		if (opts->callchain && opts->callchain->mode != CHAIN_NONE)
			hist_entry__fprintf_callchain(he, hists, opts->callchain,
						      opts->callchain_skip_first, fp);
	}
	strbuf_release(&sb);
	return rows;
}

void hists__fprintf_nr_sample_events(const struct hists *hists, const char *evname, FILE *fp)
{
	unsigned long long n = hists->stats.nr_samples;
	char unit = ' ';

	if (n > 1000) {
		n /= 1000;
		unit = 'K';
	}
	if (n > 1000) {
		n /= 1000;
		unit = 'M';
	}
	if (n > 1000) {
		n /= 1000;
		unit = 'G';
	}
	fprintf(fp, "# Samples: %llu%c of event '%s'\n", n, unit, evname);
	fprintf(fp, "# Event count (approx.): %llu\n#\n",
		(unsigned long long)hists->stats.total_period);
}
