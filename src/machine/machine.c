// SPDX-License-Identifier: GPL-2.0
/*
 * machine.c - machines, threads, maps and DSOs, driven by perf.data records.
 *
 * The rules are perf 6.1's (util/machine.c, thread.c, map.c, maps.c,
 * event.c), re-derived so that the same file gives the same threads, maps,
 * DSO names and build-id lists as perf:
 *  - records go to the host unless conf->guest and the cpumode is a guest one;
 *    then to the machine of the record's pid, else the default guest;
 *  - a kernel MMAP whose name starts with the machine's mmap name creates the
 *    kernel map (identity map_ip, range from the record, ref-reloc symbol from
 *    the name suffix and pgoff); other kernel MMAPs are module maps;
 *  - threads share their process's maps; FORK copies comm and maps of a new
 *    process; user MMAPs cut the maps they overlap.
 */
#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "data/header.h"
#include "machine/machine-int.h"
#include "symbol/kallsyms-cache.h"
#include "util/hash.h"
#include "util/util.h"

#define ENTRY_TRAMPOLINE_NAME "__entry_SYSCALL_64_trampoline"

/* ------------------------------------------------------------------ hashing */

static u32 hash_str(const char *s)
{
	return kp_fnv1a32_str(s);
}

static u32 hash_tid(pid_t tid)
{
	return (u32)tid * 2654435761u;
}

/* ---------------------------------------------------------------------- DSOs */

static const char *path_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	/* basename("//anon") is "anon", basename("/a/b/") is "b": perf uses basename(3) */
	if (s && !s[1]) {
		const char *end = s;

		while (end > path && end[-1] == '/')
			end--;
		if (end == path)
			return "/";
		s = end - 1;
		while (s > path && s[-1] != '/')
			s--;
		return s; /* trailing slash kept: rare enough */
	}
	return s ? s + 1 : path;
}

static void dso__set_short_name(struct dso *dso, const char *name)
{
	free(dso->short_name);
	dso->short_name = xstrdup(name);
}

static void dso__set_long_name(struct machine *machine, struct dso *dso, const char *name);

static void dso_hash_insert(struct machine *machine, struct dso *dso)
{
	u32 b;

	if (machine->nr_dsos + 1 > machine->dso_hash_size * 3 / 4) {
		u32 nsize = machine->dso_hash_size ? machine->dso_hash_size * 2 : 64;
		struct dso **nh = xcalloc(nsize, sizeof(*nh));

		for (struct dso *d = machine->dsos_head; d; d = d->next) {
			if (d == dso)
				continue;
			b = hash_str(d->long_name) & (nsize - 1);
			d->hnext = nh[b];
			nh[b] = d;
		}
		free(machine->dso_hash);
		machine->dso_hash = nh;
		machine->dso_hash_size = nsize;
	}
	b = hash_str(dso->long_name) & (machine->dso_hash_size - 1);
	dso->hnext = machine->dso_hash[b];
	machine->dso_hash[b] = dso;
}

static void dso_hash_remove(struct machine *machine, struct dso *dso)
{
	struct dso **pp;

	if (!machine->dso_hash_size)
		return;
	pp = &machine->dso_hash[hash_str(dso->long_name) & (machine->dso_hash_size - 1)];
	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == dso) {
			*pp = dso->hnext;
			return;
		}
	}
}

static void dso__set_long_name(struct machine *machine, struct dso *dso, const char *name)
{
	char *n = xstrdup(name);

	dso_hash_remove(machine, dso);
	free(dso->long_name);
	dso->long_name = n;
	dso_hash_insert(machine, dso);
}

struct dso *machine__find_dso(struct machine *machine, const char *name)
{
	struct dso *d;

	if (!machine->dso_hash_size)
		return NULL;
	d = machine->dso_hash[hash_str(name) & (machine->dso_hash_size - 1)];
	for (; d; d = d->hnext)
		if (!strcmp(d->long_name, name))
			return d;
	return NULL;
}

static struct dso *machine__find_dso_by_short_name(struct machine *machine, const char *name)
{
	for (struct dso *d = machine->dsos_head; d; d = d->next)
		if (!strcmp(d->short_name, name))
			return d;
	return NULL;
}

static struct dso *machine__addnew_dso(struct machine *machine, const char *long_name,
				       const char *short_name)
{
	struct dso *dso = xzalloc(sizeof(*dso));

	dso->long_name = xstrdup(long_name);
	dso->short_name = xstrdup(short_name);
	symtab__init(&dso->syms);
	symtab__init(&dso->plt);
	*machine->dsos_tail = dso;
	machine->dsos_tail = &dso->next;
	dso_hash_insert(machine, dso);
	machine->nr_dsos++;
	return dso;
}

static bool is_vdso_name(const char *name)
{
	return !strcmp(name, "[vdso]") || !strcmp(name, "[vdso32]") || !strcmp(name, "[vdsox32]");
}

struct dso *machine__findnew_dso(struct machine *machine, const char *name)
{
	struct dso *dso = machine__find_dso(machine, name);
	const char *base;
	int tid;

	if (dso)
		return dso;
	base = path_basename(name);
	if (sscanf(name, "/tmp/perf-%d.map", &tid) == 1) {
		char jit[48];

		snprintf(jit, sizeof(jit), "[JIT] tid %d", tid);
		dso = machine__addnew_dso(machine, name, jit);
	} else {
		dso = machine__addnew_dso(machine, name, base);
	}
	if (is_vdso_name(name))
		dso->is_vdso = true;
	return dso;
}

static void dso__set_build_id(struct dso *dso, const u8 *bid, u8 size)
{
	if (size > KP_BUILD_ID_SIZE)
		size = KP_BUILD_ID_SIZE;
	memset(dso->build_id, 0, sizeof(dso->build_id));
	memcpy(dso->build_id, bid, size);
	dso->bid_size = size;
	dso->has_build_id = true;
}

static void dso__delete(struct dso *dso)
{
	symtab__exit(&dso->syms);
	symtab__exit(&dso->plt);
	free(dso->long_name);
	free(dso->short_name);
	free(dso);
}

/* ---------------------------------------------------------------------- maps */

static struct map *map__new(struct machine *machine, u64 start, u64 end, u64 pgoff,
			    struct dso *dso)
{
	struct map *map = xzalloc(sizeof(*map));

	map->start = start;
	map->end = end;
	map->pgoff = pgoff;
	map->dso = dso;
	map->all_next = machine->all_maps;
	machine->all_maps = map;
	return map;
}

static struct map *map__clone(struct machine *machine, const struct map *src)
{
	struct map *map = map__new(machine, src->start, src->end, src->pgoff, src->dso);

	map->identity = src->identity;
	return map;
}

static struct maps *maps__new(struct machine *machine)
{
	struct maps *maps = xzalloc(sizeof(*maps));

	maps->all_next = machine->all_maps_groups;
	machine->all_maps_groups = maps;
	return maps;
}

/* index of the first map with start > addr */
static u32 maps__upper(const struct maps *maps, u64 addr)
{
	u32 lo = 0, hi = maps->nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (maps->entries[mid]->start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct map *maps__find(const struct maps *maps, u64 addr)
{
	u32 i = maps__upper(maps, addr);

	/* kernel maps may overlap (a kernel map up to ~0 with modules above) */
	for (u32 n = 0; i > 0 && n < 4; i--, n++) {
		struct map *m = maps->entries[i - 1];

		if (addr < m->end)
			return m;
	}
	return NULL;
}

static void maps__add(struct maps *maps, struct map *map)
{
	u32 i = maps__upper(maps, map->start);

	ALLOC_GROW(maps->entries, maps->nr + 1, maps->alloc);
	memmove(&maps->entries[i + 1], &maps->entries[i], (maps->nr - i) * sizeof(*maps->entries));
	maps->entries[i] = map;
	maps->nr++;
}

static void maps__remove_at(struct maps *maps, u32 i)
{
	memmove(&maps->entries[i], &maps->entries[i + 1],
		(maps->nr - i - 1) * sizeof(*maps->entries));
	maps->nr--;
}

static void maps__remove(struct maps *maps, struct map *map)
{
	for (u32 i = 0; i < maps->nr; i++) {
		if (maps->entries[i] == map) {
			maps__remove_at(maps, i);
			return;
		}
	}
}

void maps__insert(struct machine *machine, struct maps *maps, struct map *map)
{
	u32 i = maps__upper(maps, map->start);

	/* the map before the insertion point may reach into the new one */
	if (i > 0)
		i--;
	while (i < maps->nr) {
		struct map *pos = maps->entries[i];

		if (pos->start >= map->end)
			break;
		if (pos->end <= map->start) {
			i++;
			continue;
		}
		maps__remove_at(maps, i);
		if (map->start > pos->start) {
			struct map *before = map__clone(machine, pos);

			before->end = map->start;
			maps__add(maps, before);
			i++;
		}
		if (map->end < pos->end) {
			struct map *after = map__clone(machine, pos);

			after->start = map->end;
			after->pgoff += map->end - pos->start;
			maps__add(maps, after);
		}
	}
	maps__add(maps, map);
}

static void maps__clone_into(struct machine *machine, struct maps *dst, const struct maps *src)
{
	for (u32 i = 0; i < src->nr; i++)
		maps__insert(machine, dst, map__clone(machine, src->entries[i]));
}

/* ------------------------------------------------------------------- threads */

static void thread__set_comm(struct thread *th, const char *comm, size_t len)
{
	if (th->comm != th->comm_buf)
		free(th->comm);
	if (len < sizeof(th->comm_buf)) {
		memcpy(th->comm_buf, comm, len);
		th->comm_buf[len] = '\0';
		th->comm = th->comm_buf;
	} else {
		th->comm = xstrndup(comm, len);
	}
	th->comm_set = true;
}

static void threads_grow(struct machine *machine)
{
	u32 nsize = machine->threads_size ? machine->threads_size * 2 : 1024;
	struct thread **nh = xcalloc(nsize, sizeof(*nh));

	for (u32 b = 0; b < machine->threads_size; b++) {
		struct thread *t = machine->threads[b], *next;

		for (; t; t = next) {
			u32 nb = hash_tid(t->tid) & (nsize - 1);

			next = t->hnext;
			t->hnext = nh[nb];
			nh[nb] = t;
		}
	}
	free(machine->threads);
	machine->threads = nh;
	machine->threads_size = nsize;
}

static struct thread *threads__lookup(struct machine *machine, pid_t tid)
{
	struct thread *t;

	if (machine->last_match && machine->last_match->tid == tid)
		return machine->last_match;
	if (!machine->threads_size)
		return NULL;
	for (t = machine->threads[hash_tid(tid) & (machine->threads_size - 1)]; t; t = t->hnext) {
		if (t->tid == tid) {
			machine->last_match = t;
			return t;
		}
	}
	return NULL;
}

static void threads__unlink(struct machine *machine, struct thread *th)
{
	struct thread **pp;

	if (machine->last_match == th)
		machine->last_match = NULL;
	if (!machine->threads_size)
		return;
	pp = &machine->threads[hash_tid(th->tid) & (machine->threads_size - 1)];
	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == th) {
			*pp = th->hnext;
			machine->nr_threads--;
			return;
		}
	}
}

static struct thread *__machine__findnew_thread(struct machine *machine, pid_t pid, pid_t tid,
						bool create);

static void machine__update_thread_pid(struct machine *machine, struct thread *th, pid_t pid)
{
	struct thread *leader;

	if (pid == th->pid || pid == -1 || th->pid != -1)
		return;
	th->pid = pid;
	if (th->pid == th->tid)
		return;
	leader = __machine__findnew_thread(machine, pid, pid, true);
	if (!leader->maps)
		leader->maps = maps__new(machine);
	if (th->maps == leader->maps)
		return;
	if (th->maps && th->maps->nr)
		pr_debug("Discarding thread maps for %d:%d", th->pid, th->tid);
	th->maps = leader->maps;
}

static struct thread *__machine__findnew_thread(struct machine *machine, pid_t pid, pid_t tid,
						bool create)
{
	struct thread *th = threads__lookup(machine, tid);
	u32 b;
	int n;

	if (th) {
		machine__update_thread_pid(machine, th, pid);
		return th;
	}
	if (!create)
		return NULL;
	th = xzalloc(sizeof(*th));
	th->pid = pid;
	th->tid = tid;
	th->ppid = -1;
	n = snprintf(th->comm_buf, sizeof(th->comm_buf), ":%d", tid);
	(void)n;
	th->comm = th->comm_buf;
	th->all_next = machine->all_threads;
	machine->all_threads = th;
	if (machine->nr_threads + 1 > machine->threads_size * 3 / 4)
		threads_grow(machine);
	b = hash_tid(tid) & (machine->threads_size - 1);
	th->hnext = machine->threads[b];
	machine->threads[b] = th;
	machine->nr_threads++;
	machine->last_match = th;
	/* maps after insertion: finding the leader may add it too */
	if (pid == tid || pid == -1) {
		th->maps = maps__new(machine);
	} else {
		struct thread *leader = __machine__findnew_thread(machine, pid, pid, true);

		th->maps = leader->maps;
		machine->last_match = th;
	}
	return th;
}

struct thread *machine__findnew_thread(struct machine *machine, pid_t pid, pid_t tid)
{
	return __machine__findnew_thread(machine, pid, tid, true);
}

struct thread *machine__find_thread(struct machine *machine, pid_t pid, pid_t tid)
{
	return __machine__findnew_thread(machine, pid, tid, false);
}

/* ------------------------------------------------------------------ machines */

const char *machines__host_comm(struct machines *machines, pid_t pid)
{
	struct thread *th;

	if (!machines->host || pid <= 0)
		return NULL;
	th = machine__find_thread(machines->host, pid, pid);
	return th ? thread__comm_str(th) : NULL;
}

struct machine *machine__new(struct machines *machines, pid_t pid, const char *root_dir)
{
	struct machine *m = xzalloc(sizeof(*m));
	struct strbuf sb = STRBUF_INIT;

	m->pid = pid;
	m->machines = machines;
	m->root_dir = xstrdup(root_dir ? root_dir : "");
	m->dsos_tail = &m->dsos_head;
	if (pid == HOST_KERNEL_ID)
		strbuf_addstr(&sb, "[kernel.kallsyms]");
	else if (pid == DEFAULT_GUEST_KERNEL_ID)
		strbuf_addstr(&sb, "[guest.kernel.kallsyms]");
	else
		strbuf_addf(&sb, "[guest.kernel.kallsyms.%d]", pid);
	m->mmap_name = strbuf_detach(&sb, NULL);
	if (pid != HOST_KERNEL_ID) {
		struct thread *th = machine__findnew_thread(m, -1, pid);
		char comm[48];
		int n = snprintf(comm, sizeof(comm), "[guest/%d]", pid);

		thread__set_comm(th, comm, (size_t)n);
	}
	return m;
}

void machine__delete(struct machine *m)
{
	struct dso *d, *dn;
	struct thread *t, *tn;
	struct map *mp, *mn;
	struct maps *g, *gn;

	if (!m)
		return;
	for (d = m->dsos_head; d; d = dn) {
		dn = d->next;
		dso__delete(d);
	}
	for (d = m->ksym_dsos; d; d = dn) {
		dn = d->next;
		dso__delete(d);
	}
	for (t = m->all_threads; t; t = tn) {
		tn = t->all_next;
		if (t->comm != t->comm_buf)
			free(t->comm);
		free(t);
	}
	for (mp = m->all_maps; mp; mp = mn) {
		mn = mp->all_next;
		free(mp);
	}
	for (g = m->all_maps_groups; g; g = gn) {
		gn = g->all_next;
		free(g->entries);
		free(g);
	}
	free(m->kmaps.entries);
	free(m->threads);
	free(m->dso_hash);
	free(m->root_dir);
	free(m->mmap_name);
	free(m->ref_reloc_name);
	free(m);
}

static int count_ksym(const struct kallsym *ks, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

static int count_module(const struct kmodule *m, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

/*
 * Symbol files named on the command line are checked up front, so a bad
 * copy is one clear error instead of a report without symbols.
 */
static int symbol_conf__check(const struct symbol_conf *conf)
{
	size_t n = 0;
	int err;

	if (!conf)
		return 0;
	if (conf->kallsyms && (err = kallsyms__parse(conf->kallsyms, count_ksym, &n)))
		return err;
	if (conf->guestkallsyms && !conf->guestvmlinux &&
	    (err = kallsyms__parse(conf->guestkallsyms, count_ksym, &n)))
		return err;
	if (conf->guestmodules && (err = modules__parse(conf->guestmodules, count_module, &n)))
		return err;
	if (conf->guestvmlinux) {
		bool symtab, dynsym;

		err = elf__has_symtab(conf->guestvmlinux, &symtab, &dynsym);
		if (err)
			return err;
	}
	return 0;
}

int machines__init(struct machines *machines, const struct symbol_conf *conf)
{
	int err;

	memset(machines, 0, sizeof(*machines));
	err = symbol_conf__check(conf);
	if (err)
		return err;
	machines->conf = conf;
	machines->host = machine__new(machines, HOST_KERNEL_ID, "");
	/* perf's session registers the host idle thread before any record */
	thread__set_comm(machine__findnew_thread(machines->host, 0, 0), "swapper", 7);
	return 0;
}

void machines__exit(struct machines *machines)
{
	machine__delete(machines->host);
	for (int i = 0; i < machines->nr_guests; i++)
		machine__delete(machines->guests[i]);
	free(machines->guests);
	free(machines->refused);
	memset(machines, 0, sizeof(*machines));
}

struct machine *machines__find(struct machines *machines, pid_t pid)
{
	int lo = 0, hi = machines->nr_guests;

	if (pid == HOST_KERNEL_ID)
		return machines->host;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		pid_t p = machines->guests[mid]->pid;

		if (p == pid)
			return machines->guests[mid];
		if (p < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct machine *machines__findnew(struct machines *machines, pid_t pid)
{
	struct machine *m = machines__find(machines, pid);
	struct strbuf root = STRBUF_INIT;
	int i;

	if (m)
		return m;
	if (pid != DEFAULT_GUEST_KERNEL_ID && machines->conf && machines->conf->guestmount) {
		for (i = 0; i < machines->nr_refused; i++)
			if (machines->refused[i] == pid)
				return NULL;
		strbuf_addf(&root, "%s/%d", machines->conf->guestmount, pid);
		if (access(root.buf, R_OK)) {
			pr_warning("Can't access file %s: the guest of VMM pid %d is not under --guestmount",
				   root.buf, pid);
			ALLOC_GROW(machines->refused, machines->nr_refused + 1,
				   machines->alloc_refused);
			machines->refused[machines->nr_refused++] = pid;
			strbuf_release(&root);
			return NULL;
		}
	}
	m = machine__new(machines, pid, root.buf);
	strbuf_release(&root);
	ALLOC_GROW(machines->guests, machines->nr_guests + 1, machines->alloc_guests);
	for (i = machines->nr_guests; i > 0 && machines->guests[i - 1]->pid > pid; i--)
		machines->guests[i] = machines->guests[i - 1];
	machines->guests[i] = m;
	machines->nr_guests++;
	return m;
}

static struct machine *machines__find_guest(struct machines *machines, pid_t pid)
{
	struct machine *m = machines__find(machines, pid);

	/* under --guestmount a VMM pid has its own machine when DIR/PID is readable */
	if (!m && pid > 0 && machines->conf && machines->conf->guestmount)
		m = machines__findnew(machines, pid);
	if (!m)
		m = machines__findnew(machines, DEFAULT_GUEST_KERNEL_ID);
	return m;
}

static bool conf_guest(const struct machines *machines)
{
	return machines->conf && machines->conf->guest;
}

static bool conf_host(const struct machines *machines)
{
	return !machines->conf || machines->conf->host;
}

static struct machine *machines__find_for_cpumode(struct machines *machines, u8 cpumode,
						  pid_t pid)
{
	if (conf_guest(machines) &&
	    (cpumode == PERF_RECORD_MISC_GUEST_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_USER))
		return machines__find_guest(machines, pid);
	return machines->host;
}

/* ------------------------------------------------------------- kernel maps */

static bool machine__is_default_guest(const struct machine *m)
{
	return m->pid == DEFAULT_GUEST_KERNEL_ID;
}

/*
 * perf's kmod_path__parse_name(): bracketed names are kept (and are modules
 * unless they name a kernel or vdso), "x-y.ko[.gz|.xz|.zst]" becomes "[x_y]",
 * anything else keeps its base name.
 */
static void kmod_name(const char *path, struct strbuf *out, bool *kmod)
{
	const char *name = strrchr(path, '/'), *ext;
	size_t start;

	name = name ? name + 1 : path;
	strbuf_reset(out);
	*kmod = false;
	if (name[0] == '[') {
		*kmod = !(!strncmp(name, "[kernel.kallsyms]", 17) ||
			  !strncmp(name, "[guest.kernel.kallsyms", 22) ||
			  !strncmp(name, "[vdso]", 6) || !strncmp(name, "[vdso32]", 8) ||
			  !strncmp(name, "[vdsox32]", 9) || !strncmp(name, "[vsyscall]", 10));
		strbuf_addstr(out, name);
		return;
	}
	ext = strrchr(path, '.');
	if (!ext) {
		strbuf_addstr(out, name);
		return;
	}
	if (!strcmp(ext, ".gz") || !strcmp(ext, ".xz") || !strcmp(ext, ".zst"))
		ext -= 3;
	if (ext > name)
		*kmod = !strncmp(ext, ".ko", 3);
	if (*kmod) {
		strbuf_addch(out, '[');
		start = out->len;
		strbuf_add(out, name, ext - name);
		strbuf_addch(out, ']');
	} else {
		start = out->len;
		strbuf_addstr(out, name);
	}
	for (size_t i = start; i < out->len; i++)
		if (out->buf[i] == '-')
			out->buf[i] = '_';
}

static struct map *machine__addnew_module_map(struct machine *m, u64 start, const char *filename)
{
	struct strbuf name = STRBUF_INIT;
	struct dso *dso;
	struct map *map;
	bool kmod;

	kmod_name(filename, &name, &kmod);
	dso = machine__find_dso_by_short_name(m, name.buf);
	if (!dso) {
		dso = machine__findnew_dso(m, name.buf);
		dso__set_short_name(dso, name.buf);
		dso__set_long_name(m, dso, filename);
		dso->is_kmod = kmod;
		dso->kernel = m->pid == HOST_KERNEL_ID ? DSO_SPACE__KERNEL : DSO_SPACE__KERNEL_GUEST;
	}
	strbuf_release(&name);
	map = map__new(m, start, 0, 0, dso);
	maps__add(&m->kmaps, map);
	return map;
}

static bool is_kernel_module_name(const char *long_name)
{
	struct strbuf sb = STRBUF_INIT;
	bool kmod;

	kmod_name(long_name, &sb, &kmod);
	strbuf_release(&sb);
	return kmod;
}

static void machine__set_kernel_mmap(struct machine *m, u64 start, u64 end)
{
	maps__remove(&m->kmaps, m->vmlinux_map);
	m->vmlinux_map->start = start;
	m->vmlinux_map->end = end;
	/* some files carry a zero-sized kernel MMAP */
	if (start == 0 && end == 0)
		m->vmlinux_map->end = ~0ULL;
	maps__add(&m->kmaps, m->vmlinux_map);
}

static int machine__process_kernel_mmap(struct machine *m, u64 start, u64 len, u64 pgoff,
					const char *name, const u8 *bid, u8 bid_size)
{
	size_t mlen = strlen(m->mmap_name);
	bool is_kernel_mmap = !strncmp(name, m->mmap_name, mlen - 1);
	struct dso *kernel = NULL;

	if (name[0] == '/' || (!is_kernel_mmap && name[0] == '[')) {
		struct map *map = machine__addnew_module_map(m, start, name);

		map->end = start + len;
		if (bid)
			dso__set_build_id(map->dso, bid, bid_size);
		return 0;
	}
	if (!is_kernel_mmap)
		return 0;
	for (struct dso *d = m->dsos_head; d; d = d->next) {
		if (d->kernel == DSO_SPACE__USER || is_kernel_module_name(d->long_name))
			continue;
		kernel = d;
		break;
	}
	if (!kernel)
		kernel = machine__findnew_dso(m, m->mmap_name);
	kernel->kernel = m->pid == HOST_KERNEL_ID ? DSO_SPACE__KERNEL : DSO_SPACE__KERNEL_GUEST;
	if (m->vmlinux_map)
		maps__remove(&m->kmaps, m->vmlinux_map);
	m->vmlinux_map = map__new(m, 0, 0, 0, kernel);
	m->vmlinux_map->identity = true;
	m->kernel_dso = kernel;
	maps__add(&m->kmaps, m->vmlinux_map);
	machine__set_kernel_mmap(m, start, start + len);
	if (pgoff) {
		/* "[kernel.kallsyms]_text": the part after the mmap name */
		const char *sym = name + kp_min(mlen, strlen(name));

		free(m->ref_reloc_name);
		m->ref_reloc_name = xstrdup(sym);
		m->ref_reloc_addr = pgoff;
	}
	if (machine__is_default_guest(m))
		dso__load(m, kernel);
	return 0;
}

/* ------------------------------------------------------------------- records */

static size_t record_strnlen(const union perf_event *event, const char *s)
{
	const char *end = (const char *)event + event->header.size;

	if (s >= end)
		return 0;
	return strnlen(s, end - s);
}

static bool is_anon_memory(const char *name)
{
	return !strcmp(name, "//anon") || !strncmp(name, "/dev/zero", 9) ||
	       !strncmp(name, "/anon_hugepage", 14);
}

static bool is_no_dso_memory(const char *name)
{
	return !strncmp(name, "[stack", 6) || !strncmp(name, "/SYSV", 5) ||
	       !strcmp(name, "[heap]");
}

static struct dso *machine__findnew_vdso(struct machine *m, const char *name)
{
	struct dso *dso = machine__find_dso_by_short_name(m, "[vdso]");

	(void)name;
	if (dso)
		return dso;
	/*
	 * perf copies its own vdso to a temporary file and names the DSO after
	 * it; we read our own image from memory instead (same kernel, same vdso).
	 */
	dso = machine__addnew_dso(m, "[vdso]", "[vdso]");
	dso->is_vdso = true;
	dso->vdso_self = true;
	return dso;
}

static int machine__process_mmap(struct machine *m, const union perf_event *event, u8 cpumode,
				 bool v2)
{
	const struct perf_record_mmap2 *e2 = &event->mmap2;
	const struct perf_record_mmap *e1 = &event->mmap;
	size_t hdr = v2 ? sizeof(*e2) : sizeof(*e1);
	const char *fname = v2 ? e2->filename : e1->filename;
	u64 start = v2 ? e2->start : e1->start;
	u64 len = v2 ? e2->len : e1->len;
	u64 pgoff = v2 ? e2->pgoff : e1->pgoff;
	u32 pid = v2 ? e2->pid : e1->pid, tid = v2 ? e2->tid : e1->tid;
	const u8 *bid = NULL;
	u8 bid_size = 0;
	u32 prot = PROT_EXEC;
	char name[4096];
	size_t n;
	struct thread *th;
	struct dso *dso, *hdr_dso;
	struct map *map;
	bool anon, no_dso;

	if (event->header.size < hdr)
		return kp_error(KP_ERR_BAD_RECORD, "MMAP record of %u bytes is too short",
				event->header.size);
	n = record_strnlen(event, fname);
	n = kp_min(n, sizeof(name) - 1);
	memcpy(name, fname, n);
	name[n] = '\0';
	if (v2) {
		prot = e2->prot;
		if ((event->header.misc & PERF_RECORD_MISC_MMAP_BUILD_ID) && e2->build_id_size) {
			bid = e2->build_id;
			bid_size = kp_min(e2->build_id_size, (u8)KP_BUILD_ID_SIZE);
		}
	} else if (event->header.misc & PERF_RECORD_MISC_MMAP_DATA) {
		prot = PROT_READ | PROT_WRITE;
	}
	if (cpumode == PERF_RECORD_MISC_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		return machine__process_kernel_mmap(m, start, len, pgoff, name, bid, bid_size);

	th = machine__findnew_thread(m, (pid_t)pid, (pid_t)tid);
	anon = is_anon_memory(name);
	no_dso = is_no_dso_memory(name);
	if ((anon || no_dso) && (prot & PROT_EXEC))
		snprintf(name, sizeof(name), "/tmp/perf-%d.map", (pid_t)pid);
	if (is_vdso_name(name)) {
		pgoff = 0;
		dso = machine__findnew_vdso(m, name);
	} else {
		dso = machine__findnew_dso(m, name);
	}
	map = map__new(m, start, start + len, pgoff, dso);
	if (anon || no_dso) {
		map->identity = true;
		if (!(prot & PROT_EXEC))
			dso->loaded = true;
	}
	if (bid) {
		dso__set_build_id(dso, bid, bid_size);
	} else {
		hdr_dso = machine__find_dso(m, name);
		if (hdr_dso && hdr_dso->header_build_id && hdr_dso != dso) {
			dso__set_build_id(dso, hdr_dso->build_id, hdr_dso->bid_size);
			dso->header_build_id = true;
		}
	}
	maps__insert(m, th->maps, map);
	return 0;
}

static int machine__process_comm(struct machine *m, const union perf_event *event)
{
	struct thread *th;
	size_t n;

	if (event->header.size < sizeof(event->comm))
		return kp_error(KP_ERR_BAD_RECORD, "COMM record of %u bytes is too short",
				event->header.size);
	th = machine__findnew_thread(m, (pid_t)event->comm.pid, (pid_t)event->comm.tid);
	n = record_strnlen(event, event->comm.comm);
	thread__set_comm(th, event->comm.comm, n);
	return 0;
}

static int machine__process_fork(struct machine *m, const union perf_event *event)
{
	const struct perf_record_fork *f = &event->fork;
	struct thread *th, *parent;

	if (event->header.size < sizeof(*f))
		return kp_error(KP_ERR_BAD_RECORD, "FORK record of %u bytes is too short",
				event->header.size);
	th = machine__find_thread(m, (pid_t)f->pid, (pid_t)f->tid);
	parent = machine__findnew_thread(m, (pid_t)f->ppid, (pid_t)f->ptid);
	/* a stale thread with this tid that is not really the parent: forget it */
	if (parent->pid != (pid_t)f->ppid) {
		threads__unlink(m, parent);
		parent = machine__findnew_thread(m, (pid_t)f->ppid, (pid_t)f->ptid);
	}
	if (th)
		threads__unlink(m, th);
	th = machine__findnew_thread(m, (pid_t)f->pid, (pid_t)f->tid);
	if (parent->comm_set)
		thread__set_comm(th, parent->comm, strlen(parent->comm));
	th->ppid = parent->tid;
	/* threads of one process share maps; a new process gets a copy */
	if (th->pid == parent->pid)
		return 0;
	if (th->maps == parent->maps)
		return 0;
	if (!(event->header.misc & (1 << 13))) /* PERF_RECORD_MISC_FORK_EXEC: synthesized */
		maps__clone_into(m, th->maps, parent->maps);
	return 0;
}

static int machine__process_exit(struct machine *m, const union perf_event *event)
{
	struct thread *th;

	if (event->header.size < sizeof(event->fork))
		return kp_error(KP_ERR_BAD_RECORD, "EXIT record of %u bytes is too short",
				event->header.size);
	th = machine__find_thread(m, (pid_t)event->fork.pid, (pid_t)event->fork.tid);
	if (th)
		th->dead = true;
	return 0;
}

int machines__exit_del_thread(struct machines *machines, const union perf_event *event,
			      const struct perf_sample *sample)
{
	u8 cpumode = event->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	struct machine *m;
	struct thread *th;

	if (event->header.size < sizeof(event->fork))
		return kp_error(KP_ERR_BAD_RECORD, "EXIT record of %u bytes is too short",
				event->header.size);
	m = machines__find_for_cpumode(machines, cpumode, sample ? (pid_t)sample->pid : -1);
	if (!m)
		return 0;
	th = machine__findnew_thread(m, (pid_t)event->fork.pid, (pid_t)event->fork.tid);
	threads__unlink(m, th);
	return 0;
}

/*
 * KSYMBOL (BPF programs, trampolines): a kernel map of its own named after the
 * symbol, with that one symbol; its DSO is not in the machine's list (perf's
 * buildid-list never shows it).  Unregistering removes the map.
 */
static int machine__process_ksymbol(struct machine *m, const union perf_event *event)
{
	const struct perf_record_ksymbol *k = &event->ksymbol;
	char name[512];
	size_t n;
	struct map *map;
	struct dso *dso;

	if (event->header.size < sizeof(*k))
		return kp_error(KP_ERR_BAD_RECORD, "KSYMBOL record of %u bytes is too short",
				event->header.size);
	n = kp_min(record_strnlen(event, k->name), sizeof(name) - 1);
	memcpy(name, k->name, n);
	name[n] = '\0';
	map = maps__find(&m->kmaps, k->addr);
	if (k->flags & PERF_RECORD_KSYMBOL_FLAGS_UNREGISTER) {
		if (map && map != m->vmlinux_map)
			maps__remove(&m->kmaps, map);
		return 0;
	}
	if (!map) {
		dso = xzalloc(sizeof(*dso));
		dso->long_name = xstrdup(name);
		dso->short_name = xstrdup(name);
		dso->kernel = DSO_SPACE__KERNEL;
		dso->loaded = true;
		symtab__init(&dso->syms);
		symtab__init(&dso->plt);
		dso->next = m->ksym_dsos;
		m->ksym_dsos = dso;
		map = map__new(m, k->addr, k->addr + k->len, 0, dso);
		maps__add(&m->kmaps, map);
	}
	dso = map->dso;
	symtab__add(&dso->syms, map__map_ip(map, map->start), k->len, STB_GLOBAL, STT_FUNC, name, n);
	symtab__sort(&dso->syms);
	symtab__resolve_names(&dso->syms);
	return 0;
}

/* perf's __event_process_build_id() */
static int machines__add_build_id(struct machines *machines, pid_t pid, u16 cpumode,
				  const u8 *bid, u8 size, const char *filename)
{
	struct machine *m = machines__findnew(machines, pid);
	enum dso_space space;
	struct dso *dso;

	if (!m)
		return 0;
	switch (cpumode) {
	case PERF_RECORD_MISC_KERNEL:
		space = DSO_SPACE__KERNEL;
		break;
	case PERF_RECORD_MISC_GUEST_KERNEL:
		space = DSO_SPACE__KERNEL_GUEST;
		break;
	case PERF_RECORD_MISC_USER:
	case PERF_RECORD_MISC_GUEST_USER:
		space = DSO_SPACE__USER;
		break;
	default:
		return 0;
	}
	dso = machine__findnew_dso(m, filename);
	dso__set_build_id(dso, bid, size);
	dso->header_build_id = true;
	if (space != DSO_SPACE__USER) {
		struct strbuf sb = STRBUF_INIT;
		bool kmod;

		kmod_name(filename, &sb, &kmod);
		if (kmod) {
			dso->is_kmod = true;
			dso__set_short_name(dso, sb.buf);
		}
		strbuf_release(&sb);
		dso->kernel = space;
	}
	return 0;
}

int machines__set_build_ids(struct machines *machines, const struct build_id_entry *entries,
			    u32 nr)
{
	for (u32 i = 0; i < nr; i++) {
		const struct build_id_entry *e = &entries[i];
		u8 size = e->size;
		int err;

		if (!e->filename)
			continue;
		err = machines__add_build_id(machines, e->pid, e->cpumode & PERF_RECORD_MISC_CPUMODE_MASK,
					     e->build_id, kp_min(size, (u8)KP_BUILD_ID_SIZE),
					     e->filename);
		if (err)
			return err;
	}
	return 0;
}

int machines__process_event(struct machines *machines, const union perf_event *event,
			    const struct perf_sample *sample)
{
	u8 cpumode = event->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	pid_t spid = sample ? (pid_t)sample->pid : -1;
	struct machine *m;

	switch (event->header.type) {
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		if (event->header.size < sizeof(event->mmap))
			return kp_error(KP_ERR_BAD_RECORD, "MMAP record of %u bytes is too short",
					event->header.size);
		m = machines__find_for_cpumode(machines, cpumode, (pid_t)event->mmap.pid);
		if (!m)
			return 0;
		return machine__process_mmap(m, event, cpumode,
					     event->header.type == PERF_RECORD_MMAP2);
	case PERF_RECORD_COMM:
		m = machines__find_for_cpumode(machines, cpumode, spid);
		return m ? machine__process_comm(m, event) : 0;
	case PERF_RECORD_FORK:
		m = machines__find_for_cpumode(machines, cpumode, spid);
		return m ? machine__process_fork(m, event) : 0;
	case PERF_RECORD_EXIT:
		m = machines__find_for_cpumode(machines, cpumode, spid);
		return m ? machine__process_exit(m, event) : 0;
	case PERF_RECORD_KSYMBOL:
		m = machines__find_for_cpumode(machines, cpumode, spid);
		return m ? machine__process_ksymbol(m, event) : 0;
	case PERF_RECORD_HEADER_BUILD_ID: {
		const struct perf_record_header_build_id *b = &event->build_id;
		u8 size = KP_BUILD_ID_SIZE;
		char name[4096];
		size_t n;

		if (event->header.size < sizeof(*b))
			return kp_error(KP_ERR_BAD_RECORD, "BUILD_ID record of %u bytes is too short",
					event->header.size);
		if (event->header.misc & PERF_RECORD_MISC_BUILD_ID_SIZE)
			size = kp_min(b->size, (u8)KP_BUILD_ID_SIZE);
		n = kp_min(record_strnlen(event, b->filename), sizeof(name) - 1);
		memcpy(name, b->filename, n);
		name[n] = '\0';
		return machines__add_build_id(machines, b->pid, cpumode, b->build_id, size, name);
	}
	default:
		return 0;
	}
}

/* ------------------------------------------------------------ symbol loading */

static const char *buildid_dir(struct strbuf *sb)
{
	const char *env = getenv("PERF_BUILDID_DIR");
	const char *home;

	strbuf_reset(sb);
	if (env && *env) {
		strbuf_addstr(sb, env);
		return sb->buf;
	}
	home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	strbuf_addf(sb, "%s/.debug", home);
	return sb->buf;
}

/* ~/.debug/.build-id/xx/rest/<file> */
static bool build_id_cache_path(const struct dso *dso, const char *file, struct strbuf *out)
{
	char sbid[KP_SBUILD_ID_SIZE];
	struct strbuf dir = STRBUF_INIT;
	bool ok = false;

	if (!dso->has_build_id)
		return false;
	build_id__sprintf(dso->build_id, dso->bid_size, sbid);
	if (buildid_dir(&dir)) {
		strbuf_reset(out);
		strbuf_addf(out, "%s/.build-id/%.2s/%s/%s", dir.buf, sbid, sbid + 2, file);
		ok = true;
	}
	strbuf_release(&dir);
	return ok;
}

static bool is_regular_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static void kernel_symbols_fixup_map(struct machine *m, struct dso *dso)
{
	struct map *map = m->vmlinux_map;

	if (!map || map->dso != dso || !dso->syms.nr)
		return;
	maps__remove(&m->kmaps, map);
	map->start = dso->syms.syms[0].start;
	map->end = dso->syms.syms[dso->syms.nr - 1].end;
	maps__add(&m->kmaps, map);
}

/* relocation reference names a snapshot records (perf's ref_reloc_sym candidates) */
static const char *const kallsyms_reloc_names[] = { "_text", "_stext" };
#define KALLSYMS_NR_WANT (1 + ARRAY_SIZE(kallsyms_reloc_names))

struct kallsyms_load {
	struct symtab *st;
	/* want[0]: the file's relocation symbol (may be NULL), then kallsyms_reloc_names */
	const char *want[KALLSYMS_NR_WANT];
	size_t want_len[KALLSYMS_NR_WANT];
	u64 addr[KALLSYMS_NR_WANT];
	bool found[KALLSYMS_NR_WANT];
};

static int kallsyms_load_cb(const struct kallsym *ks, void *arg)
{
	struct kallsyms_load *a = arg;
	char t = (char)toupper((unsigned char)ks->type);
	u8 binding;

	/* the first core function (or 'A') symbol of each wanted name */
	if (!ks->module && (kallsyms__is_function(ks->type) || ks->type == 'A')) {
		for (size_t i = 0; i < KALLSYMS_NR_WANT; i++) {
			if (a->want[i] && !a->found[i] && a->want_len[i] == ks->namelen &&
			    !memcmp(ks->name, a->want[i], ks->namelen)) {
				a->addr[i] = ks->addr;
				a->found[i] = true;
			}
		}
	}

	if (t != 'T' && t != 'W' && t != 'D' && t != 'B')
		return 0;
	if (ks->name[0] == '$')
		return 0;
	if (ks->type == 'W')
		binding = STB_WEAK;
	else
		binding = isupper((unsigned char)ks->type) ? STB_GLOBAL : STB_LOCAL;
	symtab__add(a->st, ks->addr, 0, binding, (t == 'T' || t == 'W') ? STT_FUNC : STT_OBJECT,
		    ks->full, ks->fulllen);
	return 0;
}

static struct map *kmaps__find_by_name(struct machine *m, const char *name)
{
	for (u32 i = 0; i < m->kmaps.nr; i++)
		if (!strcmp(m->kmaps.entries[i]->dso->short_name, name))
			return m->kmaps.entries[i];
	return NULL;
}

/* add kallsyms symbol @s to the kernel DSO's table @core, unrelocated by @delta */
static void core_add(struct symtab *core, const struct symbol *s, u64 delta)
{
	symtab__add(core, s->start - delta, s->end - s->start, s->binding, s->type, s->name,
		    strlen(s->name));
}

/*
 * perf's maps__split_kallsyms(): module symbols move to their module's DSO
 * (addresses made module-relative), core kernel symbols stay, shifted by the
 * relocation delta.  Symbols of modules without a map are dropped, as are
 * core symbols after the modules (perf puts them in zero-sized "[kernel].N"
 * maps that no address can hit).
 *
 * @all (finished) is consumed.  all->syms[0, @prefix) are known to be core
 * symbols (not ENTRY_TRAMPOLINE_NAME), so their names need no look.  When the
 * kept core symbols are exactly the first entries of @all (the usual case:
 * the core kernel sorts below the modules), @all itself, shrunk and shifted
 * in place, becomes the kernel DSO's table instead of a copy of 100k+
 * symbols; its pool may be a mapped snapshot (symtab.map).
 */
static int machine__split_kallsyms(struct machine *m, struct dso *kernel, struct symtab *all,
				   size_t prefix, u64 delta)
{
	struct symtab core;
	struct map *curr = m->vmlinux_map;
	bool in_module = false, copied = false;
	size_t count = prefix;

	symtab__init(&core);
	for (size_t i = prefix; i < all->nr; i++) {
		struct symbol *s = &all->syms[i];
		const char *tab = strchr(s->name, '\t');

		if (tab) {
			const char *mod = tab + 1;

			if (!in_module || strcmp(curr->dso->short_name, mod)) {
				if (in_module && kernel->kernel == DSO_SPACE__KERNEL_GUEST &&
				    machine__is_default_guest(m))
					curr->dso->loaded = true;
				curr = kmaps__find_by_name(m, mod);
				if (!curr) {
					pr_debug("%s/proc/{kallsyms,modules} inconsistency while looking for \"%s\" module!",
						 m->root_dir, mod);
					curr = m->vmlinux_map;
					in_module = false;
					continue;
				}
				in_module = true;
				if (curr->dso->loaded && !machine__is_default_guest(m))
					continue;
			} else if (curr->dso->loaded && !machine__is_default_guest(m)) {
				continue;
			}
			symtab__add(&curr->dso->syms, map__map_ip(curr, s->start),
				    s->end - s->start, s->binding, s->type, s->name,
				    (size_t)(tab - s->name));
			continue;
		}
		if (!strcmp(s->name, ENTRY_TRAMPOLINE_NAME))
			continue;
		if (in_module) {
			if (count == 0) {
				curr = m->vmlinux_map;
				in_module = false;
			} else {
				continue; /* "[kernel].N": unreachable in perf */
			}
		}
		if (!copied && i != count) {
			/* not a prefix of @all any more: copy what was kept so far */
			for (size_t j = 0; j < count; j++)
				core_add(&core, &all->syms[j], delta);
			copied = true;
		}
		if (copied)
			core_add(&core, s, delta);
		count++;
	}
	if (in_module && kernel->kernel == DSO_SPACE__KERNEL_GUEST && machine__is_default_guest(m))
		curr->dso->loaded = true;
	for (u32 i = 0; i < m->kmaps.nr; i++) {
		struct dso *d = m->kmaps.entries[i]->dso;

		if (d != kernel) {
			symtab__sort(&d->syms);
			symtab__resolve_names(&d->syms);
		}
	}
	symtab__exit(&kernel->syms);
	if (copied) {
		symtab__resolve_names(&core);
		kernel->syms = core;
		symtab__exit(all);
	} else {
		for (size_t j = 0; delta && j < count; j++) {
			all->syms[j].start -= delta;
			all->syms[j].end -= delta;
		}
		all->nr = count;
		kernel->syms = *all;
		symtab__init(all);
	}
	return (int)count;
}

/* a full parse of @path (@fd >= 0: read from it) into @snap; relocation symbols recorded */
static int kallsyms__load_full(const char *path, int fd, const char *reloc_name,
			       struct kallsyms_snapshot *snap)
{
	struct kallsyms_load a = { 0 };
	int err;

	a.st = &snap->all;
	a.want[0] = reloc_name;
	for (size_t i = 0; i < ARRAY_SIZE(kallsyms_reloc_names); i++)
		a.want[i + 1] = kallsyms_reloc_names[i];
	for (size_t i = 0; i < KALLSYMS_NR_WANT; i++)
		a.want_len[i] = a.want[i] ? strlen(a.want[i]) : 0;
	err = fd >= 0 ? kallsyms__parse_fd(fd, path, kallsyms_load_cb, &a)
		      : kallsyms__parse(path, kallsyms_load_cb, &a);
	if (err) {
		pr_warning("%s", kp_errmsg(err));
		return err;
	}
	for (size_t i = 0; i < KALLSYMS_NR_WANT; i++)
		if (a.found[i])
			kallsyms_snapshot__add_reloc(snap, a.want[i], a.addr[i]);
	symtab__finish(&snap->all, true);
	snap->core_prefix = kallsyms__core_prefix(&snap->all, ENTRY_TRAMPOLINE_NAME);
	return 0;
}

/*
 * @fd >= 0: read from it (a file opened inside a guest root), @path names it.
 * @live: @path is this host's /proc/kallsyms, whose finished table may come
 * from (and goes to) the snapshot cache (kallsyms-cache.h).
 */
static int dso__load_kallsyms_fd(struct machine *m, struct dso *dso, int fd, const char *path,
				 bool live)
{
	const char *reloc_name = m->ref_reloc_name && *m->ref_reloc_name ? m->ref_reloc_name : NULL;
	struct strbuf key = STRBUF_INIT, cache = STRBUF_INIT;
	struct kallsyms_snapshot snap;
	bool cacheable, loaded = false;
	u64 reloc_addr = 0;
	int err;

	memset(&snap, 0, sizeof(snap));
	cacheable = live && fd < 0 && kallsyms_cache__enabled() &&
		    !kallsyms_cache__path(&cache) && !kallsyms_cache__key(NULL, &key);
	if (cacheable && !kallsyms_cache__load(cache.buf, &key, &snap)) {
		if (!reloc_name || kallsyms_snapshot__reloc(&snap, reloc_name, &reloc_addr)) {
			pr_debug("'%s': %zu symbols from the snapshot '%s' (%s)", path, snap.all.nr,
				 cache.buf, snap.all.syms_mapped ? "mapped in place" : "relocated");
			loaded = true;
		} else {
			pr_debug("kallsyms cache: no '%s' in '%s', reading '%s'", reloc_name,
				 cache.buf, path);
			kallsyms_snapshot__exit(&snap);
		}
	}
	if (!loaded) {
		err = kallsyms__load_full(path, fd, reloc_name, &snap);
		if (err)
			goto out;
		if (reloc_name && !kallsyms_snapshot__reloc(&snap, reloc_name, &reloc_addr)) {
			pr_warning("'%s': no '%s' symbol to relocate the kernel with", path,
				   m->ref_reloc_name);
			err = -ENOENT;
			goto out;
		}
		if (cacheable)
			kallsyms_cache__save(cache.buf, &key, &snap);
	}
	/*
	 * Every address 0 (the table is sorted): the kernel hides them from this
	 * user.  perf does not load kallsyms then (kptr_restrict, or
	 * perf_event_paranoid > 1 without CAP_SYSLOG) and shows raw addresses;
	 * so do we, rather than name everything after the one symbol left.
	 */
	if (snap.all.nr && !snap.all.syms[snap.all.nr - 1].start) {
		pr_warning("'%s': every address is 0 (kernel addresses are hidden from this user: "
			   "kernel.kptr_restrict, kernel.perf_event_paranoid); kernel symbols stay "
			   "unresolved: run as root, or copy the file as root and use --kallsyms",
			   path);
		err = -EACCES;
		goto out;
	}
	err = machine__split_kallsyms(m, dso, &snap.all, snap.core_prefix,
				      reloc_name ? reloc_addr - m->ref_reloc_addr : 0);
	if (err > 0)
		kernel_symbols_fixup_map(m, dso);
out:
	kallsyms_snapshot__exit(&snap);
	strbuf_release(&key);
	strbuf_release(&cache);
	return err;
}

static int dso__load_kallsyms(struct machine *m, struct dso *dso, const char *path, bool live)
{
	return dso__load_kallsyms_fd(m, dso, -1, path, live);
}

/*
 * An ELF kernel image.  perf keeps the .text symbols in the kernel map (set
 * to the relocated .text) and moves other sections to maps of their own; we
 * keep .text only, so addresses elsewhere stay unresolved instead of
 * getting a wrong DSO name.
 */
/*
 * @path is read, @name is what the DSO is called after (they differ for a
 * file opened inside a guest root); @want (size @want_size, 0: none) is the
 * build-id the image must have.
 */
static int __dso__load_vmlinux(struct machine *m, struct dso *dso, const char *path,
			       const char *name, const u8 *want, int want_size)
{
	struct elf_syms_opts opts = { .adjust_symbols = false, .want_plt = false };
	struct symtab st, text;
	u64 sym_text = 0, reloc = 0, taddr, tsize;
	struct map *map = m->vmlinux_map;
	int n;

	/* perf rejects an image whose build-id is not the recorded one */
	if (want_size > 0) {
		u8 bid[KP_BUILD_ID_SIZE];
		int sz = filename__read_build_id(path, bid);

		if (sz > 0 && (sz != want_size || memcmp(bid, want, sz))) {
			pr_warning_once("'%s': build-id differs from the recorded one, not used",
					name);
			return -EINVAL;
		}
	}
	n = elf__section_range(path, ".text", &taddr, &tsize);
	if (n < 0) {
		pr_warning("'%s': no .text section, not used as a kernel image", name);
		return n;
	}
	symtab__init(&st);
	n = elf__load_symbols(path, NULL, &opts, &st, NULL);
	if (n < 0) {
		pr_warning("%s", kp_errmsg(n));
		symtab__exit(&st);
		return n;
	}
	if (m->ref_reloc_name && *m->ref_reloc_name &&
	    !elf__symbol_start(path, m->ref_reloc_name, &sym_text))
		reloc = m->ref_reloc_addr - sym_text;
	symtab__resolve_names(&st);
	symtab__init(&text);
	for (size_t i = 0; i < st.nr; i++) {
		const struct symbol *s = &st.syms[i];

		if (s->start < taddr || s->start >= taddr + tsize)
			continue;
		symtab__add(&text, s->start + reloc, s->end - s->start, s->binding, s->type,
			    s->name, strlen(s->name));
	}
	symtab__exit(&st);
	symtab__finish(&text, false);
	symtab__exit(&dso->syms);
	dso->syms = text;
	if (map && map->dso == dso) {
		maps__remove(&m->kmaps, map);
		map->start = taddr + reloc;
		map->end = taddr + tsize + reloc;
		maps__add(&m->kmaps, map);
	}
	dso__set_long_name(m, dso, name);
	return (int)dso->syms.nr;
}

static int dso__load_vmlinux(struct machine *m, struct dso *dso, const char *path)
{
	return __dso__load_vmlinux(m, dso, path, path, dso->build_id,
				   dso->has_build_id ? dso->bid_size : 0);
}

/* perf's vmlinux_path: where a host kernel image may be, for a release */
static int dso__load_vmlinux_path(struct machine *m, struct dso *dso)
{
	const struct symbol_conf *conf = m->machines->conf;
	static const char *const fmts[] = {
		"/boot/vmlinux-%s", "/usr/lib/debug/boot/vmlinux-%s", "/lib/modules/%s/build/vmlinux",
		"/usr/lib/debug/lib/modules/%s/vmlinux", "/usr/lib/debug/boot/vmlinux-%s.debug",
	};
	struct strbuf path = STRBUF_INIT;
	struct utsname uts;
	const char *rel = conf && conf->osrelease ? conf->osrelease : NULL;
	int err = -ENOENT;

	if (!rel && !uname(&uts))
		rel = uts.release;
	for (size_t i = 0; i < 2 + (rel ? ARRAY_SIZE(fmts) : 0) && err <= 0; i++) {
		strbuf_reset(&path);
		if (i == 0)
			strbuf_addstr(&path, "vmlinux");
		else if (i == 1)
			strbuf_addstr(&path, "/boot/vmlinux");
		else
			strbuf_addf(&path, fmts[i - 2], rel);
		if (is_regular_file(path.buf))
			err = dso__load_vmlinux(m, dso, path.buf);
	}
	strbuf_release(&path);
	return err;
}

/* ---------------------------------------------------- --guestmount guests */

/* a file of the guest's root opened with root__open(): "/proc/self/fd/N" reads it */
static void fd_path(int fd, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "/proc/self/fd/%d", fd);
}

/*
 * Open @rel inside the guest's root.  Returns 0 (*fdp open), -ENOENT when the
 * file is simply not there (quietly), or another error after a warning (a
 * symlink leading out of the root, not a regular file).
 */
static int machine__open_guest_file(struct machine *m, const char *rel, int *fdp)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int err = root__open_file(m->root_dir, rel, fdp);

	if (!err)
		return 0;
	strbuf_addf(&full, "%s/%s", m->root_dir, rel);
	if (lstat(full.buf, &st)) {
		strbuf_release(&full);
		return -ENOENT;
	}
	if (S_ISLNK(st.st_mode))
		pr_warning("'%s': a symlink that does not resolve inside the guest root '%s' (%s); not followed, guest %d left unsymbolized",
			   full.buf, m->root_dir, strerror(err == -ENOENT ? ENOENT : -err),
			   m->pid);
	else
		pr_warning("'%s': cannot open inside the guest root (%s); guest %d left unsymbolized",
			   full.buf, strerror(-err), m->pid);
	strbuf_release(&full);
	return err == -ENOENT ? -ELOOP : err;
}

/*
 * The guest kernel's build-id: the recorded one, else DIR/PID/sys/kernel/notes.
 * Returns its size, 0 if unknown, or a negative error for a notes file that
 * is there but not a notes file (warned).
 */
static int machine__guest_build_id(struct machine *m, struct dso *dso, u8 *bid)
{
	int fd, sz;

	if (dso->has_build_id) {
		memcpy(bid, dso->build_id, dso->bid_size);
		return dso->bid_size;
	}
	if (!*m->root_dir)
		return 0;
	sz = machine__open_guest_file(m, "sys/kernel/notes", &fd);
	if (sz == -ENOENT)
		return 0;
	if (sz < 0)
		return sz;
	sz = sysfs__read_build_id_fd(fd, bid);
	close(fd);
	if (sz <= 0) {
		pr_warning("'%s/sys/kernel/notes': no valid GNU build-id note (bad sizes?); guest %d left unsymbolized",
			   m->root_dir, m->pid);
		return -EINVAL;
	}
	return sz;
}

struct guest_modules {
	struct machine *m;
	int nr;
};

static int guest_module_cb(const struct kmodule *km, void *arg)
{
	struct guest_modules *g = arg;
	struct strbuf name = STRBUF_INIT;
	struct map *map;

	strbuf_addch(&name, '[');
	strbuf_add(&name, km->name, km->namelen);
	strbuf_addch(&name, ']');
	map = machine__addnew_module_map(g->m, km->start, name.buf);
	map->end = km->start + km->size;
	strbuf_release(&name);
	g->nr++;
	return 0;
}

/* perf top's machine__create_modules() for a guest whose file has no module MMAPs */
static int machine__create_guest_modules(struct machine *m)
{
	struct guest_modules g = { .m = m };
	struct strbuf path = STRBUF_INIT;
	int fd, err;

	for (u32 i = 0; i < m->kmaps.nr; i++)
		if (m->kmaps.entries[i] != m->vmlinux_map)
			return 0;
	err = machine__open_guest_file(m, "proc/modules", &fd);
	if (err)
		return err == -ENOENT ? 0 : err;
	strbuf_addf(&path, "%s/proc/modules", m->root_dir);
	err = modules__parse_fd(fd, path.buf, guest_module_cb, &g);
	close(fd);
	if (err)
		pr_warning("%s; guest %d left unsymbolized", kp_errmsg(err), m->pid);
	strbuf_release(&path);
	return err;
}

/* a vmlinux inside the guest's root whose build-id matches (or that has none) */
static int machine__load_guest_vmlinux(struct machine *m, struct dso *dso, const u8 *bid,
				       int bid_size)
{
	struct strbuf rel = STRBUF_INIT, fdp = STRBUF_INIT, name = STRBUF_INIT;
	char **cand = NULL;
	size_t nr = 0, alloc = 0;
	int err = -ENOENT, dfd;

#define ADD(str)                                    	do {                                         		ALLOC_GROW(cand, nr + 1, alloc);     		cand[nr++] = xstrdup(str);           	} while (0)

	if (bid_size > 0) {
		char sbid[KP_SBUILD_ID_SIZE];

		build_id__sprintf(bid, bid_size, sbid);
		strbuf_addf(&rel, "usr/lib/debug/.build-id/%.2s/%s.debug", sbid, sbid + 2);
		ADD(rel.buf);
	}
	ADD("vmlinux");
	ADD("boot/vmlinux");
	dfd = root__open(m->root_dir, "boot", O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		DIR *d = fdopendir(dfd);
		struct dirent *de;

		while (d && (de = readdir(d)) && nr < 64) {
			if (strncmp(de->d_name, "vmlinux-", 8))
				continue;
			strbuf_reset(&rel);
			strbuf_addf(&rel, "boot/%s", de->d_name);
			ADD(rel.buf);
		}
		if (d)
			closedir(d);
		else
			close(dfd);
	}
#undef ADD
	for (size_t i = 0; i < nr; i++) {
		int fd;

		if (err <= 0 && !root__open_file(m->root_dir, cand[i], &fd)) {
			fd_path(fd, &fdp);
			strbuf_reset(&name);
			strbuf_addf(&name, "%s/%s", m->root_dir, cand[i]);
			err = __dso__load_vmlinux(m, dso, fdp.buf, name.buf, bid, bid_size);
			close(fd);
		}
		free(cand[i]);
	}
	free(cand);
	strbuf_release(&rel);
	strbuf_release(&fdp);
	strbuf_release(&name);
	return err;
}

/* the kernel image with the guest's build-id from debuginfod (and its cache) */
static int machine__load_debuginfod(struct machine *m, struct dso *dso, const u8 *bid,
				    int bid_size)
{
	const struct symbol_conf *conf = m->machines->conf;
	char *path = NULL;
	int err;

	if (bid_size <= 0 || (conf && conf->no_debuginfod))
		return -ENOENT;
	err = debuginfod__find_kernel(bid, (size_t)bid_size, &path);
	if (err) {
		if (err != -ENOENT && err != -ENOTSUP)
			pr_warning("%s", kp_errmsg(err));
		return err;
	}
	err = __dso__load_vmlinux(m, dso, path, path, bid, bid_size);
	free(path);
	return err;
}

/* a --guestmount guest: kallsyms (as perf), then a vmlinux in its root, then debuginfod */
static int machine__load_guest_kernel(struct machine *m, struct dso *dso, bool *via_vmlinux)
{
	struct strbuf path = STRBUF_INIT;
	u8 bid[KP_BUILD_ID_SIZE];
	int bid_size, err, fd;

	bid_size = machine__guest_build_id(m, dso, bid);
	if (bid_size < 0)
		return bid_size;
	err = machine__create_guest_modules(m);
	if (err)
		return err;
	err = machine__open_guest_file(m, "proc/kallsyms", &fd);
	if (!err) {
		strbuf_addf(&path, "%s/proc/kallsyms", m->root_dir);
		err = dso__load_kallsyms_fd(m, dso, fd, path.buf, false);
		close(fd);
		strbuf_release(&path);
		return err;
	}
	if (err != -ENOENT)
		return err;
	*via_vmlinux = true;
	err = machine__load_guest_vmlinux(m, dso, bid, bid_size);
	if (err <= 0)
		err = machine__load_debuginfod(m, dso, bid, bid_size);
	return err;
}

static void dso__load_kernel(struct machine *m, struct dso *dso)
{
	const struct symbol_conf *conf = m->machines->conf;
	struct strbuf path = STRBUF_INIT;
	bool via_vmlinux = false;
	int err = -1;

	if (m->pid == HOST_KERNEL_ID) {
		if (conf && conf->kallsyms) {
			strbuf_addstr(&path, conf->kallsyms);
		} else if (dso__load_vmlinux_path(m, dso) > 0) {
			err = 1;
			via_vmlinux = true;
		} else {
			u8 host_bid[KP_BUILD_ID_SIZE];
			int sz;

			sz = sysfs__read_build_id("/sys/kernel/notes", host_bid);
			if (!dso->has_build_id ||
			    (sz > 0 && sz == dso->bid_size && !memcmp(host_bid, dso->build_id, sz))) {
				strbuf_addstr(&path, "/proc/kallsyms");
			} else {
				struct strbuf dir = STRBUF_INIT;
				char sbid[KP_SBUILD_ID_SIZE];

				build_id__sprintf(dso->build_id, dso->bid_size, sbid);
				if (buildid_dir(&dir))
					strbuf_addf(&path, "%s/[kernel.kallsyms]/%s/kallsyms", dir.buf,
						    sbid);
				strbuf_release(&dir);
				if (!path.len || !is_regular_file(path.buf)) {
					pr_warning_once("No kallsyms or vmlinux with build-id %s was found",
							sbid);
					strbuf_reset(&path);
				}
			}
		}
		if (path.len)
			err = dso__load_kallsyms(m, dso, path.buf,
						 !strcmp(path.buf, "/proc/kallsyms"));
	} else if (machine__is_default_guest(m)) {
		if (conf && conf->guestvmlinux) {
			err = dso__load_vmlinux(m, dso, conf->guestvmlinux);
			via_vmlinux = true;
		}
		else if (conf && conf->guestkallsyms)
			err = dso__load_kallsyms(m, dso, conf->guestkallsyms, false);
		else if (dso->has_build_id) {
			err = machine__load_debuginfod(m, dso, dso->build_id, dso->bid_size);
			via_vmlinux = true;
		}
	} else {
		err = machine__load_guest_kernel(m, dso, &via_vmlinux);
	}
	/* kallsyms-backed kernels are named after the machine's mmap name */
	if (err > 0 && !via_vmlinux)
		dso__set_long_name(m, dso, m->mmap_name);
	strbuf_release(&path);
}

static int load_vdso_self(struct dso *dso)
{
	const unsigned char *img = (const void *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const void *)img;
	struct elf_syms_opts opts = { .adjust_symbols = true, .want_plt = true, .demangle = true };
	size_t size;

	if (!img || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return -ENOENT;
	/* the section headers are the last thing in the image */
	size = eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize;
	return elf__load_symbols_mem(img, size, "[vdso]", &opts, &dso->syms, &dso->plt);
}

/*
 * Candidate files for a user DSO, in perf 6.1's order: debuglink targets,
 * build-id cache (elf, debug), /usr/lib/debug/PATH.debug, /usr/lib/debug/PATH,
 * /usr/lib/debug/.build-id/xx/rest.debug, the file itself.  The first with a
 * .symtab gives the symbols, the first with a .dynsym the PLT and offsets.
 */
static void dso__candidates(struct machine *m, struct dso *dso, const char *guest_file,
			    char ***out, size_t *nr)
{
	struct strbuf sb = STRBUF_INIT, link = STRBUF_INIT, real = STRBUF_INIT;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	char sbid[KP_SBUILD_ID_SIZE];

#define ADD(str)                                           \
	do {                                                \
		ALLOC_GROW(v, n + 1, alloc);                \
		v[n++] = xstrdup(str);                      \
	} while (0)

	strbuf_addf(&real, "%s%s", m->root_dir, dso->long_name);
	/*
	 * A guest root is untrusted: only the file itself (opened inside the
	 * root, @guest_file) and the host's caches keyed by build-id.
	 */
	if (*m->root_dir) {
		if (build_id_cache_path(dso, "elf", &sb))
			ADD(sb.buf);
		if (build_id_cache_path(dso, "debug", &sb))
			ADD(sb.buf);
		if (guest_file)
			ADD(guest_file);
		goto out;
	}
	if (is_regular_file(real.buf) && !elf__read_debuglink(real.buf, &link)) {
		const char *slash = strrchr(real.buf, '/');
		int dirlen = slash ? (int)(slash - real.buf) : 0;

		ADD(link.buf);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.*s/%s", dirlen, real.buf, link.buf);
		ADD(sb.buf);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.*s/.debug/%s", dirlen, real.buf, link.buf);
		ADD(sb.buf);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "/usr/lib/debug%.*s/%s", dirlen, real.buf, link.buf);
		ADD(sb.buf);
	}
	if (build_id_cache_path(dso, "elf", &sb))
		ADD(sb.buf);
	if (build_id_cache_path(dso, "debug", &sb))
		ADD(sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "/usr/lib/debug%s.debug", real.buf);
	ADD(sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "/usr/lib/debug%s", real.buf);
	ADD(sb.buf);
	if (dso->has_build_id) {
		build_id__sprintf(dso->build_id, dso->bid_size, sbid);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "/usr/lib/debug/.build-id/%.2s/%s.debug", sbid, sbid + 2);
		ADD(sb.buf);
	}
	ADD(real.buf);
out:
#undef ADD
	strbuf_release(&sb);
	strbuf_release(&link);
	strbuf_release(&real);
	*out = v;
	*nr = n;
}

static bool build_id_matches(const struct dso *dso, const char *path)
{
	u8 bid[KP_BUILD_ID_SIZE];
	int sz;

	if (!dso->has_build_id)
		return true;
	sz = filename__read_build_id(path, bid);
	/* perf rejects only a build-id that is present and different */
	if (sz <= 0)
		return true;
	return sz == dso->bid_size && !memcmp(bid, dso->build_id, sz);
}

static void dso__load_user(struct machine *m, struct dso *dso)
{
	struct elf_syms_opts opts = { .adjust_symbols = true, .want_plt = true, .demangle = true };
	char **cand, *syms = NULL, *runtime = NULL;
	struct strbuf gfile = STRBUF_INIT;
	size_t nr;
	int n, gfd = -1;

	if (*m->root_dir && !root__open_file(m->root_dir, dso->long_name, &gfd))
		fd_path(gfd, &gfile);
	if (!dso->has_build_id) {
		struct strbuf real = STRBUF_INIT;
		u8 bid[KP_BUILD_ID_SIZE];
		int sz;

		if (*m->root_dir)
			strbuf_addstr(&real, gfile.buf);
		else
			strbuf_addstr(&real, dso->long_name);
		if (real.len && is_regular_file(real.buf) &&
		    (sz = filename__read_build_id(real.buf, bid)) > 0)
			dso__set_build_id(dso, bid, (u8)sz);
		strbuf_release(&real);
	}
	dso__candidates(m, dso, gfile.len ? gfile.buf : NULL, &cand, &nr);
	for (size_t i = 0; i < nr && !(syms && runtime); i++) {
		bool has_symtab = false, has_dynsym = false;

		if (!is_regular_file(cand[i]))
			continue;
		if (elf__has_symtab(cand[i], &has_symtab, &has_dynsym))
			continue;
		if (!build_id_matches(dso, cand[i])) {
			pr_debug("build id mismatch for %s", cand[i]);
			continue;
		}
		if (!syms && has_symtab)
			syms = cand[i];
		if (!runtime && has_dynsym)
			runtime = cand[i];
	}
	if (!syms)
		syms = runtime;
	if (!runtime)
		runtime = syms;
	if (syms) {
		n = elf__load_symbols(syms, runtime, &opts, &dso->syms, &dso->plt);
		if (n < 0)
			pr_warning("%s", kp_errmsg(n));
	}
	for (size_t i = 0; i < nr; i++)
		free(cand[i]);
	free(cand);
	if (gfd >= 0)
		close(gfd);
	strbuf_release(&gfile);
}

void dso__load(struct machine *m, struct dso *dso)
{
	if (dso->loaded)
		return;
	dso->loaded = true;
	if (dso->kernel != DSO_SPACE__USER && !dso->is_kmod) {
		dso__load_kernel(m, dso);
		return;
	}
	if (dso->kernel != DSO_SPACE__USER)
		return; /* module symbols come from kallsyms when the kernel loads first */
	if (dso->is_vdso) {
		struct strbuf path = STRBUF_INIT;
		struct elf_syms_opts opts = { .adjust_symbols = true, .want_plt = true, .demangle = true };

		if (dso->vdso_self) {
			load_vdso_self(dso);
		} else if (build_id_cache_path(dso, "vdso", &path) && is_regular_file(path.buf)) {
			int n = elf__load_symbols(path.buf, NULL, &opts, &dso->syms, &dso->plt);

			if (n < 0)
				pr_warning("%s", kp_errmsg(n));
		}
		strbuf_release(&path);
	} else if (dso->long_name[0] == '/') {
		dso__load_user(m, dso);
	}
	symtab__finish_elf(&dso->syms, &dso->plt);
}

struct symbol *dso__find_symbol(struct machine *machine, struct dso *dso, u64 addr)
{
	struct symbol *s;

	dso__load(machine, dso);
	s = symtab__find(&dso->syms, addr);
	return s;
}

/* ---------------------------------------------------------------- resolving */

static void thread__find_map(struct machines *machines, struct machine *m, struct thread *th,
			     u8 cpumode, u64 addr, struct addr_location *al)
{
	const struct maps *maps = th ? th->maps : NULL;
	bool host = conf_host(machines), guest = conf_guest(machines);
	bool kernel = false;

	al->machine = m;
	al->thread = th;
	al->map = NULL;
	al->dso = NULL;
	al->sym = NULL;
	al->addr = addr;
	al->ip = addr;
	al->cpumode = cpumode;
	al->filtered = AL_FILTER_NONE;
	if (!m)
		return;
	if (cpumode == PERF_RECORD_MISC_KERNEL && host) {
		al->level = 'k';
		kernel = true;
	} else if (cpumode == PERF_RECORD_MISC_USER && host) {
		al->level = '.';
	} else if (cpumode == PERF_RECORD_MISC_GUEST_KERNEL && guest) {
		al->level = 'g';
		kernel = true;
	} else if (cpumode == PERF_RECORD_MISC_GUEST_USER && guest) {
		al->level = 'u';
	} else {
		al->level = 'H';
		if ((cpumode == PERF_RECORD_MISC_GUEST_USER ||
		     cpumode == PERF_RECORD_MISC_GUEST_KERNEL) && !guest)
			al->filtered = AL_FILTER_GUEST;
		if ((cpumode == PERF_RECORD_MISC_USER || cpumode == PERF_RECORD_MISC_KERNEL) && !host)
			al->filtered = AL_FILTER_HOST;
		return;
	}
	if (kernel)
		maps = &m->kmaps;
	if (!maps)
		return;
	al->map = maps__find(maps, addr);
	if (!al->map)
		return;
	/* loading kernel symbols may move the kernel maps: load before using them */
	if (kernel && (!machines->conf || !machines->conf->no_symbols))
		dso__load(m, al->map->dso);
	al->dso = al->map->dso;
	al->addr = map__map_ip(al->map, addr);
	al->dso->hit = true;
	if (!machines->conf || !machines->conf->no_symbols)
		al->sym = dso__find_symbol(m, al->dso, al->addr);
}

void machines__resolve(struct machines *machines, const struct perf_sample *sample,
		       struct addr_location *al)
{
	struct machine *m = machines__find_for_cpumode(machines, sample->cpumode,
						       (pid_t)sample->pid);
	struct thread *th = m ? machine__findnew_thread(m, (pid_t)sample->pid,
							 (pid_t)sample->tid)
			      : NULL;

	thread__find_map(machines, m, th, sample->cpumode, sample->ip, al);
}

void machines__resolve_ip(struct machines *machines, struct machine *machine,
			  struct thread *thread, u8 cpumode, u64 ip, struct addr_location *al)
{
	thread__find_map(machines, machine, thread, cpumode, ip, al);
}

/* ---------------------------------------------------------------- accessors */

pid_t machine__pid(const struct machine *machine)
{
	return machine->pid;
}

bool machine__is_host(const struct machine *machine)
{
	return machine->pid == HOST_KERNEL_ID;
}

const char *thread__comm_str(const struct thread *thread)
{
	return thread->comm;
}

pid_t thread__pid(const struct thread *thread)
{
	return thread->pid;
}

pid_t thread__tid(const struct thread *thread)
{
	return thread->tid;
}

const char *dso__name(const struct dso *dso)
{
	return dso->short_name;
}

const char *dso__long_name(const struct dso *dso)
{
	return dso->long_name;
}

static int machine__for_each_dso(struct machine *m, bool hit_only, bool need_build_id,
				  int (*fn)(struct machine *, struct dso *, const u8 *, u8, void *),
				  void *arg)
{
	for (struct dso *d = m->dsos_head; d; d = d->next) {
		int err;

		if ((need_build_id && !d->has_build_id) || (hit_only && !d->hit))
			continue;
		err = fn(m, d, d->build_id, d->bid_size, arg);
		if (err)
			return err;
	}
	return 0;
}

int machines__for_each_dso_with_build_id(struct machines *machines, bool hit_only,
					 int (*fn)(struct machine *machine, struct dso *dso,
						   const u8 *build_id, u8 size, void *arg),
					 void *arg)
{
	int err = machine__for_each_dso(machines->host, hit_only, true, fn, arg);

	for (int i = 0; !err && i < machines->nr_guests; i++)
		err = machine__for_each_dso(machines->guests[i], hit_only, true, fn, arg);
	return err;
}

int machines__for_each_dso(struct machines *machines, bool hit_only,
			   int (*fn)(struct machine *machine, struct dso *dso, const u8 *build_id,
				     u8 size, void *arg),
			   void *arg)
{
	int err = machine__for_each_dso(machines->host, hit_only, false, fn, arg);

	for (int i = 0; !err && i < machines->nr_guests; i++)
		err = machine__for_each_dso(machines->guests[i], hit_only, false, fn, arg);
	return err;
}
