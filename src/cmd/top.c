// SPDX-License-Identifier: GPL-2.0
/*
 * top.c - kvmprof top: live profile of the host and/or guests (perf kvm top).
 *
 * Flow: parse options -> one sampling event (cycles, or cpu-clock without a
 * PMU; exclude_host/exclude_guest as record sets them) opened per CPU (and
 * per thread for -p/-t) through collect/evopen.h, one ring per CPU ->
 * machines from the symbol options (a guest machine per --guestmount
 * directory) and the synthesized kernel/module/thread/guest maps -> one
 * poll() loop over the rings, a signalfd (SIGINT, SIGTERM) and stdin (TUI):
 * the rings are drained into analysis/top.h's decaying histogram through the
 * same struct perf_tool the file reader feeds; every -d seconds a snapshot is
 * drawn by ui/tui (a terminal) or printed by ui/top-stdio (--stdio, or when
 * stdout is not a terminal), up to -n times.
 *
 * Samples are resolved with host and guest both enabled in the machine layer;
 * what the table shows is the view (guest, host, both: the TUI's h key),
 * starting from the global --host/--guest choice.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <getopt.h>
#include <libelf.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/top.h"
#include "cmd/builtin.h"
#include "collect/events.h"
#include "collect/evopen.h"
#include "collect/ring.h"
#include "collect/synth.h"
#include "data/evsel.h"
#include "data/reader.h"
#include "machine/machine.h"
#include "ui/top-stdio.h"
#include "ui/tui/tui.h"

static const char *const top_usage[] = {
	"kvmprof [--host] [--guest] [--guestkallsyms=F --guestmodules=F | --guestmount=DIR] top\n"
	"        [-a | -p PID,... | -t TID] [-C CPUS] [-e EVENT] [-F FREQ | -c N] [-d SECONDS]\n"
	"        [-n N] [-E N] [--stdio | --tui] [-K] [-U] [-z]",
	NULL,
};

static void top_help(FILE *fp)
{
	kp_print_usage(fp, top_usage);
	fputs("\nLive profile of the host and/or KVM guests (perf kvm top).\n\n"
	      "    -a, --all-cpus            system-wide, on every CPU (the default)\n"
	      "    -p, --pid PID,...         existing processes (e.g. the VMM: its vCPU threads)\n"
	      "    -t, --tid TID             one existing thread\n"
	      "    -C, --cpu CPUS            only these CPUs (e.g. 0-1,3)\n"
	      "    -e, --event EVENT         cycles, cpu-clock, ... (default: cycles, or cpu-clock\n"
	      "                              without a hardware PMU)\n"
	      "    -F, --freq N              sample N times a second (default 4000)\n"
	      "    -c, --count N             sample every N events instead\n"
	      "    -d, --delay SECONDS       refresh interval (default 2)\n"
	      "    -n, --iterations N        stop after N refreshes\n"
	      "    -E, --entries N           show at most N rows (--stdio; default: all)\n"
	      "        --stdio               plain text snapshots (automatic when stdout is not a\n"
	      "                              terminal)\n"
	      "        --tui                 the interactive screen (needs a terminal)\n"
	      "    -K, --hide_kernel_symbols do not list host or guest kernel symbols\n"
	      "    -U, --hide_user_symbols   do not list host or guest user symbols\n"
	      "    -z, --zero                zero the counts after each refresh (no decay)\n"
	      "    -m, --mmap-pages N        ring buffer pages per CPU (power of two)\n"
	      "        --guest-user-elf FILE name guest user samples of the -p processes with\n"
	      "                              FILE's symbols (an ELF loaded at its link addresses)\n"
	      "\nKeys: q or Ctrl-C quit, h cycles the view guest/host/both, d zooms into the\n"
	      "DSO of the selected row (again: all DSOs), arrows/PgUp/PgDn move the selection.\n"
	      "\nWith --guestmount=DIR, every DIR/PID/proc/kallsyms is the kernel of the guest run\n"
	      "by VMM process PID, and DIR/PID/guest-user.maps (a /proc/PID/maps line, as\n"
	      "kvmprof-demo-guest writes it) names its user code.\n",
	      fp);
}

struct top_cmd {
	struct kp_ctx *ctx;
	/* options */
	bool all_cpus, use_stdio, force_tui, hide_kernel, hide_user;
	const char *cpu_list, *pid_list, *tid_str, *event_name, *guest_user_elf;
	u64 freq, count;
	bool freq_set, count_set;
	double delay;
	u64 iterations;
	u64 entries;
	unsigned int mmap_pages;
	/* targets */
	int *cpus;
	int nr_cpus, alloc_cpus;
	pid_t *tids;
	int nr_tids, alloc_tids;
	pid_t *procs;
	int nr_procs, alloc_procs;
	/* the event */
	struct kp_attr attr;
	char *ev_name;
	struct evsel evsel;
	struct evsel *evsel_tab[1];
	struct evlist evlist;
	int *fds;
	int nr_fds, alloc_fds;
	struct kp_ring *rings;
	int nr_rings;
	/* model */
	struct symbol_conf conf;
	struct machines machines;
	bool machines_ok;
	struct top top;
	struct perf_tool tool;
	int err; /* first machine-layer error seen while processing */
};

/* ---- options ---- */

static int parse_u64(const char *s, u64 *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	return 0;
}

static int parse_cpu_list(struct top_cmd *t, const char *s)
{
	long nconf = sysconf(_SC_NPROCESSORS_CONF);
	const char *p = s;

	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b;

		if (end == p || a < 0)
			return -1;
		b = a;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a)
				return -1;
			p = end;
		}
		if (b >= nconf)
			return -2;
		for (long c = a; c <= b; c++) {
			ALLOC_GROW(t->cpus, t->nr_cpus + 1, t->alloc_cpus);
			t->cpus[t->nr_cpus++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return t->nr_cpus ? 0 : -1;
}

static void online_cpus(struct top_cmd *t)
{
	struct strbuf sb = STRBUF_INIT;

	t->nr_cpus = 0;
	if (strbuf_read_file(&sb, "/sys/devices/system/cpu/online", 4096) > 0) {
		strbuf_rtrim(&sb);
		if (!parse_cpu_list(t, sb.buf)) {
			strbuf_release(&sb);
			return;
		}
	}
	strbuf_release(&sb);
	t->nr_cpus = 0;
	for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN); c++) {
		ALLOC_GROW(t->cpus, t->nr_cpus + 1, t->alloc_cpus);
		t->cpus[t->nr_cpus++] = (int)c;
	}
}

static void add_tid(struct top_cmd *t, pid_t tid)
{
	ALLOC_GROW(t->tids, t->nr_tids + 1, t->alloc_tids);
	t->tids[t->nr_tids++] = tid;
}

static int add_process(struct top_cmd *t, pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -ESRCH;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		add_tid(t, (pid_t)atoi(de->d_name));
		n++;
	}
	closedir(dir);
	ALLOC_GROW(t->procs, t->nr_procs + 1, t->alloc_procs);
	t->procs[t->nr_procs++] = pid;
	return n ? 0 : -ESRCH;
}

enum {
	OPT_STDIO = 256,
	OPT_TUI,
	OPT_GUEST_USER_ELF,
};

static const struct option top_opts[] = {
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "event", required_argument, NULL, 'e' },
	{ "freq", required_argument, NULL, 'F' },
	{ "count", required_argument, NULL, 'c' },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "entries", required_argument, NULL, 'E' },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "tui", no_argument, NULL, OPT_TUI },
	{ "hide_kernel_symbols", no_argument, NULL, 'K' },
	{ "hide-kernel-symbols", no_argument, NULL, 'K' },
	{ "hide_user_symbols", no_argument, NULL, 'U' },
	{ "hide-user-symbols", no_argument, NULL, 'U' },
	{ "zero", no_argument, NULL, 'z' },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "guest-user-elf", required_argument, NULL, OPT_GUEST_USER_ELF },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_options(struct top_cmd *t, int argc, char **argv)
{
	u64 v;
	int c;

	while ((c = getopt_long(argc, argv, "+ap:t:C:e:F:c:d:n:E:KUzm:h", top_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			t->all_cpus = true;
			break;
		case 'p':
			t->pid_list = optarg;
			break;
		case 't':
			t->tid_str = optarg;
			break;
		case 'C':
			t->cpu_list = optarg;
			break;
		case 'e':
			if (t->event_name)
				return kp_usage_error(top_usage, "top shows one event: -e given twice");
			t->event_name = optarg;
			break;
		case 'F':
			if (parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-F wants a positive number, not '%s'",
						      optarg);
			t->freq = v;
			t->freq_set = true;
			break;
		case 'c':
			if (parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-c wants a positive number, not '%s'",
						      optarg);
			t->count = v;
			t->count_set = true;
			break;
		case 'd': {
			char *end;
			double d;

			errno = 0;
			d = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(d >= 0.1) || d > 3600)
				return kp_usage_error(top_usage, "-d wants seconds between 0.1 and 3600, "
						      "not '%s'", optarg);
			t->delay = d;
			break;
		}
		case 'n':
			if (parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-n wants a positive number, not '%s'",
						      optarg);
			t->iterations = v;
			break;
		case 'E':
			if (parse_u64(optarg, &v) || !v)
				return kp_usage_error(top_usage, "-E wants a positive number, not '%s'",
						      optarg);
			t->entries = v;
			break;
		case OPT_STDIO:
			t->use_stdio = true;
			break;
		case OPT_TUI:
			t->force_tui = true;
			break;
		case 'K':
			t->hide_kernel = true;
			break;
		case 'U':
			t->hide_user = true;
			break;
		case 'z':
			t->top.zero = true;
			break;
		case 'm':
			if (parse_u64(optarg, &v) || !v || (v & (v - 1)) || v > (1u << 20))
				return kp_usage_error(top_usage, "-m wants a power of two of pages, "
						      "not '%s'", optarg);
			t->mmap_pages = (unsigned int)v;
			break;
		case OPT_GUEST_USER_ELF:
			t->guest_user_elf = optarg;
			break;
		case 'h':
			top_help(stdout);
			return -1;
		case ':':
			return kp_usage_error(top_usage, "option '%s' needs a value", argv[optind - 1]);
		default:
			return kp_usage_error(top_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kp_usage_error(top_usage, "top runs no command: unexpected '%s'", argv[optind]);
	if (!!t->pid_list + !!t->tid_str + t->all_cpus > 1)
		return kp_usage_error(top_usage, "choose one target: -a, -p or -t");
	if (t->freq_set && t->count_set)
		return kp_usage_error(top_usage, "-F and -c exclude each other");
	if (t->use_stdio && t->force_tui)
		return kp_usage_error(top_usage, "--stdio and --tui exclude each other");
	return 0;
}

static int setup_targets(struct top_cmd *t)
{
	if (t->cpu_list) {
		int r = parse_cpu_list(t, t->cpu_list);

		if (r == -2)
			return kp_usage_error(top_usage, "-C %s: no such CPU", t->cpu_list);
		if (r)
			return kp_usage_error(top_usage, "bad CPU list '%s'", t->cpu_list);
	} else {
		online_cpus(t);
	}
	if (t->pid_list) {
		const char *p = t->pid_list;

		while (*p) {
			char *end;
			long pid = strtol(p, &end, 10);

			if (end == p || pid <= 0 || pid > 0x7fffffff || (*end && *end != ','))
				return kp_usage_error(top_usage, "bad pid list '%s'", t->pid_list);
			if (add_process(t, (pid_t)pid))
				return kp_fail(kp_error(-ESRCH, "process %ld does not exist", pid));
			p = *end ? end + 1 : end;
		}
	} else if (t->tid_str) {
		u64 tid;

		if (parse_u64(t->tid_str, &tid) || !tid || tid > 0x7fffffff)
			return kp_usage_error(top_usage, "bad thread id '%s'", t->tid_str);
		add_tid(t, (pid_t)tid);
	}
	return 0;
}

static int check_freq(struct top_cmd *t)
{
	struct strbuf sb = STRBUF_INIT;
	u64 max = 0;

	if (strbuf_read_file(&sb, "/proc/sys/kernel/perf_event_max_sample_rate", 64) > 0)
		max = strtoull(sb.buf, NULL, 10);
	strbuf_release(&sb);
	if (t->count_set || !max || t->freq <= max)
		return 0;
	if (t->freq_set) {
		pr_err("maximum sample rate (%llu Hz) exceeded by -F %llu: use a lower -F or raise "
		       "/proc/sys/kernel/perf_event_max_sample_rate",
		       (unsigned long long)max, (unsigned long long)t->freq);
		return -1;
	}
	t->freq = max;
	return 0;
}

/* ---- the event ---- */

static int setup_event(struct top_cmd *t)
{
	struct kp_attr *a = &t->attr;
	bool cpu_wide = !t->nr_tids;
	u16 id_hdr = 16;

	memset(a, 0, sizeof(*a));
	if (t->event_name) {
		int err = kp_event__parse(t->event_name, a);

		if (err == KP_ERR_USAGE)
			return kp_usage_error(top_usage, "%s", kp_errmsg(err));
		if (err)
			return kp_fail(err);
		t->ev_name = xstrdup(t->event_name);
	} else if (kp_event_have_hw_pmu()) {
		a->type = PERF_TYPE_HARDWARE;
		a->config = PERF_COUNT_HW_CPU_CYCLES;
		t->ev_name = xstrdup("cycles");
	} else {
		a->type = PERF_TYPE_SOFTWARE;
		a->config = PERF_COUNT_SW_CPU_CLOCK;
		t->ev_name = xstrdup("cpu-clock");
	}
	a->size = KP_ATTR_SIZE_VER7;
	a->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD;
	if (cpu_wide) {
		a->sample_type |= PERF_SAMPLE_CPU;
		id_hdr += 8;
	}
	a->read_format = PERF_FORMAT_ID;
	kp_attr_set_flag(a, KP_ATTR_DISABLED);
	if (!t->tid_str)
		kp_attr_set_flag(a, KP_ATTR_INHERIT);
	kp_attr_set_flag(a, KP_ATTR_SAMPLE_ID_ALL);
	kp_attr_set_flag(a, KP_ATTR_MMAP);
	kp_attr_set_flag(a, KP_ATTR_COMM);
	kp_attr_set_flag(a, KP_ATTR_TASK);
	kp_attr_set_flag(a, KP_ATTR_MMAP2);
	kp_attr_set_flag(a, KP_ATTR_COMM_EXEC);
	if (t->count_set || a->type == PERF_TYPE_TRACEPOINT) {
		a->sample_period = t->count_set ? t->count : 1;
	} else {
		a->sample_period = t->freq;
		kp_attr_set_flag(a, KP_ATTR_FREQ);
	}
	/* the same rule as record (perf kvm's fixed 2.4 rule) */
	if (t->ctx->guest && !t->ctx->host)
		kp_attr_set_flag(a, KP_ATTR_EXCLUDE_HOST);
	else if (t->ctx->host && !t->ctx->guest)
		kp_attr_set_flag(a, KP_ATTR_EXCLUDE_GUEST);

	/* a one-event evlist for the ring drain: no ids needed */
	memset(&t->evsel, 0, sizeof(t->evsel));
	t->evsel.attr = *a;
	t->evsel.name = t->ev_name;
	t->evsel.id_hdr_size = id_hdr;
	t->evsel_tab[0] = &t->evsel;
	memset(&t->evlist, 0, sizeof(t->evlist));
	t->evlist.entries = t->evsel_tab;
	t->evlist.nr = 1;
	t->evlist.alloc = 1;
	t->evlist.id_pos = -1;
	t->evlist.is_pos = -1;
	t->evlist.sample_id_all = true;
	return 0;
}

/* one fd per (cpu, thread); the first fd of a CPU owns its ring (as record does) */
static int open_events(struct top_cmd *t)
{
	bool cpu_wide = !t->nr_tids;
	int nthreads = cpu_wide ? 1 : t->nr_tids;

	t->rings = xcalloc((size_t)t->nr_cpus, sizeof(*t->rings));
	for (int c = 0; c < t->nr_cpus; c++) {
		int cpu = t->cpus[c], first_fd = -1;

		for (int th = 0; th < nthreads; th++) {
			pid_t pid = cpu_wide ? -1 : t->tids[th];
			int fd, err;

			fd = kp_event_open(&t->attr, pid, cpu, -1, 0);
			if (fd < 0) {
				struct strbuf what = STRBUF_INIT;

				if (fd == -ESRCH && !cpu_wide)
					continue; /* the thread exited meanwhile */
				strbuf_addf(&what, "event '%s' on CPU %d", t->ev_name, cpu);
				if (!cpu_wide)
					strbuf_addf(&what, " for thread %d", (int)pid);
				err = kp_event_open_error(fd, what.buf);
				strbuf_release(&what);
				return err;
			}
			ALLOC_GROW(t->fds, t->nr_fds + 1, t->alloc_fds);
			t->fds[t->nr_fds++] = fd;
			if (first_fd < 0) {
				err = kp_ring__mmap(&t->rings[t->nr_rings], fd, cpu, t->mmap_pages);
				if (err)
					return err;
				t->nr_rings++;
				first_fd = fd;
				continue;
			}
			err = kp_event_ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, (unsigned long)first_fd);
			if (err)
				return kp_error(err, "cannot redirect event '%s' into the ring buffer of "
						"CPU %d: %s", t->ev_name, cpu, strerror(-err));
		}
	}
	if (!t->nr_rings)
		return kp_error(-ESRCH, "no thread to profile: the targets exited");
	return 0;
}

static void ioctl_all(struct top_cmd *t, unsigned long req)
{
	for (int i = 0; i < t->nr_fds; i++)
		kp_event_ioctl(t->fds[i], req, 0);
}

/* ---- records into the model ---- */

#define top_of(ptool) ((struct top_cmd *)((char *)(ptool) - offsetof(struct top_cmd, tool)))

static int tool_sample(struct perf_tool *tool, union perf_event *event,
		       struct perf_sample *sample, struct evsel *evsel)
{
	struct top_cmd *t = top_of(tool);
	struct addr_location al;
	struct top_key key;

	top__count_sample(&t->top, sample->cpumode,
			  (event->header.misc & PERF_RECORD_MISC_EXACT_IP) != 0);
	if (t->hide_kernel && (sample->cpumode == PERF_RECORD_MISC_KERNEL ||
			       sample->cpumode == PERF_RECORD_MISC_GUEST_KERNEL))
		return 0;
	if (t->hide_user && (sample->cpumode == PERF_RECORD_MISC_USER ||
			     sample->cpumode == PERF_RECORD_MISC_GUEST_USER))
		return 0;
	memset(&al, 0, sizeof(al));
	machines__resolve(&t->machines, sample, &al);
	key.dso_name = al.dso ? dso__name(al.dso) : NULL;
	key.sym = al.sym;
	key.addr = al.map ? al.addr : sample->ip;
	key.level = al.level ? al.level : 'H';
	key.filtered = al.filtered != AL_FILTER_NONE;
	top__add(&t->top, &key);
	return 0;
}

static int tool_event(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	struct top_cmd *t = top_of(tool);
	int err = machines__process_event(&t->machines, event, sample);

	/* a malformed record is reported once and skipped: the view goes on */
	if (err && !t->err) {
		t->err = err;
		pr_warning("%s", kp_errmsg(err));
	}
	return 0;
}

static int tool_lost(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample)
{
	struct top_cmd *t = top_of(tool);

	top__count_lost(&t->top, event->lost.lost);
	return 0;
}

static int synth_emit(void *arg, const union perf_event *ev)
{
	struct top_cmd *t = arg;
	struct perf_sample s;

	memset(&s, 0, sizeof(s));
	s.cpu = (u32)-1;
	s.time = ~0ULL;
	if (ev->header.type == PERF_RECORD_COMM) {
		s.pid = ev->comm.pid;
		s.tid = ev->comm.tid;
	} else if (ev->header.type == PERF_RECORD_FORK || ev->header.type == PERF_RECORD_EXIT) {
		s.pid = ev->fork.pid;
		s.tid = ev->fork.tid;
	}
	s.misc = ev->header.misc;
	s.cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	return tool_event(&t->tool, (union perf_event *)ev, &s);
}

/* ---- guests ---- */

/* "start-end perms pgoff dev inode path" lines of DIR/PID/guest-user.maps */
static int synth_guest_maps(struct top_cmd *t, struct kp_synth *s, const char *root, pid_t pid)
{
	struct strbuf path = STRBUF_INIT, line = STRBUF_INIT;
	FILE *fp;
	int err = 0;
	char *real_root = realpath(root, NULL);

	strbuf_addf(&path, "%s/guest-user.maps", root);
	fp = fopen(path.buf, "r");
	if (!fp) {
		strbuf_release(&path);
		free(real_root);
		return 0;
	}
	while (!err && strbuf_getline(&line, fp) != EOF) {
		unsigned long long start, end, pgoff;
		char perms[8];
		int pos = 0;
		const char *file;

		if (sscanf(line.buf, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &pgoff,
			   &pos) < 4 || !pos || end <= start) {
			pr_warning("'%s': ignoring malformed line '%s'", path.buf, line.buf);
			continue;
		}
		file = line.buf + pos;
		if (!*file || !strchr(perms, 'x'))
			continue;
		/* paths are the guest's: strip the guest root the machine layer prefixes */
		if (real_root && !strncmp(file, real_root, strlen(real_root)) &&
		    file[strlen(real_root)] == '/')
			file += strlen(real_root);
		else if (!strncmp(file, root, strlen(root)) && file[strlen(root)] == '/')
			file += strlen(root);
		err = kp_synth__mmap2(s, PERF_RECORD_MISC_GUEST_USER, (u32)pid, (u32)pid, start,
				      end - start, pgoff, PROT_READ | PROT_EXEC, MAP_PRIVATE, file);
	}
	fclose(fp);
	strbuf_release(&path);
	strbuf_release(&line);
	free(real_root);
	return err;
}

/* perf's machines__create_guest_kernel_maps() for --guestmount: one machine per DIR/PID */
static int synth_guestmount(struct top_cmd *t, struct kp_synth *s)
{
	const char *dir = t->ctx->guestmount;
	struct dirent *de;
	DIR *d = opendir(dir);
	int err = 0, nr = 0;

	if (!d)
		return kp_error(-errno, "'%s': cannot read the --guestmount directory: %s", dir,
				strerror(errno));
	while (!err && (de = readdir(d)) != NULL) {
		struct strbuf root = STRBUF_INIT, path = STRBUF_INIT;
		char *end;
		long pid;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid > 0x7fffffff)
			continue;
		strbuf_addf(&root, "%s/%ld", dir, pid);
		strbuf_addf(&path, "%s/proc/kallsyms", root.buf);
		if (access(path.buf, R_OK)) {
			strbuf_release(&root);
			strbuf_release(&path);
			continue;
		}
		if (!machines__findnew(&t->machines, (pid_t)pid)) {
			strbuf_release(&root);
			strbuf_release(&path);
			continue;
		}
		nr++;
		err = kp_synth__kernel_mmap(s, path.buf, true, (pid_t)pid);
		if (err) {
			pr_warning("%s: kernel samples of guest %ld will not be resolved",
				   kp_errmsg(err), pid);
			err = 0;
		}
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/proc/modules", root.buf);
		err = kp_synth__modules(s, path.buf, true, (pid_t)pid);
		if (!err)
			err = synth_guest_maps(t, s, root.buf, (pid_t)pid);
		if (!err && !kill((pid_t)pid, 0))
			err = kp_synth__guest_comms(s, (pid_t)pid);
		strbuf_release(&root);
		strbuf_release(&path);
	}
	closedir(d);
	if (!err && !nr)
		pr_warning("'%s': no guest found (want DIR/PID/proc/kallsyms)", dir);
	return err;
}

/*
 * GUEST_USER maps of an ELF guest image for each -p process (record's
 * --guest-user-elf): every executable PT_LOAD segment, page aligned.
 */
static int synth_guest_elf(struct top_cmd *t, struct kp_synth *s)
{
	char *abs = realpath(t->guest_user_elf, NULL);
	size_t nph;
	int fd, err = 0, nr = 0;
	Elf *elf;

	if (!abs)
		return kp_error(-errno, "'%s': cannot find the guest image: %s", t->guest_user_elf,
				strerror(errno));
	fd = open(abs, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = kp_error(-errno, "'%s': cannot open: %s", abs, strerror(errno));
		free(abs);
		return err;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &nph)) {
		err = kp_error(KP_ERR_BAD_ELF, "'%s': not an ELF file", abs);
		goto out;
	}
	for (size_t i = 0; !err && i < nph; i++) {
		GElf_Phdr ph;
		u64 start, len;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_X) || (s64)ph.p_vaddr < 0)
			continue;
		start = ph.p_vaddr & ~0xfffULL;
		len = (ph.p_vaddr + ph.p_memsz - start + 0xfff) & ~0xfffULL;
		for (int p = 0; !err && p < t->nr_procs; p++) {
			err = kp_synth__mmap2(s, PERF_RECORD_MISC_GUEST_USER, (u32)t->procs[p],
					      (u32)t->procs[p], start, len, ph.p_offset & ~0xfffULL,
					      PROT_READ | PROT_EXEC, MAP_PRIVATE, abs);
			if (!err)
				err = kp_synth__guest_comms(s, t->procs[p]);
			nr++;
		}
	}
	if (!err && !nr)
		pr_warning("'%s': no guest user map made (%s)", abs,
			   t->nr_procs ? "no executable segment" : "--guest-user-elf needs -p PID");
out:
	if (elf)
		elf_end(elf);
	close(fd);
	free(abs);
	return err;
}

static int synthesize(struct top_cmd *t)
{
	struct kp_synth *s = xmalloc(sizeof(*s));
	struct kp_ctx *ctx = t->ctx;
	int err;

	kp_synth__init(s, synth_emit, t, t->evsel.id_hdr_size);
	err = kp_synth__kernel_mmap(s, "/proc/kallsyms", false, -1);
	if (err)
		pr_warning("%s: host kernel samples will not be resolved", kp_errmsg(err));
	err = kp_synth__modules(s, "/proc/modules", false, -1);
	if (!err && ctx->guestmodules)
		err = kp_synth__modules(s, ctx->guestmodules, true, 0);
	if (!err && ctx->guestkallsyms) {
		err = kp_synth__kernel_mmap(s, ctx->guestkallsyms, true, 0);
		if (err) {
			pr_warning("%s: default guest kernel samples will not be resolved",
				   kp_errmsg(err));
			err = 0;
		}
	}
	if (!err && ctx->guestmount)
		err = synth_guestmount(t, s);
	if (!err) {
		if (!t->nr_tids) {
			err = kp_synth__all(s);
		} else if (t->tid_str) {
			err = kp_synth__thread(s, t->tids[0]);
		} else {
			for (int p = 0; !err && p < t->nr_procs; p++)
				err = kp_synth__process(s, t->procs[p], true);
		}
	}
	if (!err && t->guest_user_elf)
		err = synth_guest_elf(t, s);
	free(s);
	return err;
}

/* ---- the loop ---- */

static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void drain(struct top_cmd *t)
{
	for (int r = 0; r < t->nr_rings; r++) {
		int n = kp_ring__drain(&t->rings[r], &t->evlist, &t->tool);

		if (n < 0)
			pr_warning("%s", kp_errmsg(n));
	}
}

struct top_screen {
	bool tui;
	bool clear; /* --stdio on a terminal: clear between snapshots */
	int cols;
	size_t rows;
	struct top_view view;
	struct tui_top st;
	struct top_headline hl;
	struct top_snapshot snap;
};

static void show(struct top_cmd *t, struct top_screen *sc)
{
	if (sc->tui) {
		sc->st.mode = sc->view.mode;
		sc->st.dso = sc->view.dso;
		tui_top__draw(&sc->snap, &sc->st);
	} else {
		struct strbuf sb = STRBUF_INIT;

		if (sc->clear)
			strbuf_addstr(&sb, "\033[H\033[2J");
		top_stdio__render(&sb, &sc->snap, sc->cols, sc->rows);
		fwrite(sb.buf, 1, sb.len, stdout);
		fflush(stdout);
		strbuf_release(&sb);
	}
}

/* returns true to quit */
static bool handle_key(struct top_screen *sc, int key)
{
	switch (key) {
	case 'q':
	case 'Q':
	case 3: /* Ctrl-C when the terminal does not signal */
		return true;
	case 'h':
		sc->view.mode = (enum top_view_mode)((sc->view.mode + 1) % TOP_VIEW_NR);
		sc->st.selected = sc->st.scroll = 0;
		break;
	case 'd':
		if (sc->view.dso) {
			sc->view.dso = NULL;
		} else if (sc->snap.nr_rows) {
			const struct top_row *r = &sc->snap.rows[sc->st.selected < sc->snap.nr_rows
									? sc->st.selected : 0];

			snprintf(sc->st.dso_buf, sizeof(sc->st.dso_buf), "%s", r->dso_name);
			sc->view.dso = sc->st.dso_buf;
		} else {
			sc->st.message = "nothing to zoom into";
		}
		sc->st.selected = sc->st.scroll = 0;
		break;
	case TUI_KEY_UP:
		tui_top__move(&sc->st, -1, sc->snap.nr_rows);
		break;
	case TUI_KEY_DOWN:
		tui_top__move(&sc->st, 1, sc->snap.nr_rows);
		break;
	case TUI_KEY_PGUP:
		tui_top__move(&sc->st, -(long)sc->st.page, sc->snap.nr_rows);
		break;
	case TUI_KEY_PGDN:
		tui_top__move(&sc->st, (long)sc->st.page, sc->snap.nr_rows);
		break;
	case TUI_KEY_HOME:
		sc->st.selected = 0;
		break;
	case TUI_KEY_END:
		tui_top__move(&sc->st, (long)sc->snap.nr_rows, sc->snap.nr_rows);
		break;
	case TUI_KEY_RESIZE:
		break;
	default:
		return false;
	}
	top_snapshot__set_view(&sc->snap, &sc->view);
	return false;
}

static int top_loop(struct top_cmd *t, struct top_screen *sc, int sfd)
{
	struct pollfd *pfd = xcalloc((size_t)t->nr_rings + 2, sizeof(*pfd));
	int nfds = t->nr_rings + 1, ret = 0;
	double next = now_secs() + t->delay;
	u64 done = 0;
	bool stop = false;

	for (int r = 0; r < t->nr_rings; r++) {
		pfd[r].fd = t->rings[r].fd;
		pfd[r].events = POLLIN;
	}
	pfd[t->nr_rings].fd = sfd;
	pfd[t->nr_rings].events = POLLIN;
	if (sc->tui) {
		pfd[nfds].fd = STDIN_FILENO;
		pfd[nfds].events = POLLIN;
		nfds++;
	}
	while (!stop) {
		double left = next - now_secs();
		int timeout = left <= 0 ? 0 : (int)(left * 1000) + 1;
		int n;

		/* drain often: the rings only wake us up when half full */
		if (timeout > 100)
			timeout = 100;
		n = poll(pfd, (nfds_t)nfds, timeout);
		if (n < 0 && errno != EINTR) {
			ret = kp_error(-errno, "poll failed: %s", strerror(errno));
			break;
		}
		drain(t);
		if (n > 0 && (pfd[t->nr_rings].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				stop = true;
		}
		for (int r = 0; r < t->nr_rings; r++)
			if (pfd[r].fd >= 0 && (pfd[r].revents & (POLLHUP | POLLERR)))
				pfd[r].fd = -1; /* its tasks exited: drained, nothing more comes */
		if (sc->tui) {
			bool redraw = false;
			int key;

			while ((key = tui__getkey()) != TUI_KEY_NONE) {
				if (handle_key(sc, key)) {
					stop = true;
					break;
				}
				redraw = true;
			}
			if (redraw && !stop)
				show(t, sc);
		}
		if (stop)
			break;
		if (now_secs() >= next) {
			top__snapshot(&t->top, &sc->hl, &sc->view, &sc->snap);
			show(t, sc);
			next += t->delay;
			if (next < now_secs())
				next = now_secs() + t->delay;
			if (t->iterations && ++done >= t->iterations)
				stop = true;
		}
	}
	free(pfd);
	return ret;
}

static void top_exit(struct top_cmd *t)
{
	for (int r = 0; r < t->nr_rings; r++)
		kp_ring__munmap(&t->rings[r]);
	for (int i = 0; i < t->nr_fds; i++)
		close(t->fds[i]);
	free(t->rings);
	free(t->fds);
	free(t->cpus);
	free(t->tids);
	free(t->procs);
	free(t->ev_name);
	top__exit(&t->top);
	if (t->machines_ok)
		machines__exit(&t->machines);
}

static void terminal_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = *rows = 0;
	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws)) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

int cmd_top(int argc, char **argv, struct kp_ctx *ctx)
{
	struct top_cmd *t = xzalloc(sizeof(*t));
	struct top_screen *sc = xzalloc(sizeof(*sc));
	sigset_t mask, oldmask;
	int sfd = -1, err, status = KP_EXIT_FAILURE, term_rows = 0;
	bool blocked = false;

	t->ctx = ctx;
	t->freq = 4000;
	t->delay = 2;
	top__init(&t->top);
	err = parse_options(t, argc, argv);
	if (err) {
		status = err < 0 ? KP_EXIT_OK : err;
		goto out;
	}
	if (!t->mmap_pages)
		t->mmap_pages = kp_ring__default_pages();
	if (check_freq(t)) {
		status = KP_EXIT_USAGE;
		goto out;
	}
	err = setup_targets(t);
	if (err) {
		status = err;
		goto out;
	}
	err = setup_event(t);
	if (err) {
		status = err;
		goto out;
	}
	sc->tui = !t->use_stdio && (t->force_tui || (isatty(STDOUT_FILENO) &&
						     isatty(STDIN_FILENO)));

	/* resolve everything; the view decides what is shown */
	t->conf.host = true;
	t->conf.guest = true;
	t->conf.guestmount = ctx->guestmount;
	t->conf.guestkallsyms = ctx->guestkallsyms;
	t->conf.guestmodules = ctx->guestmodules;
	t->conf.guestvmlinux = ctx->guestvmlinux;
	err = machines__init(&t->machines, &t->conf);
	t->machines_ok = true;
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	t->tool.sample = tool_sample;
	t->tool.mmap = tool_event;
	t->tool.mmap2 = tool_event;
	t->tool.comm = tool_event;
	t->tool.fork = tool_event;
	t->tool.exit = tool_event;
	t->tool.lost = tool_lost;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	blocked = true;
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		status = kp_fail(kp_error(-errno, "signalfd: %s", strerror(errno)));
		goto out;
	}
	err = open_events(t);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	if (kp_event_dryrun()) {
		fprintf(stderr, "[ kvmprof top: dry run: %d events opened, nothing shown ]\n",
			t->nr_fds);
		status = KP_EXIT_OK;
		goto out;
	}
	err = synthesize(t);
	if (err) {
		status = kp_fail(err);
		goto out;
	}

	sc->hl.guest = ctx->guest;
	sc->hl.delay_secs = t->delay;
	sc->hl.sample_period = t->attr.sample_period;
	sc->hl.freq = kp_attr_flag(&t->attr, KP_ATTR_FREQ);
	sc->hl.event = t->ev_name;
	sc->hl.target_pid = t->pid_list;
	sc->hl.target_tid = t->tid_str;
	sc->hl.cpu_list = t->cpu_list;
	sc->hl.nr_cpus = t->nr_cpus;
	sc->view.mode = ctx->host && ctx->guest ? TOP_VIEW_BOTH
			: ctx->host		? TOP_VIEW_HOST
						: TOP_VIEW_GUEST;
	terminal_size(&sc->cols, &term_rows);
	sc->rows = t->entries ? t->entries : 0;
	if (!sc->tui && !t->entries && term_rows > 11)
		sc->rows = (size_t)term_rows - 11; /* a screenful, as perf top --stdio */
	sc->clear = !sc->tui && isatty(STDOUT_FILENO);
	if (sc->tui) {
		err = tui__start();
		if (err) {
			status = kp_fail(err);
			goto out;
		}
		/* an empty screen right away: the first numbers come after -d seconds */
		sc->snap.hl = sc->hl;
		sc->st.mode = sc->view.mode;
		show(t, sc);
	}
	ioctl_all(t, PERF_EVENT_IOC_ENABLE);
	err = top_loop(t, sc, sfd);
	ioctl_all(t, PERF_EVENT_IOC_DISABLE);
	tui__stop();
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	status = KP_EXIT_OK;
out:
	tui__stop();
	if (sfd >= 0)
		close(sfd);
	if (blocked)
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
	top_snapshot__exit(&sc->snap);
	top_exit(t);
	free(sc);
	free(t);
	return status;
}
