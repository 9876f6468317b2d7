/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracing-data.h - the TRACING_DATA blob: tracepoint formats in perf's
 * "\027\bDtracing" container, parsed with libtraceevent and written from
 * tracefs (located with libtracefs).
 */
#ifndef KP_DATA_TRACING_DATA_H
#define KP_DATA_TRACING_DATA_H

#include "util/strbuf.h"

struct tep_handle;

/**
 * tracing_data__parse - parse a blob of @size bytes into a new tep handle
 * (caller frees with tep_free()).  Every length is bounds-checked; a format
 * libtraceevent cannot parse is reported with the event's name.
 */
int tracing_data__parse(struct tep_handle **out, const void *blob, size_t size);

/**
 * tracing_data__build - build a blob describing the tracepoints @names
 * ("sys:event", @nr of them) from the running kernel's tracefs.
 */
int tracing_data__build(struct strbuf *out, const char *const *names, int nr);

#endif
