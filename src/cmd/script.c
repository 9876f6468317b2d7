// SPDX-License-Identifier: GPL-2.0
/*
 * script.c - `kvmprof script`: every sample as text, perf script's layout,
 * or folded stacks (--folded).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/callchain.h"
#include "analysis/sample-dedup.h"
#include "cmd/builtin.h"
#include "cmd/cmd-util.h"
#include "cmd/script.h"
#include "data/reader.h"
#include "machine/machine.h"
#include "ui/folded.h"
#include "ui/header.h"
#include "ui/script.h"

static const char *const script_usage[] = {
	"kvmprof [--host] [--guest] script [-i FILE] [-F FIELDS] [-G] [--header] [--folded]",
	NULL,
};

struct script_cmd {
	struct perf_tool tool;
	struct machines machines;
	struct script script;
	struct folded *folded;
	struct callchain_cache cache;
	bool no_callchain;
	FILE *out;
	u64 nr_shown;
	/* --folded: samples of the current window, merged by stack (sample-dedup.h) */
	struct sample_dedup dedup;
	bool use_dedup;
};

static struct script_cmd *tool2cmd(struct perf_tool *tool)
{
	return (struct script_cmd *)((char *)tool - offsetof(struct script_cmd, tool));
}

/* fold @sample, or @count de-duplicated samples whose stack it is */
static void script_cmd__fold(struct script_cmd *sc, const struct perf_sample *sample, u64 count,
			     bool note)
{
	struct addr_location al;

	machines__resolve(&sc->machines, sample, &al);
	if (note) {
		sample_dedup__note_resolved(&sc->dedup, &al);
		if (!sc->no_callchain && sample->callchain) {
			struct callchain_iter it;
			struct callchain_frame fr;

			callchain_iter__init(&it, &sc->machines, sample, &al, CALLCHAIN_MAX_STACK);
			callchain_iter__set_cache(&it, &sc->cache);
			while (callchain_iter__next(&it, &fr))
				sample_dedup__note_resolved(&sc->dedup, &fr.al);
		}
	}
	if (al.filtered)
		return;
	sc->nr_shown += count;
	folded__add_sample_n(sc->folded, sample, &al, !sc->no_callchain, count);
}

/*
 * Fold the window's distinct stacks once each (their lines are sorted at the
 * end and counts are sums, so the order does not matter) and empty it.
 */
static void script_cmd__flush(struct script_cmd *sc)
{
	struct perf_sample sample;

	for (u32 i = 0; i < sample_dedup__nr(&sc->dedup); i++) {
		const struct sample_dedup_stack *st = sample_dedup__stack(&sc->dedup, i);

		sample_dedup__to_sample(&sc->dedup, st, &sample);
		script_cmd__fold(sc, &sample, st->count, false);
	}
	sample_dedup__reset(&sc->dedup);
}

static void script_cmd__fold_sample(struct script_cmd *sc, const struct perf_sample *sample)
{
	int ret = sample_dedup__add_sample(&sc->dedup, sample, 0, !sc->no_callchain, 0);

	if (ret == -ENOSPC) {
		script_cmd__flush(sc);
		ret = sample_dedup__add_sample(&sc->dedup, sample, 0, !sc->no_callchain, 0);
	}
	if (ret < 0) {
		/* it may change the machines, or its chain is too long: alone, in order */
		script_cmd__flush(sc);
		script_cmd__fold(sc, sample, 1, true);
	}
}

static int process_machine_event(struct perf_tool *tool, union perf_event *event,
				 struct perf_sample *sample)
{
	struct script_cmd *sc = tool2cmd(tool);

	/* the samples so far resolve against the machines as they are now */
	if (sc->use_dedup)
		script_cmd__flush(sc);

	/* maps may change: cached frame resolutions may point at freed maps */
	callchain_cache__invalidate(&sc->cache);
	return machines__process_event(&sc->machines, event, sample);
}

static int process_build_id(struct perf_tool *tool, union perf_event *event)
{
	struct perf_sample none = { .cpu = (u32)-1, .time = ~0ULL };
	struct script_cmd *sc = tool2cmd(tool);

	if (sc->use_dedup)
		script_cmd__flush(sc);
	callchain_cache__invalidate(&sc->cache);
	return machines__process_event(&sc->machines, event, &none);
}

static int process_sample(struct perf_tool *tool, union perf_event *event,
			  struct perf_sample *sample, struct evsel *evsel)
{
	struct script_cmd *sc = tool2cmd(tool);
	struct addr_location al;

	if (sc->folded && sc->use_dedup) {
		script_cmd__fold_sample(sc, sample);
		return 0;
	}
	machines__resolve(&sc->machines, sample, &al);
	if (al.filtered)
		return 0;
	sc->nr_shown++;
	if (sc->folded) {
		folded__add_sample(sc->folded, sample, &al, !sc->no_callchain);
		return 0;
	}
	return script__print_sample(&sc->script, evsel, sample, &al, sc->out);
}

static void script_cmd__tool_init(struct script_cmd *sc)
{
	sc->tool.sample = process_sample;
	sc->tool.mmap = process_machine_event;
	sc->tool.mmap2 = process_machine_event;
	sc->tool.comm = process_machine_event;
	sc->tool.fork = process_machine_event;
	sc->tool.exit = process_machine_event;
	sc->tool.ksymbol = process_machine_event;
	sc->tool.build_id = process_build_id;
	sc->tool.ordered_events = true;
}

static void script_cmd__dedup_init(struct script_cmd *sc, const struct symbol_conf *conf)
{
	sc->use_dedup = !sample_dedup__disabled();
	sample_dedup__init(&sc->dedup, false, false);
	sample_dedup__watch_kernels(&sc->dedup, &sc->machines, conf);
}

/*
 * Open @input for @sc: the file, a warning if its chains need DWARF
 * unwinding, the machines with @conf's symbol sources and the file's
 * build-ids.  On error nothing is left open.
 */
static int script_cmd__open(struct script_cmd *sc, const struct symbol_conf *conf,
			    const char *input, struct perf_data **data)
{
	int err = perf_data__open(data, input);

	if (err)
		return err;
	kp_warn_dwarf_chains(&(*data)->evlist, input);
	err = machines__init(&sc->machines, conf);
	if (err) {
		perf_data__delete(*data);
		*data = NULL;
		return err;
	}
	if ((*data)->header.nr_build_ids)
		machines__set_build_ids(&sc->machines, (*data)->header.build_ids,
					(*data)->header.nr_build_ids);
	return 0;
}

int script__fold_file(const struct kp_ctx *ctx, const char *input, const char *kallsyms,
		      bool no_callchain, struct folded **out)
{
	struct script_cmd sc = { .no_callchain = no_callchain };
	struct symbol_conf conf;
	struct perf_data *data = NULL;
	int err;

	*out = NULL;
	symbol_conf__from_ctx(&conf, ctx, kallsyms);
	err = script_cmd__open(&sc, &conf, input, &data);
	if (err)
		return err;
	sc.folded = folded__new(&sc.machines);
	callchain_cache__init(&sc.cache);
	folded__set_cache(sc.folded, &sc.cache);
	script_cmd__dedup_init(&sc, &conf);
	script_cmd__tool_init(&sc);
	/* the host idle thread is "swapper" from machines__init() */
	err = perf_data__process(data, &sc.tool);
	if (!err && sc.use_dedup)
		script_cmd__flush(&sc);
	sample_dedup__exit(&sc.dedup);
	folded__set_cache(sc.folded, NULL);
	callchain_cache__exit(&sc.cache);
	machines__exit(&sc.machines);
	perf_data__delete(data);
	if (err) {
		folded__delete(sc.folded);
		return err;
	}
	*out = sc.folded;
	return 0;
}

enum {
	OPT_FOLDED = 256,
	OPT_KALLSYMS,
	OPT_MAX_STACK,
	OPT_HEADER,
};

static const struct option script_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "fields", required_argument, NULL, 'F' },
	{ "hide-call-graph", no_argument, NULL, 'G' },
	{ "folded", no_argument, NULL, OPT_FOLDED },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "max-stack", required_argument, NULL, OPT_MAX_STACK },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_script(int argc, char **argv, struct kp_ctx *ctx)
{
	struct script_cmd sc = { .out = stdout };
	struct symbol_conf conf;
	const char *kallsyms = NULL;
	const char *input = kp_ctx__file_name(ctx);
	const char *fields[8];
	int nr_fields = 0;
	bool folded = false, header = false;
	unsigned int max_stack = 0;
	struct perf_data *data = NULL;
	int c, err, status = KP_EXIT_FAILURE;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+i:F:Gh", script_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'F':
			if (nr_fields == (int)ARRAY_SIZE(fields))
				return kp_usage_error(script_usage, "too many -F options");
			fields[nr_fields++] = optarg;
			break;
		case 'G':
			sc.no_callchain = true;
			break;
		case OPT_FOLDED:
			folded = true;
			break;
		case OPT_KALLSYMS:
			kallsyms = optarg;
			break;
		case OPT_HEADER:
			header = true;
			break;
		case OPT_MAX_STACK: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v == 0 || v > CALLCHAIN_MAX_STACK)
				return kp_usage_error(script_usage,
						      "--max-stack '%s': want 1..%d", optarg,
						      CALLCHAIN_MAX_STACK);
			max_stack = (unsigned int)v;
			break;
		}
		case 'h':
			kp_print_usage(stdout, script_usage);
			return KP_EXIT_OK;
		case ':':
			return kp_usage_error(script_usage, "option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return kp_usage_error(script_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kp_usage_error(script_usage, "unexpected argument '%s'", argv[optind]);
	if (folded && nr_fields)
		return kp_usage_error(script_usage, "-F and --folded do not go together");

	symbol_conf__from_ctx(&conf, ctx, kallsyms);
	err = script_cmd__open(&sc, &conf, input, &data);
	if (err)
		return kp_fail(err);

	script__init(&sc.script, &sc.machines, data->tep);
	if (max_stack)
		sc.script.max_stack = max_stack;
	for (int i = 0; i < nr_fields; i++) {
		err = script__parse_fields(&sc.script, fields[i]);
		if (err) {
			status = kp_usage_error(script_usage, "%s", kp_errmsg(err));
			goto out;
		}
	}
	err = script__setup(&sc.script, &data->evlist, sc.no_callchain);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	callchain_cache__init(&sc.cache);
	sc.script.cache = &sc.cache;
	if (folded) {
		sc.folded = folded__new(&sc.machines);
		folded__set_cache(sc.folded, &sc.cache);
		script_cmd__dedup_init(&sc, &conf);
	} else if (header) {
		err = perf_header__fprintf(sc.out, data);
		if (err) {
			status = kp_fail(err);
			goto out;
		}
	}

	script_cmd__tool_init(&sc);
	err = perf_data__process(data, &sc.tool);
	if (err == -EPIPE) {
		status = KP_EXIT_OK; /* reader went away (| head) */
		goto out;
	}
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	if (sc.folded) {
		if (sc.use_dedup)
			script_cmd__flush(&sc);
		err = folded__fprintf(sc.folded, sc.out);
		if (err) {
			status = kp_fail(err);
			goto out;
		}
	}
	status = KP_EXIT_OK;
out:
	pr_debug("script: frame cache %llu hits, %llu misses",
		 (unsigned long long)sc.cache.hits, (unsigned long long)sc.cache.misses);
	callchain_cache__exit(&sc.cache);
	sample_dedup__exit(&sc.dedup);
	folded__delete(sc.folded);
	script__exit(&sc.script);
	machines__exit(&sc.machines);
	perf_data__delete(data);
	return status;
}
