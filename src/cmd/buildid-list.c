// SPDX-License-Identifier: GPL-2.0
/*
 * buildid-list.c - kvmprof buildid-list: the build-ids a perf.data file
 * names, as perf 6.1's `perf buildid-list` / `perf kvm buildid-list`.
 *
 * Build-ids come from the BUILD_ID feature (and HEADER_BUILD_ID records).
 * Records are processed - marking the DSOs samples hit - only with -H, for a
 * file without the BUILD_ID feature, or in pipe mode.  Output: one line per
 * DSO with a build-id, "%-40s %s" (hex id, DSO long name), host first, then
 * guests by pid, each machine's DSOs in the order they were first seen.
 * An ELF file given with -i prints its own build-id.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/builtin.h"
#include "data/reader.h"
#include "machine/machine.h"
#include "symbol/symbol.h"

static const char *const buildid_list_usage[] = {
	"kvmprof [GLOBAL OPTIONS] buildid-list [-i FILE] [-H|--with-hits] [-k|--kernel] [-f]",
	NULL,
};

struct buildid_list {
	struct perf_tool tool;
	struct machines machines;
	FILE *out;
};

static int bl__sample(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample,
		      struct evsel *evsel)
{
	struct buildid_list *bl = (struct buildid_list *)tool;
	struct addr_location al;

	machines__resolve(&bl->machines, sample, &al);
	return 0;
}

static int bl__event(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	struct buildid_list *bl = (struct buildid_list *)tool;

	return machines__process_event(&bl->machines, event, sample);
}

static int bl__exit(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	struct buildid_list *bl = (struct buildid_list *)tool;

	return machines__exit_del_thread(&bl->machines, event, sample);
}

static int bl__build_id(struct perf_tool *tool, union perf_event *event)
{
	struct buildid_list *bl = (struct buildid_list *)tool;

	return machines__process_event(&bl->machines, event, NULL);
}

static int bl__print(struct machine *machine, struct dso *dso, const u8 *build_id, u8 size,
		     void *arg)
{
	char sbid[KP_SBUILD_ID_SIZE];
	struct buildid_list *bl = arg;

	build_id__sprintf(build_id, size, sbid);
	fprintf(bl->out, "%-40s %s\n", sbid, dso__long_name(dso));
	return 0;
}

static int print_kernel_build_id(void)
{
	u8 bid[KP_BUILD_ID_SIZE];
	char sbid[KP_SBUILD_ID_SIZE];
	int sz = sysfs__read_build_id("/sys/kernel/notes", bid);

	if (sz <= 0) {
		fprintf(stderr, "error: '/sys/kernel/notes': no kernel build-id (%s)\n",
			sz < 0 ? strerror(-sz) : "no GNU build-id note");
		return KP_EXIT_FAILURE;
	}
	build_id__sprintf(bid, (size_t)sz, sbid);
	printf("%s\n", sbid);
	return KP_EXIT_OK;
}

/* perf prints an ELF file's own build-id instead of treating it as perf.data */
static bool print_elf_build_id(const char *path)
{
	u8 bid[KP_BUILD_ID_SIZE];
	char sbid[KP_SBUILD_ID_SIZE];
	FILE *fp = fopen(path, "re");
	unsigned char magic[4] = { 0 };
	size_t n;
	int sz;

	if (!fp)
		return false;
	n = fread(magic, 1, sizeof(magic), fp);
	fclose(fp);
	if (n != 4 || memcmp(magic, "\177ELF", 4))
		return false;
	sz = filename__read_build_id(path, bid);
	if (sz <= 0)
		return false;
	build_id__sprintf(bid, (size_t)sz, sbid);
	printf("%s\n", sbid);
	return true;
}

int cmd_buildid_list(int argc, char **argv, struct kp_ctx *ctx)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "with-hits", no_argument, NULL, 'H' },
		{ "kernel", no_argument, NULL, 'k' },
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct buildid_list bl = { .out = stdout };
	struct symbol_conf conf = { 0 };
	struct perf_data *data = NULL;
	const char *input = kp_ctx__file_name(ctx);
	bool with_hits = false, kernel = false;
	int c, err, status = KP_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:i:Hkfvh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'H':
			with_hits = true;
			break;
		case 'k':
			kernel = true;
			break;
		case 'f':
			break;
		case 'v':
			kp_verbose++;
			break;
		case 'h':
			kp_print_usage(stdout, buildid_list_usage);
			return KP_EXIT_OK;
		case ':':
			return kp_usage_error(buildid_list_usage, "option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return kp_usage_error(buildid_list_usage, "unknown option '%s'",
					      argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kp_usage_error(buildid_list_usage, "unexpected argument '%s'", argv[optind]);
	if (kernel)
		return print_kernel_build_id();
	if (strcmp(input, "-") && print_elf_build_id(input))
		return KP_EXIT_OK;

	err = perf_data__open(&data, input);
	if (err)
		return kp_fail(err);
	conf.host = ctx->host;
	conf.guest = ctx->guest;
	conf.guestmount = ctx->guestmount;
	conf.guestkallsyms = ctx->guestkallsyms;
	conf.guestmodules = ctx->guestmodules;
	conf.guestvmlinux = ctx->guestvmlinux;
	conf.no_symbols = true;
	err = machines__init(&bl.machines, &conf);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	/* AUX area traces are not decoded, so every build-id counts */
	if (!data->is_pipe && perf_header__has_feat(&data->header, HEADER_AUXTRACE))
		with_hits = false;
	if (!perf_header__has_feat(&data->header, HEADER_BUILD_ID) || data->is_pipe)
		with_hits = true;
	machines__set_build_ids(&bl.machines, data->header.build_ids, data->header.nr_build_ids);
	if (with_hits) {
		bl.tool = (struct perf_tool){
			.sample = bl__sample,
			/* perf 6.1's build_id__mark_dso_hit_ops: no COMM, EXIT forgets */
			.mmap = bl__event,
			.mmap2 = bl__event,
			.fork = bl__event,
			.exit = bl__exit,
			.build_id = bl__build_id,
			.ordered_events = true,
		};
		err = perf_data__process(data, &bl.tool);
		if (err) {
			status = kp_fail(err);
			goto out;
		}
	}
	/* perf 6.1 lists every DSO left after -H filtering, with a blank id if it has none */
	machines__for_each_dso(&bl.machines, with_hits, bl__print, &bl);
out:
	machines__exit(&bl.machines);
	perf_data__delete(data);
	return status;
}
