// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-stat-json.c - kvm stat results as JSON and CSV.  The numbers are those
 * of the stdio table: counts, times in ns, percentages and the relative
 * stddev rounded to 2 decimals, percentiles by nearest rank.
 */
#include <errno.h>
#include <string.h>

#include "ui/kvm-stat-ui.h"
#include "util/util.h"

static void json_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static const char *mode_name(const struct kvm_stat_view *v)
{
	return v->mode == KVM_STAT_MODE_ACCESS ? "access" : "paired";
}

static const char *report_name(const struct kvm_stat_view *v)
{
	static const char *const names[] = { "vmexit", "mmio", "ioport", "msr" };

	return names[v->report];
}

static double pct(u64 a, u64 b)
{
	return b ? (double)a / (double)b * 100.0 : 0.0;
}

static void json_row(FILE *fp, const struct kvm_stat_view *v, const struct kvm_stat_table *t,
		     struct kvm_stat_row *row)
{
	struct kvm_stats *st = &row->stats;
	int b, lo = -1, hi = -1;

	fputs("{\"name\":", fp);
	json_str(fp, row->name);
	fprintf(fp, ",\"key\":%llu,\"info\":%d,\"known\":%s,\"samples\":%llu,\"timed\":%llu",
		(unsigned long long)row->key, row->info, row->known ? "true" : "false",
		(unsigned long long)row->count, (unsigned long long)st->n);
	fprintf(fp, ",\"samples_pct\":%.2f,\"time_pct\":%.2f,\"total_ns\":%llu",
		pct(row->count, t->total_count), pct(st->time, t->total_time),
		(unsigned long long)st->time);
	if (st->n)
		fprintf(fp, ",\"min_ns\":%llu,\"max_ns\":%llu,\"avg_ns\":%.2f,\"stddev_pct\":%.2f",
			(unsigned long long)st->min, (unsigned long long)st->max,
			(double)st->time / st->n, kvm_stats__stddev_pct(st));
	else
		fputs(",\"min_ns\":null,\"max_ns\":null,\"avg_ns\":null,\"stddev_pct\":null", fp);
	if (v->percentiles && st->n)
		fprintf(fp, ",\"p50_ns\":%llu,\"p99_ns\":%llu,\"p999_ns\":%llu",
			(unsigned long long)kvm_stats__percentile(st, 50),
			(unsigned long long)kvm_stats__percentile(st, 99),
			(unsigned long long)kvm_stats__percentile(st, 99.9));
	fputs(",\"hist_log2_ns\":[", fp);
	for (b = 0; b < KVM_STAT_HIST_BUCKETS; b++) {
		if (!st->hist[b])
			continue;
		if (lo < 0)
			lo = b;
		hi = b;
	}
	for (b = lo; lo >= 0 && b <= hi; b++)
		fprintf(fp, "%s{\"from\":%llu,\"count\":%llu}", b == lo ? "" : ",",
			b ? 1ULL << b : 0ULL, (unsigned long long)st->hist[b]);
	fputs("]}", fp);
}

static void json_table(FILE *fp, const struct kvm_stat_view *v, const struct kvm_stat_table *t,
		       const struct kvm_stat_print_opts *o)
{
	fprintf(fp, "{\"pid\":%lld,\"vcpu\":%lld", (long long)t->pid, (long long)t->vcpu);
	if (t->pid >= 0 && o->kvm && kvm_stat__comm_of(o->kvm, (u32)t->pid)) {
		fputs(",\"comm\":", fp);
		json_str(fp, kvm_stat__comm_of(o->kvm, (u32)t->pid));
	}
	fprintf(fp, ",\"total_samples\":%llu,\"total_time_ns\":%llu,\"rows\":[",
		(unsigned long long)t->total_count, (unsigned long long)t->total_time);
	for (u32 i = 0; i < t->nr_sorted; i++) {
		if (i)
			fputc(',', fp);
		json_row(fp, v, t, t->sorted[i]);
	}
	fputs("]}", fp);
}

int kvm_stat__print_json(FILE *fp, const struct kvm_stat_view *v,
			 const struct kvm_stat_print_opts *o)
{
	bool first = true;

	fputs("{\"file\":", fp);
	json_str(fp, o->path);
	fprintf(fp, ",\"event\":\"%s\",\"title\":", report_name(v));
	json_str(fp, v->title);
	fprintf(fp, ",\"mode\":\"%s\",\"vcpu\":%d,\"pids\":", mode_name(v), v->vcpu);
	if (o->pid_str)
		json_str(fp, o->pid_str);
	else
		fputs("null", fp);
	fputs(",\"isa\":", fp);
	if (v->reasons)
		json_str(fp, v->reasons->isa);
	else
		fputs("null", fp);
	fputs(",\"tracepoint_samples\":{", fp);
	for (int k = KVM_TP_ENTRY; k < KVM_TP_NR; k++) {
		fprintf(fp, "%s", k == KVM_TP_ENTRY ? "" : ",");
		json_str(fp, kvm_tp_kind__name(k));
		fprintf(fp, ":%llu", (unsigned long long)v->nr_tp[k]);
	}
	fputs("},\"all\":", fp);
	json_table(fp, v, v->all, o);
	fputs(",\"vms\":[", fp);
	for (u32 g = 0; g < v->nr_groups; g++) {
		if (v->groups[g]->vcpu != -1)
			continue;
		fputs(first ? "" : ",", fp);
		first = false;
		json_table(fp, v, v->groups[g], o);
	}
	fputs("],\"vcpus\":[", fp);
	first = true;
	for (u32 g = 0; g < v->nr_groups; g++) {
		if (v->groups[g]->vcpu == -1)
			continue;
		fputs(first ? "" : ",", fp);
		first = false;
		json_table(fp, v, v->groups[g], o);
	}
	fputs("]}\n", fp);
	return ferror(fp) ? -EIO : 0;
}

static void csv_field(FILE *fp, const char *s)
{
	/* RFC 4180: quote when needed, double the quotes */
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void csv_table(FILE *fp, const struct kvm_stat_view *v, const struct kvm_stat_table *t,
		      const char *scope)
{
	for (u32 i = 0; i < t->nr_sorted; i++) {
		struct kvm_stat_row *row = t->sorted[i];
		struct kvm_stats *st = &row->stats;

		fprintf(fp, "%s,%lld,%lld,", scope, (long long)t->pid, (long long)t->vcpu);
		csv_field(fp, row->name);
		fprintf(fp, ",%llu,%llu,%.2f,%.2f,%llu", (unsigned long long)row->count,
			(unsigned long long)st->n, pct(row->count, t->total_count),
			pct(st->time, t->total_time), (unsigned long long)st->time);
		if (st->n)
			fprintf(fp, ",%llu,%llu,%.2f,%.2f", (unsigned long long)st->min,
				(unsigned long long)st->max, (double)st->time / st->n,
				kvm_stats__stddev_pct(st));
		else
			fputs(",,,,", fp);
		if (v->percentiles) {
			if (st->n)
				fprintf(fp, ",%llu,%llu,%llu",
					(unsigned long long)kvm_stats__percentile(st, 50),
					(unsigned long long)kvm_stats__percentile(st, 99),
					(unsigned long long)kvm_stats__percentile(st, 99.9));
			else
				fputs(",,,", fp);
		}
		fputc('\n', fp);
	}
}

int kvm_stat__print_csv(FILE *fp, const struct kvm_stat_view *v,
			const struct kvm_stat_print_opts *o)
{
	fputs("scope,pid,vcpu,name,samples,timed,samples_pct,time_pct,total_ns,min_ns,max_ns,"
	      "avg_ns,stddev_pct",
	      fp);
	if (v->percentiles)
		fputs(",p50_ns,p99_ns,p999_ns", fp);
	fputc('\n', fp);
	csv_table(fp, v, v->all, "all");
	for (u32 g = 0; g < v->nr_groups; g++)
		csv_table(fp, v, v->groups[g], v->groups[g]->vcpu == -1 ? "vm" : "vcpu");
	return ferror(fp) ? -EIO : 0;
}
