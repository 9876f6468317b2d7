// SPDX-License-Identifier: GPL-2.0
/*
 * symtab.c - sorted symbol arrays with perf's fix-up rules.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "symbol/symbol.h"
#include "util/util.h"

void symtab__init(struct symtab *st)
{
	memset(st, 0, sizeof(*st));
}

void symtab__exit(struct symtab *st)
{
	free(st->syms);
	free(st->pool);
	memset(st, 0, sizeof(*st));
}

void symtab__add(struct symtab *st, u64 start, u64 len, u8 binding, u8 type, const char *name,
		 size_t namelen)
{
	struct symbol *s;

	if (st->finished) {
		/* back to offsets: the pool may move */
		for (size_t i = 0; i < st->nr; i++)
			st->syms[i].name = (const char *)(uintptr_t)(st->syms[i].name - st->pool);
		st->finished = false;
	}
	ALLOC_GROW(st->syms, st->nr + 1, st->alloc);
	ALLOC_GROW(st->pool, st->pool_len + namelen + 1, st->pool_alloc);
	memcpy(st->pool + st->pool_len, name, namelen);
	st->pool[st->pool_len + namelen] = '\0';
	s = &st->syms[st->nr++];
	s->start = start;
	s->end = start + len;
	/* an offset until symtab__resolve_names(): the pool may still move */
	s->name = (const char *)(uintptr_t)st->pool_len;
	s->binding = binding;
	s->type = type;
	st->pool_len += namelen + 1;
	st->finished = false;
}

void symtab__resolve_names(struct symtab *st)
{
	if (st->finished)
		return;
	for (size_t i = 0; i < st->nr; i++)
		st->syms[i].name = st->pool + (uintptr_t)st->syms[i].name;
	st->finished = true;
}

/* stable merge sort by start: equal starts keep insertion order, like perf's rbtree */
static void msort(struct symbol *a, struct symbol *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	msort(a, tmp, mid);
	msort(a + mid, tmp, n - mid);
	if (a[mid - 1].start <= a[mid].start)
		return;
	while (i < mid && j < n)
		tmp[k++] = a[j].start < a[i].start ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	memcpy(a, tmp, k * sizeof(*a));
}

void symtab__sort(struct symtab *st)
{
	struct symbol *tmp;

	if (st->nr < 2)
		return;
	tmp = xcalloc(st->nr, sizeof(*tmp));
	msort(st->syms, tmp, st->nr);
	free(tmp);
}

static const char *symname(const struct symtab *st, const struct symbol *s)
{
	return st->finished ? s->name : st->pool + (uintptr_t)s->name;
}

static u64 roundup_page(u64 x)
{
	return (x + 4095) & ~4095ULL;
}

void symtab__fixup_end(struct symtab *st, bool is_kallsyms)
{
	struct symbol *prev, *curr;

	if (!st->nr)
		return;
	curr = &st->syms[0];
	for (size_t i = 1; i < st->nr; i++) {
		prev = curr;
		curr = &st->syms[i];
		if (prev->end != prev->start)
			continue;
		/* the last kernel symbol before a module (or the reverse) ends a page later */
		if (is_kallsyms && (!strchr(symname(st, prev), '[') !=
				    !strchr(symname(st, curr), '[')))
			prev->end = roundup_page(prev->end + 4096);
		else
			prev->end = curr->start;
	}
	if (curr->end == curr->start)
		curr->end = roundup_page(curr->start) + 4096;
}

static size_t leading_underscores(const char *s)
{
	size_t n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

/* perf's choose_best_symbol(): true if @a is kept over @b */
static bool prefer_a(const struct symtab *st, const struct symbol *a, const struct symbol *b)
{
	u64 la = a->end - a->start, lb = b->end - b->start;
	bool wa, wb, ga, gb;
	size_t ua, ub;

	if (lb == 0 && la > 0)
		return true;
	if (la == 0 && lb > 0)
		return false;
	wa = a->binding == STB_WEAK;
	wb = b->binding == STB_WEAK;
	if (wb && !wa)
		return true;
	if (wa && !wb)
		return false;
	ga = a->binding == STB_GLOBAL;
	gb = b->binding == STB_GLOBAL;
	if (ga && !gb)
		return true;
	if (gb && !ga)
		return false;
	ua = leading_underscores(symname(st, a));
	ub = leading_underscores(symname(st, b));
	if (ub > ua)
		return true;
	if (ua > ub)
		return false;
	return strlen(symname(st, a)) >= strlen(symname(st, b));
}

void symtab__fixup_duplicate(struct symtab *st)
{
	size_t out = 0;

	for (size_t i = 0; i < st->nr; i++) {
		if (out && st->syms[out - 1].start == st->syms[i].start) {
			if (!prefer_a(st, &st->syms[out - 1], &st->syms[i]))
				st->syms[out - 1] = st->syms[i];
			continue;
		}
		st->syms[out++] = st->syms[i];
	}
	st->nr = out;
}

void symtab__finish(struct symtab *st, bool is_kallsyms)
{
	symtab__sort(st);
	symtab__fixup_end(st, is_kallsyms);
	symtab__fixup_duplicate(st);
	symtab__resolve_names(st);
}

struct symbol *symtab__find(const struct symtab *st, u64 addr)
{
	size_t lo = 0, hi = st->nr;

	/* last symbol with start <= addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->syms[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	/*
	 * Symbols may overlap (an explicit size larger than the gap); look a
	 * few entries back for one that still covers @addr.
	 */
	for (size_t i = lo, n = 0; i > 0 && n < 4; i--, n++) {
		struct symbol *s = &st->syms[i - 1];

		if (addr < s->end)
			return s;
	}
	return NULL;
}
