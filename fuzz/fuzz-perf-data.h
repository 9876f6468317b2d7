/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz-perf-data.h - the body shared by fuzz-perf-data-file.c and
 * fuzz-perf-data-pipe.c: open the input as perf.data, process every record
 * with a tool that does what report, script and kvm stat do with it
 * (machines, sample resolution, callchain walk, kvm stat model).
 */
#ifndef KP_FUZZ_PERF_DATA_H
#define KP_FUZZ_PERF_DATA_H

#include <string.h>

#include "fuzz-common.h"
#include "analysis/callchain.h"
#include "analysis/kvm-stat.h"
#include "data/reader.h"
#include "machine/machine.h"

struct fuzz_tool {
	struct perf_tool tool;
	struct machines machines;
	struct kvm_stat *kvm;
	bool kvm_ok;
	u64 sink;
};

static int fz_sample(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample,
		     struct evsel *evsel)
{
	struct fuzz_tool *ft = (struct fuzz_tool *)tool;
	struct addr_location al;
	struct callchain_iter it;
	struct callchain_frame frame;

	machines__resolve(&ft->machines, sample, &al);
	ft->sink += al.addr + (al.sym ? al.sym->start : 0);
	if (al.thread)
		ft->sink += strlen(thread__comm_str(al.thread));
	if (al.dso)
		ft->sink += strlen(dso__name(al.dso)) + strlen(dso__long_name(al.dso));
	callchain_iter__init(&it, &ft->machines, sample, &al, 0);
	while (callchain_iter__next(&it, &frame))
		ft->sink += callchain_frame__print_addr(&frame);
	/* errors are expected on fuzzed raw data; they must not stop the read */
	if (ft->kvm_ok)
		kvm_stat__sample(ft->kvm, evsel, sample);
	return 0;
}

static int fz_event(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	struct fuzz_tool *ft = (struct fuzz_tool *)tool;

	if (event->header.type == PERF_RECORD_COMM && ft->kvm)
		kvm_stat__comm(ft->kvm, event->comm.pid, event->comm.comm);
	return machines__process_event(&ft->machines, event, sample);
}

static int fz_build_id(struct perf_tool *tool, union perf_event *event)
{
	struct fuzz_tool *ft = (struct fuzz_tool *)tool;

	return machines__process_event(&ft->machines, event, NULL);
}

static int fz_other(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	return 0;
}

static void fuzz_perf_data(const char *path)
{
	static const struct symbol_conf conf = { .host = true, .guest = true, .no_symbols = true };
	struct kvm_stat_opts opts = { .vcpu = -1, .per_vm = true, .per_vcpu = true,
				      .percentiles = true };
	struct fuzz_tool ft = {
		.tool = {
			.sample = fz_sample,
			.mmap = fz_event,
			.mmap2 = fz_event,
			.comm = fz_event,
			.fork = fz_event,
			.exit = fz_event,
			.ksymbol = fz_event,
			.lost = fz_other,
			.other = fz_other,
			.build_id = fz_build_id,
			.ordered_events = true,
		},
	};
	struct perf_data *data;

	if (perf_data__open(&data, path))
		return;
	if (machines__init(&ft.machines, &conf))
		goto out;
	if (data->header.nr_build_ids)
		machines__set_build_ids(&ft.machines, data->header.build_ids,
					data->header.nr_build_ids);
	ft.kvm = kvm_stat__new(&opts);
	ft.kvm_ok = !kvm_stat__setup_evlist(ft.kvm, &data->evlist, path);
	perf_data__process(data, &ft.tool);
	if (ft.kvm_ok)
		kvm_stat__view(ft.kvm);
	kvm_stat__delete(ft.kvm);
out:
	machines__exit(&ft.machines);
	perf_data__delete(data);
}

#endif
