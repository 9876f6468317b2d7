// SPDX-License-Identifier: GPL-2.0
/*
 * hist.c - sample histograms: hash table of entries, totals, output order.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/util.h"
#include "analysis/hist.h"
#include "analysis/sort.h"
#include "machine/machine.h"

#define HIST_SLAB_ENTRIES 1024

struct hist_slab {
	struct hist_slab *next;
	size_t used;
	struct hist_entry entries[HIST_SLAB_ENTRIES];
};

struct intern_str {
	struct intern_str *next;
	u64 hash;
	char str[];
};

static u64 hash_mix(u64 h, u64 v)
{
	/* 64-bit variant of the boost combine with a multiplicative finaliser */
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static u64 hash_str(const char *s)
{
	u64 h = 0xcbf29ce484222325ULL; /* FNV-1a */

	if (!s)
		return 0;
	for (; *s; s++) {
		h ^= (u8)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static u64 hash_final(u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

void hists__init(struct hists *hists, const struct sort_list *sort, bool cumulate,
		 const char *(*thread_comm)(const void *thread))
{
	memset(hists, 0, sizeof(*hists));
	hists->sort = *sort;
	hists->cumulate = cumulate;
	hists->thread_comm = thread_comm;
	hists->table_size = 1024;
	hists->table = xcalloc(hists->table_size, sizeof(*hists->table));
	hists->comm_table_size = 64;
	hists->comm_table = xcalloc(hists->comm_table_size, sizeof(*hists->comm_table));
}

void hists__exit(struct hists *hists)
{
	struct hist_slab *slab = hists->slabs;

	while (slab) {
		struct hist_slab *next = slab->next;

		free(slab);
		slab = next;
	}
	for (size_t i = 0; i < hists->comm_table_size; i++) {
		struct intern_str *s = hists->comm_table[i];

		while (s) {
			struct intern_str *next = s->next;

			free(s);
			s = next;
		}
	}
	free(hists->comm_table);
	free(hists->table);
	free(hists->he_cache);
	free(hists->sorted);
	memset(hists, 0, sizeof(*hists));
}

const char *hists__intern_comm(struct hists *hists, const char *comm)
{
	u64 h;
	size_t idx, len;
	struct intern_str *s;

	if (!comm)
		comm = "";
	if (comm == hists->last_comm_src && !strcmp(comm, hists->last_comm))
		return hists->last_comm;
	h = hash_str(comm);
	idx = h & (hists->comm_table_size - 1);
	for (s = hists->comm_table[idx]; s; s = s->next) {
		if (s->hash == h && !strcmp(s->str, comm)) {
			hists->last_comm_src = comm;
			hists->last_comm = s->str;
			return s->str;
		}
	}
	if (hists->nr_comms >= hists->comm_table_size) {
		size_t nsize = hists->comm_table_size * 2;
		struct intern_str **nt = xcalloc(nsize, sizeof(*nt));

		for (size_t i = 0; i < hists->comm_table_size; i++) {
			struct intern_str *p = hists->comm_table[i];

			while (p) {
				struct intern_str *next = p->next;
				size_t j = p->hash & (nsize - 1);

				p->next = nt[j];
				nt[j] = p;
				p = next;
			}
		}
		free(hists->comm_table);
		hists->comm_table = nt;
		hists->comm_table_size = nsize;
		idx = h & (nsize - 1);
	}
	len = strlen(comm);
	s = xmalloc(sizeof(*s) + len + 1);
	s->hash = h;
	memcpy(s->str, comm, len + 1);
	s->next = hists->comm_table[idx];
	hists->comm_table[idx] = s;
	hists->nr_comms++;
	hists->last_comm_src = comm;
	hists->last_comm = s->str;
	return s->str;
}

static u64 hists__dso_hash(struct hists *hists, const char *name)
{
	size_t slot;

	if (!name)
		return 0;
	slot = ((uintptr_t)name >> 4) & (ARRAY_SIZE(hists->dso_hash_cache) - 1);
	if (hists->dso_hash_cache[slot].name != name) {
		hists->dso_hash_cache[slot].name = name;
		hists->dso_hash_cache[slot].hash = hash_str(name);
	}
	return hists->dso_hash_cache[slot].hash;
}

/* a hash consistent with hist_entry__cmp() == 0 on the active keys */
static u64 hist_key__hash(struct hists *hists, const struct hist_entry *he)
{
	const struct sort_list *sort = &hists->sort;
	u64 h = 0;

	for (int i = 0; i < sort->nr; i++) {
		switch (sort->keys[i]) {
		case SORT_COMM:
			h = hash_mix(h, (u64)(uintptr_t)he->comm);
			break;
		case SORT_PID:
			h = hash_mix(h, (u64)(u32)he->tid);
			break;
		case SORT_DSO:
			h = hash_mix(h, hists__dso_hash(hists, he->dso_name));
			break;
		case SORT_SYM:
			if (!he->sym) {
				h = hash_mix(h, he->ip);
			} else {
				h = hash_mix(h, hists__dso_hash(hists, he->dso_name));
				h = hash_mix(h, he->sym->start);
				h = hash_mix(h, he->sym->end);
			}
			break;
		case SORT_CPU:
			h = hash_mix(h, (u64)(u32)he->cpu);
			break;
		case SORT_NR_KEYS:
			break;
		}
	}
	return hash_final(h);
}

static void hists__grow_table(struct hists *hists)
{
	size_t nsize = hists->table_size * 2;
	struct hist_entry **nt = xcalloc(nsize, sizeof(*nt));

	for (size_t i = 0; i < hists->table_size; i++) {
		struct hist_entry *he = hists->table[i];

		while (he) {
			struct hist_entry *next = he->next;
			size_t j = he->hash & (nsize - 1);

			he->next = nt[j];
			nt[j] = he;
			he = next;
		}
	}
	free(hists->table);
	hists->table = nt;
	hists->table_size = nsize;
}

static struct hist_entry *hists__new_entry(struct hists *hists)
{
	struct hist_slab *slab = hists->slabs;

	if (!slab || slab->used == HIST_SLAB_ENTRIES) {
		slab = xmalloc(sizeof(*slab));
		slab->used = 0;
		slab->next = hists->slabs;
		hists->slabs = slab;
	}
	return &slab->entries[slab->used++];
}

static void hist_entry__fill_key(struct hists *hists, struct hist_entry *he,
				 const struct hist_key *key)
{
	memset(he, 0, sizeof(*he));
	he->thread = key->thread;
	he->tid = key->tid;
	he->cpu = key->cpu;
	he->comm = hists__intern_comm(hists, key->comm);
	he->dso_name = key->dso_name;
	he->sym = key->sym;
	he->ip = key->ip;
	he->level = key->level;
	he->filtered = key->filtered;
}

static struct hist_entry *hists__findnew(struct hists *hists, const struct hist_key *key,
					 bool *created)
{
	struct hist_entry tmp, *he;
	size_t idx;

	hist_entry__fill_key(hists, &tmp, key);
	tmp.hash = hist_key__hash(hists, &tmp);
	idx = tmp.hash & (hists->table_size - 1);
	for (he = hists->table[idx]; he; he = he->next)
		if (he->hash == tmp.hash && !hist_entry__cmp(&hists->sort, he, &tmp)) {
			*created = false;
			return he;
		}
	if (hists->nr_entries >= hists->table_size) {
		hists__grow_table(hists);
		idx = tmp.hash & (hists->table_size - 1);
	}
	he = hists__new_entry(hists);
	*he = tmp;
	he->next = hists->table[idx];
	hists->table[idx] = he;
	hists->nr_entries++;
	*created = true;
	return he;
}

static void he_stat__add(struct he_stat *st, u8 cpumode, u64 period)
{
	st->period += period;
	st->nr_events++;
	switch (cpumode) {
	case PERF_RECORD_MISC_KERNEL:
		st->period_sys += period;
		break;
	case PERF_RECORD_MISC_USER:
		st->period_us += period;
		break;
	case PERF_RECORD_MISC_GUEST_KERNEL:
		st->period_guest_sys += period;
		break;
	case PERF_RECORD_MISC_GUEST_USER:
		st->period_guest_us += period;
		break;
	default:
		break;
	}
}

static void hists__cache_push(struct hists *hists, struct hist_entry *he)
{
	ALLOC_GROW(hists->he_cache, hists->nr_he_cache + 1, hists->alloc_he_cache);
	hists->he_cache[hists->nr_he_cache++] = he;
}

struct hist_entry *hists__add_sample(struct hists *hists, const struct hist_key *key, u64 period,
				     u8 cpumode)
{
	bool created;
	struct hist_entry *he = hists__findnew(hists, key, &created);

	he_stat__add(&he->stat, cpumode, period);
	if (hists->cumulate) {
		he_stat__add(&he->stat_acc, cpumode, period);
		hists->nr_he_cache = 0;
		hists__cache_push(hists, he);
	}
	hists->stats.nr_samples++;
	hists->stats.total_period += period;
	if (!key->filtered) {
		hists->stats.nr_non_filtered_samples++;
		hists->stats.total_non_filtered_period += period;
	}
	return he;
}

void hists__add_callchain_entry(struct hists *hists, const struct hist_key *key, u64 period,
				u8 cpumode)
{
	bool created;
	struct hist_entry *he;

	if (!hists->cumulate)
		return;
	he = hists__findnew(hists, key, &created);
	if (!created) {
		/* perf adds each entry once per sample */
		for (size_t i = 0; i < hists->nr_he_cache; i++)
			if (hists->he_cache[i] == he)
				return;
	}
	he_stat__add(&he->stat_acc, cpumode, period);
	hists__cache_push(hists, he);
}

static int field_cmp(u64 a, u64 b)
{
	return a > b ? 1 : a < b ? -1 : 0;
}

/* qsort_r comparator: negative when @pa prints before @pb */
static int hist_entry__output_cmp(const void *pa, const void *pb, void *arg)
{
	const struct hists *hists = arg;
	const struct hist_entry *a = *(struct hist_entry *const *)pa;
	const struct hist_entry *b = *(struct hist_entry *const *)pb;
	s64 c;

	/* perf's hist_entry__sort(): > 0 means a first */
	if (hists->cumulate) {
		c = field_cmp(a->stat_acc.period, b->stat_acc.period);
		if (c)
			return -(int)c;
	}
	c = field_cmp(a->stat.period, b->stat.period);
	if (c)
		return -(int)c;
	for (int i = 0; i < hists->sort.nr; i++) {
		c = sort_key__sort(hists->sort.keys[i], a, b);
		if (c)
			return c > 0 ? -1 : 1;
	}
	/* output columns perf appends to the sort keys */
	if (hists->sort_cpu_util) {
		c = field_cmp(a->stat.period_sys, b->stat.period_sys);
		if (!c)
			c = field_cmp(a->stat.period_us, b->stat.period_us);
		if (!c && hists->sort_guest_util)
			c = field_cmp(a->stat.period_guest_sys, b->stat.period_guest_sys);
		if (!c && hists->sort_guest_util)
			c = field_cmp(a->stat.period_guest_us, b->stat.period_guest_us);
		if (c)
			return -(int)c;
	}
	if (hists->sort_nr_samples) {
		c = field_cmp(a->stat.nr_events, b->stat.nr_events);
		if (c)
			return -(int)c;
	}
	/* full ties keep the order of perf's entry tree */
	c = hist_entry__cmp(&hists->sort, a, b);
	return c > 0 ? -1 : c < 0 ? 1 : 0;
}

static void hists__new_col_len(struct hists *hists, enum hist_column col, size_t len)
{
	if (len > hists->col_len[col])
		hists->col_len[col] = len > 0xffff ? 0xffff : (u16)len;
}

static void hists__calc_col_len(struct hists *hists, const struct hist_entry *he)
{
	const char *comm = NULL;
	size_t len;

	if (he->sym) {
		hists__new_col_len(hists, HISTC_SYMBOL, strlen(he->sym->name) + 4);
	} else {
		hists__new_col_len(hists, HISTC_SYMBOL, 16 + 4 + 2);
		hists__new_col_len(hists, HISTC_DSO, 16);
	}
	if (hists->thread_comm && he->thread)
		comm = hists->thread_comm(he->thread);
	if (!comm)
		comm = he->comm;
	len = strlen(comm);
	if (len > hists->col_len[HISTC_COMM]) {
		hists__new_col_len(hists, HISTC_COMM, len);
		hists->col_len[HISTC_THREAD] = hists->col_len[HISTC_COMM] + 8;
	}
	if (he->dso_name)
		hists__new_col_len(hists, HISTC_DSO, strlen(he->dso_name));
}

void hists__output_resort(struct hists *hists)
{
	size_t n = 0;

	free(hists->sorted);
	hists->sorted = xcalloc(hists->nr_entries ? hists->nr_entries : 1, sizeof(*hists->sorted));
	hists->col_len[HISTC_COMM] = strlen(sort_key__header(SORT_COMM));
	hists->col_len[HISTC_THREAD] = strlen(sort_key__header(SORT_PID));
	hists->col_len[HISTC_DSO] = strlen(sort_key__header(SORT_DSO));
	hists->col_len[HISTC_SYMBOL] = strlen(sort_key__header(SORT_SYM));
	hists->col_len[HISTC_CPU] = strlen(sort_key__header(SORT_CPU));
	for (struct hist_slab *slab = hists->slabs; slab; slab = slab->next) {
		for (size_t i = 0; i < slab->used; i++) {
			struct hist_entry *he = &slab->entries[i];

			hists->sorted[n++] = he;
			if (!he->filtered)
				hists__calc_col_len(hists, he);
		}
	}
	hists->nr_sorted = n;
	qsort_r(hists->sorted, n, sizeof(*hists->sorted), hist_entry__output_cmp, hists);
}

double hists__percent(const struct hists *hists, u64 period)
{
	if (!hists->stats.total_period)
		return 0.0;
	return 100.0 * (double)period / (double)hists->stats.total_period;
}
