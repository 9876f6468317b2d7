// SPDX-License-Identifier: GPL-2.0
/*
 * flamegraph.c - SVG flame graph (see flamegraph.h).
 *
 * The folded stacks arrive sorted, so a frame usually matches the last child
 * added to its parent; otherwise (names with bytes below ';' break the
 * grouping) the sibling list is searched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ui/flamegraph.h"
#include "util/util.h"

#define FRAME_H 16
#define PAD_TOP 50
#define PAD_BOTTOM 30
#define PAD_X 10
#define MIN_W 0.1 /* pixels: narrower frames are not drawn */
#define CHAR_W 7.0 /* approximate width of a 12px monospace-ish glyph */

struct fg_node {
	u32 name_off;
	u32 name_len;
	u64 count;
	u32 first_child;
	u32 last_child;
	u32 next;
	u32 depth;
};

struct fg_tree {
	struct fg_node *nodes;
	size_t nr, alloc;
	struct strbuf names;
	u32 max_depth;
};

/* an upper bound on frames per stack: comm + 127 frames, with room to spare */
enum { FG_MAX_DEPTH = 256 };

static u32 fg_new_node(struct fg_tree *t, const char *name, size_t len, u32 depth)
{
	struct fg_node *n;

	ALLOC_GROW(t->nodes, t->nr + 1, t->alloc);
	n = &t->nodes[t->nr];
	memset(n, 0, sizeof(*n));
	n->name_off = (u32)t->names.len;
	n->name_len = (u32)len;
	n->depth = depth;
	strbuf_add(&t->names, name, len);
	if (depth > t->max_depth)
		t->max_depth = depth;
	return (u32)t->nr++;
}

static bool fg_is(const struct fg_tree *t, u32 idx, const char *name, size_t n)
{
	return t->nodes[idx].name_len == n && !memcmp(t->names.buf + t->nodes[idx].name_off, name, n);
}

static int fg_add(const char *stack, size_t len, u64 count, void *arg)
{
	struct fg_tree *t = arg;
	const char *p = stack, *end = stack + len;
	u32 cur = 0, depth = 0;

	t->nodes[0].count += count;
	while (p < end && depth + 1 < FG_MAX_DEPTH) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		size_t n = semi ? (size_t)(semi - p) : (size_t)(end - p);
		u32 child = t->nodes[cur].last_child;

		depth++;
		if (child && !fg_is(t, child, p, n))
			for (child = t->nodes[cur].first_child; child && !fg_is(t, child, p, n);
			     child = t->nodes[child].next)
				;
		if (!child) {
			child = fg_new_node(t, p, n, depth);
			if (t->nodes[cur].last_child)
				t->nodes[t->nodes[cur].last_child].next = child;
			else
				t->nodes[cur].first_child = child;
			t->nodes[cur].last_child = child;
		}
		t->nodes[child].count += count;
		cur = child;
		p = semi ? semi + 1 : end;
	}
	return 0;
}

static void add_xml(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			strbuf_addstr(sb, "&amp;");
			break;
		case '<':
			strbuf_addstr(sb, "&lt;");
			break;
		case '>':
			strbuf_addstr(sb, "&gt;");
			break;
		case '"':
			strbuf_addstr(sb, "&quot;");
			break;
		case '\'':
			strbuf_addstr(sb, "&apos;");
			break;
		default:
			if ((u8)s[i] < 0x20)
				strbuf_addch(sb, '?');
			else
				strbuf_addch(sb, s[i]);
		}
	}
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

static void frame_colour(const char *name, size_t len, u32 depth, char *buf, size_t size)
{
	u32 h = 2166136261u;
	double v1, v2;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (u8)name[i]) * 16777619u;
	v1 = (double)(h & 0xff) / 255.0;
	v2 = (double)((h >> 8) & 0xff) / 255.0;
	if (depth == 0)
		snprintf(buf, size, "rgb(190,190,190)");
	else if (ends_with(name, len, "_[g]"))
		snprintf(buf, size, "rgb(%d,%d,%d)", 60 + (int)(50 * v1), 110 + (int)(60 * v2), 230);
	else if (ends_with(name, len, "_[u]"))
		snprintf(buf, size, "rgb(%d,%d,%d)", 70 + (int)(50 * v1), 190 + (int)(50 * v2),
			 90 + (int)(40 * v1));
	else
		snprintf(buf, size, "rgb(%d,%d,%d)", 205 + (int)(50 * v2), (int)(230 * v1),
			 (int)(55 * v2));
}

struct fg_out {
	struct fg_tree *t;
	struct strbuf sb;
	double scale; /* pixels per sample */
	unsigned int height;
};

static void emit_node(struct fg_out *o, u32 idx, u64 x)
{
	struct fg_node *n = &o->t->nodes[idx];
	const char *name = idx ? o->t->names.buf + n->name_off : "all";
	size_t len = idx ? n->name_len : 3;
	double w = (double)n->count * o->scale;
	double px = PAD_X + (double)x * o->scale;
	double y = o->height - PAD_BOTTOM - (double)(n->depth + 1) * FRAME_H;
	char colour[48];
	u64 cx = x;

	if (w < MIN_W)
		return;
	frame_colour(name, len, n->depth, colour, sizeof(colour));
	strbuf_addf(&o->sb, "<g class=\"f\" data-x=\"%llu\" data-w=\"%llu\" data-d=\"%u\"><title>",
		    (unsigned long long)x, (unsigned long long)n->count, n->depth);
	add_xml(&o->sb, name, len);
	strbuf_addf(&o->sb,
		    " (%llu samples, %.2f%%)</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%d\" fill=\"%s\" rx=\"2\"/><text x=\"%.1f\" y=\"%.1f\">",
		    (unsigned long long)n->count,
		    o->t->nodes[0].count ? 100.0 * (double)n->count / (double)o->t->nodes[0].count : 0,
		    px, y, w, FRAME_H - 1, colour, px + 3, y + 11.5);
	if (w > 3 * CHAR_W) {
		size_t fit = (size_t)((w - 6) / CHAR_W);

		if (fit >= len) {
			add_xml(&o->sb, name, len);
		} else {
			add_xml(&o->sb, name, fit - 2);
			strbuf_addstr(&o->sb, "..");
		}
	}
	strbuf_addstr(&o->sb, "</text></g>\n");
	for (u32 c = n->first_child; c; c = o->t->nodes[c].next) {
		emit_node(o, c, cx);
		cx += o->t->nodes[c].count;
	}
}

static const char fg_script[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"'use strict';\n"
	"var svg, frames, W, PX, details, matchedtxt, total, zoomed = null;\n"
	"function init(evt) {\n"
	"  svg = document.documentElement;\n"
	"  W = parseFloat(svg.getAttribute('width')) - 2 * PX0;\n"
	"  frames = Array.prototype.slice.call(document.querySelectorAll('g.f'));\n"
	"  details = document.getElementById('details').firstChild;\n"
	"  matchedtxt = document.getElementById('matched');\n"
	"  total = frames.length ? +frames[0].getAttribute('data-w') : 0;\n"
	"  frames.forEach(function (g) {\n"
	"    g.addEventListener('click', function () { zoom(g); });\n"
	"    g.addEventListener('mouseover', function () {\n"
	"      details.nodeValue = g.querySelector('title').textContent; });\n"
	"    g.addEventListener('mouseout', function () { details.nodeValue = ' '; });\n"
	"  });\n"
	"  document.getElementById('reset').addEventListener('click', function () { zoom(null); });\n"
	"  document.getElementById('search').addEventListener('click', search);\n"
	"}\n"
	"function fname(g) { var t = g.querySelector('title').textContent;\n"
	"  return t.substring(0, t.lastIndexOf(' ('));\n"
	"}\n"
	"function fit(g, w) {\n"
	"  var t = g.querySelector('text'), n = fname(g), c = Math.floor((w - 6) / 7);\n"
	"  if (w < 21) t.textContent = ''; else if (c >= n.length) t.textContent = n;\n"
	"  else t.textContent = n.substring(0, c - 2) + '..';\n"
	"}\n"
	"function zoom(z) {\n"
	"  var zx = z ? +z.getAttribute('data-x') : 0, zw = z ? +z.getAttribute('data-w') : total;\n"
	"  var zd = z ? +z.getAttribute('data-d') : 0, s = zw ? W / zw : 0;\n"
	"  zoomed = z;\n"
	"  document.getElementById('reset').style.opacity = z ? 1 : 0.3;\n"
	"  frames.forEach(function (g) {\n"
	"    var x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w');\n"
	"    var d = +g.getAttribute('data-d'), r = g.querySelector('rect'), t = g.querySelector('text');\n"
	"    var nx, nw;\n"
	"    if (d < zd) { if (x <= zx && x + w >= zx + zw) { nx = 0; nw = W; } else nw = -1; }\n"
	"    else if (x >= zx && x + w <= zx + zw) { nx = (x - zx) * s; nw = w * s; }\n"
	"    else nw = -1;\n"
	"    if (nw < 0.1) { g.style.display = 'none'; return; }\n"
	"    g.style.display = '';\n"
	"    r.setAttribute('x', PX0 + nx); r.setAttribute('width', nw);\n"
	"    t.setAttribute('x', PX0 + nx + 3); fit(g, nw);\n"
	"    g.style.opacity = d < zd ? 0.6 : 1;\n"
	"  });\n"
	"}\n"
	"function search() {\n"
	"  var term = prompt('Search for (regular expression):', '');\n"
	"  var re, hit = 0, seen = {};\n"
	"  frames.forEach(function (g) { var r = g.querySelector('rect');\n"
	"    if (r.hasAttribute('data-fill')) { r.setAttribute('fill', r.getAttribute('data-fill'));\n"
	"      r.removeAttribute('data-fill'); } });\n"
	"  matchedtxt.firstChild.nodeValue = ' ';\n"
	"  if (!term) return;\n"
	"  try { re = new RegExp(term); } catch (e) { matchedtxt.firstChild.nodeValue = 'bad regex'; return; }\n"
	"  var spans = [];\n"
	"  frames.forEach(function (g) {\n"
	"    if (!re.test(fname(g))) return;\n"
	"    var r = g.querySelector('rect');\n"
	"    r.setAttribute('data-fill', r.getAttribute('fill')); r.setAttribute('fill', 'rgb(230,0,230)');\n"
	"    spans.push([+g.getAttribute('data-x'), +g.getAttribute('data-w')]);\n"
	"  });\n"
	"  spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });\n"
	"  var end = -1;\n"
	"  spans.forEach(function (s) { if (s[0] >= end) { hit += s[1]; end = s[0] + s[1]; }\n"
	"    else if (s[0] + s[1] > end) { hit += s[0] + s[1] - end; end = s[0] + s[1]; } });\n"
	"  matchedtxt.firstChild.nodeValue = 'Matched: ' + (total ? (100 * hit / total).toFixed(1) : 0) + '%';\n"
	"}\n"
	"]]></script>\n";

int flamegraph__write(struct folded *f, const struct flamegraph_opts *opts, FILE *fp)
{
	struct fg_tree t = { 0 };
	struct fg_out o = { .t = &t };
	unsigned int width = opts && opts->width ? opts->width : 1200;
	const char *title = opts && opts->title ? opts->title : "Flame Graph";
	int ret = 0;

	strbuf_init(&t.names, 1 << 14);
	strbuf_init(&o.sb, 1 << 16);
	fg_new_node(&t, "all", 3, 0);
	t.max_depth = 0;
	folded__for_each(f, fg_add, &t);

	o.height = PAD_TOP + PAD_BOTTOM + (t.max_depth + 1) * FRAME_H;
	o.scale = t.nodes[0].count ? (double)(width - 2 * PAD_X) / (double)t.nodes[0].count : 0;

	strbuf_addf(&o.sb,
		    "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		    "<svg version=\"1.1\" width=\"%u\" height=\"%u\" onload=\"init(evt)\" "
		    "viewBox=\"0 0 %u %u\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		    "<style type=\"text/css\">\n"
		    "text { font-family: monospace; font-size: 12px; fill: rgb(0,0,0); }\n"
		    "g.f { cursor: pointer; } g.f:hover rect { stroke: black; stroke-width: 0.5; }\n"
		    "#title { font-size: 17px; text-anchor: middle; }\n"
		    ".btn { cursor: pointer; fill: rgb(40,40,160); }\n"
		    "</style>\n<script type=\"text/ecmascript\">var PX0 = %d;</script>\n",
		    width, o.height, width, o.height, PAD_X);
	strbuf_add(&o.sb, fg_script, sizeof(fg_script) - 1);
	strbuf_addf(&o.sb,
		    "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"rgb(248,248,240)\"/>\n"
		    "<text id=\"title\" x=\"%u\" y=\"24\">",
		    width, o.height, width / 2);
	add_xml(&o.sb, title, strlen(title));
	strbuf_addstr(&o.sb, "</text>\n");
	if (opts && opts->subtitle) {
		strbuf_addf(&o.sb, "<text x=\"%u\" y=\"40\" style=\"text-anchor: middle\">", width / 2);
		add_xml(&o.sb, opts->subtitle, strlen(opts->subtitle));
		strbuf_addstr(&o.sb, "</text>\n");
	}
	strbuf_addf(&o.sb,
		    "<text id=\"reset\" class=\"btn\" x=\"%d\" y=\"24\" style=\"opacity: 0.3\">"
		    "Reset Zoom</text>\n"
		    "<text id=\"search\" class=\"btn\" x=\"%u\" y=\"24\">Search</text>\n"
		    "<text id=\"matched\" x=\"%u\" y=\"%u\"> </text>\n"
		    "<text id=\"details\" x=\"%d\" y=\"%u\"> </text>\n"
		    "<text x=\"%d\" y=\"40\" style=\"font-size: 10px\">"
		    "<tspan fill=\"rgb(215,90,20)\">host</tspan> "
		    "<tspan fill=\"rgb(60,110,230)\">guest kernel [g]</tspan> "
		    "<tspan fill=\"rgb(70,170,90)\">guest user [u]</tspan></text>\n",
		    PAD_X, width - PAD_X - 50, width - PAD_X - 120, o.height - 10, PAD_X,
		    o.height - 10, PAD_X);
	if (!t.nodes[0].count)
		strbuf_addf(&o.sb, "<text x=\"%u\" y=\"%u\" style=\"text-anchor: middle\">"
			    "no samples</text>\n", width / 2, o.height / 2);
	else
		emit_node(&o, 0, 0);
	strbuf_addstr(&o.sb, "</svg>\n");

	if (fwrite(o.sb.buf, 1, o.sb.len, fp) != o.sb.len)
		ret = -errno ?: -EIO;
	strbuf_release(&o.sb);
	strbuf_release(&t.names);
	free(t.nodes);
	return ret;
}
