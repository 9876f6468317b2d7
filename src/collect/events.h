/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - event names -> perf_event_attr type/config.
 *
 * Accepted: the hardware events cycles (cpu-cycles), instructions,
 * cache-references, cache-misses, branches (branch-instructions),
 * branch-misses, ref-cycles; the software events cpu-clock, task-clock,
 * page-faults (faults), context-switches (cs), cpu-migrations (migrations),
 * minor-faults, major-faults, dummy; and tracepoints "sys:name" (id read from
 * tracefs events/sys/name/id).  No modifiers (":u", ":k"...) yet.
 */
#ifndef KP_COLLECT_EVENTS_H
#define KP_COLLECT_EVENTS_H

#include "data/event.h"

/**
 * kp_event__parse - fill @attr's type and config for @name (nothing else is
 * touched).  Returns 0, KP_ERR_NO_TRACEPOINT (tracepoint missing or tracefs
 * not mounted), KP_ERR_NO_PERMISSION (tracefs there but not readable by this
 * user) or KP_ERR_USAGE (unknown name), with a kp_error() detail.
 */
int kp_event__parse(const char *name, struct kp_attr *attr);

/**
 * kp_event__default - perf's default sampling event: "cycles" when a hardware
 * PMU works here (kp_event_have_hw_pmu()), else "cpu-clock".  Sets @attr's
 * type and config and returns the name.
 */
const char *kp_event__default(struct kp_attr *attr);

/** kp_tracefs_dir - the tracefs mount ("/sys/kernel/tracing" ...), or NULL. */
const char *kp_tracefs_dir(void);

#endif
