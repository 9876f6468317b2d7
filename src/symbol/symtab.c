// SPDX-License-Identifier: GPL-2.0
/*
 * symtab.c - sorted symbol arrays with perf's fix-up rules.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "symbol/symbol.h"
#include "util/util.h"

void symtab__init(struct symtab *st)
{
	memset(st, 0, sizeof(*st));
}

void symtab__exit(struct symtab *st)
{
	free(st->iv);
	if (!st->syms_mapped)
		free(st->syms);
	if (st->map)
		munmap(st->map, st->map_len);
	else
		free(st->pool);
	memset(st, 0, sizeof(*st));
}

void symtab__unshare(struct symtab *st)
{
	char *pool;

	if (!st->map)
		return;
	if (st->syms_mapped) {
		struct symbol *syms = xmalloc((st->nr ? st->nr : 1) * sizeof(*syms));

		memcpy(syms, st->syms, st->nr * sizeof(*syms));
		st->syms = syms;
		st->alloc = st->nr ? st->nr : 1;
		st->syms_mapped = false;
	}
	pool = xmalloc(st->pool_len ? st->pool_len : 1);
	memcpy(pool, st->pool, st->pool_len);
	if (st->finished) {
		for (size_t i = 0; i < st->nr; i++)
			st->syms[i].name = pool + (st->syms[i].name - st->pool);
	}
	munmap(st->map, st->map_len);
	st->map = NULL;
	st->map_len = 0;
	st->pool = pool;
	st->pool_alloc = st->pool_len ? st->pool_len : 1;
}

void symtab__add(struct symtab *st, u64 start, u64 len, u8 binding, u8 type, const char *name,
		 size_t namelen)
{
	struct symbol *s;

	symtab__unshare(st);
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
	st->exact = false;
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
	bool prev_mod, curr_mod = false;

	if (!st->nr)
		return;
	curr = &st->syms[0];
	if (is_kallsyms)
		curr_mod = strchr(symname(st, curr), '[') != NULL;
	for (size_t i = 1; i < st->nr; i++) {
		prev = curr;
		prev_mod = curr_mod;
		curr = &st->syms[i];
		/* one strchr per symbol: each name is looked at as curr, then reused as prev */
		if (is_kallsyms)
			curr_mod = strchr(symname(st, curr), '[') != NULL;
		if (prev->end != prev->start)
			continue;
		/* the last kernel symbol before a module (or the reverse) ends a page later */
		if (is_kallsyms && prev_mod != curr_mod)
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

	if (st->exact) {
		hi = st->nr_iv;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (st->iv[mid].start <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo && addr < st->iv[lo - 1].end)
			return &st->syms[st->iv[lo - 1].idx];
		return NULL;
	}

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

/*
 * Exact replication of perf's lookup where symbols overlap.
 *
 * perf keeps a DSO's symbols in a red-black tree keyed by start (equal keys
 * go right) and stops its lookup at the first node on the search path whose
 * range contains the address.  When ranges overlap (a zero-size _init
 * extended over .plt, then name@plt entries inserted after the fix-ups) the
 * answer depends on the tree's shape, which depends only on the insertion
 * and erase sequence.  We rebuild that tree once, with the textbook
 * red-black insert and erase (which make the same rotations as the kernel's
 * lib/rbtree.c), run the lookup once per elementary interval between symbol
 * boundaries and keep the answers in a sorted array: lookups stay a binary
 * search and give perf's answer everywhere.
 */
struct rbn {
	struct rbn *l, *r, *p;
	bool red;
	u64 start, end;
	u32 idx; /* into the caller's array */
};

struct rbt {
	struct rbn *root;
};

static void rb_rotate_left(struct rbt *t, struct rbn *x)
{
	struct rbn *y = x->r;

	x->r = y->l;
	if (y->l)
		y->l->p = x;
	y->p = x->p;
	if (!x->p)
		t->root = y;
	else if (x == x->p->l)
		x->p->l = y;
	else
		x->p->r = y;
	y->l = x;
	x->p = y;
}

static void rb_rotate_right(struct rbt *t, struct rbn *x)
{
	struct rbn *y = x->l;

	x->l = y->r;
	if (y->r)
		y->r->p = x;
	y->p = x->p;
	if (!x->p)
		t->root = y;
	else if (x == x->p->r)
		x->p->r = y;
	else
		x->p->l = y;
	y->r = x;
	x->p = y;
}

static void rb_insert(struct rbt *t, struct rbn *z)
{
	struct rbn **link = &t->root, *parent = NULL;

	while (*link) {
		parent = *link;
		link = z->start < parent->start ? &parent->l : &parent->r;
	}
	z->p = parent;
	z->l = z->r = NULL;
	z->red = true;
	*link = z;
	while (z->p && z->p->red) {
		struct rbn *g = z->p->p, *u;

		if (z->p == g->l) {
			u = g->r;
			if (u && u->red) {
				z->p->red = false;
				u->red = false;
				g->red = true;
				z = g;
				continue;
			}
			if (z == z->p->r) {
				z = z->p;
				rb_rotate_left(t, z);
			}
			z->p->red = false;
			g->red = true;
			rb_rotate_right(t, g);
		} else {
			u = g->l;
			if (u && u->red) {
				z->p->red = false;
				u->red = false;
				g->red = true;
				z = g;
				continue;
			}
			if (z == z->p->l) {
				z = z->p;
				rb_rotate_right(t, z);
			}
			z->p->red = false;
			g->red = true;
			rb_rotate_left(t, g);
		}
	}
	t->root->red = false;
}

static void rb_transplant(struct rbt *t, struct rbn *u, struct rbn *v)
{
	if (!u->p)
		t->root = v;
	else if (u == u->p->l)
		u->p->l = v;
	else
		u->p->r = v;
	if (v)
		v->p = u->p;
}

static bool is_red(const struct rbn *n)
{
	return n && n->red;
}

/* x may be NULL (a nil leaf): its parent is passed separately */
static void rb_erase_fixup(struct rbt *t, struct rbn *x, struct rbn *xp)
{
	while (x != t->root && !is_red(x)) {
		struct rbn *w;

		if (x == xp->l) {
			w = xp->r;
			if (is_red(w)) {
				w->red = false;
				xp->red = true;
				rb_rotate_left(t, xp);
				w = xp->r;
			}
			if (!is_red(w->l) && !is_red(w->r)) {
				w->red = true;
				x = xp;
				xp = x->p;
			} else {
				if (!is_red(w->r)) {
					w->l->red = false;
					w->red = true;
					rb_rotate_right(t, w);
					w = xp->r;
				}
				w->red = xp->red;
				xp->red = false;
				if (w->r)
					w->r->red = false;
				rb_rotate_left(t, xp);
				x = t->root;
				break;
			}
		} else {
			w = xp->l;
			if (is_red(w)) {
				w->red = false;
				xp->red = true;
				rb_rotate_right(t, xp);
				w = xp->l;
			}
			if (!is_red(w->r) && !is_red(w->l)) {
				w->red = true;
				x = xp;
				xp = x->p;
			} else {
				if (!is_red(w->l)) {
					w->r->red = false;
					w->red = true;
					rb_rotate_left(t, w);
					w = xp->l;
				}
				w->red = xp->red;
				xp->red = false;
				if (w->l)
					w->l->red = false;
				rb_rotate_right(t, xp);
				x = t->root;
				break;
			}
		}
	}
	if (x)
		x->red = false;
}

static void rb_erase(struct rbt *t, struct rbn *z)
{
	struct rbn *y = z, *x, *xp;
	bool y_red = y->red;

	if (!z->l) {
		x = z->r;
		xp = z->p;
		rb_transplant(t, z, z->r);
	} else if (!z->r) {
		x = z->l;
		xp = z->p;
		rb_transplant(t, z, z->l);
	} else {
		y = z->r;
		while (y->l)
			y = y->l;
		y_red = y->red;
		x = y->r;
		if (y->p == z) {
			xp = y;
		} else {
			xp = y->p;
			rb_transplant(t, y, y->r);
			y->r = z->r;
			y->r->p = y;
		}
		rb_transplant(t, z, y);
		y->l = z->l;
		y->l->p = y;
		y->red = z->red;
	}
	if (!y_red)
		rb_erase_fixup(t, x, xp);
}

static struct rbn *rb_first(const struct rbt *t)
{
	struct rbn *n = t->root;

	while (n && n->l)
		n = n->l;
	return n;
}

static struct rbn *rb_next(struct rbn *n)
{
	if (n->r) {
		n = n->r;
		while (n->l)
			n = n->l;
		return n;
	}
	while (n->p && n == n->p->r)
		n = n->p;
	return n->p;
}

static const struct rbn *rb_lookup(const struct rbt *t, u64 ip)
{
	const struct rbn *n = t->root;

	while (n) {
		if (ip < n->start)
			n = n->l;
		else if (ip >= n->end)
			n = n->r;
		else
			return n;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

void symtab__finish_elf(struct symtab *st, struct symtab *plt)
{
	size_t nr = st->nr, total, nb = 0, out = 0;
	struct rbn *nodes, *n, *next;
	struct symbol *all, *sorted;
	struct rbt t = { NULL };
	u64 *bounds;

	symtab__unshare(st); /* the array is freed and replaced below */
	free(st->iv);
	st->iv = NULL;
	st->nr_iv = 0;
	total = nr + (plt ? plt->nr : 0);
	if (!total) {
		symtab__resolve_names(st);
		return;
	}
	/* names: give the PLT entries a home in our pool */
	if (plt && plt->nr) {
		symtab__resolve_names(plt);
		for (size_t i = 0; i < plt->nr; i++)
			symtab__add(st, plt->syms[i].start, plt->syms[i].end - plt->syms[i].start,
				    plt->syms[i].binding, plt->syms[i].type, plt->syms[i].name,
				    strlen(plt->syms[i].name));
		symtab__exit(plt);
	}
	symtab__resolve_names(st);
	all = st->syms;
	nodes = xcalloc(total, sizeof(*nodes));
	for (size_t i = 0; i < nr; i++) {
		nodes[i].start = all[i].start;
		nodes[i].end = all[i].end;
		nodes[i].idx = (u32)i;
		rb_insert(&t, &nodes[i]);
	}
	/* symbols__fixup_end(), in tree order */
	for (n = rb_first(&t); n && (next = rb_next(n)); n = next) {
		if (n->end == n->start)
			n->end = next->start;
	}
	if (n && n->end == n->start)
		n->end = roundup_page(n->start) + 4096;
	/* symbols__fixup_duplicate(), erasing the same nodes in the same order */
	n = rb_first(&t);
	while (n) {
		next = rb_next(n);
		if (!next)
			break;
		if (n->start != next->start) {
			n = next;
			continue;
		}
		all[n->idx].end = n->end;
		all[next->idx].end = next->end;
		if (prefer_a(st, &all[n->idx], &all[next->idx])) {
			rb_erase(&t, next);
		} else {
			rb_erase(&t, n);
			n = next;
		}
	}
	for (size_t i = nr; i < total; i++) {
		nodes[i].start = all[i].start;
		nodes[i].end = all[i].end;
		nodes[i].idx = (u32)i;
		rb_insert(&t, &nodes[i]);
	}
	/* the surviving symbols, sorted, with their final ends */
	sorted = xcalloc(total, sizeof(*sorted));
	for (n = rb_first(&t); n; n = rb_next(n)) {
		sorted[out] = all[n->idx];
		sorted[out].end = n->end;
		n->idx = (u32)out++;
	}
	/* one lookup per elementary interval */
	bounds = xcalloc(2 * out, sizeof(*bounds));
	for (size_t i = 0; i < out; i++) {
		bounds[nb++] = sorted[i].start;
		bounds[nb++] = sorted[i].end;
	}
	qsort(bounds, nb, sizeof(*bounds), cmp_u64);
	st->iv = xcalloc(nb ? nb : 1, sizeof(*st->iv));
	for (size_t i = 0; i + 1 < nb; i++) {
		const struct rbn *hit;
		struct sym_interval *last;

		if (bounds[i] == bounds[i + 1])
			continue;
		hit = rb_lookup(&t, bounds[i]);
		if (!hit)
			continue;
		last = st->nr_iv ? &st->iv[st->nr_iv - 1] : NULL;
		if (last && last->idx == hit->idx && last->end == bounds[i]) {
			last->end = bounds[i + 1];
			continue;
		}
		st->iv[st->nr_iv].start = bounds[i];
		st->iv[st->nr_iv].end = bounds[i + 1];
		st->iv[st->nr_iv].idx = hit->idx;
		st->nr_iv++;
	}
	free(bounds);
	free(nodes);
	free(st->syms);
	st->syms = sorted;
	st->nr = out;
	st->alloc = total;
	st->exact = true;
}
