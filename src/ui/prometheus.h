/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prometheus.h - kvm stat numbers in the Prometheus text exposition format
 * 0.0.4, and the /metrics HTTP endpoint (libmicrohttpd) that serves them.
 *
 * Families (labels: vm = the VM's command name, vm_pid, and vcpu - or, in the
 * access mode of hosts without kvm_exit/kvm_entry, vcpu_tid, the vCPU thread):
 *
 *   kvm_exits_total{..., reason}            counter   (--event vmexit)
 *   kvm_exit_duration_seconds{..., reason}  histogram
 *   kvm_mmio_total{..., gpa, dir}           counter   dir = read | write
 *   kvm_mmio_duration_seconds{...}          histogram
 *   kvm_pio_total{..., port, dir}           counter   dir = in | out
 *   kvm_pio_duration_seconds{...}           histogram
 *   kvm_msr_total{..., msr, dir}            counter   dir = read | write
 *   kvm_msr_duration_seconds{...}           histogram
 *   kvmprof_tracepoint_events_total{tracepoint}  counter
 *   kvmprof_lost_events_total                counter
 *   kvmprof_stat_bpf                          gauge: 1 in-kernel aggregation, 0 streaming
 *
 * Histogram buckets come from the log2 histograms: bucket b holds durations
 * in [2^b, 2^(b+1)) ns, so the bound le = (2^k - 1) ns is exact for integer
 * nanoseconds; k runs from 8 (255 ns) to 34 (17.2 s), then +Inf.
 *
 * The server runs in libmicrohttpd's own thread and serves the last text
 * handed to prometheus_server__publish() (copied under a mutex), so the
 * analysis is never touched from that thread.
 */
#ifndef KP_UI_PROMETHEUS_H
#define KP_UI_PROMETHEUS_H

#include "analysis/kvm-stat.h"
#include "util/strbuf.h"

struct prometheus_server;

struct prometheus_input {
	const struct kvm_stat_view *view; /* with per-vCPU groups (opts.per_vcpu) */
	const struct kvm_stat *kvm; /* for VM names */
};

struct prometheus_extra {
	u64 nr_tp[KVM_TP_NR]; /* tracepoint events since start */
	u64 lost;
	bool bpf;
};

/**
 * prometheus__render - append the exposition text of @nr reports (at most one
 * per report kind) and @extra to @sb.
 */
void prometheus__render(struct strbuf *sb, const struct prometheus_input *in, int nr,
			const struct prometheus_extra *extra);

/**
 * prometheus_server__start - listen on @addr ("ADDR:PORT", "[ADDR6]:PORT",
 * ":PORT" or "PORT"; the address defaults to 127.0.0.1) and serve /metrics.
 * Returns 0, KP_ERR_USAGE for a malformed address, -EADDRINUSE when the port
 * is taken, KP_ERR_UNSUPPORTED when built without libmicrohttpd or when
 * libmicrohttpd.so.12 cannot be dlopen()ed, with a detail.
 */
int prometheus_server__start(struct prometheus_server **out, const char *addr);

/** prometheus_server__publish - serve @text (copied) from now on. */
void prometheus_server__publish(struct prometheus_server *srv, const char *text, size_t len);

/** prometheus_server__port - the port actually bound (useful with port 0). */
int prometheus_server__port(const struct prometheus_server *srv);

/** prometheus_server__stop - stop serving and free; NULL is fine. */
void prometheus_server__stop(struct prometheus_server *srv);

#endif
