/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-stat-ui.h - output of a kvm stat view: perf 6.1's stdio table (plus
 * kvmprof's percentile columns, histograms and per-VM / per-vCPU tables),
 * JSON and CSV with the same numbers.
 *
 * Everything is written to the FILE given; nothing here decides what to
 * print on stderr.
 */
#ifndef KP_UI_KVM_STAT_UI_H
#define KP_UI_KVM_STAT_UI_H

#include <stdio.h>

#include "analysis/kvm-stat.h"

struct kvm_stat_print_opts {
	const char *path; /* the input file, for JSON/CSV */
	const char *pid_str; /* -p as given, NULL for "all VMs" */
	bool histogram; /* stdio: log2 histogram per row */
	const struct kvm_stat *kvm; /* for VM names (COMM) */
};

/** kvm_stat__print_stdio - perf's table (and kvmprof's extras); returns 0 or -errno. */
int kvm_stat__print_stdio(FILE *fp, const struct kvm_stat_view *v,
			  const struct kvm_stat_print_opts *o);
/** kvm_stat__print_json - one JSON document; returns 0 or -errno. */
int kvm_stat__print_json(FILE *fp, const struct kvm_stat_view *v,
			 const struct kvm_stat_print_opts *o);
/** kvm_stat__print_csv - one header line and one line per row and table. */
int kvm_stat__print_csv(FILE *fp, const struct kvm_stat_view *v,
			const struct kvm_stat_print_opts *o);

#endif
