/* SPDX-License-Identifier: GPL-2.0 */
/*
 * script.h - perf script's default text layout, sample by sample.
 *
 * Reproduces perf 6.1 `perf script` line for line (builtin-script.c and
 * evsel_fprintf.c behaviour, checked against /usr/bin/perf on real files):
 *
 *   header:  comm ("%16s ", or "%s " when the sample is printed with a
 *            callchain), tid ("%5d ") or pid/tid ("%5d/%-5d "), "[%03d] "
 *            cpu, "%12s: " time (sec.usec), "%10llu " period, "%*s: " event
 *            name padded to the longest event name of the file;
 *   then, for tracepoints, the libtraceevent INFO text of the raw data;
 *   then the ip: " %16llx sym+0xoff (dso)" on the same line, or, when the
 *            sample has a callchain, a newline and one
 *            "\t%16llx sym+0xoff (dso)" line per frame (callchain.h), then
 *            a blank line.
 *
 * Default fields: comm,tid,cpu,time,period,event,ip,sym,symoff,dso for
 * non-tracepoint events, comm,tid,cpu,time,event,trace for tracepoints (plus
 * ip,sym,symoff,dso when they carry callchains); fields the event did not
 * record (no PERF_SAMPLE_CPU ...) are dropped silently unless asked for
 * with -F, which is then an error.
 *
 * Ownership: struct script is embedded by the caller; script__exit() frees
 * what script__init() allocated.  Machines, evlist and tep are borrowed.
 */
#ifndef KP_UI_SCRIPT_H
#define KP_UI_SCRIPT_H

#include <stdio.h>

#include "data/evsel.h"
#include "data/sample.h"
#include "analysis/callchain.h"
#include "machine/machine.h"
#include "util/strbuf.h"

struct tep_handle;
struct trace_seq;

enum script_field {
	SCRIPT_F_COMM = 1 << 0,
	SCRIPT_F_TID = 1 << 1,
	SCRIPT_F_PID = 1 << 2,
	SCRIPT_F_TIME = 1 << 3,
	SCRIPT_F_CPU = 1 << 4,
	SCRIPT_F_EVNAME = 1 << 5,
	SCRIPT_F_IP = 1 << 6,
	SCRIPT_F_SYM = 1 << 7,
	SCRIPT_F_SYMOFF = 1 << 8,
	SCRIPT_F_DSO = 1 << 9,
	SCRIPT_F_PERIOD = 1 << 10,
	SCRIPT_F_TRACE = 1 << 11,
};

/* output kinds -F can name: "hw"/"sw"/... share one, "trace" is the other */
enum script_kind {
	SCRIPT_KIND_SAMPLE = 0,
	SCRIPT_KIND_TRACE = 1,
	SCRIPT_KIND_NR,
};

struct script {
	struct machines *machines;
	struct tep_handle *tep;
	u32 fields[SCRIPT_KIND_NR]; /* requested (defaults or -F) */
	bool user_set[SCRIPT_KIND_NR];
	u32 *evsel_fields; /* effective fields per evsel idx */
	int nr_evsels;
	int name_width;
	bool use_callchain;
	unsigned int max_stack;
	struct callchain_cache *cache; /* borrowed, may be NULL (see callchain.h) */
	struct strbuf line; /* one sample's text, reused */
	struct trace_seq *seq; /* reused for tracepoint text */
};

/**
 * script__parse_fields - apply a -F argument: "[TYPE:]f1,f2,..." replaces the
 * fields of TYPE (hw, sw, raw -> samples; trace -> tracepoints; no TYPE: both);
 * "+f"/"-f" entries add to / remove from the defaults instead.
 * Returns 0 or KP_ERR_USAGE with a kp_error() detail naming the bad field.
 */
int script__parse_fields(struct script *s, const char *arg);

/**
 * script__init - set defaults (call before script__parse_fields()).
 */
void script__init(struct script *s, struct machines *machines, struct tep_handle *tep);

/**
 * script__setup - compute each event's effective fields for @evlist.
 * Fails with KP_ERR_USAGE when a -F field needs data an event did not
 * record ("event 'cpu-clock' has no CPU in its samples: cannot print 'cpu'").
 * @no_callchain: -G, print samples without their callchains.
 */
int script__setup(struct script *s, const struct evlist *evlist, bool no_callchain);

/**
 * script__format_sample - append @sample's text to s->line (after resetting
 * it).  @al is the sample's resolution (machines__resolve()).
 */
void script__format_sample(struct script *s, const struct evsel *evsel,
			   const struct perf_sample *sample, const struct addr_location *al);

/**
 * script__print_sample - format @sample and write it to @fp.
 * Returns 0 or -errno when the write failed.
 */
int script__print_sample(struct script *s, const struct evsel *evsel,
			 const struct perf_sample *sample, const struct addr_location *al,
			 FILE *fp);

/** script__exit - free what script__init()/script__setup() allocated. */
void script__exit(struct script *s);

#endif
