// SPDX-License-Identifier: GPL-2.0
/*
 * folded.c - folded stack table (see folded.h).
 *
 * Frame names (and comms) are interned once into a name table; a stack is
 * then an array of u32 name ids, hashed and compared as integers.  A small
 * direct-mapped cache maps (symbol or DSO pointer, cpumode) to the name id,
 * so the per-sample cost is a few probes, not string building.  The text of
 * a stack is only assembled when the table is printed (once per distinct
 * stack), and sorted then.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/callchain.h"
#include "ui/folded.h"
#include "util/hash.h"
#include "util/util.h"

#define NAME_CACHE_BITS 12

struct folded_name {
	u64 hash;
	u32 off; /* in names */
	u32 len;
};

struct folded_stack {
	u64 hash;
	u64 count;
	u32 off; /* in ids */
	u32 nr; /* 0: free slot */
};

struct name_cache_entry {
	const void *key;
	u32 gen;
	u32 id;
	u8 cpumode;
};

struct folded {
	struct machines *machines;
	struct callchain_cache *cache;
	/* interned names */
	struct strbuf names;
	struct folded_name *name;
	size_t nr_names, alloc_names;
	u32 *name_slot; /* open addressing: name index + 1, 0 = free */
	size_t name_slots;
	struct name_cache_entry *ncache;
	/* stacks */
	u32 *ids;
	size_t nr_ids, alloc_ids;
	struct folded_stack *table;
	size_t size; /* power of two */
	size_t nr;
	/* the current sample */
	struct strbuf tmp;
	u32 frame[CALLCHAIN_MAX_STACK + 2];
};

static u64 hash_bytes(const char *p, size_t len)
{
	u64 h = kp_fnv1a64(KP_FNV64_SEED, p, len);

	return h ^ (h >> 29);
}

static u64 hash_ids(const u32 *ids, size_t n)
{
	u64 h = 0x9e3779b97f4a7c15ULL ^ n;

	for (size_t i = 0; i < n; i++)
		h = (h ^ ids[i]) * 0xff51afd7ed558ccdULL;
	return h ^ (h >> 31);
}

struct folded *folded__new(struct machines *machines)
{
	struct folded *f = xzalloc(sizeof(*f));

	f->machines = machines;
	f->size = 1024;
	f->table = xcalloc(f->size, sizeof(*f->table));
	f->name_slots = 1024;
	f->name_slot = xcalloc(f->name_slots, sizeof(*f->name_slot));
	f->ncache = xcalloc((size_t)1 << NAME_CACHE_BITS, sizeof(*f->ncache));
	strbuf_init(&f->names, 1 << 14);
	strbuf_init(&f->tmp, 1024);
	return f;
}

void folded__set_cache(struct folded *f, struct callchain_cache *cache)
{
	f->cache = cache;
}

void folded__delete(struct folded *f)
{
	if (!f)
		return;
	free(f->table);
	free(f->ids);
	free(f->name);
	free(f->name_slot);
	free(f->ncache);
	strbuf_release(&f->names);
	strbuf_release(&f->tmp);
	free(f);
}

size_t folded__nr_stacks(const struct folded *f)
{
	return f->nr;
}

static void names_grow(struct folded *f)
{
	size_t n = f->name_slots * 2;
	u32 *slot = xcalloc(n, sizeof(*slot));

	for (size_t i = 0; i < f->nr_names; i++) {
		size_t j;

		for (j = f->name[i].hash & (n - 1); slot[j]; j = (j + 1) & (n - 1))
			;
		slot[j] = (u32)i + 1;
	}
	free(f->name_slot);
	f->name_slot = slot;
	f->name_slots = n;
}

/* the id of name @s (@len bytes), interning it if new */
static u32 name_intern(struct folded *f, const char *s, size_t len)
{
	u64 h = hash_bytes(s, len);
	size_t i;

	for (i = h & (f->name_slots - 1); f->name_slot[i]; i = (i + 1) & (f->name_slots - 1)) {
		struct folded_name *n = &f->name[f->name_slot[i] - 1];

		if (n->hash == h && n->len == len && !memcmp(f->names.buf + n->off, s, len))
			return f->name_slot[i] - 1;
	}
	ALLOC_GROW(f->name, f->nr_names + 1, f->alloc_names);
	f->name[f->nr_names] = (struct folded_name){
		.hash = h, .off = (u32)f->names.len, .len = (u32)len,
	};
	strbuf_add(&f->names, s, len);
	f->name_slot[i] = (u32)++f->nr_names;
	if (f->nr_names * 2 > f->name_slots)
		names_grow(f);
	return (u32)(f->nr_names - 1);
}

static void stacks_grow(struct folded *f)
{
	size_t nsize = f->size * 2;
	struct folded_stack *nt = xcalloc(nsize, sizeof(*nt));

	for (size_t i = 0; i < f->size; i++) {
		struct folded_stack *e = &f->table[i];
		size_t j;

		if (!e->nr)
			continue;
		for (j = e->hash & (nsize - 1); nt[j].nr; j = (j + 1) & (nsize - 1))
			;
		nt[j] = *e;
	}
	free(f->table);
	f->table = nt;
	f->size = nsize;
}

/* count @count for the stack of name ids @ids (root first, @n >= 1) */
static void add_ids(struct folded *f, const u32 *ids, size_t n, u64 count)
{
	u64 h = hash_ids(ids, n);
	size_t i;

	for (i = h & (f->size - 1); f->table[i].nr; i = (i + 1) & (f->size - 1)) {
		struct folded_stack *e = &f->table[i];

		if (e->hash == h && e->nr == n && !memcmp(f->ids + e->off, ids, n * sizeof(*ids))) {
			e->count += count;
			return;
		}
	}
	ALLOC_GROW(f->ids, f->nr_ids + n, f->alloc_ids);
	memcpy(f->ids + f->nr_ids, ids, n * sizeof(*ids));
	f->table[i] = (struct folded_stack){
		.hash = h, .count = count, .off = (u32)f->nr_ids, .nr = (u32)n,
	};
	f->nr_ids += n;
	if (++f->nr * 4 > f->size * 3)
		stacks_grow(f);
}

void folded__add_stack(struct folded *f, const char *stack, size_t len, u64 count)
{
	const char *p = stack, *end = stack + len;
	size_t n = 0;

	/* frames beyond the buffer are cut, as the walk itself would */
	while (n < ARRAY_SIZE(f->frame)) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *e = semi ? semi : end;

		f->frame[n++] = name_intern(f, p, (size_t)(e - p));
		if (!semi)
			break;
		p = semi + 1;
	}
	add_ids(f, f->frame, n, count);
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* stackcollapse-perf.pl's tidy_generic on a symbol name */
static void add_tidy_name(struct strbuf *sb, const char *name)
{
	size_t plain = strcspn(name, ";(\"'");
	const char *cut = NULL;
	const char *go = NULL;

	/* the common case: nothing to tidy */
	strbuf_add(sb, name, plain);
	if (!name[plain])
		return;
	if (plain && name[plain - 1] == '.' && name[plain] == '(')
		go = name + plain - 1;
	else
		go = strstr(name + plain, ".(");
	name += plain;

	/* names like pkg.(*T).method keep their parentheses */
	if (!(go && strstr(go + 2, ").")))
		for (const char *p = strchr(name, '('); p; p = strchr(p + 1, '(')) {
			if (strncmp(p, "(anonymous namespace)", 21)) {
				cut = p;
				break;
			}
		}
	for (const char *p = name; *p && p != cut; p++) {
		if (*p == ';')
			strbuf_addch(sb, ':');
		else if (*p != '"' && *p != '\'')
			strbuf_addch(sb, *p);
	}
}

void folded__frame_name(struct strbuf *sb, const struct addr_location *al, u8 cpumode)
{
	if (al->sym && al->sym->name) {
		add_tidy_name(sb, al->sym->name);
	} else if (al->map && al->dso) {
		strbuf_addch(sb, '[');
		add_tidy_name(sb, basename_of(dso__long_name(al->dso)));
		strbuf_addch(sb, ']');
	} else {
		strbuf_addstr(sb, "[unknown]");
	}
	if (cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		strbuf_add(sb, "_[g]", 4);
	else if (cpumode == PERF_RECORD_MISC_GUEST_USER)
		strbuf_add(sb, "_[u]", 4);
}

#define SKIP_FRAME ((u32)-1)

/*
 * The name id of a frame, through the cache when the owner keeps a
 * callchain cache (whose generation tells when symbol pointers may have
 * been freed).  SKIP_FRAME for frames stackcollapse-perf drops.
 */
static u32 frame_id(struct folded *f, const struct addr_location *al, u8 cpumode)
{
	const void *key = al->sym ? (const void *)al->sym : al->map ? (const void *)al->dso : NULL;
	struct name_cache_entry *e = NULL;
	u32 id;

	if (f->cache && key) {
		u64 h = ((uintptr_t)key ^ cpumode) * 0x9e3779b97f4a7c15ULL;

		e = &f->ncache[h >> (64 - NAME_CACHE_BITS)];
		if (e->key == key && e->cpumode == cpumode && e->gen == f->cache->gen)
			return e->id;
	}
	/* stackcollapse-perf skips frames named like "(process name)" */
	if (al->sym && al->sym->name && al->sym->name[0] == '(') {
		id = SKIP_FRAME;
	} else {
		strbuf_reset(&f->tmp);
		folded__frame_name(&f->tmp, al, cpumode);
		id = name_intern(f, f->tmp.buf, f->tmp.len);
	}
	if (e) {
		e->key = key;
		e->cpumode = cpumode;
		e->gen = f->cache->gen;
		e->id = id;
	}
	return id;
}

static u32 comm_id(struct folded *f, const struct addr_location *al)
{
	const char *comm = al->thread ? thread__comm_str(al->thread) : NULL;
	struct name_cache_entry *e = NULL;
	u32 id;

	if (!comm)
		comm = ":-1";
	if (f->cache && al->thread) {
		u64 h = ((uintptr_t)al->thread ^ 0xff) * 0x9e3779b97f4a7c15ULL;

		e = &f->ncache[h >> (64 - NAME_CACHE_BITS)];
		if (e->key == al->thread && e->cpumode == 0xff && e->gen == f->cache->gen)
			return e->id;
	}
	strbuf_reset(&f->tmp);
	strbuf_addstr(&f->tmp, comm);
	for (size_t i = 0; i < f->tmp.len; i++)
		if (f->tmp.buf[i] == ' ')
			f->tmp.buf[i] = '_';
	id = name_intern(f, f->tmp.buf, f->tmp.len);
	if (e) {
		e->key = al->thread;
		e->cpumode = 0xff;
		e->gen = f->cache->gen;
		e->id = id;
	}
	return id;
}

void folded__add_sample(struct folded *f, const struct perf_sample *sample,
			const struct addr_location *al, bool use_callchain)
{
	folded__add_sample_n(f, sample, al, use_callchain, 1);
}

void folded__add_sample_n(struct folded *f, const struct perf_sample *sample,
			  const struct addr_location *al, bool use_callchain, u64 count)
{
	u32 leaf_first[CALLCHAIN_MAX_STACK + 1];
	int n = 0, frames = 0;
	size_t k = 0;

	if (use_callchain && sample->callchain) {
		struct callchain_iter it;
		struct callchain_frame fr;

		callchain_iter__init(&it, f->machines, sample, al, CALLCHAIN_MAX_STACK);
		callchain_iter__set_cache(&it, f->cache);
		while (callchain_iter__next(&it, &fr) && n < CALLCHAIN_MAX_STACK) {
			u32 id = frame_id(f, &fr.al, fr.cpumode);

			frames++;
			if (id != SKIP_FRAME)
				leaf_first[n++] = id;
		}
	}
	if (!frames) {
		u32 id = frame_id(f, al, sample->cpumode);

		if (id != SKIP_FRAME)
			leaf_first[n++] = id;
	}
	f->frame[k++] = comm_id(f, al);
	while (n > 0)
		f->frame[k++] = leaf_first[--n];
	add_ids(f, f->frame, k, count);
}

struct sorted_stack {
	u32 off; /* text in the sort buffer */
	u32 len;
	u64 count;
};

static int sorted_cmp(const void *a, const void *b, void *arg)
{
	const struct sorted_stack *x = a, *y = b;
	const char *buf = arg;
	int r = memcmp(buf + x->off, buf + y->off, kp_min(x->len, y->len));

	if (r)
		return r;
	return x->len < y->len ? -1 : x->len > y->len;
}

int folded__for_each(struct folded *f,
		     int (*fn)(const char *stack, size_t len, u64 count, void *arg), void *arg)
{
	struct sorted_stack *v = xcalloc(f->nr ? f->nr : 1, sizeof(*v));
	struct strbuf text = STRBUF_INIT;
	size_t n = 0;
	int ret = 0;

	for (size_t i = 0; i < f->size; i++) {
		const struct folded_stack *e = &f->table[i];
		size_t start = text.len;

		if (!e->nr)
			continue;
		for (u32 j = 0; j < e->nr; j++) {
			const struct folded_name *nm = &f->name[f->ids[e->off + j]];

			if (j)
				strbuf_addch(&text, ';');
			strbuf_add(&text, f->names.buf + nm->off, nm->len);
		}
		v[n].off = (u32)start;
		v[n].len = (u32)(text.len - start);
		v[n].count = e->count;
		n++;
	}
	qsort_r(v, n, sizeof(*v), sorted_cmp, text.buf);
	for (size_t i = 0; i < n && !ret; i++)
		ret = fn(text.buf + v[i].off, v[i].len, v[i].count, arg);
	strbuf_release(&text);
	free(v);
	return ret;
}

static int print_one(const char *stack, size_t len, u64 count, void *arg)
{
	FILE *fp = arg;

	if (fwrite(stack, 1, len, fp) != len || fprintf(fp, " %llu\n", (unsigned long long)count) < 0)
		return -errno ?: -EIO;
	return 0;
}

int folded__fprintf(struct folded *f, FILE *fp)
{
	return folded__for_each(f, print_one, fp);
}
