/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pprof.h - export a profile as pprof's gzip-compressed profile.proto
 * (package perftools.profiles), readable by `go tool pprof`, Parca,
 * Pyroscope and speedscope.
 *
 * The caller feeds resolved stacks; the builder interns strings, mappings
 * (one per DSO), functions (one per name and DSO) and locations (one per
 * DSO, address and function) in hash tables and merges equal samples
 * (same stack, event and labels), so memory grows with distinct stacks, not
 * with samples.
 *
 * Value types: [0] = ("samples", "count"), then one per event added with
 * pprof__add_value_type(): a sample carries 1 in [0] and its period in its
 * event's column.  Every sample gets the labels comm (string), pid (number)
 * and mode (host_kernel, host_user, guest_kernel, guest_user, hypervisor);
 * guest frames are named "[g] sym" / "[u] sym" like report -g prints them.
 *
 * Encoding goes through protobuf-c (generated from src/ui/profile.proto),
 * compression through zlib.  Nothing here prints; errors come back as
 * negative codes with a kp_error() detail.
 */
#ifndef KP_UI_PPROF_H
#define KP_UI_PPROF_H

#include "util/util.h"

struct pprof;

struct pprof_frame {
	const char *name; /* symbol name, NULL: unresolved (the address is shown) */
	const char *dso; /* DSO long name, NULL: no map */
	u64 addr; /* the raw address */
	u8 cpumode; /* PERF_RECORD_MISC_*: guest frames are labelled */
};

/** pprof__new - an empty profile (freed by pprof__delete()). */
struct pprof *pprof__new(void);
/** pprof__delete - free @p and everything it interned. */
void pprof__delete(struct pprof *p);

/**
 * pprof__add_value_type - add a value column (e.g. "cpu-clock", "nanoseconds")
 * and return its index (1, 2, ...).  Add every column before the first sample.
 */
int pprof__add_value_type(struct pprof *p, const char *type, const char *unit);

/**
 * pprof__add_sample - account one sample: @frames leaf first, @period in
 * column @value_idx, labels @comm, @pid and the sample's @cpumode.
 */
void pprof__add_sample(struct pprof *p, const struct pprof_frame *frames, u32 nr, int value_idx,
		       u64 period, const char *comm, s64 pid, u8 cpumode);

/** pprof__set_duration - the profile's time_nanos and duration_nanos. */
void pprof__set_duration(struct pprof *p, s64 time_nanos, s64 duration_nanos);

/**
 * pprof__write - encode and write @p gzip-compressed to @path.  Returns 0 or
 * a negative code (-errno, KP_ERR_*) with a kp_error() detail naming @path.
 */
int pprof__write(struct pprof *p, const char *path);

#endif
