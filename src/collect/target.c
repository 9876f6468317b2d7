// SPDX-License-Identifier: GPL-2.0
/*
 * target.c - targets, sampling attrs, per-CPU rings and pre-recording
 * synthesis shared by the live commands (record, top).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "collect/evopen.h"
#include "collect/target.h"
#include "util/util.h"

int kp_parse_u64(const char *s, u64 *out)
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

/* "0-3,5" into cpus[]: 0, -1 (syntax) or -2 (a CPU this machine cannot have) */
static int add_cpu_list(struct kp_target *t, const char *s)
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

void kp_target__online_cpus(struct kp_target *t)
{
	struct strbuf sb = STRBUF_INIT;

	t->nr_cpus = 0;
	if (strbuf_read_file(&sb, "/sys/devices/system/cpu/online", 4096) > 0) {
		strbuf_rtrim(&sb);
		if (!add_cpu_list(t, sb.buf)) {
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

void kp_target__add_thread(struct kp_target *t, pid_t tid)
{
	ALLOC_GROW(t->tids, t->nr_tids + 1, t->alloc_tids);
	t->tids[t->nr_tids++] = tid;
}

void kp_target__add_proc(struct kp_target *t, pid_t pid)
{
	ALLOC_GROW(t->procs, t->nr_procs + 1, t->alloc_procs);
	t->procs[t->nr_procs++] = pid;
}

int kp_target__add_process(struct kp_target *t, pid_t pid)
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
		kp_target__add_thread(t, (pid_t)atoi(de->d_name));
		n++;
	}
	closedir(dir);
	kp_target__add_proc(t, pid);
	return n ? 0 : -ESRCH;
}

int kp_target__resolve(struct kp_target *t)
{
	if (t->cpu_list) {
		int r = add_cpu_list(t, t->cpu_list);

		if (r == -2)
			return kp_error(KP_ERR_USAGE, "-C %s: no such CPU", t->cpu_list);
		if (r)
			return kp_error(KP_ERR_USAGE, "bad CPU list '%s'", t->cpu_list);
	} else {
		kp_target__online_cpus(t);
	}
	if (t->pid_list) {
		const char *p = t->pid_list;

		while (*p) {
			char *end;
			long pid = strtol(p, &end, 10);

			if (end == p || pid <= 0 || pid > 0x7fffffff || (*end && *end != ','))
				return kp_error(KP_ERR_USAGE, "bad pid list '%s'", t->pid_list);
			if (kp_target__add_process(t, (pid_t)pid))
				return kp_error(-ESRCH, "process %ld does not exist", pid);
			p = *end ? end + 1 : end;
		}
	} else if (t->tid_str) {
		u64 tid;

		if (kp_parse_u64(t->tid_str, &tid) || !tid || tid > 0x7fffffff)
			return kp_error(KP_ERR_USAGE, "bad thread id '%s'", t->tid_str);
		kp_target__add_thread(t, (pid_t)tid);
	}
	return 0;
}

/* ---- attrs ---- */

int kp_target__config_attrs(const struct kp_target *t, struct evlist *evlist,
			    const struct kp_sample_opts *o)
{
	u64 st = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD;

	if (kp_target__cpu_wide(t))
		st |= PERF_SAMPLE_CPU;
	if (evlist->nr > 1)
		st |= PERF_SAMPLE_ID;
	if (o->callchain)
		st |= PERF_SAMPLE_CALLCHAIN;
	for (int i = 0; i < evlist->nr; i++) {
		struct kp_attr *a = &evlist->entries[i]->attr;
		bool tp = a->type == PERF_TYPE_TRACEPOINT;

		a->size = KP_ATTR_SIZE_VER7;
		a->sample_type = st | (tp ? PERF_SAMPLE_RAW : 0);
		a->read_format = PERF_FORMAT_ID;
		a->flags = 0;
		kp_attr_set_flag(a, KP_ATTR_DISABLED);
		/* one thread (-t) means that thread only, as in perf */
		if (!t->tid_str)
			kp_attr_set_flag(a, KP_ATTR_INHERIT);
		kp_attr_set_flag(a, KP_ATTR_SAMPLE_ID_ALL);
		if (o->enable_on_exec && !kp_target__cpu_wide(t))
			kp_attr_set_flag(a, KP_ATTR_ENABLE_ON_EXEC);
		if (o->count_set || tp) {
			a->sample_period = o->count_set ? o->count : 1;
		} else {
			a->sample_period = o->freq;
			kp_attr_set_flag(a, KP_ATTR_FREQ);
		}
		/* perf kvm's fixed rule (2.4): only the bit for the side not profiled */
		if (o->guest && !o->host)
			kp_attr_set_flag(a, KP_ATTR_EXCLUDE_HOST);
		else if (o->host && !o->guest)
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
	return evlist__check(evlist, "the events to open");
}

/* ---- opening ---- */

/* after a successful open: record @fd, its id, and map or redirect it */
static int add_fd(struct kp_target *t, struct evlist *evlist, struct evsel *ev, int fd, int cpu,
		  int *first_fd, unsigned int mmap_pages)
{
	u64 id;
	int err;

	ALLOC_GROW(t->fds, t->nr_fds + 1, t->alloc_fds);
	t->fds[t->nr_fds++] = fd;
	err = kp_event_id(fd, &id);
	if (err)
		return kp_error(err, "cannot read the id of event '%s': %s", evsel__name(ev),
				strerror(-err));
	evlist__add_id(evlist, ev, id);
	if (*first_fd < 0) {
		err = kp_ring__mmap(&t->rings[t->nr_rings], fd, cpu, mmap_pages);
		if (err)
			return err;
		t->nr_rings++;
		*first_fd = fd;
		return 0;
	}
	err = kp_event_ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, (unsigned long)*first_fd);
	if (err)
		return kp_error(err, "cannot redirect event '%s' into the ring buffer of CPU %d: %s",
				evsel__name(ev), cpu, strerror(-err));
	return 0;
}

int kp_target__open(struct kp_target *t, struct evlist *evlist, unsigned int mmap_pages,
		    bool skip_exited)
{
	bool cpu_wide = kp_target__cpu_wide(t);
	int nthreads = cpu_wide ? 1 : t->nr_tids;

	free(t->rings);
	t->rings = xcalloc((size_t)t->nr_cpus, sizeof(*t->rings));
	t->nr_rings = 0;
	for (int c = 0; c < t->nr_cpus; c++) {
		int cpu = t->cpus[c], first_fd = -1;

		for (int th = 0; th < nthreads; th++) {
			pid_t pid = cpu_wide ? -1 : t->tids[th];

			for (int e = 0; e < evlist->nr; e++) {
				struct evsel *ev = evlist->entries[e];
				int fd = kp_event_open(&ev->attr, pid, cpu, -1, 0), err;

				if (fd < 0) {
					struct strbuf what = STRBUF_INIT;

					if (fd == -ESRCH && !cpu_wide && skip_exited)
						break; /* the thread exited meanwhile */
					strbuf_addf(&what, "event '%s' on CPU %d", evsel__name(ev), cpu);
					if (!cpu_wide)
						strbuf_addf(&what, " for thread %d", (int)pid);
					err = kp_event_open_error(fd, what.buf);
					strbuf_release(&what);
					return err;
				}
				err = add_fd(t, evlist, ev, fd, cpu, &first_fd, mmap_pages);
				if (err)
					return err;
			}
		}
	}
	if (!t->nr_rings)
		return kp_error(-ESRCH, "no thread to profile: the targets exited");
	return 0;
}

void kp_target__ioctl(struct kp_target *t, unsigned long req)
{
	for (int i = 0; i < t->nr_fds; i++)
		kp_event_ioctl(t->fds[i], req, 0);
}

void kp_target__exit(struct kp_target *t)
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
	t->rings = NULL;
	t->fds = NULL;
	t->cpus = NULL;
	t->tids = t->procs = NULL;
	t->nr_rings = t->nr_fds = t->nr_cpus = t->nr_tids = t->nr_procs = 0;
	t->alloc_fds = t->alloc_cpus = t->alloc_tids = t->alloc_procs = 0;
}

/* ---- synthesis ---- */

int kp_synth__guest_maps(struct kp_synth *s, const char *root, pid_t pid)
{
	struct strbuf path = STRBUF_INIT, line = STRBUF_INIT;
	char *real_root;
	FILE *fp;
	int err = 0;

	strbuf_addf(&path, "%s/guest-user.maps", root);
	fp = fopen(path.buf, "re");
	if (!fp) {
		strbuf_release(&path);
		return 0;
	}
	real_root = realpath(root, NULL);
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
		/* paths are the guest's: strip the guest root the readers prefix */
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

/* perf kvm record's guest machines for --guestmount: one per readable DIR/PID/proc/kallsyms */
static int synth_guestmount(struct kp_synth *s, const struct kp_synth_opts *o)
{
	const char *dir = o->guestmount;
	struct dirent *de;
	DIR *d = opendir(dir);
	int err = 0, nr = 0;

	if (!d)
		return kp_error(-errno, "'%s': cannot read the --guestmount directory: %s", dir,
				strerror(errno));
	while (!err && (de = readdir(d)) != NULL) {
		struct strbuf root = STRBUF_INIT, path = STRBUF_INIT;
		u64 before;
		char *end;
		long pid;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid > 0x7fffffff)
			continue;
		strbuf_addf(&root, "%s/%ld", dir, pid);
		strbuf_addf(&path, "%s/proc/kallsyms", root.buf);
		if (access(path.buf, R_OK) || (o->guest_found && o->guest_found(o->arg, (pid_t)pid))) {
			strbuf_release(&root);
			strbuf_release(&path);
			continue;
		}
		nr++;
		/* modules first, then the kernel, as perf_event__synthesize_guest_os() */
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/proc/modules", root.buf);
		before = s->nr_records;
		err = kp_synth__modules(s, path.buf, true, (pid_t)pid);
		if (err == -ENOENT && s->nr_records == before)
			err = 0; /* a guest kernel without modules */
		if (!err) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/proc/kallsyms", root.buf);
			before = s->nr_records;
			err = kp_synth__kernel_mmap(s, path.buf, true, (pid_t)pid);
			/* unusable kallsyms (no record made) is not fatal; a failed emit is */
			if (err && s->nr_records == before) {
				pr_warning("%s: kernel samples of guest %ld will not be resolved",
					   kp_errmsg(err), pid);
				err = 0;
			}
		}
		if (!err)
			err = kp_synth__guest_maps(s, root.buf, (pid_t)pid);
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

int kp_synth__guest_elf(struct kp_synth *s, const char *path, const pid_t *pids, int nr,
			bool comms)
{
	char *abs = realpath(path, NULL);
	size_t nph;
	int fd, err = 0, made = 0;
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
		u64 start, len;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_X) || (s64)ph.p_vaddr < 0)
			continue;
		/*
		 * One map per VMM process (guest user samples carry the vCPU thread's
		 * host pid), page aligned as a kernel mapping would be.
		 */
		start = ph.p_vaddr & ~0xfffULL;
		len = (ph.p_vaddr + ph.p_memsz - start + 0xfff) & ~0xfffULL;
		for (int p = 0; !err && p < nr; p++) {
			err = kp_synth__mmap2(s, PERF_RECORD_MISC_GUEST_USER, (u32)pids[p],
					      (u32)pids[p], start, len, ph.p_offset & ~0xfffULL,
					      PROT_READ | PROT_EXEC, MAP_PRIVATE, abs);
			if (!err && comms)
				err = kp_synth__guest_comms(s, pids[p]);
			made++;
		}
	}
	if (!err && !made)
		pr_warning("'%s': no guest user map written (%s)", abs,
			   nr ? "no executable user segment"
			      : "--guest-user-elf needs -p PID or a command");
out:
	if (elf)
		elf_end(elf);
	close(fd);
	free(abs);
	return err;
}

int kp_target__synthesize(struct kp_target *t, struct kp_synth *s, const struct kp_synth_opts *o)
{
	u64 before = s->nr_records;
	int err;

	err = kp_synth__kernel_mmap(s, "/proc/kallsyms", false, -1);
	/* unusable kallsyms (no record made) is a warning; a failed emit is fatal */
	if (err && s->nr_records == before) {
		pr_warning("%s: host kernel samples will not be resolved", kp_errmsg(err));
		err = 0;
	}
	if (!err)
		err = kp_synth__modules(s, "/proc/modules", false, -1);
	if (!err && o->guestmodules)
		err = kp_synth__modules(s, o->guestmodules, true, 0);
	if (!err && o->guestkallsyms) {
		before = s->nr_records;
		err = kp_synth__kernel_mmap(s, o->guestkallsyms, true, 0);
		/* a record that was made but not taken (full disk) is always fatal */
		if (err && !o->strict_guestkallsyms && s->nr_records == before) {
			pr_warning("%s: default guest kernel samples will not be resolved",
				   kp_errmsg(err));
			err = 0;
		}
	}
	if (!err && o->guestmount)
		err = synth_guestmount(s, o);
	if (!err) {
		if (kp_target__cpu_wide(t)) {
			err = kp_synth__all(s);
		} else if (t->tid_str) {
			err = kp_synth__thread(s, t->tids[0]);
		} else {
			for (int p = 0; !err && p < t->nr_procs; p++)
				err = kp_synth__process(s, t->procs[p], p != 0 || !o->held_workload);
		}
	}
	if (!err && o->guest_user_elf)
		err = kp_synth__guest_elf(s, o->guest_user_elf, t->procs, t->nr_procs,
					  !o->held_workload);
	return err;
}

int kp_sample_freq__check(u64 *freq, bool freq_set, bool *lowered)
{
	struct strbuf sb = STRBUF_INIT;
	u64 max = 0;

	*lowered = false;
	if (strbuf_read_file(&sb, "/proc/sys/kernel/perf_event_max_sample_rate", 64) > 0)
		max = strtoull(sb.buf, NULL, 10);
	strbuf_release(&sb);
	if (freq_set && *freq == 0) {
		*freq = max ? max : 4000;
		return 0;
	}
	if (!max || *freq <= max)
		return 0;
	if (freq_set)
		return kp_error(KP_ERR_USAGE, "maximum sample rate (%llu Hz) exceeded by -F %llu: "
				"use a lower -F or raise /proc/sys/kernel/perf_event_max_sample_rate",
				(unsigned long long)max, (unsigned long long)*freq);
	*freq = max;
	*lowered = true;
	return 0;
}
