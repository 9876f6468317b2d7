/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test-data-fixture.h - build perf.data images in memory for the data-layer
 * tests, in either byte order, so every test carries its own fixture.
 */
#ifndef KP_TEST_DATA_FIXTURE_H
#define KP_TEST_DATA_FIXTURE_H

#include <byteswap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/reader.h"
#include "util/util.h"

struct fx {
	struct strbuf sb;
	bool swap;
};

static inline void fx_init(struct fx *f, bool swap)
{
	strbuf_init(&f->sb, 4096);
	f->swap = swap;
}

static inline void fx_u8(struct fx *f, u8 v)
{
	strbuf_add(&f->sb, &v, 1);
}

static inline void fx_u16(struct fx *f, u16 v)
{
	if (f->swap)
		v = bswap_16(v);
	strbuf_add(&f->sb, &v, 2);
}

static inline void fx_u32(struct fx *f, u32 v)
{
	if (f->swap)
		v = bswap_32(v);
	strbuf_add(&f->sb, &v, 4);
}

static inline void fx_u64(struct fx *f, u64 v)
{
	if (f->swap)
		v = bswap_64(v);
	strbuf_add(&f->sb, &v, 8);
}

static inline void fx_bytes(struct fx *f, const void *p, size_t n)
{
	strbuf_add(&f->sb, p, n);
}

static inline void fx_zero(struct fx *f, size_t n)
{
	strbuf_addchars(&f->sb, 0, n);
}

static inline void fx_put64_at(struct fx *f, size_t off, u64 v)
{
	if (f->swap)
		v = bswap_64(v);
	memcpy(f->sb.buf + off, &v, 8);
}

static inline u8 fx_bitrev8(u8 b)
{
	u8 r = 0;

	for (int i = 0; i < 8; i++)
		if (b & (1u << i))
			r |= (u8)(0x80u >> i);
	return r;
}

/* an attr of @size bytes (64..136) as a perf of the fixture's byte order writes it */
static inline void fx_attr(struct fx *f, const struct kp_attr *a, u32 size)
{
	struct fx t;
	u64 flags = a->flags;
	u8 fb[8];

	fx_init(&t, f->swap);
	fx_u32(&t, a->type);
	fx_u32(&t, size);
	fx_u64(&t, a->config);
	fx_u64(&t, a->sample_period);
	fx_u64(&t, a->sample_type);
	fx_u64(&t, a->read_format);
	memcpy(fb, &flags, 8);
	if (f->swap)
		for (int i = 0; i < 8; i++)
			fb[i] = fx_bitrev8(fb[i]);
	fx_bytes(&t, fb, 8);
	fx_u32(&t, a->wakeup_events);
	fx_u32(&t, a->bp_type);
	fx_u64(&t, a->config1);
	fx_u64(&t, a->config2);
	fx_u64(&t, a->branch_sample_type);
	fx_u64(&t, a->sample_regs_user);
	fx_u32(&t, a->sample_stack_user);
	fx_u32(&t, (u32)a->clockid);
	fx_u64(&t, a->sample_regs_intr);
	fx_u32(&t, a->aux_watermark);
	fx_u16(&t, a->sample_max_stack);
	fx_u16(&t, 0);
	fx_u32(&t, a->aux_sample_size);
	fx_u32(&t, 0);
	fx_u64(&t, a->sig_data);
	fx_u64(&t, a->config3);
	fx_bytes(f, t.sb.buf, kp_min((size_t)size, t.sb.len));
	if (size > t.sb.len)
		fx_zero(f, size - t.sb.len);
	strbuf_release(&t.sb);
}

/* start a record; returns its offset for fx_rec_end() */
static inline size_t fx_rec_begin(struct fx *f, u32 type, u16 misc)
{
	size_t at = f->sb.len;

	fx_u32(f, type);
	fx_u16(f, misc);
	fx_u16(f, 0);
	return at;
}

static inline void fx_rec_end(struct fx *f, size_t at)
{
	u16 size = (u16)(f->sb.len - at);

	if (f->swap)
		size = bswap_16(size);
	memcpy(f->sb.buf + at + 6, &size, 2);
}

/* the sample_id trailer for @sample_type */
static inline void fx_trailer(struct fx *f, u64 st, u32 pid, u32 tid, u64 time, u64 id, u32 cpu)
{
	if (st & PERF_SAMPLE_TID) {
		fx_u32(f, pid);
		fx_u32(f, tid);
	}
	if (st & PERF_SAMPLE_TIME)
		fx_u64(f, time);
	if (st & PERF_SAMPLE_ID)
		fx_u64(f, id);
	if (st & PERF_SAMPLE_STREAM_ID)
		fx_u64(f, id + 1000);
	if (st & PERF_SAMPLE_CPU) {
		fx_u32(f, cpu);
		fx_u32(f, 0);
	}
	if (st & PERF_SAMPLE_IDENTIFIER)
		fx_u64(f, id);
}

struct fx_feat {
	int feat;
	struct fx payload;
};

/* a whole file-mode image */
struct fx_file {
	bool swap;
	int nr;
	struct kp_attr attr[4];
	u64 ids[4][4];
	u32 nr_ids[4];
	u32 attr_size; /* default 128 */
	struct fx data;
	struct fx_feat feats[8];
	int nr_feats;
};

static inline void fx_file_init(struct fx_file *ff, bool swap)
{
	memset(ff, 0, sizeof(*ff));
	ff->swap = swap;
	ff->attr_size = 128;
	fx_init(&ff->data, swap);
}

static inline struct fx *fx_file_feat(struct fx_file *ff, int feat)
{
	struct fx_feat *ft = &ff->feats[ff->nr_feats++];

	ft->feat = feat;
	fx_init(&ft->payload, ff->swap);
	return &ft->payload;
}

/* string in perf's feature encoding */
static inline void fx_str(struct fx *f, const char *s)
{
	size_t len = strlen(s) + 1, pad = KP_ALIGN(len, (size_t)64);

	fx_u32(f, (u32)pad);
	fx_bytes(f, s, len);
	fx_zero(f, pad - len);
}

/* lay the image out into @out: header, ids, attrs, data, feature table, payloads */
static inline void fx_file_build(struct fx_file *ff, struct strbuf *out)
{
	struct fx f;
	u64 ids_off[4], off = 104, attrs_off, data_off, feat_bits[4] = { 0 };
	int order[8], n = 0;

	fx_init(&f, ff->swap);
	fx_zero(&f, 104);
	for (int i = 0; i < ff->nr; i++) {
		ids_off[i] = off;
		for (u32 j = 0; j < ff->nr_ids[i]; j++)
			fx_u64(&f, ff->ids[i][j]);
		off += ff->nr_ids[i] * 8;
	}
	attrs_off = off;
	for (int i = 0; i < ff->nr; i++) {
		fx_attr(&f, &ff->attr[i], ff->attr_size);
		fx_u64(&f, ids_off[i]);
		fx_u64(&f, ff->nr_ids[i] * 8ULL);
	}
	data_off = f.sb.len;
	fx_bytes(&f, ff->data.sb.buf, ff->data.sb.len);
	/* features in bit order */
	for (int b = 1; b < 32; b++)
		for (int i = 0; i < ff->nr_feats; i++)
			if (ff->feats[i].feat == b) {
				order[n++] = i;
				feat_bits[0] |= 1ULL << b;
			}
	off = f.sb.len + 16ULL * n;
	for (int i = 0; i < n; i++) {
		fx_u64(&f, off);
		fx_u64(&f, ff->feats[order[i]].payload.sb.len);
		off += ff->feats[order[i]].payload.sb.len;
	}
	for (int i = 0; i < n; i++)
		fx_bytes(&f, ff->feats[order[i]].payload.sb.buf, ff->feats[order[i]].payload.sb.len);
	/* header */
	memcpy(f.sb.buf, "PERFILE2", 8);
	if (ff->swap) {
		u64 m = 0x32454c4946524550ULL;

		m = bswap_64(m);
		memcpy(f.sb.buf, &m, 8);
	}
	fx_put64_at(&f, 8, 104);
	fx_put64_at(&f, 16, ff->attr_size + 16);
	fx_put64_at(&f, 24, attrs_off);
	fx_put64_at(&f, 32, (u64)ff->nr * (ff->attr_size + 16));
	fx_put64_at(&f, 40, data_off);
	fx_put64_at(&f, 48, ff->data.sb.len);
	for (int i = 0; i < 4; i++)
		fx_put64_at(&f, 72 + 8 * i, feat_bits[i]);
	strbuf_add(out, f.sb.buf, f.sb.len);
	strbuf_release(&f.sb);
}

static inline void fx_file_release(struct fx_file *ff)
{
	strbuf_release(&ff->data.sb);
	for (int i = 0; i < ff->nr_feats; i++)
		strbuf_release(&ff->feats[i].payload.sb);
}

/* write @len bytes to a fresh temporary file; returns its malloc'ed path */
static inline char *fx_tmpfile(const void *buf, size_t len)
{
	char *path = xstrdup("/tmp/kp-test-data-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		perror("fixture");
		abort();
	}
	close(fd);
	return path;
}

#endif
