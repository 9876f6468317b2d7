// SPDX-License-Identifier: GPL-2.0
/*
 * callchain.c - perf report's stdio callchain layouts (see callchain.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/util.h"
#include "machine/machine.h"
#include "ui/stdio/callchain.h"

#define GRAPH_COLUMN 11 /* "|" plus ten spaces */

struct cc_print {
	struct strbuf *sb;
	const struct callchain_param *param;
};

/*
 * perf's depth mask is an int and its bit for depth i is (1 << i): on x86 the
 * shift count wraps at 32, so depth i and depth i + 32 share a bit and deep
 * chains (32 frames and more) draw the "|" of a shallower column.  The mask
 * is passed down by value, as in perf, so what a deeper level sets never
 * comes back up.
 */
static inline u32 depth_bit(int i)
{
	return 1U << (i & 31);
}

static void add_frame_name(struct strbuf *sb, const struct chain_entry *e)
{
	if (e->cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		strbuf_addstr(sb, "[g] ");
	else if (e->cpumode == PERF_RECORD_MISC_GUEST_USER)
		strbuf_addstr(sb, "[u] ");
	if (e->sym && e->sym->name)
		strbuf_addstr(sb, e->sym->name);
	else
		strbuf_addf(sb, "%#llx", (unsigned long long)e->ip);
}

static void add_value(struct cc_print *p, u64 period, u64 count, u64 total)
{
	switch (p->param->value) {
	case CCVAL_PERIOD:
		strbuf_addf(p->sb, "%llu", (unsigned long long)period);
		break;
	case CCVAL_COUNT:
		strbuf_addf(p->sb, "%u", (unsigned int)count);
		break;
	case CCVAL_PERCENT:
		strbuf_addf(p->sb, "%.2f%%", total ? (double)period * 100.0 / (double)total : 0.0);
		break;
	}
}

static void add_node_value(struct cc_print *p, const struct chain_node *node, u64 total)
{
	if (p->param->mode == CHAIN_FOLDED)
		add_value(p, node->hit, node->count, total);
	else
		add_value(p, chain_node__cumul_hits(node), chain_node__cumul_counts(node), total);
}

static void add_margin(struct cc_print *p, int left_margin)
{
	strbuf_addchars(p->sb, ' ', 12 + left_margin);
}

/* the line between two branches: every open column, the current one included */
static void add_graph_line(struct cc_print *p, int depth, u32 mask, int left_margin)
{
	add_margin(p, left_margin);
	for (int i = 0; i < depth; i++) {
		strbuf_addch(p->sb, mask & depth_bit(i) ? '|' : ' ');
		strbuf_addchars(p->sb, ' ', GRAPH_COLUMN - 1);
	}
	strbuf_addch(p->sb, '\n');
}

/* one frame of a branch; the first frame carries the branch's value */
static void add_graph_frame(struct cc_print *p, const struct chain_node *node,
			    const struct chain_entry *e, const char *name, int depth, u32 mask,
			    bool first, u64 total, int left_margin)
{
	add_margin(p, left_margin);
	for (int i = 0; i < depth; i++) {
		strbuf_addch(p->sb, mask & depth_bit(i) ? '|' : ' ');
		if (first && i == depth - 1) {
			strbuf_addstr(p->sb, "--");
			add_node_value(p, node, total);
			strbuf_addstr(p->sb, "--");
		} else {
			strbuf_addchars(p->sb, ' ', GRAPH_COLUMN - 1);
		}
	}
	if (e)
		add_frame_name(p->sb, e);
	else
		strbuf_addstr(p->sb, name);
	strbuf_addch(p->sb, '\n');
}

static void print_graph_level(struct cc_print *p, const struct chain_node *parent,
			      struct chain_node *const *list, u32 nr, u64 total, int depth,
			      u32 mask, int left_margin)
{
	bool rel = p->param->mode == CHAIN_GRAPH_REL;
	u64 remaining = total, cumul_count = 0;
	u32 printed = 0, new_mask = mask;

	for (u32 k = 0; k < nr; k++) {
		const struct chain_node *child = list[k];
		u64 cumul = chain_node__cumul_hits(child);

		remaining -= cumul;
		cumul_count += chain_node__cumul_counts(child);
		/* the last branch closes its column, unless "[...]" follows */
		if (k == nr - 1 && (!rel || !remaining))
			new_mask &= ~depth_bit(depth - 1);
		/* the separator still links the column */
		add_graph_line(p, depth, mask, left_margin);
		for (u32 i = 0; i < child->nr_val; i++)
			add_graph_frame(p, child, &child->val[i], NULL, depth, new_mask, i == 0,
					total, left_margin);
		print_graph_level(p, child, child->sorted, child->nr_sorted,
				  rel ? child->children_hit : total, depth + 1,
				  new_mask | depth_bit(depth), left_margin);
		if (++printed == p->param->print_limit)
			break;
	}
	if (rel && remaining && remaining != total) {
		struct chain_node rem = { .hit = remaining };

		if (p->param->value == CCVAL_COUNT && parent) {
			if (parent->children_count <= cumul_count)
				return;
			rem.count = parent->children_count - cumul_count;
		}
		new_mask &= ~depth_bit(depth - 1);
		add_graph_frame(p, &rem, NULL, "[...]", depth, new_mask, true, total, left_margin);
	}
}

static void print_graph(struct cc_print *p, const struct chain_root *root, u64 total,
			u64 parent_samples, bool skip_first)
{
	const struct chain_node *top = &root->node;
	size_t start = p->sb->len;
	int left_margin = 0;

	if (top->nr_sorted == 1 && chain_node__cumul_hits(top->sorted[0]) == parent_samples) {
		/* one path for the whole row: no percentage, "---" instead */
		const struct chain_node *only = top->sorted[0];
		bool started = false;
		u32 printed = 0;

		for (u32 i = 0; i < only->nr_val; i++) {
			if (!i && skip_first)
				continue;
			if (!started) {
				add_margin(p, left_margin);
				strbuf_addstr(p->sb, "|\n");
				add_margin(p, left_margin);
				strbuf_addstr(p->sb, "---");
				left_margin += 3;
				started = true;
			} else {
				add_margin(p, left_margin);
			}
			add_frame_name(p->sb, &only->val[i]);
			strbuf_addch(p->sb, '\n');
			if (++printed == p->param->print_limit)
				break;
		}
		top = only;
	}
	if (p->param->mode == CHAIN_GRAPH_REL)
		total = parent_samples;
	print_graph_level(p, top, top->sorted, top->nr_sorted, total, 1, depth_bit(0), left_margin);
	if (p->sb->len != start)
		strbuf_addch(p->sb, '\n');
}

/* the frames from the tree's root down to @node */
static void add_path(struct cc_print *p, const struct chain_node *node, const char *before,
		     const char *sep, const char *after, bool *first)
{
	if (!node)
		return;
	add_path(p, node->parent, before, sep, after, first);
	for (u32 i = 0; i < node->nr_val; i++) {
		if (before)
			strbuf_addstr(p->sb, before);
		else if (!*first)
			strbuf_addstr(p->sb, sep);
		*first = false;
		add_frame_name(p->sb, &node->val[i]);
		if (after)
			strbuf_addstr(p->sb, after);
	}
}

static void print_flat(struct cc_print *p, const struct chain_root *root, u64 total)
{
	for (u32 i = 0; i < root->nr_flat; i++) {
		const struct chain_node *node = root->flat[i];
		bool first = true;

		strbuf_addchars(p->sb, ' ', 11);
		add_node_value(p, node, total);
		strbuf_addch(p->sb, '\n');
		add_path(p, node, "                ", NULL, "\n", &first);
		strbuf_addch(p->sb, '\n');
		if (i + 1 == p->param->print_limit)
			break;
	}
}

static void print_folded(struct cc_print *p, const struct chain_root *root, u64 total)
{
	for (u32 i = 0; i < root->nr_flat; i++) {
		const struct chain_node *node = root->flat[i];
		bool first = true;

		add_node_value(p, node, total);
		strbuf_addch(p->sb, ' ');
		add_path(p, node, NULL, ";", NULL, &first);
		strbuf_addch(p->sb, '\n');
		if (i + 1 == p->param->print_limit)
			break;
	}
}

size_t hist_entry__fprintf_callchain(const struct hist_entry *he, const struct hists *hists,
				     const struct callchain_param *param, bool skip_first,
				     FILE *fp)
{
	struct strbuf sb = STRBUF_INIT;
	struct cc_print p = { .sb = &sb, .param = param };
	u64 total = hists->stats.total_period;
	u64 parent_samples = hists->cumulate ? he->stat_acc.period : he->stat.period;
	size_t len;

	if (!he->callchain)
		return 0;
	switch (param->mode) {
	case CHAIN_GRAPH_ABS:
	case CHAIN_GRAPH_REL:
		print_graph(&p, he->callchain, total, parent_samples, skip_first);
		break;
	case CHAIN_FLAT:
		print_flat(&p, he->callchain, total);
		break;
	case CHAIN_FOLDED:
		print_folded(&p, he->callchain, total);
		break;
	case CHAIN_NONE:
		break;
	}
	len = sb.len;
	fwrite(sb.buf, 1, sb.len, fp);
	strbuf_release(&sb);
	return len;
}
