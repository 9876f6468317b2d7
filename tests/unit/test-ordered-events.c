// SPDX-License-Identifier: GPL-2.0
/*
 * The reader's ordered-events queue and page release: the adaptive sort and
 * the trimmed merge against a plain stable sort, whole files with random
 * timestamps and rounds against a model of perf's round semantics, and the
 * release of mapped pages (never past a record still queued, not pinned by
 * a record with a timestamp from the future).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "data/data-internal.h"
#include "test-data-fixture.h"

#define ST (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
	    PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)

static u64 rng_state;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---- sort and merge against a stable insertion sort ---------------------------- */

static void ref_sort(struct oe_entry *a, size_t n)
{
	for (size_t j = 1; j < n; j++) {
		struct oe_entry e = a[j];
		size_t k = j;

		while (k > 0 && a[k - 1].ts > e.ts) {
			a[k] = a[k - 1];
			k--;
		}
		a[k] = e;
	}
}

enum pattern { P_RANDOM, P_SORTED, P_REVERSED, P_NEARLY, P_FEW_KEYS, P_ONE_FAR, P_SAWTOOTH,
	       P_INTERLEAVED, P_NR };

static void fill(struct oe_entry *a, size_t n, enum pattern p)
{
	for (size_t i = 0; i < n; i++) {
		u64 ts = 0;

		switch (p) {
		case P_RANDOM:
			ts = rnd() % 1000000;
			break;
		case P_SORTED:
			ts = i * 3;
			break;
		case P_REVERSED:
			ts = (n - i) * 3;
			break;
		case P_NEARLY:
			ts = i * 10 + rnd() % 60; /* displaced by a few places */
			break;
		case P_FEW_KEYS:
			ts = rnd() % 4; /* mostly ties: stability matters */
			break;
		case P_ONE_FAR:
			ts = i == n / 2 ? 1 : i * 2 + 100;
			break;
		case P_SAWTOOTH:
			ts = (i % 97) * 5 + i / 97;
			break;
		case P_INTERLEAVED: /* 16 sorted streams, one record of each in turn */
			ts = (i / 16) * 100 + (rnd() % 150);
			break;
		default:
			break;
		}
		a[i].ts = ts;
		a[i].off = i; /* arrival order: ties must keep it */
		a[i].ev = NULL;
		a[i].evsel = NULL;
		a[i].chunk = NULL;
	}
}

static void assert_same(const struct oe_entry *a, const struct oe_entry *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].ts, b[i].ts);
		assert_int_equal(a[i].off, b[i].off);
	}
}

static void test_sort_patterns(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 31, 32, 33, 64, 65, 100, 1000, 4099, 20000 };

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int p = 0; p < P_NR; p++) {
		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			size_t n = sizes[s];
			struct oe_entry *a = xcalloc(n + 1, sizeof(*a));
			struct oe_entry *want = xcalloc(n + 1, sizeof(*a));
			struct oe_entry *tmp = xcalloc(n / 2 + 1, sizeof(*a));

			fill(a, n, p);
			memcpy(want, a, n * sizeof(*a));
			ref_sort(want, n);
			oe_sort(a, n, tmp);
			assert_same(a, want, n);
			free(a);
			free(want);
			free(tmp);
		}
	}
}

static void test_radix_stable(void **state)
{
	rng_state = 4242;
	for (int iter = 0; iter < 200; iter++) {
		size_t n = rnd() % 5000;
		unsigned int bits = 1 + (unsigned int)(rnd() % 36);
		u64 *keys = xcalloc(n + 1, 8), *tmp = xcalloc(n + 1, 8), *want = xcalloc(n + 1, 8);
		const u64 *got;

		/* time in the high bits, position below: sorted by time, stable = sorted keys */
		for (size_t i = 0; i < n; i++)
			keys[i] = (rnd() & ((1ULL << bits) - 1)) << 28 | i;
		memcpy(want, keys, n * 8);
		for (size_t j = 1; j < n; j++) {
			u64 k = want[j];
			size_t m = j;

			while (m > 0 && want[m - 1] > k) {
				want[m] = want[m - 1];
				m--;
			}
			want[m] = k;
		}
		got = oe_radix_sort(keys, tmp, n, 28, bits);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(got[i], want[i]);
		free(keys);
		free(tmp);
		free(want);
	}
}

static void test_merge_overlaps(void **state)
{
	rng_state = 12345;
	for (int iter = 0; iter < 2000; iter++) {
		size_t nl = rnd() % 200, nr = rnd() % 200, n = nl + nr;
		u64 spread = 1 + rnd() % 1000, shift = rnd() % 1200;
		struct oe_entry *a = xcalloc(n + 1, sizeof(*a));
		struct oe_entry *want = xcalloc(n + 1, sizeof(*a));
		struct oe_entry *tmp = xcalloc(nl + 1, sizeof(*a));

		/* two sorted runs whose ranges overlap by a random amount, with ties */
		for (size_t i = 0; i < nl; i++)
			a[i].ts = rnd() % spread;
		for (size_t i = 0; i < nr; i++)
			a[nl + i].ts = shift + rnd() % spread;
		ref_sort(a, nl);
		ref_sort(a + nl, nr);
		for (size_t i = 0; i < n; i++)
			a[i].off = i;
		memcpy(want, a, n * sizeof(*a));
		ref_sort(want, n);
		oe_merge(a, nl, n, tmp);
		assert_same(a, want, n);
		free(a);
		free(want);
		free(tmp);
	}
}

/* ---- whole files ----------------------------------------------------------------- */

struct seen {
	struct perf_tool tool;
	struct perf_data *data;
	u64 *ip;
	size_t n, alloc;
	size_t in_map; /* records delivered from the mapping */
	bool release_ok;
	size_t fail_at; /* the sample callback fails on this one (1-based; 0: never) */
};

static int on_sample(struct perf_tool *tool, union perf_event *ev, struct perf_sample *s,
		     struct evsel *evsel)
{
	struct seen *w = (struct seen *)tool;
	const u8 *p = (const u8 *)ev, *base = w->data->base;

	if (base && p >= base && p < base + w->data->size) {
		/* a record delivered from the mapping lies above what was given back */
		if ((u64)(p - base) < perf_data__released(w->data))
			w->release_ok = false;
		w->in_map++;
	}
	ALLOC_GROW(w->ip, w->n + 1, w->alloc);
	w->ip[w->n++] = s->ip;
	if (w->n == w->fail_at)
		return kp_error(KP_ERR_BAD_SAMPLE, "callback fails at sample %zu", w->n);
	return 0;
}

static void one_event(struct fx_file *ff)
{
	struct kp_attr *a = &ff->attr[0];

	/* a hostname, so that a foreign-endian header is not taken for a 32-bit one */
	fx_str(fx_file_feat(ff, HEADER_HOSTNAME), "fixturehost");
	a->type = PERF_TYPE_SOFTWARE;
	a->config = 0;
	a->sample_type = ST;
	a->sample_period = 1000;
	kp_attr_set_flag(a, KP_ATTR_SAMPLE_ID_ALL);
	ff->ids[0][0] = 11;
	ff->nr_ids[0] = 1;
	ff->nr = 1;
}

static void add_sample(struct fx *f, u64 ip, u64 time)
{
	size_t at = fx_rec_begin(f, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);

	fx_u64(f, 11);
	fx_u64(f, ip);
	fx_u32(f, 1);
	fx_u32(f, 2);
	fx_u64(f, time);
	fx_u32(f, 0);
	fx_u32(f, 0);
	fx_u64(f, 1000);
	fx_rec_end(f, at);
}

static void add_round(struct fx *f)
{
	size_t at = fx_rec_begin(f, PERF_RECORD_FINISHED_ROUND, 0);

	fx_rec_end(f, at);
}

/* perf's semantics, written the slow and obvious way */
struct model {
	u64 *q_ts, *q_ip;
	size_t q_n;
	u64 next_flush, max_ts;
	u64 *out;
	size_t out_n;
};

static void model_flush(struct model *m, u64 limit)
{
	size_t keep = 0;

	/* stable sort by time: the queue is in arrival order with ties */
	for (size_t j = 1; j < m->q_n; j++) {
		u64 t = m->q_ts[j], ip = m->q_ip[j];
		size_t k = j;

		while (k > 0 && m->q_ts[k - 1] > t) {
			m->q_ts[k] = m->q_ts[k - 1];
			m->q_ip[k] = m->q_ip[k - 1];
			k--;
		}
		m->q_ts[k] = t;
		m->q_ip[k] = ip;
	}
	for (size_t i = 0; i < m->q_n; i++) {
		if (m->q_ts[i] <= limit) {
			m->out[m->out_n++] = m->q_ip[i];
		} else {
			m->q_ts[keep] = m->q_ts[i];
			m->q_ip[keep++] = m->q_ip[i];
		}
	}
	m->q_n = keep;
}

static void model_queue(struct model *m, u64 ip, u64 ts)
{
	if (!m->q_n || ts >= m->max_ts)
		m->max_ts = ts;
	m->q_ts[m->q_n] = ts;
	m->q_ip[m->q_n++] = ip;
}

static void model_round(struct model *m)
{
	model_flush(m, m->next_flush);
	m->next_flush = m->max_ts;
}

/* open @path and run @w's tool over it (threaded mode, release step); errors printed */
static int seen__process(struct seen *w, const char *path, u64 step, int threaded)
{
	int err;

	err = perf_data__open(&w->data, path);
	if (err) {
		print_error("%s\n", kp_errmsg(err));
		return err;
	}
	perf_data__set_threaded(w->data, threaded);
	if (step)
		perf_data__set_release_step(w->data, step);
	err = perf_data__process(w->data, &w->tool);
	if (err && !w->fail_at)
		print_error("%s\n", kp_errmsg(err));
	return err;
}

static int read_file_fail(const char *path, struct seen *w, bool ordered, u64 step,
			  int threaded, size_t fail_at)
{
	memset(w, 0, sizeof(*w));
	w->tool.sample = on_sample;
	w->tool.ordered_events = ordered;
	w->release_ok = true;
	w->fail_at = fail_at;
	return seen__process(w, path, step, threaded);
}

static int read_file(const char *path, struct seen *w, bool ordered, u64 step, int threaded)
{
	return read_file_fail(path, w, ordered, step, threaded, 0);
}

/*
 * The sample_peek() fast path: samples whose ip is a multiple of 7 are
 * dropped (said 2), multiples of 5 go the ordinary way (said 0), the others
 * come back packed through sample_fast(); all must keep perf's order.
 */
static bool peek_drops(u64 ip)
{
	return ip % 7 == 0;
}

static int peek_sample(struct perf_tool *tool, struct evsel *evsel, const struct perf_sample *s,
		       u64 payload[3])
{
	if (peek_drops(s->ip))
		return 2;
	if (s->ip % 5 == 0)
		return 0;
	payload[0] = s->ip;
	payload[1] = s->time;
	payload[2] = (u64)s->pid << 32 | s->tid;
	return 1;
}

/*
 * sample_fast() of both packers: payload = ip, time, then @word2 (the pid and
 * tid as packed); the ips go to w->ip
 */
static int seen__fast(struct seen *w, const struct packed_sample *s, size_t n, u64 word2)
{
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i].time != s[i].payload[1] || s[i].payload[2] != word2)
			w->release_ok = false;
		ALLOC_GROW(w->ip, w->n + 1, w->alloc);
		w->ip[w->n++] = s[i].payload[0];
	}
	return 0;
}

static int peek_fast(struct perf_tool *tool, const struct packed_sample *s, size_t n)
{
	/* what the peek saw comes back unchanged, with the sample's time */
	return seen__fast((struct seen *)tool, s, n, 1ULL << 32 | 2);
}

/* read @path ordered and threaded with a fast path: @peek, @fast, @pack (NULL: none) */
static int read_file_fast(const char *path, struct seen *w, u64 step,
			  int (*peek)(struct perf_tool *, struct evsel *, const struct perf_sample *,
				      u64[3]),
			  int (*fast)(struct perf_tool *, const struct packed_sample *, size_t),
			  void (*pack)(struct perf_tool *, struct evsel *, struct sample_pack *))
{
	memset(w, 0, sizeof(*w));
	w->tool.sample = on_sample;
	w->tool.sample_peek = peek;
	w->tool.sample_fast = fast;
	w->tool.sample_pack = pack;
	w->tool.ordered_events = true;
	w->release_ok = true;
	return seen__process(w, path, step, 1);
}

static int read_file_peek(const char *path, struct seen *w, u64 step)
{
	return read_file_fast(path, w, step, peek_sample, peek_fast, NULL);
}

/*
 * The sample_pack() plans of the fast path.  Mode "words": every sample is
 * packed by the plan (ip, time, the TID word).  Mode "count": sample_peek()
 * packs until the one whose ip is pack_switch, says 3 there, and from then on
 * the plan counts the samples.
 */
static bool pack_count_mode;
static u64 pack_switch, pack_counter, pack_peeks;
static bool pack_switched;

static int pack_peek(struct perf_tool *tool, struct evsel *evsel, const struct perf_sample *s,
		     u64 payload[3])
{
	pack_peeks++;
	/* what the plan says, for the samples that do not go by it (swapped files) */
	if (pack_count_mode && pack_switched) {
		pack_counter++;
		return 2;
	}
	payload[0] = s->ip;
	payload[1] = s->time;
	payload[2] = (u64)s->tid << 32 | s->pid;
	if (pack_count_mode && s->ip == pack_switch) {
		pack_switched = true;
		return 3;
	}
	return 1;
}

static void pack_plan(struct perf_tool *tool, struct evsel *evsel, struct sample_pack *pack)
{
	if (pack_count_mode && !pack_switched)
		return; /* PEEK */
	if (pack_count_mode) {
		pack->mode = SAMPLE_PACK_COUNT;
		pack->counter = &pack_counter;
		return;
	}
	pack->mode = SAMPLE_PACK_WORDS;
	pack->word[0].field = PERF_SAMPLE_IP;
	pack->word[1].field = PERF_SAMPLE_TIME;
	pack->word[2].field = PERF_SAMPLE_TID;
}

static int pack_fast(struct perf_tool *tool, const struct packed_sample *s, size_t n)
{
	/* pid 1, tid 2: the TID word as the record has it */
	return seen__fast((struct seen *)tool, s, n, 2ULL << 32 | 1);
}

static int read_file_pack(const char *path, struct seen *w, u64 step, bool count, u64 at)
{
	pack_count_mode = count;
	pack_switch = at;
	pack_counter = 0;
	pack_peeks = 0;
	pack_switched = false;
	return read_file_fast(path, w, step, pack_peek, pack_fast, pack_plan);
}

static void test_random_rounds_match_model(void **state)
{
	rng_state = 777;
	for (int iter = 0; iter < 66; iter++) {
		/* the last ones: one big batch at the end, sorted by radix on the worker */
		size_t n = iter < 60 ? 1 + rnd() % 3000 : 20000 + rnd() % 1000;
		struct model m = { 0 };
		struct fx_file ff;
		struct strbuf sb = STRBUF_INIT;
		struct seen w;
		u64 base = 1000, skew = 1 + rnd() % 5000;
		int round_every = iter < 60 ? 1 + (int)(rnd() % 400) : 1 << 30;
		bool swap = iter & 1;
		char *path;

		m.q_ts = xcalloc(n, 8);
		m.q_ip = xcalloc(n, 8);
		m.out = xcalloc(n, 8);
		fx_file_init(&ff, swap);
		one_event(&ff);
		for (size_t i = 0; i < n; i++) {
			/* time advances with a random skew; now and then far back or ahead */
			u64 r = rnd() % 100, ts;

			base += rnd() % 20;
			ts = base + rnd() % skew;
			if (r == 0)
				ts = 1 + rnd() % 1000; /* below what was flushed */
			else if (r == 1)
				ts = base + 1000000; /* far in the future */
			else if (r < 10)
				ts = base; /* ties */
			add_sample(&ff.data, i + 1, ts);
			model_queue(&m, i + 1, ts);
			if ((int)(rnd() % (u64)round_every) == 0) {
				add_round(&ff.data);
				model_round(&m);
			}
		}
		model_flush(&m, ~0ULL);
		fx_file_build(&ff, &sb);
		path = fx_tmpfile(sb.buf, sb.len);
		/* a small release step exercises the page release on every round */
		for (int threaded = 0; threaded < 2; threaded++) {
			assert_int_equal(read_file(path, &w, true, iter % 3 ? 4096 : 0, threaded),
					 0);
			assert_int_equal(w.n, n);
			assert_int_equal(m.out_n, n);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(w.ip[i], m.out[i]);
			assert_true(w.release_ok);
			perf_data__delete(w.data);
			free(w.ip);
		}
		/* the same with the fast path: dropped samples still count for the rounds */
		{
			size_t j = 0;

			assert_int_equal(read_file_peek(path, &w, iter % 3 ? 4096 : 0), 0);
			for (size_t i = 0; i < n; i++) {
				if (peek_drops(m.out[i]))
					continue;
				assert_true(j < w.n);
				assert_int_equal(w.ip[j], m.out[i]);
				j++;
			}
			assert_int_equal(w.n, j);
			assert_true(w.release_ok);
			perf_data__delete(w.data);
			free(w.ip);
		}
		/* plans that pack every sample: all of them, in perf's order */
		assert_int_equal(read_file_pack(path, &w, iter % 3 ? 4096 : 0, false, 0), 0);
		assert_int_equal(w.n, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(w.ip[i], m.out[i]);
		/* the scan loop goes by the plan (swapped files are not scanned) */
		if (!swap)
			assert_true(pack_peeks <= 1);
		assert_true(w.release_ok);
		perf_data__delete(w.data);
		free(w.ip);
		/* peek up to a switch (3: plans stale), then plans that count the rest */
		{
			u64 at = 1 + rnd() % n;
			size_t j = 0;

			assert_int_equal(read_file_pack(path, &w, iter % 3 ? 4096 : 0, true, at), 0);
			for (size_t i = 0; i < n; i++) {
				if (m.out[i] > at)
					continue;
				assert_true(j < w.n);
				assert_int_equal(w.ip[j], m.out[i]);
				j++;
			}
			assert_int_equal(w.n, j);
			assert_int_equal(w.n, at);
			assert_int_equal(pack_counter, n - at);
			if (!swap)
				assert_true(pack_peeks <= at + 1);
			assert_true(w.release_ok);
			perf_data__delete(w.data);
			free(w.ip);
		}
		unlink(path);
		free(path);
		strbuf_release(&sb);
		fx_file_release(&ff);
		free(m.q_ts);
		free(m.q_ip);
		free(m.out);
	}
}

/* @n records in time order, a round every 50 */
static char *release_file(bool swap, size_t n, size_t *size)
{
	struct fx_file ff;
	struct strbuf sb = STRBUF_INIT;
	char *path;

	fx_file_init(&ff, swap);
	one_event(&ff);
	for (size_t i = 0; i < n; i++) {
		add_sample(&ff.data, i + 1, 100 + i);
		if (i % 50 == 49)
			add_round(&ff.data);
	}
	fx_file_build(&ff, &sb);
	path = fx_tmpfile(sb.buf, sb.len);
	*size = sb.len;
	strbuf_release(&sb);
	fx_file_release(&ff);
	return path;
}

static void check_release(bool swap, bool ordered, int threaded)
{
	size_t n = 20000, size;
	char *path = release_file(swap, n, &size);
	struct seen w;

	assert_int_equal(read_file(path, &w, ordered, 4096, threaded), 0);
	assert_int_equal(w.n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(w.ip[i], i + 1);
	assert_true(w.release_ok);
	/* in place unless swapped (then each record is a private copy) */
	assert_int_equal(w.in_map, swap ? 0 : n);
	/* most of the file was given back while reading */
	assert_true(perf_data__released(w.data) > size / 2);
	perf_data__delete(w.data);
	free(w.ip);
	unlink(path);
	free(path);
}

static void test_release_ordered(void **state)
{
	check_release(false, true, 0);
	check_release(false, true, 1);
}

static void test_release_unordered(void **state)
{
	check_release(false, false, 0);
}

static void test_release_swapped(void **state)
{
	check_release(true, true, 0);
	check_release(true, true, 1);
}

/*
 * A failing callback stops delivery where it fails, with its message, on
 * either thread; and it wins over a corrupt record further on in the file,
 * which the reading thread may already have reached.
 */
static void test_callback_error_threaded(void **state)
{
	size_t n = 5000, size, fail_at = 1234;
	char *path = release_file(false, n, &size);
	struct seen w;
	FILE *f;

	for (int threaded = 0; threaded < 2; threaded++) {
		assert_int_equal(read_file_fail(path, &w, true, 0, threaded, fail_at),
				 KP_ERR_BAD_SAMPLE);
		assert_int_equal(w.n, fail_at);
		assert_string_equal(kp_errmsg(KP_ERR_BAD_SAMPLE), "callback fails at sample 1234");
		perf_data__delete(w.data);
		free(w.ip);
	}
	/*
	 * Sample 4900 gets size 0: the data starts at 256 (header 104, one id,
	 * one 128-byte attr with its ids section), samples are 56 bytes, a round
	 * of 8 bytes follows every 50th.
	 */
	f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, 256 + 56 * 4900 + 8 * (4900 / 50) + 6, SEEK_SET), 0);
	assert_int_equal(fwrite("\0\0", 1, 2, f), 2);
	fclose(f);
	for (int threaded = 0; threaded < 2; threaded++) {
		assert_int_equal(read_file_fail(path, &w, true, 0, threaded, 0), KP_ERR_BAD_RECORD);
		assert_non_null(strstr(kp_errmsg(KP_ERR_BAD_RECORD), "record of size 0"));
		/* what the rounds before the corrupt record flushed, no more */
		assert_int_equal(w.n, 4850);
		perf_data__delete(w.data);
		free(w.ip);
		assert_int_equal(read_file_fail(path, &w, true, 0, threaded, fail_at),
				 KP_ERR_BAD_SAMPLE);
		assert_int_equal(w.n, fail_at);
		perf_data__delete(w.data);
		free(w.ip);
	}
	unlink(path);
	free(path);
}

static void test_release_default_step_small_file(void **state)
{
	size_t size;
	char *path = release_file(false, 100, &size);
	struct seen w;

	/* below one release step nothing is given back */
	assert_int_equal(read_file(path, &w, true, 0, -1), 0);
	assert_int_equal(perf_data__released(w.data), 0);
	assert_int_equal(w.n, 100);
	perf_data__delete(w.data);
	free(w.ip);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_patterns),
		cmocka_unit_test(test_merge_overlaps),
		cmocka_unit_test(test_radix_stable),
		cmocka_unit_test(test_random_rounds_match_model),
		cmocka_unit_test(test_release_ordered),
		cmocka_unit_test(test_release_unordered),
		cmocka_unit_test(test_release_swapped),
		cmocka_unit_test(test_callback_error_threaded),
		cmocka_unit_test(test_release_default_step_small_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
