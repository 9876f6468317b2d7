// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - global options, the command table, exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/builtin.h"

struct kp_cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct kp_ctx *ctx);
	const char *help;
};

/* sorted by name; exact matching only */
static const struct kp_cmd commands[] = {
	{ "buildid-list", cmd_buildid_list, "list the build-ids of the DSOs in a perf.data file" },
	{ "diff", cmd_diff, "compare two perf.data files (perf diff)" },
	{ "flamegraph", cmd_flamegraph, "write an SVG flame graph, guest frames coloured" },
	{ "record", cmd_record, "sample the host and/or guests into a perf.data file" },
	{ "report", cmd_report, "show where the samples went (perf report --stdio)" },
	{ "script", cmd_script, "print every sample (perf script layout) or folded stacks" },
	{ "stat", cmd_stat, "KVM event statistics: record, report, or count a command" },
	{ "top", cmd_top, "live profile of the host and/or guests (perf kvm top)" },
};

static const char *const main_usage[] = {
	"kvmprof [--host] [--guest] [--no-guest] [--guestmount=DIR]",
	"        [--guestkallsyms=FILE --guestmodules=FILE | --guestvmlinux=FILE]",
	"        [--no-debuginfod] [-i FILE] [-o FILE] [-v] COMMAND [OPTIONS]",
	NULL,
};

void kp_print_usage(FILE *fp, const char *const *usage)
{
	fprintf(fp, "usage: %s\n", usage[0]);
	for (int i = 1; usage[i]; i++)
		fprintf(fp, "   or: %s\n", usage[i]);
}

int kp_usage_error(const char *const *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (usage)
		kp_print_usage(stderr, usage);
	return KP_EXIT_USAGE;
}

int kp_fail(int err)
{
	fprintf(stderr, "error: %s\n", kp_errmsg(err));
	return KP_EXIT_FAILURE;
}

const char *kp_ctx__file_name(const struct kp_ctx *ctx)
{
	if (ctx->file_name_set)
		return ctx->file_name;
	if (ctx->host && !ctx->guest)
		return "perf.data.host";
	if (!ctx->host && ctx->guest)
		return "perf.data.guest";
	return "perf.data.kvm";
}

static void main_help(FILE *fp)
{
	kp_print_usage(fp, main_usage);
	fputs("\nkvmprof profiles KVM guests from the host (perf kvm compatible).\n"
	      "With neither --host nor --guest, guest samples are shown (as in perf kvm).\n\n"
	      "Commands:\n",
	      fp);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(fp, "   %-14s %s\n", commands[i].name, commands[i].help);
	fputs("\nSee 'kvmprof COMMAND --help' or man kvmprof-COMMAND.\n", fp);
}

enum {
	OPT_HOST = 256,
	OPT_NO_HOST,
	OPT_GUEST,
	OPT_NO_GUEST,
	OPT_GUESTMOUNT,
	OPT_GUESTKALLSYMS,
	OPT_GUESTMODULES,
	OPT_GUESTVMLINUX,
	OPT_NO_DEBUGINFOD,
	OPT_VERSION,
};

static const struct option global_opts[] = {
	{ "host", no_argument, NULL, OPT_HOST },
	{ "no-host", no_argument, NULL, OPT_NO_HOST },
	{ "guest", no_argument, NULL, OPT_GUEST },
	{ "no-guest", no_argument, NULL, OPT_NO_GUEST },
	{ "guestmount", required_argument, NULL, OPT_GUESTMOUNT },
	{ "guestkallsyms", required_argument, NULL, OPT_GUESTKALLSYMS },
	{ "guestmodules", required_argument, NULL, OPT_GUESTMODULES },
	{ "guestvmlinux", required_argument, NULL, OPT_GUESTVMLINUX },
	{ "no-debuginfod", no_argument, NULL, OPT_NO_DEBUGINFOD },
	{ "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/*
 * Parse global options up to the subcommand.  Returns the index of the
 * subcommand in argv, or -KP_EXIT_USAGE / -1 (exit 0 after --help).
 */
static int parse_global(int argc, char **argv, struct kp_ctx *ctx)
{
	bool guest = true, host = false;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+i:o:vh", global_opts, NULL)) != -1) {
		switch (c) {
		case OPT_HOST:
			host = true;
			break;
		case OPT_NO_HOST:
			host = false;
			break;
		case OPT_GUEST:
			guest = true;
			break;
		case OPT_NO_GUEST:
			guest = false;
			break;
		case OPT_GUESTMOUNT:
			ctx->guestmount = optarg;
			break;
		case OPT_GUESTKALLSYMS:
			ctx->guestkallsyms = optarg;
			break;
		case OPT_GUESTMODULES:
			ctx->guestmodules = optarg;
			break;
		case OPT_GUESTVMLINUX:
			ctx->guestvmlinux = optarg;
			break;
		case OPT_NO_DEBUGINFOD:
			ctx->no_debuginfod = true;
			break;
		case 'i':
		case 'o':
			ctx->file_name = optarg;
			ctx->file_name_set = true;
			break;
		case 'v':
			ctx->verbose++;
			break;
		case 'h':
			main_help(stdout);
			return -1;
		case OPT_VERSION:
			printf("kvmprof version %s\n", KP_VERSION);
			return -1;
		case ':':
			kp_usage_error(main_usage, "option '%s' needs a value", argv[optind - 1]);
			return -KP_EXIT_USAGE;
		default:
			kp_usage_error(main_usage, "unknown option '%s'", argv[optind - 1]);
			return -KP_EXIT_USAGE;
		}
	}
	/* perf kvm's rule: without --host, guest is on whatever was said */
	if (!host)
		guest = true;
	ctx->host = host;
	ctx->guest = guest;
	kp_verbose = ctx->verbose;
	return optind;
}

static int finish_stdout(int status)
{
	/* a full disk behind "> file" must not pass silently */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "error: writing standard output failed: %s\n", strerror(errno));
		return KP_EXIT_FAILURE;
	}
	if (fclose(stdout) && errno != EBADF) {
		fprintf(stderr, "error: closing standard output failed: %s\n", strerror(errno));
		return KP_EXIT_FAILURE;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct kp_ctx ctx = { .argc = argc, .argv = (const char **)argv };
	int idx, status;
	const char *name;

	idx = parse_global(argc, argv, &ctx);
	if (idx == -1)
		return finish_stdout(KP_EXIT_OK);
	if (idx < 0)
		return KP_EXIT_USAGE;
	if (idx >= argc) {
		main_help(stderr);
		return KP_EXIT_USAGE;
	}
	name = argv[idx];
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(commands[i].name, name))
			continue;
		optind = 1;
		status = commands[i].fn(argc - idx, argv + idx, &ctx);
		return finish_stdout(status);
	}
	kp_usage_error(NULL, "'%s' is not a kvmprof command", name);
	main_help(stderr);
	return KP_EXIT_USAGE;
}
