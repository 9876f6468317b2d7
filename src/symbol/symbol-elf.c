// SPDX-License-Identifier: GPL-2.0
/*
 * symbol-elf.c - ELF symbols, build-ids and debuglinks through libelf.
 *
 * Rules follow perf 6.1's dso__load_sym(): functions, objects and labels in
 * text/data sections with a name and a defined section, SHF_ALLOC sections
 * only, user-space addresses turned into file offsets (st_value - sh_addr +
 * sh_offset, taking NOBITS sections of a debug file from the runtime file),
 * PLT entries synthesized as "name@plt" after the fix-ups.
 *
 * libelf checks every section offset against the file; we check symbol and
 * string indexes, so a malformed ELF gives an error, never a crash.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef KP_HAVE_LIBIBERTY
/* from libiberty/demangle.h, which clashes with util/xalloc.h (as in perf) */
extern char *cplus_demangle(const char *mangled, int options);
#define DMGL_NO_OPTS 0
#endif

#include "symbol/symbol.h"
#include "util/util.h"

struct symsrc {
	int fd;
	Elf *elf;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	Elf_Scn *symtab;
	Elf_Scn *dynsym;
	size_t dynsym_idx;
	const char *what;
};

static void elf_init_once(void)
{
	static bool done;

	if (!done) {
		elf_version(EV_CURRENT);
		done = true;
	}
}

static Elf_Scn *section_by_name(struct symsrc *ss, const char *name, GElf_Shdr *shdr, size_t *idx)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ss->elf, scn)) != NULL) {
		const char *n;

		if (!gelf_getshdr(scn, shdr))
			continue;
		n = elf_strptr(ss->elf, ss->shstrndx, shdr->sh_name);
		if (n && !strcmp(n, name)) {
			if (idx)
				*idx = elf_ndxscn(scn);
			return scn;
		}
	}
	return NULL;
}

static int symsrc__setup(struct symsrc *ss)
{
	GElf_Shdr shdr;

	if (elf_kind(ss->elf) != ELF_K_ELF || !gelf_getehdr(ss->elf, &ss->ehdr))
		return kp_error(KP_ERR_BAD_ELF, "'%s': not an ELF file (%s)", ss->what,
				elf_errmsg(-1));
	if (elf_getshdrstrndx(ss->elf, &ss->shstrndx) < 0)
		return kp_error(KP_ERR_BAD_ELF, "'%s': bad section header string table (%s)",
				ss->what, elf_errmsg(-1));
	ss->symtab = section_by_name(ss, ".symtab", &shdr, NULL);
	if (ss->symtab && shdr.sh_type != SHT_SYMTAB)
		ss->symtab = NULL;
	ss->dynsym = section_by_name(ss, ".dynsym", &shdr, &ss->dynsym_idx);
	if (ss->dynsym && shdr.sh_type != SHT_DYNSYM)
		ss->dynsym = NULL;
	return 0;
}

static int symsrc__open(struct symsrc *ss, const char *path)
{
	int err;

	elf_init_once();
	memset(ss, 0, sizeof(*ss));
	ss->what = path;
	ss->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ss->fd < 0)
		return kp_error(-errno, "'%s': cannot open: %s", path, strerror(errno));
	ss->elf = elf_begin(ss->fd, ELF_C_READ_MMAP, NULL);
	if (!ss->elf) {
		err = kp_error(KP_ERR_BAD_ELF, "'%s': %s", path, elf_errmsg(-1));
		close(ss->fd);
		ss->fd = -1;
		return err;
	}
	err = symsrc__setup(ss);
	if (err) {
		elf_end(ss->elf);
		close(ss->fd);
		ss->elf = NULL;
		ss->fd = -1;
	}
	return err;
}

static int symsrc__open_mem(struct symsrc *ss, const void *image, size_t size, const char *what)
{
	int err;

	elf_init_once();
	memset(ss, 0, sizeof(*ss));
	ss->fd = -1;
	ss->what = what;
	ss->elf = elf_memory((char *)image, size);
	if (!ss->elf)
		return kp_error(KP_ERR_BAD_ELF, "'%s': %s", what, elf_errmsg(-1));
	err = symsrc__setup(ss);
	if (err) {
		elf_end(ss->elf);
		ss->elf = NULL;
	}
	return err;
}

static void symsrc__close(struct symsrc *ss)
{
	if (ss->elf)
		elf_end(ss->elf);
	if (ss->fd >= 0)
		close(ss->fd);
	ss->elf = NULL;
	ss->fd = -1;
}

static int elf_read_build_id(Elf *elf, u8 *bid)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	int found = 0;

	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return 0;
	while (!found && (scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr shdr;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		data = elf_rawdata(scn, NULL);
		if (!data || !data->d_buf)
			continue;
		found = build_id__from_notes(data->d_buf, data->d_size,
					     elf_getident(elf, NULL)[EI_DATA] !=
						     (__BYTE_ORDER == __LITTLE_ENDIAN ? ELFDATA2LSB
										      : ELFDATA2MSB),
					     bid);
	}
	if (found)
		return found;
	/* no section headers (or stripped ones): try the PT_NOTE segments */
	{
		size_t phnum;
		size_t fsize = 0;
		char *raw = elf_rawfile(elf, &fsize);

		if (!raw || elf_getphdrnum(elf, &phnum) < 0)
			return 0;
		for (size_t i = 0; i < phnum && !found; i++) {
			GElf_Phdr ph;

			if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE)
				continue;
			if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)
				continue;
			found = build_id__from_notes(raw + ph.p_offset, ph.p_filesz, false, bid);
		}
	}
	return found;
}

int filename__read_build_id(const char *path, u8 *bid)
{
	int fd, ret;
	Elf *elf;

	elf_init_once();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		close(fd);
		return KP_ERR_BAD_ELF;
	}
	ret = elf_read_build_id(elf, bid);
	elf_end(elf);
	close(fd);
	return ret;
}

int elf__read_debuglink(const char *path, struct strbuf *out)
{
	struct symsrc ss;
	GElf_Shdr shdr;
	Elf_Scn *scn;
	Elf_Data *data;
	int err = symsrc__open(&ss, path);

	if (err)
		return err;
	err = -ENOENT;
	scn = section_by_name(&ss, ".gnu_debuglink", &shdr, NULL);
	if (scn && (data = elf_getdata(scn, NULL)) && data->d_buf && data->d_size) {
		const char *s = data->d_buf;
		size_t n = strnlen(s, data->d_size);

		if (n && n < data->d_size) {
			strbuf_reset(out);
			strbuf_add(out, s, n);
			err = 0;
		}
	}
	symsrc__close(&ss);
	return err;
}

/* perf 6.1: cplus_demangle() without parameters or qualifiers; NULL if not C++ */
static char *demangle(const char *name)
{
#ifdef KP_HAVE_LIBIBERTY
	if (name[0] == '_' && name[1] == 'Z')
		return cplus_demangle(name, DMGL_NO_OPTS);
#endif
	return NULL;
}

static bool sym_is_function(const GElf_Sym *sym)
{
	int t = GELF_ST_TYPE(sym->st_info);

	return (t == STT_FUNC || t == STT_GNU_IFUNC) && sym->st_name && sym->st_shndx != SHN_UNDEF;
}

static bool sym_is_object(const GElf_Sym *sym)
{
	return GELF_ST_TYPE(sym->st_info) == STT_OBJECT && sym->st_name &&
	       sym->st_shndx != SHN_UNDEF;
}

static bool sym_is_label(const GElf_Sym *sym)
{
	return GELF_ST_TYPE(sym->st_info) == STT_NOTYPE && sym->st_name &&
	       sym->st_shndx != SHN_UNDEF && sym->st_shndx != SHN_ABS;
}

static int load_sym(struct symsrc *syms, struct symsrc *runtime, const struct elf_syms_opts *opts,
		    struct symtab *st)
{
	Elf_Scn *sec = syms->symtab ? syms->symtab : syms->dynsym;
	GElf_Shdr symshdr;
	Elf_Data *data;
	size_t nr, count = 0;

	if (!sec)
		return 0;
	if (!gelf_getshdr(sec, &symshdr) || !(data = elf_getdata(sec, NULL)))
		return kp_error(KP_ERR_BAD_ELF, "'%s': unreadable symbol table (%s)", syms->what,
				elf_errmsg(-1));
	if (!symshdr.sh_entsize)
		return kp_error(KP_ERR_BAD_ELF, "'%s': symbol table with entry size 0",
				syms->what);
	nr = data->d_size / gelf_fsize(syms->elf, ELF_T_SYM, 1, EV_CURRENT);
	for (size_t i = 0; i < nr; i++) {
		GElf_Sym sym;
		GElf_Shdr shdr;
		Elf_Scn *scn;
		const char *name, *secname;
		char *dem;
		bool label;
		struct symsrc *secsrc = syms;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		label = sym_is_label(&sym);
		if (!label && !sym_is_function(&sym) && !sym_is_object(&sym))
			continue;
		name = elf_strptr(syms->elf, symshdr.sh_link, sym.st_name);
		if (!name)
			continue;
		if (sym.st_shndx >= SHN_LORESERVE)
			continue;
		scn = elf_getscn(syms->elf, sym.st_shndx);
		if (!scn || !gelf_getshdr(scn, &shdr))
			continue;
		if (!(shdr.sh_flags & SHF_ALLOC))
			continue;
		/* a debug file's NOBITS sections have meaningless offsets */
		if (shdr.sh_type == SHT_NOBITS && runtime != syms) {
			scn = elf_getscn(runtime->elf, sym.st_shndx);
			if (!scn || !gelf_getshdr(scn, &shdr))
				continue;
			secsrc = runtime;
		}
		if (label) {
			secname = elf_strptr(secsrc->elf, secsrc->shstrndx, shdr.sh_name);
			if (!secname || (!strstr(secname, "text") && !strstr(secname, "data")))
				continue;
		}
		if (opts->adjust_symbols)
			sym.st_value -= shdr.sh_addr - shdr.sh_offset;
		dem = opts->demangle ? demangle(name) : NULL;
		if (dem)
			name = dem;
		symtab__add(st, sym.st_value, sym.st_size, GELF_ST_BIND(sym.st_info),
			    GELF_ST_TYPE(sym.st_info), name, strlen(name));
		free(dem);
		count++;
	}
	return (int)count;
}

static int synthesize_plt(struct symsrc *ss, struct symtab *plt, bool demangle_plt)
{
	GElf_Shdr shdr_plt, shdr_rel, dynshdr;
	Elf_Scn *scn_rel;
	Elf_Data *reldata, *syms;
	u64 off, entsize;
	size_t nr_rel;
	struct strbuf sb = STRBUF_INIT;
	int count = 0;

	if (!ss->dynsym || !section_by_name(ss, ".plt", &shdr_plt, NULL))
		return 0;
	scn_rel = section_by_name(ss, ".rela.plt", &shdr_rel, NULL);
	if (!scn_rel)
		scn_rel = section_by_name(ss, ".rel.plt", &shdr_rel, NULL);
	if (!scn_rel || (shdr_rel.sh_type != SHT_RELA && shdr_rel.sh_type != SHT_REL))
		return 0;
	if (shdr_rel.sh_link != ss->dynsym_idx || !shdr_rel.sh_entsize)
		return 0;
	if (!gelf_getshdr(ss->dynsym, &dynshdr))
		return 0;
	reldata = elf_getdata(scn_rel, NULL);
	syms = elf_getdata(ss->dynsym, NULL);
	if (!reldata || !syms)
		return 0;
	entsize = shdr_plt.sh_entsize;
	off = shdr_plt.sh_offset + entsize; /* skip PLT0 */
	nr_rel = shdr_rel.sh_size / shdr_rel.sh_entsize;
	for (size_t i = 0; i < nr_rel; i++) {
		GElf_Sym sym;
		size_t symidx;
		const char *name;
		char *dem;

		if (shdr_rel.sh_type == SHT_RELA) {
			GElf_Rela r;

			if (!gelf_getrela(reldata, (int)i, &r))
				break;
			symidx = GELF_R_SYM(r.r_info);
		} else {
			GElf_Rel r;

			if (!gelf_getrel(reldata, (int)i, &r))
				break;
			symidx = GELF_R_SYM(r.r_info);
		}
		if (!gelf_getsym(syms, (int)symidx, &sym))
			break;
		name = elf_strptr(ss->elf, dynshdr.sh_link, sym.st_name);
		dem = name && demangle_plt ? demangle(name) : NULL;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s@plt", dem ? dem : name ? name : "");
		free(dem);
		symtab__add(plt, off, entsize, STB_GLOBAL, STT_FUNC, sb.buf, sb.len);
		off += entsize;
		count++;
	}
	strbuf_release(&sb);
	return count;
}

static int load_pair(struct symsrc *syms, struct symsrc *runtime, const struct elf_syms_opts *opts,
		     struct symtab *st, struct symtab *plt)
{
	int n = load_sym(syms, runtime, opts, st);

	if (n < 0)
		return n;
	if (n > 0 && opts->want_plt && plt) {
		int p = synthesize_plt(runtime, plt, opts->demangle);

		if (p > 0)
			n += p;
	}
	return n;
}

int elf__load_symbols(const char *path, const char *runtime, const struct elf_syms_opts *opts,
		      struct symtab *st, struct symtab *plt)
{
	struct symsrc ss, rs;
	int err;

	err = symsrc__open(&ss, path);
	if (err)
		return err;
	if (!runtime || !strcmp(runtime, path)) {
		err = load_pair(&ss, &ss, opts, st, plt);
		symsrc__close(&ss);
		return err;
	}
	err = symsrc__open(&rs, runtime);
	if (err) {
		symsrc__close(&ss);
		return err;
	}
	err = load_pair(&ss, &rs, opts, st, plt);
	symsrc__close(&rs);
	symsrc__close(&ss);
	return err;
}

int elf__load_symbols_mem(const void *image, size_t size, const char *what,
			  const struct elf_syms_opts *opts, struct symtab *st, struct symtab *plt)
{
	struct symsrc ss;
	int err = symsrc__open_mem(&ss, image, size, what);

	if (err)
		return err;
	err = load_pair(&ss, &ss, opts, st, plt);
	symsrc__close(&ss);
	return err;
}

/* which tables a file has: perf picks the symbol and the runtime file by this */
int elf__has_symtab(const char *path, bool *symtab, bool *dynsym)
{
	struct symsrc ss;
	int err = symsrc__open(&ss, path);

	if (err)
		return err;
	*symtab = ss.symtab != NULL;
	*dynsym = ss.dynsym != NULL;
	symsrc__close(&ss);
	return 0;
}

int elf__symbol_start(const char *path, const char *name, u64 *addr)
{
	struct symsrc ss;
	Elf_Scn *sec;
	GElf_Shdr shdr;
	Elf_Data *data;
	int err = symsrc__open(&ss, path);

	if (err)
		return err;
	err = -ENOENT;
	sec = ss.symtab ? ss.symtab : ss.dynsym;
	if (sec && gelf_getshdr(sec, &shdr) && (data = elf_getdata(sec, NULL))) {
		size_t nr = data->d_size / gelf_fsize(ss.elf, ELF_T_SYM, 1, EV_CURRENT);

		for (size_t i = 0; i < nr; i++) {
			GElf_Sym sym;
			const char *n;

			if (!gelf_getsym(data, (int)i, &sym))
				break;
			n = elf_strptr(ss.elf, shdr.sh_link, sym.st_name);
			if (n && !strcmp(n, name)) {
				*addr = sym.st_value;
				err = 0;
				break;
			}
		}
	}
	symsrc__close(&ss);
	return err;
}

int elf__section_range(const char *path, const char *name, u64 *addr, u64 *size)
{
	struct symsrc ss;
	GElf_Shdr shdr;
	int err = symsrc__open(&ss, path);

	if (err)
		return err;
	err = -ENOENT;
	if (section_by_name(&ss, name, &shdr, NULL)) {
		*addr = shdr.sh_addr;
		*size = shdr.sh_size;
		err = 0;
	}
	symsrc__close(&ss);
	return err;
}
