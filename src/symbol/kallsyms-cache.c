// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms-cache.c - snapshots of the finished host kallsyms table.
 *
 * File layout (native byte order and struct layout; both are in the key):
 *
 *	0		struct ksnap_header
 *	key_off		the key bytes (kallsyms_cache__key())
 *	syms_off	nr struct symbol, padding 0, .name the address of the name
 *			when the whole file is mapped at header.base
 *	pool_off	the names, NUL-terminated, pool_len bytes, up to the end
 *
 * A run maps the whole file privately at base (MAP_FIXED_NOREPLACE) and uses
 * the array where it lies: no copy, no pointer fix-up, pages shared with the
 * page cache until written.  When that address is taken, the array is read
 * to the heap and its names relocated.  syms_off and pool_off are multiples
 * of 64 KB so the pool alone can be mapped on any page size.
 *
 * The snapshot is a cache, never trusted: every offset and size is checked
 * against the file size, each part has a checksum, every name must lie in
 * the pool and the array must be sorted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "symbol/kallsyms-cache.h"
#include "util/util.h"

#define KSNAP_MAGIC "KPKSYMS\n"
#define KSNAP_VERSION 2
#define KSNAP_ALIGN 65536ULL
#define KSNAP_MAX_SYMS (16ULL << 20)
#define KSNAP_MAX_POOL (512ULL << 20)
#define KSNAP_MAX_KEY (32ULL << 20)
#define KSNAP_CHUNK 2048 /* symbols converted and written at a time (64 KB: stays in cache) */

struct ksnap_header {
	char magic[8];
	u32 version;
	u32 header_size;
	u32 sizeof_symbol;
	u32 nr_reloc;
	u64 key_off, key_len;
	u64 syms_off, nr_syms;
	u64 pool_off, pool_len;
	u64 file_size;
	u64 core_prefix;
	u64 base; /* names are addresses in a mapping of the whole file here (0: offsets) */
	struct ksnap_reloc reloc[KSNAP_MAX_RELOC];
	u64 sum_syms, sum_pool;
	u64 sum_head; /* over this header (with sum_head 0) and the key */
};

bool kallsyms_cache__enabled(void)
{
	const char *e = getenv("KVMPROF_NO_KALLSYMS_CACHE");

	return !e || !*e || !strcmp(e, "0");
}

/* a fast 64-bit checksum (4 independent lanes), not cryptographic */
#define KS_P1 0x9e3779b185ebca87ULL
#define KS_P2 0xc2b2ae3d27d4eb4fULL

static u64 rotl64(u64 x, int r)
{
	return (x << r) | (x >> (64 - r));
}

struct ksnap_sum {
	u64 h[4];
	u64 len;
};

static void ksnap_sum__init(struct ksnap_sum *c, u64 seed)
{
	c->h[0] = seed + KS_P1;
	c->h[1] = seed ^ KS_P2;
	c->h[2] = seed - KS_P1;
	c->h[3] = ~seed;
	c->len = 0;
}

/* @len must be a multiple of 32 except in the last call */
static void ksnap_sum__update(struct ksnap_sum *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	u64 h0 = c->h[0], h1 = c->h[1], h2 = c->h[2], h3 = c->h[3];
	size_t i = 0;

	for (; i + 32 <= len; i += 32) {
		u64 w[4];

		memcpy(w, p + i, sizeof(w));
		h0 = rotl64(h0 + w[0] * KS_P2, 31) * KS_P1;
		h1 = rotl64(h1 + w[1] * KS_P2, 31) * KS_P1;
		h2 = rotl64(h2 + w[2] * KS_P2, 31) * KS_P1;
		h3 = rotl64(h3 + w[3] * KS_P2, 31) * KS_P1;
	}
	for (; i < len; i++) /* the tail: folded into lane 0 */
		h0 = (h0 ^ p[i]) * KS_P1;
	c->h[0] = h0;
	c->h[1] = h1;
	c->h[2] = h2;
	c->h[3] = h3;
	c->len += len;
}

static u64 ksnap_sum__final(const struct ksnap_sum *c)
{
	u64 h = rotl64(c->h[0], 1) + rotl64(c->h[1], 7) + rotl64(c->h[2], 12) +
		rotl64(c->h[3], 18) + c->len;

	h ^= h >> 33;
	h *= KS_P2;
	h ^= h >> 29;
	return h;
}

static u64 ksnap_sum(const void *data, size_t len, u64 seed)
{
	struct ksnap_sum c;

	ksnap_sum__init(&c, seed);
	ksnap_sum__update(&c, data, len);
	return ksnap_sum__final(&c);
}

int kallsyms_cache__path(struct strbuf *out)
{
	const char *dir = getenv("KVMPROF_CACHE_DIR");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	strbuf_reset(out);
	if (dir && *dir)
		strbuf_addstr(out, dir);
	else if (xdg && *xdg == '/')
		strbuf_addf(out, "%s/kvmprof", xdg);
	else if (home && *home)
		strbuf_addf(out, "%s/.cache/kvmprof", home);
	else
		return -ENOENT;
	strbuf_addf(out, "/kallsyms-%u.snap", (unsigned int)geteuid());
	return 0;
}

/* one key part: tag, length, bytes; a missing file is its own value */
static void key_add(struct strbuf *key, const char *tag, const void *data, u64 len)
{
	strbuf_add(key, tag, strlen(tag) + 1);
	strbuf_add(key, &len, sizeof(len));
	if (len)
		strbuf_add(key, data, len);
}

/* a module's build-id note from sysfs (a rebuilt module reloaded at the same place) */
static void module_build_id(struct strbuf *norm, const char *root, const char *name, size_t len)
{
	struct strbuf path = STRBUF_INIT, note = STRBUF_INIT;
	u64 n;

	if (memchr(name, '/', len) || (len <= 2 && name[0] == '.'))
		return;
	strbuf_addf(&path, "%s/sys/module/%.*s/notes/.note.gnu.build-id", root ? root : "",
		    (int)len, name);
	if (strbuf_read_file(&note, path.buf, 4096) < 0)
		strbuf_reset(&note);
	n = note.len;
	strbuf_add(norm, &n, sizeof(n));
	strbuf_add(norm, note.buf, note.len);
	strbuf_release(&path);
	strbuf_release(&note);
}

/*
 * /proc/modules without the use count and the list of users (fields 3 and
 * 4): they change whenever a VM opens /dev/kvm, and say nothing about where
 * module symbols are.  Every other byte counts (name, size, state, address,
 * taint flags), and each module's build-id note; a line with fewer fields is
 * kept whole.
 */
static void modules_key(struct strbuf *key, const char *root, const char *buf, size_t len)
{
	struct strbuf norm = STRBUF_INIT;
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;
		const char *f[5] = { p, NULL, NULL, NULL, NULL };
		int n = 1;

		/* f[i]: start of field i + 1 */
		for (const char *q = p; q < eol && n < 5; q++)
			if (*q == ' ')
				f[n++] = q + 1;
		if (n == 5) {
			strbuf_add(&norm, f[0], f[2] - f[0]); /* "name size " */
			strbuf_add(&norm, f[4], eol - f[4]); /* "state 0xaddr ..." */
			module_build_id(&norm, root, f[0], f[1] - 1 - f[0]);
		} else {
			strbuf_add(&norm, p, eol - p);
		}
		strbuf_addch(&norm, '\n');
		p = nl ? nl + 1 : end;
	}
	key_add(key, "proc/modules", norm.buf, norm.len);
	strbuf_release(&norm);
}

static int key_add_file(struct strbuf *key, const char *root, const char *file, size_t max,
			bool required)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT;
	ssize_t n;

	strbuf_addf(&path, "%s/%s", root ? root : "", file);
	n = strbuf_read_file(&data, path.buf, max);
	if (n < 0) {
		if (required) {
			pr_debug("kallsyms cache: '%s': %s, not caching", path.buf, strerror((int)-n));
			strbuf_release(&path);
			strbuf_release(&data);
			return (int)n;
		}
		key_add(key, file, "-", 1); /* absent: differs from any content (length 1, '-') */
		key_add(key, "errno", &n, sizeof(n));
	} else if (!strcmp(file, "proc/modules")) {
		modules_key(key, root, data.buf, data.len);
	} else {
		key_add(key, file, data.buf, data.len);
	}
	strbuf_release(&path);
	strbuf_release(&data);
	return 0;
}

/* the first line of kallsyms: its address is 0 when this user may not see addresses */
static int key_add_first_line(struct strbuf *key, const char *root)
{
	struct strbuf path = STRBUF_INIT;
	char buf[1024];
	ssize_t n;
	char *nl;
	int fd;

	strbuf_addf(&path, "%s/proc/kallsyms", root ? root : "");
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		pr_debug("kallsyms cache: '%s': %s, not caching", path.buf, strerror(errno));
		strbuf_release(&path);
		return err;
	}
	do {
		n = read(fd, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	close(fd);
	strbuf_release(&path);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	nl = memchr(buf, '\n', (size_t)n);
	key_add(key, "kallsyms line 1", buf, nl ? (u64)(nl - buf) : (u64)n);
	return 0;
}

int kallsyms_cache__key(const char *root, struct strbuf *key)
{
	u32 sizes[4] = { KSNAP_VERSION, sizeof(struct symbol), sizeof(struct ksnap_header),
			 sizeof(void *) };
	u32 euid = (u32)geteuid();
	int err;

	strbuf_reset(key);
	key_add(key, "format", sizes, sizeof(sizes));
	key_add(key, "euid", &euid, sizeof(euid));
	err = key_add_file(key, root, "proc/sys/kernel/random/boot_id", 4096, true);
	if (!err)
		err = key_add_file(key, root, "sys/kernel/notes", 1 << 20, false);
	if (!err)
		err = key_add_file(key, root, "proc/modules", 16 << 20, false);
	if (!err)
		err = key_add_first_line(key, root);
	if (!err && (!root || !*root)) {
		struct utsname u;

		if (!uname(&u)) {
			key_add(key, "release", u.release, strlen(u.release));
			key_add(key, "version", u.version, strlen(u.version));
		}
	}
	if (err)
		strbuf_reset(key);
	return err;
}

bool kallsyms_snapshot__reloc(const struct kallsyms_snapshot *snap, const char *name, u64 *addr)
{
	for (u32 i = 0; i < snap->nr_reloc; i++) {
		if (!strcmp(snap->reloc[i].name, name)) {
			*addr = snap->reloc[i].addr;
			return true;
		}
	}
	return false;
}

void kallsyms_snapshot__add_reloc(struct kallsyms_snapshot *snap, const char *name, u64 addr)
{
	u64 old;

	if (snap->nr_reloc >= KSNAP_MAX_RELOC || strlen(name) >= KSNAP_RELOC_NAME ||
	    kallsyms_snapshot__reloc(snap, name, &old))
		return;
	memset(&snap->reloc[snap->nr_reloc], 0, sizeof(snap->reloc[0]));
	memcpy(snap->reloc[snap->nr_reloc].name, name, strlen(name) + 1);
	snap->reloc[snap->nr_reloc++].addr = addr;
}

size_t kallsyms__core_prefix(const struct symtab *all, const char *skip)
{
	size_t i;

	for (i = 0; i < all->nr; i++) {
		const char *name = all->finished ? all->syms[i].name :
						   all->pool + (uintptr_t)all->syms[i].name;

		if (strchr(name, '\t') || (skip && name[0] == skip[0] && !strcmp(name, skip)))
			break;
	}
	return i;
}

void kallsyms_snapshot__exit(struct kallsyms_snapshot *snap)
{
	symtab__exit(&snap->all);
	memset(snap, 0, sizeof(*snap));
}

static u64 align_up(u64 x)
{
	return (x + KSNAP_ALIGN - 1) & ~(KSNAP_ALIGN - 1);
}

static int pread_full(int fd, void *buf, size_t len, u64 off)
{
	char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
		off += (u64)n;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, u64 off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += (u64)n;
	}
	return 0;
}

static u64 head_sum(const struct ksnap_header *h, const void *key, size_t key_len)
{
	struct ksnap_header c = *h;

	c.sum_head = 0;
	return ksnap_sum(key, key_len, ksnap_sum(&c, sizeof(c), 0));
}

#define bad(...)                                                          \
	do {                                                              \
		pr_debug("kallsyms cache: '%s': " __VA_ARGS__);           \
		err = -EINVAL;                                            \
		goto out;                                                 \
	} while (0)

/* the whole file at the address its names were written for: nothing to relocate */
static void *map_fixed(int fd, const struct ksnap_header *h)
{
	void *want = (void *)(uintptr_t)h->base, *p;

	if (!h->base || sizeof(void *) != 8 || h->base % KSNAP_ALIGN)
		return MAP_FAILED;
	p = mmap(want, h->file_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd,
		 0);
	if (p != MAP_FAILED && p != want) { /* a kernel without MAP_FIXED_NOREPLACE: a hint */
		munmap(p, h->file_size);
		p = MAP_FAILED;
	}
	return p;
}

int kallsyms_cache__load_opts(const char *path, const struct strbuf *key,
			      struct kallsyms_snapshot *snap, bool fixed)
{
	struct ksnap_header h;
	struct symbol *syms = NULL;
	char *keybuf = NULL, *pool;
	void *map = MAP_FAILED;
	size_t map_len = 0;
	bool syms_mapped = false;
	long pagesz = sysconf(_SC_PAGESIZE);
	struct stat st;
	u64 prev = 0, pool_addr;
	int fd, err = 0;

	memset(snap, 0, sizeof(*snap));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		err = -errno;
		pr_debug("kallsyms cache: '%s': %s", path, strerror(errno));
		return err;
	}
	if (fstat(fd, &st))
		bad("cannot stat: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		bad("not a regular file owned by uid %u and writable only by it, ignored", path,
		    (unsigned int)geteuid());
	if ((u64)st.st_size < sizeof(h) || pread_full(fd, &h, sizeof(h), 0))
		bad("truncated header (file is %lld bytes), ignored", path, (long long)st.st_size);
	if (memcmp(h.magic, KSNAP_MAGIC, 8) || h.version != KSNAP_VERSION ||
	    h.header_size != sizeof(h) || h.sizeof_symbol != sizeof(struct symbol))
		bad("other format or version, ignored", path);
	if (h.file_size != (u64)st.st_size)
		bad("file is %lld bytes, header says %llu (truncated?), ignored", path,
		    (long long)st.st_size, (unsigned long long)h.file_size);
	if (h.syms_off > h.file_size || h.pool_off > h.file_size ||
	    h.key_off != sizeof(h) || h.key_len > KSNAP_MAX_KEY || h.nr_syms > KSNAP_MAX_SYMS ||
	    h.pool_len > KSNAP_MAX_POOL || h.pool_len == 0 || h.nr_reloc > KSNAP_MAX_RELOC ||
	    h.core_prefix > h.nr_syms || h.syms_off % KSNAP_ALIGN || h.pool_off % KSNAP_ALIGN ||
	    h.syms_off < h.key_off + h.key_len ||
	    h.pool_off < h.syms_off + h.nr_syms * sizeof(struct symbol) ||
	    h.pool_off + h.pool_len != h.file_size || h.base > UINT64_MAX - h.file_size)
		bad("inconsistent layout, ignored", path);
	if (h.key_len != key->len)
		bad("made for another kernel, boot or user, rewriting", path);
	keybuf = xmalloc(h.key_len ? h.key_len : 1);
	if (pread_full(fd, keybuf, h.key_len, h.key_off))
		bad("cannot read the key, ignored", path);
	if (head_sum(&h, keybuf, h.key_len) != h.sum_head)
		bad("header checksum mismatch (corrupt), ignored", path);
	if (memcmp(keybuf, key->buf, key->len))
		bad("made for another kernel, boot or user, rewriting", path);
	for (u32 i = 0; i < h.nr_reloc; i++)
		if (!memchr(h.reloc[i].name, '\0', sizeof(h.reloc[i].name)))
			bad("bad relocation entry, ignored", path);

	/* names are stored as addresses in a mapping of the file at h.base */
	pool_addr = h.base ? h.base + h.pool_off : 0;
	if (fixed && (map = map_fixed(fd, &h)) != MAP_FAILED) {
		map_len = h.file_size;
		syms = (struct symbol *)((char *)map + h.syms_off);
		pool = (char *)map + h.pool_off;
		syms_mapped = true;
	} else {
		/* elsewhere: the array is read to the heap and its names relocated */
		syms = xmalloc(h.nr_syms ? h.nr_syms * sizeof(*syms) : 1);
		if (pread_full(fd, syms, h.nr_syms * sizeof(*syms), h.syms_off))
			bad("cannot read the symbols, ignored", path);
		if (pagesz > 0 && h.pool_off % (u64)pagesz == 0) {
			map_len = h.pool_len;
			map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE, fd, (off_t)h.pool_off);
		}
		if (map == MAP_FAILED) {
			map = xmalloc(h.pool_len);
			map_len = 0;
			if (pread_full(fd, map, h.pool_len, h.pool_off)) {
				free(map);
				map = MAP_FAILED;
				bad("cannot read the names, ignored", path);
			}
		}
		pool = map;
	}
	if (ksnap_sum(syms, h.nr_syms * sizeof(*syms), 1) != h.sum_syms)
		bad("symbol checksum mismatch (corrupt), ignored", path);
	if (ksnap_sum(pool, h.pool_len, 2) != h.sum_pool)
		bad("name checksum mismatch (corrupt), ignored", path);
	if (pool[h.pool_len - 1] != '\0')
		bad("names not terminated, ignored", path);
	for (u64 i = 0; i < h.nr_syms; i++) {
		struct symbol *s = &syms[i];
		u64 off = (u64)(uintptr_t)s->name - pool_addr;

		if ((u64)(uintptr_t)s->name < pool_addr || off >= h.pool_len || s->start < prev)
			bad("symbol %llu out of range or order, ignored", path,
			    (unsigned long long)i);
		prev = s->start;
		if (!syms_mapped)
			s->name = pool + off;
	}

	snap->all.syms = syms;
	snap->all.nr = h.nr_syms;
	snap->all.alloc = h.nr_syms;
	snap->all.syms_mapped = syms_mapped;
	snap->all.pool = pool;
	snap->all.pool_len = h.pool_len;
	snap->all.pool_alloc = h.pool_len;
	snap->all.finished = true;
	if (map_len) {
		snap->all.map = map;
		snap->all.map_len = map_len;
	}
	snap->core_prefix = h.core_prefix;
	snap->nr_reloc = h.nr_reloc;
	memcpy(snap->reloc, h.reloc, sizeof(h.reloc));
	syms = NULL;
	map = MAP_FAILED;
	syms_mapped = false;
out:
	if (map != MAP_FAILED) {
		if (map_len)
			munmap(map, map_len);
		else
			free(map);
	}
	if (!syms_mapped)
		free(syms);
	free(keybuf);
	close(fd);
	return err;
}

int kallsyms_cache__load(const char *path, const struct strbuf *key,
			 struct kallsyms_snapshot *snap)
{
	return kallsyms_cache__load_opts(path, key, snap, true);
}

/*
 * mkdir -p for the cache directory, new parts 0700.  Root (sudo keeping the
 * user's HOME) gives a directory it creates inside another user's directory
 * to that user, so the user's own runs can still write their snapshot there.
 */
static int mkdir_parents(const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	struct stat parent;
	bool have_parent = false;
	int err = 0;

	strbuf_addstr(&dir, path);
	for (size_t i = 1; i < dir.len; i++) {
		if (dir.buf[i] != '/')
			continue;
		dir.buf[i] = '\0';
		if (!mkdir(dir.buf, 0700)) {
			if (geteuid() == 0 && have_parent && parent.st_uid != 0 &&
			    chown(dir.buf, parent.st_uid, parent.st_gid))
				pr_debug("kallsyms cache: cannot give '%s' to uid %u: %s", dir.buf,
					 (unsigned int)parent.st_uid, strerror(errno));
		} else if (errno != EEXIST) {
			err = -errno;
			pr_debug("kallsyms cache: cannot create '%s': %s", dir.buf, strerror(errno));
			break;
		}
		have_parent = !stat(dir.buf, &parent);
		dir.buf[i] = '/';
	}
	strbuf_release(&dir);
	return err;
}

/*
 * Where later runs map the snapshot: a random 64 KB aligned address in
 * [16 TB, 80 TB), clear of where x86-64 and arm64 (48-bit) put the program,
 * heap, libraries and stacks.  A run that finds it taken (another mapping,
 * ASan's shadow) copies and relocates instead.  0 on 32-bit systems.
 */
static u64 pick_base(u64 size)
{
	u64 r = 0, lo = 16ULL << 40, span = 64ULL << 40;

	if (sizeof(void *) != 8 || size > (1ULL << 32))
		return 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (u64)getpid() * KS_P1 ^ (u64)time(NULL) * KS_P2;
	return lo + (r % ((span - size) / KSNAP_ALIGN)) * KSNAP_ALIGN;
}

/*
 * Temporary files a killed run left behind ("PATH.XXXXXX" older than ten
 * minutes, ours): removed, so they cannot pile up.  Younger ones may belong
 * to a run writing right now.
 */
static void remove_stale_temps(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct strbuf dir = STRBUF_INIT;
	size_t baselen;
	struct dirent *de;
	time_t now = time(NULL);
	DIR *d;

	if (!slash)
		return;
	strbuf_add(&dir, path, (size_t)(slash - path));
	baselen = strlen(slash + 1);
	d = opendir(dir.len ? dir.buf : "/");
	if (d) {
		while ((de = readdir(d))) {
			struct stat st;

			if (strlen(de->d_name) != baselen + 7 ||
			    strncmp(de->d_name, slash + 1, baselen) || de->d_name[baselen] != '.')
				continue;
			if (!fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
			    S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
			    st.st_mtime < now - 600 && !unlinkat(dirfd(d), de->d_name, 0))
				pr_debug("kallsyms cache: removed stale '%s/%s'", dir.buf, de->d_name);
		}
		closedir(d);
	}
	strbuf_release(&dir);
}

int kallsyms_cache__save(const char *path, const struct strbuf *key,
			 const struct kallsyms_snapshot *snap)
{
	const struct symtab *all = &snap->all;
	struct strbuf tmp = STRBUF_INIT;
	struct ksnap_header h;
	struct ksnap_sum sum;
	struct symbol *chunk;
	u64 pool_addr;
	int fd, err;

	if (!all->finished || !all->pool_len || all->nr > KSNAP_MAX_SYMS ||
	    all->pool_len > KSNAP_MAX_POOL || snap->core_prefix > all->nr)
		return -EINVAL;
	err = mkdir_parents(path);
	if (err)
		return err;
	remove_stale_temps(path);
	strbuf_addf(&tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp.buf); /* mode 0600 */
	if (fd < 0) {
		err = -errno;
		pr_debug("kallsyms cache: cannot create '%s': %s", tmp.buf, strerror(errno));
		strbuf_release(&tmp);
		return err;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, KSNAP_MAGIC, 8);
	h.version = KSNAP_VERSION;
	h.header_size = sizeof(h);
	h.sizeof_symbol = sizeof(struct symbol);
	h.key_off = sizeof(h);
	h.key_len = key->len;
	h.syms_off = align_up(h.key_off + h.key_len);
	h.nr_syms = all->nr;
	h.pool_off = align_up(h.syms_off + h.nr_syms * sizeof(struct symbol));
	h.pool_len = all->pool_len;
	h.file_size = h.pool_off + h.pool_len;
	h.core_prefix = snap->core_prefix;
	h.base = pick_base(h.file_size);
	h.nr_reloc = snap->nr_reloc;
	memcpy(h.reloc, snap->reloc, sizeof(h.reloc));

	chunk = xmalloc(KSNAP_CHUNK * sizeof(*chunk));
	err = pwrite_full(fd, key->buf, key->len, h.key_off);
	/* names as addresses in the mapping at h.base, padding zeroed: what the checksum covers */
	pool_addr = h.base ? h.base + h.pool_off : 0;
	ksnap_sum__init(&sum, 1);
	for (size_t done = 0; !err && done < all->nr; done += KSNAP_CHUNK) {
		size_t n = all->nr - done < KSNAP_CHUNK ? all->nr - done : KSNAP_CHUNK;

		memset(chunk, 0, n * sizeof(*chunk));
		for (size_t i = 0; i < n; i++) {
			const struct symbol *s = &all->syms[done + i];

			chunk[i].start = s->start;
			chunk[i].end = s->end;
			chunk[i].name = (const char *)(uintptr_t)(pool_addr +
								  (u64)(s->name - all->pool));
			chunk[i].binding = s->binding;
			chunk[i].type = s->type;
		}
		ksnap_sum__update(&sum, chunk, n * sizeof(*chunk));
		err = pwrite_full(fd, chunk, n * sizeof(*chunk), h.syms_off + done * sizeof(*chunk));
	}
	h.sum_syms = ksnap_sum__final(&sum);
	h.sum_pool = ksnap_sum(all->pool, all->pool_len, 2);
	if (!err)
		err = pwrite_full(fd, all->pool, all->pool_len, h.pool_off);
	h.sum_head = head_sum(&h, key->buf, key->len);
	if (!err)
		err = pwrite_full(fd, &h, sizeof(h), 0);
	free(chunk);
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp.buf, path))
		err = -errno;
	if (err) {
		pr_debug("kallsyms cache: cannot write '%s': %s", path, strerror(-err));
		unlink(tmp.buf);
	}
	strbuf_release(&tmp);
	return err;
}
