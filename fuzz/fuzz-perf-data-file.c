// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-perf-data-file.c - perf.data in file mode (mapped): header, attrs,
 * feature sections, data section, compressed records, byte order, then the
 * analysis a report does on every record; and a second read the way stat
 * report reads big files: on a second thread, samples peeked, packed by
 * plans and fed to the model in runs (the scan loops, whatever the size).
 */
#include "fuzz-perf-data.h"
#include "data/data-internal.h"

static int st_sample(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample,
		     struct evsel *evsel)
{
	struct fuzz_tool *ft = (struct fuzz_tool *)tool;

	kvm_stat__sample(ft->kvm, evsel, sample);
	return 0;
}

static int st_peek(struct perf_tool *tool, struct evsel *evsel, const struct perf_sample *sample,
		   u64 payload[3])
{
	return kvm_stat__peek(((struct fuzz_tool *)tool)->kvm, evsel, sample, payload);
}

static void st_pack(struct perf_tool *tool, struct evsel *evsel, struct sample_pack *pack)
{
	kvm_stat__pack(((struct fuzz_tool *)tool)->kvm, evsel, pack);
}

static int st_fast(struct perf_tool *tool, const struct packed_sample *s, size_t n)
{
	kvm_stat__event_packed(((struct fuzz_tool *)tool)->kvm, s, n);
	return 0;
}

static void fuzz_stat_fast(const char *path)
{
	/* no filter, no breakdown: the model's tight loop may run */
	struct kvm_stat_opts opts = { .vcpu = -1 };
	struct fuzz_tool ft = {
		.tool = {
			.sample = st_sample,
			.sample_peek = st_peek,
			.sample_pack = st_pack,
			.sample_fast = st_fast,
			.sample_peek_fields = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW,
			.ordered_events = true,
		},
	};
	struct perf_data *data;

	if (perf_data__open(&data, path))
		return;
	ft.kvm = kvm_stat__new(&opts);
	if (!kvm_stat__setup_evlist(ft.kvm, &data->evlist, path)) {
		perf_data__set_threaded(data, 1);
		perf_data__process(data, &ft.tool);
		kvm_stat__view(ft.kvm);
	}
	kvm_stat__delete(ft.kvm);
	perf_data__delete(data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_file f;

	fuzz__quiet();
	if (fuzz_file__open(&f, data, size))
		return 0;
	fuzz_perf_data(f.path);
	kp_error_clear();
	fuzz_stat_fast(f.path);
	fuzz_file__close(&f);
	kp_error_clear();
	return 0;
}
