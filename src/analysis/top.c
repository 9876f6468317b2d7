// SPDX-License-Identifier: GPL-2.0
/*
 * top.c - decaying live histogram and PerfTop headline (see top.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/top.h"
#include "data/event.h"
#include "machine/machine.h"

struct top_entry {
	struct top_entry *next;
	const char *dso_name;
	const struct symbol *sym;
	u64 addr;
	u64 count;
	char level;
	bool filtered;
};

void top__init(struct top *top)
{
	memset(top, 0, sizeof(*top));
	top->table_size = 256;
	top->table = xcalloc(top->table_size, sizeof(*top->table));
}

void top__exit(struct top *top)
{
	struct top_entry *e, *next;

	for (size_t i = 0; i < top->table_size; i++) {
		for (e = top->table[i]; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	for (e = top->free_list; e; e = next) {
		next = e->next;
		free(e);
	}
	free(top->table);
	memset(top, 0, sizeof(*top));
}

void top__count_sample(struct top *top, u8 cpumode, bool exact)
{
	top->samples++;
	top->total_samples++;
	switch (cpumode) {
	case PERF_RECORD_MISC_KERNEL:
		top->kernel++;
		break;
	case PERF_RECORD_MISC_USER:
		top->us++;
		break;
	case PERF_RECORD_MISC_GUEST_KERNEL:
		top->guest_kernel++;
		break;
	case PERF_RECORD_MISC_GUEST_USER:
		top->guest_us++;
		break;
	default:
		break;
	}
	if (exact)
		top->exact++;
}

void top__count_lost(struct top *top, u64 nr)
{
	top->lost += nr;
	top->lost_total += nr;
}

static u64 key_hash(const struct top_key *k)
{
	u64 h = (u64)(uintptr_t)k->dso_name * 0x9e3779b97f4a7c15ULL;

	h ^= (u64)(uintptr_t)k->sym + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
	if (!k->sym)
		h ^= k->addr * 0xff51afd7ed558ccdULL;
	h ^= (u64)(u8)k->level << 1 | k->filtered;
	h ^= h >> 29;
	return h;
}

static bool key_eq(const struct top_entry *e, const struct top_key *k)
{
	return e->dso_name == k->dso_name && e->sym == k->sym && e->level == k->level &&
	       e->filtered == k->filtered && (k->sym || e->addr == k->addr);
}

static void top__rehash(struct top *top)
{
	size_t nsize = top->table_size * 2;
	struct top_entry **nt = xcalloc(nsize, sizeof(*nt));

	for (size_t i = 0; i < top->table_size; i++) {
		struct top_entry *e = top->table[i], *next;

		for (; e; e = next) {
			struct top_key k = {
				.dso_name = e->dso_name, .sym = e->sym, .addr = e->addr,
				.level = e->level, .filtered = e->filtered,
			};
			size_t b = key_hash(&k) & (nsize - 1);

			next = e->next;
			e->next = nt[b];
			nt[b] = e;
		}
	}
	free(top->table);
	top->table = nt;
	top->table_size = nsize;
}

void top__add(struct top *top, const struct top_key *key)
{
	struct top_key k = *key;
	struct top_entry *e;
	size_t b;

	/* filtered samples only matter for the total: one bucket per level */
	if (k.filtered) {
		k.dso_name = NULL;
		k.sym = NULL;
		k.addr = 0;
	}
	b = key_hash(&k) & (top->table_size - 1);
	for (e = top->table[b]; e; e = e->next) {
		if (key_eq(e, &k)) {
			e->count++;
			return;
		}
	}
	if (top->nr_entries + 1 > top->table_size) {
		top__rehash(top);
		b = key_hash(&k) & (top->table_size - 1);
	}
	if (top->free_list) {
		e = top->free_list;
		top->free_list = e->next;
	} else {
		e = xmalloc(sizeof(*e));
	}
	e->dso_name = k.dso_name;
	e->sym = k.sym;
	e->addr = k.sym ? 0 : k.addr;
	e->level = k.level;
	e->filtered = k.filtered;
	e->count = 1;
	e->next = top->table[b];
	top->table[b] = e;
	top->nr_entries++;
}

static bool view_shows(const struct top_view *view, const struct top_row *r)
{
	bool guest = r->level == 'g' || r->level == 'u';

	if (!view)
		return true;
	if (view->mode == TOP_VIEW_GUEST && !guest)
		return false;
	if (view->mode == TOP_VIEW_HOST && guest)
		return false;
	if (view->dso && strcmp(view->dso, r->dso_name))
		return false;
	return true;
}

void top_snapshot__set_view(struct top_snapshot *snap, const struct top_view *view)
{
	snap->nr_rows = 0;
	for (size_t i = 0; i < snap->nr_all; i++) {
		if (!view_shows(view, &snap->all[i]))
			continue;
		ALLOC_GROW(snap->rows, snap->nr_rows + 1, snap->alloc_rows);
		snap->rows[snap->nr_rows++] = snap->all[i];
	}
}

static int row_cmp(const void *a, const void *b)
{
	const struct top_row *l = a, *r = b;
	int c;

	if (l->count != r->count)
		return l->count > r->count ? -1 : 1;
	c = strcmp(top_row__sym(l), top_row__sym(r));
	if (c)
		return c;
	c = strcmp(l->dso_name, r->dso_name);
	if (c)
		return c;
	return (int)l->level - (int)r->level;
}

void top__snapshot(struct top *top, const struct top_headline *hl, const struct top_view *view,
		   struct top_snapshot *snap)
{
	snap->hl = *hl;
	snap->hl.samples = top->samples;
	snap->hl.kernel = top->kernel;
	snap->hl.us = top->us;
	snap->hl.guest_kernel = top->guest_kernel;
	snap->hl.guest_us = top->guest_us;
	snap->hl.exact = top->exact;
	snap->hl.lost = top->lost;
	snap->hl.lost_total = top->lost_total;
	top->samples = top->kernel = top->us = top->guest_kernel = top->guest_us = 0;
	top->exact = top->lost = 0;

	snap->nr_all = 0;
	snap->total = 0;
	snap->nr_entries = top->nr_entries;
	for (size_t i = 0; i < top->table_size; i++) {
		struct top_entry **pp = &top->table[i], *e;

		while ((e = *pp) != NULL) {
			snap->total += e->count;
			if (e->count && !e->filtered) {
				struct top_row *r;

				ALLOC_GROW(snap->all, snap->nr_all + 1, snap->alloc_all);
				r = &snap->all[snap->nr_all++];
				r->sym_name = e->sym ? e->sym->name : NULL;
				r->dso_name = e->dso_name ? e->dso_name : "[unknown]";
				r->count = e->count;
				r->level = e->level;
				r->addr_name[0] = '\0';
				if (!e->sym)
					snprintf(r->addr_name, sizeof(r->addr_name), "0x%016llx",
						 (unsigned long long)e->addr);
			}
			/* decay after the copy, as perf top did: the table shows this interval */
			e->count = top->zero ? 0 : e->count * 7 / 8;
			if (e->count) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			e->next = top->free_list;
			top->free_list = e;
			top->nr_entries--;
		}
	}
	for (size_t i = 0; i < snap->nr_all; i++)
		snap->all[i].percent = snap->total ? 100.0 * (double)snap->all[i].count /
							     (double)snap->total
						   : 0.0;
	if (snap->nr_all > 1)
		qsort(snap->all, snap->nr_all, sizeof(*snap->all), row_cmp);
	top_snapshot__set_view(snap, view);
}

void top_snapshot__exit(struct top_snapshot *snap)
{
	free(snap->all);
	free(snap->rows);
	memset(snap, 0, sizeof(*snap));
}

/* perf's 100 - 100 * (sps - xsps) / sps, NaN included */
static double pct(double sps, double xsps)
{
	return 100.0 - (100.0 * ((sps - xsps) / sps));
}

void top_headline__percents(const struct top_headline *hl, double *kernel, double *us,
			    double *guest_kernel, double *guest_us, double *exact)
{
	double d = hl->delay_secs > 0 ? hl->delay_secs : 1.0;
	double sps = (double)hl->samples / d;

	if (hl->samples) {
		*kernel = pct(sps, (double)hl->kernel / d);
		*us = pct(sps, (double)hl->us / d);
		*guest_kernel = pct(sps, (double)hl->guest_kernel / d);
		*guest_us = pct(sps, (double)hl->guest_us / d);
		*exact = 100.0 * (double)hl->exact / (double)hl->samples;
	} else {
		/* perf divides 0 by 0 here; say so without a floating-point trap */
		*kernel = *us = *guest_kernel = *guest_us = *exact = NAN;
	}
}

void top_headline__strbuf(const struct top_headline *hl, struct strbuf *sb)
{
	double d = hl->delay_secs > 0 ? hl->delay_secs : 1.0;
	double k, u, gk, gu, ex;

	top_headline__percents(hl, &k, &u, &gk, &gu, &ex);
	if (hl->guest) {
		strbuf_addf(sb, "   PerfTop:%8.0f irqs/sec  kernel:%4.1f%% us:%4.1f%% "
				"guest kernel:%4.1f%% guest us:%4.1f%% exact: %4.1f%% [",
			    (double)hl->samples / d, k, u, gk, gu, ex);
	} else {
		/* perf prints kernel 0 rather than NaN in this form */
		strbuf_addf(sb, "   PerfTop:%8.0f irqs/sec  kernel:%4.1f%%  exact: %4.1f%% "
				"lost: %llu/%llu drop: %llu/%llu [",
			    (double)hl->samples / d, hl->samples ? k : 0.0, ex,
			    (unsigned long long)hl->lost, (unsigned long long)hl->lost_total, 0ULL,
			    0ULL);
	}
	strbuf_addf(sb, "%llu%s ", (unsigned long long)hl->sample_period, hl->freq ? "Hz" : "");
	strbuf_addf(sb, "%s], ", hl->event ? hl->event : "unknown");
	if (hl->target_pid)
		strbuf_addf(sb, " (target_pid: %s", hl->target_pid);
	else if (hl->target_tid)
		strbuf_addf(sb, " (target_tid: %s", hl->target_tid);
	else
		strbuf_addstr(sb, " (all");
	if (hl->cpu_list)
		strbuf_addf(sb, ", CPU%s: %s)", hl->nr_cpus > 1 ? "s" : "", hl->cpu_list);
	else if (hl->target_tid)
		strbuf_addch(sb, ')');
	else
		strbuf_addf(sb, ", %d CPU%s)", hl->nr_cpus, hl->nr_cpus > 1 ? "s" : "");
}

const char *top_view_mode__name(enum top_view_mode mode)
{
	switch (mode) {
	case TOP_VIEW_GUEST:
		return "guest";
	case TOP_VIEW_HOST:
		return "host";
	default:
		return "guest+host";
	}
}
