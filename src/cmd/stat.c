// SPDX-License-Identifier: GPL-2.0
/*
 * stat.c - `kvmprof stat`: perf kvm stat's record and report, and a counting
 * mode (`kvmprof stat [--] COMMAND`) like `perf kvm stat COMMAND`.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/kvm-stat.h"
#include "cmd/builtin.h"
#include "cmd/cmd-util.h"
#include "collect/events.h"
#include "collect/evopen.h"
#include "collect/ring-write.h"
#include "collect/ring.h"
#include "collect/synth.h"
#include "data/reader.h"
#include "data/tracing-data.h"
#include "data/writer.h"
#include "ui/kvm-stat-ui.h"
#include "ui/timeline.h"

static const char *const stat_usage[] = {
	"kvmprof [-i FILE | -o FILE] stat record [-a | -p PID,...] [-m PAGES] [-- COMMAND...]",
	"kvmprof [-i FILE] stat report [--event=vmexit|mmio|ioport|msr] [--vcpu=N] [-k KEY]",
	"                   [-p PID,...] [--stdio | --json | --csv] [--percentiles] [--histogram]",
	"                   [--per-vm] [--per-vcpu] [--timeline FILE]",
	"kvmprof stat live [-d SEC] [--event=LIST] [--bpf | --no-bpf] [--prometheus ADDR:PORT] ...",
	"kvmprof stat [--] COMMAND...",
	NULL,
};

static void stat_help(FILE *fp)
{
	kp_print_usage(fp, stat_usage);
	fputs("\nrecord  record kvm:kvm_entry, kvm_exit, kvm_mmio, kvm_pio, kvm_msr and\n"
	      "        kvm_userspace_exit (period 1) into perf.data.guest (or -o FILE)\n"
	      "report  perf kvm stat report's table, counts and latencies per key, VM and vCPU\n"
	      "        -k: sample (default), time (mean), total, max, min, mean, ev_name\n"
	      "live    the same table refreshed every -d seconds (stat live -h)\n"
	      "otherwise run COMMAND and count KVM events and guest/host CPU time\n"
	      "\nSee man kvmprof-stat.\n",
	      fp);
}

/* ---- report ------------------------------------------------------------------ */

/* perf_data__set_release_step() for stat report */
#define STAT_RELEASE_STEP (16u << 20)

struct stat_report {
	struct perf_tool tool;
	struct kvm_stat *kvm;
	int err;
};

static struct stat_report *tool2report(struct perf_tool *tool)
{
	return (struct stat_report *)((char *)tool - offsetof(struct stat_report, tool));
}

static int report_sample(struct perf_tool *tool, union perf_event *event,
			 struct perf_sample *sample, struct evsel *evsel)
{
	return kvm_stat__sample(tool2report(tool)->kvm, evsel, sample);
}

static int report_peek(struct perf_tool *tool, struct evsel *evsel,
		       const struct perf_sample *sample, u64 payload[3])
{
	return kvm_stat__peek(tool2report(tool)->kvm, evsel, sample, payload);
}

static void report_pack(struct perf_tool *tool, struct evsel *evsel, struct sample_pack *pack)
{
	kvm_stat__pack(tool2report(tool)->kvm, evsel, pack);
}

static int report_fast(struct perf_tool *tool, const struct packed_sample *s, size_t n)
{
	kvm_stat__event_packed(tool2report(tool)->kvm, s, n);
	return 0;
}

static int report_comm(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	const struct perf_record_comm *c = &event->comm;
	size_t max = event->header.size - sizeof(*c);

	/* the process name is the comm of its main thread */
	if (event->header.size > sizeof(*c) && c->pid == c->tid && memchr(c->comm, 0, max))
		kvm_stat__comm(tool2report(tool)->kvm, c->pid, c->comm);
	return 0;
}

static void note_missing(const struct perf_data *data, const struct kvm_stat_view *v,
			 const char *path, const bool *present)
{
	static const enum kvm_tp_kind needed[][3] = {
		[KVM_REPORT_VMEXIT] = { KVM_TP_EXIT, KVM_TP_ENTRY, KVM_TP_NONE },
		[KVM_REPORT_MMIO] = { KVM_TP_MMIO, KVM_TP_ENTRY, KVM_TP_EXIT },
		[KVM_REPORT_IOPORT] = { KVM_TP_PIO, KVM_TP_ENTRY, KVM_TP_NONE },
		[KVM_REPORT_MSR] = { KVM_TP_MSR, KVM_TP_ENTRY, KVM_TP_NONE },
	};

	for (int i = 0; i < 3; i++) {
		enum kvm_tp_kind k = needed[v->report][i];

		if (k == KVM_TP_NONE)
			continue;
		if (!present[k])
			fprintf(stderr, "note: '%s' has no %s event (not recorded)\n", path,
				kvm_tp_kind__name(k));
		else if (!v->nr_tp[k])
			fprintf(stderr,
				"note: '%s': %s was recorded but has no samples%s\n", path,
				kvm_tp_kind__name(k),
				k == KVM_TP_ENTRY || k == KVM_TP_EXIT
					? " (this host's KVM module does not fire it, e.g. kvm_pvm)"
					: "");
	}
	(void)data;
}

static void print_summary(FILE *fp, const struct kvm_stat_view *v, const char *path)
{
	fprintf(fp, "KVM tracepoint samples in '%s':\n", path);
	for (int k = KVM_TP_ENTRY; k < KVM_TP_NR; k++)
		fprintf(fp, "  %-24s %12llu\n", kvm_tp_kind__name(k),
			(unsigned long long)v->nr_tp[k]);
}

enum {
	OPT_EVENT = 256,
	OPT_VCPU,
	OPT_STDIO,
	OPT_JSON,
	OPT_CSV,
	OPT_PERCENTILES,
	OPT_HISTOGRAM,
	OPT_PER_VM,
	OPT_PER_VCPU,
	OPT_TIMELINE,
};

static const struct option report_opts[] = {
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "vcpu", required_argument, NULL, OPT_VCPU },
	{ "key", required_argument, NULL, 'k' },
	{ "pid", required_argument, NULL, 'p' },
	{ "input", required_argument, NULL, 'i' },
	{ "force", no_argument, NULL, 'f' },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "csv", no_argument, NULL, OPT_CSV },
	{ "percentiles", no_argument, NULL, OPT_PERCENTILES },
	{ "histogram", no_argument, NULL, OPT_HISTOGRAM },
	{ "per-vm", no_argument, NULL, OPT_PER_VM },
	{ "per-vcpu", no_argument, NULL, OPT_PER_VCPU },
	{ "timeline", required_argument, NULL, OPT_TIMELINE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int stat_report(int argc, char **argv, struct kp_ctx *ctx)
{
	struct kvm_stat_opts opts = { .report = KVM_REPORT_VMEXIT, .sort = KVM_SORT_SAMPLE,
				      .vcpu = -1 };
	struct kvm_stat_print_opts po = { 0 };
	struct stat_report rep = { 0 };
	struct perf_data *data = NULL;
	const struct kvm_stat_view *v;
	bool present[KVM_TP_NR] = { false }, json = false, csv = false, any_tp = false;
	const char *path = kp_ctx__file_name(ctx);
	const char *timeline_path = NULL; /* --timeline: see ui/timeline.h */
	struct timeline *tl = NULL;
	u32 *pids = NULL;
	int c, err, ret = KP_EXIT_FAILURE;
	char *end;
	long val;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+k:p:i:fh", report_opts, NULL)) != -1) {
		switch (c) {
		case OPT_EVENT:
			c = kvm_stat_report__parse(optarg);
			if (c < 0)
				return kp_usage_error(stat_usage,
						      "unknown --event '%s' (vmexit, mmio, ioport, msr)",
						      optarg);
			opts.report = c;
			break;
		case OPT_VCPU:
			errno = 0;
			val = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || val < -1 || val > INT_MAX)
				return kp_usage_error(stat_usage, "invalid --vcpu '%s'", optarg);
			opts.vcpu = (int)val;
			break;
		case 'k':
			c = kvm_stat_sort__parse(optarg);
			if (c < 0)
				return kp_usage_error(stat_usage,
						      "unsupported sort key '%s' (sample, time, total, "
						      "max, min, mean, ev_name)",
						      optarg);
			opts.sort = c;
			break;
		case 'p':
			free(pids);
			pids = NULL;
			if (kp_parse_pid_list(optarg, 0, &pids, &opts.nr_pids))
				return kp_usage_error(stat_usage, "invalid pid list '%s'", optarg);
			opts.pids = pids;
			po.pid_str = optarg;
			break;
		case 'i':
			path = optarg;
			break;
		case 'f':
		case OPT_STDIO:
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_CSV:
			csv = true;
			break;
		case OPT_PERCENTILES:
			opts.percentiles = true;
			break;
		case OPT_HISTOGRAM:
			po.histogram = true;
			break;
		case OPT_PER_VM:
			opts.per_vm = true;
			break;
		case OPT_PER_VCPU:
			opts.per_vcpu = true;
			break;
		case OPT_TIMELINE:
			timeline_path = optarg;
			break;
		case 'h':
			stat_help(stdout);
			free(pids);
			return KP_EXIT_OK;
		default:
			free(pids);
			return kp_usage_error(stat_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		free(pids);
		return kp_usage_error(stat_usage, "unexpected argument '%s'", argv[optind]);
	}
	if (json && csv) {
		free(pids);
		return kp_usage_error(stat_usage, "--json and --csv exclude each other");
	}

	err = perf_data__open(&data, path);
	if (err)
		goto fail;
	/*
	 * Bigger steps than the default for this pass over the whole file:
	 * bench/stat.sh 5% faster for 14 MB more resident (of perf's 580 MB).
	 */
	perf_data__set_release_step(data, STAT_RELEASE_STEP);
	for (int i = 0; i < data->evlist.nr; i++) {
		const struct evsel *evsel = data->evlist.entries[i];

		if (evsel->attr.type != PERF_TYPE_TRACEPOINT)
			continue;
		any_tp = true;
		present[kvm_tp_kind__from_name(evsel->name)] = true;
	}
	if (!any_tp) {
		err = kp_error(KP_ERR_NO_DATA,
			       "'%s': no tracepoint events recorded; record with 'kvmprof stat "
			       "record' (or 'perf kvm stat record')",
			       path);
		goto fail;
	}
	if (opts.report == KVM_REPORT_VMEXIT) {
		opts.reasons = kvm_exit_reasons__for_cpuid(data->header.cpuid);
		if (!data->header.cpuid) {
			err = kp_error(KP_ERR_UNSUPPORTED,
				       "'%s': the header has no CPUID feature, needed to tell VMX "
				       "from SVM exit reasons",
				       path);
			goto fail;
		}
		if (!opts.reasons) {
			err = kp_error(KP_ERR_UNSUPPORTED,
				       "'%s': CPU '%s' is not supported (x86 Intel, AMD or Hygon)",
				       path, data->header.cpuid);
			goto fail;
		}
	}
	if (timeline_path) {
		/* every paired interval (> 1 ns, i.e. all real ones) through the slow callback */
		tl = timeline__new();
		opts.duration_ns = 1;
		opts.slow = timeline__kvm_interval;
		opts.slow_arg = tl;
	}
	rep.kvm = kvm_stat__new(&opts);
	err = kvm_stat__setup_evlist(rep.kvm, &data->evlist, path);
	if (err)
		goto fail;
	rep.tool.sample = report_sample;
	rep.tool.sample_peek = report_peek;
	rep.tool.sample_fast = report_fast;
	rep.tool.sample_pack = report_pack;
	rep.tool.sample_peek_fields = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
	rep.tool.comm = report_comm;
	rep.tool.ordered_events = true;
	err = perf_data__process(data, &rep.tool);
	if (err)
		goto fail;

	v = kvm_stat__view(rep.kvm);
	if (v->mode == KVM_STAT_MODE_ACCESS && opts.vcpu != -1) {
		err = kp_error(KP_ERR_NO_DATA,
			       "'%s': --vcpu needs kvm:kvm_entry samples (they carry the vCPU id) "
			       "and the file has none",
			       path);
		goto fail;
	}
	note_missing(data, v, path, present);
	if (opts.report == KVM_REPORT_VMEXIT && !v->nr_tp[KVM_TP_EXIT]) {
		/* never a silent empty table: say what the file can tell */
		print_summary(stderr, v, path);
		fprintf(stderr, "note: no VM exits to analyze; try --event=ioport, --event=mmio "
				"or --event=msr, which count the accesses themselves\n");
		if (!json && !csv) {
			ret = KP_EXIT_OK;
			goto out;
		}
	}
	if (v->mode == KVM_STAT_MODE_ACCESS)
		fprintf(stderr,
			"note: no kvm:kvm_entry samples: counting %s accesses from their own "
			"tracepoint; a time is the access -> kvm:kvm_userspace_exit interval when "
			"that is the thread's next KVM event (see kvmprof-stat(1))\n",
			v->title);
	if (v->nr_unknown_rows)
		fprintf(stderr,
			"note: %llu exit code(s) unknown to the %s table are shown as UNKNOWN(code)"
			" (perf prints UNKNOWN)\n",
			(unsigned long long)v->nr_unknown_rows, v->reasons ? v->reasons->isa : "?");

	po.path = path;
	po.kvm = rep.kvm;
	if (json)
		err = kvm_stat__print_json(stdout, v, &po);
	else if (csv)
		err = kvm_stat__print_csv(stdout, v, &po);
	else
		err = kvm_stat__print_stdio(stdout, v, &po);
	if (!err && tl)
		err = timeline__write(tl, timeline_path, rep.kvm, NULL, NULL);
	if (err)
		goto fail;
	ret = KP_EXIT_OK;
	goto out;
fail:
	ret = kp_fail(err);
out:
	timeline__delete(tl);
	kvm_stat__delete(rep.kvm);
	perf_data__delete(data);
	free(pids);
	return ret;
}

/* ---- record ------------------------------------------------------------------ */


/*
 * What perf 6.1's "perf kvm stat record" records on x86, plus
 * kvm_userspace_exit (kvmprof's access timing on hosts without kvm_exit).
 */
static const char *const record_tps[] = {
	"kvm:kvm_entry", "kvm:kvm_exit", "kvm:kvm_mmio", "kvm:kvm_pio", "kvm:kvm_msr",
	"kvm:kvm_userspace_exit",
};

#define STAT_SAMPLE_TYPE                                                                   \
	(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID |           \
	 PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_RAW)
#define STAT_ID_HDR_SIZE 32 /* sample_id trailer: TID, TIME, ID, CPU */

struct rec_ev {
	struct kp_attr attr;
	const char *name;
	u64 *ids;
	u32 nr_ids;
};

struct stat_rec {
	struct kp_ctx *ctx;
	const char *path;
	struct rec_ev evs[ARRAY_SIZE(record_tps)];
	int nr_evs;
	int *cpus;
	int nr_cpus;
	pid_t *tids; /* -p: every thread of the processes; workload: the child; -a: -1 */
	int nr_tids;
	pid_t *procs;
	int nr_procs;
	int *fds;
	int nr_fds, alloc_fds;
	struct kp_ring *rings;
	int nr_rings;
	unsigned int pages;
	struct kp_ring_writer out; /* the file (out.w), its sticky write error, records */
	bool system_wide;
	char **workload;
	pid_t child;
	int go_pipe;
	int child_status;
	bool child_done;
	u64 nr_samples, nr_lost;
};

static void rec_online_cpus(struct stat_rec *r)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	struct strbuf sb = STRBUF_INIT;
	char *p;

	/* /sys/devices/system/cpu/online ("0-3,5"), else 0..n-1 */
	if (strbuf_read_file(&sb, "/sys/devices/system/cpu/online", 4096) > 0) {
		p = sb.buf;
		while (*p && *p != '\n') {
			long a = strtol(p, &p, 10), b = a;

			if (*p == '-')
				b = strtol(p + 1, &p, 10);
			for (long c = a; c <= b && c < 4096; c++) {
				r->cpus = xreallocarray(r->cpus, (size_t)r->nr_cpus + 1, sizeof(int));
				r->cpus[r->nr_cpus++] = (int)c;
			}
			if (*p == ',')
				p++;
			else
				break;
		}
	}
	strbuf_release(&sb);
	if (!r->nr_cpus) {
		for (long c = 0; c < (n > 0 ? n : 1); c++) {
			r->cpus = xreallocarray(r->cpus, (size_t)r->nr_cpus + 1, sizeof(int));
			r->cpus[r->nr_cpus++] = (int)c;
		}
	}
}

static void rec_add_tid(struct stat_rec *r, pid_t tid)
{
	r->tids = xreallocarray(r->tids, (size_t)r->nr_tids + 1, sizeof(pid_t));
	r->tids[r->nr_tids++] = tid;
}

static int rec_add_process(struct stat_rec *r, pid_t pid)
{
	char path[64];
	DIR *dir;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return kp_error(-ESRCH, "process %d does not exist", (int)pid);
	while ((de = readdir(dir)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			rec_add_tid(r, (pid_t)atoi(de->d_name));
	closedir(dir);
	r->procs = xreallocarray(r->procs, (size_t)r->nr_procs + 1, sizeof(pid_t));
	r->procs[r->nr_procs++] = pid;
	return 0;
}

/*
 * Whether the events follow a command from its exec (enable_on_exec), or are enabled
 * by hand: CPU-wide events (-a) have no task that execs and -p threads do not exec,
 * so with a command they record while it runs, as perf record -a/-p -- COMMAND does.
 */
static bool rec_exec_enables(const struct stat_rec *r)
{
	return r->workload && !r->system_wide && !r->nr_procs;
}

static int rec_setup_events(struct stat_rec *r)
{
	if (!kp_tracefs_dir() && mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL))
		pr_debug("cannot mount tracefs on /sys/kernel/tracing: %s", strerror(errno));
	for (size_t i = 0; i < ARRAY_SIZE(record_tps); i++) {
		struct rec_ev *ev = &r->evs[r->nr_evs];
		int err;

		memset(ev, 0, sizeof(*ev));
		err = kp_event__parse(record_tps[i], &ev->attr);
		if (err == KP_ERR_NO_PERMISSION)
			return err; /* tracefs closed to this user: no tracepoint will do */
		if (err) {
			fprintf(stderr, "note: tracepoint %s is not available here, not recorded "
					"(%s)\n",
				record_tps[i], kp_errmsg(err));
			continue;
		}
		ev->name = record_tps[i];
		ev->attr.size = KP_ATTR_SIZE_VER7;
		ev->attr.sample_period = 1;
		ev->attr.sample_type = STAT_SAMPLE_TYPE;
		ev->attr.read_format = PERF_FORMAT_ID;
		kp_attr_set_flag(&ev->attr, KP_ATTR_DISABLED);
		kp_attr_set_flag(&ev->attr, KP_ATTR_SAMPLE_ID_ALL);
		kp_attr_set_flag(&ev->attr, KP_ATTR_EXCLUDE_HOST); /* as perf kvm's files show */
		if (!r->system_wide)
			kp_attr_set_flag(&ev->attr, KP_ATTR_INHERIT);
		/* per-thread events of a command start at its exec */
		if (rec_exec_enables(r))
			kp_attr_set_flag(&ev->attr, KP_ATTR_ENABLE_ON_EXEC);
		if (!r->nr_evs) {
			/* the tracking event: COMM/FORK/EXIT records for thread names */
			kp_attr_set_flag(&ev->attr, KP_ATTR_COMM);
			kp_attr_set_flag(&ev->attr, KP_ATTR_TASK);
			kp_attr_set_flag(&ev->attr, KP_ATTR_COMM_EXEC);
		}
		kp_attr_set_flag(&ev->attr, KP_ATTR_WATERMARK);
		ev->attr.wakeup_events = (u32)(r->pages * (u64)getpagesize() / 4); /* watermark */
		r->nr_evs++;
	}
	if (!r->nr_evs)
		return kp_error(KP_ERR_NO_TRACEPOINT,
				"none of the kvm tracepoints exists here: is the kvm module loaded "
				"and tracefs mounted (/sys/kernel/tracing)?");
	return 0;
}

static int rec_open(struct stat_rec *r)
{
	r->rings = xcalloc((size_t)r->nr_cpus, sizeof(*r->rings));
	for (int c = 0; c < r->nr_cpus; c++) {
		int cpu = r->cpus[c], first_fd = -1;

		for (int t = 0; t < r->nr_tids; t++) {
			for (int e = 0; e < r->nr_evs; e++) {
				struct rec_ev *ev = &r->evs[e];
				u64 id;
				int fd, err;

				fd = kp_event_open(&ev->attr, r->tids[t], cpu, -1, 0);
				if (fd < 0) {
					struct strbuf what = STRBUF_INIT;

					if (fd == -ESRCH && r->tids[t] > 0 && !rec_exec_enables(r))
						break; /* the thread exited meanwhile */
					strbuf_addf(&what, "tracepoint %s on CPU %d", ev->name, cpu);
					err = kp_event_open_error(fd, what.buf);
					strbuf_release(&what);
					return err;
				}
				ALLOC_GROW(r->fds, r->nr_fds + 1, r->alloc_fds);
				r->fds[r->nr_fds++] = fd;
				err = kp_event_id(fd, &id);
				if (err)
					return kp_error(err, "cannot read the id of %s: %s", ev->name,
							strerror(-err));
				ev->ids = xreallocarray(ev->ids, ev->nr_ids + 1, sizeof(u64));
				ev->ids[ev->nr_ids++] = id;
				if (first_fd < 0) {
					err = kp_ring__mmap(&r->rings[r->nr_rings], fd, cpu, r->pages);
					if (err)
						return err;
					r->nr_rings++;
					first_fd = fd;
				} else {
					err = kp_event_ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT,
							     (unsigned long)first_fd);
					if (err)
						return kp_error(err, "cannot redirect %s into the ring "
								"buffer: %s", ev->name, strerror(-err));
				}
			}
		}
	}
	if (!r->nr_rings)
		return kp_error(-ESRCH, "nothing to record: the target threads exited");
	return 0;
}

/* one record of the rings, before it is written */
static void rec_note(void *arg, const union perf_event *ev)
{
	struct stat_rec *r = arg;

	if (ev->header.type == PERF_RECORD_SAMPLE)
		r->nr_samples++;
	else if (ev->header.type == PERF_RECORD_LOST)
		r->nr_lost += ev->lost.lost;
}

static u64 rec_drain(struct stat_rec *r)
{
	return kp_ring_writer__drain(&r->out, r->rings, r->nr_rings);
}

static int rec_loop(struct stat_rec *r, int sfd)
{
	struct pollfd *pfd = xcalloc((size_t)r->nr_rings + 1, sizeof(*pfd));
	bool stop = false;
	int ret = 0;

	for (int i = 0; i < r->nr_rings; i++) {
		pfd[i].fd = r->rings[i].fd;
		pfd[i].events = POLLIN;
	}
	pfd[r->nr_rings].fd = sfd;
	pfd[r->nr_rings].events = POLLIN;
	while (!stop && !r->out.err) {
		int n = poll(pfd, (nfds_t)r->nr_rings + 1, 200);

		if (n < 0 && errno != EINTR) {
			ret = kp_error(-errno, "poll failed: %s", strerror(errno));
			break;
		}
		rec_drain(r);
		if (n > 0 && (pfd[r->nr_rings].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo != SIGCHLD)
					stop = true;
				else if (r->child > 0 &&
					 waitpid(r->child, &r->child_status, WNOHANG) == r->child)
					r->child_done = stop = true;
			}
		}
		if (!r->system_wide && !r->workload) {
			int hup = 0;

			for (int i = 0; i < r->nr_rings; i++)
				hup += !!(pfd[i].revents & POLLHUP);
			if (hup == r->nr_rings)
				stop = true;
		}
	}
	free(pfd);
	return ret;
}

static int rec_fork_workload(struct stat_rec *r)
{
	int err = kp_workload__fork(r->workload, &r->child, &r->go_pipe);

	if (err)
		return err;
	/* with -a or -p the events of those targets are recorded, not the command's */
	if (rec_exec_enables(r))
		rec_add_tid(r, r->child);
	return 0;
}

/*
 * A write error (ENOSPC, EIO) stops the recording: keep what reached the disk
 * as FILE.partial (a rename needs no space) instead of deleting FILE.tmp; the
 * reader recovers it as an interrupted recording (every complete round).
 */
static void keep_partial(struct stat_rec *r)
{
	struct strbuf tmp = STRBUF_INIT, part = STRBUF_INIT;

	strbuf_addf(&tmp, "%s.tmp", r->path);
	strbuf_addf(&part, "%s.partial", r->path);
	if (rename(tmp.buf, part.buf) == 0)
		fprintf(stderr, "note: '%s' holds the data written before the error; "
			"'kvmprof -i %s stat report' reads it\n", part.buf, part.buf);
	strbuf_release(&tmp);
	strbuf_release(&part);
}

static int rec_finish(struct stat_rec *r)
{
	struct perf_header header;
	struct strbuf blob = STRBUF_INIT;
	const char *names[ARRAY_SIZE(record_tps)];
	int err;

	memset(&header, 0, sizeof(header));
	err = perf_header__fill_host(&header, r->ctx->argc, r->ctx->argv);
	if (err)
		pr_warning("cannot describe the host in the header: %s", kp_errmsg(err));
	for (int e = 0; e < r->nr_evs; e++)
		names[e] = r->evs[e].name;
	err = tracing_data__build(&blob, names, r->nr_evs);
	if (err) {
		strbuf_release(&blob);
		perf_header__exit(&header);
		return err;
	}
	header.tracing_data_size = blob.len;
	header.tracing_data = strbuf_detach(&blob, NULL);
	perf_header__set_feat(&header, HEADER_TRACING_DATA);
	err = perf_writer__finish(r->out.w, &header);
	perf_header__exit(&header);
	return err;
}

static const struct option record_opts[] = {
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int stat_record(int argc, char **argv, struct kp_ctx *ctx)
{
	struct stat_rec r = { .ctx = ctx, .path = kp_ctx__file_name(ctx), .go_pipe = -1 };
	sigset_t oldmask;
	int c, err = 0, sfd = -1, ret = KP_EXIT_FAILURE;
	const char *pid_str = NULL;
	char *end;
	unsigned long pages = geteuid() == 0 ? 1024 : 0; /* perf kvm stat record: -m 1024 */

	r.out.note = rec_note;
	r.out.arg = &r;
	sigprocmask(SIG_SETMASK, NULL, &oldmask);

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+ap:o:m:h", record_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			r.system_wide = true;
			break;
		case 'p':
			pid_str = optarg;
			break;
		case 'o':
			r.path = optarg;
			break;
		case 'm':
			errno = 0;
			pages = strtoul(optarg, &end, 10);
			if (errno || *end || !pages || (pages & (pages - 1)) || pages > (1UL << 20))
				return kp_usage_error(stat_usage,
						      "-m needs a power of two number of pages, not "
						      "'%s'", optarg);
			break;
		case 'h':
			stat_help(stdout);
			return KP_EXIT_OK;
		default:
			return kp_usage_error(stat_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		r.workload = argv + optind;
	if (!r.system_wide && !pid_str && !r.workload)
		return kp_usage_error(stat_usage, "stat record needs -a, -p PID or a COMMAND");
	if (r.system_wide && pid_str)
		return kp_usage_error(stat_usage, "-a and -p exclude each other");
	r.pages = pages ? (unsigned int)pages : kp_ring__default_pages();

	rec_online_cpus(&r);
	if (pid_str) {
		u32 *pids;
		int nr;

		if (kp_parse_pid_list(pid_str, 0, &pids, &nr))
			return kp_usage_error(stat_usage, "invalid pid list '%s'", pid_str);
		for (int i = 0; i < nr && !err; i++)
			err = rec_add_process(&r, (pid_t)pids[i]);
		free(pids);
		if (err)
			goto fail;
	} else if (r.system_wide) {
		rec_add_tid(&r, -1);
	}

	/* SIGCHLD, SIGINT and SIGTERM arrive through a signalfd polled with the rings */
	sfd = kp_signalfd__block(true, &oldmask);
	if (sfd < 0) {
		err = sfd;
		goto fail;
	}
	err = rec_setup_events(&r);
	if (!err && r.workload)
		err = rec_fork_workload(&r);
	if (!err)
		err = rec_open(&r);
	if (!err)
		err = perf_writer__open(&r.out.w, r.path);
	for (int e = 0; !err && e < r.nr_evs; e++)
		err = perf_writer__add_evsel(r.out.w, &r.evs[e].attr, r.evs[e].name, r.evs[e].ids,
					     r.evs[e].nr_ids);
	if (!err)
		err = perf_writer__start(r.out.w);
	if (!err && !rec_exec_enables(&r)) {
		struct kp_synth *s = xmalloc(sizeof(*s));

		/* thread names for the VMs, as perf record synthesizes them */
		kp_synth__init(s, kp_ring_writer__emit, &r.out, STAT_ID_HDR_SIZE);
		if (r.system_wide)
			err = kp_synth__all(s);
		for (int i = 0; !err && i < r.nr_procs; i++)
			err = kp_synth__process(s, r.procs[i], false);
		free(s);
	}
	if (err)
		goto fail;
	if (!rec_exec_enables(&r))
		for (int i = 0; i < r.nr_fds; i++)
			kp_event_ioctl(r.fds[i], PERF_EVENT_IOC_ENABLE, 0);
	if (r.workload) {
		/* enable_on_exec: the events start when the command does */
		if (write(r.go_pipe, "g", 1) != 1) {
			err = kp_error(-errno, "cannot start '%s'", r.workload[0]);
			goto fail;
		}
		close(r.go_pipe);
		r.go_pipe = -1;
	}
	err = rec_loop(&r, sfd);
	for (int i = 0; i < r.nr_fds; i++)
		kp_event_ioctl(r.fds[i], PERF_EVENT_IOC_DISABLE, 0);
	rec_drain(&r);
	if (!err)
		err = r.out.err;
	if (err && err == r.out.err)
		keep_partial(&r); /* before perf_writer__delete() removes FILE.tmp */
	if (!err)
		err = rec_finish(&r);
	if (err)
		goto fail;
	fprintf(stderr, "[ kvmprof stat record: wrote %llu samples (%llu records) to '%s'",
		(unsigned long long)r.nr_samples, (unsigned long long)r.out.nr_records, r.path);
	if (r.nr_lost)
		fprintf(stderr, ", LOST %llu events (use a larger -m)",
			(unsigned long long)r.nr_lost);
	fputs(" ]\n", stderr);
	ret = KP_EXIT_OK;
	if (r.child_done && !(WIFEXITED(r.child_status) && !WEXITSTATUS(r.child_status)))
		ret = KP_EXIT_FAILURE; /* the command failed: say so through our status */
	goto out;
fail:
	ret = kp_fail(err);
out:
	if (r.go_pipe >= 0)
		close(r.go_pipe); /* the child sees EOF and gives up */
	if (r.child > 0 && !r.child_done) {
		if (ret != KP_EXIT_OK)
			kill(r.child, SIGTERM);
		waitpid(r.child, &r.child_status, 0);
	}
	for (int i = 0; i < r.nr_rings; i++)
		kp_ring__munmap(&r.rings[i]);
	for (int i = 0; i < r.nr_fds; i++)
		close(r.fds[i]);
	for (int e = 0; e < r.nr_evs; e++)
		free(r.evs[e].ids);
	perf_writer__delete(r.out.w);
	free(r.rings);
	free(r.fds);
	free(r.cpus);
	free(r.tids);
	free(r.procs);
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return ret;
}

/* ---- counting mode ------------------------------------------------------------------ */


static double tv_sec(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* cguest_time (field 44 of /proc/self/stat): guest time of waited-for children, in ticks */
static double children_guest_seconds(void)
{
	struct strbuf sb = STRBUF_INIT;
	double secs = -1;
	char *p;
	long hz = sysconf(_SC_CLK_TCK);

	if (strbuf_read_file(&sb, "/proc/self/stat", 4096) > 0 && (p = strrchr(sb.buf, ')'))) {
		/* fields after ")" start at 3 (state) */
		int field = 2;
		unsigned long long v = 0;

		for (char *tok = p + 1; *tok && field < 44; tok++) {
			if (*tok != ' ')
				continue;
			field++;
			if (field == 44)
				v = strtoull(tok + 1, NULL, 10);
		}
		if (field == 44 && hz > 0)
			secs = (double)v / (double)hz;
	}
	strbuf_release(&sb);
	return secs;
}

static int stat_count(int argc, char **argv, struct kp_ctx *ctx)
{
	struct stat_rec r = { .ctx = ctx, .go_pipe = -1 };
	struct rusage ru;
	struct timespec t0, t1;
	sigset_t mask, oldmask;
	u64 counts[ARRAY_SIZE(record_tps)] = { 0 };
	int err, ret = KP_EXIT_FAILURE, sfd = -1, fdi = 0;
	double guest, user, sys;

	if (!strcmp(argv[0], "--")) {
		argc--;
		argv++;
	}
	if (argc < 1 || argv[0][0] == '-')
		return kp_usage_error(stat_usage, "'%s' is not a stat subcommand (record, report) "
				      "nor a command to run", argc ? argv[0] : "");
	r.workload = argv;
	rec_online_cpus(&r);
	sigprocmask(SIG_SETMASK, NULL, &oldmask);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	err = sfd < 0 ? kp_error(-errno, "signalfd: %s", strerror(errno)) : 0;
	if (!err)
		err = rec_setup_events(&r);
	if (!err)
		err = rec_fork_workload(&r);
	for (int e = 0; !err && e < r.nr_evs; e++) {
		struct kp_attr *a = &r.evs[e].attr;

		/* counting: no samples, no rings */
		a->sample_type = 0;
		a->read_format = 0;
		a->sample_period = 0;
		a->wakeup_events = 0;
		a->flags = 0;
		kp_attr_set_flag(a, KP_ATTR_DISABLED);
		kp_attr_set_flag(a, KP_ATTR_INHERIT);
		kp_attr_set_flag(a, KP_ATTR_ENABLE_ON_EXEC);
		for (int c = 0; c < r.nr_cpus; c++) {
			int fd = kp_event_open(a, r.child, r.cpus[c], -1, 0);

			if (fd < 0) {
				err = kp_event_open_error(fd, r.evs[e].name);
				break;
			}
			ALLOC_GROW(r.fds, r.nr_fds + 1, r.alloc_fds);
			r.fds[r.nr_fds++] = fd;
		}
	}
	if (err)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (write(r.go_pipe, "g", 1) != 1) {
		err = kp_error(-errno, "cannot start '%s'", r.workload[0]);
		goto fail;
	}
	close(r.go_pipe);
	r.go_pipe = -1;
	while (!r.child_done) {
		struct signalfd_siginfo si;

		if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si)) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (si.ssi_signo == SIGINT)
			kill(r.child, SIGINT); /* let the command decide, as perf stat does */
		if (waitpid(r.child, &r.child_status, WNOHANG) == r.child)
			r.child_done = true;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int e = 0; e < r.nr_evs; e++) {
		for (int c = 0; c < r.nr_cpus; c++, fdi++) {
			u64 v = 0;

			if (read(r.fds[fdi], &v, sizeof(v)) == (ssize_t)sizeof(v))
				counts[e] += v;
		}
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	guest = children_guest_seconds();
	user = tv_sec(&ru.ru_utime);
	sys = tv_sec(&ru.ru_stime);

	fprintf(stderr, "\n Performance counter stats for '");
	for (int i = 0; r.workload[i]; i++)
		fprintf(stderr, "%s%s", i ? " " : "", r.workload[i]);
	fprintf(stderr, "':\n\n");
	for (int e = 0; e < r.nr_evs; e++)
		fprintf(stderr, "%18llu      %s\n", (unsigned long long)counts[e], r.evs[e].name);
	fprintf(stderr, "\n");
	if (guest >= 0) {
		/* utime includes guest time (the kernel accounts it as user time) */
		fprintf(stderr, "%18.3f s    guest time\n", guest);
		fprintf(stderr, "%18.3f s    host user time (without guest)\n",
			user > guest ? user - guest : 0.0);
	} else {
		fprintf(stderr, "%18.3f s    user time (guest time unknown)\n", user);
	}
	fprintf(stderr, "%18.3f s    host system time\n", sys);
	fprintf(stderr, "\n%18.9f seconds time elapsed\n\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	ret = WIFEXITED(r.child_status) ? WEXITSTATUS(r.child_status) : KP_EXIT_FAILURE;
	goto out;
fail:
	ret = kp_fail(err);
out:
	if (r.go_pipe >= 0)
		close(r.go_pipe);
	if (r.child > 0 && !r.child_done)
		waitpid(r.child, &r.child_status, 0);
	for (int i = 0; i < r.nr_fds; i++)
		close(r.fds[i]);
	free(r.fds);
	free(r.cpus);
	free(r.tids);
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return ret;
}

int cmd_stat(int argc, char **argv, struct kp_ctx *ctx)
{
	if (argc < 2) {
		stat_help(stderr);
		return KP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		stat_help(stdout);
		return KP_EXIT_OK;
	}
	if (!strcmp(argv[1], "record"))
		return stat_record(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "report"))
		return stat_report(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "live"))
		return cmd_stat_live(argc - 1, argv + 1, ctx);
	return stat_count(argc - 1, argv + 1, ctx);
}
