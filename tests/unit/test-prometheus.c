// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition of kvm stat views (ui/prometheus.h), exactly,
 * for a small fixed dataset: an access-mode PIO report (vcpu_tid labels, a
 * timed row with its log2 histogram and a count-only row, a VM name that needs
 * escaping) and a paired MMIO report (vcpu labels, no timed row), then the
 * tracepoint, lost-event and mode families.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "analysis/kvm-stat.h"
#include "ui/prometheus.h"
#include "util/util.h"

/* the labels of the timed PIO row; its VM name needs \\, \" and \n escaped */
#define PIO_L "vm=\"vm \\\"a\\\\b\\\"\\n\",vm_pid=\"100\",vcpu_tid=\"101\",port=\"0x3f8\",dir=\"out\""

/* checked by hand: le = (2^k - 1) ns for k = 8..34, cumulative counts of 800, 1000, 1200 ns */
static const char expected[] =
	"# HELP kvm_pio_total KVM port I/O accesses per VM, vCPU and key (kvmprof stat live).\n"
	"# TYPE kvm_pio_total counter\n"
	"kvm_pio_total{" PIO_L "} 3\n"
	"kvm_pio_total{vm=\"vm \\\"a\\\\b\\\"\\n\",vm_pid=\"100\",vcpu_tid=\"101\",port=\"0x70\",dir=\"in\"} 2\n"
	"# HELP kvm_pio_duration_seconds Time KVM spent on timed port I/O accesses (log2 buckets).\n"
	"# TYPE kvm_pio_duration_seconds histogram\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"2.55e-07\"} 0\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"5.11e-07\"} 0\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"1.023e-06\"} 2\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"2.047e-06\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"4.095e-06\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"8.191e-06\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"1.6383e-05\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"3.2767e-05\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"6.5535e-05\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.000131071\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.000262143\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.000524287\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.001048575\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.002097151\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.004194303\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.008388607\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.016777215\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.033554431\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.067108863\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.134217727\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.268435455\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"0.536870911\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"1.07374182\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"2.14748365\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"4.2949673\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"8.58993459\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"17.1798692\"} 3\n"
	"kvm_pio_duration_seconds_bucket{" PIO_L ",le=\"+Inf\"} 3\n"
	"kvm_pio_duration_seconds_sum{" PIO_L "} 0.000003000\n"
	"kvm_pio_duration_seconds_count{" PIO_L "} 3\n"
	"# HELP kvm_mmio_total KVM MMIO accesses per VM, vCPU and key (kvmprof stat live).\n"
	"# TYPE kvm_mmio_total counter\n"
	"kvm_mmio_total{vm=\"\",vm_pid=\"200\",vcpu=\"1\",gpa=\"0x10000000\",dir=\"write\"} 4\n"
	"# HELP kvm_mmio_duration_seconds Time KVM spent on timed MMIO accesses (log2 buckets).\n"
	"# TYPE kvm_mmio_duration_seconds histogram\n"
	"# HELP kvmprof_tracepoint_events_total KVM tracepoint events seen.\n"
	"# TYPE kvmprof_tracepoint_events_total counter\n"
	"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_entry\"} 0\n"
	"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_exit\"} 0\n"
	"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_mmio\"} 0\n"
	"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_pio\"} 5\n"
	"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_msr\"} 0\n"
	"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_userspace_exit\"} 3\n"
	"# HELP kvmprof_lost_events_total Events lost before analysis.\n"
	"# TYPE kvmprof_lost_events_total counter\n"
	"kvmprof_lost_events_total 5\n"
	"# HELP kvmprof_stat_bpf 1 if aggregated in the kernel (BPF), 0 if streamed.\n"
	"# TYPE kvmprof_stat_bpf gauge\n"
	"kvmprof_stat_bpf 1\n";

static void test_render_exact(void **state)
{
	struct kvm_stat_opts pio_opts = { .report = KVM_REPORT_IOPORT, .sort = KVM_SORT_SAMPLE,
					  .vcpu = -1, .per_vm = true, .per_vcpu = true };
	struct kvm_stat_opts mmio_opts = { .report = KVM_REPORT_MMIO, .sort = KVM_SORT_SAMPLE,
					   .vcpu = -1, .per_vm = true, .per_vcpu = true };
	struct kvm_stat *pio = kvm_stat__new(&pio_opts), *mmio = kvm_stat__new(&mmio_opts);
	u64 hist[KVM_STAT_HIST_BUCKETS] = { 0 };
	/* three timed port writes of 800, 1000 and 1200 ns */
	struct kvm_stat_agg timed = { .access = true, .pid = 100, .tid = 101, .key = 0x3f8,
				      .info = 1, .count = 3, .n = 3, .time = 3000, .min = 800,
				      .max = 1200, .sumsq = 3080000.0, .hist = hist };
	struct kvm_stat_agg untimed = { .access = true, .pid = 100, .tid = 101, .key = 0x70,
					.info = 0, .count = 2 };
	struct kvm_stat_agg write = { .pid = 200, .tid = 201, .vcpu = 1, .key = 0x10000000,
				      .info = KVM_MMIO_WRITE, .count = 4 };
	struct prometheus_input in[2];
	struct prometheus_extra ex = { .lost = 5, .bpf = true };
	struct strbuf sb = STRBUF_INIT;

	hist[9] = 2; /* [512, 1024) ns */
	hist[10] = 1; /* [1024, 2048) ns */
	kvm_stat__add(pio, &timed);
	kvm_stat__add(pio, &untimed);
	kvm_stat__add_tp(pio, KVM_TP_PIO, 5);
	kvm_stat__add_tp(pio, KVM_TP_USERSPACE_EXIT, 3);
	kvm_stat__comm(pio, 100, "vm \"a\\b\"\n");
	kvm_stat__add_tp(mmio, KVM_TP_ENTRY, 1); /* perf's pairing model: vcpu labels */
	kvm_stat__add(mmio, &write);
	in[0].view = kvm_stat__view(pio);
	in[0].kvm = pio;
	in[1].view = kvm_stat__view(mmio);
	in[1].kvm = mmio;
	assert_int_equal(in[0].view->mode, KVM_STAT_MODE_ACCESS);
	assert_int_equal(in[1].view->mode, KVM_STAT_MODE_PAIRED);
	memcpy(ex.nr_tp, in[0].view->nr_tp, sizeof(ex.nr_tp));
	prometheus__render(&sb, in, 2, &ex);
	if (strcmp(sb.buf, expected))
		fprintf(stderr, "got:\n%s", sb.buf);
	assert_string_equal(sb.buf, expected);
	strbuf_release(&sb);
	kvm_stat__delete(pio);
	kvm_stat__delete(mmio);
}

static void test_render_empty(void **state)
{
	struct kvm_stat_opts o = { .report = KVM_REPORT_MSR, .sort = KVM_SORT_SAMPLE, .vcpu = -1,
				   .per_vm = true, .per_vcpu = true };
	struct kvm_stat *msr = kvm_stat__new(&o);
	struct prometheus_input in = { .view = kvm_stat__view(msr), .kvm = msr };
	struct prometheus_extra ex = { .lost = 0, .bpf = false };
	struct strbuf sb = STRBUF_INIT;

	/* before any event: the families are declared, every counter is 0 */
	prometheus__render(&sb, &in, 1, &ex);
	assert_string_equal(sb.buf,
		"# HELP kvm_msr_total KVM MSR accesses per VM, vCPU and key (kvmprof stat live).\n"
		"# TYPE kvm_msr_total counter\n"
		"# HELP kvm_msr_duration_seconds Time KVM spent on timed MSR accesses (log2 buckets).\n"
		"# TYPE kvm_msr_duration_seconds histogram\n"
		"# HELP kvmprof_tracepoint_events_total KVM tracepoint events seen.\n"
		"# TYPE kvmprof_tracepoint_events_total counter\n"
		"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_entry\"} 0\n"
		"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_exit\"} 0\n"
		"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_mmio\"} 0\n"
		"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_pio\"} 0\n"
		"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_msr\"} 0\n"
		"kvmprof_tracepoint_events_total{tracepoint=\"kvm:kvm_userspace_exit\"} 0\n"
		"# HELP kvmprof_lost_events_total Events lost before analysis.\n"
		"# TYPE kvmprof_lost_events_total counter\n"
		"kvmprof_lost_events_total 0\n"
		"# HELP kvmprof_stat_bpf 1 if aggregated in the kernel (BPF), 0 if streamed.\n"
		"# TYPE kvmprof_stat_bpf gauge\n"
		"kvmprof_stat_bpf 0\n");
	strbuf_release(&sb);
	kvm_stat__delete(msr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_exact),
		cmocka_unit_test(test_render_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
