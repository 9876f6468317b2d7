// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - perf diff's stdio table.
 */
#include <stdio.h>
#include <string.h>

#include "util/util.h"
#include "analysis/sort.h"
#include "ui/stdio/diff.h"

static const char *compute_header(enum diff_compute c, unsigned int *width)
{
	switch (c) {
	case DIFF_COMPUTE_DELTA:
		*width = 7;
		return "Delta";
	case DIFF_COMPUTE_DELTA_ABS:
		*width = 9;
		return "Delta Abs";
	case DIFF_COMPUTE_RATIO:
		*width = 14;
		return "Ratio";
	case DIFF_COMPUTE_WDIFF:
		*width = 14;
		return "Weighted diff";
	}
	*width = 0;
	return "";
}

static unsigned int key_width(const struct hists *hists, enum sort_key key)
{
	static const enum hist_column cols[SORT_NR_KEYS] = {
		[SORT_COMM] = HISTC_COMM, [SORT_PID] = HISTC_THREAD, [SORT_DSO] = HISTC_DSO,
		[SORT_SYM] = HISTC_SYMBOL, [SORT_CPU] = HISTC_CPU,
	};
	unsigned int w = hists__col_len(hists, cols[key]), h = strlen(sort_key__header(key));

	return w > h ? w : h;
}

/*
 * The computed cell's text before it is right-aligned (perf's buffer starts as " ").
 * perf's stdio output goes through the colour printers whenever there is no field
 * separator, and those print a paired entry's ratio and weighted diff even when
 * they are 0 (the plain printers would leave the cell blank).
 */
static void compute_cell(const struct hist_entry *he, const struct diff_conf *conf,
			 struct strbuf *sb)
{
	if (!he->pair) {
		strbuf_addch(sb, ' ');
		return;
	}
	switch (conf->compute) {
	case DIFF_COMPUTE_DELTA:
	case DIFF_COMPUTE_DELTA_ABS:
		strbuf_addf(sb, "%+4.2F%%", he->diff_delta);
		return;
	case DIFF_COMPUTE_RATIO:
		if (he->dummy)
			strbuf_addstr(sb, "N/A");
		else
			strbuf_addf(sb, "%14.6F", he->diff_ratio);
		return;
	case DIFF_COMPUTE_WDIFF:
		if (he->dummy)
			strbuf_addstr(sb, "N/A");
		else
			strbuf_addf(sb, "%14lld", (long long)he->diff_wdiff);
		return;
	}
}

size_t hists__fprintf_diff(const struct hists *base, const struct diff_conf *conf,
			   bool show_header, FILE *fp)
{
	struct strbuf sb = STRBUF_INIT, cell = STRBUF_INIT;
	unsigned int cw, kw[SORT_MAX_KEYS];
	const char *ch = compute_header(conf->compute, &cw);
	size_t rows = 0;

	for (int i = 0; i < base->sort.nr; i++)
		kw[i] = key_width(base, base->sort.keys[i]);
	if (show_header) {
		strbuf_addf(&sb, "# %8s  %*s", "Baseline", (int)cw, ch);
		for (int i = 0; i < base->sort.nr; i++)
			strbuf_addf(&sb, "  %-*s", (int)kw[i], sort_key__header(base->sort.keys[i]));
		strbuf_addstr(&sb, "\n# ");
		strbuf_addchars(&sb, '.', 8);
		strbuf_addstr(&sb, "  ");
		strbuf_addchars(&sb, '.', cw);
		for (int i = 0; i < base->sort.nr; i++) {
			strbuf_addstr(&sb, "  ");
			strbuf_addchars(&sb, '.', kw[i]);
		}
		strbuf_addstr(&sb, "\n#\n");
		fwrite(sb.buf, 1, sb.len, fp);
	}
	for (size_t r = 0; r < base->nr_sorted; r++) {
		const struct hist_entry *he = base->sorted[r];

		if (he->filtered)
			continue;
		strbuf_reset(&sb);
		strbuf_reset(&cell);
		if (!he->dummy)
			strbuf_addf(&cell, "%6.2f%%",
				    hists__diff_percent(base, conf, he->stat.period));
		strbuf_addf(&sb, "  %8s", cell.buf);
		strbuf_reset(&cell);
		compute_cell(he, conf, &cell);
		strbuf_addf(&sb, "  %*s", (int)cw, cell.buf);
		for (int i = 0; i < base->sort.nr; i++) {
			size_t start;

			strbuf_addstr(&sb, "  ");
			start = sb.len;
			sort_key__snprintf(base->sort.keys[i], base, he, &sb, kw[i]);
			/* every column but the last is padded to its width */
			if (i != base->sort.nr - 1 && sb.len - start < kw[i])
				strbuf_addchars(&sb, ' ', kw[i] - (sb.len - start));
		}
		strbuf_addch(&sb, '\n');
		fwrite(sb.buf, 1, sb.len, fp);
		rows++;
	}
	strbuf_release(&sb);
	strbuf_release(&cell);
	return rows;
}
