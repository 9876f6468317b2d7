/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timeline.h - a Chrome / Perfetto trace-event JSON timeline of the KVM
 * event intervals of a kvm stat recording (stat report --timeline FILE).
 *
 * Every interval the kvm stat analysis pairs (exit -> entry, port or MMIO
 * access -> entry, ...) becomes one complete event ("ph":"X") with pid = the
 * VM (VMM process id), tid = the vCPU, name = the exit reason, port or MMIO
 * address as the report names it, ts/dur in microseconds.  Metadata events
 * name the processes ("VM <pid>", or its comm) and threads ("vCPU <n>").
 * The file loads in chrome://tracing, ui.perfetto.dev and speedscope.
 *
 * Intervals come in through timeline__kvm_interval(), a kvm_stat_opts.slow
 * callback; nothing is printed here, errors are returned with a kp_error()
 * detail naming the file.
 */
#ifndef KP_UI_TIMELINE_H
#define KP_UI_TIMELINE_H

#include "util/util.h"
#include "analysis/kvm-stat.h"

struct timeline;

/** timeline__new - an empty timeline (freed by timeline__delete()). */
struct timeline *timeline__new(void);
/** timeline__delete - free @tl. */
void timeline__delete(struct timeline *tl);

/**
 * timeline__kvm_interval - kvm_stat_opts.slow callback (@arg is the timeline):
 * record one interval.  Use with opts.duration_ns = 1 to get every interval.
 */
void timeline__kvm_interval(void *arg, const struct kvm_stat_slow *s);

/** timeline__nr_events - the number of intervals recorded so far. */
size_t timeline__nr_events(const struct timeline *tl);

/**
 * timeline__write - write the trace-event JSON to @path, naming intervals
 * through @kvm (kvm_stat__key_name()); @vm_name(pid) may give a VM's name
 * (NULL: "VM <pid>").  Returns 0 or a negative code with a detail.
 */
int timeline__write(const struct timeline *tl, const char *path, const struct kvm_stat *kvm,
		    const char *(*vm_name)(u32 pid, void *arg), void *vm_arg);

#endif
