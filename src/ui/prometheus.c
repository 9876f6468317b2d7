// SPDX-License-Identifier: GPL-2.0
/*
 * prometheus.c - the text exposition of kvm stat views (see prometheus.h).
 */
#include <string.h>

#include "ui/prometheus.h"
#include "util/util.h"

#define LE_FIRST 8
#define LE_LAST 34

struct family {
	const char *total, *duration, *what;
};

static const struct family families[] = {
	[KVM_REPORT_VMEXIT] = { "kvm_exits_total", "kvm_exit_duration_seconds", "VM exits" },
	[KVM_REPORT_MMIO] = { "kvm_mmio_total", "kvm_mmio_duration_seconds", "MMIO accesses" },
	[KVM_REPORT_IOPORT] = { "kvm_pio_total", "kvm_pio_duration_seconds", "port I/O accesses" },
	[KVM_REPORT_MSR] = { "kvm_msr_total", "kvm_msr_duration_seconds", "MSR accesses" },
};

static void add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			strbuf_addstr(sb, "\\\\");
		else if (*s == '"')
			strbuf_addstr(sb, "\\\"");
		else if (*s == '\n')
			strbuf_addstr(sb, "\\n");
		else
			strbuf_addch(sb, *s);
	}
}

/* the labels of one row of a per-vCPU table, without braces */
static void row_labels(struct strbuf *sb, const struct prometheus_input *in,
		       const struct kvm_stat_table *t, const struct kvm_stat_row *row)
{
	const char *comm = in->kvm ? kvm_stat__comm_of(in->kvm, (u32)t->pid) : NULL;
	const char *name = row->name ? row->name : "?";

	strbuf_addstr(sb, "vm=\"");
	add_escaped(sb, comm ? comm : "");
	strbuf_addf(sb, "\",vm_pid=\"%lld\",", (long long)t->pid);
	if (in->view->mode == KVM_STAT_MODE_ACCESS)
		strbuf_addf(sb, "vcpu_tid=\"%lld\",", (long long)t->vcpu);
	else
		strbuf_addf(sb, "vcpu=\"%lld\",", (long long)t->vcpu);
	switch (in->view->report) {
	case KVM_REPORT_VMEXIT:
		strbuf_addstr(sb, "reason=\"");
		add_escaped(sb, name);
		strbuf_addstr(sb, "\"");
		break;
	case KVM_REPORT_MMIO:
		strbuf_addf(sb, "gpa=\"%#llx\",dir=\"%s\"", (unsigned long long)row->key,
			    row->info == KVM_MMIO_WRITE ? "write" : "read");
		break;
	case KVM_REPORT_IOPORT:
		strbuf_addf(sb, "port=\"%#llx\",dir=\"%s\"", (unsigned long long)row->key,
			    row->info ? "out" : "in");
		break;
	case KVM_REPORT_MSR:
		strbuf_addf(sb, "msr=\"%#llx\",dir=\"%s\"", (unsigned long long)row->key,
			    row->info ? "write" : "read");
		break;
	}
}

static void render_one(struct strbuf *sb, const struct prometheus_input *in)
{
	const struct kvm_stat_view *v = in->view;
	const struct family *f = &families[v->report];
	struct strbuf labels = STRBUF_INIT;

	strbuf_addf(sb, "# HELP %s KVM %s per VM, vCPU and key (kvmprof stat live).\n", f->total,
		    f->what);
	strbuf_addf(sb, "# TYPE %s counter\n", f->total);
	for (u32 g = 0; g < v->nr_groups; g++) {
		const struct kvm_stat_table *t = v->groups[g];

		if (t->vcpu == -1)
			continue; /* the per-VM sums: Prometheus adds them up itself */
		for (u32 i = 0; i < t->nr_sorted; i++) {
			strbuf_reset(&labels);
			row_labels(&labels, in, t, t->sorted[i]);
			strbuf_addf(sb, "%s{%s} %llu\n", f->total, labels.buf,
				    (unsigned long long)t->sorted[i]->count);
		}
	}
	strbuf_addf(sb, "# HELP %s Time KVM spent on timed %s (log2 buckets).\n", f->duration,
		    f->what);
	strbuf_addf(sb, "# TYPE %s histogram\n", f->duration);
	for (u32 g = 0; g < v->nr_groups; g++) {
		const struct kvm_stat_table *t = v->groups[g];

		if (t->vcpu == -1)
			continue;
		for (u32 i = 0; i < t->nr_sorted; i++) {
			const struct kvm_stats *st = &t->sorted[i]->stats;
			u64 cum = 0;
			int b = 0;

			if (!st->n)
				continue;
			strbuf_reset(&labels);
			row_labels(&labels, in, t, t->sorted[i]);
			for (int k = LE_FIRST; k <= LE_LAST; k++) {
				/* le = 2^k - 1 ns holds the buckets below k */
				for (; b < k; b++)
					cum += st->hist[b];
				strbuf_addf(sb, "%s_bucket{%s,le=\"%.9g\"} %llu\n", f->duration,
					    labels.buf, (double)((1ULL << k) - 1) / 1e9,
					    (unsigned long long)cum);
			}
			strbuf_addf(sb, "%s_bucket{%s,le=\"+Inf\"} %llu\n", f->duration, labels.buf,
				    (unsigned long long)st->n);
			strbuf_addf(sb, "%s_sum{%s} %.9f\n", f->duration, labels.buf,
				    (double)st->time / 1e9);
			strbuf_addf(sb, "%s_count{%s} %llu\n", f->duration, labels.buf,
				    (unsigned long long)st->n);
		}
	}
	strbuf_release(&labels);
}

void prometheus__render(struct strbuf *sb, const struct prometheus_input *in, int nr,
			const struct prometheus_extra *extra)
{
	for (int i = 0; i < nr; i++)
		render_one(sb, &in[i]);
	strbuf_addstr(sb, "# HELP kvmprof_tracepoint_events_total KVM tracepoint events seen.\n"
			  "# TYPE kvmprof_tracepoint_events_total counter\n");
	for (int k = KVM_TP_ENTRY; k <= KVM_TP_USERSPACE_EXIT; k++)
		strbuf_addf(sb, "kvmprof_tracepoint_events_total{tracepoint=\"%s\"} %llu\n",
			    kvm_tp_kind__name(k), (unsigned long long)extra->nr_tp[k]);
	strbuf_addf(sb, "# HELP kvmprof_lost_events_total Events lost before analysis.\n"
			"# TYPE kvmprof_lost_events_total counter\n"
			"kvmprof_lost_events_total %llu\n",
		    (unsigned long long)extra->lost);
	strbuf_addf(sb, "# HELP kvmprof_stat_bpf 1 if aggregated in the kernel (BPF), 0 if "
			"streamed.\n# TYPE kvmprof_stat_bpf gauge\nkvmprof_stat_bpf %d\n",
		    extra->bpf ? 1 : 0);
}
