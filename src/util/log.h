/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - diagnostics on stderr.
 *
 * pr_warning() is for things the user should know but that do not stop the
 * command; pr_debug() prints only at -v (verbosity >= 1), pr_debug2() at -vv.
 * Result output (tables, reports) never goes through here: cmd/ and ui/ write
 * it to the FILE they are given.
 */
#ifndef KP_UTIL_LOG_H
#define KP_UTIL_LOG_H

#include "util/types.h"

extern int kp_verbose;

/** kp_log - print "<prefix>message\n" on stderr if @level <= kp_verbose. */
void kp_log(int level, const char *prefix, const char *fmt, ...) __printf(3, 4);

#define pr_err(...) kp_log(-1, "error: ", __VA_ARGS__)
#define pr_warning(...) kp_log(-1, "warning: ", __VA_ARGS__)
#define pr_info(...) kp_log(0, "", __VA_ARGS__)
#define pr_debug(...) kp_log(1, "", __VA_ARGS__)
#define pr_debug2(...) kp_log(2, "", __VA_ARGS__)

/**
 * WARN_ONCE - pr_warning() at most once per call site.
 */
#define pr_warning_once(...)                                                       \
	do {                                                                       \
		static bool __warned;                                              \
		if (!__warned) {                                                   \
			__warned = true;                                           \
			pr_warning(__VA_ARGS__);                                   \
		}                                                                  \
	} while (0)

#endif
