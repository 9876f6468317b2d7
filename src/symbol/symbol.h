/* SPDX-License-Identifier: GPL-2.0 */
/*
 * symbol.h - symbol tables and the sources they are loaded from.
 *
 * A struct symtab is a sorted array of struct symbol (see machine/machine.h)
 * plus one string pool that owns every name.  Loaders append with
 * symtab__add() in any order, then symtab__finish() sorts (stable: equal
 * starts keep insertion order, as perf's rbtree insert does), extends
 * zero-size symbols to the next one and drops duplicates with perf's
 * preference rules, so that an address gives the same name as perf 6.1.
 * Lookup is a binary search: symtab__find().
 *
 * Sources: kallsyms (kallsyms.c), /proc/modules (kallsyms.c), ELF files and
 * memory images through libelf (symbol-elf.c), build-id notes (build-id.c).
 *
 * Ownership: the symtab owns its array and names; symtab__exit() frees them.
 * The pool (and maybe the array: @syms_mapped) may instead lie in a private
 * mapping of a kallsyms snapshot (kallsyms-cache.h): then @map is set,
 * symtab__exit() munmaps it and symtab__add() first copies both to the heap.
 * Errors come back as KP_ERR_BAD_SYMFILE / KP_ERR_BAD_ELF / -errno with a
 * kp_error() detail naming the file, the line or offset and the problem.
 */
#ifndef KP_SYMBOL_SYMBOL_H
#define KP_SYMBOL_SYMBOL_H

#include "machine/machine.h"
#include "util/types.h"

struct strbuf;

#define KP_BUILD_ID_SIZE 20
#define KP_SBUILD_ID_SIZE (KP_BUILD_ID_SIZE * 2 + 1)

/* perf's answer for [start, end): syms[idx] (see symtab__finish_elf()) */
struct sym_interval {
	u64 start;
	u64 end;
	u32 idx;
};

struct symtab {
	struct symbol *syms;
	size_t nr;
	size_t alloc;
	char *pool; /* names; symbol.name points in here after symtab__finish() */
	size_t pool_len;
	size_t pool_alloc;
	bool finished;
	bool exact; /* lookups go through iv[] */
	struct sym_interval *iv;
	size_t nr_iv;
	void *map; /* non-NULL: pool lies in this mapping of map_len bytes (munmap, not free) */
	size_t map_len;
	bool syms_mapped; /* syms lie in @map too */
};

/** symtab__init - an empty table. */
void symtab__init(struct symtab *st);
/** symtab__exit - free the array and the names (munmap a mapped pool). */
void symtab__exit(struct symtab *st);
/**
 * symtab__add - append a symbol [@start, @start + @len); @len 0 = unknown
 * size (fixed up by symtab__finish()).  @name is copied (@namelen bytes).
 */
void symtab__add(struct symtab *st, u64 start, u64 len, u8 binding, u8 type, const char *name,
		 size_t namelen);
/**
 * symtab__finish - sort, fix zero sizes and drop duplicates the way perf does
 * (symbols__fixup_end then symbols__fixup_duplicate).  @is_kallsyms selects
 * the kallsyms end rule (a kernel symbol followed by a module symbol, or the
 * other way round, ends one page later instead of at the next symbol).
 */
void symtab__finish(struct symtab *st, bool is_kallsyms);
/**
 * symtab__finish_elf - symtab__finish() for symbols loaded in ELF symbol-table
 * order, then @plt's entries added after the fix-ups (as perf does); lookups
 * then return exactly the symbol perf's rbtree search returns even where
 * symbols overlap.  @plt is emptied (may be NULL).
 */
void symtab__finish_elf(struct symtab *st, struct symtab *plt);
/** symtab__sort - stable sort by start only (no fix-ups). */
void symtab__sort(struct symtab *st);
/** symtab__fixup_end - perf's symbols__fixup_end() on a sorted table. */
void symtab__fixup_end(struct symtab *st, bool is_kallsyms);
/** symtab__fixup_duplicate - perf's symbols__fixup_duplicate() on a sorted table. */
void symtab__fixup_duplicate(struct symtab *st);
/** symtab__resolve_names - point every name into the pool (after adds are done). */
void symtab__resolve_names(struct symtab *st);
/**
 * symtab__unshare - copy a mapped pool and array to the heap (names stay
 * valid); a no-op for a table that owns them already.
 */
void symtab__unshare(struct symtab *st);
/** symtab__find - the symbol containing @addr, or NULL.  O(log n). */
struct symbol *symtab__find(const struct symtab *st, u64 addr);

/* ---- kallsyms and modules (kallsyms.c) ---- */

/*
 * One kallsyms line.  @module is NULL for the core kernel, else the text
 * between the brackets of "\t[mod]".  Strings point into the line buffer.
 */
struct kallsym {
	u64 addr;
	char type;
	const char *name;
	size_t namelen;
	const char *module;
	size_t modlen;
	const char *full; /* "name\t[mod]" exactly as perf keeps it */
	size_t fulllen;
};

/**
 * kallsyms__parse - call @fn for every line of a kallsyms file.  A line
 * without an address, a type or a name is an error (KP_ERR_BAD_SYMFILE, with
 * "'FILE': line N: ..." detail); so is a name longer than the kernel allows.
 * @fn returning non-zero stops the walk and that value is returned.
 */
int kallsyms__parse(const char *path, int (*fn)(const struct kallsym *ks, void *arg), void *arg);

/**
 * kallsyms__parse_fd - kallsyms__parse() on an open file (not closed); @path
 * names it in messages.  Lines longer than 4096 bytes and files over 256 MB
 * are KP_ERR_BAD_SYMFILE after reading at most that much.
 */
int kallsyms__parse_fd(int fd, const char *path,
		       int (*fn)(const struct kallsym *ks, void *arg), void *arg);

/** kallsyms__get_function_start - address of function (T/t/W/w) or 'A' symbol @name. */
int kallsyms__get_function_start(const char *path, const char *name, u64 *addr);

/** kallsyms__is_function - T/t/W/w. */
bool kallsyms__is_function(char type);

struct kmodule {
	const char *name;
	size_t namelen;
	u64 start;
	u64 size;
};

/**
 * modules__parse - call @fn for each line of a /proc/modules style file
 * ("name size refcnt deps state 0xADDR ...").  Malformed lines are an
 * error naming the file and line.
 */
int modules__parse(const char *path, int (*fn)(const struct kmodule *m, void *arg), void *arg);

/** modules__parse_fd - modules__parse() on an open file (lines <= 64 KB, file <= 16 MB). */
int modules__parse_fd(int fd, const char *path, int (*fn)(const struct kmodule *m, void *arg),
		      void *arg);

/* ---- guest roots (root.c) ---- */

/**
 * root__open - open @path inside directory @root (a --guestmount DIR/PID)
 * so that no symlink or ".." leads outside it; @root "" or NULL opens @path
 * as is.  Returns an fd (O_CLOEXEC added) or -errno.
 */
int root__open(const char *root, const char *path, int flags);
/** root__open_file - root__open() read-only, and only a regular file (-EINVAL otherwise). */
int root__open_file(const char *root, const char *path, int *fdp);
/** sysfs__read_build_id_fd - the build-id in an open notes file (reads at most 4 KB). */
int sysfs__read_build_id_fd(int fd, u8 *bid);

/* ---- debuginfod (debuginfod.c) ---- */

/**
 * debuginfod__find_kernel - fetch the debuginfo (else the executable) with
 * build-id @bid from the servers in DEBUGINFOD_URLS, through libdebuginfod's
 * cache.  On success *@path (malloc'ed, caller frees) is the cached file.
 * -ENOENT when DEBUGINFOD_URLS is unset, -ENOTSUP when built without
 * libdebuginfod, KP_ERR_UNSUPPORTED (with a detail naming the package) the
 * first time libdebuginfod.so.1 cannot be dlopen()ed and -ENOTSUP after that,
 * else the client's error with a kp_error() detail.
 */
int debuginfod__find_kernel(const u8 *bid, size_t size, char **path);

/* ---- build ids (build-id.c) ---- */

/**
 * build_id__sprintf - lowercase hex of @size bytes into @bf (>= 2*size+1).
 */
void build_id__sprintf(const u8 *build_id, size_t size, char *bf);
/**
 * build_id__from_notes - first NT_GNU_BUILD_ID ("GNU") note in a note stream.
 * Returns the id size (> 0), 0 if none, never reads past @len.
 */
int build_id__from_notes(const void *notes, size_t len, bool swap, u8 *bid);
/** sysfs__read_build_id - the build-id in a notes file such as /sys/kernel/notes. */
int sysfs__read_build_id(const char *path, u8 *bid);

/* ---- ELF (symbol-elf.c) ---- */

struct elf_syms_opts {
	bool adjust_symbols; /* user DSOs: st_value -> file offset (perf's adjust_symbols) */
	bool want_plt; /* synthesize name@plt entries from .rela.plt/.rel.plt */
	bool demangle; /* C++ names as perf shows them (user space only) */
};

/**
 * filename__read_build_id - build-id from an ELF file's notes.
 * Returns the size (> 0), 0 if the file has none, or a negative error.
 */
int filename__read_build_id(const char *path, u8 *bid);

/**
 * elf__load_symbols - load @path's .symtab (else .dynsym) into @st (not
 * finished) and PLT entries into @plt.  @runtime (may be NULL = @path) is the
 * file whose sections define the PLT and address adjustment (for separate
 * debug files).  Returns the number of symbols or a negative error.
 */
int elf__load_symbols(const char *path, const char *runtime, const struct elf_syms_opts *opts,
		      struct symtab *st, struct symtab *plt);

/**
 * elf__load_symbols_mem - as elf__load_symbols() on an in-memory image.
 */
int elf__load_symbols_mem(const void *image, size_t size, const char *what,
			  const struct elf_syms_opts *opts, struct symtab *st, struct symtab *plt);

/**
 * elf__read_debuglink - the .gnu_debuglink file name of @path into @out.
 * Returns 0 or a negative error (-ENOENT when absent).
 */
int elf__read_debuglink(const char *path, struct strbuf *out);

/** elf__has_symtab - whether @path has a .symtab and a .dynsym. */
int elf__has_symtab(const char *path, bool *symtab, bool *dynsym);

/** elf__section_range - address and size of section @name (".text") of @path. */
int elf__section_range(const char *path, const char *name, u64 *addr, u64 *size);

/**
 * elf__symbol_start - address of symbol @name in @path's .symtab/.dynsym
 * (vmlinux: _text/_stext).  Returns 0 or -ENOENT.
 */
int elf__symbol_start(const char *path, const char *name, u64 *addr);

#endif
