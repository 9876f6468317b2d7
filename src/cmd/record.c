// SPDX-License-Identifier: GPL-2.0
/*
 * record.c - kvmprof record: sample host and/or guests into a perf.data file.
 *
 * Flow: parse options -> resolve the targets and build the attrs
 * (collect/target.h, shared with top) -> (fork the workload, held) -> open
 * one fd per (event, cpu, thread) and one ring per CPU -> open the writer ->
 * synthesize kernel/module/guest kernel/thread/guest-image maps (also every
 * guest under --guestmount) -> enable -> one poll() loop over the rings and a
 * signalfd (SIGINT, SIGTERM, SIGCHLD) -> disable, drain, finish with the
 * build-ids of the hit DSOs, guest ones included.
 *
 * A command after -p/-t (or -a/-C) only says how long to record, as in
 * `perf kvm record -p PID -- sleep 10`; alone it is the target.
 *
 * Host/guest exclusion follows perf kvm's fixed (2025) rule: guest only ->
 * exclude_host=1; host only -> exclude_guest=1; both -> neither bit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/builtin.h"
#include "cmd/cmd-util.h"
#include "collect/buildid.h"
#include "collect/events.h"
#include "collect/evopen.h"
#include "collect/hits.h"
#include "collect/ring-write.h"
#include "collect/ring.h"
#include "collect/synth.h"
#include "collect/target.h"
#include "data/evsel.h"
#include "data/header.h"
#include "data/tracing-data.h"
#include "data/writer.h"

static const char *const record_usage[] = {
	"kvmprof [--host] [--guest] [--guestmount=DIR] record [-a | -p PID,... | -t TID | -C CPUS]\n"
	"        [OPTIONS] [-- COMMAND...]",
	NULL,
};

static void record_help(FILE *fp)
{
	kp_print_usage(fp, record_usage);
	fputs("\nSample the host and/or KVM guests into a perf.data file (perf kvm record).\n\n"
	      "    -a, --all-cpus            system-wide, on every CPU\n"
	      "    -p, --pid PID,...         existing processes (all their threads)\n"
	      "    -t, --tid TID             one existing thread\n"
	      "    -C, --cpu CPUS            only these CPUs (e.g. 0-1,3)\n"
	      "    -e, --event EVENT         cycles, instructions, cpu-clock, task-clock, SYS:TRACEPOINT\n"
	      "                              (default: cycles, or cpu-clock without a hardware PMU)\n"
	      "    -F, --freq N              sample N times a second (default 4000)\n"
	      "    -c, --count N             sample every N events instead\n"
	      "    -g                        record call chains (frame pointers)\n"
	      "        --call-graph fp       the same\n"
	      "    -m, --mmap-pages N        ring buffer pages per CPU (power of two, or 512K, 1M ...)\n"
	      "    -o, --output FILE         output file (default perf.data.guest/.kvm/.host)\n"
	      "        --proc-map-timeout MS per-process /proc/PID/maps timeout (default 500)\n"
	      "    -z, --compression-level[=N]  zstd-compress the data (default level 1)\n"
	      "    -B, --no-buildid          do not collect build-ids\n"
	      "    -N, --no-buildid-cache    do not copy --guestmount guest files into the build-id\n"
	      "                              cache ($PERF_BUILDID_DIR or ~/.debug)\n"
	      "        --guest-user-elf FILE name guest user samples with FILE's symbols (an ELF\n"
	      "                              image loaded at its link addresses in the guest)\n"
	      "    -q, --quiet               no summary lines\n"
	      "\nGlobal options before 'record': --host, --guest, --no-guest, --guestkallsyms,\n"
	      "--guestmodules, --guestvmlinux, --guestmount, -o FILE.  Guest only (the default)\n"
	      "sets exclude_host, --host --no-guest sets exclude_guest, --host --guest neither.\n"
	      "With -a/-C/-p/-t a COMMAND only says how long to record.\n"
	      "\nWith --guestmount=DIR, every DIR/PID/proc/kallsyms (and proc/modules) is the kernel\n"
	      "of the guest run by VMM process PID and DIR/PID/guest-user.maps (as\n"
	      "kvmprof-demo-guest writes it) names its user code; their build-ids are taken from\n"
	      "DIR/PID/sys/kernel/notes, DIR/PID/sys/module and the files under DIR/PID.\n",
	      fp);
}

struct record {
	struct kp_ctx *ctx;
	const char *output;
	/* options */
	bool all_cpus, callchain, no_buildid, no_buildid_cache, quiet;
	const char *guest_user_elf;
	char **workload;
	bool workload_target; /* the command is what is profiled (no -a/-C/-p/-t) */
	u64 freq, count;
	bool freq_set, count_set;
	unsigned int mmap_pages, proc_map_timeout;
	int comp_level; /* 0 = off */
	/* events and targets */
	struct evlist evlist;
	struct kp_target target;
	/* workload */
	pid_t child;
	int go_fd, err_fd;
	int child_status;
	bool child_done;
	/* output */
	struct kp_ring_writer out; /* the file (out.w), its sticky write error, records */
	struct kp_hits *hits;
	u64 samples, lost, lost_samples, throttled, unthrottled, wakeups;
	u64 first_time, last_time;
	bool have_time;
	int time_off; /* u64 index of the sample time in a SAMPLE body, -1 if none */
};

/* ---- option helpers ---- */

/* "N" pages (power of two) or a size "512K", "1M": returns pages or 0 */
static unsigned int parse_pages(const char *s)
{
	long page = sysconf(_SC_PAGESIZE);
	char *end;
	unsigned long long v;
	u64 bytes;
	unsigned int p2 = 1;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-' || v == 0)
		return 0;
	if (!*end) {
		if (v & (v - 1) || v > (1u << 20))
			return 0;
		return (unsigned int)v;
	}
	bytes = v;
	switch (*end | 0x20) {
	case 'b':
		break;
	case 'k':
		bytes <<= 10;
		break;
	case 'm':
		bytes <<= 20;
		break;
	case 'g':
		bytes <<= 30;
		break;
	default:
		return 0;
	}
	if (end[1] && !((end[1] | 0x20) == 'b' && !end[2]))
		return 0;
	bytes = (bytes + (u64)page - 1) / (u64)page;
	while (p2 < bytes && p2 < (1u << 20))
		p2 *= 2;
	return bytes > (1u << 20) ? 0 : p2;
}

static void add_event(struct record *rec, const struct kp_attr *attr, const char *name)
{
	struct evsel *evsel = evsel__new(attr, rec->evlist.nr);

	evsel->name = xstrdup(name);
	evlist__add(&rec->evlist, evsel);
}

/* ---- attrs ---- */

static int config_attrs(struct record *rec)
{
	struct kp_sample_opts o = {
		.freq = rec->freq, .count = rec->count, .count_set = rec->count_set,
		.callchain = rec->callchain, .enable_on_exec = rec->workload_target,
		.host = rec->ctx->host, .guest = rec->ctx->guest,
	};

	/* the sample layout is fixed: ip, pid/tid, time, ... */
	rec->time_off = 2;
	return kp_target__config_attrs(&rec->target, &rec->evlist, &o);
}

/* ---- workload ---- */

static int prepare_workload(struct record *rec, const sigset_t *oldmask)
{
	int go[2], errp[2];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) || pipe2(errp, O_CLOEXEC))
		return kp_error(-errno, "cannot create a pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		return kp_error(-errno, "cannot fork: %s", strerror(errno));
	if (pid == 0) {
		char c;
		int e;

		close(go[1]);
		close(errp[0]);
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (read(go[0], &c, 1) != 1)
			_exit(127); /* the parent gave up */
		execvp(rec->workload[0], rec->workload);
		e = errno;
		if (write(errp[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(errp[1]);
	rec->child = pid;
	rec->go_fd = go[1];
	rec->err_fd = errp[0];
	/* with -a/-C/-p/-t the command only says how long to record */
	if (rec->workload_target) {
		kp_target__add_thread(&rec->target, pid);
		kp_target__add_proc(&rec->target, pid);
	}
	return 0;
}

static int start_workload(struct record *rec)
{
	int e = 0;
	ssize_t n;

	if (write(rec->go_fd, "g", 1) != 1)
		return kp_error(-errno, "cannot start the workload: %s", strerror(errno));
	close(rec->go_fd);
	rec->go_fd = -1;
	/* the error pipe closes on a successful exec */
	n = read(rec->err_fd, &e, sizeof(e));
	close(rec->err_fd);
	rec->err_fd = -1;
	if (n == (ssize_t)sizeof(e))
		return kp_error(-e, "cannot run '%s': %s", rec->workload[0], strerror(e));
	return 0;
}

static void kill_workload(struct record *rec)
{
	if (rec->child > 0 && !rec->child_done) {
		if (rec->go_fd >= 0) {
			close(rec->go_fd); /* never started: it exits by itself */
			rec->go_fd = -1;
		} else {
			kill(rec->child, SIGTERM);
		}
		if (waitpid(rec->child, &rec->child_status, 0) == rec->child)
			rec->child_done = true;
	}
}

/* ---- writing ---- */

static int synth_emit(void *arg, const union perf_event *ev)
{
	struct record *rec = arg;

	kp_hits__event(rec->hits, ev);
	return kp_ring_writer__write(&rec->out, ev, ev->header.size);
}

static void note_record(struct record *rec, const union perf_event *ev)
{
	const u64 *body;

	switch (ev->header.type) {
	case PERF_RECORD_SAMPLE: {
		u64 ip, time;
		u32 pid;

		if (ev->header.size < 8 + 3 * 8)
			break;
		body = (const u64 *)((const u8 *)ev + sizeof(struct perf_event_header));
		ip = body[0];
		memcpy(&pid, &body[1], 4);
		time = body[rec->time_off];
		rec->samples++;
		kp_hits__sample(rec->hits, ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK, pid,
				ip);
		if (!rec->have_time || time < rec->first_time)
			rec->first_time = time;
		if (!rec->have_time || time > rec->last_time)
			rec->last_time = time;
		rec->have_time = true;
		break;
	}
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
	case PERF_RECORD_FORK:
		kp_hits__event(rec->hits, ev);
		break;
	case PERF_RECORD_LOST:
		rec->lost += ev->lost.lost;
		break;
	case PERF_RECORD_LOST_SAMPLES:
		rec->lost_samples += ev->lost_samples.lost;
		break;
	case PERF_RECORD_THROTTLE:
		rec->throttled++;
		break;
	case PERF_RECORD_UNTHROTTLE:
		rec->unthrottled++;
		break;
	default:
		break;
	}
}

/* one record of the rings, before it is written */
static void note_ring_record(void *arg, const union perf_event *ev)
{
	note_record(arg, ev);
}

/* drain every ring once; returns the number of records found */
static u64 drain_rings(struct record *rec)
{
	return kp_ring_writer__drain(&rec->out, rec->target.rings, rec->target.nr_rings);
}

/* ---- synthesis ---- */

/* a guest machine under --guestmount: its samples' DSOs are its own */
static int guest_found(void *arg, pid_t pid)
{
	struct record *rec = arg;

	kp_hits__add_guest(rec->hits, pid);
	return 0;
}

static int synthesize(struct record *rec)
{
	struct kp_synth *s = xmalloc(sizeof(*s));
	struct kp_ctx *ctx = rec->ctx;
	struct kp_synth_opts o = {
		.guestkallsyms = ctx->guest ? ctx->guestkallsyms : NULL,
		.guestmodules = ctx->guest ? ctx->guestmodules : NULL,
		.strict_guestkallsyms = true,
		.guestmount = ctx->guest ? ctx->guestmount : NULL,
		.guest_found = guest_found,
		.arg = rec,
		.guest_user_elf = rec->guest_user_elf,
		.held_workload = rec->workload_target,
	};
	int err;

	/* every event has the same sample_type, so one trailer size fits all */
	kp_synth__init(s, synth_emit, rec, rec->evlist.entries[0]->id_hdr_size);
	s->proc_map_timeout_ms = rec->proc_map_timeout;
	err = kp_target__synthesize(&rec->target, s, &o);
	free(s);
	if (err && !rec->out.err)
		return err;
	return rec->out.err;
}

/* ---- build-ids ---- */

struct bid_ctx {
	struct record *rec;
	struct perf_header *header;
	u32 alloc;
};

static int add_build_id(void *arg, u8 cpumode, s32 machine_pid, const char *name)
{
	struct bid_ctx *bc = arg;
	struct perf_header *h = bc->header;
	struct kp_ctx *ctx = bc->rec->ctx;
	struct build_id_entry *e;
	u8 id[KP_BUILD_ID_MAX];
	int size;

	for (u32 i = 0; i < h->nr_build_ids; i++)
		if (h->build_ids[i].cpumode == cpumode && h->build_ids[i].pid == machine_pid &&
		    !strcmp(h->build_ids[i].filename, name))
			return 0;
	size = kp_buildid__for_dso(cpumode, machine_pid, name, ctx->guestmount, ctx->guestvmlinux,
				   id);
	if (size <= 0)
		return 0;
	ALLOC_GROW(h->build_ids, h->nr_build_ids + 1, bc->alloc);
	e = &h->build_ids[h->nr_build_ids++];
	memset(e, 0, sizeof(*e));
	e->cpumode = cpumode;
	e->pid = machine_pid;
	memcpy(e->build_id, id, (size_t)size);
	e->size = (u8)size;
	e->filename = xstrdup(name);
	/*
	 * A --guestmount guest's file is named by its guest path: readers (perf
	 * kvm report) find it by build-id in the cache, where perf record puts it.
	 */
	if (cpumode == PERF_RECORD_MISC_GUEST_USER && machine_pid > 0 && ctx->guestmount &&
	    name[0] == '/' && !bc->rec->no_buildid_cache) {
		struct strbuf file = STRBUF_INIT;
		int err;

		strbuf_addf(&file, "%s/%d%s", ctx->guestmount, (int)machine_pid, name);
		err = kp_buildid__cache_add(file.buf, name, id, size);
		if (err)
			pr_warning("%s: perf will not find the symbols of '%s'", kp_errmsg(err),
				   name);
		strbuf_release(&file);
	}
	return 0;
}

/* ---- the loop ---- */

static int record_loop(struct record *rec, int sfd)
{
	struct kp_target *t = &rec->target;
	struct pollfd *pfd = xcalloc((size_t)t->nr_rings + 1, sizeof(*pfd));
	bool stop = false;
	int ret = 0, nr_hup = 0;

	for (int r = 0; r < t->nr_rings; r++) {
		pfd[r].fd = t->rings[r].fd;
		pfd[r].events = POLLIN;
	}
	pfd[t->nr_rings].fd = sfd;
	pfd[t->nr_rings].events = POLLIN;
	while (!stop) {
		int n = poll(pfd, (nfds_t)t->nr_rings + 1, 1000);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = kp_error(-errno, "poll failed: %s", strerror(errno));
			break;
		}
		if (n > 0)
			rec->wakeups++;
		drain_rings(rec);
		if (rec->out.err)
			break;
		if (pfd[t->nr_rings].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD) {
					if (rec->child > 0 &&
					    waitpid(rec->child, &rec->child_status, WNOHANG) ==
						    rec->child) {
						rec->child_done = true;
						stop = true;
					}
				} else {
					stop = true;
				}
			}
		}
		/*
		 * A ring whose tasks all exited reports POLLHUP forever: stop polling it
		 * (it was just drained).  Thread targets: all gone means done.
		 */
		for (int r = 0; r < t->nr_rings; r++) {
			if (pfd[r].fd >= 0 && (pfd[r].revents & (POLLHUP | POLLERR))) {
				pfd[r].fd = -1;
				nr_hup++;
			}
		}
		if (nr_hup == t->nr_rings && t->nr_tids && !rec->workload)
			stop = true;
	}
	free(pfd);
	return ret;
}

/* ---- main ---- */

enum {
	OPT_CALL_GRAPH = 256,
	OPT_PROC_MAP_TIMEOUT,
	OPT_GUEST_USER_ELF,
};

static const struct option record_opts[] = {
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "event", required_argument, NULL, 'e' },
	{ "freq", required_argument, NULL, 'F' },
	{ "count", required_argument, NULL, 'c' },
	{ "call-graph", required_argument, NULL, OPT_CALL_GRAPH },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "output", required_argument, NULL, 'o' },
	{ "proc-map-timeout", required_argument, NULL, OPT_PROC_MAP_TIMEOUT },
	{ "compression-level", optional_argument, NULL, 'z' },
	{ "no-buildid", no_argument, NULL, 'B' },
	{ "no-buildid-cache", no_argument, NULL, 'N' },
	{ "guest-user-elf", required_argument, NULL, OPT_GUEST_USER_ELF },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void record_exit(struct record *rec)
{
	kp_target__exit(&rec->target);
	evlist__exit(&rec->evlist);
	kp_hits__delete(rec->hits);
	perf_writer__delete(rec->out.w);
}

static int parse_options(struct record *rec, int argc, char **argv)
{
	u64 v;
	int c, err;

	while ((c = getopt_long(argc, argv, "+ap:t:C:e:F:c:gm:o:z::BNqh", record_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			rec->all_cpus = true;
			break;
		case 'p':
			rec->target.pid_list = optarg;
			break;
		case 't':
			rec->target.tid_str = optarg;
			break;
		case 'C':
			rec->target.cpu_list = optarg;
			break;
		case 'e': {
			struct kp_attr a = { 0 };

			err = kp_event__parse(optarg, &a);
			if (err == KP_ERR_USAGE)
				return kp_usage_error(record_usage, "%s", kp_errmsg(err));
			if (err)
				return kp_fail(err);
			add_event(rec, &a, optarg);
			break;
		}
		case 'F':
			if (!strcmp(optarg, "max")) {
				v = 0;
			} else if (kp_parse_u64(optarg, &v) || !v) {
				return kp_usage_error(record_usage, "-F wants a positive number, "
						      "not '%s'", optarg);
			}
			rec->freq = v;
			rec->freq_set = true;
			break;
		case 'c':
			if (kp_parse_u64(optarg, &v) || !v)
				return kp_usage_error(record_usage, "-c wants a positive number, "
						      "not '%s'", optarg);
			rec->count = v;
			rec->count_set = true;
			break;
		case 'g':
			rec->callchain = true;
			break;
		case OPT_CALL_GRAPH:
			if (strcmp(optarg, "fp"))
				return kp_usage_error(record_usage, "--call-graph: only 'fp' is "
						      "supported, not '%s'", optarg);
			rec->callchain = true;
			break;
		case 'm':
			rec->mmap_pages = parse_pages(optarg);
			if (!rec->mmap_pages)
				return kp_usage_error(record_usage, "-m wants a power of two of pages "
						      "or a size like 512K, not '%s'", optarg);
			break;
		case 'o':
			rec->output = optarg;
			break;
		case OPT_PROC_MAP_TIMEOUT:
			if (kp_parse_u64(optarg, &v) || v > 3600000)
				return kp_usage_error(record_usage, "bad --proc-map-timeout '%s'",
						      optarg);
			rec->proc_map_timeout = (unsigned int)v;
			break;
		case 'z':
			rec->comp_level = 1;
			if (optarg) {
				if (kp_parse_u64(optarg, &v) || v < 1 || v > 22)
					return kp_usage_error(record_usage, "-z wants a level 1..22, "
							      "not '%s'", optarg);
				rec->comp_level = (int)v;
			}
			break;
		case 'B':
			rec->no_buildid = true;
			break;
		case 'N':
			rec->no_buildid_cache = true;
			break;
		case OPT_GUEST_USER_ELF:
			rec->guest_user_elf = optarg;
			break;
		case 'q':
			rec->quiet = true;
			break;
		case 'h':
			record_help(stdout);
			return -1;
		case ':':
			return kp_usage_error(record_usage, "option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return kp_usage_error(record_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		rec->workload = argv + optind;
	if (rec->workload && !strcmp(rec->workload[0], "--"))
		rec->workload++;
	if (rec->workload && !rec->workload[0])
		rec->workload = NULL;
	{
		const struct kp_target *t = &rec->target;
		bool cpus = rec->all_cpus || t->cpu_list;

		if (cpus + !!t->pid_list + !!t->tid_str > 1)
			return kp_usage_error(record_usage, "choose one target: -a/-C, -p, -t or a "
					      "command");
		if (!cpus && !t->pid_list && !t->tid_str && !rec->workload)
			return kp_usage_error(record_usage, "nothing to record: give -a, -C, -p, -t "
					      "or a command after --");
		rec->workload_target = rec->workload && !cpus && !t->pid_list && !t->tid_str;
	}
	if (rec->freq_set && rec->count_set)
		return kp_usage_error(record_usage, "-F and -c exclude each other");
	return 0;
}

static int check_freq(struct record *rec)
{
	bool lowered;
	int err = kp_sample_freq__check(&rec->freq, rec->freq_set, &lowered);

	if (err) {
		pr_err("%s", kp_errmsg(err));
		return -1;
	}
	if (lowered)
		pr_info("info: using the maximum sample rate of %llu Hz",
			(unsigned long long)rec->freq);
	return 0;
}

static void setup_events(struct record *rec)
{
	struct kp_attr a = { 0 };
	const char *name;

	if (rec->evlist.nr)
		return;
	name = kp_event__default(&a);
	if (a.type == PERF_TYPE_SOFTWARE && !rec->quiet)
		pr_info("no hardware PMU: using cpu-clock");
	add_event(rec, &a, name);
}

static int setup_targets(struct record *rec, const sigset_t *oldmask)
{
	int err = kp_target__resolve(&rec->target);

	if (err == KP_ERR_USAGE)
		return kp_usage_error(record_usage, "%s", kp_errmsg(err));
	if (err)
		return kp_fail(err);
	if (rec->workload) {
		err = prepare_workload(rec, oldmask);
		if (err)
			return kp_fail(err);
	}
	return 0;
}

static double file_mb(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	return (double)st.st_size / 1024.0 / 1024.0;
}

static int finish_file(struct record *rec)
{
	struct perf_header header;
	struct bid_ctx bc = { .rec = rec, .header = &header };
	int err;

	memset(&header, 0, sizeof(header));
	err = perf_header__fill_host(&header, rec->ctx->argc, rec->ctx->argv);
	if (err)
		pr_warning("cannot describe the host in the header: %s", kp_errmsg(err));
	if (!rec->no_buildid && !rec->out.err) {
		kp_hits__for_each(rec->hits, add_build_id, &bc);
		perf_header__set_feat(&header, HEADER_BUILD_ID);
	}
	if (rec->have_time) {
		header.first_sample_time = rec->first_time;
		header.last_sample_time = rec->last_time;
		perf_header__set_feat(&header, HEADER_SAMPLE_TIME);
	}
	for (int e = 0; e < rec->evlist.nr; e++) {
		if (rec->evlist.entries[e]->attr.type != PERF_TYPE_TRACEPOINT)
			continue;
		{
			const char **names = xcalloc((size_t)rec->evlist.nr, sizeof(*names));
			struct strbuf blob = STRBUF_INIT;
			int nr = 0;

			for (int j = 0; j < rec->evlist.nr; j++)
				if (rec->evlist.entries[j]->attr.type == PERF_TYPE_TRACEPOINT)
					names[nr++] = evsel__name(rec->evlist.entries[j]);
			err = tracing_data__build(&blob, names, nr);
			free(names);
			if (err) {
				pr_warning("cannot describe the tracepoints: %s", kp_errmsg(err));
				strbuf_release(&blob);
			} else {
				header.tracing_data_size = blob.len;
				header.tracing_data = strbuf_detach(&blob, NULL);
				perf_header__set_feat(&header, HEADER_TRACING_DATA);
			}
		}
		break;
	}
	err = perf_writer__finish(rec->out.w, &header);
	perf_header__exit(&header);
	return err;
}

/*
 * After ENOSPC/EIO the writer cannot finish (there is no room for the feature
 * sections).  Keep what reached the disk: move the temporary file aside, cut
 * it after the last whole record, store that data size in its header
 * (rewriting bytes in place needs no space) and move it to the output name,
 * an existing output going to FILE.old as usual.  The result is a valid
 * perf.data file without header features (no build-ids, hostname ...).
 */
static int salvage_partial(struct record *rec, u64 *kept)
{
	struct strbuf tmp = STRBUF_INIT, part = STRBUF_INIT, old = STRBUF_INIT;
	struct perf_file_header h;
	struct stat st;
	const u8 *map = MAP_FAILED;
	u64 off = 0;
	int fd = -1, err = 0;

	strbuf_addf(&tmp, "%s.tmp", rec->output);
	strbuf_addf(&part, "%s.partial", rec->output);
	strbuf_addf(&old, "%s.old", rec->output);
	if (rename(tmp.buf, part.buf) < 0) {
		err = kp_error(-errno, "'%s': cannot keep the partial recording: %s", tmp.buf,
			       strerror(errno));
		goto out;
	}
	fd = open(part.buf, O_RDWR | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    h.magic != PERF_MAGIC2 || h.data.offset > (u64)st.st_size) {
		err = kp_error(KP_ERR_TRUNCATED, "'%s': too little was written to keep anything",
			       part.buf);
		goto out;
	}
	if ((u64)st.st_size > h.data.offset)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	off = h.data.offset;
	if (map != MAP_FAILED) {
		while (off + sizeof(struct perf_event_header) <= (u64)st.st_size) {
			struct perf_event_header eh;

			memcpy(&eh, map + off, sizeof(eh));
			if (eh.size < sizeof(eh) || off + eh.size > (u64)st.st_size)
				break;
			off += eh.size;
		}
		munmap((void *)map, (size_t)st.st_size);
	}
	h.data.size = off - h.data.offset;
	memset(h.adds_features, 0, sizeof(h.adds_features));
	if (ftruncate(fd, (off_t)off) < 0 || pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    fsync(fd) < 0) {
		err = kp_error(-errno, "'%s': cannot fix up the partial recording: %s", part.buf,
			       strerror(errno));
		goto out;
	}
	if (!access(rec->output, F_OK) && rename(rec->output, old.buf) < 0) {
		err = kp_error(-errno, "'%s': cannot rename to '%s': %s", rec->output, old.buf,
			       strerror(errno));
		goto out;
	}
	if (rename(part.buf, rec->output) < 0)
		err = kp_error(-errno, "'%s': cannot rename to '%s': %s", part.buf, rec->output,
			       strerror(errno));
	*kept = h.data.size;
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&tmp);
	strbuf_release(&part);
	strbuf_release(&old);
	return err;
}

int cmd_record(int argc, char **argv, struct kp_ctx *ctx)
{
	struct record rec = {
		.ctx = ctx, .freq = 4000, .proc_map_timeout = 500, .go_fd = -1, .err_fd = -1,
	};
	sigset_t oldmask;
	int sfd = -1, err, status = KP_EXIT_FAILURE;

	evlist__init(&rec.evlist);
	rec.out.note = note_ring_record;
	rec.out.arg = &rec;
	err = parse_options(&rec, argc, argv);
	if (err) {
		record_exit(&rec);
		return err < 0 ? KP_EXIT_OK : err;
	}
	if (!rec.output)
		rec.output = kp_ctx__file_name(ctx);
	if (!rec.mmap_pages)
		rec.mmap_pages = kp_ring__default_pages();
	if (check_freq(&rec)) {
		record_exit(&rec);
		return KP_EXIT_USAGE;
	}
	setup_events(&rec);

	sfd = kp_signalfd__block(true, &oldmask);
	if (sfd < 0) {
		status = kp_fail(sfd);
		goto out;
	}
	err = setup_targets(&rec, &oldmask);
	if (err) {
		status = err;
		goto out;
	}
	err = config_attrs(&rec);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	rec.hits = kp_hits__new();

	err = kp_target__open(&rec.target, &rec.evlist, rec.mmap_pages, !rec.workload_target);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	if (kp_event_dryrun()) {
		if (!rec.quiet)
			fprintf(stderr, "[ kvmprof record: dry run: %d events opened, nothing "
					"recorded ]\n", rec.target.nr_fds);
		status = KP_EXIT_OK;
		goto out;
	}
	err = perf_writer__open(&rec.out.w, rec.output);
	for (int e = 0; !err && e < rec.evlist.nr; e++) {
		struct evsel *ev = rec.evlist.entries[e];

		err = perf_writer__add_evsel(rec.out.w, &ev->attr, evsel__name(ev), ev->ids,
					     ev->nr_ids);
	}
	if (!err && rec.comp_level)
		err = perf_writer__set_compression(rec.out.w, rec.comp_level);
	if (!err)
		err = perf_writer__start(rec.out.w);
	if (!err)
		err = synthesize(&rec);
	if (err && rec.out.err)
		goto write_failed;
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	/* a held workload's events enable on exec */
	if (kp_target__cpu_wide(&rec.target) || !rec.workload_target)
		kp_target__ioctl(&rec.target, PERF_EVENT_IOC_ENABLE);
	if (rec.workload) {
		err = start_workload(&rec);
		if (err) {
			status = kp_fail(err);
			goto out;
		}
	}

	err = record_loop(&rec, sfd);
	kp_target__ioctl(&rec.target, PERF_EVENT_IOC_DISABLE);
	kill_workload(&rec);
	/* the kernel may still be finishing records: drain until quiet */
	while (drain_rings(&rec) && !rec.out.err)
		;
	if (rec.out.err) {
		/* stop on ENOSPC/EIO: keep what was written, tell where it is */
		u64 kept;

write_failed:
		kept = 0;
		fprintf(stderr, "error: %s\n", kp_errmsg(rec.out.err));
		err = salvage_partial(&rec, &kept);
		if (err)
			fprintf(stderr, "error: %s\n", kp_errmsg(err));
		else
			fprintf(stderr, "[ kvmprof record: stopped early: %s holds the %.3f MB written "
					"before the error (a valid file without header features) ]\n",
				rec.output, (double)kept / 1024.0 / 1024.0);
		status = KP_EXIT_FAILURE;
		goto out;
	}
	err = finish_file(&rec);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	if (!rec.quiet) {
		fprintf(stderr, "[ kvmprof record: Woken up %llu times to write data ]\n",
			(unsigned long long)rec.wakeups);
		if (rec.lost || rec.lost_samples)
			fprintf(stderr, "[ kvmprof record: lost %llu events, %llu samples ]\n",
				(unsigned long long)rec.lost,
				(unsigned long long)rec.lost_samples);
		if (rec.throttled)
			fprintf(stderr, "[ kvmprof record: throttled %llu times ]\n",
				(unsigned long long)rec.throttled);
		fprintf(stderr, "[ kvmprof record: Captured and wrote %.3f MB %s (%llu samples) ]\n",
			file_mb(rec.output), rec.output, (unsigned long long)rec.samples);
	}
	status = KP_EXIT_OK;
out:
	kill_workload(&rec);
	if (sfd >= 0)
		close(sfd);
	if (rec.go_fd >= 0)
		close(rec.go_fd);
	if (rec.err_fd >= 0)
		close(rec.err_fd);
	record_exit(&rec);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return status;
}
