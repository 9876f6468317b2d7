// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - kvmprof report: perf report's stdio histogram of a perf.data file.
 *
 * Reads the file through the data layer, applies the records to machines
 * (host, guests) in time order, resolves every sample and adds it to the
 * histogram of its event; prints one table per event as perf 6.1's
 * `perf report --stdio` (or `perf kvm [--host] report --stdio`) does.
 *
 * Host/guest filtering follows perf kvm: without --host only guest samples
 * are shown, with --host both (unless --no-guest); filtered samples still
 * count in the percentages.  Children mode (perf's default on files with
 * callchains) is supported, and so are perf's callchain layouts under each
 * row (-g graph, fractal, flat, folded; caller or callee order), built from
 * chains resolved by callchain_iter: guest sections of a chain (the guest
 * callchain series) resolve on the guest machine and print with "[g] " or
 * "[u] " before the symbol.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "cmd/builtin.h"
#include "cmd/cmd-util.h"
#include "data/reader.h"
#include "machine/machine.h"
#include "analysis/callchain.h"
#include "analysis/chain-tree.h"
#include "analysis/guest-summary.h"
#include "analysis/hist.h"
#include "analysis/sample-dedup.h"
#include "analysis/sort.h"
#include "ui/stdio/guest-summary.h"
#include "ui/stdio/hist.h"
#include "ui/header.h"
#include "ui/pprof.h"

#define REPORT_MAX_STACK 127

static const char *const report_usage[] = {
	"kvmprof [GLOBAL OPTIONS] report [-i FILE] [--stdio] [-n] [-s KEYS] [--percent-limit N]",
	"        [-g [graph|fractal|flat|folded|none][,caller|callee][,percent|period|count]",
	"        [,THRESHOLD[,LIMIT]]] [--children | --no-children] [--showcpuutilization]",
	"        [--kallsyms FILE] [--pprof FILE]",
	"        [--header | --header-only] [--guest-summary] [-q]",
	NULL,
};

struct report {
	struct perf_tool tool;
	struct machines machines;
	struct symbol_conf conf;
	struct perf_data *data;
	struct sort_list sort;
	struct hists **hists; /* per evsel idx, created on the first sample */
	int nr_hists;
	bool cumulate;
	bool use_callchain; /* print callchains (-g, on by default with callchains) */
	struct callchain_param cc;
	int max_stack;
	struct callchain_cache cache;
	/* the current sample's frames (callee first) and their display order */
	struct callchain_frame *frames;
	size_t alloc_frames;
	struct chain_entry *entries;
	size_t alloc_entries;
	const struct callchain_frame **order;
	size_t alloc_order;
	size_t nr_shown; /* frames of the current sample in order[] */
	/* --pprof */
	struct pprof *pprof;
	int *pprof_value; /* per evsel idx: the pprof value column */
	struct pprof_frame *pframes;
	size_t alloc_pframes;
	u64 first_time, last_time;
	struct guest_summary *gsum; /* --guest-summary: per evsel idx, else NULL */
	/* samples of the current window, merged by stack (sample-dedup.h) */
	struct sample_dedup dedup;
	bool use_dedup; /* off with --pprof (times), --guest-summary, KVMPROF_NO_DEDUP */
	bool dedup_check; /* lookups may depend on shapes: check each window */
	u64 nr_windows, nr_slow_windows, nr_slow_stacks, nr_direct, nr_plain_windows;
	bool note_kernel; /* report__add() tells the table which kernels it reached */
	/*
	 * report__add() records its keys and frames in the hists (what they say
	 * about later windows must cover every insertion, also those made
	 * without the window check)
	 */
	bool note_keys;
};

static const char *report_thread_comm(const void *thread)
{
	return thread__comm_str(thread);
}

static struct hists *report__hists(struct report *rep, struct evsel *evsel)
{
	int idx = evsel->idx;

	if (idx < 0 || idx >= rep->nr_hists)
		return NULL;
	if (!rep->hists[idx]) {
		rep->hists[idx] = xmalloc(sizeof(struct hists));
		hists__init(rep->hists[idx], &rep->sort, rep->cumulate, report_thread_comm);
		if (rep->use_callchain)
			hists__enable_callchain(rep->hists[idx], rep->cc.order);
	}
	return rep->hists[idx];
}

/*
 * Resolve @sample's chain into rep->order[] in display order (perf's cursor:
 * callee first, or caller first), at most max_stack frames counted from the
 * end perf starts at.  Returns the number of frames.
 */
static size_t report__resolve_chain(struct report *rep, const struct perf_sample *sample,
				    const struct addr_location *al)
{
	struct callchain_iter it;
	struct callchain_frame frame;
	size_t n = 0, first, shown;

	rep->nr_shown = 0;
	if (rep->max_stack <= 0)
		return 0;
	callchain_iter__init(&it, &rep->machines, sample, al, UINT_MAX);
	callchain_iter__set_cache(&it, &rep->cache);
	while (callchain_iter__next(&it, &frame)) {
		ALLOC_GROW(rep->frames, n + 1, rep->alloc_frames);
		rep->frames[n++] = frame;
	}
	shown = n < (size_t)rep->max_stack ? n : (size_t)rep->max_stack;
	ALLOC_GROW(rep->order, shown + 1, rep->alloc_order);
	ALLOC_GROW(rep->entries, shown + 1, rep->alloc_entries);
	first = rep->cc.order == ORDER_CALLER ? n - 1 : 0;
	for (size_t i = 0; i < shown; i++) {
		const struct callchain_frame *f =
			&rep->frames[rep->cc.order == ORDER_CALLER ? first - i : first + i];

		rep->order[i] = f;
		rep->entries[i] = (struct chain_entry){
			.ip = f->ip,
			.dso = f->al.map ? (const void *)f->al.dso : NULL,
			.sym = f->al.sym,
			.cpumode = f->cpumode,
		};
	}
	rep->nr_shown = shown;
	return shown;
}

/* the sample as pprof frames, leaf first: its resolved chain, or its own address */
static void report__pprof_sample(struct report *rep, const struct perf_sample *sample,
				 const struct addr_location *al, int value_idx, bool chain_done)
{
	size_t n = 0;

	if (sample->callchain && !chain_done)
		report__resolve_chain(rep, sample, al);
	if (sample->callchain)
		n = rep->nr_shown;
	ALLOC_GROW(rep->pframes, n + 1, rep->alloc_pframes);
	if (n) {
		/* pprof wants the leaf first, whatever order the report prints */
		for (size_t i = 0; i < n; i++) {
			const struct callchain_frame *f =
				rep->order[rep->cc.order == ORDER_CALLER ? n - 1 - i : i];

			rep->pframes[i] = (struct pprof_frame){
				.name = f->al.sym ? f->al.sym->name : NULL,
				.dso = f->al.map && f->al.dso ? dso__long_name(f->al.dso) : NULL,
				.addr = f->ip,
				.cpumode = f->cpumode,
			};
		}
	} else {
		rep->pframes[0] = (struct pprof_frame){
			.name = al->sym ? al->sym->name : NULL,
			.dso = al->map && al->dso ? dso__long_name(al->dso) : NULL,
			.addr = sample->ip,
			.cpumode = al->cpumode,
		};
		n = 1;
	}
	pprof__add_sample(rep->pprof, rep->pframes, (u32)n, value_idx, sample->period,
			  al->thread ? thread__comm_str(al->thread) : "",
			  al->thread ? thread__pid(al->thread) : (s64)sample->pid, al->cpumode);
}

/*
 * The children-mode key of the @i-th shown frame of the resolved chain.
 * perf reuses one location: an unresolved frame keeps the previous frame's
 * mode, carried in *@level and *@cpumode (start them at the sample's).
 */
static void report__chain_key(const struct report *rep, const struct addr_location *al,
			      const struct perf_sample *sample, size_t i, char *level, u8 *cpumode,
			      struct hist_key *key)
{
	const struct addr_location *cal = &rep->order[i]->al;

	if (cal->map || cal->sym) {
		*level = cal->level;
		*cpumode = cal->cpumode;
	}
	/* the sample's thread, cpu and filter; the entry's own location */
	hist_key__from_al(key, al, sample);
	key->dso_name = cal->dso ? dso__name(cal->dso) : NULL;
	key->sym = cal->sym;
	/* perf keys callchain entries by the raw address */
	key->ip = rep->order[i]->ip;
	/* perf prints a data symbol's offset from the unmapped start */
	key->addr = cal->addr;
	key->level = *level;
}

static void report__add_callchain(struct report *rep, struct hists *hists,
				  struct hist_entry *self, const struct perf_sample *sample,
				  const struct addr_location *al, u64 count)
{
	size_t n = report__resolve_chain(rep, sample, al);
	char level = al->level;
	u8 cpumode = al->cpumode;

	if (rep->note_keys && rep->use_callchain)
		for (size_t i = 0; i < n; i++)
			hists__dedup_note_frame(hists, rep->entries[i].dso, rep->order[i]->al.sym,
						rep->order[i]->ip - rep->order[i]->al.addr, true);
	hists__append_callchain_n(hists, self, rep->entries, (u32)n, sample->period, count);
	if (!rep->cumulate)
		return;
	for (size_t i = 0; i < n; i++) {
		struct hist_entry *he;
		struct hist_key key;

		report__chain_key(rep, al, sample, i, &level, &cpumode, &key);
		if (rep->note_keys)
			hists__dedup_note_key(hists, &key, true);
		he = hists__add_callchain_entry_n(hists, &key, sample->period, cpumode, count);
		/* the accumulated entry's tree: the chain from this frame on */
		hists__append_callchain_n(hists, he, rep->entries + i, (u32)(n - i), sample->period,
					  count);
	}
}

/*
 * Resolve @sample and add it to the hists of event @idx: one sample, or
 * @count de-duplicated ones whose summed period is sample->period.
 */
static void report__add(struct report *rep, const struct perf_sample *sample, int idx, u64 count)
{
	struct hists *hists = rep->hists[idx];
	struct hist_entry *he;
	struct addr_location al;
	struct hist_key key;

	memset(&al, 0, sizeof(al));
	machines__resolve(&rep->machines, sample, &al);
	if (rep->gsum)
		guest_summary__add(&rep->gsum[idx], (s32)sample->pid, al.cpumode, sample->period);
	hist_key__from_al(&key, &al, sample);
	if (rep->note_keys)
		hists__dedup_note_key(hists, &key, true);
	he = hists__add_sample_n(hists, &key, sample->period, al.cpumode, count);
	if ((rep->cumulate || rep->use_callchain) && sample->callchain)
		report__add_callchain(rep, hists, he, sample, &al, count);
	if (rep->note_kernel) {
		sample_dedup__note_resolved(&rep->dedup, &al);
		if ((rep->cumulate || rep->use_callchain) && sample->callchain)
			for (size_t i = 0; i < rep->nr_shown; i++)
				sample_dedup__note_resolved(&rep->dedup, &rep->order[i]->al);
	}
	if (rep->pprof && al.filtered == AL_FILTER_NONE) {
		if (!rep->first_time)
			rep->first_time = sample->time;
		rep->last_time = sample->time;
		report__pprof_sample(rep, sample, &al, rep->pprof_value[idx],
				     rep->cumulate || rep->use_callchain);
	}
}

/* sample_dedup_stack.flags */
#define STACK_ONE_BY_ONE 1 /* lookups depend on shapes */
#define STACK_NOTED 2 /* keys recorded */

/*
 * Tell the hists every key and frame the window's distinct stacks will look
 * up (@record), or ask whether those lookups may depend on the shape of what
 * they search: such stacks are marked STACK_ONE_BY_ONE.  Each stack is
 * resolved for it (the frame cache is warm afterwards); the machines do not
 * change while doing so (sample_dedup__may_load_kernel()).  Returns the number of
 * stacks marked.
 */
static u32 report__window_check(struct report *rep, bool record)
{
	struct sample_dedup *d = &rep->dedup;
	u32 nr_marked = 0;

	for (u32 i = 0; i < sample_dedup__nr(d); i++) {
		struct sample_dedup_stack *st = &d->stacks[i];
		struct hists *hists = rep->hists[st->idx];
		struct perf_sample sample;
		struct addr_location al;
		struct hist_key key;
		bool shape = false;
		size_t n;
		char level;
		u8 cpumode;

		sample_dedup__to_sample(d, st, &sample);
		memset(&al, 0, sizeof(al));
		machines__resolve(&rep->machines, &sample, &al);
		hist_key__from_al(&key, &al, &sample);
		shape |= hists__dedup_note_key(hists, &key, record);
		if (sample.callchain) {
			n = report__resolve_chain(rep, &sample, &al);
			level = al.level;
			cpumode = al.cpumode;
			for (size_t j = 0; j < n; j++) {
				const struct callchain_frame *f = rep->order[j];

				if (rep->use_callchain)
					shape |= hists__dedup_note_frame(hists, rep->entries[j].dso,
									 f->al.sym != NULL,
									 f->ip - f->al.addr, record);
				if (!rep->cumulate)
					continue;
				report__chain_key(rep, &al, &sample, j, &level, &cpumode, &key);
				shape |= hists__dedup_note_key(hists, &key, record);
			}
		}
		if (!record && shape) {
			st->flags |= STACK_ONE_BY_ONE;
			nr_marked++;
		}
	}
	return nr_marked;
}

/* whether every histogram's lookups depend on shapes for good */
static bool report__dedup_hopeless(const struct report *rep)
{
	for (int i = 0; i < rep->nr_hists; i++)
		if (rep->hists[i] && !hists__dedup_tainted(rep->hists[i]))
			return false;
	return true;
}

/*
 * Add the window's samples to the hists and empty it (see sample-dedup.h):
 * each distinct stack once with its sums, in first-seen order; when some
 * stacks must go one sample at a time, the window's sequence is walked in
 * order instead, the others still added once, at their first sample.
 */
static void report__flush(struct report *rep)
{
	struct sample_dedup *d = &rep->dedup;
	struct perf_sample sample;
	u32 nr_marked = 0;

	if (!sample_dedup__nr(d))
		return;
	if (rep->dedup_check && sample_dedup__nr_seq(d) < 3 * sample_dedup__nr(d)) {
		/*
		 * Few repeats: checking costs more than it saves.  Sample by
		 * sample is exact whatever the shapes; each stack's keys are
		 * recorded at its first sample.
		 */
		for (u32 i = 0; i < sample_dedup__nr_seq(d); i++) {
			u64 period;
			struct sample_dedup_stack *st = &d->stacks[sample_dedup__seq(d, i, &period)];

			sample_dedup__to_sample(d, st, &sample);
			sample.period = period;
			rep->note_keys = !(st->flags & STACK_NOTED);
			st->flags |= STACK_NOTED;
			report__add(rep, &sample, (int)st->idx, 1);
		}
		rep->note_keys = false;
		rep->nr_windows++;
		rep->nr_plain_windows++;
		sample_dedup__reset(d);
		return;
	}
	if (rep->dedup_check) {
		report__window_check(rep, true);
		nr_marked = report__window_check(rep, false);
	}
	if (!nr_marked) {
		for (u32 i = 0; i < sample_dedup__nr(d); i++) {
			const struct sample_dedup_stack *st = sample_dedup__stack(d, i);

			sample_dedup__to_sample(d, st, &sample);
			report__add(rep, &sample, (int)st->idx, st->count);
		}
	} else {
		rep->nr_slow_windows++;
		rep->nr_slow_stacks += nr_marked;
		for (u32 i = 0; i < sample_dedup__nr_seq(d); i++) {
			u64 period;
			struct sample_dedup_stack *st = &d->stacks[sample_dedup__seq(d, i, &period)];

			if (st->flags & STACK_ONE_BY_ONE) {
				sample_dedup__to_sample(d, st, &sample);
				sample.period = period;
				report__add(rep, &sample, (int)st->idx, 1);
			} else if (st->count) {
				sample_dedup__to_sample(d, st, &sample);
				report__add(rep, &sample, (int)st->idx, st->count);
				st->count = 0; /* added */
			}
		}
	}
	rep->nr_windows++;
	sample_dedup__reset(d);
	if (nr_marked && report__dedup_hopeless(rep))
		rep->use_dedup = false; /* every window would go sample by sample */
}

static int report__sample(struct perf_tool *tool, union perf_event *event,
			  struct perf_sample *sample, struct evsel *evsel)
{
	struct report *rep = (struct report *)tool;
	/* the chain is read only for -g and children */
	bool chain = rep->cumulate || rep->use_callchain;
	int ret;

	if (!report__hists(rep, evsel))
		return 0;
	if (!rep->use_dedup) {
		report__add(rep, sample, evsel->idx, 1);
		return 0;
	}
	ret = sample_dedup__add_sample(&rep->dedup, sample, (u32)evsel->idx, chain, sample->period);
	if (ret == -ENOSPC) {
		report__flush(rep);
		ret = sample_dedup__add_sample(&rep->dedup, sample, (u32)evsel->idx, chain,
					       sample->period);
	}
	if (ret == -EAGAIN) {
		/* it may change the machines: alone, at its place, ending the window */
		report__flush(rep);
		rep->note_kernel = true;
		rep->note_keys = rep->dedup_check;
		report__add(rep, sample, evsel->idx, 1);
		rep->note_kernel = false;
		rep->note_keys = false;
		rep->nr_direct++;
		return 0;
	}
	if (ret < 0) {
		/* a chain longer than any window: on its own, in order */
		report__flush(rep);
		rep->note_keys = rep->dedup_check;
		report__add(rep, sample, evsel->idx, 1);
		rep->note_keys = false;
	}
	return 0;
}

static int report__machine_event(struct perf_tool *tool, union perf_event *event,
				 struct perf_sample *sample)
{
	struct report *rep = (struct report *)tool;

	/* the samples so far resolve against the machines as they are now */
	report__flush(rep);
	/* maps and symbols may change: cached frame resolutions are stale */
	callchain_cache__invalidate(&rep->cache);
	return machines__process_event(&rep->machines, event, sample);
}

static int report__build_id(struct perf_tool *tool, union perf_event *event)
{
	struct report *rep = (struct report *)tool;

	report__flush(rep);
	return machines__process_event(&rep->machines, event, NULL);
}


static const char *const report_tips[] = {
	"Tip: kvmprof report -n shows the number of samples of each row",
	"Tip: kvmprof --host report shows host and guest samples side by side",
	"Tip: kvmprof report --showcpuutilization splits each row by CPU mode",
	"Tip: kvmprof report --sort pid groups the samples by thread",
};

/* perf prints this before it reads the samples */
static void report__print_file_header(struct report *rep, bool header)
{
	if (header) {
		perf_header__fprintf(stdout, rep->data);
		return;
	}
	fputs("# To display the perf.data header info, please use "
	      "--header/--header-only options.\n#\n",
	      stdout);
}

static size_t report__nr_entries(const struct report *rep)
{
	size_t n = 0;

	for (int i = 0; i < rep->nr_hists; i++)
		if (rep->hists[i])
			n += rep->hists[i]->nr_entries;
	return n;
}

static const char *report_vmm_comm(void *arg, s32 pid)
{
	struct report *rep = arg;

	return machines__host_comm(&rep->machines, pid);
}

static void report__print(struct report *rep, const struct hists_fprintf_opts *opts, bool quiet)
{
	struct evlist *evlist = &rep->data->evlist;
	u64 total_samples = 0;

	if (!quiet) {
		printf("#\n# Total Lost Samples: %llu\n#\n",
		       (unsigned long long)rep->data->stats.total_lost_samples);
	}
	for (int i = 0; i < evlist->nr && i < rep->nr_hists; i++) {
		struct hists *hists = rep->hists[i];

		if (!hists || !hists->stats.nr_samples)
			continue;
		total_samples += hists->stats.nr_samples;
		hists->sort_cpu_util = opts->show_cpu_util;
		hists->sort_guest_util = opts->show_guest_util;
		hists->sort_nr_samples = opts->show_nr_samples;
		hists__output_resort(hists);
		if (opts->callchain)
			hists__sort_callchains(hists, opts->callchain->mode,
					       opts->callchain->min_percent);
		if (!quiet)
			hists__fprintf_nr_sample_events(hists, evsel__name(evlist->entries[i]), stdout);
		hists__fprintf(hists, opts, stdout);
		if (rep->gsum)
			guest_summary__fprintf(&rep->gsum[i], evsel__name(evlist->entries[i]),
					       report_vmm_comm, rep, stdout);
		fputs("\n\n", stdout);
	}
	if (!quiet)
		printf("#\n# (%s)\n#\n", report_tips[total_samples % ARRAY_SIZE(report_tips)]);
}

static bool evlist__all_tracepoints(const struct evlist *evlist)
{
	if (!evlist->nr)
		return false;
	for (int i = 0; i < evlist->nr; i++)
		if (evlist->entries[i]->attr.type != PERF_TYPE_TRACEPOINT)
			return false;
	return true;
}

static bool evlist__has_callchain(const struct evlist *evlist)
{
	for (int i = 0; i < evlist->nr; i++)
		if (evlist->entries[i]->attr.sample_type & PERF_SAMPLE_CALLCHAIN)
			return true;
	return false;
}

enum {
	OPT_STDIO = 256,
	OPT_TUI,
	OPT_PERCENT_LIMIT,
	OPT_CHILDREN,
	OPT_NO_CHILDREN,
	OPT_SHOWCPUUTIL,
	OPT_KALLSYMS,
	OPT_HEADER,
	OPT_HEADER_ONLY,
	OPT_MAX_STACK,
	OPT_PPROF,
	OPT_GUEST_SUMMARY,
};

static const struct option report_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "tui", no_argument, NULL, OPT_TUI },
	{ "show-nr-samples", no_argument, NULL, 'n' },
	{ "sort", required_argument, NULL, 's' },
	{ "percent-limit", required_argument, NULL, OPT_PERCENT_LIMIT },
	{ "call-graph", optional_argument, NULL, 'g' },
	{ "children", no_argument, NULL, OPT_CHILDREN },
	{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
	{ "showcpuutilization", no_argument, NULL, OPT_SHOWCPUUTIL },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "header-only", no_argument, NULL, OPT_HEADER_ONLY },
	{ "max-stack", required_argument, NULL, OPT_MAX_STACK },
	{ "pprof", required_argument, NULL, OPT_PPROF },
	{ "guest-summary", no_argument, NULL, OPT_GUEST_SUMMARY },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void report_help(FILE *fp)
{
	kp_print_usage(fp, report_usage);
	fputs("\nShow where the samples of a perf.data file went, as perf report --stdio.\n\n"
	      "    -i, --input FILE        file to read (default: perf kvm's name for the mode)\n"
	      "        --stdio             text output (the only one for now)\n"
	      "    -n, --show-nr-samples   add a Samples column\n"
	      "    -s, --sort KEYS         comma-separated keys: comm, pid, dso, sym, cpu\n"
	      "        --percent-limit N   hide rows below N percent\n"
	      "    -g, --call-graph[=MODE] callchains under each row (default with -g files):\n"
	      "                            graph|fractal|flat|folded|none, caller|callee,\n"
	      "                            percent|period|count, threshold (0.5), print limit\n"
	      "        --[no-]children     accumulate callees into callers (default with -g files)\n"
	      "        --showcpuutilization  sys/usr (and guest sys/usr) columns\n"
	      "        --kallsyms FILE     host kernel symbols from this copy of /proc/kallsyms\n"
	      "        --max-stack N       callchain depth used for children (default 127)\n"
	      "        --pprof FILE        also write the shown samples as a gzip pprof profile\n"
	      "                            (go tool pprof, Parca, Pyroscope, speedscope)\n"
	      "        --guest-summary     after each table, one line per VM: VMM pid and\n"
	      "                            command, guest samples, guest kernel and guest\n"
	      "                            user shares of all samples\n"
	      "        --header            print the file header first\n"
	      "        --header-only       print only the file header\n"
	      "    -q, --quiet             no comment lines, rows only\n",
	      fp);
}

static int parse_percent(const char *s, float *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == '%')
		end++;
	if (*end || v < 0 || v > 100)
		return -1;
	*out = (float)v;
	return 0;
}

int cmd_report(int argc, char **argv, struct kp_ctx *ctx)
{
	struct report rep = { .max_stack = REPORT_MAX_STACK, .cc = CALLCHAIN_PARAM_DEFAULT };
	struct hists_fprintf_opts opts = { .show_header = true };
	const char *input = NULL, *sort_str = NULL, *kallsyms = NULL, *pprof_out = NULL;
	bool quiet = false, header = false, header_only = false, g_given = false;
	bool guest_summary = false;
	int children = -1; /* -1: perf's default (on when the file has callchains) */
	int c, err, status = KP_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:i:ns:g::qvh", report_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case OPT_STDIO:
			break;
		case OPT_TUI:
			return kp_usage_error(report_usage, "--tui is not available yet; use --stdio");
		case 'n':
			opts.show_nr_samples = true;
			break;
		case 's':
			sort_str = optarg;
			break;
		case OPT_PERCENT_LIMIT:
			if (parse_percent(optarg, &opts.min_percent))
				return kp_usage_error(report_usage,
						      "--percent-limit wants a number 0..100, not '%s'",
						      optarg);
			/* as perf: also the call graph's threshold, until a later -g sets one */
			rep.cc.min_percent = opts.min_percent;
			break;
		case 'g':
			/* as perf: the value may also be the next word, unless it is an option */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			g_given = true;
			if (optarg) {
				err = callchain_param__parse(&rep.cc, optarg);
				if (err)
					return kp_usage_error(report_usage, "%s", kp_errmsg(err));
			}
			break;
		case OPT_CHILDREN:
			children = 1;
			break;
		case OPT_NO_CHILDREN:
			children = 0;
			break;
		case OPT_SHOWCPUUTIL:
			opts.show_cpu_util = true;
			break;
		case OPT_KALLSYMS:
			kallsyms = optarg;
			break;
		case OPT_PPROF:
			pprof_out = optarg;
			break;
		case OPT_GUEST_SUMMARY:
			guest_summary = true;
			break;
		case OPT_HEADER:
			header = true;
			break;
		case OPT_HEADER_ONLY:
			header_only = true;
			break;
		case OPT_MAX_STACK: {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (end == optarg || *end || v < 0 || v > INT_MAX)
				return kp_usage_error(report_usage,
						      "--max-stack wants a number, not '%s'", optarg);
			rep.max_stack = (int)v;
			break;
		}
		case 'q':
			quiet = true;
			break;
		case 'v':
			ctx->verbose++;
			kp_verbose = ctx->verbose;
			break;
		case 'h':
			report_help(stdout);
			return KP_EXIT_OK;
		case ':':
			return kp_usage_error(report_usage, "option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return kp_usage_error(report_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kp_usage_error(report_usage, "unexpected argument '%s'", argv[optind]);
	if (sort_str) {
		err = sort_list__parse(&rep.sort, sort_str);
		if (err)
			return kp_usage_error(report_usage, "%s", kp_errmsg(err));
	}
	if (!input)
		input = kp_ctx__file_name(ctx);

	err = perf_data__open(&rep.data, input);
	if (err)
		return kp_fail(err);
	kp_warn_dwarf_chains(&rep.data->evlist, input);

	if (header_only) {
		if (perf_header__fprintf(stdout, rep.data))
			status = KP_EXIT_FAILURE;
		perf_data__delete(rep.data);
		return status;
	}

	if (!sort_str) {
		if (evlist__all_tracepoints(&rep.data->evlist)) {
			fprintf(stderr, "error: '%s' holds only tracepoint events; perf's 'trace' "
					"sort key is not supported: use --sort (e.g. --sort comm,sym), "
					"or 'kvmprof stat report' for kvm events\n",
				input);
			perf_data__delete(rep.data);
			return KP_EXIT_FAILURE;
		}
		sort_list__parse(&rep.sort, SORT_DEFAULT_ORDER);
	}
	rep.cumulate = children != 0 && evlist__has_callchain(&rep.data->evlist);
	if (g_given && rep.cc.mode != CHAIN_NONE && !evlist__has_callchain(&rep.data->evlist)) {
		fprintf(stderr, "error: '%s' has no callchains: record with -g to use "
				"report -g (or use -g none)\n",
			input);
		perf_data__delete(rep.data);
		return KP_EXIT_FAILURE;
	}
	rep.use_callchain = rep.cc.mode != CHAIN_NONE && evlist__has_callchain(&rep.data->evlist);
	/* perf shows children callers first unless the order was given */
	if (rep.cumulate && !rep.cc.order_set)
		rep.cc.order = ORDER_CALLER;
	if (rep.use_callchain) {
		opts.callchain = &rep.cc;
		opts.callchain_skip_first = sort_str && !strncmp(sort_str, "sym", 3);
	}
	opts.show_header = !quiet;
	opts.show_guest_util = ctx->guest;

	symbol_conf__from_ctx(&rep.conf, ctx, kallsyms);
	callchain_cache__init(&rep.cache);
	rep.nr_hists = rep.data->evlist.nr;
	if (pprof_out) {
		rep.pprof = pprof__new();
		rep.pprof_value = xcalloc(rep.nr_hists ? rep.nr_hists : 1, sizeof(int));
		for (int i = 0; i < rep.nr_hists; i++) {
			const struct evsel *ev = rep.data->evlist.entries[i];
			bool clock = ev->attr.type == PERF_TYPE_SOFTWARE &&
				     (ev->attr.config == PERF_COUNT_SW_CPU_CLOCK ||
				      ev->attr.config == PERF_COUNT_SW_TASK_CLOCK);

			rep.pprof_value[i] = pprof__add_value_type(rep.pprof, evsel__name(ev),
								   clock ? "nanoseconds" : "count");
		}
	}
	rep.hists = xcalloc(rep.nr_hists ? rep.nr_hists : 1, sizeof(*rep.hists));
	if (guest_summary)
		rep.gsum = xcalloc(rep.nr_hists ? rep.nr_hists : 1, sizeof(*rep.gsum));
	/* --pprof wants each sample's time; the guest summary is cheap per sample */
	rep.use_dedup = !rep.pprof && !rep.gsum && !sample_dedup__disabled();
	rep.dedup_check = sort_list__has(&rep.sort, SORT_SYM) || rep.use_callchain;
	sample_dedup__init(&rep.dedup, sort_list__has(&rep.sort, SORT_CPU), true);
	sample_dedup__watch_kernels(&rep.dedup, &rep.machines, &rep.conf);
	err = machines__init(&rep.machines, &rep.conf);
	if (err) {
		free(rep.hists);
		free(rep.gsum);
		callchain_cache__exit(&rep.cache);
		sample_dedup__exit(&rep.dedup);
		perf_data__delete(rep.data);
		return kp_fail(err);
	}
	if (rep.data->header.nr_build_ids)
		machines__set_build_ids(&rep.machines, rep.data->header.build_ids,
					rep.data->header.nr_build_ids);
	rep.tool = (struct perf_tool){
		.sample = report__sample,
		.mmap = report__machine_event,
		.mmap2 = report__machine_event,
		.comm = report__machine_event,
		.fork = report__machine_event,
		.exit = report__machine_event,
		.ksymbol = report__machine_event,
		.build_id = report__build_id,
		.ordered_events = true,
	};
	if (!quiet)
		report__print_file_header(&rep, header);
	err = perf_data__process(rep.data, &rep.tool);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	report__flush(&rep);
	pr_debug("report: %llu samples in %llu windows, %llu distinct stacks resolved "
		 "(%llu added sample by sample, in %llu windows; %llu windows with few "
		 "repeats sample by sample), %llu samples processed alone",
		 (unsigned long long)rep.dedup.nr_added, (unsigned long long)rep.nr_windows,
		 (unsigned long long)rep.dedup.nr_flushed_stacks,
		 (unsigned long long)rep.nr_slow_stacks, (unsigned long long)rep.nr_slow_windows,
		 (unsigned long long)rep.nr_plain_windows, (unsigned long long)rep.nr_direct);
	if (!report__nr_entries(&rep)) {
		/* like perf: not an error, the table is just empty */
		fprintf(stderr, "warning: the %s data has no samples\n", input);
		goto out;
	}
	report__print(&rep, &opts, quiet);
	if (rep.pprof) {
		/* sample times are the perf clock, not wall time: only the duration */
		pprof__set_duration(rep.pprof, 0,
				    (s64)(rep.last_time - rep.first_time));
		err = pprof__write(rep.pprof, pprof_out);
		if (err)
			status = kp_fail(err);
	}
out:
	for (int i = 0; i < rep.nr_hists; i++) {
		if (rep.hists[i]) {
			hists__exit(rep.hists[i]);
			free(rep.hists[i]);
		}
	}
	free(rep.hists);
	if (rep.gsum)
		for (int i = 0; i < rep.nr_hists; i++)
			guest_summary__exit(&rep.gsum[i]);
	free(rep.gsum);
	free(rep.frames);
	free(rep.entries);
	free(rep.order);
	free(rep.pframes);
	free(rep.pprof_value);
	pprof__delete(rep.pprof);
	callchain_cache__exit(&rep.cache);
	sample_dedup__exit(&rep.dedup);
	machines__exit(&rep.machines);
	perf_data__delete(rep.data);
	return status;
}
