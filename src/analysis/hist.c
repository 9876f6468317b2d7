// SPDX-License-Identifier: GPL-2.0
/*
 * hist.c - sample histograms: hash table of entries, totals, output order.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/hash.h"
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
	return s ? kp_fnv1a64_str(s) : 0;
}

static u64 hash_final(u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/*
 * A red-black tree over entry indexes, inserted exactly as the kernel's
 * rbtree (perf's output tree) does: with a comparator that is not an order,
 * the printed order depends on the tree's shape, so the shape must be the
 * same as perf's.
 */
struct rb_sim {
	u32 *left, *right, *parent;
	bool *red;
	u32 root;
};

#define RB_NIL UINT32_MAX

static void rb_sim__rotate(struct rb_sim *t, u32 x, bool to_left)
{
	u32 *a = to_left ? t->right : t->left; /* the child that moves up */
	u32 *b = to_left ? t->left : t->right;
	u32 y = a[x], p = t->parent[x];

	a[x] = b[y];
	if (b[y] != RB_NIL)
		t->parent[b[y]] = x;
	b[y] = x;
	t->parent[x] = y;
	t->parent[y] = p;
	if (p == RB_NIL)
		t->root = y;
	else if (t->left[p] == x)
		t->left[p] = y;
	else
		t->right[p] = y;
}

static void rb_sim__fixup(struct rb_sim *t, u32 node)
{
	for (;;) {
		u32 parent = t->parent[node], gparent, uncle;

		if (parent == RB_NIL) {
			t->red[node] = false;
			return;
		}
		if (!t->red[parent])
			return;
		gparent = t->parent[parent];
		if (t->left[gparent] == parent) {
			uncle = t->right[gparent];
			if (uncle != RB_NIL && t->red[uncle]) {
				t->red[uncle] = t->red[parent] = false;
				t->red[gparent] = true;
				node = gparent;
				continue;
			}
			if (t->right[parent] == node) {
				rb_sim__rotate(t, parent, true);
				parent = node;
			}
			t->red[parent] = false;
			t->red[gparent] = true;
			rb_sim__rotate(t, gparent, false);
			return;
		}
		uncle = t->left[gparent];
		if (uncle != RB_NIL && t->red[uncle]) {
			t->red[uncle] = t->red[parent] = false;
			t->red[gparent] = true;
			node = gparent;
			continue;
		}
		if (t->left[parent] == node) {
			rb_sim__rotate(t, parent, false);
			parent = node;
		}
		t->red[parent] = false;
		t->red[gparent] = true;
		rb_sim__rotate(t, gparent, true);
		return;
	}
}


/*
 * perf's hists->entries_in, kept as it grows: perf finds an entry by walking
 * this tree, and two unresolved symbols compare by the wrapping difference
 * of their addresses, which is no order.  The walk can then miss an equal
 * entry and perf makes a second one (merged again by the collapse step when
 * there is one), so unresolved symbols are looked up by the same walk.
 */
struct hist_in_tree {
	struct rb_sim t;
	struct hist_entry **e; /* by index: creation order */
	size_t n, alloc;
	bool walk_unresolved; /* the sym key: unresolved symbols are looked up by the walk */
	bool walk_all; /* ... and, without a dso key before it, every entry */
};

static void in_tree__grow(struct hist_in_tree *it)
{
	if (it->n < it->alloc)
		return;
	it->alloc = it->alloc ? it->alloc * 2 : 1024;
	it->e = xreallocarray(it->e, it->alloc, sizeof(*it->e));
	it->t.left = xreallocarray(it->t.left, it->alloc, sizeof(u32));
	it->t.right = xreallocarray(it->t.right, it->alloc, sizeof(u32));
	it->t.parent = xreallocarray(it->t.parent, it->alloc, sizeof(u32));
	it->t.red = xreallocarray(it->t.red, it->alloc, sizeof(bool));
}

static void in_tree__free(struct hist_in_tree *it)
{
	if (!it)
		return;
	free(it->e);
	free(it->t.left);
	free(it->t.right);
	free(it->t.parent);
	free(it->t.red);
	free(it);
}

/* perf's hists__findnew_entry() walk: the entry equal to @key, else NULL and where it goes */
static struct hist_entry *in_tree__find(const struct hists *hists, const struct hist_entry *key,
					u32 *parent, bool *left)
{
	const struct hist_in_tree *it = hists->in_tree;
	u32 cur = it->t.root;

	*parent = RB_NIL;
	*left = false;
	while (cur != RB_NIL) {
		s64 c = hist_entry__cmp(&hists->sort, it->e[cur], key);

		if (!c)
			return it->e[cur];
		*parent = cur;
		*left = c < 0;
		cur = *left ? it->t.left[cur] : it->t.right[cur];
	}
	return NULL;
}

static void in_tree__link(struct hist_in_tree *it, struct hist_entry *he, u32 parent, bool left)
{
	u32 i;

	in_tree__grow(it);
	i = (u32)it->n++;
	it->e[i] = he;
	it->t.left[i] = it->t.right[i] = RB_NIL;
	it->t.parent[i] = parent;
	it->t.red[i] = true;
	if (parent == RB_NIL)
		it->t.root = i;
	else if (left)
		it->t.left[parent] = i;
	else
		it->t.right[parent] = i;
	rb_sim__fixup(&it->t, i);
}

/* the in-order walk of @t over the nodes @v[0..@n) into @out */
static void rb_sim__walk(const struct rb_sim *t, struct hist_entry *const *v, size_t n,
			 struct hist_entry **out)
{
	size_t nr = 0;
	u32 x = t->root;

	if (!n)
		return;
	while (t->left[x] != RB_NIL)
		x = t->left[x];
	while (x != RB_NIL) {
		out[nr++] = v[x];
		if (t->right[x] != RB_NIL) {
			x = t->right[x];
			while (t->left[x] != RB_NIL)
				x = t->left[x];
		} else {
			u32 p = t->parent[x];

			while (p != RB_NIL && t->right[p] == x) {
				x = p;
				p = t->parent[p];
			}
			x = p;
		}
	}
}

/*
 * Whether perf's walk can miss an entry equal to @he.  Only the sym key
 * compares two unresolved symbols by address difference.  With a dso key
 * before it, every other entry relates to a resolved one by its (key, dso)
 * group alone, so the walk finds resolved entries and the hash table does
 * too; without one, an unresolved entry with a DSO and one without compare
 * by address but relate to a resolved one by DSO, and any walk can miss.
 */
static bool hists__walk_lookup(const struct hists *hists, const struct hist_entry *he)
{
	const struct hist_in_tree *it = hists->in_tree;

	return it->walk_all || (it->walk_unresolved && !he->sym);
}

static void in_tree__init(struct hist_in_tree *it, const struct sort_list *sort)
{
	bool dso_first = false;

	it->t.root = RB_NIL;
	for (int i = 0; i < sort->nr; i++) {
		if (sort->keys[i] == SORT_DSO)
			dso_first = true;
		if (sort->keys[i] == SORT_SYM) {
			it->walk_unresolved = true;
			it->walk_all = !dso_first;
			break;
		}
	}
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
	hists->in_tree = xzalloc(sizeof(*hists->in_tree));
	in_tree__init(hists->in_tree, &hists->sort);
}

static void hist_dedup__free(struct hist_dedup *dd);

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
	in_tree__free(hists->in_tree);
	chain_arena__delete(hists->chain_arena);
	hist_dedup__free(hists->dedup);
	memset(hists, 0, sizeof(*hists));
}

void hists__enable_callchain(struct hists *hists, enum chain_order order)
{
	hists->use_callchain = true;
	hists->callchain_order = order;
	if (!hists->chain_arena)
		hists->chain_arena = chain_arena__new();
}

void hists__append_callchain_n(struct hists *hists, struct hist_entry *he,
			       const struct chain_entry *entries, u32 nr, u64 period, u64 count)
{
	if (!hists->use_callchain || !he || !nr)
		return;
	if (!he->callchain)
		he->callchain = chain_root__new(hists->chain_arena);
	chain_root__append_n(hists->chain_arena, he->callchain, entries, nr, period, count);
}

void hists__append_callchain(struct hists *hists, struct hist_entry *he,
			     const struct chain_entry *entries, u32 nr, u64 period)
{
	hists__append_callchain_n(hists, he, entries, nr, period, 1);
}

void hists__sort_callchains(struct hists *hists, enum chain_mode mode, double min_percent)
{
	/* perf: the total period of the samples times the threshold, truncated */
	u64 min_hit = (u64)((double)hists->stats.total_period * (min_percent / 100.0));

	if (!hists->use_callchain)
		return;
	for (size_t i = 0; i < hists->nr_sorted; i++) {
		struct hist_entry *he = hists->sorted[i];

		if (he->callchain)
			chain_root__sort(hists->chain_arena, he->callchain, mode, min_hit,
					 min_percent);
	}
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
	he->addr = key->addr;
	he->level = key->level;
	he->filtered = key->filtered;
}

/* a new entry into the hash table (under @hash) and perf's entries_in tree */
static void hists__link_entry(struct hists *hists, struct hist_entry *he, u64 hash, u32 parent,
			      bool left)
{
	size_t idx = hash & (hists->table_size - 1);

	he->hash = hash;
	he->next = hists->table[idx];
	hists->table[idx] = he;
	hists->nr_entries++;
	in_tree__link(hists->in_tree, he, parent, left);
}

static struct hist_entry *hists__findnew(struct hists *hists, const struct hist_entry *tmp,
					 bool *created)
{
	struct hist_entry *he;
	u64 hash = hist_key__hash(hists, tmp);
	size_t idx = hash & (hists->table_size - 1);
	u32 parent;
	bool left;

	if (hists__walk_lookup(hists, tmp)) {
		he = in_tree__find(hists, tmp, &parent, &left);
		if (he) {
			*created = false;
			return he;
		}
	} else {
		for (he = hists->table[idx]; he; he = he->next)
			if (he->hash == hash && !hist_entry__cmp(&hists->sort, he, tmp)) {
				*created = false;
				return he;
			}
		/* where perf's walk puts it (there is no equal entry on it) */
		in_tree__find(hists, tmp, &parent, &left);
	}
	if (hists->nr_entries >= hists->table_size)
		hists__grow_table(hists);
	he = hists__new_entry(hists);
	*he = *tmp;
	hists__link_entry(hists, he, hash, parent, left);
	*created = true;
	return he;
}

static void he_stat__add(struct he_stat *st, u8 cpumode, u64 period, u64 count)
{
	st->period += period;
	st->nr_events += count;
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

struct hist_entry *hists__add_sample_n(struct hists *hists, const struct hist_key *key,
				       u64 period, u8 cpumode, u64 count)
{
	bool created;
	struct hist_entry tmp, *he;

	hist_entry__fill_key(hists, &tmp, key);
	he = hists__findnew(hists, &tmp, &created);
	he_stat__add(&he->stat, cpumode, period, count);
	if (hists->cumulate) {
		he_stat__add(&he->stat_acc, cpumode, period, count);
		hists->nr_he_cache = 0;
		hists__cache_push(hists, he);
	}
	hists->stats.nr_samples += count;
	hists->stats.total_period += period;
	if (!key->filtered) {
		hists->stats.nr_non_filtered_samples += count;
		hists->stats.total_non_filtered_period += period;
	}
	return he;
}

struct hist_entry *hists__add_sample(struct hists *hists, const struct hist_key *key, u64 period,
				     u8 cpumode)
{
	return hists__add_sample_n(hists, key, period, cpumode, 1);
}

struct hist_entry *hists__add_callchain_entry(struct hists *hists, const struct hist_key *key,
					      u64 period, u8 cpumode)
{
	return hists__add_callchain_entry_n(hists, key, period, cpumode, 1);
}

struct hist_entry *hists__add_callchain_entry_n(struct hists *hists, const struct hist_key *key,
						u64 period, u8 cpumode, u64 count)
{
	bool created;
	struct hist_entry tmp, *he;

	if (!hists->cumulate)
		return NULL;
	hist_entry__fill_key(hists, &tmp, key);
	/* perf compares keys with the sample's entries before its walk */
	if (hists__walk_lookup(hists, &tmp))
		for (size_t i = 0; i < hists->nr_he_cache; i++)
			if (!hist_entry__cmp(&hists->sort, hists->he_cache[i], &tmp))
				return NULL;
	he = hists__findnew(hists, &tmp, &created);
	if (!created) {
		/* perf adds each entry once per sample */
		for (size_t i = 0; i < hists->nr_he_cache; i++)
			if (hists->he_cache[i] == he)
				return NULL;
	}
	he_stat__add(&he->stat_acc, cpumode, period, count);
	hists__cache_push(hists, he);
	return he;
}

struct hist_entry *hists__find_entry(const struct hists *hists, const struct hist_entry *he)
{
	u32 parent;
	bool left;

	return in_tree__find(hists, he, &parent, &left);
}

struct hist_entry *hists__add_dummy(struct hists *hists, const struct hist_entry *pair)
{
	struct hist_entry *he;
	u32 parent;
	bool left;

	he = in_tree__find(hists, pair, &parent, &left);
	if (he)
		return he;
	if (hists->nr_entries >= hists->table_size)
		hists__grow_table(hists);
	he = hists__new_entry(hists);
	memset(he, 0, sizeof(*he));
	he->thread = pair->thread;
	he->tid = pair->tid;
	he->cpu = pair->cpu;
	he->comm = hists__intern_comm(hists, pair->comm);
	he->dso_name = pair->dso_name;
	he->sym = pair->sym;
	he->ip = pair->ip;
	he->addr = pair->addr;
	he->level = pair->level;
	he->filtered = pair->filtered;
	he->dummy = true;
	hists__link_entry(hists, he, hist_key__hash(hists, he), parent, left);
	return he;
}

size_t hists__entries_in(const struct hists *hists, struct hist_entry **out)
{
	rb_sim__walk(&hists->in_tree->t, hists->in_tree->e, hists->in_tree->n, out);
	return hists->in_tree->n;
}

static int field_cmp(u64 a, u64 b)
{
	return a > b ? 1 : a < b ? -1 : 0;
}

/*
 * perf's hist_entry__sort() without its last resort: > 0 when @a prints
 * before @b, 0 on a tie (perf then keeps the insertion order).
 */
static int hist_entry__perf_sort(const struct hists *hists, const struct hist_entry *a,
				 const struct hist_entry *b)
{
	s64 c;

	if (hists->output_cmp) {
		c = hists->output_cmp(a, b, hists->output_cmp_arg);
		if (c)
			return c > 0 ? 1 : -1;
		goto keys;
	}
	if (hists->cumulate) {
		c = field_cmp(a->stat_acc.period, b->stat_acc.period);
		if (c)
			return (int)c;
		/*
		 * perf puts callers above callees of one thread by the depth
		 * of their longest paths (callers first means deeper first in
		 * caller order).  Entries of different threads go on to the
		 * next keys, so this is not an order: hists__output_resort()
		 * replays perf's tree insertion for it.
		 */
		if (hists->use_callchain && a->thread == b->thread) {
			u32 da = a->callchain ? a->callchain->max_depth : 0;
			u32 db = b->callchain ? b->callchain->max_depth : 0;

			c = field_cmp(da, db);
			if (c)
				return hists->callchain_order == ORDER_CALLER ? (int)c : -(int)c;
		}
	}
	c = field_cmp(a->stat.period, b->stat.period);
	if (c)
		return (int)c;
keys:
	for (int i = 0; i < hists->sort.nr; i++) {
		c = sort_key__sort(hists->sort.keys[i], a, b);
		if (c)
			return c > 0 ? 1 : -1;
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
			return (int)c;
	}
	if (hists->sort_nr_samples) {
		c = field_cmp(a->stat.nr_events, b->stat.nr_events);
		if (c)
			return (int)c;
	}
	return 0;
}

/* perf's output tree: a new entry goes left when hist_entry__sort(new, existing) > 0 */
static bool output_goes_left(const struct hists *hists, const struct hist_entry *new,
			     const struct hist_entry *existing)
{
	return hist_entry__perf_sort(hists, new, existing) > 0;
}

/*
 * Insert @v[0..@n) in that order into a simulated kernel rbtree steered by
 * @goes_left and replace @v by the tree's in-order walk.
 */
static void hists__tree_replay(const struct hists *hists, struct hist_entry **v, size_t n,
			       bool (*goes_left)(const struct hists *, const struct hist_entry *,
						 const struct hist_entry *))
{
	struct hist_entry **res;
	struct rb_sim t;

	if (n < 2 || n >= RB_NIL)
		return;
	t.left = xmalloc(n * sizeof(u32));
	t.right = xmalloc(n * sizeof(u32));
	t.parent = xmalloc(n * sizeof(u32));
	t.red = xmalloc(n * sizeof(bool));
	t.root = RB_NIL;
	for (u32 i = 0; i < n; i++) {
		u32 p = RB_NIL, cur = t.root;
		bool go_left = false;

		while (cur != RB_NIL) {
			p = cur;
			go_left = goes_left(hists, v[i], v[cur]);
			cur = go_left ? t.left[cur] : t.right[cur];
		}
		t.left[i] = t.right[i] = RB_NIL;
		t.parent[i] = p;
		t.red[i] = true;
		if (p == RB_NIL)
			t.root = i;
		else if (go_left)
			t.left[p] = i;
		else
			t.right[p] = i;
		rb_sim__fixup(&t, i);
	}
	res = xmalloc(n * sizeof(*res));
	rb_sim__walk(&t, v, n, res);
	memcpy(v, res, n * sizeof(*res));
	free(res);
	free(t.left);
	free(t.right);
	free(t.parent);
	free(t.red);
}

static void he_stat__add_stat(struct he_stat *dst, const struct he_stat *src)
{
	dst->period += src->period;
	dst->period_sys += src->period_sys;
	dst->period_us += src->period_us;
	dst->period_guest_sys += src->period_guest_sys;
	dst->period_guest_us += src->period_guest_us;
	dst->nr_events += src->nr_events;
}

struct chain_path {
	struct chain_entry *e;
	u32 nr;
	size_t alloc;
};

/* perf's callchain_merge(): every path of @src appended to @dst, max_depth unchanged */
static void chain_merge_node(struct chain_arena *arena, struct chain_root *dst,
			     const struct chain_node *src, struct chain_path *path)
{
	u32 old = path->nr;

	ALLOC_GROW(path->e, (size_t)path->nr + src->nr_val, path->alloc);
	if (src->nr_val)
		memcpy(path->e + path->nr, src->val, src->nr_val * sizeof(*path->e));
	path->nr += src->nr_val;
	if (src->hit) {
		u32 depth = dst->max_depth;

		chain_root__append(arena, dst, path->e, path->nr, src->hit);
		dst->max_depth = depth;
	}
	for (u32 i = 0; i < src->nr_children; i++)
		chain_merge_node(arena, dst, src->children[i], path);
	path->nr = old;
}

/* perf's collapse merge: @src's stats and callchain go into @dst, which keeps its depth */
static void hists__merge_entry(struct hists *hists, struct hist_entry *dst,
			       const struct hist_entry *src)
{
	he_stat__add_stat(&dst->stat, &src->stat);
	if (hists->cumulate)
		he_stat__add_stat(&dst->stat_acc, &src->stat_acc);
	if (src->callchain && hists->chain_arena) {
		struct chain_path path = { 0 };

		if (!dst->callchain)
			dst->callchain = chain_root__new(hists->chain_arena);
		chain_merge_node(hists->chain_arena, dst->callchain, &src->callchain->node, &path);
		free(path.e);
	}
}

/*
 * perf's hists__collapse_resort(): the entries, in entries_in order, go into
 * a new tree with the same comparator; one equal to an entry met on the way
 * is merged into it (duplicates from missed walks end here).
 */
static void hists__collapse(struct hists *hists)
{
	struct hist_entry **v = hists->sorted, **kept;
	size_t n = hists->nr_sorted, nk = 0;
	struct rb_sim t;

	if (n < 2 || n >= RB_NIL)
		return;
	kept = xmalloc(n * sizeof(*kept));
	t.left = xmalloc(n * sizeof(u32));
	t.right = xmalloc(n * sizeof(u32));
	t.parent = xmalloc(n * sizeof(u32));
	t.red = xmalloc(n * sizeof(bool));
	t.root = RB_NIL;
	for (size_t i = 0; i < n; i++) {
		u32 p = RB_NIL, cur = t.root, k;
		bool go_left = false, merged = false;

		while (cur != RB_NIL) {
			s64 c = hist_entry__cmp(&hists->sort, kept[cur], v[i]);

			if (!c) {
				hists__merge_entry(hists, kept[cur], v[i]);
				merged = true;
				break;
			}
			p = cur;
			go_left = c < 0;
			cur = go_left ? t.left[cur] : t.right[cur];
		}
		if (merged)
			continue;
		k = (u32)nk++;
		kept[k] = v[i];
		t.left[k] = t.right[k] = RB_NIL;
		t.parent[k] = p;
		t.red[k] = true;
		if (p == RB_NIL)
			t.root = k;
		else if (go_left)
			t.left[p] = k;
		else
			t.right[p] = k;
		rb_sim__fixup(&t, k);
	}
	rb_sim__walk(&t, kept, nk, hists->sorted);
	hists->nr_sorted = nk;
	free(kept);
	free(t.left);
	free(t.right);
	free(t.parent);
	free(t.red);
}

/*
 * perf's order, replayed on the entries in creation order: they enter
 * hists->entries_in (identity comparator); with the comm key (the one with a
 * collapse function) perf moves them in order into entries_collapsed with
 * the same comparator; then in order into the output tree, ties to the
 * right.  Two unresolved symbols compare by the wrapping difference of their
 * addresses and entries of one thread by callchain depth, neither an order,
 * so the result depends on the trees' shapes: hence replays, not sorts.
 */
static void hists__perf_order(struct hists *hists)
{
	const struct hist_in_tree *it = hists->in_tree;

	rb_sim__walk(&it->t, it->e, it->n, hists->sorted);
	hists->nr_sorted = it->n;
	if (sort_list__has(&hists->sort, SORT_COMM))
		hists__collapse(hists);
	hists__tree_replay(hists, hists->sorted, hists->nr_sorted, output_goes_left);
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
	/* column widths count every entry, duplicates from perf's walk too */
	n = hists->in_tree->n;
	for (size_t i = 0; i < n; i++)
		if (!hists->in_tree->e[i]->filtered)
			hists__calc_col_len(hists, hists->in_tree->e[i]);
	hists__perf_order(hists);
}

double hists__percent(const struct hists *hists, u64 period)
{
	if (!hists->stats.total_period)
		return 0.0;
	return 100.0 * (double)period / (double)hists->stats.total_period;
}

/* ---- sample de-duplication support (sample-dedup.h) ---- */

/*
 * Lookups whose result depends on the shape of a structure rather than on
 * what it holds can give a repeated sample another answer later on; the
 * consumer must then replay that window sample by sample.  Two such places:
 *
 * 1. perf's entries_in walk (the sym key).  Keys before sym (comm, pid, dso,
 *    cpu) are orders, so the tree's in-order sequence stays grouped by them.
 *    Inside one group, two unresolved symbols compare by the wrapping
 *    difference of their addresses, which is an order as long as all of the
 *    group's unresolved addresses lie in one half of the address space; a
 *    resolved and an unresolved one compare by that alone.  So a walk is
 *    exact while its group is "one-half", and every group is tracked.
 *    Without a dso key before sym (walk_all), an unresolved symbol compares
 *    with resolved ones by DSO but with unresolved ones by address: no
 *    order, so any unresolved key taints the hists for good.
 * 2. the callchain trees' child lookup (chain-tree.c): frames of one DSO
 *    compare by symbol start when both have a symbol, else by raw address.
 *    With one mapping of the DSO the symbols' address ranges are disjoint
 *    and ordered like their starts, and an unresolved address lies outside
 *    all of them: an order.  A DSO mapped at several bases that has both
 *    kinds of frames is not.
 */
struct dedup_track {
	u64 key;
	u64 base;
	u8 flags;
	bool used;
};

struct dedup_map {
	struct dedup_track *e;
	size_t size, nr;
};

struct hist_dedup {
	struct dedup_map groups;
	struct dedup_map dsos;
	bool tainted; /* walk_all with an unresolved key */
	int nr_pre_sym; /* sort keys before sym */
};

#define TRACK_LOW 1
#define TRACK_HIGH 2
#define TRACK_SYM 4
#define TRACK_NOSYM 8
#define TRACK_MULTI 16

static struct dedup_track *dedup_map__find(struct dedup_map *m, u64 key)
{
	if (!m->size)
		return NULL;
	for (size_t i = kp_hash_final(key) & (m->size - 1); m->e[i].used; i = (i + 1) & (m->size - 1))
		if (m->e[i].key == key)
			return &m->e[i];
	return NULL;
}

/* @t (not in @m, which has room for it) into its free slot */
static struct dedup_track *dedup_map__put(struct dedup_map *m, const struct dedup_track *t)
{
	size_t i = kp_hash_final(t->key) & (m->size - 1);

	while (m->e[i].used)
		i = (i + 1) & (m->size - 1);
	m->e[i] = *t;
	m->nr++;
	return &m->e[i];
}

static struct dedup_track *dedup_map__get(struct dedup_map *m, u64 key)
{
	struct dedup_track *t = dedup_map__find(m, key);

	if (t)
		return t;
	if ((m->nr + 1) * 2 > m->size) {
		struct dedup_map n = { .size = m->size ? m->size * 2 : 64 };

		n.e = xcalloc(n.size, sizeof(*n.e));
		for (size_t j = 0; j < m->size; j++)
			if (m->e[j].used)
				dedup_map__put(&n, &m->e[j]);
		free(m->e);
		*m = n;
	}
	return dedup_map__put(m, &(struct dedup_track){ .key = key, .used = true });
}

static void hist_dedup__free(struct hist_dedup *dd)
{
	if (!dd)
		return;
	free(dd->groups.e);
	free(dd->dsos.e);
	free(dd);
}

static struct hist_dedup *hists__dedup(struct hists *hists)
{
	if (!hists->dedup) {
		hists->dedup = xzalloc(sizeof(*hists->dedup));
		for (int i = 0; i < hists->sort.nr && hists->sort.keys[i] != SORT_SYM; i++)
			hists->dedup->nr_pre_sym++;
	}
	return hists->dedup;
}

bool hists__dedup_note_key(struct hists *hists, const struct hist_key *key, bool record)
{
	const struct hist_in_tree *it = hists->in_tree;
	struct hist_dedup *dd;
	struct dedup_track *t;
	u64 g = 0, half;

	if (!it->walk_unresolved || (key->sym && !it->walk_all))
		return false; /* a hash-table lookup */
	dd = hists__dedup(hists);
	if (it->walk_all && !key->sym && record)
		dd->tainted = true;
	if (dd->tainted)
		return true;
	for (int i = 0; i < dd->nr_pre_sym; i++) {
		switch (hists->sort.keys[i]) {
		case SORT_COMM:
			g = kp_hash_word(g, (u64)(uintptr_t)hists__intern_comm(hists, key->comm));
			break;
		case SORT_PID:
			g = kp_hash_word(g, (u64)(u32)key->tid);
			break;
		case SORT_DSO:
			g = kp_hash_word(g, hists__dso_hash(hists, key->dso_name));
			break;
		case SORT_CPU:
			g = kp_hash_word(g, (u64)(u32)key->cpu);
			break;
		default:
			break;
		}
	}
	if (key->sym) {
		/* walk_all: resolved symbols compare by DSO, then by start */
		g = kp_hash_word(g, hists__dso_hash(hists, key->dso_name));
		half = key->sym->start >> 63;
	} else {
		half = key->ip >> 63;
	}
	/* a hash collision merges two groups: only ever more cautious */
	t = record ? dedup_map__get(&dd->groups, g) : dedup_map__find(&dd->groups, g);
	if (!t)
		return false;
	if (record)
		t->flags |= half ? TRACK_HIGH : TRACK_LOW;
	return (t->flags & (TRACK_LOW | TRACK_HIGH)) == (TRACK_LOW | TRACK_HIGH);
}

bool hists__dedup_tainted(const struct hists *hists)
{
	return hists->dedup && hists->dedup->tainted;
}

bool hists__dedup_note_frame(struct hists *hists, const void *dso, bool has_sym, u64 base,
			     bool record)
{
	struct dedup_track *t;

	if (!hists->use_callchain || !dso)
		return false; /* no map: compared by address only */
	if (!record) {
		t = dedup_map__find(&hists__dedup(hists)->dsos, (u64)(uintptr_t)dso);
		return t && (t->flags & (TRACK_SYM | TRACK_NOSYM | TRACK_MULTI)) ==
				    (TRACK_SYM | TRACK_NOSYM | TRACK_MULTI);
	}
	t = dedup_map__get(&hists__dedup(hists)->dsos, (u64)(uintptr_t)dso);
	if (!t->flags)
		t->base = base;
	else if (t->base != base)
		t->flags |= TRACK_MULTI;
	t->flags |= has_sym ? TRACK_SYM : TRACK_NOSYM;
	return (t->flags & (TRACK_SYM | TRACK_NOSYM | TRACK_MULTI)) ==
	       (TRACK_SYM | TRACK_NOSYM | TRACK_MULTI);
}
