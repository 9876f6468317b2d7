// SPDX-License-Identifier: GPL-2.0
/*
 * hits.c - sampled pages -> hit DSOs, resolved once at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/hits.h"
#include "util/util.h"

struct hit_map {
	u64 start, end;
	u32 pid;
	u8 cpumode;
	u32 seq;
	u32 name; /* index into names */
};

struct hit_page {
	u64 page;
	u32 pid;
	u8 cpumode;
	u8 used;
};

struct hit_fork {
	u32 pid, ppid;
};

/* one hit DSO: a map name, or the kernel of a machine */
struct hit_dso {
	u32 name; /* index into names, HIT_KERNEL for the machine's kernel */
	u8 cpumode;
	s32 machine_pid;
};

#define HIT_KERNEL UINT32_MAX

struct kp_hits {
	pid_t *guests; /* guest machines by VMM pid (--guestmount) */
	size_t nr_guests, alloc_guests;
	struct hit_map *maps;
	size_t nr_maps, alloc_maps;
	char **names;
	size_t nr_names, alloc_names;
	struct hit_fork *forks;
	size_t nr_forks, alloc_forks;
	struct hit_page *pages;
	size_t nr_pages, size_pages; /* size is a power of two */
	u64 nr_samples;
};

struct kp_hits *kp_hits__new(void)
{
	struct kp_hits *h = xzalloc(sizeof(*h));

	h->size_pages = 1024;
	h->pages = xcalloc(h->size_pages, sizeof(*h->pages));
	return h;
}

void kp_hits__delete(struct kp_hits *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nr_names; i++)
		free(h->names[i]);
	free(h->names);
	free(h->guests);
	free(h->maps);
	free(h->forks);
	free(h->pages);
	free(h);
}

void kp_hits__add_guest(struct kp_hits *h, pid_t pid)
{
	for (size_t i = 0; i < h->nr_guests; i++)
		if (h->guests[i] == pid)
			return;
	ALLOC_GROW(h->guests, h->nr_guests + 1, h->alloc_guests);
	h->guests[h->nr_guests++] = pid;
}

/* the guest machine a guest-mode sample of process @pid belongs to: its own, else the default */
static s32 guest_machine(const struct kp_hits *h, u32 pid)
{
	for (size_t i = 0; i < h->nr_guests; i++)
		if ((u32)h->guests[i] == pid)
			return (s32)pid;
	return 0;
}

static u32 intern(struct kp_hits *h, const char *name, size_t max)
{
	size_t n = strnlen(name, max);

	/* consecutive maps of one file are common: reuse the last name */
	if (h->nr_names && !strncmp(h->names[h->nr_names - 1], name, n) &&
	    h->names[h->nr_names - 1][n] == '\0')
		return (u32)(h->nr_names - 1);
	ALLOC_GROW(h->names, h->nr_names + 1, h->alloc_names);
	h->names[h->nr_names] = xstrndup(name, n);
	return (u32)h->nr_names++;
}

static void add_map(struct kp_hits *h, u8 cpumode, u32 pid, u64 start, u64 len,
		    const char *name, size_t max)
{
	struct hit_map *m;
	size_t n = strnlen(name, max);

	/* kernel maps are named "[kernel.kallsyms]_text": the DSO is the part before _ */
	ALLOC_GROW(h->maps, h->nr_maps + 1, h->alloc_maps);
	m = &h->maps[h->nr_maps];
	m->start = start;
	m->end = start + len < start ? ~0ULL : start + len;
	m->pid = pid;
	m->cpumode = cpumode;
	m->seq = (u32)h->nr_maps++;
	if ((cpumode == PERF_RECORD_MISC_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_KERNEL) &&
	    n > 1 && name[0] == '[') {
		const char *close = memchr(name, ']', n);

		if (close && close[1] == '_')
			n = (size_t)(close - name) + 1;
	}
	m->name = intern(h, name, n);
}

void kp_hits__event(struct kp_hits *h, const union perf_event *ev)
{
	u8 cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	size_t hs = ev->header.size;

	switch (ev->header.type) {
	case PERF_RECORD_MMAP:
		if (hs <= sizeof(ev->mmap))
			return;
		if (ev->header.misc & PERF_RECORD_MISC_MMAP_DATA)
			return;
		add_map(h, cpumode, ev->mmap.pid, ev->mmap.start, ev->mmap.len, ev->mmap.filename,
			hs - sizeof(ev->mmap));
		break;
	case PERF_RECORD_MMAP2:
		if (hs <= sizeof(ev->mmap2))
			return;
		if (ev->header.misc & PERF_RECORD_MISC_MMAP_DATA)
			return;
		add_map(h, cpumode, ev->mmap2.pid, ev->mmap2.start, ev->mmap2.len,
			ev->mmap2.filename, hs - sizeof(ev->mmap2));
		break;
	case PERF_RECORD_FORK:
		if (ev->fork.pid == ev->fork.ppid)
			return; /* a new thread, same maps */
		ALLOC_GROW(h->forks, h->nr_forks + 1, h->alloc_forks);
		h->forks[h->nr_forks].pid = ev->fork.pid;
		h->forks[h->nr_forks].ppid = ev->fork.ppid;
		h->nr_forks++;
		break;
	default:
		break;
	}
}

static inline u64 page_hash(u8 cpumode, u32 pid, u64 page)
{
	u64 x = page ^ ((u64)pid << 20) ^ ((u64)cpumode << 58);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static void page_insert(struct hit_page *tab, size_t size, u8 cpumode, u32 pid, u64 page)
{
	size_t i = page_hash(cpumode, pid, page) & (size - 1);

	while (tab[i].used) {
		if (tab[i].page == page && tab[i].pid == pid && tab[i].cpumode == cpumode)
			return;
		i = (i + 1) & (size - 1);
	}
	tab[i].used = 1;
	tab[i].page = page;
	tab[i].pid = pid;
	tab[i].cpumode = cpumode;
}

void kp_hits__sample(struct kp_hits *h, u8 cpumode, u32 pid, u64 ip)
{
	u64 page = ip >> 12;
	size_t i;

	h->nr_samples++;
	/* kernel pages depend on the machine only */
	if (cpumode == PERF_RECORD_MISC_KERNEL)
		pid = 0;
	else if (cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		pid = (u32)guest_machine(h, pid);
	i = page_hash(cpumode, pid, page) & (h->size_pages - 1);
	while (h->pages[i].used) {
		if (h->pages[i].page == page && h->pages[i].pid == pid &&
		    h->pages[i].cpumode == cpumode)
			return;
		i = (i + 1) & (h->size_pages - 1);
	}
	if ((h->nr_pages + 1) * 2 > h->size_pages) {
		size_t nsize = h->size_pages * 2;
		struct hit_page *ntab = xcalloc(nsize, sizeof(*ntab));

		for (size_t j = 0; j < h->size_pages; j++)
			if (h->pages[j].used)
				page_insert(ntab, nsize, h->pages[j].cpumode, h->pages[j].pid,
					    h->pages[j].page);
		free(h->pages);
		h->pages = ntab;
		h->size_pages = nsize;
	}
	page_insert(h->pages, h->size_pages, cpumode, pid, page);
	h->nr_pages++;
}

u64 kp_hits__nr_samples(const struct kp_hits *h)
{
	return h->nr_samples;
}

static int map_cmp(const void *a, const void *b)
{
	const struct hit_map *x = a, *y = b;

	if (x->cpumode != y->cpumode)
		return x->cpumode < y->cpumode ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static int fork_cmp(const void *a, const void *b)
{
	const struct hit_fork *x = a, *y = b;

	return x->pid < y->pid ? -1 : (x->pid > y->pid);
}

/*
 * The newest map of (cpumode, pid) containing addr, or NULL; with @no_kernel
 * a kernel map ("[...kallsyms...]", which may run to the top of the address
 * space) does not count, so that the modules inside it win.
 */
static const struct hit_map *find_map(struct kp_hits *h, u8 cpumode, u32 pid, u64 addr,
				      bool any_pid, bool no_kernel)
{
	const struct hit_map *best = NULL;
	size_t lo = 0, hi = h->nr_maps;

	/* first map with key >= (cpumode, pid, 0) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct hit_map *m = &h->maps[mid];

		if (m->cpumode < cpumode || (m->cpumode == cpumode && !any_pid && m->pid < pid))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < h->nr_maps; i++) {
		const struct hit_map *m = &h->maps[i];

		if (m->cpumode != cpumode || (!any_pid && m->pid != pid))
			break;
		if (!any_pid && m->start > addr)
			break;
		if (no_kernel && strstr(h->names[m->name], "kallsyms"))
			continue;
		if (addr >= m->start && addr < m->end && (!best || m->seq > best->seq))
			best = m;
	}
	return best;
}

static u32 parent_of(struct kp_hits *h, u32 pid)
{
	struct hit_fork key = { .pid = pid }, *f;

	f = bsearch(&key, h->forks, h->nr_forks, sizeof(key), fork_cmp);
	return f ? f->ppid : 0;
}

static int dso_cmp(const void *a, const void *b)
{
	const struct hit_dso *x = a, *y = b;
	bool xk = x->name == HIT_KERNEL, yk = y->name == HIT_KERNEL;

	/* kernels first, then map names in the order they were first seen */
	if (xk != yk)
		return xk ? -1 : 1;
	if (x->name != y->name)
		return x->name < y->name ? -1 : 1;
	if (x->cpumode != y->cpumode)
		return x->cpumode < y->cpumode ? -1 : 1;
	return x->machine_pid < y->machine_pid ? -1 : (x->machine_pid > y->machine_pid);
}

static int emit_kernel(const struct hit_dso *d,
		       int (*fn)(void *arg, u8 cpumode, s32 machine_pid, const char *name),
		       void *arg)
{
	char name[64];

	if (d->cpumode == PERF_RECORD_MISC_KERNEL)
		return fn(arg, d->cpumode, -1, "[kernel.kallsyms]");
	if (!d->machine_pid)
		return fn(arg, d->cpumode, 0, "[guest.kernel.kallsyms]");
	snprintf(name, sizeof(name), "[guest.kernel.kallsyms.%d]", (int)d->machine_pid);
	return fn(arg, d->cpumode, d->machine_pid, name);
}

int kp_hits__for_each(struct kp_hits *h,
		      int (*fn)(void *arg, u8 cpumode, s32 machine_pid, const char *name),
		      void *arg)
{
	struct hit_dso *dsos = NULL;
	size_t nr = 0, alloc = 0;
	int ret = 0;

	qsort(h->maps, h->nr_maps, sizeof(*h->maps), map_cmp);
	qsort(h->forks, h->nr_forks, sizeof(*h->forks), fork_cmp);
	for (size_t i = 0; i < h->size_pages; i++) {
		const struct hit_page *p = &h->pages[i];
		const struct hit_map *m = NULL;
		u64 addr = p->page << 12;
		struct hit_dso d = { .name = HIT_KERNEL, .cpumode = p->cpumode, .machine_pid = -1 };

		if (!p->used)
			continue;
		switch (p->cpumode) {
		case PERF_RECORD_MISC_KERNEL:
			/* host kernel maps have pid -1 */
			m = find_map(h, p->cpumode, (u32)-1, addr, false, true);
			break;
		case PERF_RECORD_MISC_GUEST_KERNEL:
			/* the page's pid is the machine's (sample) */
			d.machine_pid = (s32)p->pid;
			m = find_map(h, p->cpumode, p->pid, addr, false, true);
			break;
		case PERF_RECORD_MISC_USER:
		case PERF_RECORD_MISC_GUEST_USER: {
			u32 pid = p->pid;

			if (p->cpumode == PERF_RECORD_MISC_GUEST_USER)
				d.machine_pid = guest_machine(h, p->pid);
			for (int depth = 0; pid && depth < 64 && !m; depth++) {
				m = find_map(h, p->cpumode, pid, addr, false, false);
				if (!m)
					pid = parent_of(h, pid);
			}
			/* a guest image is mapped for the VMM process: any pid of the guest */
			if (!m && p->cpumode == PERF_RECORD_MISC_GUEST_USER)
				m = find_map(h, p->cpumode, 0, addr, true, false);
			if (!m)
				continue;
			break;
		}
		default:
			continue;
		}
		if (m)
			d.name = m->name;
		if (nr && !dso_cmp(&dsos[nr - 1], &d))
			continue;
		ALLOC_GROW(dsos, nr + 1, alloc);
		dsos[nr++] = d;
	}
	qsort(dsos, nr, sizeof(*dsos), dso_cmp);
	for (size_t i = 0; !ret && i < nr; i++) {
		if (i && !dso_cmp(&dsos[i - 1], &dsos[i]))
			continue;
		if (dsos[i].name == HIT_KERNEL)
			ret = emit_kernel(&dsos[i], fn, arg);
		else
			ret = fn(arg, dsos[i].cpumode, dsos[i].machine_pid, h->names[dsos[i].name]);
	}
	free(dsos);
	return ret;
}
