// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - pairing, computing and ordering two files' histograms (perf diff).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "analysis/diff.h"

int diff_conf__parse_compute(struct diff_conf *conf, const char *str)
{
	static const struct {
		const char *name;
		enum diff_compute c;
	} names[] = {
		{ "delta", DIFF_COMPUTE_DELTA },
		{ "delta-abs", DIFF_COMPUTE_DELTA_ABS },
		{ "ratio", DIFF_COMPUTE_RATIO },
		{ "wdiff", DIFF_COMPUTE_WDIFF },
	};
	const char *colon = strchr(str, ':');
	size_t len = colon ? (size_t)(colon - str) : strlen(str);

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strlen(names[i].name) != len || strncmp(str, names[i].name, len))
			continue;
		conf->compute = names[i].c;
		if (names[i].c == DIFF_COMPUTE_WDIFF) {
			char *end;
			long long w1, w2;

			if (!colon)
				goto bad_wdiff;
			errno = 0;
			w1 = strtoll(colon + 1, &end, 10);
			if (end == colon + 1 || *end != ',' || errno)
				goto bad_wdiff;
			w2 = strtoll(end + 1, &end, 10);
			if (*end || errno || !w1 || !w2)
				goto bad_wdiff;
			conf->wdiff_w1 = w1;
			conf->wdiff_w2 = w2;
			return 0;
		}
		if (colon)
			return kp_error(KP_ERR_USAGE, "-c %.*s takes no value, not '%s'", (int)len,
					str, colon + 1);
		return 0;
	}
	return kp_error(KP_ERR_USAGE,
			"'%s' is not a computation: use delta, delta-abs, ratio or wdiff:W1,W2", str);
bad_wdiff:
	return kp_error(KP_ERR_USAGE,
			"bad weights in '%s': use wdiff:W1,W2 with two non-zero integers", str);
}

int diff_conf__parse_percentage(struct diff_conf *conf, const char *str)
{
	if (!strcmp(str, "relative"))
		conf->relative = true;
	else if (!strcmp(str, "absolute"))
		conf->relative = false;
	else
		return kp_error(KP_ERR_USAGE,
				"--percentage wants relative or absolute, not '%s'", str);
	return 0;
}

static u64 hists__diff_total(const struct hists *hists, const struct diff_conf *conf)
{
	return conf->relative ? hists->stats.total_non_filtered_period : hists->stats.total_period;
}

double hists__diff_percent(const struct hists *hists, const struct diff_conf *conf, u64 period)
{
	u64 total = hists__diff_total(hists, conf);

	if (!total)
		return 0.0;
	return (double)period * 100.0 / (double)total;
}

/* perf's compute_delta/ratio/wdiff, kept in the baseline entry @he */
static void diff_precompute(struct hist_entry *he, const struct hists *base,
			    const struct hists *other, const struct diff_conf *conf)
{
	const struct hist_entry *pair = he->pair;
	u64 old = he->stat.period, new = pair->stat.period;

	he->diff_delta = hists__diff_percent(other, conf, new) -
			 hists__diff_percent(base, conf, old);
	he->diff_ratio = (double)new / (double)(old ? old : 1);
	/* perf multiplies in 64 bits; wrap the same way without undefined behaviour */
	he->diff_wdiff = (s64)(new * (u64)conf->wdiff_w2 - old * (u64)conf->wdiff_w1);
}

/* perf's cmp_doubles: > 0 when @r is the bigger one */
static s64 cmp_doubles(double l, double r)
{
	return l > r ? -1 : l < r ? 1 : 0;
}

static s64 compute_cmp(const struct hist_entry *l, const struct hist_entry *r,
		       enum diff_compute c)
{
	switch (c) {
	case DIFF_COMPUTE_DELTA:
		return cmp_doubles(l->diff_delta, r->diff_delta);
	case DIFF_COMPUTE_DELTA_ABS:
		return cmp_doubles(fabs(l->diff_delta), fabs(r->diff_delta));
	case DIFF_COMPUTE_RATIO:
		return cmp_doubles(l->diff_ratio, r->diff_ratio);
	case DIFF_COMPUTE_WDIFF:
		return (s64)((u64)r->diff_wdiff - (u64)l->diff_wdiff);
	}
	return 0;
}

/*
 * perf's hist_entry__cmp_compute{,_idx}(), called with the entries swapped
 * as perf's sort callbacks do: > 0 puts @right first.  The _idx variant (the
 * column perf prepends for -o) also sinks dummies for the computations that
 * need a baseline.
 */
static s64 cmp_compute(const struct hist_entry *left, const struct hist_entry *right,
		       enum diff_compute c, bool idx)
{
	if (!left->pair && !right->pair)
		return 0;
	if (!left->pair || !right->pair)
		return left->pair ? -1 : 1;
	if (idx && c != DIFF_COMPUTE_DELTA && c != DIFF_COMPUTE_DELTA_ABS) {
		if (left->dummy && right->dummy)
			return 0;
		if (left->dummy || right->dummy)
			return left->dummy ? 1 : -1;
	}
	return compute_cmp(left, right, c);
}

/* perf diff's sort list ahead of the keys: [-o column], Baseline, the computed column */
static s64 diff_output_cmp(const struct hist_entry *a, const struct hist_entry *b,
			   const void *arg)
{
	const struct diff_conf *conf = arg;
	s64 c;

	if (conf->order_by_compute) {
		c = cmp_compute(b, a, conf->compute, true);
		if (c)
			return c;
	}
	if (a->stat.period != b->stat.period)
		return a->stat.period > b->stat.period ? 1 : -1;
	return cmp_compute(b, a, conf->compute, false);
}

void hists__diff(struct hists *base, struct hists *other, const struct diff_conf *conf)
{
	struct hist_entry **v;
	size_t n;

	if (other && other->nr_entries) {
		/* perf's hists__match: the baseline walks the new file's tree */
		v = xcalloc(base->nr_entries ? base->nr_entries : 1, sizeof(*v));
		n = hists__entries_in(base, v);
		for (size_t i = 0; i < n; i++) {
			struct hist_entry *pair = hists__find_entry(other, v[i]);

			if (pair && !pair->pair) {
				v[i]->pair = pair;
				pair->pair = v[i];
			}
		}
		free(v);
		/* hists__link: a dummy baseline entry for each new-only entry */
		v = xcalloc(other->nr_entries, sizeof(*v));
		n = hists__entries_in(other, v);
		for (size_t i = 0; i < n; i++) {
			struct hist_entry *he;

			if (v[i]->pair)
				continue;
			he = hists__add_dummy(base, v[i]);
			v[i]->pair = he;
			if (!he->pair)
				he->pair = v[i];
		}
		free(v);
	}

	/* perf's output resort recounts the baseline's totals from its entries */
	v = xcalloc(base->nr_entries ? base->nr_entries : 1, sizeof(*v));
	n = hists__entries_in(base, v);
	base->stats.total_period = 0;
	base->stats.total_non_filtered_period = 0;
	for (size_t i = 0; i < n; i++) {
		base->stats.total_period += v[i]->stat.period;
		if (!v[i]->filtered)
			base->stats.total_non_filtered_period += v[i]->stat.period;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i]->pair)
			diff_precompute(v[i], base, other, conf);
	free(v);

	base->output_cmp = diff_output_cmp;
	base->output_cmp_arg = conf;
	hists__output_resort(base);
}
