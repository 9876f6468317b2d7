// SPDX-License-Identifier: GPL-2.0
/*
 * synth.c - records describing the state that existed before recording began.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "collect/synth.h"
#include "util/util.h"

void kp_synth__init(struct kp_synth *s, kp_synth_emit_t emit, void *arg, u16 id_hdr_size)
{
	s->emit = emit;
	s->arg = arg;
	s->id_hdr_size = id_hdr_size;
	s->proc_map_timeout_ms = 500;
	s->nr_map_timeouts = 0;
	s->nr_records = 0;
}

/* finish the record in s->buf whose fixed part + string is @len bytes: pad, trailer, emit */
static int emit_rec(struct kp_synth *s, u32 type, u16 misc, size_t len)
{
	struct perf_event_header *h = (struct perf_event_header *)s->buf;
	size_t size = KP_ALIGN(len, 8);

	memset(s->buf + len, 0, size - len + s->id_hdr_size);
	size += s->id_hdr_size;
	h->type = type;
	h->misc = misc;
	h->size = (u16)size;
	s->nr_records++;
	return s->emit(s->arg, (const union perf_event *)s->buf);
}

static size_t put_name(struct kp_synth *s, size_t off, const char *name, size_t max)
{
	size_t n = strlen(name);

	if (n > max - 1)
		n = max - 1;
	memcpy(s->buf + off, name, n);
	s->buf[off + n] = '\0';
	return off + n + 1;
}

int kp_kallsyms__text_range(const char *path, u64 *start, u64 *end, const char **start_name)
{
	u64 text = 0, stext = 0, etext = 0;
	bool have_text = false, have_stext = false, have_etext = false;
	char *line = NULL;
	size_t cap = 0;
	FILE *fp;

	fp = fopen(path, "re");
	if (!fp)
		return kp_error(-errno, "'%s': cannot open kallsyms: %s", path, strerror(errno));
	while (getline(&line, &cap, fp) > 0) {
		char *p = line, *name;
		u64 addr = strtoull(p, &p, 16);

		if (*p != ' ' || !p[1] || p[2] != ' ')
			continue;
		name = p + 3;
		name[strcspn(name, " \t\n")] = '\0';
		if (!strcmp(name, "_text")) {
			text = addr;
			have_text = true;
		} else if (!strcmp(name, "_stext")) {
			stext = addr;
			have_stext = true;
		} else if (!strcmp(name, "_etext")) {
			etext = addr;
			have_etext = true;
		}
		if (have_text && have_stext && have_etext)
			break;
	}
	free(line);
	fclose(fp);
	if (!have_text && !have_stext)
		return kp_error(KP_ERR_BAD_SYMFILE, "'%s': no _text or _stext symbol", path);
	*start = have_text ? text : stext;
	*start_name = have_text ? "_text" : "_stext";
	if (!*start)
		return kp_error(KP_ERR_BAD_SYMFILE,
				"'%s': kernel addresses are hidden (kernel.kptr_restrict); run as root",
				path);
	*end = have_etext && etext > *start ? etext : 0;
	return 0;
}

int kp_synth__kernel_mmap(struct kp_synth *s, const char *kallsyms, bool guest, pid_t machine_pid)
{
	struct perf_record_mmap *m = (struct perf_record_mmap *)s->buf;
	const char *sym;
	struct strbuf name = STRBUF_INIT;
	u64 start, end;
	size_t off;
	int err;

	err = kp_kallsyms__text_range(kallsyms, &start, &end, &sym);
	if (err)
		return err;
	if (!guest)
		strbuf_addstr(&name, "[kernel.kallsyms]");
	else if (machine_pid == 0)
		strbuf_addstr(&name, "[guest.kernel.kallsyms]");
	else
		strbuf_addf(&name, "[guest.kernel.kallsyms.%d]", (int)machine_pid);
	strbuf_addstr(&name, sym);
	m->pid = guest ? (u32)machine_pid : (u32)-1;
	m->tid = 0;
	m->start = start;
	/* perf's kernel map ends at _etext; without it the map runs to the top */
	m->len = end ? end - start : ~0ULL - start;
	m->pgoff = start;
	off = put_name(s, offsetof(struct perf_record_mmap, filename), name.buf, 4096);
	strbuf_release(&name);
	return emit_rec(s, PERF_RECORD_MMAP,
			guest ? PERF_RECORD_MISC_GUEST_KERNEL : PERF_RECORD_MISC_KERNEL, off);
}

int kp_synth__modules(struct kp_synth *s, const char *modules, bool guest, pid_t machine_pid)
{
	struct perf_record_mmap *m = (struct perf_record_mmap *)s->buf;
	char *line = NULL;
	size_t cap = 0;
	int err = 0;
	FILE *fp;

	fp = fopen(modules, "re");
	if (!fp) {
		if (errno == ENOENT && !guest)
			return 0; /* a kernel without modules */
		return kp_error(-errno, "'%s': cannot open modules list: %s", modules,
				strerror(errno));
	}
	while (!err && getline(&line, &cap, fp) > 0) {
		char mname[64], state[32], addr[32];
		unsigned long long size, start;
		char nm[80];

		/* name size refcnt deps state address */
		if (sscanf(line, "%63s %llu %*s %*s %31s %31s", mname, &size, state, addr) != 4)
			continue;
		start = strtoull(addr, NULL, 16);
		if (!start)
			continue;
		m->pid = guest ? (u32)machine_pid : (u32)-1;
		m->tid = 0;
		m->start = start;
		m->len = size;
		m->pgoff = 0;
		snprintf(nm, sizeof(nm), "[%s]", mname);
		err = emit_rec(s, PERF_RECORD_MMAP,
			       guest ? PERF_RECORD_MISC_GUEST_KERNEL : PERF_RECORD_MISC_KERNEL,
			       put_name(s, offsetof(struct perf_record_mmap, filename), nm, 80));
	}
	free(line);
	fclose(fp);
	return err;
}

int kp_synth__mmap2(struct kp_synth *s, u16 misc, u32 pid, u32 tid, u64 start, u64 len, u64 pgoff,
		    u32 prot, u32 flags, const char *filename)
{
	struct perf_record_mmap2 *m = (struct perf_record_mmap2 *)s->buf;

	memset(m, 0, sizeof(*m));
	m->pid = pid;
	m->tid = tid;
	m->start = start;
	m->len = len;
	m->pgoff = pgoff;
	m->prot = prot;
	m->flags = flags;
	return emit_rec(s, PERF_RECORD_MMAP2, misc,
			put_name(s, offsetof(struct perf_record_mmap2, filename), filename, 4096));
}

static int read_small(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "re");
	size_t n;

	if (!fp)
		return -errno;
	n = fread(buf, 1, len - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return (int)n;
}

static pid_t status_ppid(pid_t pid, bool *kthread)
{
	char path[64], buf[2048], *p;
	pid_t ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nPPid:");
	if (p)
		ppid = (pid_t)strtol(p + 6, NULL, 10);
	/* kernel threads have no memory map */
	*kthread = !strstr(buf, "\nVmSize:");
	return ppid;
}

static int synth_task(struct kp_synth *s, pid_t pid, pid_t tid, pid_t ppid)
{
	struct perf_record_fork *f = (struct perf_record_fork *)s->buf;
	struct perf_record_comm *c = (struct perf_record_comm *)s->buf;
	char path[96], comm[32];
	int err, n;

	f->pid = (u32)pid;
	f->tid = (u32)tid;
	if (pid == tid) {
		f->ppid = (u32)ppid;
		f->ptid = (u32)ppid;
	} else {
		f->ppid = (u32)pid;
		f->ptid = (u32)pid;
	}
	f->time = 0;
	err = emit_rec(s, PERF_RECORD_FORK, 0, sizeof(*f));
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	n = read_small(path, comm, 17);
	if (n < 0)
		return 0; /* gone */
	comm[strcspn(comm, "\n")] = '\0';
	c->pid = (u32)pid;
	c->tid = (u32)tid;
	return emit_rec(s, PERF_RECORD_COMM, 0,
			put_name(s, offsetof(struct perf_record_comm, comm), comm, 16));
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

static int synth_maps(struct kp_synth *s, pid_t pid)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	u64 t0 = now_ms();
	bool timeout = false;
	int err = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	while (!err && getline(&line, &cap, fp) > 0) {
		unsigned long long start, end, pgoff, ino;
		unsigned int maj, min;
		char perm[8];
		int n = 0;
		const char *name;
		u32 prot = 0, flags;

		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perm, &pgoff, &maj,
			   &min, &ino, &n) < 7 || !n)
			continue;
		if (perm[2] != 'x')
			continue;
		if (s->proc_map_timeout_ms && now_ms() - t0 > s->proc_map_timeout_ms) {
			timeout = true;
			break;
		}
		name = line + n;
		((char *)name)[strcspn(name, "\n")] = '\0';
		if (!*name)
			name = "//anon";
		if (perm[0] == 'r')
			prot |= PROT_READ;
		if (perm[1] == 'w')
			prot |= PROT_WRITE;
		prot |= PROT_EXEC;
		flags = perm[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
		{
			struct perf_record_mmap2 *m = (struct perf_record_mmap2 *)s->buf;

			memset(m, 0, sizeof(*m));
			m->pid = (u32)pid;
			m->tid = (u32)pid;
			m->start = start;
			m->len = end - start;
			m->pgoff = pgoff;
			m->maj = maj;
			m->min = min;
			m->ino = ino;
			m->prot = prot;
			m->flags = flags;
			err = emit_rec(s, PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER,
				       put_name(s, offsetof(struct perf_record_mmap2, filename),
						name, 4096));
		}
	}
	free(line);
	fclose(fp);
	if (timeout && !err) {
		s->nr_map_timeouts++;
		pr_warning("reading /proc/%d/maps timed out after %u ms; its mappings are "
			   "incomplete (raise --proc-map-timeout)",
			   (int)pid, s->proc_map_timeout_ms);
	}
	return err;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int kp_synth__process(struct kp_synth *s, pid_t pid, bool mmaps)
{
	char path[64];
	bool kthread = false;
	pid_t ppid = status_ppid(pid, &kthread);
	struct dirent *de;
	DIR *dir;
	int err = 0;

	if (ppid < 0)
		return 0; /* exited meanwhile */
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	/* the leader first, as perf does */
	err = synth_task(s, pid, pid, ppid);
	while (!err && (de = readdir(dir)) != NULL) {
		pid_t tid;

		if (!all_digits(de->d_name))
			continue;
		tid = (pid_t)atoi(de->d_name);
		if (tid == pid)
			continue;
		err = synth_task(s, pid, tid, ppid);
	}
	closedir(dir);
	if (!err && mmaps && !kthread)
		err = synth_maps(s, pid);
	return err;
}

int kp_synth__thread(struct kp_synth *s, pid_t tid)
{
	char path[64], buf[2048], *p;
	pid_t pid = tid, ppid;
	bool kthread = false;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return kp_error(-ESRCH, "thread %d does not exist", (int)tid);
	p = strstr(buf, "\nTgid:");
	if (p)
		pid = (pid_t)strtol(p + 6, NULL, 10);
	ppid = status_ppid(pid, &kthread);
	if (ppid < 0)
		return 0;
	if (pid != tid) {
		err = synth_task(s, pid, pid, ppid);
		if (err)
			return err;
	}
	err = synth_task(s, pid, tid, ppid);
	if (!err && !kthread)
		err = synth_maps(s, pid);
	return err;
}

int kp_synth__guest_comms(struct kp_synth *s, pid_t pid)
{
	struct perf_record_comm *c = (struct perf_record_comm *)s->buf;
	struct dirent *de;
	char path[320], comm[32];
	DIR *dir;
	int err = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while (!err && (de = readdir(dir)) != NULL) {
		if (!all_digits(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid, de->d_name);
		if (read_small(path, comm, 17) < 0)
			continue;
		comm[strcspn(comm, "\n")] = '\0';
		c->pid = (u32)pid;
		c->tid = (u32)atoi(de->d_name);
		err = emit_rec(s, PERF_RECORD_COMM, PERF_RECORD_MISC_GUEST_USER,
			       put_name(s, offsetof(struct perf_record_comm, comm), comm, 16));
	}
	closedir(dir);
	return err;
}

int kp_synth__all(struct kp_synth *s)
{
	struct dirent *de;
	DIR *dir = opendir("/proc");
	int err = 0;

	if (!dir)
		return kp_error(-errno, "cannot read /proc: %s", strerror(errno));
	while (!err && (de = readdir(dir)) != NULL) {
		if (!all_digits(de->d_name))
			continue;
		err = kp_synth__process(s, (pid_t)atoi(de->d_name), true);
	}
	closedir(dir);
	return err;
}
