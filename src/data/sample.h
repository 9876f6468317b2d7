/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sample.h - a decoded PERF_RECORD_SAMPLE (and the sample_id trailer of other
 * records).
 *
 * Parsing is in place: pointer members point into the record, which lives in
 * the mmap'ed file (or a decompression/swap buffer owned by the reader) and
 * stays valid for the duration of the tool callback only.  Copy what you keep.
 */
#ifndef KP_DATA_SAMPLE_H
#define KP_DATA_SAMPLE_H

#include "data/event.h"

struct evsel;

struct ip_callchain {
	u64 nr;
	u64 ips[];
};

struct branch_entry {
	u64 from;
	u64 to;
	u64 flags;
};

struct perf_sample {
	u64 ip;
	u32 pid, tid;
	u64 time; /* ~0ULL when the event has no PERF_SAMPLE_TIME */
	u64 addr;
	u64 id;
	u64 stream_id;
	u32 cpu; /* (u32)-1 when absent */
	u64 period; /* without PERF_SAMPLE_PERIOD: attr.sample_period, as perf does */
	u64 weight;
	u64 data_src;
	u64 transaction;
	u64 phys_addr;
	u64 cgroup;
	u64 data_page_size;
	u64 code_page_size;
	u16 misc;
	u8 cpumode; /* misc & PERF_RECORD_MISC_CPUMODE_MASK */
	const struct ip_callchain *callchain; /* NULL if absent */
	const void *raw_data; /* NULL if absent */
	u32 raw_size;
	const u64 *branch_hw_idx; /* NULL unless branch_sample_type HW_INDEX */
	u64 branch_nr;
	const struct branch_entry *branch_entries;
	const void *read_data; /* read_format values as in the record */
	u32 read_size;
	u64 user_regs_abi;
	const u64 *user_regs;
	u64 user_stack_size;
	const void *user_stack;
	u64 intr_regs_abi;
	const u64 *intr_regs;
	u64 aux_size;
	const void *aux_data;
};

/**
 * perf_sample__parse - decode @event (a SAMPLE) according to @evsel's attr.
 * Every length is checked against header.size; returns 0 or KP_ERR_BAD_SAMPLE
 * (with a kp_error() detail naming the field that overran).
 */
int perf_sample__parse(const union perf_event *event, const struct evsel *evsel,
		       struct perf_sample *sample);

/**
 * perf_sample__parse_id - decode the sample_id trailer of a non-SAMPLE kernel
 * record (when the event has sample_id_all).  Fields not present are set to
 * their "absent" values as in perf_sample__parse().
 */
int perf_sample__parse_id(const union perf_event *event, const struct evsel *evsel,
			  struct perf_sample *sample);

#endif
