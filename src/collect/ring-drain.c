// SPDX-License-Identifier: GPL-2.0
/*
 * ring-drain.c - feed one ring's records to a struct perf_tool (live half of
 * the event pipeline).  Kept apart from ring.c so that users of the raw ring
 * API do not link the sample parser.
 */
#include <errno.h>
#include <string.h>

#include "collect/ring.h"
#include "data/sample.h"
#include "data/reader.h"
#include "util/util.h"

static event_op op_for(struct perf_tool *tool, u32 type)
{
	switch (type) {
	case PERF_RECORD_MMAP:
		return tool->mmap;
	case PERF_RECORD_MMAP2:
		return tool->mmap2;
	case PERF_RECORD_COMM:
		return tool->comm;
	case PERF_RECORD_FORK:
		return tool->fork;
	case PERF_RECORD_EXIT:
		return tool->exit;
	case PERF_RECORD_LOST:
		return tool->lost;
	case PERF_RECORD_LOST_SAMPLES:
		return tool->lost_samples;
	case PERF_RECORD_THROTTLE:
		return tool->throttle;
	case PERF_RECORD_UNTHROTTLE:
		return tool->unthrottle;
	case PERF_RECORD_KSYMBOL:
		return tool->ksymbol;
	case PERF_RECORD_SWITCH:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		return tool->context_switch;
	default:
		return tool->other;
	}
}

int kp_ring__drain(struct kp_ring *ring, struct evlist *evlist, struct perf_tool *tool)
{
	union perf_event *ev;
	int nr = 0, ret = 0;

	if (kp_ring__read_init(ring) < 0)
		return ring->corrupt ? kp_error(KP_ERR_BAD_RECORD, "ring buffer of CPU %d is corrupt",
						ring->cpu) : 0;
	while ((ev = kp_ring__read_event(ring)) != NULL) {
		struct perf_sample sample;
		struct evsel *evsel;

		nr++;
		if (ret < 0)
			continue; /* keep reading so that consume() frees the space */
		evsel = evlist__event2evsel(evlist, ev);
		if (!evsel)
			continue;
		memset(&sample, 0, sizeof(sample));
		if (ev->header.type == PERF_RECORD_SAMPLE) {
			if (!tool->sample)
				continue;
			if (perf_sample__parse(ev, evsel, &sample) < 0)
				continue;
			ret = tool->sample(tool, ev, &sample, evsel);
		} else {
			event_op op = op_for(tool, ev->header.type);

			if (!op)
				continue;
			if (evlist->sample_id_all && perf_sample__parse_id(ev, evsel, &sample) < 0)
				continue;
			sample.misc = ev->header.misc;
			sample.cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
			ret = op(tool, ev, &sample);
		}
	}
	kp_ring__consume(ring);
	if (ret < 0)
		return ret;
	if (ring->corrupt)
		return kp_error(KP_ERR_BAD_RECORD, "ring buffer of CPU %d is corrupt", ring->cpu);
	return nr;
}
