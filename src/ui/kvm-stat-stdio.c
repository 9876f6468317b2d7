// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-stat-stdio.c - perf 6.1's "perf kvm stat report" table.
 *
 * Layout (widths from perf 6.1): name column 20 wide (kvmprof widens it
 * when a name is longer instead of truncating it to 19 characters as perf
 * 6.1 does), then Samples, Samples%, Time%, Min/Max Time and Avg time with
 * the relative stddev of the mean.  kvmprof adds p50/p99/p99.9 columns with
 * --percentiles and a log2 histogram per row with the histogram option.
 */
#include <errno.h>
#include <string.h>

#include "ui/kvm-stat-ui.h"
#include "util/util.h"

#define PERF61_NAME_WIDTH 20

static int name_width(const struct kvm_stat_table *t)
{
	int w = PERF61_NAME_WIDTH;

	for (u32 i = 0; i < t->nr_sorted; i++) {
		int len = (int)strlen(t->sorted[i]->name) + 1;

		if (len > w)
			w = len;
	}
	return w;
}

static void print_time_us(FILE *fp, bool have, double ns, const char *fmt_tail)
{
	if (have)
		fprintf(fp, "%9.2fus%s", ns / 1e3, fmt_tail);
	else
		fprintf(fp, "%9s  %s", "-", fmt_tail);
}

static void print_hist(FILE *fp, const struct kvm_stat_row *row, int width)
{
	const struct kvm_stats *st = &row->stats;
	u64 peak = 0;
	int lo = -1, hi = -1;

	for (int b = 0; b < KVM_STAT_HIST_BUCKETS; b++) {
		if (!st->hist[b])
			continue;
		if (lo < 0)
			lo = b;
		hi = b;
		if (st->hist[b] > peak)
			peak = st->hist[b];
	}
	if (lo < 0)
		return;
	fprintf(fp, "%*s  latency histogram (ns, log2 buckets):\n", width, row->name);
	for (int b = lo; b <= hi; b++) {
		u64 from = b ? 1ULL << b : 0, to = (b < 63 ? 1ULL << (b + 1) : UINT64_MAX);
		int bar = (int)(st->hist[b] * 40 / peak);

		fprintf(fp, "%*s  [%12llu, %12llu) %10llu |", width, "", (unsigned long long)from,
			(unsigned long long)to, (unsigned long long)st->hist[b]);
		for (int i = 0; i < bar; i++)
			fputc('#', fp);
		fputs("\n", fp);
	}
}

static void print_table(FILE *fp, const struct kvm_stat_view *v, const struct kvm_stat_table *t,
			const char *who, const struct kvm_stat_print_opts *o)
{
	bool access = v->mode == KVM_STAT_MODE_ACCESS;
	int w = name_width(t);

	fputs("\n\n", fp);
	fprintf(fp, "Analyze events for %s, ", who);
	if (t->vcpu != -1 && access)
		fprintf(fp, "thread %lld:\n\n", (long long)t->vcpu);
	else if (t->vcpu != -1)
		fprintf(fp, "VCPU %lld:\n\n", (long long)t->vcpu);
	else if (v->vcpu == -1)
		fputs("all VCPUs:\n\n", fp);
	else
		fprintf(fp, "VCPU %d:\n\n", v->vcpu);

	fprintf(fp, "%*s ", w, v->title);
	fprintf(fp, "%10s ", "Samples");
	if (access)
		fprintf(fp, "%10s ", "Timed");
	fprintf(fp, "%9s ", "Samples%");
	fprintf(fp, "%9s ", "Time%");
	fprintf(fp, "%11s ", "Min Time");
	fprintf(fp, "%11s ", "Max Time");
	fprintf(fp, "%16s ", "Avg time");
	if (v->percentiles)
		fprintf(fp, "%20s %11s %11s ", "p50", "p99", "p99.9");
	fputs("\n\n", fp);

	for (u32 i = 0; i < t->nr_sorted; i++) {
		struct kvm_stat_row *row = t->sorted[i];
		struct kvm_stats *st = &row->stats;
		bool timed = st->n > 0;

		fprintf(fp, "%*s ", w, row->name);
		fprintf(fp, "%10llu ", (unsigned long long)row->count);
		if (access)
			fprintf(fp, "%10llu ", (unsigned long long)st->n);
		fprintf(fp, "%8.2f%% ", (double)row->count / t->total_count * 100);
		if (access && !t->total_time)
			fprintf(fp, "%8s  ", "-");
		else
			fprintf(fp, "%8.2f%% ", (double)st->time / t->total_time * 100);
		print_time_us(fp, timed, (double)st->min, " ");
		print_time_us(fp, timed, (double)st->max, " ");
		if (timed)
			fprintf(fp, "%9.2fus ( +-%7.2f%% )", (double)st->time / st->n / 1e3,
				kvm_stats__stddev_pct(st));
		else
			fprintf(fp, "%9s  ( +-%7s  )", "-", "-");
		if (v->percentiles) {
			fputs(" ", fp);
			print_time_us(fp, timed, (double)kvm_stats__percentile(st, 50), " ");
			print_time_us(fp, timed, (double)kvm_stats__percentile(st, 99), " ");
			print_time_us(fp, timed, (double)kvm_stats__percentile(st, 99.9), "");
		}
		fputs("\n", fp);
	}
	fprintf(fp, "\nTotal Samples:%llu, Total events handled time:%.2fus.\n\n",
		(unsigned long long)t->total_count, t->total_time / 1e3);
	if (o->histogram) {
		for (u32 i = 0; i < t->nr_sorted; i++)
			print_hist(fp, t->sorted[i], w);
		if (t->nr_sorted)
			fputs("\n", fp);
	}
}

int kvm_stat__print_stdio(FILE *fp, const struct kvm_stat_view *v,
			  const struct kvm_stat_print_opts *o)
{
	struct strbuf who = STRBUF_INIT;

	if (o->pid_str)
		strbuf_addf(&who, "pid(s) %s", o->pid_str);
	else
		strbuf_addstr(&who, "all VMs");
	print_table(fp, v, v->all, who.buf, o);
	for (u32 g = 0; g < v->nr_groups; g++) {
		const struct kvm_stat_table *t = v->groups[g];
		const char *comm = o->kvm ? kvm_stat__comm_of(o->kvm, (u32)t->pid) : NULL;

		strbuf_reset(&who);
		strbuf_addf(&who, "VM pid %lld", (long long)t->pid);
		if (comm)
			strbuf_addf(&who, " (%s)", comm);
		print_table(fp, v, t, who.buf, o);
	}
	strbuf_release(&who);
	return ferror(fp) ? -EIO : 0;
}
