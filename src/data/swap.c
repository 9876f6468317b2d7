// SPDX-License-Identifier: GPL-2.0
/*
 * swap.c - byte-swapping of foreign-endian perf.data contents.
 *
 * Records are swapped field by field according to their type (and, for
 * samples and sample_id trailers, the event's sample_type), so u32 pairs
 * such as pid/tid come out right and byte payloads (RAW tracepoint data,
 * strings, user stack dumps) are left exactly as recorded.  Every swap is
 * bounded by the record end; a short record is left partly unswapped and
 * then rejected by the size checks of the parser.
 */
#include <stdlib.h>
#include <string.h>

#include "data/data-internal.h"
#include "util/util.h"

struct cursor {
	u8 *p;
	u8 *end;
};

static void sw16(struct cursor *c)
{
	u16 v;

	if (c->end - c->p < 2) {
		c->p = c->end;
		return;
	}
	memcpy(&v, c->p, 2);
	v = kp_bswap16(v);
	memcpy(c->p, &v, 2);
	c->p += 2;
}

static void sw32(struct cursor *c)
{
	u32 v;

	if (c->end - c->p < 4) {
		c->p = c->end;
		return;
	}
	memcpy(&v, c->p, 4);
	v = kp_bswap32(v);
	memcpy(c->p, &v, 4);
	c->p += 4;
}

static void sw64(struct cursor *c)
{
	u64 v;

	if (c->end - c->p < 8) {
		c->p = c->end;
		return;
	}
	memcpy(&v, c->p, 8);
	v = kp_bswap64(v);
	memcpy(c->p, &v, 8);
	c->p += 8;
}

static u64 sw64_get(struct cursor *c)
{
	u64 v = 0;

	if (c->end - c->p >= 8) {
		sw64(c);
		memcpy(&v, c->p - 8, 8);
	} else {
		c->p = c->end;
	}
	return v;
}

static void sw64_n(struct cursor *c, u64 n)
{
	while (n-- && c->p < c->end)
		sw64(c);
}

static void skip(struct cursor *c, u64 n)
{
	if ((u64)(c->end - c->p) < n)
		c->p = c->end;
	else
		c->p += n;
}

static u8 bitrev8(u8 b)
{
	b = (u8)((b & 0xf0) >> 4 | (b & 0x0f) << 4);
	b = (u8)((b & 0xcc) >> 2 | (b & 0x33) << 2);
	b = (u8)((b & 0xaa) >> 1 | (b & 0x55) << 1);
	return b;
}

void kp_attr__swap(struct kp_attr *attr, u32 size)
{
	struct cursor c = { (u8 *)attr, (u8 *)attr + kp_min(size, (u32)sizeof(*attr)) };
	u8 *flags;

	sw32(&c); /* type */
	sw32(&c); /* size */
	sw64(&c); /* config */
	sw64(&c); /* sample_period */
	sw64(&c); /* sample_type */
	sw64(&c); /* read_format */
	/*
	 * The flag bitfield was laid out MSB-first by a big-endian compiler:
	 * bit N of the word is bit (7 - N % 8) of byte N / 8, so reversing the
	 * bits of every byte (and not the bytes) gives our layout.
	 */
	flags = c.p;
	if (c.end - c.p >= 8)
		for (int i = 0; i < 8; i++)
			flags[i] = bitrev8(flags[i]);
	skip(&c, 8);
	sw32(&c); /* wakeup_events */
	sw32(&c); /* bp_type */
	sw64(&c); /* config1 */
	sw64(&c); /* config2 */
	sw64(&c); /* branch_sample_type */
	sw64(&c); /* sample_regs_user */
	sw32(&c); /* sample_stack_user */
	sw32(&c); /* clockid */
	sw64(&c); /* sample_regs_intr */
	sw32(&c); /* aux_watermark */
	sw16(&c); /* sample_max_stack */
	sw16(&c);
	sw32(&c); /* aux_sample_size */
	sw32(&c);
	sw64(&c); /* sig_data */
	sw64(&c); /* config3 */
}

/* read (without changing) the foreign-endian u64 at @p */
static u64 peek_swapped(const u8 *p)
{
	u64 v;

	memcpy(&v, p, 8);
	return kp_bswap64(v);
}

static const struct evsel *swap_find_evsel(const union perf_event *ev, const struct evlist *el)
{
	const u8 *body = (const u8 *)(&ev->header + 1);
	size_t n = (ev->header.size - sizeof(ev->header)) / 8;
	u64 id;

	if (el->nr <= 0)
		return NULL;
	if (el->nr == 1)
		return el->entries[0];
	if (ev->header.type == PERF_RECORD_SAMPLE) {
		if (el->id_pos < 0 || (size_t)el->id_pos >= n)
			return NULL;
		id = peek_swapped(body + el->id_pos * 8);
	} else {
		if (!el->sample_id_all)
			return el->entries[0];
		if (el->is_pos < 0 || (size_t)el->is_pos > n)
			return NULL;
		id = peek_swapped(body + (n - el->is_pos) * 8);
	}
	if (!id)
		return el->entries[0];
	return evlist__find_by_id(el, id);
}

static void swap_trailer(union perf_event *ev, const struct evsel *evsel)
{
	u64 t;
	struct cursor c;

	if (!evsel || !evsel->id_hdr_size)
		return;
	t = evsel->attr.sample_type;
	c.end = (u8 *)ev + sizeof(ev->header) + ((ev->header.size - sizeof(ev->header)) & ~7u);
	if ((u64)(c.end - (u8 *)ev) < sizeof(ev->header) + evsel->id_hdr_size)
		return;
	c.p = c.end - evsel->id_hdr_size;
	if (t & PERF_SAMPLE_TID) {
		sw32(&c);
		sw32(&c);
	}
	if (t & PERF_SAMPLE_TIME)
		sw64(&c);
	if (t & PERF_SAMPLE_ID)
		sw64(&c);
	if (t & PERF_SAMPLE_STREAM_ID)
		sw64(&c);
	if (t & PERF_SAMPLE_CPU) {
		sw32(&c);
		sw32(&c);
	}
	if (t & PERF_SAMPLE_IDENTIFIER)
		sw64(&c);
}

static void swap_sample(struct cursor *c, const struct evsel *evsel)
{
	u64 t = evsel->attr.sample_type;
	u64 v;

	if (t & PERF_SAMPLE_IDENTIFIER)
		sw64(c);
	if (t & PERF_SAMPLE_IP)
		sw64(c);
	if (t & PERF_SAMPLE_TID) {
		sw32(c);
		sw32(c);
	}
	if (t & PERF_SAMPLE_TIME)
		sw64(c);
	if (t & PERF_SAMPLE_ADDR)
		sw64(c);
	if (t & PERF_SAMPLE_ID)
		sw64(c);
	if (t & PERF_SAMPLE_STREAM_ID)
		sw64(c);
	if (t & PERF_SAMPLE_CPU) {
		sw32(c);
		sw32(c);
	}
	if (t & PERF_SAMPLE_PERIOD)
		sw64(c);
	if (t & PERF_SAMPLE_READ) {
		u64 rf = evsel->attr.read_format;
		u64 per = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PERF_FORMAT_LOST);
		u64 hdr = !!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) +
			  !!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING);

		if (rf & PERF_FORMAT_GROUP) {
			v = sw64_get(c);
			if (v > (u64)(c->end - c->p) / 8)
				v = (u64)(c->end - c->p) / 8;
			sw64_n(c, hdr + v * per);
		} else {
			sw64_n(c, hdr + per);
		}
	}
	if (t & PERF_SAMPLE_CALLCHAIN) {
		v = sw64_get(c);
		sw64_n(c, v);
	}
	if (t & PERF_SAMPLE_RAW) {
		u32 sz = 0;

		if (c->end - c->p >= 4) {
			sw32(c);
			memcpy(&sz, c->p - 4, 4);
		}
		skip(c, sz); /* tracepoint bytes stay in file order; tep reads them */
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		u64 per = 3 + !!(evsel->attr.branch_sample_type & (1ULL << 19));

		v = sw64_get(c);
		if (evsel->attr.branch_sample_type & (1ULL << 17))
			sw64(c);
		if (v > (u64)(c->end - c->p) / 8)
			v = (u64)(c->end - c->p) / 8;
		sw64_n(c, v * per);
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		if (sw64_get(c))
			sw64_n(c, (u64)__builtin_popcountll(evsel->attr.sample_regs_user));
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		v = sw64_get(c);
		if (v) {
			skip(c, v);
			sw64(c);
		}
	}
	if (t & (PERF_SAMPLE_WEIGHT | (1ULL << 24))) {
		if (t & (1ULL << 24)) { /* u32 var1, u16 var2, u16 var3 */
			sw32(c);
			sw16(c);
			sw16(c);
		} else {
			sw64(c);
		}
	}
	if (t & PERF_SAMPLE_DATA_SRC)
		sw64(c);
	if (t & PERF_SAMPLE_TRANSACTION)
		sw64(c);
	if (t & PERF_SAMPLE_REGS_INTR) {
		if (sw64_get(c))
			sw64_n(c, (u64)__builtin_popcountll(evsel->attr.sample_regs_intr));
	}
	if (t & PERF_SAMPLE_PHYS_ADDR)
		sw64(c);
	if (t & (1ULL << 21))
		sw64(c);
	if (t & (1ULL << 22))
		sw64(c);
	if (t & (1ULL << 23))
		sw64(c);
	if (t & (1ULL << 20)) {
		v = sw64_get(c);
		skip(c, v);
	}
}

int kp_event__swap(union perf_event *ev, const struct evlist *el, bool sample_id_all)
{
	struct cursor c = { (u8 *)(&ev->header + 1), (u8 *)ev + ev->header.size };
	u32 type = ev->header.type;
	const struct evsel *evsel = NULL;

	if (type < PERF_RECORD_USER_TYPE_START) {
		evsel = swap_find_evsel(ev, el);
		if (!evsel)
			return kp_error(KP_ERR_NO_EVSEL, "byte-swapped %s record with an unknown "
					"sample id", perf_event__name(type));
		if (type != PERF_RECORD_SAMPLE && sample_id_all)
			swap_trailer(ev, evsel);
	}
	switch (type) {
	case PERF_RECORD_SAMPLE:
		swap_sample(&c, evsel);
		break;
	case PERF_RECORD_MMAP:
		sw32(&c);
		sw32(&c);
		sw64_n(&c, 3);
		break;
	case PERF_RECORD_MMAP2:
		sw32(&c);
		sw32(&c);
		sw64_n(&c, 3);
		if (ev->header.misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
			skip(&c, 2);
			sw16(&c);
			skip(&c, 20);
		} else {
			sw32(&c);
			sw32(&c);
			sw64_n(&c, 2);
		}
		sw32(&c);
		sw32(&c);
		break;
	case PERF_RECORD_COMM:
	case PERF_RECORD_ITRACE_START:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		sw32(&c);
		sw32(&c);
		break;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		sw32(&c);
		sw32(&c);
		sw32(&c);
		sw32(&c);
		sw64(&c);
		break;
	case PERF_RECORD_LOST:
		sw64_n(&c, 2);
		break;
	case PERF_RECORD_THROTTLE:
	case PERF_RECORD_UNTHROTTLE:
	case PERF_RECORD_AUX:
		sw64_n(&c, 3);
		break;
	case PERF_RECORD_READ: {
		u8 *tend = c.end - (sample_id_all ? evsel->id_hdr_size : 0);

		sw32(&c);
		sw32(&c);
		while (c.p + 8 <= tend)
			sw64(&c);
		break;
	}
	case PERF_RECORD_LOST_SAMPLES:
	case PERF_RECORD_CGROUP:
	case 21: /* AUX_OUTPUT_HW_ID */
		sw64(&c);
		break;
	case PERF_RECORD_SWITCH:
		break;
	case PERF_RECORD_NAMESPACES: {
		u64 nr;

		sw32(&c);
		sw32(&c);
		nr = sw64_get(&c);
		if (nr > (u64)(c.end - c.p) / 16)
			nr = (u64)(c.end - c.p) / 16;
		sw64_n(&c, nr * 2);
		break;
	}
	case PERF_RECORD_KSYMBOL:
		sw64(&c);
		sw32(&c);
		sw16(&c);
		sw16(&c);
		break;
	case PERF_RECORD_BPF_EVENT:
		sw16(&c);
		sw16(&c);
		sw32(&c);
		break;
	case PERF_RECORD_TEXT_POKE:
		sw64(&c);
		sw16(&c);
		sw16(&c);
		break;
	case PERF_RECORD_HEADER_ATTR: {
		u32 asz;

		if (c.end - c.p < 8)
			break;
		memcpy(&asz, c.p + 4, 4);
		asz = kp_bswap32(asz);
		if (!asz)
			asz = KP_ATTR_SIZE_VER0;
		if (asz > (u64)(c.end - c.p))
			asz = (u32)(c.end - c.p);
		kp_attr__swap((struct kp_attr *)c.p, asz);
		skip(&c, asz);
		while (c.p + 8 <= c.end)
			sw64(&c);
		break;
	}
	case PERF_RECORD_HEADER_TRACING_DATA:
		sw32(&c);
		sw32(&c);
		break;
	case PERF_RECORD_HEADER_BUILD_ID:
		sw32(&c);
		break;
	case PERF_RECORD_FINISHED_ROUND:
	case PERF_RECORD_FINISHED_INIT:
	case PERF_RECORD_COMPRESSED:
		break;
	case PERF_RECORD_ID_INDEX:
	case PERF_RECORD_HEADER_FEATURE: /* feat_id; the payload is swapped by its decoder */
	case PERF_RECORD_COMPRESSED2:
	case PERF_RECORD_STAT_ROUND:
		if (type == PERF_RECORD_ID_INDEX)
			while (c.p + 8 <= c.end)
				sw64(&c);
		else
			sw64(&c);
		break;
	case PERF_RECORD_TIME_CONV:
		sw64_n(&c, 5);
		break;
	case PERF_RECORD_AUXTRACE:
		sw64_n(&c, 3);
		sw32(&c);
		sw32(&c);
		sw32(&c);
		sw32(&c);
		break;
	default:
		/* records kvmprof does not interpret are passed on (or skipped) unswapped */
		break;
	}
	return 0;
}
