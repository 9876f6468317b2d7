// SPDX-License-Identifier: GPL-2.0
/*
 * stat-live.c - `kvmprof stat live` (perf kvm stat live): the kvm stat tables
 * of the last interval, refreshed every -d seconds, and on exit the totals
 * since start.
 *
 * Two back ends feed the same analysis (analysis/kvm-stat.h) and tables
 * (ui/kvm-stat-ui.h):
 *  - BPF (collect/bpf/kvm-stat-bpf.h, the default where it loads): the
 *    pairing runs in the kernel and the rows are read from its maps at each
 *    refresh (deltas of the cumulative rows go into the interval's kvm_stat
 *    through kvm_stat__add());
 *  - streaming (--no-bpf, or when BPF is unavailable): the KVM tracepoints are
 *    opened per CPU through collect/target.h with CLOCK_MONOTONIC timestamps
 *    (the clock of bpf_ktime_get_ns(), so both modes time alike), drained from
 *    the rings (records copied out before the space is consumed) into a time
 *    ordered queue (analysis/kvm-stat-live.h) and fed to kvm_stat__event().
 * One poll() loop waits on the rings, a timerfd, a signalfd (SIGINT, SIGTERM)
 * and the terminal (q quits).  At each refresh the interval's kvm_stat is
 * shown, merged into the cumulative one (which --prometheus serves) and reset.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "analysis/kvm-stat-live.h"
#include "analysis/kvm-stat.h"
#include "cmd/builtin.h"
#include "cmd/cmd-util.h"
#include "collect/bpf/kvm-stat-bpf.h"
#include "collect/events.h"
#include "collect/evopen.h"
#include "collect/ring.h"
#include "collect/target.h"
#include "data/evsel.h"
#include "data/reader.h"
#include "data/tracing-data.h"
#include "data/writer.h"
#include "ui/kvm-stat-ui.h"
#include "ui/prometheus.h"
#include "util/hash.h"

_Static_assert(KSB_TP_ENTRY == KVM_TP_ENTRY && KSB_TP_EXIT == KVM_TP_EXIT &&
		       KSB_TP_MMIO == KVM_TP_MMIO && KSB_TP_PIO == KVM_TP_PIO &&
		       KSB_TP_MSR == KVM_TP_MSR && KSB_TP_USERSPACE_EXIT == KVM_TP_USERSPACE_EXIT &&
		       KSB_TP_NR >= KVM_TP_NR,
	       "BPF tracepoint kinds must match enum kvm_tp_kind");
_Static_assert(KSB_REPORT_VMEXIT == KVM_REPORT_VMEXIT && KSB_REPORT_MMIO == KVM_REPORT_MMIO &&
		       KSB_REPORT_IOPORT == KVM_REPORT_IOPORT && KSB_REPORT_MSR == KVM_REPORT_MSR,
	       "BPF reports must match enum kvm_stat_report");
_Static_assert(KSB_HIST_BUCKETS == KVM_STAT_HIST_BUCKETS, "histogram sizes differ");

static const char *const live_usage[] = {
	"kvmprof stat live [-d SEC] [-m PAGES] [-a | -p PID,...] [--vcpu N]",
	"                  [--event=vmexit|mmio|ioport|msr[,...]|all] [-k KEY] [--duration USEC]",
	"                  [--bpf | --no-bpf] [--prometheus [ADDR:]PORT] [--stdio] [-n N]",
	"                  [--per-vm] [--per-vcpu] [--percentiles] [--proc-map-timeout MS]",
	"                  [[--] COMMAND...]",
	NULL,
};

static const char *const live_tps[] = {
	"kvm:kvm_entry", "kvm:kvm_exit", "kvm:kvm_mmio", "kvm:kvm_pio", "kvm:kvm_msr",
	"kvm:kvm_userspace_exit",
};
#define NR_TPS ARRAY_SIZE(live_tps)

#define LIVE_SAMPLE_TYPE (PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_RAW)
/* events older than the last read minus this are surely in their rings */
#define ORDER_SLACK_NS 10000000ULL

struct live_rep {
	enum kvm_stat_report report;
	struct kvm_stat *ival; /* the current interval */
	struct kvm_stat *cum; /* since start */
};

struct prev_ent {
	struct ksb_key key;
	struct ksb_val val;
	bool used;
};

struct live {
	/* options */
	double display;
	unsigned int pages;
	const char *pid_str;
	u32 *pids;
	int nr_pids;
	int vcpu;
	u32 report_mask;
	enum kvm_stat_sort sort;
	u64 duration_ns;
	int bpf_opt; /* -1 auto, 0 --no-bpf, 1 --bpf */
	const char *prom_addr;
	bool stdio, per_vm, per_vcpu, percentiles;
	long iterations;
	char **workload; /* run this and watch only it, until it exits */
	pid_t child;
	int go_pipe, child_status;
	bool child_done;
	/* analysis */
	struct live_rep reps[KSB_NR_REPORTS];
	int nr_reps;
	const struct exit_reason_table *reasons;
	u64 lost_ival, lost_total;
	/* BPF */
	struct kvm_stat_bpf *bpf;
	struct prev_ent *prev;
	size_t prev_size, prev_nr;
	u64 prev_tp[KSB_TP_NR];
	u64 prev_dropped;
	/* streaming */
	struct tep_handle *tep;
	struct evlist evlist; /* the KVM events, for kvm_stat__setup_evlist */
	struct evlist drain_list; /* every record parses alike: one event for the drain */
	struct kp_target target; /* CPUs, fds and rings */
	struct perf_tool tool;
	struct kvm_stat_queue queue;
	int err;
	/* ui */
	bool screen; /* refresh in place on a terminal */
	bool tio_saved;
	struct termios tio;
	struct prometheus_server *prom;
	struct timespec t0;
	long ticks;
};

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

static void live_help(FILE *fp)
{
	kp_print_usage(fp, live_usage);
	fputs("\nLive KVM event statistics (perf kvm stat live): the table of the last interval\n"
	      "every -d seconds, the totals since start on exit (q, Ctrl-C, SIGTERM, -n).\n\n"
	      "    -d, --display SEC      refresh interval (default 1)\n"
	      "    -m, --mmap-pages N     ring pages per CPU when streaming (default 512)\n"
	      "    -a, --all-cpus         every VM (the default)\n"
	      "    -p, --pid PID,...      only these VMs\n"
	      "        --vcpu N           only vCPU N\n"
	      "        --event LIST       vmexit (default), mmio, ioport, msr, comma-separated, or all\n"
	      "    -k, --key KEY          sample, time, total, max, min, mean, ev_name\n"
	      "        --duration USEC    print every interval longer than USEC (not HLT)\n"
	      "        --bpf, --no-bpf    aggregate in the kernel (default where it works) or stream\n"
	      "        --prometheus ADDR:PORT  serve /metrics (address default 127.0.0.1)\n"
	      "        --stdio            successive tables instead of refreshing the screen\n"
	      "    -n, --iterations N     stop after N refreshes\n"
	      "        --per-vm, --per-vcpu, --percentiles   as stat report\n"
	      "\nSee man kvmprof-stat.\n",
	      fp);
}

/* ---- analysis ------------------------------------------------------------------------- */

static void slow_print(const struct live_rep *rep, u32 pid, s64 vcpu, u64 time, u64 key, int info,
		       u64 diff)
{
	char name[64];

	kvm_stat__key_name(rep->ival, key, info, name, sizeof(name));
	if (!strcmp(name, "HLT"))
		return; /* perf's x86 skip list */
	fprintf(stderr, "%llu VM %u, vcpu %lld: %s event took %lluusec\n", (unsigned long long)time,
		pid, (long long)vcpu, name, (unsigned long long)(diff / 1000));
}

static void slow_stream(void *arg, const struct kvm_stat_slow *s)
{
	slow_print(arg, s->pid, s->vcpu, s->time, s->key, s->info, s->diff);
}

static void live_reps_init(struct live *l)
{
	for (int r = 0; r < KSB_NR_REPORTS; r++) {
		struct kvm_stat_opts o = { .report = r, .sort = l->sort, .vcpu = l->vcpu,
					   .pids = l->pids, .nr_pids = l->nr_pids,
					   .percentiles = l->percentiles,
					   .per_vm = l->per_vm || l->prom_addr,
					   .per_vcpu = l->per_vcpu || l->prom_addr,
					   .reasons = l->reasons };
		struct live_rep *rep;

		if (!(l->report_mask & (1U << r)))
			continue;
		rep = &l->reps[l->nr_reps++];
		rep->report = r;
		rep->cum = kvm_stat__new(&o);
		o.duration_ns = l->duration_ns;
		o.slow = slow_stream;
		o.slow_arg = rep;
		rep->ival = kvm_stat__new(&o);
	}
}

static struct live_rep *rep_of(struct live *l, u32 report)
{
	for (int i = 0; i < l->nr_reps; i++)
		if (l->reps[i].report == report)
			return &l->reps[i];
	return NULL;
}

/* ---- BPF back end ----------------------------------------------------------------------- */

static u32 hash_key(const struct ksb_key *k)
{
	u64 h = kp_fnv1a64(KP_FNV64_SEED, k, sizeof(*k));

	return (u32)(h ^ (h >> 32));
}

static struct prev_ent *prev_findnew(struct live *l, const struct ksb_key *k)
{
	size_t i;

	if ((l->prev_nr + 1) * 2 > l->prev_size) {
		size_t size = l->prev_size ? l->prev_size * 2 : 256;
		struct prev_ent *old = l->prev, *n = xcalloc(size, sizeof(*n));

		for (size_t j = 0; j < l->prev_size; j++) {
			if (!old[j].used)
				continue;
			i = hash_key(&old[j].key) & (size - 1);
			while (n[i].used)
				i = (i + 1) & (size - 1);
			n[i] = old[j];
		}
		free(old);
		l->prev = n;
		l->prev_size = size;
	}
	i = hash_key(k) & (l->prev_size - 1);
	while (l->prev[i].used) {
		if (!memcmp(&l->prev[i].key, k, sizeof(*k)))
			return &l->prev[i];
		i = (i + 1) & (l->prev_size - 1);
	}
	l->prev[i].used = true;
	l->prev[i].key = *k;
	memset(&l->prev[i].val, 0, sizeof(l->prev[i].val));
	l->prev[i].val.min = UINT64_MAX;
	l->prev_nr++;
	return &l->prev[i];
}

struct bpf_read {
	struct live *l;
	u64 gen;
};

static int bpf_row(void *arg, const struct ksb_key *k, const struct ksb_val *v)
{
	struct bpf_read *rd = arg;
	struct live *l = rd->l;
	struct live_rep *rep = rep_of(l, k->report);
	struct prev_ent *p;
	struct kvm_stat_agg a = { 0 };
	u64 hist[KSB_HIST_BUCKETS];
	unsigned __int128 sq, psq;
	int s = (int)(rd->gen & 1);

	if (!rep)
		return 0;
	p = prev_findnew(l, k);
	a.access = k->mode == KSB_MODE_ACCESS;
	a.pid = k->pid;
	a.tid = k->tid;
	a.vcpu = k->vcpu;
	a.key = k->key;
	a.info = k->info;
	a.count = v->count - p->val.count;
	a.n = v->n - p->val.n;
	a.time = v->time - p->val.time;
	sq = ((unsigned __int128)v->sq_hi << 64) | v->sq_lo;
	psq = ((unsigned __int128)p->val.sq_hi << 64) | p->val.sq_lo;
	a.sumsq = (double)(sq - psq);
	if (a.n && v->slot_gen[s] == rd->gen && v->slot_min[s] <= v->slot_max[s]) {
		a.min = v->slot_min[s];
		a.max = v->slot_max[s];
	} else {
		/* a row read while the program updated it: the cumulative bounds */
		a.min = v->min;
		a.max = v->max;
	}
	for (int b = 0; b < KSB_HIST_BUCKETS; b++)
		hist[b] = v->hist[b] - p->val.hist[b];
	a.hist = hist;
	p->val = *v;
	kvm_stat__add(rep->ival, &a);
	return 0;
}

static void slow_bpf(void *arg, const struct ksb_slow *s)
{
	struct live_rep *rep = rep_of(arg, s->report);

	if (rep)
		slow_print(rep, s->pid, s->mode == KSB_MODE_ACCESS ? -1 : s->vcpu, s->time, s->key,
			   s->info, s->diff);
}

static void bpf_collect(struct live *l)
{
	struct bpf_read rd = { .l = l };
	u64 tp[KSB_TP_NR], dropped;

	rd.gen = kvm_stat_bpf__next_gen(l->bpf);
	kvm_stat_bpf__read_rows(l->bpf, bpf_row, &rd);
	kvm_stat_bpf__tp_counts(l->bpf, tp);
	for (int i = 0; i < l->nr_reps; i++)
		for (int k = KVM_TP_ENTRY; k < KVM_TP_NR; k++)
			kvm_stat__add_tp(l->reps[i].ival, k, tp[k] - l->prev_tp[k]);
	memcpy(l->prev_tp, tp, sizeof(tp));
	dropped = kvm_stat_bpf__dropped(l->bpf);
	l->lost_ival += dropped - l->prev_dropped;
	l->prev_dropped = dropped;
}

static int bpf_open(struct live *l)
{
	struct kvm_stat_bpf_opts o = { .report_mask = l->report_mask, .vcpu = l->vcpu,
				       .duration_ns = l->duration_ns, .pids = l->pids,
				       .nr_pids = l->nr_pids };

	return kvm_stat_bpf__open(&l->bpf, &o);
}

/* ---- streaming back end ----------------------------------------------------------------- */

static void feed(void *arg, const struct kvm_stat_event *ev)
{
	struct live *l = arg;

	for (int i = 0; i < l->nr_reps; i++)
		kvm_stat__event(l->reps[i].ival, ev);
}

static struct live *tool2live(struct perf_tool *tool)
{
	return (struct live *)((char *)tool - offsetof(struct live, tool));
}

static int live_sample(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample,
		       struct evsel *unused)
{
	struct live *l = tool2live(tool);
	struct kvm_stat_event ev;
	u16 type;
	int ret;

	if (!sample->raw_data || sample->raw_size < sizeof(type))
		return 0;
	/* the tracepoint's id is the common_type field at the start of the raw data */
	memcpy(&type, sample->raw_data, sizeof(type));
	for (int e = 0; e < l->evlist.nr; e++) {
		if (l->evlist.entries[e]->attr.config != type)
			continue;
		ret = kvm_stat__decode(l->reps[0].ival, l->evlist.entries[e], sample, &ev);
		if (ret < 0)
			return ret;
		if (ret)
			kvm_stat_queue__push(&l->queue, &ev);
		break;
	}
	return 0;
}

static int live_lost(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	tool2live(tool)->lost_ival += event->lost.lost;
	return 0;
}

static int stream_open(struct live *l)
{
	struct strbuf blob = STRBUF_INIT;
	const char *names[NR_TPS];
	int nr = 0, err;

	evlist__init(&l->evlist);
	evlist__init(&l->drain_list);
	for (size_t i = 0; i < NR_TPS; i++) {
		struct kp_attr a;
		struct evsel *ev;

		memset(&a, 0, sizeof(a));
		err = kp_event__parse(live_tps[i], &a);
		if (err == KP_ERR_NO_PERMISSION)
			return err; /* tracefs closed to this user: no tracepoint will do */
		if (err) {
			fprintf(stderr, "note: tracepoint %s is not available here\n", live_tps[i]);
			continue;
		}
		a.size = KP_ATTR_SIZE_VER7;
		a.sample_period = 1;
		a.sample_type = LIVE_SAMPLE_TYPE;
		a.clockid = CLOCK_MONOTONIC;
		kp_attr_set_flag(&a, KP_ATTR_USE_CLOCKID);
		kp_attr_set_flag(&a, KP_ATTR_DISABLED);
		kp_attr_set_flag(&a, KP_ATTR_WATERMARK);
		if (l->nr_pids) /* per-thread events: the threads the VMs create too */
			kp_attr_set_flag(&a, KP_ATTR_INHERIT);
		a.wakeup_events = (u32)(l->pages * (u64)getpagesize() / 4);
		ev = evsel__new(&a, l->evlist.nr);
		ev->name = xstrdup(live_tps[i]);
		evlist__add(&l->evlist, ev);
		names[nr++] = live_tps[i];
	}
	if (!nr)
		return kp_error(KP_ERR_NO_TRACEPOINT, "no KVM tracepoint here: is the kvm module "
				"loaded and tracefs mounted (/sys/kernel/tracing)?");
	err = tracing_data__build(&blob, names, nr);
	if (!err)
		err = tracing_data__parse(&l->tep, blob.buf, blob.len);
	strbuf_release(&blob);
	if (err)
		return err;
	for (int e = 0; e < l->evlist.nr; e++) {
		struct evsel *ev = l->evlist.entries[e];

		ev->tp_format = tep_find_event_by_name(l->tep, "kvm", ev->name + 4);
	}
	for (int i = 0; i < l->nr_reps; i++) {
		err = kvm_stat__setup_evlist(l->reps[i].ival, &l->evlist, "tracefs");
		if (err)
			return err;
	}
	/* the records carry no sample id: the drain parses them all as the first event */
	evlist__add(&l->drain_list, evsel__new(&l->evlist.entries[0]->attr, 0));
	err = evlist__check(&l->drain_list, "the KVM tracepoints");
	if (err)
		return err;

	/*
	 * Only the watched VMs' threads (inherited by the vCPU threads they create):
	 * the rings see no other guest's events, which could crowd them out.
	 */
	kp_target__online_cpus(&l->target);
	for (int i = 0; i < l->nr_pids; i++) {
		if (l->workload)
			kp_target__add_thread(&l->target, (pid_t)l->pids[i]);
		else if (kp_target__add_process(&l->target, (pid_t)l->pids[i]))
			pr_debug("process %u exited before its events were opened", l->pids[i]);
	}
	if (l->nr_pids && kp_target__cpu_wide(&l->target))
		return kp_error(-ESRCH, "the -p processes exited");
	err = kp_target__open(&l->target, &l->evlist, l->pages, !l->workload);
	if (err)
		return err;
	l->tool.sample = live_sample;
	l->tool.lost = live_lost;
	kp_target__ioctl(&l->target, PERF_EVENT_IOC_ENABLE);
	return 0;
}

static void stream_drain(struct live *l, bool all)
{
	u64 now = mono_ns();

	for (int r = 0; r < l->target.nr_rings; r++) {
		int n = kp_ring__drain(&l->target.rings[r], &l->drain_list, &l->tool);

		if (n < 0 && !l->err)
			l->err = n;
	}
	kvm_stat_queue__flush(&l->queue, all ? UINT64_MAX : now - ORDER_SLACK_NS, feed, l);
}

static void stream_close(struct live *l)
{
	kp_target__exit(&l->target);
	evlist__exit(&l->evlist);
	evlist__exit(&l->drain_list);
	if (l->tep)
		tep_free(l->tep);
	kvm_stat_queue__exit(&l->queue);
}

/* ---- output ---------------------------------------------------------------------------- */

static void name_vms(struct live *l, struct kvm_stat *kvm)
{
	const struct kvm_stat_view *v = kvm_stat__view(kvm);

	for (u32 g = 0; g < v->nr_groups; g++) {
		u32 pid = (u32)v->groups[g]->pid;
		struct strbuf path = STRBUF_INIT, comm = STRBUF_INIT;

		if (kvm_stat__comm_of(kvm, pid))
			continue;
		strbuf_addf(&path, "/proc/%u/comm", pid);
		if (strbuf_read_file(&comm, path.buf, 256) > 0) {
			strbuf_rtrim(&comm);
			kvm_stat__comm(kvm, pid, comm.buf);
		}
		strbuf_release(&path);
		strbuf_release(&comm);
	}
}

static void print_view(struct live *l, struct kvm_stat *kvm)
{
	const struct kvm_stat_view *v = kvm_stat__view(kvm);
	struct kvm_stat_view copy = *v;
	struct kvm_stat_table **groups = xcalloc(v->nr_groups + 1, sizeof(*groups));
	struct kvm_stat_print_opts po = { .pid_str = l->pid_str, .kvm = kvm };

	/* the per-VM/vCPU tables kept for --prometheus are shown only when asked for */
	copy.nr_groups = 0;
	copy.groups = groups;
	for (u32 g = 0; g < v->nr_groups; g++)
		if ((v->groups[g]->vcpu == -1 && l->per_vm) ||
		    (v->groups[g]->vcpu != -1 && l->per_vcpu))
			groups[copy.nr_groups++] = v->groups[g];
	if (v->mode == KVM_STAT_MODE_ACCESS)
		printf("(no kvm:kvm_entry events: %s counted from their own tracepoint, see "
		       "kvmprof-stat(1))\n", v->title);
	else if (v->report == KVM_REPORT_VMEXIT && !v->nr_tp[KVM_TP_EXIT])
		printf("(no kvm:kvm_exit events in this interval; on hosts whose KVM module does "
		       "not fire them try --event=ioport,mmio,msr)\n");
	kvm_stat__print_stdio(stdout, &copy, &po);
	free(groups);
}

static void print_clock(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	printf("%s.%06ld", buf, ts.tv_nsec / 1000);
}

static void publish(struct live *l)
{
	struct prometheus_input in[KSB_NR_REPORTS];
	struct prometheus_extra ex = { .lost = l->lost_total, .bpf = l->bpf != NULL };
	struct strbuf sb = STRBUF_INIT;

	if (!l->prom)
		return;
	for (int i = 0; i < l->nr_reps; i++) {
		in[i].view = kvm_stat__view(l->reps[i].cum);
		in[i].kvm = l->reps[i].cum;
	}
	memcpy(ex.nr_tp, in[0].view->nr_tp, sizeof(ex.nr_tp));
	prometheus__render(&sb, in, l->nr_reps, &ex);
	prometheus_server__publish(l->prom, sb.buf, sb.len);
	strbuf_release(&sb);
}

/* one refresh: collect, show the interval, fold it into the totals */
static void tick(struct live *l, bool show)
{
	if (l->bpf) {
		bpf_collect(l);
		kvm_stat_bpf__poll_slow(l->bpf, slow_bpf, l);
	} else {
		stream_drain(l, !show);
	}
	if (show) {
		if (l->screen)
			fputs("\033[H\033[2J", stdout);
		print_clock();
		printf("  %s, interval %ld\n", l->bpf ? "in-kernel aggregation (BPF)" : "streaming",
		       l->ticks + 1);
		for (int i = 0; i < l->nr_reps; i++) {
			name_vms(l, l->reps[i].ival);
			print_view(l, l->reps[i].ival);
		}
		if (l->lost_ival)
			printf("\nLost events: %llu\n\n", (unsigned long long)l->lost_ival);
		fflush(stdout);
	}
	l->lost_total += l->lost_ival;
	l->lost_ival = 0;
	for (int i = 0; i < l->nr_reps; i++) {
		if (!show)
			name_vms(l, l->reps[i].ival);
		kvm_stat__merge(l->reps[i].cum, l->reps[i].ival);
		kvm_stat__reset(l->reps[i].ival);
	}
	publish(l);
	l->ticks++;
}

static void print_totals(struct live *l)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("\nTotals since start (%.2f s, %s):\n",
	       (double)(t1.tv_sec - l->t0.tv_sec) + (double)(t1.tv_nsec - l->t0.tv_nsec) / 1e9,
	       l->bpf ? "in-kernel aggregation (BPF)" : "streaming");
	for (int i = 0; i < l->nr_reps; i++)
		print_view(l, l->reps[i].cum);
	printf("\nLost events: %llu\n", (unsigned long long)l->lost_total);
	if (l->queue.nr_late)
		printf("Events out of time order: %llu\n", (unsigned long long)l->queue.nr_late);
	fflush(stdout);
}

static void term_raw(struct live *l)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &l->tio))
		return;
	t = l->tio;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	if (!tcsetattr(STDIN_FILENO, TCSANOW, &t))
		l->tio_saved = true;
}

static void term_restore(struct live *l)
{
	if (l->tio_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &l->tio);
	l->tio_saved = false;
}

static bool targets_gone(const struct live *l)
{
	if (!l->nr_pids)
		return false;
	for (int i = 0; i < l->nr_pids; i++)
		if (!kill((pid_t)l->pids[i], 0) || errno == EPERM)
			return false;
	return true;
}

static int live_loop(struct live *l, int sfd, int tfd)
{
	struct pollfd *pfd = xcalloc((size_t)l->target.nr_rings + 3, sizeof(*pfd));
	int n = 0, nfd;
	bool stop = false;

	pfd[n].fd = sfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = tfd;
	pfd[n++].events = POLLIN;
	pfd[n].fd = l->tio_saved ? STDIN_FILENO : -1;
	pfd[n++].events = POLLIN;
	for (int r = 0; r < l->target.nr_rings; r++) {
		pfd[n].fd = l->target.rings[r].fd;
		pfd[n++].events = POLLIN;
	}
	nfd = n;
	while (!stop && !l->err) {
		int rc = poll(pfd, (nfds_t)nfd, 100);

		if (rc < 0 && errno != EINTR) {
			l->err = kp_error(-errno, "poll: %s", strerror(errno));
			break;
		}
		if (!l->bpf)
			stream_drain(l, false);
		if (rc <= 0)
			continue;
		/* a ring whose threads all exited stays readable: stop polling it */
		for (int i = 3; i < nfd; i++)
			if (pfd[i].revents & POLLHUP)
				pfd[i].fd = -1;
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo != SIGCHLD)
					stop = true;
				else if (l->child > 0 &&
					 waitpid(l->child, &l->child_status, WNOHANG) == l->child)
					l->child_done = stop = true;
			}
		}
		if (pfd[2].revents & POLLIN) {
			char c;

			while (read(STDIN_FILENO, &c, 1) == 1)
				if (c == 'q' || c == 'Q')
					stop = true;
		}
		if (pfd[1].revents & POLLIN) {
			u64 expirations;

			if (read(tfd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
				pr_debug("timerfd read: %s", strerror(errno));
			if (stop)
				break; /* the final totals follow */
			tick(l, true);
			if (l->iterations > 0 && l->ticks >= l->iterations)
				stop = true;
			if (!l->workload && targets_gone(l)) {
				fprintf(stderr, "note: the -p processes exited\n");
				stop = true;
			}
		}
	}
	free(pfd);
	return l->err;
}

/* ---- options ------------------------------------------------------------------------- */

enum {
	OPT_EVENT = 256,
	OPT_VCPU,
	OPT_DURATION,
	OPT_PMT,
	OPT_BPF,
	OPT_NO_BPF,
	OPT_PROM,
	OPT_STDIO,
	OPT_PER_VM,
	OPT_PER_VCPU,
	OPT_PERCENTILES,
};

static const struct option live_opts[] = {
	{ "display", required_argument, NULL, 'd' },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "vcpu", required_argument, NULL, OPT_VCPU },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "key", required_argument, NULL, 'k' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "proc-map-timeout", required_argument, NULL, OPT_PMT },
	{ "bpf", no_argument, NULL, OPT_BPF },
	{ "no-bpf", no_argument, NULL, OPT_NO_BPF },
	{ "prometheus", required_argument, NULL, OPT_PROM },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "iterations", required_argument, NULL, 'n' },
	{ "per-vm", no_argument, NULL, OPT_PER_VM },
	{ "per-vcpu", no_argument, NULL, OPT_PER_VCPU },
	{ "percentiles", no_argument, NULL, OPT_PERCENTILES },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_events(struct live *l, const char *s)
{
	char *dup = xstrdup(s), *save = NULL, *tok;
	int ret = 0;

	l->report_mask = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int r;

		if (!strcmp(tok, "all")) {
			l->report_mask |= (1U << KSB_NR_REPORTS) - 1;
			continue;
		}
		r = kvm_stat_report__parse(tok);
		if (r < 0) {
			ret = -1;
			break;
		}
		l->report_mask |= 1U << r;
	}
	free(dup);
	return ret || !l->report_mask ? -1 : 0;
}

static int live_parse(struct live *l, int argc, char **argv)
{
	char *end;
	double d;
	long v;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+d:m:ap:k:n:vh", live_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(d >= 0.01 && d <= 86400))
				return kp_usage_error(live_usage, "invalid -d '%s' (seconds, 0.01 "
						      "to 86400)", optarg);
			l->display = d;
			break;
		case 'm':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v <= 0 || (v & (v - 1)) || v > (1L << 20))
				return kp_usage_error(live_usage, "-m needs a power of two number "
						      "of pages, not '%s'", optarg);
			l->pages = (unsigned int)v;
			break;
		case 'a':
			break;
		case 'p':
			free(l->pids);
			l->pids = NULL;
			if (kp_parse_pid_list(optarg, 1, &l->pids, &l->nr_pids))
				return kp_usage_error(live_usage, "invalid pid list '%s'", optarg);
			l->pid_str = optarg;
			break;
		case OPT_VCPU:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < -1 || v > INT_MAX)
				return kp_usage_error(live_usage, "invalid --vcpu '%s'", optarg);
			l->vcpu = (int)v;
			break;
		case OPT_EVENT:
			if (parse_events(l, optarg))
				return kp_usage_error(live_usage, "unknown --event '%s' (vmexit, mmio, "
						      "ioport, msr, a comma list, or all)", optarg);
			break;
		case 'k':
			c = kvm_stat_sort__parse(optarg);
			if (c < 0)
				return kp_usage_error(live_usage, "unsupported sort key '%s' (sample, "
						      "time, total, max, min, mean, ev_name)", optarg);
			l->sort = c;
			break;
		case OPT_DURATION:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0)
				return kp_usage_error(live_usage, "invalid --duration '%s' (usec)",
						      optarg);
			l->duration_ns = (u64)v * 1000;
			break;
		case OPT_PMT:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0)
				return kp_usage_error(live_usage, "invalid --proc-map-timeout '%s'",
						      optarg);
			break; /* accepted for perf: only /proc/PID/comm is read */
		case OPT_BPF:
			l->bpf_opt = 1;
			break;
		case OPT_NO_BPF:
			l->bpf_opt = 0;
			break;
		case OPT_PROM:
			l->prom_addr = optarg;
			break;
		case OPT_STDIO:
			l->stdio = true;
			break;
		case 'n':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v <= 0)
				return kp_usage_error(live_usage, "invalid -n '%s'", optarg);
			l->iterations = v;
			break;
		case OPT_PER_VM:
			l->per_vm = true;
			break;
		case OPT_PER_VCPU:
			l->per_vcpu = true;
			break;
		case OPT_PERCENTILES:
			l->percentiles = true;
			break;
		case 'v':
			kp_verbose++;
			break;
		case 'h':
			live_help(stdout);
			return KP_EXIT_OK;
		default:
			return kp_usage_error(live_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		if (l->nr_pids)
			return kp_usage_error(live_usage, "-p and a COMMAND exclude each other");
		l->workload = argv + optind;
	}
	if (l->percentiles && l->bpf_opt == 1)
		return kp_usage_error(live_usage, "--percentiles needs every duration: use it "
				      "without --bpf (events are then streamed)");
	return -1;
}

/* fork the command, held until the events are on (the go pipe) */
static int fork_workload(struct live *l)
{
	int err = kp_workload__fork(l->workload, &l->child, &l->go_pipe);

	if (err)
		return err;
	l->pids = xmalloc(sizeof(*l->pids));
	l->pids[0] = (u32)l->child;
	l->nr_pids = 1;
	return 0;
}

static const struct exit_reason_table *host_reasons(struct kp_ctx *ctx)
{
	struct perf_header h;
	const struct exit_reason_table *t = NULL;

	memset(&h, 0, sizeof(h));
	if (!perf_header__fill_host(&h, 0, NULL) && h.cpuid)
		t = kvm_exit_reasons__for_cpuid(h.cpuid);
	perf_header__exit(&h);
	return t;
}

int cmd_stat_live(int argc, char **argv, struct kp_ctx *ctx)
{
	struct live l = { .display = 1, .pages = 512, .vcpu = -1, .sort = KVM_SORT_SAMPLE,
			  .bpf_opt = -1, .report_mask = 1U << KVM_REPORT_VMEXIT, .go_pipe = -1 };
	sigset_t mask, oldmask;
	struct itimerspec its;
	int err = 0, ret, sfd = -1, tfd = -1;

	ret = live_parse(&l, argc, argv);
	if (ret >= 0) {
		free(l.pids);
		return ret;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	for (int i = 0; i < l.nr_pids; i++) {
		if (kill((pid_t)l.pids[i], 0) && errno == ESRCH) {
			err = kp_error(-ESRCH, "process %u does not exist", l.pids[i]);
			goto out;
		}
	}
	if (l.workload) {
		err = fork_workload(&l);
		if (err)
			goto out;
	}
	l.reasons = host_reasons(ctx);
	if ((l.report_mask & (1U << KVM_REPORT_VMEXIT)) && !l.reasons)
		pr_warning("this CPU has no known exit-reason table: vmexit rows show numbers");
	live_reps_init(&l);
	l.screen = !l.stdio && isatty(STDOUT_FILENO);

	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (sfd < 0 || tfd < 0) {
		err = kp_error(-errno, "signalfd/timerfd: %s", strerror(errno));
		goto out;
	}
	if (l.prom_addr) {
		err = prometheus_server__start(&l.prom, l.prom_addr);
		if (err)
			goto out;
		fprintf(stderr, "serving Prometheus metrics on http://%s/metrics (port %d)\n",
			l.prom_addr, prometheus_server__port(l.prom));
		publish(&l);
	}
	if (l.bpf_opt != 0 && !l.percentiles) {
		err = bpf_open(&l);
		if (err && l.bpf_opt == 1)
			goto out;
		if (err) {
			fprintf(stderr, "note: in-kernel aggregation unavailable (%s); streaming "
					"events instead\n", kp_errmsg(err));
			err = 0;
		}
	} else if (l.percentiles && l.bpf_opt == -1) {
		fprintf(stderr, "note: --percentiles keeps every duration: streaming events\n");
	}
	if (!l.bpf) {
		err = stream_open(&l);
		if (err)
			goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &l.t0);
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)l.display;
	its.it_value.tv_nsec = (long)((l.display - (double)(time_t)l.display) * 1e9);
	its.it_interval = its.it_value;
	timerfd_settime(tfd, 0, &its, NULL);
	if (l.screen)
		term_raw(&l);
	if (l.workload) {
		if (write(l.go_pipe, "g", 1) != 1) {
			err = kp_error(-errno, "cannot start '%s'", l.workload[0]);
			goto out;
		}
		close(l.go_pipe);
		l.go_pipe = -1;
	}
	err = live_loop(&l, sfd, tfd);
	kp_target__ioctl(&l.target, PERF_EVENT_IOC_DISABLE);
	term_restore(&l);
	if (!err) {
		tick(&l, false); /* the rest of the last interval */
		if (!l.err)
			print_totals(&l);
		err = l.err;
	}
out:
	term_restore(&l);
	ret = err ? kp_fail(err) : KP_EXIT_OK;
	if (err == KP_ERR_USAGE)
		ret = KP_EXIT_USAGE; /* a malformed --prometheus address */
	if (l.go_pipe >= 0)
		close(l.go_pipe); /* the command sees EOF and gives up */
	if (l.child > 0 && !l.child_done) {
		/* stopped first (q, -n, a signal, an error): end the command, as perf record */
		if (l.go_pipe < 0)
			kill(l.child, SIGTERM);
		waitpid(l.child, &l.child_status, 0);
		if (WIFSIGNALED(l.child_status) && WTERMSIG(l.child_status) == SIGTERM)
			l.child_status = 0; /* our own SIGTERM is no failure of the command */
	}
	if (!ret && l.child > 0 && !(WIFEXITED(l.child_status) && !WEXITSTATUS(l.child_status)))
		ret = KP_EXIT_FAILURE; /* the command failed */
	prometheus_server__stop(l.prom);
	kvm_stat_bpf__close(l.bpf);
	for (int i = 0; i < l.nr_reps; i++) {
		kvm_stat__delete(l.reps[i].ival);
		kvm_stat__delete(l.reps[i].cum);
	}
	stream_close(&l); /* after the kvm_stats, which borrow the event names */
	free(l.prev);
	free(l.pids);
	if (sfd >= 0)
		close(sfd);
	if (tfd >= 0)
		close(tfd);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return ret;
}
