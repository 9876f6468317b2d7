// SPDX-License-Identifier: GPL-2.0
/*
 * writer.c - write file-mode perf.data that Linux perf 6.1+ reads.
 *
 * Layout: 104-byte header, the ids of every event, the attrs (128 bytes +
 * ids section each), the data section, then the feature table and payloads.
 * The file is written as "PATH.tmp"; finish() renames an existing PATH to
 * PATH.old and the temporary file to PATH.
 *
 * With compression enabled, records are gathered into chunks of up to
 * KP_COMP_CHUNK bytes (whole records only), each compressed as one zstd frame
 * and written as PERF_RECORD_COMPRESSED records of at most 64 KiB.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <zstd.h>

#include "data/data-internal.h"
#include "data/writer.h"
#include "util/util.h"

#define KP_WBUF_SIZE (2u << 20)
#define KP_COMP_CHUNK (256u << 10)
#define KP_NAME_ALIGN 64

struct wevsel {
	struct kp_attr attr;
	char *name;
	u64 *ids;
	u32 nr_ids;
};

struct perf_writer {
	char *path;
	char *tmp_path;
	int fd;
	struct wevsel *evsels;
	int nr_evsels, alloc_evsels;
	u64 attrs_offset, data_offset;
	u64 data_size; /* bytes of the data section on disk */
	u64 pos; /* file offset of the next byte */
	bool started, finished, failed;
	struct strbuf wbuf;
	/* compression */
	int zlevel;
	ZSTD_CCtx *zc;
	struct strbuf zin;
	u8 *zout;
	size_t zout_cap;
	u64 raw_bytes, comp_bytes;
};

/* low-level write of @len bytes at the current position, no buffering */
static int w_raw(struct perf_writer *w, const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			w->failed = true;
			return kp_error(-e, "'%s': write failed at offset %#llx: %s", w->tmp_path,
					(unsigned long long)w->pos, strerror(e));
		}
		p += n;
		len -= (size_t)n;
		w->pos += (u64)n;
	}
	return 0;
}

static int w_flush(struct perf_writer *w)
{
	int err = 0;

	if (w->wbuf.len) {
		err = w_raw(w, w->wbuf.buf, w->wbuf.len);
		strbuf_reset(&w->wbuf);
	}
	return err;
}

/*
 * Buffered: each write ends at a multiple of KP_WBUF_SIZE (2 MiB) in the
 * file (all but the last).  Such writes leave the file in the page cache as
 * 2 MiB folios, which a reader's mapping then maps with one page-table entry
 * each (FilePmdMapped); the small folios unaligned writes leave take one
 * fault per 64 KiB and an entry per 4 KiB.  bench/stat.sh's 564 MB file, on
 * 6.18: touching every page of its mapping 37-53 ms -> 3-8 ms, for any reader.
 */
static int w_buf(struct perf_writer *w, const void *buf, size_t len)
{
	const u8 *p = buf;

	while (len) {
		size_t room = KP_WBUF_SIZE - ((w->pos + w->wbuf.len) & (KP_WBUF_SIZE - 1));
		size_t n = kp_min(len, room);

		strbuf_add(&w->wbuf, p, n);
		p += n;
		len -= n;
		if (n == room) {
			int err = w_flush(w);

			if (err)
				return err;
		}
	}
	return 0;
}

static int w_pwrite(struct perf_writer *w, const void *buf, size_t len, u64 off)
{
	const u8 *p = buf;

	while (len) {
		ssize_t n = pwrite(w->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			w->failed = true;
			return kp_error(-e, "'%s': write failed at offset %#llx: %s", w->tmp_path,
					(unsigned long long)off, strerror(e));
		}
		p += n;
		off += (u64)n;
		len -= (size_t)n;
	}
	return 0;
}

int perf_writer__open(struct perf_writer **out, const char *path)
{
	struct perf_writer *w = xzalloc(sizeof(*w));
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s.tmp", path);
	w->path = xstrdup(path);
	w->tmp_path = strbuf_detach(&sb, NULL);
	strbuf_init(&w->wbuf, KP_WBUF_SIZE);
	w->fd = open(w->tmp_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (w->fd < 0) {
		int e = errno;
		int err = kp_error(-e, "'%s': cannot create: %s", w->tmp_path, strerror(e));

		strbuf_release(&w->wbuf);
		free(w->path);
		free(w->tmp_path);
		free(w);
		*out = NULL;
		return err;
	}
	*out = w;
	return 0;
}

int perf_writer__add_evsel(struct perf_writer *w, const struct kp_attr *attr, const char *name,
			   const u64 *ids, u32 nr_ids)
{
	struct wevsel *e;

	if (w->started)
		return kp_error(KP_ERR_INTERNAL, "'%s': events must be added before start",
				w->path);
	ALLOC_GROW(w->evsels, w->nr_evsels + 1, w->alloc_evsels);
	e = &w->evsels[w->nr_evsels++];
	memset(e, 0, sizeof(*e));
	e->attr = *attr;
	e->attr.size = KP_ATTR_SIZE_VER7;
	e->name = name ? xstrdup(name) : NULL;
	if (nr_ids) {
		e->ids = xmemdup(ids, nr_ids * sizeof(u64));
		e->nr_ids = nr_ids;
	}
	return 0;
}

int perf_writer__set_compression(struct perf_writer *w, int level)
{
	if (w->started)
		return kp_error(KP_ERR_INTERNAL, "'%s': compression must be set before start",
				w->path);
	if (level <= 0) {
		w->zlevel = 0;
		return 0;
	}
	if (level > ZSTD_maxCLevel())
		level = ZSTD_maxCLevel();
	w->zc = ZSTD_createCCtx();
	if (!w->zc)
		return kp_error(-ENOMEM, "cannot create a zstd compression context");
	ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, level);
	w->zlevel = level;
	w->zout_cap = ZSTD_compressBound(KP_COMP_CHUNK);
	w->zout = xmalloc(w->zout_cap);
	strbuf_init(&w->zin, KP_COMP_CHUNK);
	return 0;
}

/* header + ids + attrs; @final adds the data size and feature bits */
static int write_header(struct perf_writer *w, const u64 *features, u64 data_size)
{
	struct perf_file_header fh;

	memset(&fh, 0, sizeof(fh));
	fh.magic = PERF_MAGIC2;
	fh.size = PERF_FILE_HEADER_SIZE;
	fh.attr_size = KP_ATTR_SIZE_VER7 + 16;
	fh.attrs.offset = w->attrs_offset;
	fh.attrs.size = (u64)w->nr_evsels * fh.attr_size;
	fh.data.offset = w->data_offset;
	fh.data.size = data_size;
	if (features)
		memcpy(fh.adds_features, features, sizeof(fh.adds_features));
	return w_pwrite(w, &fh, sizeof(fh), 0);
}

int perf_writer__start(struct perf_writer *w)
{
	u64 off = PERF_FILE_HEADER_SIZE;
	u64 *id_offs;
	int err;

	if (w->started)
		return 0;
	if (!w->nr_evsels)
		return kp_error(KP_ERR_INTERNAL, "'%s': no events to write", w->path);
	w->started = true;
	id_offs = xcalloc((size_t)w->nr_evsels, sizeof(u64));
	strbuf_addchars(&w->wbuf, 0, PERF_FILE_HEADER_SIZE);
	for (int i = 0; i < w->nr_evsels; i++) {
		id_offs[i] = off;
		if (w->evsels[i].nr_ids)
			strbuf_add(&w->wbuf, w->evsels[i].ids, w->evsels[i].nr_ids * sizeof(u64));
		off += w->evsels[i].nr_ids * sizeof(u64);
	}
	w->attrs_offset = off;
	for (int i = 0; i < w->nr_evsels; i++) {
		struct perf_file_section ids = { id_offs[i], w->evsels[i].nr_ids * sizeof(u64) };

		strbuf_add(&w->wbuf, &w->evsels[i].attr, KP_ATTR_SIZE_VER7);
		strbuf_add(&w->wbuf, &ids, sizeof(ids));
		off += KP_ATTR_SIZE_VER7 + sizeof(ids);
	}
	free(id_offs);
	w->data_offset = off;
	err = w_flush(w);
	if (!err)
		err = write_header(w, NULL, 0); /* provisional: data to EOF, no features */
	return err;
}

static int comp_flush(struct perf_writer *w)
{
	size_t n, done = 0;
	int err;

	if (!w->zin.len)
		return 0;
	n = ZSTD_compress2(w->zc, w->zout, w->zout_cap, w->zin.buf, w->zin.len);
	if (ZSTD_isError(n))
		return kp_error(KP_ERR_INTERNAL, "'%s': zstd compression failed: %s", w->path,
				ZSTD_getErrorName(n));
	w->raw_bytes += w->zin.len;
	strbuf_reset(&w->zin);
	while (done < n) {
		size_t part = kp_min(n - done, (size_t)(0xffff - 8) & ~(size_t)7);
		struct perf_event_header h = { PERF_RECORD_COMPRESSED, 0, 0 };

		/* a zstd frame may span several records: the reader streams them */
		h.size = (u16)(sizeof(h) + part);
		if ((err = w_buf(w, &h, sizeof(h))) || (err = w_buf(w, w->zout + done, part)))
			return err;
		w->data_size += sizeof(h) + part;
		w->comp_bytes += sizeof(h) + part;
		done += part;
	}
	return 0;
}

int perf_writer__write(struct perf_writer *w, const void *event, size_t size)
{
	int err;

	if (!w->started && (err = perf_writer__start(w)))
		return err;
	if (w->failed)
		return kp_error(-EIO, "'%s': earlier write error", w->tmp_path);
	if (size < sizeof(struct perf_event_header) || size > 0xffff)
		return kp_error(KP_ERR_INTERNAL, "'%s': record of %zu bytes cannot be written",
				w->path, size);
	if (w->zc) {
		if (w->zin.len + size > KP_COMP_CHUNK && (err = comp_flush(w)))
			return err;
		strbuf_add(&w->zin, event, size);
		return 0;
	}
	err = w_buf(w, event, size);
	if (!err)
		w->data_size += size;
	/*
	 * A round is complete: hand it to the kernel, so that a recorder killed
	 * later (SIGKILL, OOM) leaves every finished round in the file for the
	 * reader's recovery (see recover_end() in reader.c).
	 */
	if (!err && ((const struct perf_event_header *)event)->type == PERF_RECORD_FINISHED_ROUND)
		err = w_flush(w);
	return err;
}

u64 perf_writer__data_size(const struct perf_writer *w)
{
	return w->data_size + (w->zc ? w->zin.len : 0);
}

/* ---------------------------------------------------------------- features */

static void put_u32(struct strbuf *sb, u32 v)
{
	strbuf_add(sb, &v, 4);
}

static void put_u64(struct strbuf *sb, u64 v)
{
	strbuf_add(sb, &v, 8);
}

static void put_str(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s) + 1;
	size_t padded = KP_ALIGN(len, (size_t)KP_NAME_ALIGN);

	put_u32(sb, (u32)padded);
	strbuf_add(sb, s, len);
	strbuf_addchars(sb, 0, padded - len);
}

/* payload of feature @feat into @sb; returns false if there is nothing to write */
static bool feature_payload(struct perf_writer *w, struct perf_header *h, int feat,
			    struct strbuf *sb)
{
	switch (feat) {
	case HEADER_TRACING_DATA:
		if (!h || !h->tracing_data || !perf_header__has_feat(h, feat))
			return false;
		strbuf_add(sb, h->tracing_data, h->tracing_data_size);
		return true;
	case HEADER_BUILD_ID:
		if (!h || !perf_header__has_feat(h, feat))
			return false;
		for (u32 i = 0; i < h->nr_build_ids; i++) {
			const struct build_id_entry *e = &h->build_ids[i];
			struct perf_record_header_build_id b;
			size_t len = strlen(e->filename) + 1;
			size_t padded = KP_ALIGN(len, (size_t)KP_NAME_ALIGN);

			memset(&b, 0, sizeof(b));
			b.header.type = PERF_RECORD_HEADER_BUILD_ID;
			b.header.misc = (u16)(e->cpumode | PERF_RECORD_MISC_BUILD_ID_SIZE);
			b.header.size = (u16)(sizeof(b) + padded);
			b.pid = e->pid;
			memcpy(b.build_id, e->build_id, 20);
			b.size = e->size ? e->size : 20;
			strbuf_add(sb, &b, sizeof(b));
			strbuf_add(sb, e->filename, len);
			strbuf_addchars(sb, 0, padded - len);
		}
		return true;
	case HEADER_HOSTNAME:
	case HEADER_OSRELEASE:
	case HEADER_VERSION:
	case HEADER_ARCH:
	case HEADER_CPUDESC:
	case HEADER_CPUID: {
		const char *s = NULL;

		if (!h || !perf_header__has_feat(h, feat))
			return false;
		s = feat == HEADER_HOSTNAME ? h->hostname :
		    feat == HEADER_OSRELEASE ? h->osrelease :
		    feat == HEADER_VERSION ? h->version :
		    feat == HEADER_ARCH ? h->arch :
		    feat == HEADER_CPUDESC ? h->cpudesc : h->cpuid;
		if (!s)
			return false;
		put_str(sb, s);
		return true;
	}
	case HEADER_NRCPUS:
		if (!h || !perf_header__has_feat(h, feat))
			return false;
		put_u32(sb, h->nr_cpus_avail);
		put_u32(sb, h->nr_cpus_online);
		return true;
	case HEADER_TOTAL_MEM:
		if (!h || !perf_header__has_feat(h, feat))
			return false;
		put_u64(sb, h->total_mem);
		return true;
	case HEADER_CMDLINE:
		if (!h || !perf_header__has_feat(h, feat))
			return false;
		put_u32(sb, h->nr_cmdline);
		for (u32 i = 0; i < h->nr_cmdline; i++)
			put_str(sb, h->cmdline[i] ? h->cmdline[i] : "");
		return true;
	case HEADER_EVENT_DESC:
		put_u32(sb, (u32)w->nr_evsels);
		put_u32(sb, KP_ATTR_SIZE_VER7);
		for (int i = 0; i < w->nr_evsels; i++) {
			struct wevsel *e = &w->evsels[i];
			struct evsel tmp;

			memset(&tmp, 0, sizeof(tmp));
			tmp.attr = e->attr;
			strbuf_add(sb, &e->attr, KP_ATTR_SIZE_VER7);
			put_u32(sb, e->nr_ids);
			put_str(sb, e->name ? e->name : evsel__name(&tmp));
			if (e->nr_ids)
				strbuf_add(sb, e->ids, e->nr_ids * sizeof(u64));
			free(tmp.name);
		}
		return true;
	case HEADER_PMU_MAPPINGS:
		if (!h || !perf_header__has_feat(h, feat) || !h->nr_pmu_mappings)
			return false;
		put_u32(sb, h->nr_pmu_mappings);
		for (u32 i = 0; i < h->nr_pmu_mappings; i++) {
			put_u32(sb, h->pmu_mappings[i].type);
			put_str(sb, h->pmu_mappings[i].name);
		}
		return true;
	case HEADER_SAMPLE_TIME:
		if (!h || !perf_header__has_feat(h, feat))
			return false;
		put_u64(sb, h->first_sample_time);
		put_u64(sb, h->last_sample_time);
		return true;
	case HEADER_COMPRESSED:
		if (!w->zc)
			return false;
		put_u32(sb, 0); /* version, as perf writes it */
		put_u32(sb, 1); /* zstd */
		put_u32(sb, (u32)w->zlevel);
		put_u32(sb, (u32)(w->comp_bytes ? (w->raw_bytes + w->comp_bytes / 2) / w->comp_bytes
						: 0));
		put_u32(sb, KP_COMP_CHUNK + 0x10000);
		return true;
	default:
		return false;
	}
}

int perf_writer__finish(struct perf_writer *w, struct perf_header *header)
{
	u64 features[HEADER_FEAT_BITS / 64] = { 0 };
	struct perf_file_section *secs;
	struct strbuf payload = STRBUF_INIT;
	u64 feat_off, off;
	int nr = 0, err;

	if (!w->started && (err = perf_writer__start(w)))
		return err;
	if (w->zc && (err = comp_flush(w)))
		return err;
	if ((err = w_flush(w)))
		return err;
	/* collect the payloads first: the table precedes them */
	secs = xcalloc(HEADER_LAST_FEATURE, sizeof(*secs));
	feat_off = w->data_offset + w->data_size;
	for (int f = 1; f < HEADER_LAST_FEATURE; f++) {
		struct strbuf tmp = STRBUF_INIT;

		if (feature_payload(w, header, f, &tmp)) {
			secs[nr].size = tmp.len;
			strbuf_add(&payload, tmp.buf, tmp.len);
			nr++;
			features[f / 64] |= 1ULL << (f % 64);
		}
		strbuf_release(&tmp);
	}
	off = feat_off + (u64)nr * sizeof(*secs);
	for (int i = 0; i < nr; i++) {
		secs[i].offset = off;
		off += secs[i].size;
	}
	if (w->pos != feat_off) {
		err = kp_error(KP_ERR_INTERNAL, "'%s': internal offset mismatch", w->tmp_path);
		goto out;
	}
	if ((err = w_raw(w, secs, (size_t)nr * sizeof(*secs))) ||
	    (err = w_raw(w, payload.buf, payload.len)))
		goto out;
	if ((err = write_header(w, features, w->data_size)))
		goto out;
	if (fsync(w->fd) < 0 && errno != EINVAL) {
		err = kp_error(-errno, "'%s': fsync failed: %s", w->tmp_path, strerror(errno));
		goto out;
	}
	if (close(w->fd) < 0) {
		w->fd = -1;
		err = kp_error(-errno, "'%s': close failed: %s", w->tmp_path, strerror(errno));
		goto out;
	}
	w->fd = -1;
	if (!access(w->path, F_OK)) {
		struct strbuf old = STRBUF_INIT;

		strbuf_addf(&old, "%s.old", w->path);
		if (rename(w->path, old.buf) < 0)
			err = kp_error(-errno, "'%s': cannot rename to '%s': %s", w->path, old.buf,
				       strerror(errno));
		strbuf_release(&old);
		if (err)
			goto out;
	}
	if (rename(w->tmp_path, w->path) < 0) {
		err = kp_error(-errno, "'%s': cannot rename to '%s': %s", w->tmp_path, w->path,
			       strerror(errno));
		goto out;
	}
	w->finished = true;
out:
	free(secs);
	strbuf_release(&payload);
	return err;
}

void perf_writer__delete(struct perf_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (!w->finished)
		unlink(w->tmp_path);
	for (int i = 0; i < w->nr_evsels; i++) {
		free(w->evsels[i].name);
		free(w->evsels[i].ids);
	}
	free(w->evsels);
	strbuf_release(&w->wbuf);
	strbuf_release(&w->zin);
	free(w->zout);
	if (w->zc)
		ZSTD_freeCCtx(w->zc);
	free(w->path);
	free(w->tmp_path);
	free(w);
}

/* ---------------------------------------------------------------- host info */

static char *squash_spaces(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	bool sp = false;

	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			sp = true;
			continue;
		}
		if (sp)
			strbuf_addch(&sb, ' ');
		sp = false;
		strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

static const char *cpuinfo_value(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) || (line[n] != ' ' && line[n] != '\t' && line[n] != ':'))
		return NULL;
	line = strchr(line, ':');
	if (!line)
		return NULL;
	line++;
	while (*line == ' ')
		line++;
	return line;
}

static void fill_cpu(struct perf_header *h)
{
	FILE *fp = fopen("/proc/cpuinfo", "r");
	struct strbuf line = STRBUF_INIT;
	char *vendor = NULL, *family = NULL, *model = NULL, *stepping = NULL, *name = NULL;

	if (!fp)
		return;
	while (strbuf_getline(&line, fp) != EOF) {
		const char *v;

		if (!line.len)
			break; /* first processor only */
		if (!vendor && (v = cpuinfo_value(line.buf, "vendor_id")))
			vendor = xstrdup(v);
		else if (!family && (v = cpuinfo_value(line.buf, "cpu family")))
			family = xstrdup(v);
		else if (!model && (v = cpuinfo_value(line.buf, "model")))
			model = xstrdup(v);
		else if (!stepping && (v = cpuinfo_value(line.buf, "stepping")))
			stepping = xstrdup(v);
		else if (!name && (v = cpuinfo_value(line.buf, "model name")))
			name = xstrdup(v);
	}
	fclose(fp);
	strbuf_release(&line);
	if (name) {
		free(h->cpudesc);
		h->cpudesc = squash_spaces(name);
		perf_header__set_feat(h, HEADER_CPUDESC);
	}
	if (vendor) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "%s,%s,%s,%s", vendor, family ? family : "0", model ? model : "0",
			    stepping ? stepping : "0");
		free(h->cpuid);
		h->cpuid = strbuf_detach(&sb, NULL);
		perf_header__set_feat(h, HEADER_CPUID);
	}
	free(vendor);
	free(family);
	free(model);
	free(stepping);
	free(name);
}

int perf_header__fill_host(struct perf_header *h, int argc, const char **argv)
{
	struct utsname u;
	FILE *fp;
	char exe[4096];
	ssize_t n;

	if (uname(&u) == 0) {
		free(h->hostname);
		free(h->osrelease);
		free(h->arch);
		h->hostname = xstrdup(u.nodename);
		h->osrelease = xstrdup(u.release);
		h->arch = xstrdup(u.machine);
		perf_header__set_feat(h, HEADER_HOSTNAME);
		perf_header__set_feat(h, HEADER_OSRELEASE);
		perf_header__set_feat(h, HEADER_ARCH);
	}
	free(h->version);
	h->version = xstrdup(KP_VERSION);
	perf_header__set_feat(h, HEADER_VERSION);
	h->nr_cpus_avail = (u32)sysconf(_SC_NPROCESSORS_CONF);
	h->nr_cpus_online = (u32)sysconf(_SC_NPROCESSORS_ONLN);
	perf_header__set_feat(h, HEADER_NRCPUS);
	fill_cpu(h);
	fp = fopen("/proc/meminfo", "r");
	if (fp) {
		struct strbuf line = STRBUF_INIT;

		while (strbuf_getline(&line, fp) != EOF) {
			unsigned long long kb;

			if (sscanf(line.buf, "MemTotal: %llu kB", &kb) == 1) {
				h->total_mem = kb;
				perf_header__set_feat(h, HEADER_TOTAL_MEM);
				break;
			}
		}
		strbuf_release(&line);
		fclose(fp);
	}
	/* CMDLINE: the binary's absolute path, then the arguments */
	for (u32 i = 0; i < h->nr_cmdline; i++)
		free(h->cmdline[i]);
	free(h->cmdline);
	h->cmdline = xcalloc((size_t)(argc > 0 ? argc : 0) + 2, sizeof(char *));
	h->nr_cmdline = 0;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		h->cmdline[h->nr_cmdline++] = xstrdup(exe);
	}
	for (int i = (n > 0 ? 1 : 0); i < argc; i++)
		h->cmdline[h->nr_cmdline++] = xstrdup(argv[i] ? argv[i] : "");
	perf_header__set_feat(h, HEADER_CMDLINE);
	return 0;
}
