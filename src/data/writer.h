/* SPDX-License-Identifier: GPL-2.0 */
/*
 * writer.h - write perf.data files (file mode) that Linux perf 6.1+ reads.
 *
 * Protocol: perf_writer__open(), perf_writer__add_evsel() for every event,
 * perf_writer__start() (writes a provisional header so that a file cut short
 * by a crash still has valid attrs), perf_writer__write() per record, then
 * perf_writer__finish() with the feature data.  finish() appends the feature
 * sections, rewrites the header with the final data size, fsyncs and renames
 * the temporary file into place, keeping an existing file as FILE.old.
 *
 * Attrs are written with size 128 (KP_ATTR_SIZE_VER7): perf 6.1 rejects 136.
 * Every write error (ENOSPC, EIO) is returned with a detail naming the file;
 * the data written up to then stays readable after perf_writer__finish().
 */
#ifndef KP_DATA_WRITER_H
#define KP_DATA_WRITER_H

#include "data/event.h"
#include "data/header.h"

struct perf_writer;

/** perf_writer__open - create the output for @path (written as "@path.tmp" until finish). */
int perf_writer__open(struct perf_writer **out, const char *path);

/** perf_writer__add_evsel - declare an event: its attr, display name and sample ids. */
int perf_writer__add_evsel(struct perf_writer *w, const struct kp_attr *attr, const char *name,
			   const u64 *ids, u32 nr_ids);

/**
 * perf_writer__set_compression - compress the data section with zstd at
 * @level (1..22; 0 = off), as `perf record -z` does: records are written as
 * PERF_RECORD_COMPRESSED and the COMPRESSED feature is added.  Call before
 * perf_writer__start().
 */
int perf_writer__set_compression(struct perf_writer *w, int level);

/** perf_writer__start - write the header, ids and attrs; data follows. */
int perf_writer__start(struct perf_writer *w);

/** perf_writer__write - append one record (header.size bytes at @event). */
int perf_writer__write(struct perf_writer *w, const void *event, size_t size);

/** perf_writer__data_size - bytes of data written so far. */
u64 perf_writer__data_size(const struct perf_writer *w);

/**
 * perf_writer__finish - write the features set in @header (strings, build-ids,
 * tracing data ...), fix up the header and move the file into place.
 * The EVENT_DESC feature is generated from the evsels; @header may be NULL.
 */
int perf_writer__finish(struct perf_writer *w, struct perf_header *header);

/** perf_writer__delete - free; if not finished, the temporary file is removed. */
void perf_writer__delete(struct perf_writer *w);

/**
 * perf_header__fill_host - fill hostname, osrelease, version, arch, nrcpus,
 * cpudesc, cpuid, total_mem and cmdline (from @argc/@argv) from the running system.
 */
int perf_header__fill_host(struct perf_header *header, int argc, const char **argv);

#endif
