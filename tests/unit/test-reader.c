// SPDX-License-Identifier: GPL-2.0
/*
 * The perf.data reader on in-memory fixtures: file mode in both byte orders,
 * pipe mode, zstd-compressed records, perf's round-based ordering, and one
 * test per kind of corrupt input (each must fail with a clear message).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include <zstd.h>

#include "test-data-fixture.h"

#define ST (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
	    PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)

struct seen {
	struct perf_tool tool;
	int n;
	u64 ip[64];
	u64 time[64];
	int evidx[64];
	u32 pid[64];
	int comms;
	u32 comm_tid;
	u64 comm_time;
	int rounds;
};

static int on_sample(struct perf_tool *tool, union perf_event *ev, struct perf_sample *s,
		     struct evsel *evsel)
{
	struct seen *w = (struct seen *)tool;

	if (w->n < 64) {
		w->ip[w->n] = s->ip;
		w->time[w->n] = s->time;
		w->evidx[w->n] = evsel->idx;
		w->pid[w->n] = s->pid;
	}
	w->n++;
	return 0;
}

static int on_comm(struct perf_tool *tool, union perf_event *ev, struct perf_sample *s)
{
	struct seen *w = (struct seen *)tool;

	w->comms++;
	w->comm_tid = ev->comm.tid;
	w->comm_time = s->time;
	assert_string_equal(ev->comm.comm, "worker");
	return 0;
}

static int on_round(struct perf_tool *tool)
{
	((struct seen *)tool)->rounds++;
	return 0;
}

static void seen_init(struct seen *w, bool ordered)
{
	memset(w, 0, sizeof(*w));
	w->tool.sample = on_sample;
	w->tool.comm = on_comm;
	w->tool.finished_round = on_round;
	w->tool.ordered_events = ordered;
}

static void add_sample(struct fx *f, u64 id, u64 ip, u64 time, u32 pid)
{
	size_t at = fx_rec_begin(f, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);

	fx_u64(f, id);
	fx_u64(f, ip);
	fx_u32(f, pid);
	fx_u32(f, pid + 1);
	fx_u64(f, time);
	fx_u32(f, 1);
	fx_u32(f, 0);
	fx_u64(f, 100);
	fx_rec_end(f, at);
}

static void add_comm(struct fx *f, u64 id, u64 time)
{
	size_t at = fx_rec_begin(f, PERF_RECORD_COMM, 0);

	fx_u32(f, 42);
	fx_u32(f, 43);
	fx_bytes(f, "worker\0\0", 8);
	fx_trailer(f, ST, 42, 43, time, id, 1);
	fx_rec_end(f, at);
}

static void add_round(struct fx *f)
{
	size_t at = fx_rec_begin(f, PERF_RECORD_FINISHED_ROUND, 0);

	fx_rec_end(f, at);
}

/* two cpu-clock events with ids 11/12 and 21 */
static void two_events(struct fx_file *ff)
{
	for (int i = 0; i < 2; i++) {
		struct kp_attr *a = &ff->attr[i];

		a->type = PERF_TYPE_SOFTWARE;
		a->config = i ? 1 : 0; /* cpu-clock, task-clock */
		a->sample_type = ST;
		a->sample_period = 1000;
		kp_attr_set_flag(a, KP_ATTR_SAMPLE_ID_ALL);
		kp_attr_set_flag(a, KP_ATTR_EXCLUDE_GUEST);
	}
	ff->ids[0][0] = 11;
	ff->ids[0][1] = 12;
	ff->nr_ids[0] = 2;
	ff->ids[1][0] = 21;
	ff->nr_ids[1] = 1;
	ff->nr = 2;
}

static char *build(struct fx_file *ff)
{
	struct strbuf sb = STRBUF_INIT;
	char *path;

	fx_file_build(ff, &sb);
	path = fx_tmpfile(sb.buf, sb.len);
	strbuf_release(&sb);
	return path;
}

static int read_all(const char *path, struct seen *w, bool ordered, struct perf_data **keep)
{
	struct perf_data *d;
	int err;

	seen_init(w, ordered);
	err = perf_data__open(&d, path);
	if (err)
		return err;
	err = perf_data__process(d, &w->tool);
	if (keep && !err)
		*keep = d;
	else
		perf_data__delete(d);
	return err;
}

static void basic_file(bool swap)
{
	struct fx_file ff;
	struct seen w;
	struct perf_data *d = NULL;
	struct fx *h;
	char *path;

	fx_file_init(&ff, swap);
	two_events(&ff);
	add_comm(&ff.data, 12, 5);
	add_sample(&ff.data, 11, 0x1000, 10, 7);
	add_sample(&ff.data, 21, 0x2000, 20, 8);
	add_sample(&ff.data, 12, 0x3000, 30, 9);
	h = fx_file_feat(&ff, HEADER_HOSTNAME);
	fx_str(h, "fixturehost");
	h = fx_file_feat(&ff, HEADER_NRCPUS);
	fx_u32(h, 4);
	fx_u32(h, 2);
	h = fx_file_feat(&ff, HEADER_EVENT_DESC);
	fx_u32(h, 2);
	fx_u32(h, 128);
	fx_attr(h, &ff.attr[0], 128);
	fx_u32(h, 2);
	fx_str(h, "named-clock");
	fx_u64(h, 11);
	fx_u64(h, 12);
	fx_attr(h, &ff.attr[1], 128);
	fx_u32(h, 1);
	fx_str(h, "other-clock");
	fx_u64(h, 21);
	path = build(&ff);
	assert_int_equal(read_all(path, &w, true, &d), 0);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.ip[0], 0x1000);
	assert_int_equal(w.evidx[1], 1);
	assert_int_equal(w.evidx[2], 0);
	assert_int_equal(w.pid[2], 9);
	assert_int_equal(w.time[1], 20);
	assert_int_equal(w.comms, 1);
	assert_int_equal(w.comm_tid, 43);
	assert_int_equal(w.comm_time, 5);
	assert_int_equal(d->header.needs_swap, swap);
	assert_string_equal(d->header.hostname, "fixturehost");
	assert_int_equal(d->header.nr_cpus_avail, 4);
	assert_int_equal(d->header.nr_cpus_online, 2);
	assert_string_equal(evsel__name(d->evlist.entries[0]), "named-clock");
	assert_int_equal(d->evlist.entries[0]->attr.sample_type, ST);
	assert_true(kp_attr_flag(&d->evlist.entries[1]->attr, KP_ATTR_EXCLUDE_GUEST));
	assert_int_equal(d->evlist.entries[1]->attr.config, 1);
	assert_int_equal(d->stats.nr_samples, 3);
	assert_int_equal(d->stats.nr_events[PERF_RECORD_COMM], 1);
	perf_data__delete(d);
	unlink(path);
	free(path);
	fx_file_release(&ff);
}

static void test_file_native(void **state)
{
	basic_file(false);
}

static void test_file_swapped(void **state)
{
	basic_file(true);
}

static void test_ordering_rounds(void **state)
{
	struct fx_file ff;
	struct seen w;
	struct perf_data *d = NULL;
	char *path;
	static const u64 want[] = { 5, 10, 20, 25, 30, 30, 3, 35, 40 };

	fx_file_init(&ff, false);
	two_events(&ff);
	add_sample(&ff.data, 11, 1, 10, 1);
	add_sample(&ff.data, 11, 2, 30, 1);
	add_sample(&ff.data, 11, 3, 20, 1);
	add_round(&ff.data); /* flushes nothing (limit 0); next limit 30 */
	add_sample(&ff.data, 21, 4, 25, 1);
	add_sample(&ff.data, 11, 5, 5, 1);
	add_sample(&ff.data, 21, 6, 30, 1); /* equal time: after ip 2 */
	add_sample(&ff.data, 11, 7, 40, 1);
	add_round(&ff.data); /* delivers <= 30; next limit 40 */
	add_sample(&ff.data, 11, 8, 35, 1);
	add_sample(&ff.data, 11, 9, 3, 1); /* below the last flush: unordered */
	path = build(&ff);

	/*
	 * perf: 3 was queued after 30 had been delivered, it comes out at the
	 * next flush, i.e. first among what is left - before 35 and 40.
	 */
	assert_int_equal(read_all(path, &w, true, &d), 0);
	assert_int_equal(w.n, 9);
	assert_int_equal(w.rounds, 2);
	for (int i = 0; i < 9; i++) {
		if (i == 6) {
			assert_int_equal(w.time[i], 3);
			continue;
		}
		assert_int_equal(w.time[i], want[i]);
	}
	assert_int_equal(w.ip[4], 2);
	assert_int_equal(w.ip[5], 6);
	assert_int_equal(d->stats.nr_unordered, 1);
	perf_data__delete(d);

	/* unordered: file order */
	assert_int_equal(read_all(path, &w, false, NULL), 0);
	for (int i = 0; i < 9; i++)
		assert_int_equal(w.ip[i], (u64)i + 1);
	unlink(path);
	free(path);
	fx_file_release(&ff);
}

static void test_pipe_mode(void **state)
{
	struct fx f;
	struct seen w;
	struct perf_data *d = NULL;
	struct kp_attr a = { .type = PERF_TYPE_SOFTWARE, .sample_type = ST };
	size_t at;
	char *path;

	kp_attr_set_flag(&a, KP_ATTR_SAMPLE_ID_ALL);
	fx_init(&f, false);
	fx_bytes(&f, "PERFILE2", 8);
	fx_u64(&f, 16);
	at = fx_rec_begin(&f, PERF_RECORD_HEADER_ATTR, 0);
	fx_attr(&f, &a, 120); /* an older attr size */
	fx_u64(&f, 11);
	fx_rec_end(&f, at);
	at = fx_rec_begin(&f, PERF_RECORD_HEADER_FEATURE, 0);
	fx_u64(&f, HEADER_HOSTNAME);
	fx_str(&f, "pipehost");
	fx_rec_end(&f, at);
	at = fx_rec_begin(&f, PERF_RECORD_HEADER_FEATURE, 0);
	fx_u64(&f, HEADER_LAST_FEATURE);
	fx_rec_end(&f, at);
	add_comm(&f, 11, 1);
	for (int i = 0; i < 40; i++)
		add_sample(&f, 11, 0x100 + i, 100 + i, 5);
	path = fx_tmpfile(f.sb.buf, f.sb.len);
	assert_int_equal(read_all(path, &w, true, &d), 0);
	assert_true(d->is_pipe);
	assert_int_equal(d->evlist.nr, 1);
	assert_string_equal(d->header.hostname, "pipehost");
	assert_int_equal(w.n, 40);
	assert_int_equal(w.ip[39], 0x100 + 39);
	assert_int_equal(w.comms, 1);
	perf_data__delete(d);

	/* cut inside the last record */
	unlink(path);
	free(path);
	path = fx_tmpfile(f.sb.buf, f.sb.len - 5);
	assert_int_equal(read_all(path, &w, true, NULL), KP_ERR_TRUNCATED);
	assert_non_null(strstr(kp_errmsg(KP_ERR_TRUNCATED), "stream"));
	unlink(path);
	free(path);
	strbuf_release(&f.sb);
}

static void test_compressed(void **state)
{
	struct fx_file ff;
	struct fx inner;
	struct seen w;
	char *path;
	size_t bound, n, half;
	u8 *z;

	fx_file_init(&ff, false);
	two_events(&ff);
	fx_init(&inner, false);
	for (int i = 0; i < 200; i++)
		add_sample(&inner, i & 1 ? 21 : 11, 0x5000 + i, 1000 + i, 3);
	bound = ZSTD_compressBound(inner.sb.len);
	z = xmalloc(bound);
	n = ZSTD_compress(z, bound, inner.sb.buf, inner.sb.len, 3);
	assert_false(ZSTD_isError(n));
	/* one frame split over two COMPRESSED records */
	half = n / 2;
	for (int part = 0; part < 2; part++) {
		size_t at = fx_rec_begin(&ff.data, PERF_RECORD_COMPRESSED, 0);

		fx_bytes(&ff.data, part ? z + half : z, part ? n - half : half);
		fx_rec_end(&ff.data, at);
	}
	add_sample(&ff.data, 11, 0x9999, 5000, 3);
	path = build(&ff);
	assert_int_equal(read_all(path, &w, true, NULL), 0);
	assert_int_equal(w.n, 201);
	assert_int_equal(w.ip[0], 0x5000);
	assert_int_equal(w.evidx[1], 1);
	assert_int_equal(w.ip[63], 0x5000 + 63);
	unlink(path);
	free(path);
	fx_file_release(&ff);

	/* garbage instead of zstd data */
	fx_file_init(&ff, false);
	two_events(&ff);
	{
		size_t at = fx_rec_begin(&ff.data, PERF_RECORD_COMPRESSED, 0);

		fx_bytes(&ff.data, "notzstd!", 8);
		fx_rec_end(&ff.data, at);
	}
	path = build(&ff);
	assert_int_equal(read_all(path, &w, true, NULL), KP_ERR_CORRUPT);
	unlink(path);
	free(path);
	fx_file_release(&ff);
	strbuf_release(&inner.sb);
	free(z);
}

/* ------------------------------------------------------------ bad input */

static struct strbuf good_image(void)
{
	struct fx_file ff;
	struct strbuf sb = STRBUF_INIT;

	fx_file_init(&ff, false);
	two_events(&ff);
	add_comm(&ff.data, 11, 1);
	add_sample(&ff.data, 11, 1, 10, 1);
	add_sample(&ff.data, 21, 2, 20, 1);
	fx_str(fx_file_feat(&ff, HEADER_HOSTNAME), "h");
	fx_file_build(&ff, &sb);
	fx_file_release(&ff);
	return sb;
}

/* open + process @img; expect @code and @needle in the message */
static void expect_bad(const void *img, size_t len, int code, const char *needle)
{
	char *path = fx_tmpfile(img, len);
	struct seen w;
	int err = read_all(path, &w, true, NULL);

	if (err != code)
		fail_msg("want %s, got %d: %s", kp_strerror(code), err, kp_errmsg(err));
	if (needle && !strstr(kp_errmsg(err), needle))
		fail_msg("message '%s' lacks '%s'", kp_errmsg(err), needle);
	assert_non_null(strstr(kp_errmsg(err), path)); /* names the file */
	unlink(path);
	free(path);
}

static u64 get64(const struct strbuf *sb, size_t off)
{
	u64 v;

	memcpy(&v, sb->buf + off, 8);
	return v;
}

static void put64(struct strbuf *sb, size_t off, u64 v)
{
	memcpy(sb->buf + off, &v, 8);
}

static void test_bad_magic(void **state)
{
	struct strbuf sb = good_image();

	memcpy(sb.buf, "NOTPERF!", 8);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_MAGIC, "magic");
	strbuf_release(&sb);
}

static void test_truncated_everywhere(void **state)
{
	struct strbuf sb = good_image();
	u64 data_off = get64(&sb, 40);
	u64 data_end = data_off + get64(&sb, 48);

	/* cut at every record boundary and between them: never a crash */
	for (u64 cut = 0; cut < sb.len; cut += 4) {
		char *path = fx_tmpfile(sb.buf, cut);
		struct seen w;
		int err = read_all(path, &w, true, NULL);

		assert_true(err < 0);
		if (cut > data_off && cut < data_end)
			assert_int_equal(err, KP_ERR_TRUNCATED);
		unlink(path);
		free(path);
	}
	strbuf_release(&sb);
}

static void test_data_size_zero_reads_to_eof(void **state)
{
	struct strbuf sb = good_image();
	u64 data_off = get64(&sb, 40), data_size = get64(&sb, 48);
	char *path;
	struct seen w;

	/* a provisional header (crashed recorder): data runs to EOF, features unset */
	put64(&sb, 48, 0);
	memset(sb.buf + 72, 0, 32);
	path = fx_tmpfile(sb.buf, data_off + data_size);
	assert_int_equal(read_all(path, &w, true, NULL), 0);
	assert_int_equal(w.n, 2);
	unlink(path);
	free(path);
	/* ... and cut mid-record (recorder killed): the complete records are recovered */
	path = fx_tmpfile(sb.buf, data_off + data_size - 3);
	assert_int_equal(read_all(path, &w, true, NULL), 0);
	assert_int_equal(w.n, 1);
	unlink(path);
	free(path);
	strbuf_release(&sb);
}

static void test_header_offsets_past_eof(void **state)
{
	struct strbuf sb = good_image();

	put64(&sb, 24, sb.len + 100); /* attrs.offset */
	expect_bad(sb.buf, sb.len, KP_ERR_TRUNCATED, "attrs section");
	strbuf_release(&sb);
	sb = good_image();
	put64(&sb, 48, 1ULL << 40); /* data.size */
	expect_bad(sb.buf, sb.len, KP_ERR_TRUNCATED, "data section");
	strbuf_release(&sb);
	sb = good_image();
	put64(&sb, 8, 72); /* header size */
	expect_bad(sb.buf, sb.len, KP_ERR_UNSUPPORTED, "header size");
	strbuf_release(&sb);
}

static void test_record_size_zero(void **state)
{
	struct strbuf sb = good_image();
	u64 data_off = get64(&sb, 40);
	u16 z = 0;

	memcpy(sb.buf + data_off + 6, &z, 2);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_RECORD, "size 0");
	strbuf_release(&sb);
}

static void test_record_smaller_than_header(void **state)
{
	struct strbuf sb = good_image();
	u64 data_off = get64(&sb, 40);
	u16 four = 4;

	memcpy(sb.buf + data_off + 6, &four, 2);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_RECORD, "smaller than its 8-byte header");
	strbuf_release(&sb);
}

static void test_record_too_short_for_fields(void **state)
{
	struct strbuf sb = good_image();
	u64 data_off = get64(&sb, 40);
	u16 sz = 16; /* COMM with no room for its comm and trailer */
	u64 rest = get64(&sb, 48) - 16;

	memcpy(sb.buf + data_off + 6, &sz, 2);
	/* keep the stream parseable after it: the gap becomes a zero-size record */
	(void)rest;
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_RECORD, "too short");
	strbuf_release(&sb);
}

static void test_attr_sizes_out_of_range(void **state)
{
	struct strbuf sb = good_image();
	u64 attrs = get64(&sb, 24);
	u32 big = 200, small = 32;

	memcpy(sb.buf + attrs + 4, &big, 4);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_ATTR, "64..136");
	memcpy(sb.buf + attrs + 4, &small, 4);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_ATTR, "64..136");
	strbuf_release(&sb);
	sb = good_image();
	put64(&sb, 16, 0);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_ATTR, "attr size field is 0");
	put64(&sb, 16, 4096);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_ATTR, "out of range");
	strbuf_release(&sb);
}

static void test_unknown_sample_id(void **state)
{
	struct fx_file ff;
	struct strbuf sb = STRBUF_INIT;

	fx_file_init(&ff, false);
	two_events(&ff);
	add_sample(&ff.data, 99, 1, 10, 1);
	fx_file_build(&ff, &sb);
	expect_bad(sb.buf, sb.len, KP_ERR_NO_EVSEL, "matches no event");
	strbuf_release(&sb);
	fx_file_release(&ff);
}

static void test_non_matching_sample_type(void **state)
{
	struct fx_file ff;
	struct strbuf sb = STRBUF_INIT;

	fx_file_init(&ff, false);
	two_events(&ff);
	ff.attr[1].sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_ID;
	fx_file_build(&ff, &sb);
	expect_bad(sb.buf, sb.len, KP_ERR_UNSUPPORTED, "non matching sample_type");
	strbuf_release(&sb);
	fx_file_release(&ff);
}

static void test_absurd_feature_offset(void **state)
{
	struct strbuf sb = good_image();
	u64 feat_table = get64(&sb, 40) + get64(&sb, 48);

	put64(&sb, feat_table, 1ULL << 50);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_FEATURE, "HOSTNAME");
	strbuf_release(&sb);
	/* a string longer than its section */
	sb = good_image();
	{
		u64 off = get64(&sb, feat_table);
		u32 huge = 1u << 30;

		memcpy(sb.buf + off, &huge, 4);
		expect_bad(sb.buf, sb.len, KP_ERR_BAD_FEATURE, "string length");
	}
	strbuf_release(&sb);
}

static void test_corrupt_build_id(void **state)
{
	struct fx_file ff;
	struct strbuf sb = STRBUF_INIT;
	struct fx *b;
	size_t at;

	fx_file_init(&ff, false);
	two_events(&ff);
	b = fx_file_feat(&ff, HEADER_BUILD_ID);
	at = fx_rec_begin(b, PERF_RECORD_HEADER_BUILD_ID, PERF_RECORD_MISC_KERNEL);
	fx_u32(b, (u32)-1);
	fx_zero(b, 24);
	fx_bytes(b, "[kernel.kallsyms]\0\0\0\0\0\0\0", 24);
	fx_rec_end(b, at);
	at = fx_rec_begin(b, PERF_RECORD_HEADER_BUILD_ID, PERF_RECORD_MISC_USER);
	fx_u32(b, (u32)-1);
	fx_zero(b, 24);
	fx_bytes(b, "/bin/x\0\0", 8);
	fx_rec_end(b, at);
	/* second entry claims more bytes than the section has */
	b->sb.buf[at + 6] = (char)200;
	fx_file_build(&ff, &sb);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_FEATURE, "build-id");
	strbuf_release(&sb);
	fx_file_release(&ff);
}

static void test_tracepoint_without_tracing_data(void **state)
{
	struct fx_file ff;
	struct strbuf sb = STRBUF_INIT;

	fx_file_init(&ff, false);
	two_events(&ff);
	ff.attr[0].type = PERF_TYPE_TRACEPOINT;
	ff.attr[0].config = 103;
	/* a feature: a finished file (an interrupted one takes formats from tracefs) */
	fx_str(fx_file_feat(&ff, HEADER_HOSTNAME), "h");
	fx_file_build(&ff, &sb);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_TRACEDATA, "tracing data");
	strbuf_release(&sb);
	fx_file_release(&ff);
}

static void test_truncated_tracing_data_feature(void **state)
{
	struct fx_file ff;
	struct strbuf sb = STRBUF_INIT;
	struct fx *t;

	fx_file_init(&ff, false);
	two_events(&ff);
	t = fx_file_feat(&ff, HEADER_TRACING_DATA);
	fx_bytes(t, "\027\bDtracing0.6\0", 14);
	fx_u8(t, 0);
	fx_u8(t, 8);
	fx_u32(t, 4096);
	fx_bytes(t, "header_page\0", 12);
	fx_u64(t, 5000); /* longer than what follows */
	fx_bytes(t, "field", 5);
	fx_file_build(&ff, &sb);
	expect_bad(sb.buf, sb.len, KP_ERR_BAD_TRACEDATA, "header_page");
	strbuf_release(&sb);
	fx_file_release(&ff);
}

static void test_empty_and_missing(void **state)
{
	struct perf_data *d;

	assert_int_equal(perf_data__open(&d, "/nonexistent/perf.data"), -ENOENT);
	assert_non_null(strstr(kp_errmsg(-ENOENT), "/nonexistent/perf.data"));
	expect_bad("", 0, KP_ERR_NO_DATA, "too small");
	expect_bad("PERFILE2", 8, KP_ERR_TRUNCATED, "too small");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_native),
		cmocka_unit_test(test_file_swapped),
		cmocka_unit_test(test_ordering_rounds),
		cmocka_unit_test(test_pipe_mode),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_data_size_zero_reads_to_eof),
		cmocka_unit_test(test_header_offsets_past_eof),
		cmocka_unit_test(test_record_size_zero),
		cmocka_unit_test(test_record_smaller_than_header),
		cmocka_unit_test(test_record_too_short_for_fields),
		cmocka_unit_test(test_attr_sizes_out_of_range),
		cmocka_unit_test(test_unknown_sample_id),
		cmocka_unit_test(test_non_matching_sample_type),
		cmocka_unit_test(test_absurd_feature_offset),
		cmocka_unit_test(test_corrupt_build_id),
		cmocka_unit_test(test_tracepoint_without_tracing_data),
		cmocka_unit_test(test_truncated_tracing_data_feature),
		cmocka_unit_test(test_empty_and_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
