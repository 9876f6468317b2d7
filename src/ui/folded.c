// SPDX-License-Identifier: GPL-2.0
/*
 * folded.c - folded stack table (see folded.h).
 *
 * Stacks live back to back in one arena; an open-addressing hash table
 * indexes them.  Per sample: frame names go into a reused strbuf, leaf first,
 * with their offsets remembered so the key can be assembled root first in a
 * second reused strbuf.  No allocation per sample once the buffers are warm.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/callchain.h"
#include "ui/folded.h"
#include "util/util.h"

struct folded_entry {
	u64 hash;
	u64 count;
	size_t off; /* in the arena */
	u32 len;
	u32 used;
};

struct folded {
	struct machines *machines;
	struct callchain_cache *cache;
	struct folded_entry *table;
	size_t size; /* power of two */
	size_t nr;
	struct strbuf arena;
	struct strbuf names; /* frame names of the current sample, leaf first */
	struct strbuf key;
	u32 name_off[CALLCHAIN_MAX_STACK + 2];
	u32 name_len[CALLCHAIN_MAX_STACK + 2];
};

struct folded *folded__new(struct machines *machines)
{
	struct folded *f = xzalloc(sizeof(*f));

	f->machines = machines;
	f->size = 1024;
	f->table = xcalloc(f->size, sizeof(*f->table));
	strbuf_init(&f->arena, 1 << 16);
	strbuf_init(&f->names, 4096);
	strbuf_init(&f->key, 4096);
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
	strbuf_release(&f->arena);
	strbuf_release(&f->names);
	strbuf_release(&f->key);
	free(f);
}

size_t folded__nr_stacks(const struct folded *f)
{
	return f->nr;
}

/* FNV-1a, 64 bit; stacks are short and this is not the bottleneck */
static u64 hash_bytes(const char *p, size_t len)
{
	u64 h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (u8)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void folded__grow(struct folded *f)
{
	size_t nsize = f->size * 2;
	struct folded_entry *nt = xcalloc(nsize, sizeof(*nt));

	for (size_t i = 0; i < f->size; i++) {
		struct folded_entry *e = &f->table[i];
		size_t j;

		if (!e->used)
			continue;
		for (j = e->hash & (nsize - 1); nt[j].used; j = (j + 1) & (nsize - 1))
			;
		nt[j] = *e;
	}
	free(f->table);
	f->table = nt;
	f->size = nsize;
}

void folded__add_stack(struct folded *f, const char *stack, size_t len, u64 count)
{
	u64 h = hash_bytes(stack, len);
	size_t i;

	for (i = h & (f->size - 1); f->table[i].used; i = (i + 1) & (f->size - 1)) {
		struct folded_entry *e = &f->table[i];

		if (e->hash == h && e->len == len && !memcmp(f->arena.buf + e->off, stack, len)) {
			e->count += count;
			return;
		}
	}
	f->table[i] = (struct folded_entry){
		.hash = h, .count = count, .off = f->arena.len, .len = (u32)len, .used = 1,
	};
	strbuf_add(&f->arena, stack, len);
	if (++f->nr * 4 > f->size * 3)
		folded__grow(f);
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

static bool push_name(struct folded *f, int *n, const struct addr_location *al, u8 cpumode)
{
	size_t start = f->names.len;

	/* stackcollapse-perf skips frames named like "(process name)" */
	if (al->sym && al->sym->name && al->sym->name[0] == '(')
		return false;
	folded__frame_name(&f->names, al, cpumode);
	f->name_off[*n] = (u32)start;
	f->name_len[*n] = (u32)(f->names.len - start);
	(*n)++;
	return true;
}

void folded__add_sample(struct folded *f, const struct perf_sample *sample,
			const struct addr_location *al, bool use_callchain)
{
	const char *comm = al->thread ? thread__comm_str(al->thread) : NULL;
	int n = 0, frames = 0;

	strbuf_reset(&f->names);
	strbuf_reset(&f->key);

	if (use_callchain && sample->callchain) {
		struct callchain_iter it;
		struct callchain_frame fr;

		callchain_iter__init(&it, f->machines, sample, al, CALLCHAIN_MAX_STACK);
		callchain_iter__set_cache(&it, f->cache);
		while (callchain_iter__next(&it, &fr)) {
			frames++;
			push_name(f, &n, &fr.al, fr.cpumode);
		}
	}
	if (!frames)
		push_name(f, &n, al, sample->cpumode);

	for (const char *p = comm ? comm : ":-1"; *p; p++)
		strbuf_addch(&f->key, *p == ' ' ? '_' : *p);
	for (int i = n - 1; i >= 0; i--) {
		strbuf_addch(&f->key, ';');
		strbuf_add(&f->key, f->names.buf + f->name_off[i], f->name_len[i]);
	}
	folded__add_stack(f, f->key.buf, f->key.len, 1);
}

static int entry_cmp(const void *a, const void *b, void *arg)
{
	const struct folded *f = arg;
	const struct folded_entry *x = *(const struct folded_entry *const *)a;
	const struct folded_entry *y = *(const struct folded_entry *const *)b;
	size_t n = kp_min(x->len, y->len);
	int r = memcmp(f->arena.buf + x->off, f->arena.buf + y->off, n);

	if (r)
		return r;
	return x->len < y->len ? -1 : x->len > y->len;
}

int folded__for_each(struct folded *f,
		     int (*fn)(const char *stack, size_t len, u64 count, void *arg), void *arg)
{
	struct folded_entry **v = xcalloc(f->nr ? f->nr : 1, sizeof(*v));
	size_t n = 0;
	int ret = 0;

	for (size_t i = 0; i < f->size; i++)
		if (f->table[i].used)
			v[n++] = &f->table[i];
	qsort_r(v, n, sizeof(*v), entry_cmp, f);
	for (size_t i = 0; i < n && !ret; i++)
		ret = fn(f->arena.buf + v[i]->off, v[i]->len, v[i]->count, arg);
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
