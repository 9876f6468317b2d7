// SPDX-License-Identifier: GPL-2.0
/*
 * guest-summary.c - per-VM sample totals.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>

#include "util/util.h"
#include "analysis/guest-summary.h"

void guest_summary__exit(struct guest_summary *gs)
{
	free(gs->rows);
	memset(gs, 0, sizeof(*gs));
}

static struct guest_summary_row *guest_summary__findnew(struct guest_summary *gs, s32 pid)
{
	size_t lo = 0, hi = gs->nr;

	if (gs->last < gs->nr && gs->rows[gs->last].pid == pid)
		return &gs->rows[gs->last];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gs->rows[mid].pid == pid) {
			gs->last = mid;
			return &gs->rows[mid];
		}
		if (gs->rows[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	ALLOC_GROW(gs->rows, gs->nr + 1, gs->alloc);
	memmove(&gs->rows[lo + 1], &gs->rows[lo], (gs->nr - lo) * sizeof(*gs->rows));
	gs->rows[lo] = (struct guest_summary_row){ .pid = pid };
	gs->nr++;
	gs->last = lo;
	return &gs->rows[lo];
}

void guest_summary__add(struct guest_summary *gs, s32 pid, u8 cpumode, u64 period)
{
	struct guest_summary_row *row;

	gs->nr_samples++;
	gs->total_period += period;
	if (cpumode != PERF_RECORD_MISC_GUEST_KERNEL && cpumode != PERF_RECORD_MISC_GUEST_USER)
		return;
	row = guest_summary__findnew(gs, pid);
	row->nr_samples++;
	if (cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		row->period_guest_sys += period;
	else
		row->period_guest_us += period;
}

double guest_summary__percent(const struct guest_summary *gs, u64 period)
{
	if (!gs->total_period)
		return 0.0;
	return 100.0 * (double)period / (double)gs->total_period;
}
