/* SPDX-License-Identifier: GPL-2.0 */
/*
 * data-internal.h - helpers shared by the files of src/data/ only.
 *
 * Not part of the data layer's contract: other layers include reader.h,
 * writer.h, evsel.h, sample.h, header.h and tracing-data.h.
 */
#ifndef KP_DATA_INTERNAL_H
#define KP_DATA_INTERNAL_H

#include <byteswap.h>
#include <string.h>

#include "data/evsel.h"
#include "data/reader.h"

/* evsel.c (the evsel/evlist constructors are public: data/evsel.h) */
u16 kp_id_hdr_size(u64 sample_type);

/* header.c: decode feature @feat from @buf/@size (file endianness @swap) */
int perf_header__read_feature(struct perf_data *data, int feat, const u8 *buf, u64 size,
			      u64 file_off);
/* attach tracepoint formats of data->tep to the evsels, apply EVENT_DESC names */
int perf_data__attach_tracing(struct perf_data *data);
void perf_data__apply_event_desc(struct perf_data *data);

/* reader.c: the ordered-events queue and the release of finished file pages */
struct kp_chunk;
struct oe_entry {
	u64 ts;
	union perf_event *ev; /* NULL: a sample the tool's sample_peek() packed in @payload */
	union {
		struct {
			struct evsel *evsel;
			struct kp_chunk *chunk; /* NULL: the record lies in the file mapping */
			u64 off; /* file/stream offset, for error messages and page release */
		};
		u64 payload[3];
	};
};
/* stable sort of @a[0..n) by ts; @tmp has room for n / 2 entries */
void oe_sort(struct oe_entry *a, size_t n, struct oe_entry *tmp);
/* stable merge of the sorted runs @a[0..mid) and @a[mid..n); @tmp holds the shorter */
void oe_merge(struct oe_entry *a, size_t mid, size_t n, struct oe_entry *tmp);
/*
 * LSD radix sort of @n u64 keys on bits [lo, lo + bits) (stable), @tmp as big;
 * returns the array that holds the result (@keys or @tmp)
 */
u64 *oe_radix_sort(u64 *keys, u64 *tmp, size_t n, unsigned int lo, unsigned int bits);
/* file mode: offset below which the mapped pages were given back (0: none) */
u64 perf_data__released(const struct perf_data *data);
/* deliver on a second thread: 1 always, 0 never, -1 for big files (default); for tests */
void perf_data__set_threaded(struct perf_data *data, int mode);

/*
 * sample.c: where the fields of an event's samples are, when every field up to
 * and including RAW has a fixed size and none follows RAW ("simple" layouts,
 * as tracepoint events have): byte offsets into the record, 0 = absent.
 */
struct sample_layout {
	bool simple;
	u16 ip, tid, time, addr, id, stream_id, cpu, period;
	u16 raw; /* offset of the u32 raw size; 0: no RAW */
	u16 fixed; /* bytes up to the raw size (or the end, without RAW) */
	/* sample_layout__compile(): 8-byte copies from the record into the sample */
	u8 nr_copy;
	struct {
		u16 src, dst;
	} copy[8];
};
void sample_layout__init(struct sample_layout *l, const struct evsel *evsel);
/* the copies of the fields still in @l (after init; fields may be zeroed before) */
void sample_layout__compile(struct sample_layout *l);
/* every field of @s "absent", as perf_sample__parse() starts (@evsel NULL: period 0) */
void perf_sample__init(struct perf_sample *s, const union perf_event *event,
		       const struct evsel *evsel);
/*
 * perf_sample__parse() for a simple, compiled layout: the same result, but
 * only the fields of the layout (and misc, cpumode, raw_data, raw_size) are
 * written: @s must hold the defaults of the others (perf_sample__init(), same
 * evsel).  Returns false when the record is too short - perf_sample__parse()
 * then gives the error.
 */
static inline __attribute__((always_inline)) bool perf_sample__parse_simple(
	const union perf_event *event, const struct sample_layout *l, struct perf_sample *s)
{
	const u8 *r = (const u8 *)event;
	u32 size = event->header.size;

	if (size < (u32)l->fixed + (l->raw ? 4 : 0))
		return false;
	if (l->raw) {
		u32 sz;

		__builtin_memcpy(&sz, r + l->raw, 4);
		if (sz > size - l->raw - 4)
			return false;
		s->raw_size = sz;
		s->raw_data = r + l->raw + 4;
	}
	s->misc = event->header.misc;
	s->cpumode = event->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	/* pid+tid are one word; cpu's word takes the padding after it along */
	for (unsigned int i = 0; i < l->nr_copy; i++)
		__builtin_memcpy((u8 *)s + l->copy[i].dst, r + l->copy[i].src, 8);
	return true;
}

/* swap.c */
void kp_attr__swap(struct kp_attr *attr, u32 size);
/* swap record @ev in place (it is a private copy); @evsel may be NULL */
int kp_event__swap(union perf_event *ev, const struct evlist *evlist, bool sample_id_all);

static inline u16 kp_bswap16(u16 v)
{
	return bswap_16(v);
}

static inline u32 kp_bswap32(u32 v)
{
	return bswap_32(v);
}

static inline u64 kp_bswap64(u64 v)
{
	return bswap_64(v);
}

#endif
