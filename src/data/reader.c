// SPDX-License-Identifier: GPL-2.0
/*
 * reader.c - open perf.data (file or pipe mode), check its header and deliver
 * its records to a struct perf_tool, time-ordered the way perf does it.
 *
 * File mode maps the whole file read-only and hands out pointers into the
 * mapping.  Records that cannot be used in place - foreign-endian ones (swapped
 * into a private copy), misaligned ones, records read from a pipe and records
 * decompressed from PERF_RECORD_COMPRESSED - live in reference-counted
 * "chunks": big buffers that stay alive while a queued record points into
 * them, so no record is ever malloc'ed on its own.
 *
 * Ordering follows perf's ordered_events: records with a timestamp are queued;
 * at each FINISHED_ROUND everything up to the highest timestamp seen at the
 * previous round is delivered (stable for equal times), the rest at the end.
 * Records without a timestamp (no sample_id_all, or time 0 / ~0) are delivered
 * at once, as are perf's own record types (>= 64).
 *
 * File mode, ordered, above WORKER_MIN_SIZE: the records due at a round are
 * handed to a second thread that sorts and delivers them while this one reads
 * on.  The tool's callbacks then run on that thread - one at a time, in the
 * same order as without it; this thread waits for it before it calls the tool
 * itself - and perf_data__process() returns only when it is done.
 *
 * File mode: the pages of the mapping that no queued record can point into
 * any more are given back as reading goes on (release_behind()), so the
 * resident size stays at a few rounds of data instead of the whole file.
 *
 * A tool with sample_peek() (stat report) gets, on the reading thread, the
 * samples of events with a simple layout (scan_samples(): a tight loop over
 * such records) and packs each into three words that are queued instead of a
 * pointer to the record: the worker then never touches the file, and pages
 * are given back right behind reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <tracefs.h>
#include <zstd.h>

#include "data/data-internal.h"
#include "data/tracing-data.h"
#include "util/util.h"

#define CHUNK_SIZE (4u << 20)
#define PIPE_CHUNK_SIZE (1u << 20)
/* file mode: give mapped pages back in steps of this many bytes */
#define RELEASE_STEP (2u << 20)
/*
 * ... and at multiples of this (or of the step, if smaller): a page-table
 * entry that maps 2 MiB of a large folio (see the writer) is dropped whole,
 * never split
 */
#define RELEASE_ALIGN (2u << 20)
/* file mode, ordered: from this file size on, records are delivered on a second thread */
#define WORKER_MIN_SIZE (4u << 20)

struct kp_chunk {
	u32 refs; /* queued records pointing into this chunk */
	bool open; /* still being filled by its producer */
	size_t cap;
	u64 data[]; /* u64 for 8-byte alignment of the records */
};

#define OE_BATCHES 4

struct kp_reader {
	struct perf_tool *tool;
	/*
	 * ordered events: q[q_head..q_nr) are queued, q[q_head..q_sorted) of
	 * them sorted, q[q_sorted..q_nr) in arrival order; q[0..q_head) were
	 * delivered and are reused when the array is compacted.
	 */
	struct oe_entry *q;
	size_t q_head, q_nr, q_alloc, q_sorted;
	struct oe_entry *tmp;
	size_t tmp_alloc;
	u64 next_flush, max_ts, last_flush;
	/*
	 * file mode: mapped pages below @released were given back to the
	 * kernel; below @release_to nothing is needed any more (the worker,
	 * if there is one, gives those pages back between its batches:
	 * @release_want is what it is asked for, both atomic)
	 */
	u64 released, release_to, release_want;
	u64 release_step, release_align;
	/* where the reading thread is (atomic), and up to where the worker faulted pages in */
	u64 read_pos, prefault_to;
	/* the reading loops try release_behind() from this offset on */
	u64 release_next;
	u64 page_size;
	/* private copies: swapped or misaligned records */
	struct kp_chunk *copy;
	size_t copy_used;
	/* pipe mode */
	struct kp_chunk *pipe;
	size_t pipe_pos, pipe_len;
	u64 stream_off;
	bool pipe_eof;
	bool pipe_started; /* perf_data__process() has begun */
	/* zstd */
	ZSTD_DStream *zstd;
	struct kp_chunk *dec;
	size_t dec_pos, dec_len;
	u64 data_end; /* file mode: end of the data section */
	/* sample id -> event, direct mapped in front of the evlist's hash */
	struct {
		u64 id;
		struct evsel *evsel; /* NULL: empty */
	} id_cache[64];
	/*
	 * Delivery on a second thread.  The queue then stays in arrival order;
	 * in batches, which the worker sorts (stable) and delivers while this
	 * thread reads on.  No record is moved to get there: a round's flush
	 * (up to the highest time seen by the previous round, whose records
	 * were all queued by then and are all at or below it) delivers exactly
	 *  - the records still queued at the previous round, and
	 *  - the records of this round at or below that limit (known while
	 *    the round is read),
	 * in this arrival order, while the other records of this round, above
	 * the limit, are all due at the next round's flush.  So records go
	 * straight to one of two batches: A (batch nr_submitted, due at the
	 * next flush) or B (batch nr_submitted + 1, due at the one after); at
	 * the round A is handed over and B becomes A.  At the end A goes,
	 * then B: every time in B is above every time in A.
	 *
	 * Up to OE_BATCHES - 2 batches may be in flight while A and B fill,
	 * so that the threads do not run in lockstep (on a busy machine each
	 * wait can cost a time slice) - more would keep more of the file
	 * resident; this thread drops the chunk references of a batch's
	 * entries once the worker is done with it.
	 */
	struct oe_worker *worker;
	int threaded; /* -1: by file size, 0: never, 1: always */
	struct oe_batch {
		/* the worker reads one batch while this thread fills the next: no shared line */
		char pad[64];
		struct oe_entry *e;
		size_t nr, alloc;
		u64 min_off; /* lowest offset of a record in the mapping, ~0: none */
		u64 max_ts;
		size_t nr_dropped; /* sample_peek() said 2: counted, but not stored */
		size_t nr_chunked; /* entries holding a chunk reference */
	} batch[OE_BATCHES];
	u64 nr_submitted, nr_reclaimed; /* batches handed over / given back */
	size_t nr_pending; /* records in batches A and B */
	/*
	 * tool->sample_peek: the sample layout of each evsel (by idx), filled
	 * lazily, and a sample per evsel whose fields its layout lacks stay at
	 * their defaults
	 */
	struct sample_layout *layout;
	struct perf_sample *peek_samples;
	bool *layout_done;
	struct pack_plan *plan; /* tool->sample_pack(): what to do without sample_peek() */
	u32 nr_layout;
};

/* a struct sample_pack compiled against the event's sample layout */
enum { PLAN_UNSET, PLAN_PEEK, PLAN_WORDS, PLAN_COUNT };

struct pack_plan {
	u32 mode;
	u16 time; /* offset of the time in the record */
	u16 raw; /* offset of the RAW size, 0: no RAW */
	u32 min_size; /* record bytes up to the RAW data */
	u32 raw_need;
	u64 *counter;
	/* payload[i] = (the 8 record bytes before end[i] >> shift[i] & mask[i]) | or[i] */
	u64 mask[3], or[3];
	u16 end[3];
	u8 shift[3];
};

/* packed samples handed to tool->sample_fast() at a time */
#define FAST_RUN 256

struct oe_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct perf_data *data;
	struct oe_batch *batch; /* the reader's ring of OE_BATCHES */
	u64 nr_submitted; /* batches handed over */
	u64 nr_done; /* batches delivered (or skipped after an error) */
	struct oe_entry *tmp; /* for sorting */
	size_t tmp_alloc;
	struct packed_sample fast[FAST_RUN];
	u64 *keys, *keys_tmp;
	size_t keys_alloc, keys_tmp_alloc;
	bool stop;
	bool spin; /* spin_until() before sleeping: there is a CPU for each thread */
	int err; /* the first delivery error; nothing is delivered after it */
	char msg[1024]; /* its kp_error() detail, which is per thread */
};

static struct kp_chunk *chunk_new(size_t cap)
{
	struct kp_chunk *c = xmalloc(sizeof(*c) + KP_ALIGN(cap, 8));

	c->refs = 0;
	c->open = true;
	c->cap = KP_ALIGN(cap, 8);
	return c;
}

static void chunk_close(struct kp_chunk *c)
{
	if (!c)
		return;
	c->open = false;
	if (!c->refs)
		free(c);
}

static void chunk_put(struct kp_chunk *c)
{
	if (c && !--c->refs && !c->open)
		free(c);
}

static inline u8 *chunk_bytes(struct kp_chunk *c)
{
	return (u8 *)c->data;
}

static int rec_error(struct perf_data *data, int code, u64 off, const char *msg, u32 type,
		     u32 size)
{
	char what[640];

	/* @msg may be the current kp_error() detail, which kp_error() overwrites */
	snprintf(what, sizeof(what), "%s", msg);
	if (data->is_pipe)
		return kp_error(code, "'%s': %s (%s record, size %u) at stream offset %#llx",
				data->path, what, perf_event__name(type), size,
				(unsigned long long)off);
	return kp_error(code, "'%s': %s (%s record, size %u) at offset %#llx (file is %llu bytes)",
			data->path, what, perf_event__name(type), size, (unsigned long long)off,
			(unsigned long long)data->size);
}

/* ---------------------------------------------------------------- ordering */

static inline u64 event_timestamp(const union perf_event *ev, const struct evsel *evsel)
{
	const u64 *a = (const u64 *)(&ev->header + 1);
	u64 t = evsel->attr.sample_type;

	if (!(t & PERF_SAMPLE_TIME))
		return ~0ULL;
	if (ev->header.type == PERF_RECORD_SAMPLE) {
		int i = !!(t & PERF_SAMPLE_IDENTIFIER) + !!(t & PERF_SAMPLE_IP) +
			!!(t & PERF_SAMPLE_TID);

		if ((u32)(i + 1) * 8 > (u32)ev->header.size - 8)
			return ~0ULL;
		return a[i];
	} else {
		size_t n = (ev->header.size - sizeof(ev->header)) / 8;
		size_t i = 1 + !!(t & PERF_SAMPLE_IDENTIFIER) + !!(t & PERF_SAMPLE_CPU) +
			   !!(t & PERF_SAMPLE_STREAM_ID) + !!(t & PERF_SAMPLE_ID);

		if (!evsel->id_hdr_size || i > n)
			return ~0ULL;
		return a[n - i];
	}
}

/*
 * Sorting.  Records arrive nearly sorted: each CPU's stream is in time order
 * and the streams interleave with a small skew.  A stable bottom-up merge sort
 * whose merges only touch the overlap of their two runs (found by galloping
 * from the boundary) costs little more than one pass over such input, and
 * stays O(n log n) on anything else.
 */
#define OE_RUN 32

/* first index of sorted @a[0..n) whose time is > @ts, searched from the end */
static size_t oe_upper_from_end(const struct oe_entry *a, size_t n, u64 ts)
{
	size_t lo = 0, hi = n, step = 1;

	while (step < hi) {
		size_t p = hi - step;

		if (a[p].ts <= ts) {
			lo = p + 1;
			break;
		}
		hi = p;
		step *= 2;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid].ts > ts)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* first index of sorted @a[0..n) whose time is >= @ts, searched from the start */
static size_t oe_lower_from_start(const struct oe_entry *a, size_t n, u64 ts)
{
	size_t lo = 0, hi = n, step = 1;

	while (lo + step <= n) {
		size_t p = lo + step - 1;

		if (a[p].ts >= ts) {
			hi = p;
			break;
		}
		lo = p + 1;
		step *= 2;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid].ts >= ts)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

void oe_merge(struct oe_entry *a, size_t mid, size_t n, struct oe_entry *tmp)
{
	size_t l, r, i, j, o, nl, nr;

	if (!mid || mid >= n || a[mid - 1].ts <= a[mid].ts)
		return;
	/* a[0..l) precede every right entry, a[r..n) follow every left entry */
	l = oe_upper_from_end(a, mid, a[mid].ts);
	r = mid + oe_lower_from_start(a + mid, n - mid, a[mid - 1].ts);
	nl = mid - l;
	nr = r - mid;
	/* the smaller side goes to @tmp; ties go to the left run: it arrived first */
	if (nl <= nr) {
		memcpy(tmp, a + l, nl * sizeof(*a));
		i = 0;
		j = mid;
		o = l;
		while (i < nl && j < r)
			a[o++] = a[j].ts < tmp[i].ts ? a[j++] : tmp[i++];
		if (i < nl)
			memcpy(a + o, tmp + i, (nl - i) * sizeof(*a));
	} else {
		memcpy(tmp, a + mid, nr * sizeof(*a));
		i = mid;
		j = nr;
		o = r;
		while (j && i > l)
			a[--o] = a[i - 1].ts > tmp[j - 1].ts ? a[--i] : tmp[--j];
		if (j)
			memcpy(a + l, tmp, j * sizeof(*a));
	}
}

/* stable merge sort: sorted runs of OE_RUN by insertion, then merges */
static void oe_merge_sort(struct oe_entry *a, size_t n, struct oe_entry *tmp)
{
	for (size_t i = 0; i < n; i += OE_RUN) {
		size_t hi = kp_min(i + OE_RUN, n);

		for (size_t j = i + 1; j < hi; j++) {
			struct oe_entry e;
			size_t k = j;

			if (a[j - 1].ts <= a[j].ts)
				continue;
			e = a[j];
			while (k > i && a[k - 1].ts > e.ts) {
				a[k] = a[k - 1];
				k--;
			}
			a[k] = e;
		}
	}
	for (size_t w = OE_RUN; w < n; w *= 2)
		for (size_t i = 0; i + w < n; i += 2 * w)
			oe_merge(a + i, w, kp_min(2 * w, n - i), tmp);
}

void oe_sort(struct oe_entry *a, size_t n, struct oe_entry *tmp)
{
	/* moves insertion sort may spend before the merge sort takes over */
	size_t budget = 4 * n + 64;
	size_t j;

	/*
	 * Insertion sort over the whole batch costs one pass plus one move per
	 * inversion: nothing beats it on the nearly sorted input rounds hold.
	 * An entry far out of place, or too many moves, hand the rest of the
	 * batch to the merge sort.
	 */
	for (j = 1; j < n; j++) {
		struct oe_entry e;
		size_t k = j;

		if (a[j - 1].ts <= a[j].ts)
			continue;
		if ((j >= OE_RUN && a[j - OE_RUN].ts > a[j].ts) || budget < OE_RUN)
			break;
		e = a[j];
		while (k > 0 && a[k - 1].ts > e.ts) {
			a[k] = a[k - 1];
			k--;
		}
		budget -= j - k;
		a[k] = e;
	}
	if (j < n) {
		oe_merge_sort(a + j, n - j, tmp);
		oe_merge(a, j, n, tmp);
	}
}

/*
 * Batches whose records interleave many streams (one inversion every few
 * records) cost insertion sort a mispredicted branch per inversion; an LSD
 * radix sort of packed keys - time since the batch's first record above,
 * position in the batch below OE_IDX_BITS - has no data-dependent branch.
 * Stable: a pass keeps the order of equal digits.
 */
#define OE_IDX_BITS 28
#define OE_RADIX_MAX_BITS (64 - OE_IDX_BITS)

u64 *oe_radix_sort(u64 *keys, u64 *tmp, size_t n, unsigned int lo, unsigned int bits)
{
	unsigned int passes = (bits + 12) / 13, width;
	u32 cnt[1u << 13];

	if (!passes)
		return keys;
	width = (bits + passes - 1) / passes;
	for (unsigned int p = 0; p < passes; p++) {
		unsigned int shift = lo + p * width;
		u64 mask = (1ULL << width) - 1;
		u32 sum = 0;
		u64 *t;

		memset(cnt, 0, (mask + 1) * sizeof(cnt[0]));
		for (size_t i = 0; i < n; i++)
			cnt[(keys[i] >> shift) & mask]++;
		for (u64 d = 0; d <= mask; d++) {
			u32 c = cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[cnt[(keys[i] >> shift) & mask]++] = keys[i];
		t = keys;
		keys = tmp;
		tmp = t;
	}
	return keys;
}

static void oe_prepare(struct kp_reader *rd)
{
	size_t h = rd->q_head, s = rd->q_sorted, n = rd->q_nr;

	if (s == n)
		return;
	ALLOC_GROW(rd->tmp, n - h, rd->tmp_alloc);
	oe_sort(rd->q + s, n - s, rd->tmp);
	oe_merge(rd->q + h, s - h, n - h, rd->tmp);
	rd->q_sorted = n;
}

static int deliver(struct perf_data *data, union perf_event *ev, struct evsel *evsel, u64 off);
static void worker_release(struct perf_data *data);
static void prefault(struct perf_data *data);

/* ---------------------------------------------------------------- worker */

/*
 * Deliver @be[0..n) in the order @order gives (the low OE_IDX_BITS of each
 * key index @be; NULL: as they are): records one by one, the runs of packed
 * samples between them gathered and handed over FAST_RUN at a time.
 */
static int oe_deliver_sorted(struct oe_worker *w, const struct oe_entry *be, const u64 *order,
			     size_t n)
{
	struct perf_tool *tool = w->data->rd->tool;
	struct packed_sample *buf = w->fast;
	size_t nb = 0;
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		const struct oe_entry *e = &be[order ? order[i] & ((1u << OE_IDX_BITS) - 1) : i];

		if (!e->ev) {
			buf[nb].time = e->ts;
			buf[nb].payload[0] = e->payload[0];
			buf[nb].payload[1] = e->payload[1];
			buf[nb].payload[2] = e->payload[2];
			if (++nb == FAST_RUN) {
				err = tool->sample_fast(tool, buf, nb);
				nb = 0;
			}
			continue;
		}
		if (nb) {
			err = tool->sample_fast(tool, buf, nb);
			nb = 0;
			if (err)
				break;
		}
		if (i + 4 < n) {
			const struct oe_entry *f =
				&be[order ? order[i + 4] & ((1u << OE_IDX_BITS) - 1) : i + 4];

			if (f->ev) {
				__builtin_prefetch(f->ev);
				__builtin_prefetch((const u8 *)f->ev + 64);
			}
		}
		err = deliver(w->data, e->ev, e->evsel, e->off);
	}
	if (nb && !err)
		err = tool->sample_fast(tool, buf, nb);
	return err;
}

/* sort batch @b (arrival order) by time, stable, and deliver it */
static int oe_worker_deliver(struct oe_worker *w, struct oe_batch *b)
{
	struct oe_entry *be = b->e;
	const size_t n = b->nr; /* (not re-read after each callback) */
	u64 min_ts = ~0ULL, max_ts = 0, prev = 0;
	size_t inversions = 0;
	unsigned int bits;
	const u64 *order;

	for (size_t i = 0; i < n; i++) {
		u64 ts = be[i].ts;

		min_ts = ts < min_ts ? ts : min_ts;
		max_ts = ts > max_ts ? ts : max_ts;
		inversions += ts < prev;
		prev = ts;
	}
	bits = n ? 64 - (unsigned int)__builtin_clzll((max_ts - min_ts) | 1) : 0;
	if (n < 1024 || inversions < n / 32 || bits > OE_RADIX_MAX_BITS ||
	    n >= (1ULL << OE_IDX_BITS)) {
		ALLOC_GROW(w->tmp, n / 2 + 1, w->tmp_alloc);
		oe_sort(be, n, w->tmp);
		return oe_deliver_sorted(w, be, NULL, n);
	}
	ALLOC_GROW(w->keys, n, w->keys_alloc);
	ALLOC_GROW(w->keys_tmp, n, w->keys_tmp_alloc);
	for (size_t i = 0; i < n; i++)
		w->keys[i] = (be[i].ts - min_ts) << OE_IDX_BITS | i;
	order = oe_radix_sort(w->keys, w->keys_tmp, n, OE_IDX_BITS, bits);
	return oe_deliver_sorted(w, be, order, n);
}

/*
 * Spin until the counter at @p (atomic) reaches @want, for SPIN_NS at most
 * (false then).  The threads hand batches to each other every few hundred
 * microseconds; one that sleeps on the condition variable instead takes tens
 * of them to run again when woken (more in a VM: the idle vCPU halts).  Not
 * when the two threads share one CPU (@w->spin false): the spinner would only
 * keep the other from running.
 */
#define SPIN_NS 200000

static bool spin_until(const struct oe_worker *w, const u64 *p, u64 want)
{
	struct timespec t0, t;

	if (!w->spin)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int i = 1;; i++) {
		if (__atomic_load_n(p, __ATOMIC_ACQUIRE) >= want)
			return true;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
		if (!(i & 63)) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) > SPIN_NS)
				return false;
		}
	}
}

static void *oe_worker_main(void *arg)
{
	struct oe_worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct oe_batch *b;
		bool failed;
		int err = 0;

		if (w->nr_done == w->nr_submitted && !w->stop) {
			pthread_mutex_unlock(&w->lock);
			spin_until(w, &w->nr_submitted, w->nr_done + 1);
			pthread_mutex_lock(&w->lock);
		}
		while (w->nr_done == w->nr_submitted && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->nr_done == w->nr_submitted)
			break;
		b = &w->batch[w->nr_done % OE_BATCHES];
		failed = w->err != 0;
		pthread_mutex_unlock(&w->lock);
		if (!failed)
			err = oe_worker_deliver(w, b);
		/* no batch waiting: help the reading thread with its page faults */
		if (__atomic_load_n(&w->nr_submitted, __ATOMIC_RELAXED) == w->nr_done + 1)
			prefault(w->data);
		worker_release(w->data);
		pthread_mutex_lock(&w->lock);
		if (err && !w->err) {
			w->err = err;
			snprintf(w->msg, sizeof(w->msg), "%s", kp_errmsg(err));
		}
		__atomic_store_n(&w->nr_done, w->nr_done + 1, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* the CPUs this process may run on */
static int cpus_available(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return (int)sysconf(_SC_NPROCESSORS_ONLN);
	return CPU_COUNT(&set);
}

static void oe_worker_start(struct perf_data *data)
{
	struct oe_worker *w = xzalloc(sizeof(*w));

	w->data = data;
	w->batch = data->rd->batch;
	w->spin = cpus_available() > 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, oe_worker_main, w)) {
		/* no thread: deliver on this one */
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w);
		return;
	}
	data->rd->worker = w;
}

/* give back the batches the worker is done with (@done of them in all) */
static void oe_reclaim(struct kp_reader *rd, u64 done)
{
	for (; rd->nr_reclaimed < done; rd->nr_reclaimed++) {
		struct oe_batch *b = &rd->batch[rd->nr_reclaimed % OE_BATCHES];

		for (size_t i = 0; b->nr_chunked && i < b->nr; i++)
			if (b->e[i].ev)
				chunk_put(b->e[i].chunk);
		b->nr = 0;
		b->nr_chunked = 0;
		b->min_off = ~0ULL;
		b->max_ts = 0;
	}
}

/*
 * Wait until the worker has delivered at least @upto batches in all and give
 * them back.  Returns the worker's error, if it had one, with its message.
 */
static int oe_wait_for(struct kp_reader *rd, u64 upto)
{
	struct oe_worker *w = rd->worker;
	u64 done;
	int err;

	if (!w)
		return 0;
	if (__atomic_load_n(&w->nr_done, __ATOMIC_ACQUIRE) < upto)
		spin_until(w, &w->nr_done, upto);
	pthread_mutex_lock(&w->lock);
	while (w->nr_done < upto)
		pthread_cond_wait(&w->cond, &w->lock);
	done = w->nr_done;
	err = w->err;
	pthread_mutex_unlock(&w->lock);
	oe_reclaim(rd, done);
	return err ? kp_error(err, "%s", w->msg) : 0;
}

/*
 * Wait until the worker has delivered every batch in flight.  Everything that
 * calls the tool on this thread waits here first: callbacks never run on two
 * threads at once, and always in the order of the file.
 */
static int oe_wait(struct kp_reader *rd)
{
	return oe_wait_for(rd, rd->nr_submitted);
}

static void oe_worker_stop(struct kp_reader *rd)
{
	struct oe_worker *w = rd->worker;

	if (!w)
		return;
	oe_wait(rd);
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w->tmp);
	free(w->keys);
	free(w->keys_tmp);
	free(w);
	rd->worker = NULL;
}

/* batch number @seq (A or B), once the worker is done with the slot's last use */
static inline __attribute__((always_inline)) struct oe_batch *oe_slot(struct kp_reader *rd, u64 seq)
{
	if (rd->nr_reclaimed + OE_BATCHES <= seq)
		oe_wait_for(rd, seq + 1 - OE_BATCHES); /* its error comes back at the round */
	return &rd->batch[seq % OE_BATCHES];
}

/* the batch of a record of time @ts: A (due at the next flush) or B */
static inline u64 oe_batch_seq(const struct kp_reader *rd, u64 ts)
{
	return rd->nr_submitted + !(ts <= rd->next_flush);
}

/* a new entry of time @ts in its batch; NULL: @drop, not stored */
static inline __attribute__((always_inline)) struct oe_entry *
oe_append(struct kp_reader *rd, u64 ts, u64 off, bool drop)
{
	struct oe_batch *b = oe_slot(rd, oe_batch_seq(rd, ts));
	struct oe_entry *e;

	if (drop) {
		if (ts > b->max_ts)
			b->max_ts = ts;
		b->nr_dropped++;
		rd->nr_pending++;
		return NULL;
	}
	ALLOC_GROW(b->e, b->nr + 1, b->alloc);
	if (ts > b->max_ts)
		b->max_ts = ts;
	if (off < b->min_off)
		b->min_off = off;
	rd->nr_pending++;
	e = &b->e[b->nr++];
	e->ts = ts;
	return e;
}

/* hand batch A (may be empty) to the worker: B becomes A */
static int oe_submit_one(struct kp_reader *rd)
{
	struct oe_worker *w = rd->worker;
	struct oe_batch *b = oe_slot(rd, rd->nr_submitted);
	int err = oe_wait_for(rd, 0);

	if (err)
		return err;
	if (b->nr || b->nr_dropped)
		rd->last_flush = b->max_ts;
	rd->nr_pending -= b->nr + b->nr_dropped;
	b->nr_dropped = 0;
	rd->nr_submitted++;
	pthread_mutex_lock(&w->lock);
	__atomic_store_n(&w->nr_submitted, rd->nr_submitted, __ATOMIC_RELEASE);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/*
 * The flush up to @limit: batch A (the next flush's limit is what the records
 * were sorted into A or B by), or, at the end (~0), A and then B.
 */
static int oe_submit(struct kp_reader *rd, u64 limit)
{
	int err;

	if (!rd->nr_pending)
		return oe_wait_for(rd, 0);
	err = oe_submit_one(rd);
	if (!err && limit == ~0ULL && rd->nr_pending)
		err = oe_submit_one(rd);
	return err;
}

/* ---------------------------------------------------------------- flush */

static int oe_flush(struct perf_data *data, u64 limit)
{
	struct kp_reader *rd = data->rd;
	size_t i;
	int err = 0;

	if (rd->worker)
		return oe_submit(rd, limit);
	oe_prepare(rd);
	for (i = rd->q_head; i < rd->q_nr; i++) {
		struct oe_entry *e = &rd->q[i];

		if (i + 4 < rd->q_nr && rd->q[i + 4].ev)
			__builtin_prefetch(rd->q[i + 4].ev);
		if (e->ts > limit)
			break;
		rd->last_flush = e->ts;
		if (e->ev) {
			err = deliver(data, e->ev, e->evsel, e->off);
			chunk_put(e->chunk);
		} else {
			struct packed_sample ps = { e->ts, { e->payload[0], e->payload[1],
							     e->payload[2] } };

			err = rd->tool->sample_fast(rd->tool, &ps, 1);
		}
		if (err) {
			i++;
			break;
		}
	}
	rd->q_head = i;
	if (rd->q_head == rd->q_nr)
		rd->q_head = rd->q_nr = rd->q_sorted = 0;
	return err;
}

/*
 * A new queue entry for time @ts, its other fields to be filled; @off: where
 * the record lies in the file mapping, ~0 if it does not or is not used.
 */
static inline __attribute__((always_inline)) struct oe_entry *
oe_new(struct perf_data *data, u64 ts, u64 off, bool drop)
{
	struct kp_reader *rd = data->rd;
	bool empty;
	struct oe_entry *e;

	if (ts < rd->last_flush)
		data->stats.nr_unordered++;
	if (rd->worker) {
		/* (the queue is not used then) */
		if (!rd->nr_pending || ts >= rd->max_ts)
			rd->max_ts = ts;
		return oe_append(rd, ts, off, drop);
	}
	empty = rd->q_nr == rd->q_head;
	/* perf resets its maximum when the queue ran empty */
	if (empty || ts >= rd->max_ts)
		rd->max_ts = ts;
	if (rd->q_alloc && rd->q_nr == rd->q_alloc && rd->q_head >= rd->q_nr - rd->q_head) {
		/* reuse the delivered slots: moves at most as many entries as were delivered */
		memmove(rd->q, rd->q + rd->q_head, (rd->q_nr - rd->q_head) * sizeof(*rd->q));
		rd->q_nr -= rd->q_head;
		rd->q_sorted -= rd->q_head;
		rd->q_head = 0;
	}
	ALLOC_GROW(rd->q, rd->q_nr + 1, rd->q_alloc);
	/* in-order arrivals extend the sorted part: nothing to sort at the flush */
	if (rd->q_sorted == rd->q_nr && (empty || ts >= rd->q[rd->q_nr - 1].ts))
		rd->q_sorted++;
	e = &rd->q[rd->q_nr++];
	e->ts = ts;
	return e;
}

static void oe_queue(struct perf_data *data, union perf_event *ev, struct evsel *evsel,
		     struct kp_chunk *chunk, u64 ts, u64 off)
{
	struct oe_entry *e = oe_new(data, ts, chunk ? ~0ULL : off, false);

	e->ev = ev;
	e->evsel = evsel;
	e->chunk = chunk;
	e->off = off;
	if (chunk) {
		chunk->refs++;
		/* the batch oe_new() chose: oe_reclaim() looks at those only */
		if (data->rd->worker)
			data->rd->batch[oe_batch_seq(data->rd, ts) % OE_BATCHES].nr_chunked++;
	}
}

/* ---------------------------------------------------------------- memory */

/*
 * File mode: give the pages of the mapping back to the kernel once no queued
 * record can point into them - everything below the lowest offset still queued
 * in place and below @pos, where reading is.  The mapping is private and read
 * only: a page touched again is simply read back from the page cache, so this
 * bounds the resident size without any risk to correctness.  With perf's
 * rounds a record stays queued for two rounds at most (every queued time is
 * at most the maximum the next-but-one flush delivers up to), so the pages in
 * use are those of the last two rounds.
 */
static void release_behind(struct perf_data *data, u64 pos)
{
	struct kp_reader *rd = data->rd;
	u64 low = pos;

	if (!data->base || data->is_pipe)
		return;
	__atomic_store_n(&rd->read_pos, pos, __ATOMIC_RELAXED);
	/* whether it works or not, try again a step (or, if held back, a bit) further */
	rd->release_next = pos + kp_max(rd->release_step / 8, rd->page_size);
	if (pos < rd->release_to + rd->release_step)
		return;
	for (size_t i = rd->q_head; i < rd->q_nr; i++) {
		const struct oe_entry *e = &rd->q[i];

		if (e->ev && !e->chunk && e->off < low)
			low = e->off;
	}
	/* in flight, A and B; given back: ~0 */
	for (int k = 0; k < OE_BATCHES; k++)
		low = kp_min(low, rd->batch[k].min_off);
	low &= ~(rd->release_align - 1);
	if (low < rd->release_to + rd->release_step)
		return;
	rd->release_to = low;
	rd->release_next = low + rd->release_step;
	if (rd->worker) {
		/* the unmapping (and its TLB flushes) is the worker's: this thread is the busier */
		__atomic_store_n(&rd->release_want, low, __ATOMIC_RELAXED);
		return;
	}
	madvise((void *)(data->base + rd->released), low - rd->released, MADV_DONTNEED);
	/* atomic: the worker's callbacks may ask (perf_data__released(), for tests) */
	__atomic_store_n(&rd->released, low, __ATOMIC_RELAXED);
}

/*
 * The worker, when no batch is waiting for it: fault in the pages the reading
 * thread is about to read (a touch per fault-around block maps the block:
 * 64 KiB by default), so that the reading thread - the busier one - takes
 * fewer page faults itself.  Ahead of where it was last seen by up to
 * PREFAULT_AHEAD (that much more resident); never below it, so never into
 * pages given back.  bench/stat.sh: the reading thread's CPU -15..-40 ms, the
 * worker's about as much more, balanced by doing it only when idle.
 */
#define PREFAULT_AHEAD (8u << 20)
#define PREFAULT_STRIDE (64u << 10)

static void prefault(struct perf_data *data)
{
	struct kp_reader *rd = data->rd;
	u64 pos = __atomic_load_n(&rd->read_pos, __ATOMIC_RELAXED);
	u64 from = kp_max(rd->prefault_to, pos + PREFAULT_STRIDE);
	/* the data section as checked, and the mapping in any case */
	u64 to = kp_min(kp_min(pos + PREFAULT_AHEAD, rd->data_end), data->size);
	u8 sink = 0;

	if (!data->base || data->is_pipe || !pos)
		return;
	from &= ~(u64)(PREFAULT_STRIDE - 1);
	for (u64 at = from; at < to; at += PREFAULT_STRIDE)
		sink ^= *(volatile const u8 *)(data->base + at);
	__asm__ volatile("" : : "r"(sink));
	if (to > rd->prefault_to)
		rd->prefault_to = to;
}

/* the worker, between batches: give back what the reading thread asked for */
static void worker_release(struct perf_data *data)
{
	struct kp_reader *rd = data->rd;
	u64 want = __atomic_load_n(&rd->release_want, __ATOMIC_RELAXED);
	u64 have = __atomic_load_n(&rd->released, __ATOMIC_RELAXED);

	if (want <= have)
		return;
	madvise((void *)(data->base + have), want - have, MADV_DONTNEED);
	__atomic_store_n(&rd->released, want, __ATOMIC_RELAXED);
}

u64 perf_data__released(const struct perf_data *data)
{
	return data->rd ? __atomic_load_n(&data->rd->released, __ATOMIC_RELAXED) : 0;
}

void perf_data__set_threaded(struct perf_data *data, int mode)
{
	data->rd->threaded = mode;
}

void perf_data__set_release_step(struct perf_data *data, u64 step)
{
	struct kp_reader *rd = data->rd;

	rd->release_step = KP_ALIGN(kp_max(step, (u64)1), rd->page_size);
	rd->release_next = rd->release_to + rd->release_step;
	/* the largest power of two not above the step, RELEASE_ALIGN at most */
	rd->release_align = kp_min((u64)RELEASE_ALIGN,
				   1ULL << (63 - __builtin_clzll(rd->release_step)));
	rd->release_align = kp_max(rd->release_align, rd->page_size);
}

/* ---------------------------------------------------------------- delivery */

static int deliver(struct perf_data *data, union perf_event *ev, struct evsel *evsel, u64 off)
{
	struct perf_tool *tool = data->rd->tool;
	struct perf_sample sample;
	event_op op = NULL;
	int err;

	if (ev->header.type == PERF_RECORD_SAMPLE) {
		err = perf_sample__parse(ev, evsel, &sample);
		if (err)
			return rec_error(data, err, off, kp_errmsg(err), ev->header.type,
					 ev->header.size);
		if (!tool->sample)
			return 0;
		return tool->sample(tool, ev, &sample, evsel);
	}
	switch (ev->header.type) {
	case PERF_RECORD_MMAP:
		op = tool->mmap;
		break;
	case PERF_RECORD_MMAP2:
		op = tool->mmap2;
		break;
	case PERF_RECORD_COMM:
		op = tool->comm;
		break;
	case PERF_RECORD_FORK:
		op = tool->fork;
		break;
	case PERF_RECORD_EXIT:
		op = tool->exit;
		break;
	case PERF_RECORD_LOST:
		op = tool->lost;
		break;
	case PERF_RECORD_LOST_SAMPLES:
		op = tool->lost_samples;
		break;
	case PERF_RECORD_THROTTLE:
		op = tool->throttle;
		break;
	case PERF_RECORD_UNTHROTTLE:
		op = tool->unthrottle;
		break;
	case PERF_RECORD_KSYMBOL:
		op = tool->ksymbol;
		break;
	case PERF_RECORD_SWITCH:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		op = tool->context_switch;
		break;
	default:
		op = tool->other;
		break;
	}
	if (!op)
		return 0;
	err = perf_sample__parse_id(ev, evsel, &sample);
	if (err)
		return rec_error(data, err, off, kp_errmsg(err), ev->header.type, ev->header.size);
	return op(tool, ev, &sample);
}

/* fixed body bytes (after the 8-byte header) each kernel record needs; 0 = unchecked */
static const u8 min_body[PERF_RECORD_USER_TYPE_START] = {
	[PERF_RECORD_MMAP] = 32,	[PERF_RECORD_LOST] = 16,
	[PERF_RECORD_COMM] = 8,		[PERF_RECORD_EXIT] = 24,
	[PERF_RECORD_THROTTLE] = 24,	[PERF_RECORD_UNTHROTTLE] = 24,
	[PERF_RECORD_FORK] = 24,	[PERF_RECORD_READ] = 8,
	[PERF_RECORD_MMAP2] = 64,	[PERF_RECORD_AUX] = 24,
	[PERF_RECORD_ITRACE_START] = 8, [PERF_RECORD_LOST_SAMPLES] = 8,
	[PERF_RECORD_SWITCH_CPU_WIDE] = 8, [PERF_RECORD_NAMESPACES] = 16,
	[PERF_RECORD_KSYMBOL] = 16,	[PERF_RECORD_BPF_EVENT] = 16,
	[PERF_RECORD_CGROUP] = 8,	[PERF_RECORD_TEXT_POKE] = 12,
	[21] = 8,
};

/* where the NUL-terminated string of a record starts (body offset); 0 = none */
static const u8 str_at[PERF_RECORD_USER_TYPE_START] = {
	[PERF_RECORD_MMAP] = 32,  [PERF_RECORD_MMAP2] = 64, [PERF_RECORD_COMM] = 8,
	[PERF_RECORD_KSYMBOL] = 16, [PERF_RECORD_CGROUP] = 8,
};

static int check_kernel_record(struct perf_data *data, const union perf_event *ev,
			       const struct evsel *evsel, u64 off)
{
	u32 type = ev->header.type, body = ev->header.size - 8u;
	u32 trailer = 0;

	if (type == PERF_RECORD_SAMPLE)
		return 0;
	if (data->evlist.sample_id_all)
		trailer = evsel->id_hdr_size;
	if (body < (u32)min_body[type] + trailer)
		return rec_error(data, KP_ERR_BAD_RECORD, off, "record too short for its fields",
				 type, ev->header.size);
	if (str_at[type]) {
		const char *s = (const char *)(&ev->header + 1) + str_at[type];

		if (!memchr(s, 0, body - trailer - str_at[type]))
			return rec_error(data, KP_ERR_BAD_RECORD, off,
					 "string not NUL-terminated inside the record", type,
					 ev->header.size);
	}
	return 0;
}

static int process_compressed(struct perf_data *data, union perf_event *ev, u64 off);
static int process_tracing_blob(struct perf_data *data, const void *blob, u64 size, u64 off);

static int process_attr_record(struct perf_data *data, union perf_event *ev, u64 off)
{
	const u8 *p = ev->attr.data;
	u32 body = ev->header.size - 8u, asz;
	struct kp_attr attr;
	struct evsel *evsel;
	u32 nr_ids;

	if (body < KP_ATTR_SIZE_VER0)
		return rec_error(data, KP_ERR_BAD_ATTR, off, "attr record too short", ev->header.type,
				 ev->header.size);
	memcpy(&asz, p + 4, 4);
	if (!asz)
		asz = KP_ATTR_SIZE_VER0;
	if (asz < KP_ATTR_SIZE_VER0 || asz > KP_ATTR_SIZE_MAX || asz > body)
		return rec_error(data, KP_ERR_BAD_ATTR, off, "attr size out of range (64..136)",
				 ev->header.type, ev->header.size);
	memset(&attr, 0, sizeof(attr));
	memcpy(&attr, p, asz);
	attr.size = asz;
	evsel = evsel__new(&attr, data->evlist.nr);
	nr_ids = (body - asz) / 8;
	if (nr_ids) {
		evsel->ids = xcalloc(nr_ids, sizeof(u64));
		memcpy(evsel->ids, p + asz, nr_ids * 8ul);
		evsel->nr_ids = nr_ids;
	}
	evlist__add(&data->evlist, evsel);
	return evlist__check(&data->evlist, data->path);
}

/*
 * perf's own record types.  *extra is set to the bytes that follow the record
 * in the stream without being counted in its size (tracing data, aux trace).
 */
static int process_user(struct perf_data *data, union perf_event *ev, u64 off, u64 *extra)
{
	struct perf_tool *tool = data->rd ? data->rd->tool : NULL;
	u32 body = ev->header.size - 8u;
	int err;

	/* these may call the tool or change what the worker reads: let it finish first */
	if (data->rd && ev->header.type != PERF_RECORD_FINISHED_ROUND &&
	    ev->header.type != PERF_RECORD_COMPRESSED &&
	    ev->header.type != PERF_RECORD_COMPRESSED2) {
		err = oe_wait(data->rd);
		if (err)
			return err;
	}
	switch (ev->header.type) {
	case PERF_RECORD_HEADER_ATTR:
		if (!data->is_pipe)
			return 0; /* file mode: the attrs section is authoritative */
		return process_attr_record(data, ev, off);
	case PERF_RECORD_HEADER_TRACING_DATA:
		if (body < 8)
			break;
		*extra = ev->tracing_data.size;
		return 0;
	case PERF_RECORD_AUXTRACE:
		if (body < 40)
			break;
		memcpy(extra, &ev->header + 1, 8);
		return 0;
	case PERF_RECORD_HEADER_BUILD_ID:
		if (body < sizeof(ev->build_id) - 8 ||
		    !memchr(ev->build_id.filename, 0, ev->header.size - sizeof(ev->build_id)))
			return rec_error(data, KP_ERR_BAD_RECORD, off,
					 "build-id record without a NUL-terminated file name",
					 ev->header.type, ev->header.size);
		return tool && tool->build_id ? tool->build_id(tool, ev) : 0;
	case PERF_RECORD_FINISHED_ROUND:
		if (tool && tool->ordered_events) {
			err = oe_flush(data, data->rd->next_flush);
			if (err)
				return err;
			data->rd->next_flush = data->rd->max_ts;
			release_behind(data, off);
		}
		if (!tool || !tool->finished_round)
			return 0;
		err = oe_wait(data->rd);
		return err ? err : tool->finished_round(tool);
	case PERF_RECORD_FINISHED_INIT:
		return tool && tool->finished_init ? tool->finished_init(tool) : 0;
	case PERF_RECORD_ID_INDEX: {
		u64 nr;

		if (body < 8)
			break;
		memcpy(&nr, &ev->id_index.nr, 8);
		if (nr > (body - 8) / sizeof(struct id_index_entry))
			return rec_error(data, KP_ERR_BAD_RECORD, off, "ID_INDEX count too large",
					 ev->header.type, ev->header.size);
		return 0;
	}
	case PERF_RECORD_HEADER_FEATURE: {
		u64 feat;

		if (body < 8)
			break;
		memcpy(&feat, &ev->feat.feat_id, 8);
		if (feat == HEADER_LAST_FEATURE)
			return 0;
		if (feat == 0 || feat >= HEADER_LAST_FEATURE) {
			pr_warning("'%s': unknown feature %llu in pipe data, ignored", data->path,
				   (unsigned long long)feat);
			return 0;
		}
		err = perf_header__read_feature(data, (int)feat, ev->feat.data, body - 8, off);
		if (err)
			return err;
		if (feat == HEADER_EVENT_DESC)
			perf_data__apply_event_desc(data);
		return 0;
	}
	case PERF_RECORD_COMPRESSED:
	case PERF_RECORD_COMPRESSED2:
		return process_compressed(data, ev, off);
	default:
		return 0;
	}
	return rec_error(data, KP_ERR_BAD_RECORD, off, "record too short for its fields",
			 ev->header.type, ev->header.size);
}

/* evlist__event2evsel(), with the samples' ids cached: ids never change owner */
static inline struct evsel *event2evsel(struct kp_reader *rd, const struct evlist *evlist,
					const union perf_event *ev)
{
	struct evsel *evsel;
	u64 id;

	if (ev->header.type != PERF_RECORD_SAMPLE || evlist->nr <= 1 || evlist->id_pos < 0 ||
	    (u32)evlist->id_pos >= (ev->header.size - 8u) / 8)
		return evlist__event2evsel(evlist, ev);
	memcpy(&id, (const u8 *)(&ev->header + 1) + 8 * evlist->id_pos, 8);
	if (rd->id_cache[id & 63].evsel && rd->id_cache[id & 63].id == id)
		return rd->id_cache[id & 63].evsel;
	evsel = evlist__event2evsel(evlist, ev);
	if (evsel) {
		rd->id_cache[id & 63].id = id;
		rd->id_cache[id & 63].evsel = evsel;
	}
	return evsel;
}

/* sample_peek() said 3: ask tool->sample_pack() again, event by event */
static void plans_stale(struct kp_reader *rd)
{
	for (u32 i = 0; i < rd->nr_layout; i++)
		rd->plan[i].mode = PLAN_UNSET;
}

/* record offset of sample field @bit in layout @l, 0: not there (or not one of those) */
static u16 layout_field(const struct sample_layout *l, u64 bit)
{
	switch (bit) {
	case PERF_SAMPLE_IP:
		return l->ip;
	case PERF_SAMPLE_TID:
		return l->tid;
	case PERF_SAMPLE_TIME:
		return l->time;
	case PERF_SAMPLE_ADDR:
		return l->addr;
	case PERF_SAMPLE_ID:
	case PERF_SAMPLE_IDENTIFIER:
		return l->id;
	case PERF_SAMPLE_STREAM_ID:
		return l->stream_id;
	case PERF_SAMPLE_CPU:
		return l->cpu;
	case PERF_SAMPLE_PERIOD:
		return l->period;
	default:
		return 0;
	}
}

/* ask tool->sample_pack() for @evsel's plan and compile it (PLAN_PEEK: none) */
static __attribute__((noinline)) void plan_ask(struct kp_reader *rd, struct evsel *evsel)
{
	struct pack_plan *p = &rd->plan[evsel->idx];
	struct sample_pack sp;
	struct sample_layout l;

	memset(p, 0, sizeof(*p));
	p->mode = PLAN_PEEK;
	if (!rd->tool->sample_pack)
		return;
	memset(&sp, 0, sizeof(sp));
	rd->tool->sample_pack(rd->tool, evsel, &sp);
	/* the full layout: the peek layout may leave out fields the tool does not read */
	sample_layout__init(&l, evsel);
	if (sp.mode == SAMPLE_PACK_PEEK || !l.simple || !l.time || (sp.raw_need && !l.raw))
		return;
	if (sp.mode == SAMPLE_PACK_COUNT && !sp.counter)
		return;
	if (sp.mode != SAMPLE_PACK_COUNT && sp.mode != SAMPLE_PACK_WORDS)
		return;
	for (int i = 0; i < 3; i++) {
		u32 size = sp.word[i].size;

		p->or[i] = sp.word[i].or;
		if (sp.word[i].field) {
			u16 at = layout_field(&l, sp.word[i].field);

			if (!at || __builtin_popcountll(sp.word[i].field) != 1)
				return;
			p->end[i] = at + 8;
			p->mask[i] = ~0ULL;
		} else if (size) {
			if ((size != 1 && size != 2 && size != 4 && size != 8) || !l.raw ||
			    (u64)sp.word[i].off + size > sp.raw_need)
				return;
			/* the bytes before the field are the record's too: RAW follows the header */
			p->end[i] = (u16)(l.raw + 4 + sp.word[i].off + size);
			p->shift[i] = (u8)(64 - 8 * size);
			p->mask[i] = ~0ULL;
		} else {
			p->end[i] = 8;
		}
		if (p->shift[i] == 64)
			p->shift[i] = 0;
	}
	if ((u64)l.raw + 4 + sp.raw_need > UINT16_MAX)
		return;
	p->time = l.time;
	p->raw = l.raw;
	p->min_size = l.raw ? (u32)l.raw + 4 : l.fixed;
	p->raw_need = sp.raw_need;
	p->counter = sp.counter;
	p->mode = sp.mode == SAMPLE_PACK_COUNT ? PLAN_COUNT : PLAN_WORDS;
}

/*
 * Queue what tool->sample_peek() said @ret of a sample of time @time: its
 * @payload (1, or 3: the plans so far are stale), or only its count (2).
 * Returns false for any other answer: the sample takes the ordinary way.
 */
static bool peek_queue(struct perf_data *data, int ret, u64 time, const u64 payload[3])
{
	struct oe_entry *e;

	if (ret == 2) {
		oe_new(data, time, ~0ULL, true);
		return true;
	}
	if (ret != 1 && ret != 3)
		return false;
	if (ret == 3)
		plans_stale(data->rd);
	e = oe_new(data, time, ~0ULL, false);
	e->ev = NULL;
	memcpy(e->payload, payload, sizeof(e->payload));
	return true;
}

/*
 * tool->sample_peek: hand a sample of a simple layout to the tool on this
 * thread and queue what it packed.  Returns 1 when done with the sample, 0 when
 * it takes the ordinary way.
 */
static int peek_sample(struct perf_data *data, union perf_event *ev, struct evsel *evsel)
{
	struct kp_reader *rd = data->rd;
	struct sample_layout *l;
	struct perf_sample *s;
	u64 payload[3];
	int ret;

	if ((u32)evsel->idx >= rd->nr_layout) {
		u32 n = kp_max((u32)evsel->idx + 1, (u32)data->evlist.nr);

		if (evsel->idx < 0)
			return 0;
		rd->layout = xrealloc(rd->layout, n * sizeof(*rd->layout));
		rd->peek_samples = xrealloc(rd->peek_samples, n * sizeof(*rd->peek_samples));
		rd->layout_done = xrealloc(rd->layout_done, n * sizeof(*rd->layout_done));
		rd->plan = xrealloc(rd->plan, n * sizeof(*rd->plan));
		memset(rd->layout_done + rd->nr_layout, 0, (n - rd->nr_layout) * sizeof(bool));
		memset(rd->plan + rd->nr_layout, 0, (n - rd->nr_layout) * sizeof(*rd->plan));
		/* not simple until done: scan_samples() leaves those to this function */
		memset(rd->layout + rd->nr_layout, 0, (n - rd->nr_layout) * sizeof(*rd->layout));
		rd->nr_layout = n;
	}
	l = &rd->layout[evsel->idx];
	s = &rd->peek_samples[evsel->idx];
	if (!rd->layout_done[evsel->idx]) {
		u64 want = rd->tool->sample_peek_fields;

		sample_layout__init(l, evsel);
		if (want) {
			/* fields not wanted are not copied (size and RAW are still checked) */
			if (!(want & PERF_SAMPLE_IP))
				l->ip = 0;
			if (!(want & PERF_SAMPLE_TID))
				l->tid = 0;
			if (!(want & PERF_SAMPLE_ADDR))
				l->addr = 0;
			if (!(want & (PERF_SAMPLE_ID | PERF_SAMPLE_IDENTIFIER)))
				l->id = 0;
			if (!(want & PERF_SAMPLE_STREAM_ID))
				l->stream_id = 0;
			if (!(want & PERF_SAMPLE_CPU))
				l->cpu = 0;
			if (!(want & PERF_SAMPLE_PERIOD))
				l->period = 0;
			sample_layout__compile(l);
		}
		perf_sample__init(s, ev, evsel);
		rd->layout_done[evsel->idx] = true;
	}
	if (!l->simple || !l->time || !perf_sample__parse_simple(ev, l, s))
		return 0;
	if (!s->time || s->time == ~0ULL)
		return 0;
	ret = rd->tool->sample_peek(rd->tool, evsel, s, payload);
	return peek_queue(data, ret, s->time, payload);
}

/*
 * The scan loops' first look at the record at @off: the event of an aligned,
 * whole SAMPLE whose id was seen before (the only event if there is one), or
 * NULL - the record is left to the general path.
 */
static inline __attribute__((always_inline)) struct evsel *
scan_evsel(const struct kp_reader *rd, const u8 *base, u64 off, u64 end, struct evsel *only,
	   int id_pos)
{
	const struct perf_event_header *h = (const struct perf_event_header *)(base + off);
	struct evsel *evsel;
	u32 size;
	u64 id;

	/* (misaligned records are copied first: the general path) */
	if (off & 7)
		return NULL;
	size = h->size;
	if (h->type != PERF_RECORD_SAMPLE || size < sizeof(*h) || size > end - off)
		return NULL;
	if (only)
		return only;
	if (id_pos < 0 || (u32)id_pos >= (size - 8u) / 8)
		return NULL;
	__builtin_memcpy(&id, base + off + 8 + 8 * id_pos, 8);
	evsel = rd->id_cache[id & 63].evsel;
	if (!evsel || rd->id_cache[id & 63].id != id)
		return NULL;
	return evsel;
}

/* scan_planned(): a batch being filled, its fields in locals */
struct lane {
	struct oe_batch *b;
	struct oe_entry *e;
	size_t nr, alloc, nr_dropped;
	u64 max_ts;
};

static inline __attribute__((always_inline)) void lane_load(struct lane *l, struct oe_batch *b)
{
	l->b = b;
	l->e = b->e;
	l->nr = b->nr;
	l->alloc = b->alloc;
	l->nr_dropped = b->nr_dropped;
	l->max_ts = b->max_ts;
}

static inline __attribute__((always_inline)) void lane_store(const struct lane *l)
{
	l->b->e = l->e;
	l->b->nr = l->nr;
	l->b->alloc = l->alloc;
	l->b->nr_dropped = l->nr_dropped;
	l->b->max_ts = l->max_ts;
}

/*
 * The planned part of scan_samples(): from @off, the samples whose event has a
 * PLAN_WORDS or PLAN_COUNT plan, each packed or counted and queued as
 * oe_new() and oe_append() would, with the state they touch in locals (the
 * compiler keeps those in registers: stores through the entries could alias
 * them in memory).  Batches A and B stay the same throughout: nothing is
 * submitted here.  Returns where it stopped: a record it does not take, or @end.
 */
static u64 scan_planned(struct perf_data *data, u64 off, u64 end, u64 *nr_out)
{
	struct kp_reader *rd = data->rd;
	const u8 *base = data->base;
	struct evsel *only = data->evlist.nr == 1 ? data->evlist.entries[0] : NULL;
	const int id_pos = data->evlist.nr > 1 ? data->evlist.id_pos : -1;
	const struct pack_plan *plans = rd->plan;
	const u64 next_flush = rd->next_flush, last_flush = rd->last_flush;
	/* oe_new(): the maximum starts over when nothing is queued */
	u64 max_ts = rd->nr_pending ? rd->max_ts : 0;
	u64 nr_unordered = 0, stop;
	size_t before, taken;
	struct lane lane[2];

	/* no plan yet: peek_sample() makes room for every event's when it first runs */
	if (end - off < sizeof(struct perf_event_header) || rd->nr_layout < (u32)data->evlist.nr)
		return off;
	/* both batches free to fill (may wait for the worker) */
	lane_load(&lane[0], oe_slot(rd, rd->nr_submitted));
	lane_load(&lane[1], oe_slot(rd, rd->nr_submitted + 1));
	/* (what it takes is counted from the batches at the end) */
	before = lane[0].nr + lane[0].nr_dropped + lane[1].nr + lane[1].nr_dropped;
	/* records that start below @stop: a whole header fits, no release is due */
	stop = kp_min(rd->release_next, end - sizeof(struct perf_event_header) + 1);
	for (;;) {
		const u8 *r = base + off;
		struct evsel *evsel;
		const struct pack_plan *p;
		struct lane *l;
		u32 size;
		u64 ts;

		if (off >= stop) {
			if (end - off < sizeof(struct perf_event_header))
				break;
			release_behind(data, off);
			stop = kp_min(rd->release_next, end - sizeof(struct perf_event_header) + 1);
			/* (the release may not be possible yet: then again a bit further on) */
			if (off >= stop)
				stop = off + 1;
		}
		evsel = scan_evsel(rd, base, off, end, only, id_pos);
		if (!evsel)
			break;
		size = ((const struct perf_event_header *)r)->size;
		p = &plans[evsel->idx];
		if (p->mode < PLAN_WORDS || size < p->min_size)
			break;
		if (p->raw) {
			u32 rs;

			__builtin_memcpy(&rs, r + p->raw, 4);
			if (rs > size - p->raw - 4u || rs < p->raw_need)
				break;
		}
		__builtin_memcpy(&ts, r + p->time, 8);
		if (!ts || ts == ~0ULL)
			break;
		__builtin_prefetch(r + 1024);
		/* oe_new() */
		nr_unordered += ts < last_flush;
		if (ts >= max_ts)
			max_ts = ts;
		/* oe_append(): batch A if due at the next flush, else B */
		l = &lane[ts > next_flush];
		if (ts > l->max_ts)
			l->max_ts = ts;
		if (p->mode == PLAN_COUNT) {
			(*p->counter)++;
			l->nr_dropped++;
		} else {
			struct oe_entry *e;
			u64 w0, w1, w2;

			if (l->nr == l->alloc)
				ALLOC_GROW(l->e, l->nr + 1, l->alloc);
			__builtin_memcpy(&w0, r + p->end[0] - 8, 8);
			__builtin_memcpy(&w1, r + p->end[1] - 8, 8);
			__builtin_memcpy(&w2, r + p->end[2] - 8, 8);
			e = &l->e[l->nr++];
			e->ts = ts;
			e->ev = NULL;
			e->payload[0] = (w0 >> p->shift[0] & p->mask[0]) | p->or[0];
			e->payload[1] = (w1 >> p->shift[1] & p->mask[1]) | p->or[1];
			e->payload[2] = (w2 >> p->shift[2] & p->mask[2]) | p->or[2];
		}
		off += size;
	}
	lane_store(&lane[0]);
	lane_store(&lane[1]);
	rd->max_ts = max_ts;
	taken = lane[0].nr + lane[0].nr_dropped + lane[1].nr + lane[1].nr_dropped - before;
	rd->nr_pending += taken;
	data->stats.nr_unordered += nr_unordered;
	*nr_out += taken;
	return off;
}

/*
 * tool->sample_peek, file mode, host byte order: a tight loop over the records
 * that need nothing but the fast path - aligned SAMPLEs of an id seen before,
 * of an event with a simple layout, with a time - doing for each what
 * process_file() and process_event() would: those with a plan in
 * scan_planned(), the others through sample_peek().  Returns the offset of
 * the first record it leaves to them.
 */
static u64 scan_samples(struct perf_data *data, u64 off, u64 end)
{
	struct kp_reader *rd = data->rd;
	struct perf_tool *tool = rd->tool;
	const u8 *base = data->base;
	/* loop invariants the compiler cannot see as such (the stores may alias) */
	struct evsel *only = data->evlist.nr == 1 ? data->evlist.entries[0] : NULL;
	const int id_pos = data->evlist.nr > 1 ? data->evlist.id_pos : -1;
	const struct sample_layout *layout = rd->layout;
	struct perf_sample *samples = rd->peek_samples;
	struct pack_plan *plans = rd->plan;
	const u32 nr_layout = rd->nr_layout;
	u64 nr = 0;

	while (end - off >= sizeof(struct perf_event_header)) {
		union perf_event *ev;
		u32 size;
		const struct sample_layout *l;
		const struct pack_plan *p;
		struct perf_sample *s;
		struct evsel *evsel;
		u64 payload[3];
		int ret;

		off = scan_planned(data, off, end, &nr);
		if (end - off < sizeof(struct perf_event_header))
			break;
		evsel = scan_evsel(rd, base, off, end, only, id_pos);
		if (!evsel || (u32)evsel->idx >= nr_layout)
			break;
		ev = (union perf_event *)(base + off);
		size = ev->header.size;
		p = &plans[evsel->idx];
		/* (with a plan, scan_planned() found the sample short or without a time) */
		if (p->mode == PLAN_UNSET && rd->layout_done[evsel->idx] && tool->sample_pack) {
			plan_ask(rd, evsel);
			continue;
		}
		l = &layout[evsel->idx];
		s = &samples[evsel->idx];
		if (!l->simple || !l->time || !perf_sample__parse_simple(ev, l, s) ||
		    !s->time || s->time == ~0ULL)
			break;
		__builtin_prefetch(base + off + 1024);
		if (off >= rd->release_next)
			release_behind(data, off);
		nr++;
		ret = tool->sample_peek(tool, evsel, s, payload);
		/* after a "no", what process_event() does with it */
		if (!peek_queue(data, ret, s->time, payload))
			oe_queue(data, ev, evsel, NULL, s->time, off);
		off += size;
	}
	data->stats.nr_events[PERF_RECORD_SAMPLE] += nr;
	data->stats.nr_samples += nr;
	return off;
}

/* account, then queue or deliver one record (already in host byte order) */
static int process_event(struct perf_data *data, union perf_event *ev, struct kp_chunk *chunk,
			 u64 off, u64 *extra)
{
	struct kp_reader *rd = data->rd;
	u32 type = ev->header.type;
	struct evsel *evsel;
	int err;

	if (type < PERF_RECORD_KP_MAX)
		data->stats.nr_events[type]++;
	else
		data->stats.nr_unknown_events++;
	if (type >= PERF_RECORD_USER_TYPE_START)
		return process_user(data, ev, off, extra);

	if (!data->evlist.nr)
		return rec_error(data, KP_ERR_NO_EVSEL, off, "record before any event attr", type,
				 ev->header.size);
	if (type != PERF_RECORD_SAMPLE && data->evlist.sample_id_all &&
	    ev->header.size - 8u < data->evlist.entries[0]->id_hdr_size)
		return rec_error(data, KP_ERR_BAD_RECORD, off,
				 "record too short for its sample_id trailer", type, ev->header.size);
	evsel = event2evsel(rd, &data->evlist, ev);
	if (!evsel)
		return rec_error(data, KP_ERR_NO_EVSEL, off,
				 "record whose sample id matches no event", type, ev->header.size);
	err = check_kernel_record(data, ev, evsel, off);
	if (err)
		return err;
	switch (type) {
	case PERF_RECORD_SAMPLE:
		data->stats.nr_samples++;
		if (rd->tool->sample_peek && rd->worker && peek_sample(data, ev, evsel))
			return 0;
		break;
	case PERF_RECORD_LOST:
		data->stats.total_lost += ev->lost.lost;
		break;
	case PERF_RECORD_LOST_SAMPLES:
		data->stats.total_lost_samples += ev->lost_samples.lost;
		break;
	default:
		break;
	}
	if (rd->tool->ordered_events) {
		u64 ts = event_timestamp(ev, evsel);

		if (ts && ts != ~0ULL) {
			oe_queue(data, ev, evsel, chunk, ts, off);
			return 0;
		}
	}
	err = oe_wait(rd);
	return err ? err : deliver(data, ev, evsel, off);
}

/* a private, aligned copy of @size bytes (for swapping or realignment) */
static union perf_event *copy_record(struct kp_reader *rd, const void *src, size_t size,
				     struct kp_chunk **chunk)
{
	size_t need = KP_ALIGN(size, 8);
	u8 *dst;

	if (!rd->copy || rd->copy_used + need > rd->copy->cap) {
		if (rd->copy && !rd->copy->refs && need <= rd->copy->cap) {
			rd->copy_used = 0;
		} else {
			chunk_close(rd->copy);
			rd->copy = chunk_new(kp_max((size_t)CHUNK_SIZE, need));
			rd->copy_used = 0;
		}
	}
	dst = chunk_bytes(rd->copy) + rd->copy_used;
	memcpy(dst, src, size);
	rd->copy_used += need;
	*chunk = rd->copy;
	return (union perf_event *)dst;
}

static inline void swap_header(struct perf_event_header *h)
{
	h->type = kp_bswap32(h->type);
	h->misc = kp_bswap16(h->misc);
	h->size = kp_bswap16(h->size);
}

static int read_rec_header(struct perf_data *data, const u8 *p, struct perf_event_header *h,
			   u64 off, u64 avail)
{
	memcpy(h, p, sizeof(*h));
	if (data->header.needs_swap)
		swap_header(h);
	if (h->size < sizeof(*h))
		return rec_error(data, KP_ERR_BAD_RECORD, off,
				 h->size ? "record smaller than its 8-byte header" : "record of size 0",
				 h->type, h->size);
	if (h->size > avail)
		return rec_error(data, KP_ERR_TRUNCATED, off,
				 "record runs past the end of the data", h->type, h->size);
	return 0;
}

/* ---------------------------------------------------------------- zstd */

static int process_compressed(struct perf_data *data, union perf_event *ev, u64 off)
{
	struct kp_reader *rd = data->rd;
	const u8 *src = ev->pack.data;
	size_t src_len = ev->header.size - 8u;
	size_t left = rd->dec ? rd->dec_len - rd->dec_pos : 0;
	size_t cap = kp_max((size_t)PIPE_CHUNK_SIZE, left + src_len * 8);
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	struct kp_chunk *nc;

	if (!rd->tool)
		return 0; /* open-time scan in pipe mode never gets here */
	if (ev->header.type == PERF_RECORD_COMPRESSED2) {
		u64 dsz;

		if (src_len < 8)
			return rec_error(data, KP_ERR_BAD_RECORD, off, "record too short",
					 ev->header.type, ev->header.size);
		memcpy(&dsz, src, 8);
		if (dsz > src_len - 8)
			return rec_error(data, KP_ERR_BAD_RECORD, off,
					 "compressed size exceeds the record", ev->header.type,
					 ev->header.size);
		src += 8;
		src_len = dsz;
	}
	if (!rd->zstd) {
		rd->zstd = ZSTD_createDStream();
		if (!rd->zstd)
			return kp_error(-ENOMEM, "cannot create a zstd decompression stream");
		ZSTD_initDStream(rd->zstd);
	}
	/* a hint from the file: believed up to 256 MiB (fuzz finding: 2 GiB mallocs) */
	if (data->header.comp_mmap_len && data->header.comp_mmap_len <= (256u << 20))
		cap = kp_max(cap, left + data->header.comp_mmap_len);
	if (rd->dec && !rd->dec->refs && rd->dec->cap >= cap) {
		nc = rd->dec;
		memmove(chunk_bytes(nc), chunk_bytes(nc) + rd->dec_pos, left);
	} else {
		nc = chunk_new(cap);
		if (left)
			memcpy(chunk_bytes(nc), chunk_bytes(rd->dec) + rd->dec_pos, left);
		chunk_close(rd->dec);
	}
	rd->dec = nc;
	rd->dec_pos = 0;
	in.src = src;
	in.size = src_len;
	in.pos = 0;
	out.dst = chunk_bytes(nc);
	out.size = nc->cap;
	out.pos = left;
	for (;;) {
		size_t ret = ZSTD_decompressStream(rd->zstd, &out, &in);

		if (ZSTD_isError(ret)) {
			rd->dec_len = 0;
			return rec_error(data, KP_ERR_CORRUPT, off, ZSTD_getErrorName(ret),
					 ev->header.type, ev->header.size);
		}
		if (in.pos == in.size && out.pos < out.size)
			break;
		if (out.pos == out.size) {
			/* a ring buffer's worth is at most 1 GiB: more is a zstd bomb */
			if (nc->cap >= (1u << 30)) {
				rd->dec_len = 0;
				return rec_error(data, KP_ERR_CORRUPT, off,
						 "decompresses to more than 1 GiB", ev->header.type,
						 ev->header.size);
			}
			/* nothing points into nc yet: it may move */
			nc->cap *= 2;
			nc = xrealloc(nc, sizeof(*nc) + nc->cap);
			rd->dec = nc;
			out.dst = chunk_bytes(nc);
			out.size = nc->cap;
		}
	}
	rd->dec_len = out.pos;

	while (rd->dec_len - rd->dec_pos >= sizeof(struct perf_event_header)) {
		u8 *p = chunk_bytes(nc) + rd->dec_pos;
		union perf_event *inner = (union perf_event *)p;
		struct perf_event_header h;
		u64 extra = 0;
		int err;

		memcpy(&h, p, sizeof(h));
		if (data->header.needs_swap)
			swap_header(&h);
		if (h.size < sizeof(h))
			return rec_error(data, KP_ERR_BAD_RECORD, off,
					 "decompressed record smaller than its header", h.type,
					 h.size);
		if (h.size > rd->dec_len - rd->dec_pos)
			break; /* continues in the next COMPRESSED record */
		if (data->header.needs_swap) {
			inner->header = h;
			err = kp_event__swap(inner, &data->evlist, data->evlist.sample_id_all);
			if (err)
				return rec_error(data, err, off, kp_errmsg(err), h.type, h.size);
		}
		if (h.type == PERF_RECORD_COMPRESSED || h.type == PERF_RECORD_COMPRESSED2)
			return rec_error(data, KP_ERR_BAD_RECORD, off,
					 "compressed record inside compressed data", h.type, h.size);
		if (((uintptr_t)p & 7)) {
			struct kp_chunk *cc;

			inner = copy_record(rd, p, h.size, &cc);
			err = process_event(data, inner, cc, off, &extra);
		} else {
			err = process_event(data, inner, nc, off, &extra);
		}
		if (err)
			return err;
		rd->dec_pos += h.size;
		if (extra) {
			if (extra > rd->dec_len - rd->dec_pos)
				return rec_error(data, KP_ERR_UNSUPPORTED, off,
						 "trailing payload split across compressed records",
						 h.type, h.size);
			if (h.type == PERF_RECORD_HEADER_TRACING_DATA) {
				err = process_tracing_blob(data, chunk_bytes(nc) + rd->dec_pos,
							   extra, off);
				if (err)
					return err;
			}
			rd->dec_pos += extra;
		}
	}
	return 0;
}

static int process_tracing_blob(struct perf_data *data, const void *blob, u64 size, u64 off)
{
	int err;

	if (data->tep) {
		tep_free(data->tep);
		data->tep = NULL;
	}
	for (int i = 0; i < data->evlist.nr; i++)
		data->evlist.entries[i]->tp_format = NULL;
	err = tracing_data__parse(&data->tep, blob, size);
	if (err)
		return rec_error(data, err, off, kp_errmsg(err), PERF_RECORD_HEADER_TRACING_DATA, 16);
	free(data->header.tracing_data);
	data->header.tracing_data = xmemdup(blob, size);
	data->header.tracing_data_size = size;
	return perf_data__attach_tracing(data);
}

/* ---------------------------------------------------------------- file mode */

static int check_section(struct perf_data *data, const char *what, const struct perf_file_section *s)
{
	if (s->offset > data->size || s->size > data->size - s->offset)
		return kp_error(KP_ERR_TRUNCATED,
				"'%s': %s section at offset %#llx, %llu bytes, ends past the end of "
				"the file (file is %llu bytes)", data->path, what,
				(unsigned long long)s->offset, (unsigned long long)s->size,
				(unsigned long long)data->size);
	return 0;
}

static int read_attrs(struct perf_data *data)
{
	struct perf_file_header *fh = &data->header.file;
	u64 nr, cur = fh->attrs.offset, end = fh->attrs.offset + fh->attrs.size;
	bool swap = data->header.needs_swap;

	if (fh->attr_size == 0)
		return kp_error(KP_ERR_BAD_ATTR, "'%s': attr size field is 0 in the file header",
				data->path);
	if (fh->attr_size < KP_ATTR_SIZE_VER0 + 16 || fh->attr_size > KP_ATTR_SIZE_MAX + 16)
		return kp_error(KP_ERR_BAD_ATTR,
				"'%s': attr size %llu in the file header is out of range (80..152)",
				data->path, (unsigned long long)fh->attr_size);
	nr = fh->attrs.size / fh->attr_size;
	if (!nr)
		return kp_error(KP_ERR_NO_DATA, "'%s': the file has no event attrs (attrs section "
				"at offset %#llx is %llu bytes)", data->path,
				(unsigned long long)fh->attrs.offset,
				(unsigned long long)fh->attrs.size);
	for (u64 i = 0; i < nr; i++) {
		struct kp_attr attr;
		struct perf_file_section ids;
		struct evsel *evsel;
		u32 asz;

		if (end - cur < KP_ATTR_SIZE_VER0)
			goto trunc;
		memcpy(&asz, data->base + cur + 4, 4);
		if (swap)
			asz = kp_bswap32(asz);
		if (!asz)
			asz = KP_ATTR_SIZE_VER0;
		if (asz < KP_ATTR_SIZE_VER0 || asz > KP_ATTR_SIZE_MAX)
			return kp_error(KP_ERR_BAD_ATTR,
					"'%s': attr %llu at offset %#llx has size %u, outside 64..136 "
					"(file is %llu bytes)", data->path, (unsigned long long)i,
					(unsigned long long)cur, asz, (unsigned long long)data->size);
		if (end - cur < (u64)asz + 16)
			goto trunc;
		memset(&attr, 0, sizeof(attr));
		memcpy(&attr, data->base + cur, asz);
		if (swap)
			kp_attr__swap(&attr, asz);
		attr.size = asz;
		memcpy(&ids, data->base + cur + asz, sizeof(ids));
		if (swap) {
			ids.offset = kp_bswap64(ids.offset);
			ids.size = kp_bswap64(ids.size);
		}
		if (ids.offset > data->size || ids.size > data->size - ids.offset)
			return kp_error(KP_ERR_TRUNCATED,
					"'%s': ids of attr %llu at offset %#llx (%llu bytes) lie past "
					"the end of the file (file is %llu bytes)", data->path,
					(unsigned long long)i, (unsigned long long)ids.offset,
					(unsigned long long)ids.size, (unsigned long long)data->size);
		evsel = evsel__new(&attr, (int)i);
		evsel->nr_ids = (u32)kp_min(ids.size / 8, (u64)UINT32_MAX);
		if (evsel->nr_ids) {
			evsel->ids = xcalloc(evsel->nr_ids, sizeof(u64));
			memcpy(evsel->ids, data->base + ids.offset, evsel->nr_ids * 8ul);
			if (swap)
				for (u32 j = 0; j < evsel->nr_ids; j++)
					evsel->ids[j] = kp_bswap64(evsel->ids[j]);
		}
		evlist__add(&data->evlist, evsel);
		cur += asz + 16;
	}
	return evlist__check(&data->evlist, data->path);
trunc:
	return kp_error(KP_ERR_TRUNCATED,
			"'%s': attrs section truncated at offset %#llx (section ends at %#llx, "
			"file is %llu bytes)", data->path, (unsigned long long)cur,
			(unsigned long long)end, (unsigned long long)data->size);
}

static int read_features(struct perf_data *data)
{
	struct perf_header *h = &data->header;
	struct perf_file_header *fh = &h->file;
	u64 feat_off = fh->data.offset + fh->data.size;
	u64 bits[HEADER_FEAT_BITS / 64];
	u32 nr = 0;
	int err;

	h->feat_offset = feat_off;
	memcpy(bits, fh->adds_features, sizeof(bits));
	for (int i = 0; i < HEADER_FEAT_BITS / 64; i++)
		nr += (u32)__builtin_popcountll(bits[i]);
	if (!nr)
		return 0;
	if (feat_off > data->size || (u64)nr * 16 > data->size - feat_off)
		return kp_error(KP_ERR_TRUNCATED,
				"'%s': feature table of %u entries at offset %#llx runs past the end "
				"of the file (file is %llu bytes)", data->path, nr,
				(unsigned long long)feat_off, (unsigned long long)data->size);
	for (int feat = 1, idx = 0; feat < HEADER_LAST_FEATURE; feat++) {
		struct perf_file_section s;

		if (!((bits[feat / 64] >> (feat % 64)) & 1))
			continue;
		memcpy(&s, data->base + feat_off + 16 * (u64)idx++, sizeof(s));
		if (h->needs_swap) {
			s.offset = kp_bswap64(s.offset);
			s.size = kp_bswap64(s.size);
		}
		if (s.offset > data->size || s.size > data->size - s.offset)
			return kp_error(KP_ERR_BAD_FEATURE,
					"'%s': %s feature section at offset %#llx (%llu bytes) lies "
					"past the end of the file (file is %llu bytes)", data->path,
					perf_header__feat_name(feat), (unsigned long long)s.offset,
					(unsigned long long)s.size, (unsigned long long)data->size);
		h->feat_sec[feat] = s;
		err = perf_header__read_feature(data, feat, data->base + s.offset, s.size, s.offset);
		if (err)
			return err;
	}
	/* bits past the last known feature: present, not interpreted */
	for (int feat = HEADER_LAST_FEATURE; feat < HEADER_FEAT_BITS; feat++)
		if ((bits[feat / 64] >> (feat % 64)) & 1)
			perf_header__set_feat(h, feat);
	return 0;
}

#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* tracefs name "sys:event" of tracepoint @id on the running kernel, searching @sys first */
static int local_tp_name(const char *dir, u64 id, struct strbuf *name)
{
	char **systems = tracefs_event_systems(dir);
	int found = -ENOENT;

	for (int pass = 0; pass < 2 && found; pass++) {
		for (int i = 0; systems && systems[i] && found; i++) {
			char **events;

			if ((pass == 0) != !strcmp(systems[i], "kvm"))
				continue;
			events = tracefs_system_events(dir, systems[i]);
			for (int j = 0; events && events[j] && found; j++) {
				struct strbuf p = STRBUF_INIT, v = STRBUF_INIT;

				strbuf_addf(&p, "%s/events/%s/%s/id", dir, systems[i], events[j]);
				if (strbuf_read_file(&v, p.buf, 64) > 0 && strtoull(v.buf, NULL, 10) == id) {
					strbuf_addf(name, "%s:%s", systems[i], events[j]);
					found = 0;
				}
				strbuf_release(&p);
				strbuf_release(&v);
			}
			tracefs_list_free(events);
		}
	}
	tracefs_list_free(systems);
	return found;
}
#endif

/*
 * A killed recorder never wrote the TRACING_DATA feature.  Its tracepoint ids
 * are still valid on the kernel that recorded them (until the next boot), so
 * take the formats from this machine's tracefs, and say so.  Not done in
 * fuzzing builds (the ids there are random and tracefs is slow).
 */
static void recover_tracing(struct perf_data *data)
{
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	const char *dir;
	char **names = NULL;
	struct strbuf blob = STRBUF_INIT, list = STRBUF_INIT;
	int nr = 0;

	if (data->tep)
		return;
	for (int i = 0; i < data->evlist.nr; i++)
		if (data->evlist.entries[i]->attr.type == PERF_TYPE_TRACEPOINT)
			nr++;
	if (!nr || !(dir = tracefs_tracing_dir()))
		return;
	names = xcalloc((size_t)nr, sizeof(*names));
	nr = 0;
	for (int i = 0; i < data->evlist.nr; i++) {
		struct strbuf name = STRBUF_INIT;
		u64 id = data->evlist.entries[i]->attr.config;

		if (data->evlist.entries[i]->attr.type != PERF_TYPE_TRACEPOINT)
			continue;
		if (local_tp_name(dir, id, &name)) {
			strbuf_release(&name);
			goto out; /* attach_tracing() then reports the missing tracing data */
		}
		strbuf_addf(&list, "%s%s", nr ? ", " : "", name.buf);
		names[nr++] = strbuf_detach(&name, NULL);
	}
	if (tracing_data__build(&blob, (const char *const *)names, nr) ||
	    tracing_data__parse(&data->tep, blob.buf, blob.len)) {
		data->tep = NULL;
		goto out;
	}
	pr_warning("'%s': the interrupted recording has no tracepoint formats; using this "
		   "machine's formats for %s (right only if it was recorded on this machine since "
		   "its last boot)", data->path, list.buf);
out:
	for (int i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	strbuf_release(&blob);
	strbuf_release(&list);
#endif
}

static int open_file_mode(struct perf_data *data)
{
	struct perf_header *h = &data->header;
	struct perf_file_header *fh = &h->file;
	int err;

	if (data->size < PERF_FILE_HEADER_SIZE)
		return kp_error(KP_ERR_TRUNCATED,
				"'%s': file too small for a perf.data header (file is %llu bytes, "
				"need %d)", data->path, (unsigned long long)data->size,
				PERF_FILE_HEADER_SIZE);
	memcpy(fh, data->base, sizeof(*fh));
	if (h->needs_swap) {
		u64 *w = (u64 *)fh;

		for (size_t i = 1; i < 9; i++) /* size .. event_types */
			w[i] = kp_bswap64(w[i]);
		for (int i = 0; i < 4; i++)
			fh->adds_features[i] = kp_bswap64(fh->adds_features[i]);
		if (!((fh->adds_features[0] >> HEADER_HOSTNAME) & 1)) {
			/* written by a 32-bit perf: the bitmap was u32 words */
			u32 *v = (u32 *)fh->adds_features;

			memcpy(fh->adds_features, (const u8 *)data->base + 72, 32);
			for (int i = 0; i < 8; i++)
				v[i] = kp_bswap32(v[i]);
			if (!((fh->adds_features[0] >> HEADER_HOSTNAME) & 1)) {
				memset(fh->adds_features, 0, 32);
				fh->adds_features[0] = 1ULL << HEADER_BUILD_ID;
			}
		}
	}
	if (fh->size != PERF_FILE_HEADER_SIZE)
		return kp_error(KP_ERR_UNSUPPORTED,
				"'%s': header size %llu at offset 0x8, expected %d (file is %llu bytes)",
				data->path, (unsigned long long)fh->size, PERF_FILE_HEADER_SIZE,
				(unsigned long long)data->size);
	if ((err = check_section(data, "attrs", &fh->attrs)))
		return err;
	if ((err = check_section(data, "data", &fh->data)))
		return err;
	if (fh->attrs.offset < fh->size || fh->data.offset < fh->size)
		return kp_error(KP_ERR_CORRUPT,
				"'%s': attrs (offset %#llx) or data (offset %#llx) overlap the header",
				data->path, (unsigned long long)fh->attrs.offset,
				(unsigned long long)fh->data.offset);
	if (fh->attrs.offset < fh->data.offset + fh->data.size &&
	    fh->data.offset < fh->attrs.offset + fh->attrs.size)
		return kp_error(KP_ERR_CORRUPT,
				"'%s': attrs section (offset %#llx) overlaps the data section "
				"(offset %#llx)", data->path, (unsigned long long)fh->attrs.offset,
				(unsigned long long)fh->data.offset);
	if (fh->data.size == 0)
		pr_warning("The %s file's data size field is 0 which is unexpected.\n"
			   "Was the 'perf record' command properly terminated?", data->path);
	if ((err = read_attrs(data)))
		return err;
	if ((err = read_features(data)))
		return err;
	if (!fh->data.size && !(fh->adds_features[0] | fh->adds_features[1] |
				fh->adds_features[2] | fh->adds_features[3]))
		recover_tracing(data);
	if ((err = perf_data__attach_tracing(data)))
		return err;
	perf_data__apply_event_desc(data);
	return 0;
}

/*
 * Recovery of a file whose recorder was killed (provisional header: data size
 * 0, no feature sections): the data runs to EOF, possibly ending inside a
 * record.  Walk the record headers and stop after the last complete record;
 * say how much was recovered and what was cut off.  Every complete record is
 * kept (also those after the last FINISHED_ROUND: the ordered queue flushes
 * them at the end), so nothing that reached the disk is lost.
 */
static u64 recover_end(struct perf_data *data, u64 off, u64 end)
{
	u64 good = off, rounds = 0, round_end = off;

	while (end - good >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;

		memcpy(&h, data->base + good, sizeof(h));
		if (data->header.needs_swap)
			swap_header(&h);
		if (h.size < sizeof(h) || h.size > end - good)
			break;
		good += h.size;
		if (h.type == PERF_RECORD_FINISHED_ROUND) {
			rounds++;
			round_end = good;
		}
	}
	pr_warning("'%s': the header has no data size and no feature sections: the recording "
		   "was interrupted; recovering %llu complete rounds up to offset %#llx and "
		   "%llu bytes of records after the last round%s",
		   data->path, (unsigned long long)rounds, (unsigned long long)round_end,
		   (unsigned long long)(good - round_end),
		   good < end ? "; the incomplete record at the end is ignored" : "");
	if (good < end)
		pr_warning("'%s': ignoring %llu bytes at offset %#llx (file is %llu bytes)",
			   data->path, (unsigned long long)(end - good), (unsigned long long)good,
			   (unsigned long long)data->size);
	return good;
}

static int process_file(struct perf_data *data)
{
	struct kp_reader *rd = data->rd;
	struct perf_file_header *fh = &data->header.file;
	u64 off = fh->data.offset;
	bool any_feat = fh->adds_features[0] | fh->adds_features[1] | fh->adds_features[2] |
			fh->adds_features[3];
	/* a provisional header (data size 0, no features) means "data runs to EOF" */
	u64 end = fh->data.size || any_feat ? fh->data.offset + fh->data.size : data->size;
	bool swap = data->header.needs_swap;
	bool scan = !swap && rd->tool->sample_peek && rd->worker;

	if (!fh->data.size && !any_feat)
		end = recover_end(data, off, end);
	rd->data_end = end;
	while (off < end) {
		struct perf_event_header h;
		union perf_event *ev = (union perf_event *)(data->base + off);
		struct kp_chunk *chunk = NULL;
		u64 extra = 0;
		int err;

		if (scan) {
			off = scan_samples(data, off, end);
			if (off >= end)
				break;
			ev = (union perf_event *)(data->base + off);
		}
		/* the records are parsed one after the other: keep the memory ahead coming */
		__builtin_prefetch(data->base + off + 1024);
		/* nothing queued (unordered delivery, or between rounds): all behind is done */
		if (off >= rd->release_next && rd->q_head == rd->q_nr)
			release_behind(data, off);
		if (end - off < sizeof(h))
			return kp_error(KP_ERR_TRUNCATED,
					"'%s': the data ends %llu bytes into a record header at offset "
					"%#llx (file is %llu bytes)",
					data->path, (unsigned long long)(end - off),
					(unsigned long long)off, (unsigned long long)data->size);
		err = read_rec_header(data, data->base + off, &h, off, end - off);
		if (err)
			return err;
		if (swap || (off & 7)) {
			ev = copy_record(rd, ev, h.size, &chunk);
			if (swap) {
				ev->header = h;
				err = kp_event__swap(ev, &data->evlist, data->evlist.sample_id_all);
				if (err)
					return rec_error(data, err, off, kp_errmsg(err), h.type,
							 h.size);
			}
		}
		err = process_event(data, ev, chunk, off, &extra);
		if (err)
			return err;
		off += h.size;
		if (extra) {
			if (extra > end - off)
				return rec_error(data, KP_ERR_TRUNCATED, off - h.size,
						 "payload following the record runs past the end",
						 h.type, h.size);
			if (h.type == PERF_RECORD_HEADER_TRACING_DATA) {
				err = process_tracing_blob(data, data->base + off, extra,
							   off - h.size);
				if (err)
					return err;
			}
			off += extra;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- pipe mode */

/* make @need bytes available at pipe_pos: 1 ok, 0 clean EOF (nothing left), <0 error */
static int pipe_need(struct perf_data *data, size_t need)
{
	struct kp_reader *rd = data->rd;

	while (rd->pipe_len - rd->pipe_pos < need) {
		size_t avail = rd->pipe_len - rd->pipe_pos;
		ssize_t n;

		if (rd->pipe_eof) {
			if (!avail)
				return 0;
			return kp_error(KP_ERR_TRUNCATED,
					"'%s': stream ends inside a record at stream offset %#llx "
					"(%zu of %zu bytes present)", data->path,
					(unsigned long long)rd->stream_off, avail, need);
		}
		if (!rd->pipe || rd->pipe_pos + need > rd->pipe->cap) {
			size_t cap = kp_max((size_t)PIPE_CHUNK_SIZE, need * 2);
			struct kp_chunk *nc;

			if (rd->pipe && !rd->pipe->refs && rd->pipe->cap >= need) {
				nc = rd->pipe;
				memmove(chunk_bytes(nc), chunk_bytes(nc) + rd->pipe_pos, avail);
			} else {
				nc = chunk_new(cap);
				if (avail)
					memcpy(chunk_bytes(nc), chunk_bytes(rd->pipe) + rd->pipe_pos,
					       avail);
				chunk_close(rd->pipe);
			}
			rd->pipe = nc;
			rd->pipe_pos = 0;
			rd->pipe_len = avail;
		}
		n = read(data->fd, chunk_bytes(rd->pipe) + rd->pipe_len,
			 rd->pipe->cap - rd->pipe_len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return kp_error(-errno, "'%s': read error at stream offset %#llx: %s",
					data->path, (unsigned long long)rd->stream_off,
					strerror(errno));
		}
		if (n == 0)
			rd->pipe_eof = true;
		rd->pipe_len += (size_t)n;
	}
	return 1;
}

/*
 * Read one record from the stream and process it.  With @header_only, stop
 * (return 0 without consuming) at the first record that is not an attr,
 * feature or tracing-data record.  Returns 1 if a record was handled.
 */
static int pipe_one(struct perf_data *data, bool header_only)
{
	struct kp_reader *rd = data->rd;
	struct perf_event_header h;
	union perf_event *ev;
	struct kp_chunk *chunk;
	u64 extra = 0, off = rd->stream_off;
	int ret, err;

	ret = pipe_need(data, sizeof(h));
	if (ret <= 0)
		return ret;
	memcpy(&h, chunk_bytes(rd->pipe) + rd->pipe_pos, sizeof(h));
	if (data->header.needs_swap)
		swap_header(&h);
	if (header_only && h.type != PERF_RECORD_HEADER_ATTR &&
	    h.type != PERF_RECORD_HEADER_FEATURE && h.type != PERF_RECORD_HEADER_TRACING_DATA)
		return 0;
	if (h.size < sizeof(h))
		return rec_error(data, KP_ERR_BAD_RECORD, off,
				 h.size ? "record smaller than its 8-byte header" : "record of size 0",
				 h.type, h.size);
	ret = pipe_need(data, h.size);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return rec_error(data, KP_ERR_TRUNCATED, off, "stream ends inside a record",
				 h.type, h.size);
	ev = (union perf_event *)(chunk_bytes(rd->pipe) + rd->pipe_pos);
	chunk = rd->pipe;
	/* realign before swapping: the swap reads u64 fields (UBSan fuzz finding) */
	if ((uintptr_t)ev & 7)
		ev = copy_record(rd, ev, h.size, &chunk);
	if (data->header.needs_swap) {
		ev->header = h;
		err = kp_event__swap(ev, &data->evlist, data->evlist.sample_id_all);
		if (err)
			return rec_error(data, err, off, kp_errmsg(err), h.type, h.size);
	}
	err = process_event(data, ev, chunk, off, &extra);
	rd->pipe_pos += h.size;
	rd->stream_off += h.size;
	if (err)
		return err;
	if (extra) {
		if (h.type == PERF_RECORD_HEADER_TRACING_DATA) {
			/* real tracing data is a few MB; a bigger claim is not buffered */
			if (extra > (256ULL << 20))
				return rec_error(data, KP_ERR_BAD_TRACEDATA, off,
						 "absurd tracing data size (over 256 MiB)", h.type,
						 h.size);
			ret = pipe_need(data, extra);
			if (ret <= 0)
				return ret ? ret : rec_error(data, KP_ERR_TRUNCATED, off,
							 "stream ends inside the tracing data",
							 h.type, h.size);
			err = process_tracing_blob(data, chunk_bytes(rd->pipe) + rd->pipe_pos,
						   extra, off);
			if (err)
				return err;
			rd->pipe_pos += extra;
			rd->stream_off += extra;
		} else {
			while (extra) {
				size_t step = (size_t)kp_min(extra, (u64)PIPE_CHUNK_SIZE);

				ret = pipe_need(data, step);
				if (ret <= 0)
					return ret ? ret : rec_error(data, KP_ERR_TRUNCATED, off,
								 "stream ends inside a payload",
								 h.type, h.size);
				rd->pipe_pos += step;
				rd->stream_off += step;
				extra -= step;
			}
		}
	}
	return 1;
}

static int open_pipe_mode(struct perf_data *data)
{
	int ret;

	/* consume the attrs, features and tracing data that precede the records */
	while ((ret = pipe_one(data, true)) > 0)
		;
	if (ret < 0)
		return ret;
	if (!data->evlist.nr && data->rd->pipe_eof &&
	    data->rd->pipe_len == data->rd->pipe_pos)
		return kp_error(KP_ERR_NO_DATA, "'%s': pipe data without any event attr",
				data->path);
	return 0;
}

/* ---------------------------------------------------------------- API */

/*
 * KVMPROF_THREADED=1 delivers every ordered file's records on the second
 * thread (with the fast paths that go with it), 0 never; unset: by file size.
 * The output is the same either way: the tests use it to show that on small
 * files.
 */
static int reader_threaded_env(void)
{
	const char *v = getenv("KVMPROF_THREADED");

	if (!v || !*v)
		return -1;
	return strcmp(v, "0") != 0;
}

int perf_data__open(struct perf_data **out, const char *path)
{
	struct perf_data *data = xzalloc(sizeof(*data));
	struct stat st;
	u64 magic = 0, hsize = 0;
	u8 head[16];
	ssize_t n = 0;
	int err;

	*out = NULL;
	data->path = xstrdup(path);
	data->fd = -1;
	evlist__init(&data->evlist);
	data->rd = xzalloc(sizeof(*data->rd));
	data->rd->page_size = (u64)sysconf(_SC_PAGESIZE);
	data->rd->release_step = RELEASE_STEP;
	data->rd->release_align = RELEASE_ALIGN;
	data->rd->release_next = RELEASE_STEP;
	for (int k = 0; k < OE_BATCHES; k++)
		data->rd->batch[k].min_off = ~0ULL;
	data->rd->threaded = reader_threaded_env();
	if (!strcmp(path, "-")) {
		data->fd = STDIN_FILENO;
	} else {
		data->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (data->fd < 0) {
			err = kp_error(-errno, "'%s': cannot open: %s", path, strerror(errno));
			goto fail;
		}
	}
	if (fstat(data->fd, &st) < 0) {
		err = kp_error(-errno, "'%s': cannot stat: %s", path, strerror(errno));
		goto fail;
	}
	data->mtime = (u64)st.st_mtime;
	if (S_ISDIR(st.st_mode)) {
		err = kp_error(KP_ERR_UNSUPPORTED, "'%s': is a directory (perf record --threads "
			       "output is not supported)", path);
		goto fail;
	}
	/* the first 16 bytes tell file mode from pipe mode */
	while (n < 16) {
		ssize_t r = read(data->fd, head + n, 16 - (size_t)n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = kp_error(-errno, "'%s': read error: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += r;
	}
	if (n < 16) {
		err = kp_error(n ? KP_ERR_TRUNCATED : KP_ERR_NO_DATA,
			       "'%s': file too small for a perf.data header (file is %zd bytes)",
			       path, n);
		goto fail;
	}
	memcpy(&magic, head, 8);
	memcpy(&hsize, head + 8, 8);
	if (magic == PERF_MAGIC2_SWAPPED) {
		data->header.needs_swap = true;
		hsize = kp_bswap64(hsize);
	} else if (magic != PERF_MAGIC2) {
		if (!memcmp(head, "PERFFILE", 8))
			err = kp_error(KP_ERR_UNSUPPORTED, "'%s': legacy PERFFILE (version 1) "
				       "format is not supported", path);
		else
			err = kp_error(KP_ERR_BAD_MAGIC, "'%s': not a perf.data file (bad magic "
				       "%#llx at offset 0)", path, (unsigned long long)magic);
		goto fail;
	}
	data->header.file.magic = PERF_MAGIC2;
	if (hsize == PERF_PIPE_HEADER_SIZE) {
		data->is_pipe = true;
		data->header.pipe_mode = true;
		data->header.file.size = hsize;
		data->rd->stream_off = 16;
		err = open_pipe_mode(data);
		if (err)
			goto fail;
		*out = data;
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		err = kp_error(KP_ERR_UNSUPPORTED, "'%s': file-mode perf.data must be a regular "
			       "file (header size %llu)", path, (unsigned long long)hsize);
		goto fail;
	}
	data->size = (u64)st.st_size;
	if (data->size >= PERF_FILE_HEADER_SIZE) {
		void *m = mmap(NULL, data->size, PROT_READ, MAP_PRIVATE, data->fd, 0);

		if (m == MAP_FAILED) {
			err = kp_error(-errno, "'%s': cannot mmap %llu bytes: %s", path,
				       (unsigned long long)data->size, strerror(errno));
			goto fail;
		}
		madvise(m, data->size, MADV_SEQUENTIAL);
		data->base = m;
	}
	err = open_file_mode(data);
	if (err)
		goto fail;
	*out = data;
	return 0;
fail:
	perf_data__delete(data);
	return err;
}

void perf_data__delete(struct perf_data *data)
{
	struct kp_reader *rd;

	if (!data)
		return;
	rd = data->rd;
	if (rd) {
		oe_worker_stop(rd);
		/* all delivered batches were given back: what is left is A and B */
		for (int k = 0; k < OE_BATCHES; k++)
			for (size_t i = 0; i < rd->batch[k].nr; i++)
				if (rd->batch[k].e[i].ev)
					chunk_put(rd->batch[k].e[i].chunk);
		for (size_t i = rd->q_head; i < rd->q_nr; i++)
			if (rd->q[i].ev)
				chunk_put(rd->q[i].chunk);
		free(rd->q);
		free(rd->layout);
		free(rd->peek_samples);
		free(rd->layout_done);
		free(rd->plan);
		free(rd->tmp);
		for (int i = 0; i < OE_BATCHES; i++)
			free(rd->batch[i].e);
		chunk_close(rd->copy);
		chunk_close(rd->pipe);
		chunk_close(rd->dec);
		if (rd->zstd)
			ZSTD_freeDStream(rd->zstd);
		free(rd);
	}
	if (data->base)
		munmap((void *)data->base, data->size);
	if (data->fd > STDIN_FILENO)
		close(data->fd);
	evlist__exit(&data->evlist);
	if (data->tep)
		tep_free(data->tep);
	perf_header__exit(&data->header);
	free(data->path);
	free(data);
}

int perf_data__process(struct perf_data *data, struct perf_tool *tool)
{
	struct kp_reader *rd = data->rd;
	int err = 0;

	if (rd->pipe_started)
		return kp_error(KP_ERR_INTERNAL, "'%s': data can only be processed once",
				data->path);
	rd->pipe_started = true;
	rd->tool = tool;
	if (tool->sample_peek && !tool->sample_fast)
		return kp_error(KP_ERR_INTERNAL, "'%s': sample_peek without sample_fast",
				data->path);
	if (data->is_pipe) {
		int ret;

		while ((ret = pipe_one(data, false)) > 0)
			;
		err = ret;
	} else {
		if (tool->ordered_events &&
		    (rd->threaded > 0 || (rd->threaded < 0 && data->size >= WORKER_MIN_SIZE)))
			oe_worker_start(data);
		err = process_file(data);
	}
	if (!err && rd->dec && rd->dec_len != rd->dec_pos)
		err = kp_error(KP_ERR_TRUNCATED,
			       "'%s': compressed data ends inside a record (%zu bytes left over)",
			       data->path, rd->dec_len - rd->dec_pos);
	if (!err && tool->ordered_events)
		err = oe_flush(data, ~0ULL);
	if (rd->worker) {
		/* what the worker was given precedes, in the file, where this thread stopped */
		int werr = oe_wait(rd);

		if (werr)
			err = werr;
		oe_worker_stop(rd);
	}
	return err;
}
