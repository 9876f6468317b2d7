/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chain-tree.h - the callchain tree of one report entry (perf's
 * struct callchain_root), built sample by sample and sorted for printing.
 *
 * Every sample (or, in children mode, every suffix of a sample's resolved
 * chain) is added as a path of frames.  The tree is a radix tree of paths:
 * a node holds a run of frames that every path through it shares, and it is
 * split when a new path leaves the run half way, as perf's callchain code
 * does.  Two frames are the same when they are in the same DSO (compared by
 * identity) and either both have a symbol with the same start, or they have
 * the same raw address.  Children are kept in perf's lookup order (first
 * frame's key, descending), so that ties in the printed order come out as
 * perf's do.
 *
 * After the whole file is read, chain_root__sort() keeps the nodes above the
 * threshold and orders them (graph, fractal: per level by accumulated
 * period; flat, folded: one list of path ends by self period).
 *
 * Memory: every node and frame array comes from a struct chain_arena owned by
 * the histogram; nothing is freed before chain_arena__delete().
 */
#ifndef KP_ANALYSIS_CHAIN_TREE_H
#define KP_ANALYSIS_CHAIN_TREE_H

#include "util/util.h"

struct symbol;

enum chain_mode {
	CHAIN_NONE,
	CHAIN_GRAPH_ABS, /* "graph": percentages of the event's total */
	CHAIN_GRAPH_REL, /* "fractal": percentages of the parent */
	CHAIN_FLAT,
	CHAIN_FOLDED,
};

enum chain_order {
	ORDER_CALLEE, /* leaf first */
	ORDER_CALLER, /* root first */
};

enum chain_value {
	CCVAL_PERCENT,
	CCVAL_PERIOD,
	CCVAL_COUNT,
};

/* perf report's -g / --call-graph settings */
struct callchain_param {
	enum chain_mode mode;
	enum chain_order order;
	enum chain_value value;
	double min_percent; /* threshold, in percent */
	u32 print_limit; /* 0: no limit */
	bool order_set; /* caller/callee given: children mode keeps it */
};

/** perf 6.1's report defaults: graph,0.5,callee,function,percent */
#define CALLCHAIN_PARAM_DEFAULT \
	{ .mode = CHAIN_GRAPH_ABS, .order = ORDER_CALLEE, .value = CCVAL_PERCENT, \
	  .min_percent = 0.5 }

/**
 * callchain_param__parse - apply a perf --call-graph string to @param:
 * comma-separated print type (graph, flat, fractal, folded, none), order
 * (caller, callee), key (function; address and srcline are refused), value
 * (percent, period, count), then a threshold and a print limit.  Words may be
 * abbreviated as perf allows.  Returns 0 or KP_ERR_USAGE with a detail.
 */
int callchain_param__parse(struct callchain_param *param, const char *str);

/* one frame of a path */
struct chain_entry {
	u64 ip; /* raw address, printed when there is no symbol */
	const void *dso; /* identity only; NULL when the address has no map */
	const struct symbol *sym; /* NULL: unresolved */
	u8 cpumode; /* PERF_RECORD_MISC_*: guest frames are labelled */
};

struct chain_node {
	struct chain_node *parent;
	const struct chain_entry *val; /* the run of frames of this node */
	u32 nr_val;
	u32 nr_children;
	u32 alloc_children;
	struct chain_node **children; /* lookup order */
	u64 hit; /* period of paths ending here */
	u64 children_hit;
	u64 count; /* number of paths ending here */
	u64 children_count;
	/* after chain_root__sort() (graph modes): children shown, in order */
	struct chain_node **sorted;
	u32 nr_sorted;
};

struct chain_root {
	struct chain_node node; /* the empty root */
	/* after chain_root__sort() (flat, folded): the nodes shown, in order */
	struct chain_node **flat;
	u32 nr_flat;
	u32 max_depth; /* the longest path added */
};

struct chain_arena;

/** chain_arena__new - an empty arena for trees (freed by chain_arena__delete()). */
struct chain_arena *chain_arena__new(void);
/** chain_arena__delete - free every node and array of every tree of @arena. */
void chain_arena__delete(struct chain_arena *arena);

/** chain_root__new - an empty tree allocated from @arena. */
struct chain_root *chain_root__new(struct chain_arena *arena);

/**
 * chain_root__append - add the path @entries[0..@nr) (in display order:
 * callee or caller first, as chosen by the caller) with @period.  An empty
 * path adds nothing.
 */
void chain_root__append(struct chain_arena *arena, struct chain_root *root,
			const struct chain_entry *entries, u32 nr, u64 period);

/**
 * chain_root__append_n - chain_root__append() for @count paths at once
 * (equal paths of de-duplicated samples) with their summed @period: the same
 * tree as @count appends, the counts bumped by @count.
 */
void chain_root__append_n(struct chain_arena *arena, struct chain_root *root,
			  const struct chain_entry *entries, u32 nr, u64 period, u64 count);

/**
 * chain_root__sort - choose and order the nodes to print for @mode: nodes
 * whose accumulated period (graph) or own period (flat, folded) is at least
 * @min_hit; in fractal mode the threshold is @min_percent of each parent's
 * children period instead.
 */
void chain_root__sort(struct chain_arena *arena, struct chain_root *root, enum chain_mode mode,
		      u64 min_hit, double min_percent);

/** chain_node__cumul_hits - the node's own period plus its children's. */
static inline u64 chain_node__cumul_hits(const struct chain_node *node)
{
	return node->hit + node->children_hit;
}

/** chain_node__cumul_counts - the node's own path count plus its children's. */
static inline u64 chain_node__cumul_counts(const struct chain_node *node)
{
	return node->count + node->children_count;
}

#endif
