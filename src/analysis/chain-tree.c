// SPDX-License-Identifier: GPL-2.0
/*
 * chain-tree.c - callchain radix trees of report entries (see chain-tree.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "analysis/chain-tree.h"
#include "machine/machine.h"

/* ---- arena ---- */

#define ARENA_CHUNK (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct chain_arena {
	struct arena_chunk *chunks;
};

struct chain_arena *chain_arena__new(void)
{
	return xcalloc(1, sizeof(struct chain_arena));
}

void chain_arena__delete(struct chain_arena *arena)
{
	struct arena_chunk *c;

	if (!arena)
		return;
	c = arena->chunks;
	while (c) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	free(arena);
}

static void *arena_alloc(struct chain_arena *arena, size_t size)
{
	struct arena_chunk *c = arena->chunks;
	size_t align = sizeof(max_align_t);
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (!c || c->size - c->used < size) {
		size_t csize = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = xmalloc(sizeof(*c) + csize);
		c->used = 0;
		c->size = csize;
		c->next = arena->chunks;
		arena->chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

/* ---- parameters ---- */

/* perf accepts any prefix of the word (even an empty one) */
static bool word_is(const char *tok, const char *word)
{
	return !strncmp(word, tok, strlen(tok));
}

int callchain_param__parse(struct callchain_param *param, const char *str)
{
	char buf[256];
	char *tok, *save = NULL;
	bool minpcnt_set = false;
	size_t len = strlen(str);

	if (len >= sizeof(buf))
		return kp_error(KP_ERR_USAGE, "--call-graph '%s' is too long", str);
	memcpy(buf, str, len + 1);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;

		if (word_is(tok, "none")) {
			param->mode = CHAIN_NONE;
			return 0;
		}
		if (word_is(tok, "graph")) {
			param->mode = CHAIN_GRAPH_ABS;
		} else if (word_is(tok, "flat")) {
			param->mode = CHAIN_FLAT;
		} else if (word_is(tok, "fractal")) {
			param->mode = CHAIN_GRAPH_REL;
		} else if (word_is(tok, "folded")) {
			param->mode = CHAIN_FOLDED;
		} else if (word_is(tok, "caller")) {
			param->order = ORDER_CALLER;
			param->order_set = true;
		} else if (word_is(tok, "callee")) {
			param->order = ORDER_CALLEE;
			param->order_set = true;
		} else if (word_is(tok, "function")) {
			/* the only key kvmprof has */
		} else if (word_is(tok, "address") || word_is(tok, "srcline") ||
			   word_is(tok, "branch")) {
			return kp_error(KP_ERR_USAGE,
					"--call-graph key '%s' is not supported; use 'function'", tok);
		} else if (word_is(tok, "percent")) {
			param->value = CCVAL_PERCENT;
		} else if (word_is(tok, "period")) {
			param->value = CCVAL_PERIOD;
		} else if (word_is(tok, "count")) {
			param->value = CCVAL_COUNT;
		} else if (!minpcnt_set) {
			double v = strtod(tok, &end);

			if (end == tok || *end || !(v >= 0.0 && v <= 100.0))
				return kp_error(KP_ERR_USAGE,
						"--call-graph: '%s' is neither a print type, an order, "
						"a value type nor a threshold (0..100)", tok);
			param->min_percent = v;
			minpcnt_set = true;
		} else {
			unsigned long v = strtoul(tok, &end, 0);

			if (end == tok || *end || v > UINT32_MAX)
				return kp_error(KP_ERR_USAGE,
						"--call-graph: bad print limit '%s'", tok);
			param->print_limit = (u32)v;
		}
	}
	return 0;
}

/* ---- building ---- */

static int key_cmp(u64 a, u64 b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * perf's match: same DSO, then the symbol start when both frames have a
 * symbol, else the raw address.  < 0 when @a sorts before @b.
 */
static int entry_cmp(const struct chain_entry *a, const struct chain_entry *b)
{
	if (a->dso != b->dso)
		return (uintptr_t)a->dso < (uintptr_t)b->dso ? -1 : 1;
	if (a->sym && b->sym)
		return key_cmp(a->sym->start, b->sym->start);
	return key_cmp(a->ip, b->ip);
}

static struct chain_node *node__new(struct chain_arena *arena, struct chain_node *parent)
{
	struct chain_node *n = arena_alloc(arena, sizeof(*n));

	n->parent = parent;
	return n;
}

/*
 * The child whose first frame equals @e, or NULL with *@pos where a new one
 * goes.  Children are kept with the largest key first (perf's tree order).
 */
static struct chain_node *node__find_child(const struct chain_node *node,
					   const struct chain_entry *e, u32 *pos)
{
	u32 lo = 0, hi = node->nr_children;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = entry_cmp(&node->children[mid]->val[0], e);

		if (!c)
			return node->children[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return NULL;
}

static void node__insert_child(struct chain_arena *arena, struct chain_node *node,
			       struct chain_node *child, u32 pos)
{
	if (node->nr_children == node->alloc_children) {
		u32 nalloc = node->alloc_children ? node->alloc_children * 2 : 2;
		struct chain_node **arr = arena_alloc(arena, nalloc * sizeof(*arr));

		if (node->nr_children)
			memcpy(arr, node->children, node->nr_children * sizeof(*arr));
		node->children = arr;
		node->alloc_children = nalloc;
	}
	memmove(node->children + pos + 1, node->children + pos,
		(node->nr_children - pos) * sizeof(*node->children));
	node->children[pos] = child;
	node->nr_children++;
	child->parent = node;
}

static struct chain_node *node__add_leaf(struct chain_arena *arena, struct chain_node *parent,
					 const struct chain_entry *e, u32 nr, u64 period, u64 count)
{
	struct chain_node *n = node__new(arena, parent);
	struct chain_entry *val = arena_alloc(arena, nr * sizeof(*val));

	memcpy(val, e, nr * sizeof(*val));
	n->val = val;
	n->nr_val = nr;
	n->hit = period;
	n->count = count;
	return n;
}

static void node__append_children(struct chain_arena *arena, struct chain_node *node,
				  const struct chain_entry *e, u32 nr, u64 period, u64 count);

/* @node's first frame equals e[0]: follow the common run, then split or descend */
static void node__append(struct chain_arena *arena, struct chain_node *node,
			 const struct chain_entry *e, u32 nr, u64 period, u64 count)
{
	u32 m = 0;

	while (m < node->nr_val && m < nr && !entry_cmp(&node->val[m], &e[m]))
		m++;
	if (m < node->nr_val) {
		/* split: the rest of the run, with the old children, becomes one child */
		struct chain_node *rest = node__new(arena, node);

		rest->val = node->val + m;
		rest->nr_val = node->nr_val - m;
		rest->children = node->children;
		rest->nr_children = node->nr_children;
		rest->alloc_children = node->alloc_children;
		for (u32 i = 0; i < rest->nr_children; i++)
			rest->children[i]->parent = rest;
		rest->hit = node->hit;
		rest->children_hit = node->children_hit;
		rest->count = node->count;
		rest->children_count = node->children_count;

		node->nr_val = m;
		node->children = NULL;
		node->nr_children = node->alloc_children = 0;
		node__insert_child(arena, node, rest, 0);
		node->children_hit = chain_node__cumul_hits(rest);
		node->children_count = chain_node__cumul_counts(rest);
		if (m < nr) {
			u32 pos = 0;

			node->hit = 0;
			node->count = 0;
			node->children_hit += period;
			node->children_count += count;
			node__find_child(node, &e[m], &pos);
			node__insert_child(arena, node,
					   node__add_leaf(arena, node, e + m, nr - m, period, count),
					   pos);
		} else {
			node->hit = period;
			node->count = count;
		}
		return;
	}
	if (m == nr) {
		node->hit += period;
		node->count += count;
		return;
	}
	node__append_children(arena, node, e + m, nr - m, period, count);
}

static void node__append_children(struct chain_arena *arena, struct chain_node *node,
				  const struct chain_entry *e, u32 nr, u64 period, u64 count)
{
	u32 pos = 0;
	struct chain_node *child = node__find_child(node, e, &pos);

	if (child)
		node__append(arena, child, e, nr, period, count);
	else
		node__insert_child(arena, node, node__add_leaf(arena, node, e, nr, period, count),
				   pos);
	node->children_hit += period;
	node->children_count += count;
}

struct chain_root *chain_root__new(struct chain_arena *arena)
{
	return arena_alloc(arena, sizeof(struct chain_root));
}

void chain_root__append_n(struct chain_arena *arena, struct chain_root *root,
			  const struct chain_entry *entries, u32 nr, u64 period, u64 count)
{
	if (!nr)
		return;
	if (nr > root->max_depth)
		root->max_depth = nr;
	node__append_children(arena, &root->node, entries, nr, period, count);
}

void chain_root__append(struct chain_arena *arena, struct chain_root *root,
			const struct chain_entry *entries, u32 nr, u64 period)
{
	chain_root__append_n(arena, root, entries, nr, period, 1);
}

/* ---- sorting ---- */

struct sort_item {
	u64 key;
	u32 idx;
	struct chain_node *node;
};

/* larger key first; equal keys keep their order (perf inserts ties to the right) */
static int sort_item_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

struct sort_ctx {
	struct chain_arena *arena;
	struct sort_item *items;
	size_t nr_items, alloc_items;
};

static void sort_graph(struct sort_ctx *sc, struct chain_node *node, enum chain_mode mode,
		       u64 min_hit, double min_fraction)
{
	size_t base = sc->nr_items, n;

	if (mode == CHAIN_GRAPH_REL)
		min_hit = (u64)ceil((double)node->children_hit * min_fraction);
	for (u32 i = 0; i < node->nr_children; i++) {
		struct chain_node *child = node->children[i];

		sort_graph(sc, child, mode, min_hit, min_fraction);
		if (chain_node__cumul_hits(child) >= min_hit) {
			ALLOC_GROW(sc->items, sc->nr_items + 1, sc->alloc_items);
			sc->items[sc->nr_items++] = (struct sort_item){
				.key = chain_node__cumul_hits(child),
				.idx = i,
				.node = child,
			};
		}
	}
	n = sc->nr_items - base;
	node->nr_sorted = (u32)n;
	node->sorted = NULL;
	if (!n)
		return;
	qsort(sc->items + base, n, sizeof(*sc->items), sort_item_cmp);
	node->sorted = arena_alloc(sc->arena, n * sizeof(*node->sorted));
	for (size_t i = 0; i < n; i++)
		node->sorted[i] = sc->items[base + i].node;
	sc->nr_items = base;
}

static void collect_flat(struct sort_ctx *sc, struct chain_node *node, u64 min_hit)
{
	for (u32 i = 0; i < node->nr_children; i++)
		collect_flat(sc, node->children[i], min_hit);
	if (node->hit && node->hit >= min_hit) {
		ALLOC_GROW(sc->items, sc->nr_items + 1, sc->alloc_items);
		sc->items[sc->nr_items] = (struct sort_item){
			.key = node->hit,
			.idx = (u32)sc->nr_items,
			.node = node,
		};
		sc->nr_items++;
	}
}

void chain_root__sort(struct chain_arena *arena, struct chain_root *root, enum chain_mode mode,
		      u64 min_hit, double min_percent)
{
	struct sort_ctx sc = { .arena = arena };

	switch (mode) {
	case CHAIN_GRAPH_ABS:
	case CHAIN_GRAPH_REL:
		sort_graph(&sc, &root->node, mode, min_hit, min_percent / 100.0);
		break;
	case CHAIN_FLAT:
	case CHAIN_FOLDED:
		collect_flat(&sc, &root->node, min_hit);
		if (sc.nr_items) /* qsort(NULL, 0) is undefined (UBSan: nonnull) */
			qsort(sc.items, sc.nr_items, sizeof(*sc.items), sort_item_cmp);
		root->nr_flat = (u32)sc.nr_items;
		root->flat = sc.nr_items ? arena_alloc(arena, sc.nr_items * sizeof(*root->flat))
					 : NULL;
		for (size_t i = 0; i < sc.nr_items; i++)
			root->flat[i] = sc.items[i].node;
		break;
	case CHAIN_NONE:
		break;
	}
	free(sc.items);
}
