/* SPDX-License-Identifier: GPL-2.0 */
/*
 * flamegraph.h - a self-contained interactive SVG flame graph from folded
 * stacks (folded.h).
 *
 * Root at the bottom, one row per stack depth, widths proportional to
 * sample counts, siblings in name order.  Colours: host frames warm
 * (red/orange/yellow, hashed by name, as flamegraph.pl's "hot" palette);
 * guest kernel frames ("_[g]") blue; guest user frames ("_[u]") green; the
 * root "all" grey.  Inline JavaScript (no external file) gives a tooltip per
 * frame, click to zoom into a frame, "Reset Zoom", and "Search" (a regular
 * expression; matches turn magenta and the matched share is shown).
 */
#ifndef KP_UI_FLAMEGRAPH_H
#define KP_UI_FLAMEGRAPH_H

#include <stdio.h>

#include "ui/folded.h"

struct flamegraph_opts {
	const char *title; /* NULL: "Flame Graph" */
	const char *subtitle; /* NULL: none */
	unsigned int width; /* pixels, 0: 1200 */
};

/**
 * flamegraph__write - write an SVG of @f's stacks to @fp.
 * Returns 0 or -errno when writing failed.  An empty @f gives a valid SVG
 * that says there are no samples.
 */
int flamegraph__write(struct folded *f, const struct flamegraph_opts *opts, FILE *fp);

#endif
