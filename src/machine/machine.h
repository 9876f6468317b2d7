/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machine.h - who ran what: machines (host, guests), threads, maps, DSOs.
 *
 * Ownership tree: struct machines (embedded by the session/command) owns the
 * host machine and every guest machine; a machine owns its threads, its
 * kernel maps and its DSOs; a DSO owns its symbols.  Every lookup returns a
 * borrowed pointer valid until machines__exit().
 *
 * Machines: host pid -1 (HOST_KERNEL_ID), the default guest pid 0
 * (DEFAULT_GUEST_KERNEL_ID, symbols from --guestkallsyms/--guestmodules or
 * --guestvmlinux), and one guest per VMM pid under --guestmount.  A guest
 * record or sample of VMM pid P goes to P's machine, created on first use
 * when DIR/P is readable (as perf's machines__findnew), else to the default
 * guest.  The host idle thread (pid/tid 0) is "swapper" from the start.
 *
 * A --guestmount guest's kernel symbols come from, in order: DIR/P/proc/kallsyms
 * (perf's only source), a vmlinux inside DIR/P (vmlinux, boot/vmlinux,
 * boot/vmlinux-*, usr/lib/debug/.build-id/xx/rest.debug) whose build-id
 * matches, then debuginfod by build-id (DEBUGINFOD_URLS, unless
 * conf->no_debuginfod).  The build-id is the recorded one (BUILD_ID feature),
 * else DIR/P/sys/kernel/notes.  Without module MMAPs, DIR/P/proc/modules
 * gives the module maps (as perf top).  Every file under DIR/P is opened with
 * root__open() (no symlink leads outside DIR/P) and read with bounds; a bad
 * one is a warning and leaves that guest's kernel unsymbolized.  The default
 * guest with no --guestkallsyms/--guestvmlinux also tries debuginfod.
 *
 * Records are applied with machines__process_event() in stream order; then
 * machines__resolve() turns a sample (or one callchain address) into an
 * addr_location the way perf does (level markers [k] [.] [g] [u] [H], guest
 * samples filtered when !guest, host samples filtered when !host).
 */
#ifndef KP_MACHINE_MACHINE_H
#define KP_MACHINE_MACHINE_H

#include <sys/types.h>

#include "data/event.h"
#include "data/sample.h"

#define HOST_KERNEL_ID (-1)
#define DEFAULT_GUEST_KERNEL_ID 0

struct machine;
struct thread;
struct dso;
struct map;

struct symbol {
	u64 start; /* DSO-relative address (the address perf compares with map->map_ip) */
	u64 end; /* exclusive */
	const char *name; /* owned by the DSO */
	u8 binding; /* STB_* */
	u8 type; /* STT_* (STT_OBJECT prints name+0xoff) */
};

/* symbol sources, filled from struct kp_ctx and command options */
struct symbol_conf {
	bool host; /* resolve/show host samples */
	bool guest; /* resolve/show guest samples */
	const char *guestmount;
	const char *guestkallsyms;
	const char *guestmodules;
	const char *guestvmlinux;
	const char *kallsyms; /* --kallsyms: host kernel symbols from this copy */
	const char *symfs; /* prefix for host paths (unused by default: "") */
	bool no_symbols; /* resolve maps only, never load symbols (buildid-list -H) */
	const char *osrelease; /* the recorded kernel release (OSRELEASE), for vmlinux paths */
	bool no_debuginfod; /* --no-debuginfod: never ask the DEBUGINFOD_URLS servers */
};

struct machines {
	struct machine *host;
	struct machine **guests; /* sorted by pid */
	int nr_guests;
	int alloc_guests;
	pid_t *refused; /* --guestmount pids whose DIR/PID is not readable (warned once) */
	int nr_refused;
	int alloc_refused;
	const struct symbol_conf *conf;
};

enum addr_filter {
	AL_FILTER_NONE = 0,
	AL_FILTER_HOST, /* a host sample while !conf->host */
	AL_FILTER_GUEST, /* a guest sample while !conf->guest */
};

struct addr_location {
	struct machine *machine;
	struct thread *thread;
	struct map *map; /* NULL: [unknown] */
	struct dso *dso; /* map's DSO, NULL if no map */
	struct symbol *sym; /* NULL: unresolved */
	u64 addr; /* the address as the DSO sees it (map_ip) */
	u64 ip; /* the original address */
	u8 cpumode;
	char level; /* 'k' '.' 'g' 'u' 'H' */
	enum addr_filter filtered;
};

/**
 * machines__init - create the host machine.  The symbol files @conf names
 * (--kallsyms, --guestkallsyms, --guestmodules, --guestvmlinux) are checked
 * first: a missing or malformed one fails with its file and line in the
 * kp_error() detail (KP_ERR_BAD_SYMFILE, KP_ERR_BAD_ELF or -errno).
 * Call machines__exit() in every case.
 */
int machines__init(struct machines *machines, const struct symbol_conf *conf);
/** machines__exit - free every machine, thread, map, DSO and symbol. */
void machines__exit(struct machines *machines);
/** machines__find - the machine with @pid (HOST_KERNEL_ID for the host), or NULL. */
struct machine *machines__find(struct machines *machines, pid_t pid);
/** machines__findnew - as machines__find(), creating a guest machine if needed. */
struct machine *machines__findnew(struct machines *machines, pid_t pid);

/**
 * machines__process_event - apply MMAP, MMAP2, COMM, FORK, EXIT, KSYMBOL and
 * HEADER_BUILD_ID records to the right machine (guest records by cpumode and
 * pid as perf does).  Other record types are ignored.
 */
int machines__process_event(struct machines *machines, const union perf_event *event,
			    const struct perf_sample *sample);

/**
 * machines__exit_del_thread - an EXIT record as perf 6.1's buildid-list takes
 * it (perf_event__exit_del_thread): the thread is forgotten, so later records
 * of that tid start a fresh thread.  Other commands use
 * machines__process_event(), which keeps exited threads.
 */
int machines__exit_del_thread(struct machines *machines, const union perf_event *event,
			      const struct perf_sample *sample);

/**
 * machines__set_build_ids - attach the BUILD_ID feature entries to DSOs
 * (creating the DSOs by name on their machine if not seen yet).
 */
struct build_id_entry;
int machines__set_build_ids(struct machines *machines, const struct build_id_entry *entries,
			    u32 nr);

/**
 * machines__resolve - resolve @sample's ip: machine by cpumode/pid, thread by
 * pid/tid, map, symbol (loaded lazily, once per DSO), level marker and filter.
 * Marks the DSO as hit.  Never fails: unknowns are NULL members.
 */
void machines__resolve(struct machines *machines, const struct perf_sample *sample,
		       struct addr_location *al);

/**
 * machines__resolve_ip - resolve one more address (a callchain entry) of the
 * same thread in @cpumode (switched by PERF_CONTEXT_* markers by the caller).
 */
void machines__resolve_ip(struct machines *machines, struct machine *machine,
			  struct thread *thread, u8 cpumode, u64 ip, struct addr_location *al);

/* accessors used by the analysis and ui layers */
/** machine__pid - the machine's pid (-1 host). */
pid_t machine__pid(const struct machine *machine);
/** machine__is_host - true for the host machine. */
bool machine__is_host(const struct machine *machine);
/** thread__comm_str - the thread's comm, or ":<tid>" when none was seen (as perf prints). */
const char *thread__comm_str(const struct thread *thread);
pid_t thread__pid(const struct thread *thread);
pid_t thread__tid(const struct thread *thread);
/**
 * machines__host_comm - the comm of host process @pid (its main thread, e.g.
 * a guest's VMM), or NULL when the file never named that process.
 */
const char *machines__host_comm(struct machines *machines, pid_t pid);
/** dso__name - the name perf's "Shared Object" column shows (short name). */
const char *dso__name(const struct dso *dso);
/** dso__long_name - the full name (path, or [kernel.kallsyms] ...). */
const char *dso__long_name(const struct dso *dso);

/**
 * machines__for_each_dso_with_build_id - call @fn for every DSO that has a
 * build-id (host first, then guests by pid; within a machine in the order
 * perf 6.1's buildid-list uses), with the cpumode it would be written with.
 * @hit_only: only DSOs that had samples.
 */
int machines__for_each_dso_with_build_id(struct machines *machines, bool hit_only,
					 int (*fn)(struct machine *machine, struct dso *dso,
						   const u8 *build_id, u8 size, void *arg),
					 void *arg);

/**
 * machines__for_each_dso - call @fn for every DSO (host first, then guests by
 * pid; each machine's DSOs in the order they were created, as perf 6.1's
 * buildid-list lists them), @size 0 when the DSO has no build-id.
 * @hit_only: only DSOs that had samples.
 */
int machines__for_each_dso(struct machines *machines, bool hit_only,
			   int (*fn)(struct machine *machine, struct dso *dso, const u8 *build_id,
				     u8 size, void *arg),
			   void *arg);

#endif
