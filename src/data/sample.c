// SPDX-License-Identifier: GPL-2.0
/*
 * sample.c - decode PERF_RECORD_SAMPLE bodies and sample_id trailers in place.
 *
 * Every field is checked against the record's end before it is read; an
 * overrun names the field so a corrupt file can be diagnosed.
 */
#include <stdlib.h>
#include <string.h>

#include "data/data-internal.h"
#include "data/evsel.h"
#include "data/sample.h"
#include "util/util.h"

static int overrun(const union perf_event *event, const struct evsel *evsel, const char *what)
{
	return kp_error(KP_ERR_BAD_SAMPLE,
			"sample of event '%s' (size %u, sample_type %#llx) is too short for its %s",
			evsel__name(evsel), event->header.size,
			(unsigned long long)evsel->attr.sample_type, what);
}

/*
 * Field by field rather than memset(): this runs once per record, and a
 * 256-byte memset is a "rep stos" whose start-up cost dominated parsing.
 */
static inline void sample__defaults(const union perf_event *event, const struct evsel *evsel,
				    struct perf_sample *s)
{
	s->ip = 0;
	s->pid = s->tid = (u32)-1;
	s->time = ~0ULL;
	s->addr = 0;
	s->id = ~0ULL;
	s->stream_id = ~0ULL;
	s->cpu = (u32)-1;
	/* like perf: without PERF_SAMPLE_PERIOD the attr's period is the weight */
	s->period = evsel->attr.sample_period;
	s->weight = 0;
	s->data_src = 0;
	s->transaction = 0;
	s->phys_addr = 0;
	s->cgroup = 0;
	s->data_page_size = 0;
	s->code_page_size = 0;
	s->misc = event->header.misc;
	s->cpumode = event->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	s->callchain = NULL;
	s->raw_data = NULL;
	s->raw_size = 0;
	s->branch_hw_idx = NULL;
	s->branch_nr = 0;
	s->branch_entries = NULL;
	s->read_data = NULL;
	s->read_size = 0;
	s->user_regs_abi = 0;
	s->user_regs = NULL;
	s->user_stack_size = 0;
	s->user_stack = NULL;
	s->intr_regs_abi = 0;
	s->intr_regs = NULL;
	s->aux_size = 0;
	s->aux_data = NULL;
}

int perf_sample__parse(const union perf_event *event, const struct evsel *evsel,
		       struct perf_sample *s)
{
	const u64 t = evsel->attr.sample_type;
	const u8 *p = (const u8 *)(&event->header + 1);
	const u8 *end = (const u8 *)event + event->header.size;
	u64 v;

	sample__defaults(event, evsel, s);
	if (event->header.size < sizeof(event->header))
		return overrun(event, evsel, "header");

#define NEED(n, what)                                                              \
	do {                                                                       \
		if ((u64)(end - p) < (u64)(n))                                     \
			return overrun(event, evsel, what);                        \
	} while (0)
#define GET64(dst, what)                                                           \
	do {                                                                       \
		NEED(8, what);                                                     \
		memcpy(&(dst), p, 8);                                              \
		p += 8;                                                            \
	} while (0)

	if (t & PERF_SAMPLE_IDENTIFIER)
		GET64(s->id, "identifier");
	if (t & PERF_SAMPLE_IP)
		GET64(s->ip, "ip");
	if (t & PERF_SAMPLE_TID) {
		NEED(8, "pid/tid");
		memcpy(&s->pid, p, 4);
		memcpy(&s->tid, p + 4, 4);
		p += 8;
	}
	if (t & PERF_SAMPLE_TIME)
		GET64(s->time, "time");
	if (t & PERF_SAMPLE_ADDR)
		GET64(s->addr, "addr");
	if (t & PERF_SAMPLE_ID)
		GET64(s->id, "id");
	if (t & PERF_SAMPLE_STREAM_ID)
		GET64(s->stream_id, "stream_id");
	if (t & PERF_SAMPLE_CPU) {
		NEED(8, "cpu");
		memcpy(&s->cpu, p, 4);
		p += 8;
	}
	if (t & PERF_SAMPLE_PERIOD)
		GET64(s->period, "period");
	if (t & PERF_SAMPLE_READ) {
		u64 rf = evsel->attr.read_format;
		u64 per = 1 + !!(rf & PERF_FORMAT_ID) + !!(rf & PERF_FORMAT_LOST);
		u64 hdr = !!(rf & PERF_FORMAT_TOTAL_TIME_ENABLED) +
			  !!(rf & PERF_FORMAT_TOTAL_TIME_RUNNING);
		u64 words;

		s->read_data = p;
		if (rf & PERF_FORMAT_GROUP) {
			u64 nr;

			NEED(8, "read_format group count");
			memcpy(&nr, p, 8);
			if (nr > (u64)(end - p) / 8 / per)
				return overrun(event, evsel, "read_format group values");
			words = 1 + hdr + nr * per;
		} else {
			words = hdr + per;
		}
		NEED(words * 8, "read_format values");
		s->read_size = (u32)(words * 8);
		p += words * 8;
	}
	if (t & PERF_SAMPLE_CALLCHAIN) {
		NEED(8, "callchain count");
		memcpy(&v, p, 8);
		if (v > (u64)(end - p - 8) / 8)
			return overrun(event, evsel, "callchain");
		s->callchain = (const struct ip_callchain *)p;
		p += 8 + v * 8;
	}
	if (t & PERF_SAMPLE_RAW) {
		u32 sz;

		NEED(4, "raw size");
		memcpy(&sz, p, 4);
		p += 4;
		NEED(sz, "raw data");
		s->raw_size = sz;
		s->raw_data = p;
		p += sz;
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		u64 bst = evsel->attr.branch_sample_type;
		u64 per = sizeof(struct branch_entry) / 8;

		GET64(v, "branch count");
		if (bst & (1ULL << 17)) { /* PERF_SAMPLE_BRANCH_HW_INDEX */
			NEED(8, "branch hw_idx");
			s->branch_hw_idx = (const u64 *)p;
			p += 8;
		}
		if (bst & (1ULL << 19)) /* PERF_SAMPLE_BRANCH_COUNTERS */
			per++;
		if (v > (u64)(end - p) / 8 / per)
			return overrun(event, evsel, "branch stack");
		s->branch_nr = v;
		s->branch_entries = (const struct branch_entry *)p;
		p += v * per * 8;
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		GET64(s->user_regs_abi, "user regs abi");
		if (s->user_regs_abi) {
			u64 n = (u64)__builtin_popcountll(evsel->attr.sample_regs_user);

			NEED(n * 8, "user regs");
			s->user_regs = (const u64 *)p;
			p += n * 8;
		}
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		GET64(v, "user stack size");
		if (v) {
			u64 dyn;

			NEED(v, "user stack");
			s->user_stack = p;
			p += v;
			GET64(dyn, "user stack dyn_size");
			if (dyn > v)
				return kp_error(KP_ERR_BAD_SAMPLE,
						"sample of event '%s': user stack dyn_size %llu > size "
						"%llu", evsel__name(evsel), (unsigned long long)dyn,
						(unsigned long long)v);
			s->user_stack_size = dyn;
		}
	}
	if (t & (PERF_SAMPLE_WEIGHT | (1ULL << 24))) /* WEIGHT or WEIGHT_STRUCT */
		GET64(s->weight, "weight");
	if (t & PERF_SAMPLE_DATA_SRC)
		GET64(s->data_src, "data_src");
	if (t & PERF_SAMPLE_TRANSACTION)
		GET64(s->transaction, "transaction");
	if (t & PERF_SAMPLE_REGS_INTR) {
		GET64(s->intr_regs_abi, "intr regs abi");
		if (s->intr_regs_abi) {
			u64 n = (u64)__builtin_popcountll(evsel->attr.sample_regs_intr);

			NEED(n * 8, "intr regs");
			s->intr_regs = (const u64 *)p;
			p += n * 8;
		}
	}
	if (t & PERF_SAMPLE_PHYS_ADDR)
		GET64(s->phys_addr, "phys_addr");
	if (t & (1ULL << 21)) /* CGROUP */
		GET64(s->cgroup, "cgroup");
	if (t & (1ULL << 22)) /* DATA_PAGE_SIZE */
		GET64(s->data_page_size, "data_page_size");
	if (t & (1ULL << 23)) /* CODE_PAGE_SIZE */
		GET64(s->code_page_size, "code_page_size");
	if (t & (1ULL << 20)) { /* AUX */
		GET64(v, "aux size");
		NEED(v, "aux data");
		s->aux_size = v;
		s->aux_data = p;
		p += v;
	}
#undef GET64
#undef NEED
	return 0;
}

int perf_sample__parse_id(const union perf_event *event, const struct evsel *evsel,
			  struct perf_sample *s)
{
	const u64 t = evsel->attr.sample_type;
	const u8 *p;

	sample__defaults(event, evsel, s);
	if (!kp_attr_flag(&evsel->attr, KP_ATTR_SAMPLE_ID_ALL) ||
	    event->header.type >= PERF_RECORD_USER_TYPE_START)
		return 0;
	if ((u32)event->header.size < sizeof(event->header) + evsel->id_hdr_size)
		return kp_error(KP_ERR_BAD_RECORD,
				"%s record of size %u is too short for its %u-byte sample_id trailer",
				perf_event__name(event->header.type), event->header.size,
				evsel->id_hdr_size);
	/* the trailer is the last id_hdr_size bytes; walk it backwards */
	p = (const u8 *)event + sizeof(event->header) +
	    ((event->header.size - sizeof(event->header)) & ~7u) - 8;
	if (t & PERF_SAMPLE_IDENTIFIER) {
		memcpy(&s->id, p, 8);
		p -= 8;
	}
	if (t & PERF_SAMPLE_CPU) {
		memcpy(&s->cpu, p, 4);
		p -= 8;
	}
	if (t & PERF_SAMPLE_STREAM_ID) {
		memcpy(&s->stream_id, p, 8);
		p -= 8;
	}
	if (t & PERF_SAMPLE_ID) {
		memcpy(&s->id, p, 8);
		p -= 8;
	}
	if (t & PERF_SAMPLE_TIME) {
		memcpy(&s->time, p, 8);
		p -= 8;
	}
	if (t & PERF_SAMPLE_TID) {
		memcpy(&s->pid, p, 4);
		memcpy(&s->tid, p + 4, 4);
	}
	return 0;
}

void sample_layout__init(struct sample_layout *l, const struct evsel *evsel)
{
	const u64 t = evsel->attr.sample_type;
	const u64 fixed = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			  PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID |
			  PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD |
			  PERF_SAMPLE_RAW;
	u16 off = sizeof(struct perf_event_header);

	memset(l, 0, sizeof(*l));
	if (t & ~fixed)
		return;
	/* the order of perf_sample__parse() */
	if (t & PERF_SAMPLE_IDENTIFIER) {
		l->id = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_IP) {
		l->ip = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_TID) {
		l->tid = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_TIME) {
		l->time = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_ADDR) {
		l->addr = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_ID) {
		l->id = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_STREAM_ID) {
		l->stream_id = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_CPU) {
		l->cpu = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_PERIOD) {
		l->period = off;
		off += 8;
	}
	if (t & PERF_SAMPLE_RAW)
		l->raw = off;
	l->fixed = off;
	l->simple = true;
	sample_layout__compile(l);
}

void sample_layout__compile(struct sample_layout *l)
{
	const struct {
		u16 off;
		u16 dst;
	} f[] = {
		{ l->ip, offsetof(struct perf_sample, ip) },
		{ l->tid, offsetof(struct perf_sample, pid) },
		{ l->time, offsetof(struct perf_sample, time) },
		{ l->addr, offsetof(struct perf_sample, addr) },
		{ l->id, offsetof(struct perf_sample, id) },
		{ l->stream_id, offsetof(struct perf_sample, stream_id) },
		{ l->cpu, offsetof(struct perf_sample, cpu) },
		{ l->period, offsetof(struct perf_sample, period) },
	};

	/* the word copies rely on these */
	_Static_assert(offsetof(struct perf_sample, tid) == offsetof(struct perf_sample, pid) + 4,
		       "pid and tid adjacent");
	_Static_assert(offsetof(struct perf_sample, period) >=
			       offsetof(struct perf_sample, cpu) + 8,
		       "cpu has a word of its own");
	l->nr_copy = 0;
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		if (!f[i].off)
			continue;
		l->copy[l->nr_copy].src = f[i].off;
		l->copy[l->nr_copy].dst = f[i].dst;
		l->nr_copy++;
	}
}

void perf_sample__init(struct perf_sample *s, const union perf_event *event,
		       const struct evsel *evsel)
{
	static const struct evsel none;

	sample__defaults(event, evsel ? evsel : &none, s);
}
