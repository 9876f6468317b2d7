/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms-cache.h - a snapshot of the running kernel's finished kallsyms table.
 *
 * Reading /proc/kallsyms costs tens of milliseconds (the kernel formats 100k+
 * lines on every read), more than the rest of a small report.  After one full
 * parse, the finished table (symtab__finish(..., true): sorted, ends fixed,
 * duplicates dropped, names "name\t[mod]" as perf keeps them) is written to
 * $KVMPROF_CACHE_DIR, else $XDG_CACHE_HOME/kvmprof, else ~/.cache/kvmprof, as
 * kallsyms-EUID.snap; later runs check it and read it back instead.
 *
 * A snapshot is used only if its key matches exactly: format version and
 * struct sizes, the boot id, the raw bytes of /sys/kernel/notes (the kernel's
 * build-id), uname release and version, the bytes of /proc/modules but for
 * the use counts and users (they change whenever a VM opens /dev/kvm), each
 * module's build-id note (/sys/module/NAME/notes),
 * the first line of /proc/kallsyms (kptr_restrict: are addresses visible to
 * this user?) and the euid.  It is bounds-checked and checksummed; anything
 * wrong (truncated, corrupt, foreign owner, group/world writable) is ignored
 * with a pr_debug() line and the table is parsed and the snapshot rewritten.
 * Writes go to a temporary file renamed into place (mode 0600, dir 0700), so
 * concurrent runs are safe; a write error (read-only home, full disk) is only
 * a pr_debug() line.  The file name has the euid in it, and a directory root
 * creates inside another user's directory (sudo keeping HOME) goes to that
 * user.  KVMPROF_NO_KALLSYMS_CACHE=1 turns all of it off.
 *
 * Known limitation: kallsyms also lists BPF programs and ftrace/kprobe
 * trampolines ("[bpf]", "[__builtin__ftrace]", ...) that come and go without
 * any change to /proc/modules, so they are not part of the key.  The loader
 * drops their symbols (no map has such a name), but a newer one sorting right
 * after a module's last symbol would have ended that symbol at its start in
 * a fresh parse; with a stale snapshot the module's last symbol may end
 * somewhere else.  Core kernel symbols are not affected.
 *
 * Only the live host /proc/kallsyms is cached (not --kallsyms FILE or guest
 * files).
 */
#ifndef KP_SYMBOL_KALLSYMS_CACHE_H
#define KP_SYMBOL_KALLSYMS_CACHE_H

#include "symbol/symbol.h"

struct strbuf;

#define KSNAP_MAX_RELOC 4
#define KSNAP_RELOC_NAME 48

/* where the first core T/t/W/w/A symbol of that name is (the relocation reference) */
struct ksnap_reloc {
	char name[KSNAP_RELOC_NAME];
	u64 addr;
};

struct kallsyms_snapshot {
	struct symtab all; /* finished table; owned (symtab__exit() it or move it) */
	u64 core_prefix; /* all.syms[0, core_prefix): core kernel symbols, no skipped name */
	u32 nr_reloc;
	struct ksnap_reloc reloc[KSNAP_MAX_RELOC];
};

/** kallsyms_cache__enabled - false when KVMPROF_NO_KALLSYMS_CACHE is set (not "0"/""). */
bool kallsyms_cache__enabled(void);

/**
 * kallsyms_cache__path - the snapshot file for this euid into @out.
 * Returns 0, or -ENOENT when no cache directory can be named (no HOME).
 */
int kallsyms_cache__path(struct strbuf *out);

/**
 * kallsyms_cache__key - the validity key of the kernel seen under @root
 * ("" or NULL: the live system; tests pass a directory holding
 * proc/sys/kernel/random/boot_id, proc/modules, proc/kallsyms,
 * sys/kernel/notes) into @key (binary).  Returns 0, or a negative error
 * when no boot id or kallsyms can be read (then nothing is cached).
 */
int kallsyms_cache__key(const char *root, struct strbuf *key);

/**
 * kallsyms_cache__load - read the snapshot at @path into @snap if its key is
 * exactly @key and it checks out.  Returns 0 with @snap filled (the file
 * mapped privately at the address its names were written for, else the
 * names mapped and the array copied to the heap), or a negative error and
 * @snap empty; a reason is logged with pr_debug().
 */
int kallsyms_cache__load(const char *path, const struct strbuf *key,
			 struct kallsyms_snapshot *snap);

/**
 * kallsyms_cache__load_opts - kallsyms_cache__load(); @fixed false never
 * maps the file at its recorded address (the copy-and-relocate path, for tests).
 */
int kallsyms_cache__load_opts(const char *path, const struct strbuf *key,
			      struct kallsyms_snapshot *snap, bool fixed);

/**
 * kallsyms_cache__save - write @snap (its table finished) under @key to
 * @path through a temporary file and rename(), creating the directory (0700).
 * Returns 0 or a negative error (logged with pr_debug(); callers go on).
 */
int kallsyms_cache__save(const char *path, const struct strbuf *key,
			 const struct kallsyms_snapshot *snap);

/** kallsyms_snapshot__reloc - the address recorded for @name; false if none. */
bool kallsyms_snapshot__reloc(const struct kallsyms_snapshot *snap, const char *name, u64 *addr);

/**
 * kallsyms_snapshot__add_reloc - record @name at @addr (ignored when full,
 * already there or the name is too long).
 */
void kallsyms_snapshot__add_reloc(struct kallsyms_snapshot *snap, const char *name, u64 addr);

/**
 * kallsyms__core_prefix - the number of leading symbols of a finished
 * kallsyms table that are core kernel symbols (no "\t[mod]") other than
 * @skip (may be NULL).
 */
size_t kallsyms__core_prefix(const struct symtab *all, const char *skip);

/** kallsyms_snapshot__exit - free @snap's table. */
void kallsyms_snapshot__exit(struct kallsyms_snapshot *snap);

#endif
