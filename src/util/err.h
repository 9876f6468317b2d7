/* SPDX-License-Identifier: GPL-2.0 */
/*
 * err.h - kvmprof's one error namespace (after libtraceevent's TEP_ERRORS).
 *
 * Library code (everything below src/cmd/) returns 0 or a negative code: either
 * -errno, or one of the KP_ERR_* codes below (all <= KP_ERR_START, far below any
 * errno).  When a failure has specifics worth telling the user - which file,
 * which offset, what to do - the failing function records them with
 * kp_error(), which formats a detail message and returns the code, so the
 * idiom is:
 *
 *	if (hdr.size < sizeof(hdr))
 *		return kp_error(KP_ERR_TRUNCATED, "'%s': record of size %u at offset %#llx",
 *				path, hdr.size, off);
 *
 * cmd/ code then prints "error: <kp_errmsg(code)>".  The detail is kept per
 * thread and belongs to the most recent kp_error() call; kp_errmsg() falls
 * back to kp_strerror() when the detail was set for another code.
 */
#ifndef KP_UTIL_ERR_H
#define KP_UTIL_ERR_H

#include "util/types.h"

#define KP_ERR_START (-100000)

#define KP_ERRORS                                                                          \
	_KP(BAD_MAGIC, "not a perf.data file (bad magic)")                                  \
	_KP(TRUNCATED, "file is truncated")                                                \
	_KP(CORRUPT, "file is corrupt")                                                    \
	_KP(UNSUPPORTED, "unsupported format or feature")                                  \
	_KP(BAD_ATTR, "invalid perf_event_attr")                                           \
	_KP(BAD_FEATURE, "invalid feature section")                                        \
	_KP(BAD_RECORD, "invalid record")                                                  \
	_KP(BAD_SAMPLE, "sample does not match its event's sample_type")                   \
	_KP(NO_EVSEL, "record belongs to no known event")                                  \
	_KP(BAD_SYMFILE, "malformed symbol file")                                          \
	_KP(BAD_ELF, "malformed ELF file")                                                 \
	_KP(BAD_TRACEDATA, "malformed tracing data")                                       \
	_KP(NO_TRACEPOINT, "tracepoint not available")                                     \
	_KP(MISSING_FIELD, "tracepoint lacks a required field")                            \
	_KP(NO_KVM, "KVM is not available")                                                \
	_KP(NO_PERMISSION, "permission denied")                                            \
	_KP(USAGE, "invalid usage")                                                        \
	_KP(NO_DATA, "no data")                                                            \
	_KP(INTERNAL, "internal error")

#define _KP(name, text) KP_ERR_##name##_IDX,
enum kp_err_idx { KP_ERRORS KP_ERR_NR };
#undef _KP
#define _KP(name, text) KP_ERR_##name = KP_ERR_START - KP_ERR_##name##_IDX,
enum kp_err { KP_ERRORS };
#undef _KP

/** kp_strerror - the generic text for a code (KP_ERR_* or -errno). */
const char *kp_strerror(int code);
/**
 * kp_error - record a detail message for @code and return @code.
 * The message should say what failed and on what; kp_errmsg() appends nothing.
 */
int kp_error(int code, const char *fmt, ...) __printf(2, 3);
/** kp_errmsg - the detail recorded for @code, else kp_strerror(@code). */
const char *kp_errmsg(int code);
/** kp_error_clear - forget the recorded detail. */
void kp_error_clear(void);

#endif
