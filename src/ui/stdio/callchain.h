/* SPDX-License-Identifier: GPL-2.0 */
/*
 * callchain.h - perf report's stdio callchain layouts under a histogram row.
 *
 * graph / fractal: the tree, with "---" for a single path that accounts for
 * the whole row, "|" columns ten characters apart for open branches and
 * "--N.NN%--" where a branch starts; flat: every path end with its value and
 * its frames one per line; folded: "value frame;frame;..." lines.  Frames
 * are symbol names, or the raw address ("%#llx") when unresolved; frames that
 * ran in a guest (the guest callchain series) are prefixed "[g] " (guest
 * kernel) or "[u] " (guest user).
 */
#ifndef KP_UI_STDIO_CALLCHAIN_H
#define KP_UI_STDIO_CALLCHAIN_H

#include <stdio.h>

#include "analysis/chain-tree.h"
#include "analysis/hist.h"

/**
 * hist_entry__fprintf_callchain - print @he's sorted callchain tree (after
 * hists__sort_callchains()) as @param says; @skip_first drops the first frame
 * of a single full-width path (perf does when the sort order starts with
 * "sym").  Returns the number of bytes written.
 */
size_t hist_entry__fprintf_callchain(const struct hist_entry *he, const struct hists *hists,
				     const struct callchain_param *param, bool skip_first,
				     FILE *fp);

#endif
