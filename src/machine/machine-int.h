/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machine-int.h - the layouts behind machine.h's opaque types.
 *
 * For src/machine/ and its unit tests.  Other layers use the accessors in
 * machine.h (and may read struct map / struct dso fields through
 * machine__*() helpers added there); nothing outside machine/ writes these.
 *
 * Ownership: a machine owns every dso, map, maps group and thread it ever
 * created, in plain lists, and frees them in machines__exit().  Maps removed
 * from a maps group by an overlapping MMAP, and threads replaced by a FORK,
 * stay allocated so that pointers handed out earlier remain valid.
 */
#ifndef KP_MACHINE_MACHINE_INT_H
#define KP_MACHINE_MACHINE_INT_H

#include "machine/machine.h"
#include "symbol/symbol.h"

enum dso_space {
	DSO_SPACE__USER = 0,
	DSO_SPACE__KERNEL,
	DSO_SPACE__KERNEL_GUEST,
};

struct dso {
	char *long_name;
	char *short_name;
	u8 build_id[KP_BUILD_ID_SIZE];
	u8 bid_size;
	bool has_build_id;
	bool header_build_id;
	bool hit;
	bool loaded;
	bool is_vdso;
	bool is_kmod;
	bool vdso_self; /* created from our own vdso image (perf's temp-file copy) */
	enum dso_space kernel;
	struct symtab syms;
	struct symtab plt; /* name@plt, searched only where syms has nothing */
	struct dso *next; /* machine's list, insertion order */
	struct dso *hnext; /* long-name hash chain */
};

struct map {
	u64 start;
	u64 end; /* exclusive */
	u64 pgoff;
	bool identity; /* map_ip(ip) = ip (kernel, anon) */
	struct dso *dso;
	struct map *all_next; /* machine's list of every map */
};

struct maps {
	struct map **entries; /* sorted by start, no overlaps */
	u32 nr;
	u32 alloc;
	struct maps *all_next;
};

struct thread {
	pid_t pid;
	pid_t tid;
	pid_t ppid;
	bool comm_set;
	bool dead;
	char *comm;
	char comm_buf[24]; /* ":<tid>" and short comms live here */
	struct maps *maps; /* shared by the threads of a process */
	struct thread *hnext;
	struct thread *all_next;
};

struct machine {
	pid_t pid;
	char *root_dir; /* "" host / default guest, <guestmount>/<pid> */
	char *mmap_name; /* [kernel.kallsyms], [guest.kernel.kallsyms], [guest.kernel.kallsyms.PID] */
	struct machines *machines;

	struct dso *dsos_head, **dsos_tail;
	struct dso **dso_hash;
	u32 dso_hash_size;
	u32 nr_dsos;

	struct thread **threads; /* hash by tid */
	u32 threads_size;
	u32 nr_threads;
	struct thread *all_threads;
	struct thread *last_match; /* one-entry cache */

	struct maps kmaps; /* kernel and module maps */
	struct map *vmlinux_map;
	struct dso *kernel_dso;
	char *ref_reloc_name; /* "_text" from "[kernel.kallsyms]_text" */
	u64 ref_reloc_addr; /* the kernel MMAP's pgoff */
	bool kernel_loading;

	struct dso *ksym_dsos; /* KSYMBOL DSOs: owned, but not in the DSO list */
	struct map *all_maps;
	struct maps *all_maps_groups;
};

/** machine__new - a machine for @pid (host: HOST_KERNEL_ID). */
struct machine *machine__new(struct machines *machines, pid_t pid, const char *root_dir);
/** machine__delete - free the machine and everything it owns. */
void machine__delete(struct machine *machine);
/** machine__findnew_thread - the thread @tid, created (with the process maps) if new. */
struct thread *machine__findnew_thread(struct machine *machine, pid_t pid, pid_t tid);
/** machine__find_thread - the thread @tid or NULL. */
struct thread *machine__find_thread(struct machine *machine, pid_t pid, pid_t tid);
/** machine__findnew_dso - the DSO with long name @name, created if new. */
struct dso *machine__findnew_dso(struct machine *machine, const char *name);
/** machine__find_dso - the DSO with long name @name or NULL. */
struct dso *machine__find_dso(struct machine *machine, const char *name);
/** maps__find - the map containing @addr, or NULL (binary search). */
struct map *maps__find(const struct maps *maps, u64 addr);
/** maps__insert - insert @map, cutting overlapped maps as perf's maps__fixup_overlappings. */
void maps__insert(struct machine *machine, struct maps *maps, struct map *map);
/** map__map_ip - the address @map's DSO sees for @ip. */
static inline u64 map__map_ip(const struct map *map, u64 ip)
{
	return map->identity ? ip : ip - map->start + map->pgoff;
}
/** dso__load - load @dso's symbols once (kallsyms, ELF, vdso). */
void dso__load(struct machine *machine, struct dso *dso);
/** dso__find_symbol - the symbol at DSO address @addr (loads lazily). */
struct symbol *dso__find_symbol(struct machine *machine, struct dso *dso, u64 addr);

#endif
