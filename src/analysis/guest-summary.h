/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest-summary.h - per-VM totals of one event's samples (report
 * --guest-summary): for each VMM pid, how many samples ran in its guest and
 * which share of all the event's samples (host ones and hidden ones
 * included) ran in guest kernel and guest user mode.
 *
 * A guest sample's pid is the host pid of the VMM thread that ran the vCPU
 * (perf attributes guest samples to machines by it), so the summary does
 * not depend on guest symbols or on --guestmount.  Rows are kept in a small
 * array sorted by pid, found by binary search: a host has a few VMs at most
 * a few thousand, and consecutive samples usually hit the last row.
 */
#ifndef KP_ANALYSIS_GUEST_SUMMARY_H
#define KP_ANALYSIS_GUEST_SUMMARY_H

#include "util/util.h"

struct guest_summary_row {
	s32 pid; /* the VMM's host pid */
	u64 nr_samples; /* guest samples of this VM */
	u64 period_guest_sys;
	u64 period_guest_us;
};

struct guest_summary {
	struct guest_summary_row *rows; /* sorted by pid */
	size_t nr, alloc;
	size_t last; /* the row the previous sample hit */
	u64 nr_samples; /* every sample of the event */
	u64 total_period; /* percent base: every sample of the event */
};

/** guest_summary__exit - free the rows (the struct may be zero-initialised). */
void guest_summary__exit(struct guest_summary *gs);

/**
 * guest_summary__add - account one sample of @period in @cpumode
 * (PERF_RECORD_MISC_*) with sample pid @pid; only guest modes make rows.
 */
void guest_summary__add(struct guest_summary *gs, s32 pid, u8 cpumode, u64 period);

/** guest_summary__percent - @period as a percentage of every sample's period. */
double guest_summary__percent(const struct guest_summary *gs, u64 period);

#endif
