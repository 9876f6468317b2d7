// SPDX-License-Identifier: GPL-2.0
/*
 * flamegraph.c - `kvmprof flamegraph`: a self-contained SVG flame graph of a
 * perf.data file, guest frames in their own colours.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/builtin.h"
#include "cmd/script.h"
#include "ui/flamegraph.h"

static const char *const flamegraph_usage[] = {
	"kvmprof [--host] [--guest] flamegraph [-i FILE] [-o OUT.svg] [--title TEXT] [-G]",
	NULL,
};

enum {
	OPT_TITLE = 256,
	OPT_KALLSYMS,
	OPT_WIDTH,
};

static const struct option flamegraph_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "hide-call-graph", no_argument, NULL, 'G' },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_flamegraph(int argc, char **argv, struct kp_ctx *ctx)
{
	const char *input = kp_ctx__file_name(ctx), *output = NULL, *kallsyms = NULL;
	struct flamegraph_opts opts = { 0 };
	struct folded *folded = NULL;
	bool no_callchain = false;
	char subtitle[512];
	FILE *fp = stdout;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+i:o:Gh", flamegraph_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'G':
			no_callchain = true;
			break;
		case OPT_TITLE:
			opts.title = optarg;
			break;
		case OPT_KALLSYMS:
			kallsyms = optarg;
			break;
		case OPT_WIDTH: {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || !*optarg || v < 200 || v > 100000)
				return kp_usage_error(flamegraph_usage,
						      "--width '%s': want 200..100000 pixels", optarg);
			opts.width = (unsigned int)v;
			break;
		}
		case 'h':
			kp_print_usage(stdout, flamegraph_usage);
			return KP_EXIT_OK;
		case ':':
			return kp_usage_error(flamegraph_usage, "option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return kp_usage_error(flamegraph_usage, "unknown option '%s'",
					      argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kp_usage_error(flamegraph_usage, "unexpected argument '%s'", argv[optind]);

	err = script__fold_file(ctx, input, kallsyms, no_callchain, &folded);
	if (err)
		return kp_fail(err);
	snprintf(subtitle, sizeof(subtitle), "%s, %s samples", input,
		 ctx->host && ctx->guest ? "host and guest" : ctx->host ? "host" : "guest");
	opts.subtitle = subtitle;

	if (output) {
		fp = fopen(output, "w");
		if (!fp) {
			err = errno;
			folded__delete(folded);
			fprintf(stderr, "error: '%s': cannot create: %s\n", output, strerror(err));
			return KP_EXIT_FAILURE;
		}
	}
	err = flamegraph__write(folded, &opts, fp);
	folded__delete(folded);
	if (output && fclose(fp) && !err)
		err = -errno;
	if (err) {
		fprintf(stderr, "error: '%s': write failed: %s\n", output ? output : "stdout",
			strerror(-err));
		return KP_EXIT_FAILURE;
	}
	return KP_EXIT_OK;
}
