// SPDX-License-Identifier: GPL-2.0
/*
 * guest-summary.c - report --guest-summary's comment block.
 */
#include <stdio.h>
#include <string.h>

#include "util/util.h"
#include "ui/stdio/guest-summary.h"

static const char *row_comm(const struct guest_summary_row *row,
			    const char *(*vmm_comm)(void *arg, s32 pid), void *arg)
{
	const char *comm = vmm_comm ? vmm_comm(arg, row->pid) : NULL;

	return comm ? comm : "[unknown]";
}

void guest_summary__fprintf(const struct guest_summary *gs, const char *evname,
			    const char *(*vmm_comm)(void *arg, s32 pid), void *arg, FILE *fp)
{
	int cw = (int)strlen("Command");

	fprintf(fp, "#\n# Guest summary of event '%s' (shares of all %llu samples):\n#\n",
		evname, (unsigned long long)gs->nr_samples);
	if (!gs->nr) {
		fputs("# no guest samples\n#\n", fp);
		return;
	}
	for (size_t i = 0; i < gs->nr; i++) {
		int len = (int)strlen(row_comm(&gs->rows[i], vmm_comm, arg));

		if (len > cw)
			cw = len;
	}
	fprintf(fp, "# %8s  %-*s  %8s  %12s  %10s\n", "VMM pid", cw, "Command", "Samples",
		"Guest kernel", "Guest user");
	for (size_t i = 0; i < gs->nr; i++) {
		const struct guest_summary_row *row = &gs->rows[i];

		fprintf(fp, "# %8d  %-*s  %8llu  %11.2f%%  %9.2f%%\n", row->pid, cw,
			row_comm(row, vmm_comm, arg), (unsigned long long)row->nr_samples,
			guest_summary__percent(gs, row->period_guest_sys),
			guest_summary__percent(gs, row->period_guest_us));
	}
	fputs("#\n", fp);
}
