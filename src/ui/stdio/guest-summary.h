/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest-summary.h - report --guest-summary's comment block: one line per VM
 * (VMM pid, VMM command, guest samples, guest kernel and guest user shares
 * of all the event's samples), every line starting with '#':
 *
 *   #
 *   # Guest summary of event 'cpu-clock' (shares of all 6264 samples):
 *   #
 *   #  VMM pid  Command          Samples  Guest kernel  Guest user
 *   #    15930  kvmprof-demo-gu     6212         0.00%      99.17%
 *   #
 */
#ifndef KP_UI_STDIO_GUEST_SUMMARY_H
#define KP_UI_STDIO_GUEST_SUMMARY_H

#include <stdio.h>

#include "analysis/guest-summary.h"

/**
 * guest_summary__fprintf - print @gs for event @evname; @vmm_comm(@arg, pid)
 * names a VMM (NULL: unknown, printed as "[unknown]").
 */
void guest_summary__fprintf(const struct guest_summary *gs, const char *evname,
			    const char *(*vmm_comm)(void *arg, s32 pid), void *arg, FILE *fp);

#endif
