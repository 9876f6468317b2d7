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
};

static struct script_cmd *tool2cmd(struct perf_tool *tool)
{
	return (struct script_cmd *)((char *)tool - offsetof(struct script_cmd, tool));
}

static int process_machine_event(struct perf_tool *tool, union perf_event *event,
				 struct perf_sample *sample)
{
	struct script_cmd *sc = tool2cmd(tool);

	/* maps may change: cached frame resolutions may point at freed maps */
	callchain_cache__invalidate(&sc->cache);
	return machines__process_event(&sc->machines, event, sample);
}

static int process_build_id(struct perf_tool *tool, union perf_event *event)
{
	struct perf_sample none = { .cpu = (u32)-1, .time = ~0ULL };
	struct script_cmd *sc = tool2cmd(tool);

	callchain_cache__invalidate(&sc->cache);
	return machines__process_event(&sc->machines, event, &none);
}

static int process_sample(struct perf_tool *tool, union perf_event *event,
			  struct perf_sample *sample, struct evsel *evsel)
{
	struct script_cmd *sc = tool2cmd(tool);
	struct addr_location al;

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

int script__fold_file(const struct kp_ctx *ctx, const char *input, const char *kallsyms,
		      bool no_callchain, struct folded **out)
{
	struct script_cmd sc = { .no_callchain = no_callchain };
	struct symbol_conf conf;
	struct perf_data *data = NULL;
	int err;

	*out = NULL;
	symbol_conf__from_ctx(&conf, ctx, kallsyms);
	err = perf_data__open(&data, input);
	if (err)
		return err;
	err = machines__init(&sc.machines, &conf);
	if (err) {
		perf_data__delete(data);
		return err;
	}
	if (data->header.nr_build_ids)
		machines__set_build_ids(&sc.machines, data->header.build_ids,
					data->header.nr_build_ids);
	sc.folded = folded__new(&sc.machines);
	callchain_cache__init(&sc.cache);
	folded__set_cache(sc.folded, &sc.cache);
	script_cmd__tool_init(&sc);
	/* the host idle thread is "swapper" from machines__init() */
	err = perf_data__process(data, &sc.tool);
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
	err = perf_data__open(&data, input);
	if (err)
		return kp_fail(err);
	err = machines__init(&sc.machines, &conf);
	if (err) {
		perf_data__delete(data);
		return kp_fail(err);
	}
	if (data->header.nr_build_ids)
		machines__set_build_ids(&sc.machines, data->header.build_ids,
					data->header.nr_build_ids);

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
	folded__delete(sc.folded);
	script__exit(&sc.script);
	machines__exit(&sc.machines);
	perf_data__delete(data);
	return status;
}
