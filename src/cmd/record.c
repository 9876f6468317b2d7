// SPDX-License-Identifier: GPL-2.0
/*
 * record.c - kvmprof record: sample host and/or guests into a perf.data file.
 *
 * Flow: parse options -> build attrs -> (fork the workload, held) -> open one
 * fd per (event, cpu) or (event, thread) through collect/evopen.h -> map one
 * ring per cpu/thread -> open the writer -> synthesize kernel/module/guest
 * kernel/thread/guest-image maps -> enable -> one poll() loop over the rings
 * and a signalfd (SIGINT, SIGTERM, SIGCHLD) -> disable, drain, finish.
 *
 * Host/guest exclusion follows perf kvm's fixed (2025) rule: guest only ->
 * exclude_host=1; host only -> exclude_guest=1; both -> neither bit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gelf.h>
#include <libelf.h>
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
#include "collect/buildid.h"
#include "collect/events.h"
#include "collect/evopen.h"
#include "collect/hits.h"
#include "collect/ring.h"
#include "collect/synth.h"
#include "data/header.h"
#include "data/tracing-data.h"
#include "data/writer.h"

static const char *const record_usage[] = {
	"kvmprof [--host] [--guest] record [-a | -p PID,... | -t TID | -C CPUS] [OPTIONS] [-- COMMAND...]",
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
	      "        --guest-user-elf FILE name guest user samples with FILE's symbols (an ELF\n"
	      "                              image loaded at its link addresses in the guest)\n"
	      "    -q, --quiet               no summary lines\n"
	      "\nGlobal options before 'record': --host, --guest, --no-guest, --guestkallsyms,\n"
	      "--guestmodules, --guestvmlinux, -o FILE.  Guest only (the default) sets\n"
	      "exclude_host, --host --no-guest sets exclude_guest, --host --guest neither.\n",
	      fp);
}

struct rec_event {
	struct kp_attr attr;
	char *name;
	u64 *ids;
	u32 nr_ids;
};

struct rec_fd {
	int fd;
	int ev; /* index into events */
	int ring; /* ring index, -1 if redirected */
};

struct record {
	struct kp_ctx *ctx;
	const char *output;
	/* options */
	bool all_cpus, callchain, no_buildid, quiet;
	const char *cpu_list, *pid_list, *tid_str, *guest_user_elf;
	char **workload;
	u64 freq, count;
	bool freq_set, count_set;
	unsigned int mmap_pages, proc_map_timeout;
	int comp_level; /* 0 = off */
	/* events and targets */
	struct rec_event *evs;
	int nr_evs, alloc_evs;
	int *cpus;
	int nr_cpus, alloc_cpus;
	pid_t *tids;
	int nr_tids, alloc_tids;
	pid_t *procs; /* target processes, for synthesis */
	int nr_procs, alloc_procs;
	struct rec_fd *fds;
	int nr_fds, alloc_fds;
	struct kp_ring *rings;
	int nr_rings;
	/* workload */
	pid_t child;
	int go_fd, err_fd;
	int child_status;
	bool child_done;
	/* output */
	struct perf_writer *w;
	struct kp_hits *hits;
	int write_err;
	u64 samples, lost, lost_samples, throttled, unthrottled, wakeups, records;
	u64 first_time, last_time;
	bool have_time;
	int time_off; /* u64 index of the sample time in a SAMPLE body, -1 if none */
};

/* ---- option helpers ---- */

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

static int parse_cpu_list(struct record *rec, const char *s)
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
			ALLOC_GROW(rec->cpus, rec->nr_cpus + 1, rec->alloc_cpus);
			rec->cpus[rec->nr_cpus++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return rec->nr_cpus ? 0 : -1;
}

static void online_cpus(struct record *rec)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, "/sys/devices/system/cpu/online", 4096) > 0) {
		strbuf_rtrim(&sb);
		if (!parse_cpu_list(rec, sb.buf)) {
			strbuf_release(&sb);
			return;
		}
	}
	strbuf_release(&sb);
	rec->nr_cpus = 0;
	for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN); c++) {
		ALLOC_GROW(rec->cpus, rec->nr_cpus + 1, rec->alloc_cpus);
		rec->cpus[rec->nr_cpus++] = (int)c;
	}
}

static void add_tid(struct record *rec, pid_t tid)
{
	ALLOC_GROW(rec->tids, rec->nr_tids + 1, rec->alloc_tids);
	rec->tids[rec->nr_tids++] = tid;
}

static void add_proc(struct record *rec, pid_t pid)
{
	ALLOC_GROW(rec->procs, rec->nr_procs + 1, rec->alloc_procs);
	rec->procs[rec->nr_procs++] = pid;
}

/* every thread of @pid; returns -ESRCH if there is no such process */
static int add_process_threads(struct record *rec, pid_t pid)
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
		add_tid(rec, (pid_t)atoi(de->d_name));
		n++;
	}
	closedir(dir);
	add_proc(rec, pid);
	return n ? 0 : -ESRCH;
}

static void add_event(struct record *rec, const struct kp_attr *attr, const char *name)
{
	ALLOC_GROW(rec->evs, rec->nr_evs + 1, rec->alloc_evs);
	memset(&rec->evs[rec->nr_evs], 0, sizeof(rec->evs[0]));
	rec->evs[rec->nr_evs].attr = *attr;
	rec->evs[rec->nr_evs].name = xstrdup(name);
	rec->nr_evs++;
}

/* ---- attrs ---- */

static void config_attrs(struct record *rec)
{
	bool cpu_wide = !rec->nr_tids;
	u64 st = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD;

	if (cpu_wide)
		st |= PERF_SAMPLE_CPU;
	if (rec->nr_evs > 1)
		st |= PERF_SAMPLE_ID;
	if (rec->callchain)
		st |= PERF_SAMPLE_CALLCHAIN;
	/* the sample layout is fixed: ip, pid/tid, time, ... */
	rec->time_off = 2;
	for (int i = 0; i < rec->nr_evs; i++) {
		struct kp_attr *a = &rec->evs[i].attr;
		bool tp = a->type == PERF_TYPE_TRACEPOINT;

		a->size = KP_ATTR_SIZE_VER7;
		a->sample_type = st | (tp ? PERF_SAMPLE_RAW : 0);
		a->read_format = PERF_FORMAT_ID;
		a->flags = 0;
		kp_attr_set_flag(a, KP_ATTR_DISABLED);
		if (!rec->tid_str)
			kp_attr_set_flag(a, KP_ATTR_INHERIT);
		kp_attr_set_flag(a, KP_ATTR_SAMPLE_ID_ALL);
		if (rec->workload && !cpu_wide)
			kp_attr_set_flag(a, KP_ATTR_ENABLE_ON_EXEC);
		if (rec->count_set || tp) {
			a->sample_period = rec->count_set ? rec->count : 1;
		} else {
			a->sample_period = rec->freq;
			kp_attr_set_flag(a, KP_ATTR_FREQ);
		}
		/* perf kvm's fixed rule (2.4): only the bit for the side not profiled */
		if (rec->ctx->guest && !rec->ctx->host)
			kp_attr_set_flag(a, KP_ATTR_EXCLUDE_HOST);
		else if (rec->ctx->host && !rec->ctx->guest)
			kp_attr_set_flag(a, KP_ATTR_EXCLUDE_GUEST);
		if (i == 0) {
			/* the first event tracks tasks and maps for everyone */
			kp_attr_set_flag(a, KP_ATTR_MMAP);
			kp_attr_set_flag(a, KP_ATTR_COMM);
			kp_attr_set_flag(a, KP_ATTR_TASK);
			kp_attr_set_flag(a, KP_ATTR_MMAP2);
			kp_attr_set_flag(a, KP_ATTR_COMM_EXEC);
		}
	}
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
	/* with -a/-C the command only says how long to record */
	if (!rec->all_cpus && !rec->cpu_list) {
		add_tid(rec, pid);
		add_proc(rec, pid);
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

/* ---- opening ---- */

/*
 * One fd per (cpu, thread, event): the kernel refuses to mmap an inherited
 * per-thread event that is not bound to a CPU, so even -p/-t/COMMAND targets
 * are opened on every CPU (as perf does).  The first fd of each CPU owns that
 * CPU's ring; every other fd on the CPU is redirected into it.
 */
static int open_events(struct record *rec)
{
	bool cpu_wide = !rec->nr_tids;
	int nthreads = cpu_wide ? 1 : rec->nr_tids;

	rec->rings = xcalloc((size_t)rec->nr_cpus, sizeof(*rec->rings));
	for (int c = 0; c < rec->nr_cpus; c++) {
		int cpu = rec->cpus[c];
		int first_fd = -1;

		for (int t = 0; t < nthreads; t++) {
			pid_t pid = cpu_wide ? -1 : rec->tids[t];

			for (int e = 0; e < rec->nr_evs; e++) {
				struct rec_event *ev = &rec->evs[e];
				struct rec_fd *rf;
				u64 id;
				int fd, err;

				fd = kp_event_open(&ev->attr, pid, cpu, -1, 0);
				if (fd < 0) {
					struct strbuf what = STRBUF_INIT;

					if (fd == -ESRCH && !cpu_wide && !rec->workload)
						break; /* the thread exited meanwhile */
					strbuf_addf(&what, "event '%s' on CPU %d", ev->name, cpu);
					if (!cpu_wide)
						strbuf_addf(&what, " for thread %d", (int)pid);
					err = kp_event_open_error(fd, what.buf);
					strbuf_release(&what);
					return err;
				}
				ALLOC_GROW(rec->fds, rec->nr_fds + 1, rec->alloc_fds);
				rf = &rec->fds[rec->nr_fds++];
				rf->fd = fd;
				rf->ev = e;
				rf->ring = -1;
				err = kp_event_id(fd, &id);
				if (err)
					return kp_error(err, "cannot read the id of event '%s': %s",
							ev->name, strerror(-err));
				ev->ids = xreallocarray(ev->ids, ev->nr_ids + 1, sizeof(u64));
				ev->ids[ev->nr_ids++] = id;
				if (first_fd < 0) {
					struct kp_ring *ring = &rec->rings[rec->nr_rings];

					err = kp_ring__mmap(ring, fd, cpu, rec->mmap_pages);
					if (err)
						return err;
					rf->ring = rec->nr_rings++;
					first_fd = fd;
					continue;
				}
				err = kp_event_ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT,
						     (unsigned long)first_fd);
				if (err)
					return kp_error(err, "cannot redirect event '%s' into the "
							"ring buffer of CPU %d: %s", ev->name, cpu,
							strerror(-err));
			}
		}
	}
	if (!rec->nr_rings)
		return kp_error(-ESRCH, "no thread to profile: the targets exited");
	return 0;
}

static void ioctl_all(struct record *rec, unsigned long req)
{
	for (int i = 0; i < rec->nr_fds; i++)
		kp_event_ioctl(rec->fds[i].fd, req, 0);
}

/* ---- writing ---- */

static int rec_write(struct record *rec, const void *ev, size_t size)
{
	int err;

	if (rec->write_err)
		return rec->write_err;
	err = perf_writer__write(rec->w, ev, size);
	if (err)
		rec->write_err = err;
	return err;
}

static int synth_emit(void *arg, const union perf_event *ev)
{
	struct record *rec = arg;

	kp_hits__event(rec->hits, ev);
	return rec_write(rec, ev, ev->header.size);
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

/* drain every ring once; returns the number of records written */
static u64 drain_rings(struct record *rec)
{
	u64 n = 0;

	for (int r = 0; r < rec->nr_rings; r++) {
		struct kp_ring *ring = &rec->rings[r];
		union perf_event *ev;

		if (kp_ring__read_init(ring) < 0) {
			if (ring->corrupt) {
				pr_warning("ring buffer of %s %d is corrupt; dropping its contents",
					   ring->cpu >= 0 ? "CPU" : "thread", ring->cpu);
				kp_ring__consume(ring);
			}
			continue;
		}
		while ((ev = kp_ring__read_event(ring)) != NULL) {
			note_record(rec, ev);
			/* a full disk stops writing, but the rings are still emptied */
			rec_write(rec, ev, ev->header.size);
			n++;
		}
		kp_ring__consume(ring);
	}
	if (n) {
		struct perf_event_header fr = { .type = PERF_RECORD_FINISHED_ROUND, .size = 8 };

		rec_write(rec, &fr, sizeof(fr));
	}
	rec->records += n;
	return n;
}

/* ---- synthesis ---- */

/* GUEST_USER MMAP2s for the executable PT_LOAD segments of an ELF guest image */
static int synth_guest_elf(struct record *rec, struct kp_synth *s, const char *path)
{
	char *abs = realpath(path, NULL);
	size_t nph;
	int fd, err = 0, nr = 0;
	Elf *elf;

	if (!abs)
		return kp_error(-errno, "'%s': cannot find the guest image: %s", path,
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

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_X) || (s64)ph.p_vaddr < 0)
			continue;
		/*
		 * One map per VMM process (guest user samples carry the vCPU thread's
		 * host pid), page aligned as a kernel mapping would be.
		 */
		for (int p = 0; !err && p < rec->nr_procs; p++) {
			u64 start = ph.p_vaddr & ~0xfffULL;
			u64 len = (ph.p_vaddr + ph.p_memsz - start + 0xfff) & ~0xfffULL;

			err = kp_synth__mmap2(s, PERF_RECORD_MISC_GUEST_USER, (u32)rec->procs[p],
					      (u32)rec->procs[p], start, len,
					      ph.p_offset & ~0xfffULL, PROT_READ | PROT_EXEC,
					      MAP_PRIVATE, abs);
			/* a workload has not started yet: its threads do not exist */
			if (!err && !rec->workload)
				err = kp_synth__guest_comms(s, rec->procs[p]);
			nr++;
		}
	}
	if (!err && !nr)
		pr_warning("'%s': no guest user map written (%s)", abs,
			   rec->nr_procs ? "no executable user segment"
					 : "--guest-user-elf needs -p PID or a command");
out:
	if (elf)
		elf_end(elf);
	close(fd);
	free(abs);
	return err;
}

static int synthesize(struct record *rec)
{
	struct kp_synth *s = xmalloc(sizeof(*s));
	struct kp_ctx *ctx = rec->ctx;
	int err;

	/* every event has the same sample_type, so one trailer size fits all */
	u16 id_hdr = 8 /* TID */ + 8 /* TIME */;

	if (rec->evs[0].attr.sample_type & PERF_SAMPLE_ID)
		id_hdr += 8;
	if (rec->evs[0].attr.sample_type & PERF_SAMPLE_CPU)
		id_hdr += 8;
	kp_synth__init(s, synth_emit, rec, id_hdr);
	s->proc_map_timeout_ms = rec->proc_map_timeout;

	err = kp_synth__kernel_mmap(s, "/proc/kallsyms", false, -1);
	if (err) {
		pr_warning("%s: host kernel samples will not be resolved", kp_errmsg(err));
		err = 0;
	}
	if (!err)
		err = kp_synth__modules(s, "/proc/modules", false, -1);
	if (!err && ctx->guest && ctx->guestmodules)
		err = kp_synth__modules(s, ctx->guestmodules, true, 0);
	if (!err && ctx->guest && ctx->guestkallsyms)
		err = kp_synth__kernel_mmap(s, ctx->guestkallsyms, true, 0);
	if (!err) {
		if (!rec->nr_tids) {
			err = kp_synth__all(s);
		} else if (rec->tid_str) {
			err = kp_synth__thread(s, rec->tids[0]);
		} else {
			for (int p = 0; !err && p < rec->nr_procs; p++)
				err = kp_synth__process(s, rec->procs[p], p != 0 || !rec->workload);
		}
	}
	if (!err && rec->guest_user_elf)
		err = synth_guest_elf(rec, s, rec->guest_user_elf);
	free(s);
	if (err && !rec->write_err)
		return err;
	return rec->write_err;
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
	struct build_id_entry *e;
	u8 id[KP_BUILD_ID_MAX];
	int size = 0;

	for (u32 i = 0; i < h->nr_build_ids; i++)
		if (h->build_ids[i].cpumode == cpumode && !strcmp(h->build_ids[i].filename, name))
			return 0;
	if (cpumode == PERF_RECORD_MISC_KERNEL && !strcmp(name, "[kernel.kallsyms]")) {
		size = kp_buildid__read_notes_file("/sys/kernel/notes", id);
	} else if (cpumode == PERF_RECORD_MISC_GUEST_KERNEL) {
		if (!strcmp(name, "[guest.kernel.kallsyms]") && bc->rec->ctx->guestvmlinux)
			size = kp_buildid__read_elf(bc->rec->ctx->guestvmlinux, id);
	} else if (cpumode == PERF_RECORD_MISC_KERNEL && name[0] == '[') {
		struct strbuf p = STRBUF_INIT;

		strbuf_addf(&p, "/sys/module/%.*s/notes/.note.gnu.build-id",
			    (int)strcspn(name + 1, "]"), name + 1);
		size = kp_buildid__read_notes_file(p.buf, id);
		strbuf_release(&p);
	} else if (name[0] == '/') {
		size = kp_buildid__read_elf(name, id);
	}
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
	return 0;
}

/* ---- the loop ---- */

static int record_loop(struct record *rec, int sfd)
{
	struct pollfd *pfd = xcalloc((size_t)rec->nr_rings + 1, sizeof(*pfd));
	bool stop = false;
	int ret = 0, nr_hup = 0;

	for (int r = 0; r < rec->nr_rings; r++) {
		pfd[r].fd = rec->rings[r].fd;
		pfd[r].events = POLLIN;
	}
	pfd[rec->nr_rings].fd = sfd;
	pfd[rec->nr_rings].events = POLLIN;
	while (!stop) {
		int n = poll(pfd, (nfds_t)rec->nr_rings + 1, 1000);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = kp_error(-errno, "poll failed: %s", strerror(errno));
			break;
		}
		if (n > 0)
			rec->wakeups++;
		drain_rings(rec);
		if (rec->write_err)
			break;
		if (pfd[rec->nr_rings].revents & POLLIN) {
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
		for (int r = 0; r < rec->nr_rings; r++) {
			if (pfd[r].fd >= 0 && (pfd[r].revents & (POLLHUP | POLLERR))) {
				pfd[r].fd = -1;
				nr_hup++;
			}
		}
		if (nr_hup == rec->nr_rings && rec->nr_tids && !rec->workload)
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
	{ "guest-user-elf", required_argument, NULL, OPT_GUEST_USER_ELF },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void record_exit(struct record *rec)
{
	for (int r = 0; r < rec->nr_rings; r++)
		kp_ring__munmap(&rec->rings[r]);
	for (int i = 0; i < rec->nr_fds; i++)
		close(rec->fds[i].fd);
	for (int e = 0; e < rec->nr_evs; e++) {
		free(rec->evs[e].name);
		free(rec->evs[e].ids);
	}
	free(rec->evs);
	free(rec->rings);
	free(rec->fds);
	free(rec->cpus);
	free(rec->tids);
	free(rec->procs);
	kp_hits__delete(rec->hits);
	perf_writer__delete(rec->w);
}

static int parse_options(struct record *rec, int argc, char **argv)
{
	u64 v;
	int c, err;

	while ((c = getopt_long(argc, argv, "+ap:t:C:e:F:c:gm:o:z::Bqh", record_opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			rec->all_cpus = true;
			break;
		case 'p':
			rec->pid_list = optarg;
			break;
		case 't':
			rec->tid_str = optarg;
			break;
		case 'C':
			rec->cpu_list = optarg;
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
			} else if (parse_u64(optarg, &v) || !v) {
				return kp_usage_error(record_usage, "-F wants a positive number, "
						      "not '%s'", optarg);
			}
			rec->freq = v;
			rec->freq_set = true;
			break;
		case 'c':
			if (parse_u64(optarg, &v) || !v)
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
			if (parse_u64(optarg, &v) || v > 3600000)
				return kp_usage_error(record_usage, "bad --proc-map-timeout '%s'",
						      optarg);
			rec->proc_map_timeout = (unsigned int)v;
			break;
		case 'z':
			rec->comp_level = 1;
			if (optarg) {
				if (parse_u64(optarg, &v) || v < 1 || v > 22)
					return kp_usage_error(record_usage, "-z wants a level 1..22, "
							      "not '%s'", optarg);
				rec->comp_level = (int)v;
			}
			break;
		case 'B':
			rec->no_buildid = true;
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
	if ((rec->all_cpus || rec->cpu_list) + !!rec->pid_list + !!rec->tid_str > 1 ||
	    ((rec->pid_list || rec->tid_str) && rec->workload))
		return kp_usage_error(record_usage, "choose one target: -a/-C, -p, -t or a command");
	if (!rec->all_cpus && !rec->cpu_list && !rec->pid_list && !rec->tid_str && !rec->workload)
		return kp_usage_error(record_usage, "nothing to record: give -a, -C, -p, -t or a "
				      "command after --");
	if (rec->freq_set && rec->count_set)
		return kp_usage_error(record_usage, "-F and -c exclude each other");
	return 0;
}

static int check_freq(struct record *rec)
{
	struct strbuf sb = STRBUF_INIT;
	u64 max = 0;

	if (strbuf_read_file(&sb, "/proc/sys/kernel/perf_event_max_sample_rate", 64) > 0)
		max = strtoull(sb.buf, NULL, 10);
	strbuf_release(&sb);
	if (rec->freq_set && rec->freq == 0) {
		rec->freq = max ? max : 4000;
		return 0;
	}
	if (!max || rec->freq <= max)
		return 0;
	if (rec->freq_set) {
		pr_err("maximum sample rate (%llu Hz) exceeded by -F %llu: use a lower -F or raise "
		       "/proc/sys/kernel/perf_event_max_sample_rate",
		       (unsigned long long)max, (unsigned long long)rec->freq);
		return -1;
	}
	pr_info("info: using the maximum sample rate of %llu Hz", (unsigned long long)max);
	rec->freq = max;
	return 0;
}

static void setup_events(struct record *rec)
{
	struct kp_attr a = { 0 };

	if (rec->nr_evs)
		return;
	if (kp_event_have_hw_pmu()) {
		a.type = PERF_TYPE_HARDWARE;
		a.config = PERF_COUNT_HW_CPU_CYCLES;
		add_event(rec, &a, "cycles");
	} else {
		if (!rec->quiet)
			pr_info("no hardware PMU: using cpu-clock");
		a.type = PERF_TYPE_SOFTWARE;
		a.config = PERF_COUNT_SW_CPU_CLOCK;
		add_event(rec, &a, "cpu-clock");
	}
}

static int setup_targets(struct record *rec, const sigset_t *oldmask)
{
	if (rec->all_cpus) {
		online_cpus(rec);
	} else if (rec->cpu_list) {
		int r = parse_cpu_list(rec, rec->cpu_list);

		if (r == -2)
			return kp_usage_error(record_usage, "-C %s: no such CPU", rec->cpu_list);
		if (r)
			return kp_usage_error(record_usage, "bad CPU list '%s'", rec->cpu_list);
	} else if (rec->pid_list) {
		const char *p = rec->pid_list;

		while (*p) {
			char *end;
			long pid = strtol(p, &end, 10);

			if (end == p || pid <= 0 || (*end && *end != ','))
				return kp_usage_error(record_usage, "bad pid list '%s'",
						      rec->pid_list);
			if (add_process_threads(rec, (pid_t)pid))
				return kp_fail(kp_error(-ESRCH, "process %ld does not exist", pid));
			p = *end ? end + 1 : end;
		}
	} else if (rec->tid_str) {
		u64 tid;

		if (parse_u64(rec->tid_str, &tid) || !tid || tid > 0x7fffffff)
			return kp_usage_error(record_usage, "bad thread id '%s'", rec->tid_str);
		add_tid(rec, (pid_t)tid);
	}
	if (rec->workload) {
		int err = prepare_workload(rec, oldmask);

		if (err)
			return kp_fail(err);
	}
	if (!rec->nr_cpus)
		online_cpus(rec);
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
	if (!rec->no_buildid && !rec->write_err) {
		kp_hits__for_each(rec->hits, add_build_id, &bc);
		perf_header__set_feat(&header, HEADER_BUILD_ID);
	}
	if (rec->have_time) {
		header.first_sample_time = rec->first_time;
		header.last_sample_time = rec->last_time;
		perf_header__set_feat(&header, HEADER_SAMPLE_TIME);
	}
	for (int e = 0; e < rec->nr_evs; e++) {
		if (rec->evs[e].attr.type != PERF_TYPE_TRACEPOINT)
			continue;
		{
			const char **names = xcalloc((size_t)rec->nr_evs, sizeof(*names));
			struct strbuf blob = STRBUF_INIT;
			int nr = 0;

			for (int j = 0; j < rec->nr_evs; j++)
				if (rec->evs[j].attr.type == PERF_TYPE_TRACEPOINT)
					names[nr++] = rec->evs[j].name;
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
	err = perf_writer__finish(rec->w, &header);
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
	sigset_t mask, oldmask;
	int sfd = -1, err, status = KP_EXIT_FAILURE;

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

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		status = kp_fail(kp_error(-errno, "signalfd: %s", strerror(errno)));
		goto out;
	}
	err = setup_targets(&rec, &oldmask);
	if (err) {
		status = err;
		goto out;
	}
	config_attrs(&rec);
	rec.hits = kp_hits__new();

	err = open_events(&rec);
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	if (kp_event_dryrun()) {
		if (!rec.quiet)
			fprintf(stderr, "[ kvmprof record: dry run: %d events opened, nothing "
					"recorded ]\n", rec.nr_fds);
		status = KP_EXIT_OK;
		goto out;
	}
	err = perf_writer__open(&rec.w, rec.output);
	for (int e = 0; !err && e < rec.nr_evs; e++)
		err = perf_writer__add_evsel(rec.w, &rec.evs[e].attr, rec.evs[e].name,
					     rec.evs[e].ids, rec.evs[e].nr_ids);
	if (!err && rec.comp_level)
		err = perf_writer__set_compression(rec.w, rec.comp_level);
	if (!err)
		err = perf_writer__start(rec.w);
	if (!err)
		err = synthesize(&rec);
	if (err && rec.write_err)
		goto write_failed;
	if (err) {
		status = kp_fail(err);
		goto out;
	}
	if (!rec.nr_tids || !rec.workload)
		ioctl_all(&rec, PERF_EVENT_IOC_ENABLE);
	if (rec.workload) {
		err = start_workload(&rec);
		if (err) {
			status = kp_fail(err);
			goto out;
		}
	}

	err = record_loop(&rec, sfd);
	ioctl_all(&rec, PERF_EVENT_IOC_DISABLE);
	kill_workload(&rec);
	/* the kernel may still be finishing records: drain until quiet */
	while (drain_rings(&rec) && !rec.write_err)
		;
	if (rec.write_err) {
		/* stop on ENOSPC/EIO: keep what was written, tell where it is */
		u64 kept;

write_failed:
		kept = 0;
		fprintf(stderr, "error: %s\n", kp_errmsg(rec.write_err));
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
