// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - kvmprof diff: perf diff's stdio comparison of two perf.data files.
 *
 * Each file is read into per-event histograms keyed by the diff sort keys
 * (default dso,sym) on its own machines (host and guests; guest DSOs carry
 * guest names so they pair only with the same guest's DSOs).  For every
 * event of the baseline, the event of the new file with the same attr type
 * and config is paired with it (analysis/diff.h) and printed as perf 6.1's
 * `perf diff` / `perf kvm diff` does.
 *
 * Which files: OLD NEW when given; one argument is NEW against perf.data.old
 * (perf's rule).  Without arguments: the global -i FILE is NEW against
 * FILE.old (what record leaves behind when it replaces FILE) - perf kvm
 * ignores -i here; without -i, perf kvm's rule: perf.data.host (baseline)
 * against perf.data.guest.
 *
 * Host/guest filtering follows perf kvm as in report: without --host only
 * guest rows are shown; hidden rows still count in each file's total
 * (unless --percentage relative).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/builtin.h"
#include "cmd/cmd-util.h"
#include "data/reader.h"
#include "machine/machine.h"
#include "analysis/diff.h"
#include "analysis/hist.h"
#include "analysis/sort.h"
#include "ui/stdio/diff.h"

/* perf diff's default sort order (SORT_MODE__DIFF) */
#define DIFF_SORT_ORDER "dso,sym"

static const char *const diff_usage[] = {
	"kvmprof [GLOBAL OPTIONS] diff [-c delta|delta-abs|ratio|wdiff:W1,W2]",
	"        [--percentage relative|absolute] [-s KEYS] [-o 0|1] [--kallsyms FILE] [-q]",
	"        [OLD NEW | NEW]",
	NULL,
};

struct diff_file {
	struct perf_tool tool;
	const char *path;
	struct perf_data *data;
	struct machines machines;
	bool machines_ok;
	struct hists *hists; /* per evsel idx */
	int nr_hists;
};

static const char *diff_thread_comm(const void *thread)
{
	return thread__comm_str(thread);
}

static int diff__sample(struct perf_tool *tool, union perf_event *event,
			struct perf_sample *sample, struct evsel *evsel)
{
	struct diff_file *f = (struct diff_file *)tool;
	struct addr_location al;
	struct hist_key key;

	if (evsel->idx < 0 || evsel->idx >= f->nr_hists)
		return 0;
	memset(&al, 0, sizeof(al));
	machines__resolve(&f->machines, sample, &al);
	hist_key__from_al(&key, &al, sample);
	hists__add_sample(&f->hists[evsel->idx], &key, sample->period, al.cpumode);
	return 0;
}

static int diff__machine_event(struct perf_tool *tool, union perf_event *event,
			       struct perf_sample *sample)
{
	struct diff_file *f = (struct diff_file *)tool;

	return machines__process_event(&f->machines, event, sample);
}

static int diff__build_id(struct perf_tool *tool, union perf_event *event)
{
	struct diff_file *f = (struct diff_file *)tool;

	return machines__process_event(&f->machines, event, NULL);
}

static int diff_file__read(struct diff_file *f, const struct symbol_conf *conf,
			   const struct sort_list *sort)
{
	int err = perf_data__open(&f->data, f->path);

	if (err)
		return err;
	err = machines__init(&f->machines, conf);
	f->machines_ok = true;
	if (err)
		return err;
	if (f->data->header.nr_build_ids)
		machines__set_build_ids(&f->machines, f->data->header.build_ids,
					f->data->header.nr_build_ids);
	f->nr_hists = f->data->evlist.nr;
	f->hists = xcalloc(f->nr_hists ? f->nr_hists : 1, sizeof(*f->hists));
	for (int i = 0; i < f->nr_hists; i++)
		hists__init(&f->hists[i], sort, false, diff_thread_comm);
	f->tool = (struct perf_tool){
		.sample = diff__sample,
		.mmap = diff__machine_event,
		.mmap2 = diff__machine_event,
		.comm = diff__machine_event,
		.fork = diff__machine_event,
		.exit = diff__machine_event,
		.ksymbol = diff__machine_event,
		.build_id = diff__build_id,
		.ordered_events = true,
	};
	return perf_data__process(f->data, &f->tool);
}

static void diff_file__exit(struct diff_file *f)
{
	for (int i = 0; i < f->nr_hists; i++)
		hists__exit(&f->hists[i]);
	free(f->hists);
	if (f->machines_ok)
		machines__exit(&f->machines);
	perf_data__delete(f->data);
}

/* perf's evsel_match: the first event of @evlist with the same type and config */
static int evlist__match(const struct evlist *evlist, const struct evsel *evsel)
{
	for (int i = 0; i < evlist->nr; i++)
		if (evlist->entries[i]->attr.type == evsel->attr.type &&
		    evlist->entries[i]->attr.config == evsel->attr.config)
			return i;
	return -1;
}

enum {
	OPT_PERCENTAGE = 256,
	OPT_KALLSYMS,
	OPT_STDIO,
};

static const struct option diff_opts[] = {
	{ "compute", required_argument, NULL, 'c' },
	{ "percentage", required_argument, NULL, OPT_PERCENTAGE },
	{ "sort", required_argument, NULL, 's' },
	{ "order", required_argument, NULL, 'o' },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void diff_help(FILE *fp)
{
	kp_print_usage(fp, diff_usage);
	fputs("\nCompare two perf.data files as perf diff does: one row per (shared object,\n"
	      "symbol), the baseline's share and what changed in the new file.\n\n"
	      "    -c, --compute C         delta-abs (default: new%-old%, sorted by size),\n"
	      "                            delta (signed order), ratio (new/old period),\n"
	      "                            wdiff:W1,W2 (new*W2 - old*W1)\n"
	      "        --percentage P      absolute (default: of each file's whole total)\n"
	      "                            or relative (of the shown samples only)\n"
	      "    -s, --sort KEYS         pairing keys (default dso,sym): comm, pid, dso, sym, cpu\n"
	      "    -o, --order N           1 (default): sort by the computed column first;\n"
	      "                            0: by the baseline\n"
	      "        --kallsyms FILE     host kernel symbols from this copy of /proc/kallsyms\n"
	      "    -q, --quiet             rows only\n\n"
	      "Files: OLD NEW; NEW alone is compared with perf.data.old; none: the global\n"
	      "-i FILE against FILE.old, else perf.data.host (baseline) against perf.data.guest\n"
	      "as perf kvm diff does.\n",
	      fp);
}

int cmd_diff(int argc, char **argv, struct kp_ctx *ctx)
{
	struct diff_conf dconf = DIFF_CONF_DEFAULT;
	struct diff_file files[2];
	struct symbol_conf conf;
	struct sort_list sort;
	const char *sort_str = DIFF_SORT_ORDER, *kallsyms = NULL;
	struct strbuf old_name = STRBUF_INIT;
	bool quiet = false;
	int c, err, status = KP_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:c:s:o:qvh", diff_opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			err = diff_conf__parse_compute(&dconf, optarg);
			if (err)
				return kp_usage_error(diff_usage, "%s", kp_errmsg(err));
			break;
		case OPT_PERCENTAGE:
			err = diff_conf__parse_percentage(&dconf, optarg);
			if (err)
				return kp_usage_error(diff_usage, "%s", kp_errmsg(err));
			break;
		case 's':
			sort_str = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "0") && strcmp(optarg, "1"))
				return kp_usage_error(diff_usage,
						      "--order wants 0 or 1 with two files, not '%s'",
						      optarg);
			dconf.order_by_compute = optarg[0] == '1';
			break;
		case OPT_KALLSYMS:
			kallsyms = optarg;
			break;
		case OPT_STDIO:
			break;
		case 'q':
			quiet = true;
			break;
		case 'v':
			ctx->verbose++;
			kp_verbose = ctx->verbose;
			break;
		case 'h':
			diff_help(stdout);
			return KP_EXIT_OK;
		case ':':
			return kp_usage_error(diff_usage, "option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return kp_usage_error(diff_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	err = sort_list__parse(&sort, sort_str);
	if (err)
		return kp_usage_error(diff_usage, "%s", kp_errmsg(err));

	memset(files, 0, sizeof(files));
	switch (argc - optind) {
	case 0:
		if (ctx->file_name_set) {
			strbuf_addf(&old_name, "%s.old", ctx->file_name);
			files[0].path = old_name.buf;
			files[1].path = ctx->file_name;
		} else {
			files[0].path = "perf.data.host";
			files[1].path = "perf.data.guest";
		}
		break;
	case 1:
		if (ctx->file_name_set)
			return kp_usage_error(diff_usage, "give the files either as -i NEW or "
							  "as arguments, not both");
		files[0].path = "perf.data.old";
		files[1].path = argv[optind];
		break;
	case 2:
		if (ctx->file_name_set)
			return kp_usage_error(diff_usage, "give the files either as -i NEW or "
							  "as arguments, not both");
		files[0].path = argv[optind];
		files[1].path = argv[optind + 1];
		break;
	default:
		return kp_usage_error(diff_usage, "diff compares two files, not %d",
				      argc - optind);
	}

	symbol_conf__from_ctx(&conf, ctx, kallsyms);
	for (int i = 0; i < 2; i++) {
		err = diff_file__read(&files[i], &conf, &sort);
		if (err) {
			status = kp_fail(err);
			goto out;
		}
	}

	for (int i = 0; i < files[0].nr_hists; i++) {
		const struct evsel *evsel = files[0].data->evlist.entries[i];
		int j = evlist__match(&files[1].data->evlist, evsel);

		hists__diff(&files[0].hists[i], j >= 0 ? &files[1].hists[j] : NULL, &dconf);
		if (!quiet)
			printf("%s# Event '%s'\n#\n", i ? "\n" : "", evsel__name(evsel));
		hists__fprintf_diff(&files[0].hists[i], &dconf, !quiet, stdout);
	}
out:
	for (int i = 0; i < 2; i++)
		diff_file__exit(&files[i]);
	strbuf_release(&old_name);
	return status;
}
