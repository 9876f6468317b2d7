// SPDX-License-Identifier: GPL-2.0
/* perf_sample__parse / perf_sample__parse_id: every sample_type field, overruns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "data/data-internal.h"
#include "test-data-fixture.h"

#define ALL_BITS                                                                          \
	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |       \
	 PERF_SAMPLE_ADDR | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU |        \
	 PERF_SAMPLE_PERIOD | PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_RAW |    \
	 PERF_SAMPLE_BRANCH_STACK | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER |          \
	 PERF_SAMPLE_WEIGHT | PERF_SAMPLE_DATA_SRC | PERF_SAMPLE_TRANSACTION |                 \
	 PERF_SAMPLE_REGS_INTR | PERF_SAMPLE_PHYS_ADDR | (1ULL << 21) | (1ULL << 22) |        \
	 (1ULL << 23) | (1ULL << 20))

/* a SAMPLE carrying every field; @group selects the group read format */
static size_t build_full(struct fx *f, bool group)
{
	size_t at = fx_rec_begin(f, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	static const char raw[12] = "rawdata1234";

	fx_u64(f, 77);			/* identifier */
	fx_u64(f, 0x401000);		/* ip */
	fx_u32(f, 100);			/* pid */
	fx_u32(f, 101);			/* tid */
	fx_u64(f, 123456789);		/* time */
	fx_u64(f, 0xdead);		/* addr */
	fx_u64(f, 77);			/* id */
	fx_u64(f, 78);			/* stream id */
	fx_u32(f, 3);			/* cpu */
	fx_u32(f, 0);
	fx_u64(f, 1000);		/* period */
	if (group) {			/* read: GROUP|ID|TOTAL_TIME_ENABLED */
		fx_u64(f, 2);
		fx_u64(f, 555);
		fx_u64(f, 1);
		fx_u64(f, 77);
		fx_u64(f, 2);
		fx_u64(f, 79);
	} else {			/* read: ID|TOTAL_TIME_ENABLED */
		fx_u64(f, 555);
		fx_u64(f, 9);
		fx_u64(f, 77);
	}
	fx_u64(f, 3);			/* callchain */
	fx_u64(f, KP_CONTEXT_USER);
	fx_u64(f, 0x401000);
	fx_u64(f, 0x402000);
	fx_u32(f, 12);			/* raw: 4 + 12 = 16 */
	fx_bytes(f, raw, 12);
	fx_u64(f, 1);			/* branch stack nr */
	fx_u64(f, 5);			/* hw_idx */
	fx_u64(f, 0x10);
	fx_u64(f, 0x20);
	fx_u64(f, 0x30);
	fx_u64(f, 2);			/* regs user abi */
	fx_u64(f, 0xa1);
	fx_u64(f, 0xa2);
	fx_u64(f, 16);			/* stack user size */
	fx_bytes(f, "0123456789abcdef", 16);
	fx_u64(f, 8);			/* dyn size */
	fx_u64(f, 42);			/* weight */
	fx_u64(f, 43);			/* data_src */
	fx_u64(f, 44);			/* transaction */
	fx_u64(f, 2);			/* regs intr abi */
	fx_u64(f, 0xb1);
	fx_u64(f, 45);			/* phys addr */
	fx_u64(f, 46);			/* cgroup */
	fx_u64(f, 4096);		/* data page size */
	fx_u64(f, 8192);		/* code page size */
	fx_u64(f, 8);			/* aux size */
	fx_bytes(f, "AUXDATA!", 8);
	fx_rec_end(f, at);
	return at;
}

static struct evsel *full_evsel(bool group)
{
	struct kp_attr a = { 0 };

	a.type = PERF_TYPE_SOFTWARE;
	a.size = 128;
	a.sample_type = ALL_BITS;
	a.read_format = PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED |
			(group ? PERF_FORMAT_GROUP : 0);
	a.branch_sample_type = 1ULL << 17; /* HW_INDEX */
	a.sample_regs_user = 0x3;
	a.sample_regs_intr = 0x1;
	kp_attr_set_flag(&a, KP_ATTR_SAMPLE_ID_ALL);
	return evsel__new(&a, 0);
}

static void check_full(const struct perf_sample *s, bool group)
{
	assert_int_equal(s->id, 77);
	assert_int_equal(s->ip, 0x401000);
	assert_int_equal(s->pid, 100);
	assert_int_equal(s->tid, 101);
	assert_int_equal(s->time, 123456789);
	assert_int_equal(s->addr, 0xdead);
	assert_int_equal(s->stream_id, 78);
	assert_int_equal(s->cpu, 3);
	assert_int_equal(s->period, 1000);
	assert_non_null(s->read_data);
	assert_int_equal(s->read_size, group ? 48 : 24);
	assert_non_null(s->callchain);
	assert_int_equal(s->callchain->nr, 3);
	assert_int_equal(s->callchain->ips[2], 0x402000);
	assert_int_equal(s->raw_size, 12);
	assert_memory_equal(s->raw_data, "rawdata1234", 12);
	assert_int_equal(s->branch_nr, 1);
	assert_non_null(s->branch_hw_idx);
	assert_int_equal(*s->branch_hw_idx, 5);
	assert_int_equal(s->branch_entries[0].to, 0x20);
	assert_int_equal(s->user_regs_abi, 2);
	assert_int_equal(s->user_regs[1], 0xa2);
	assert_int_equal(s->user_stack_size, 8);
	assert_memory_equal(s->user_stack, "01234567", 8);
	assert_int_equal(s->weight, 42);
	assert_int_equal(s->data_src, 43);
	assert_int_equal(s->transaction, 44);
	assert_int_equal(s->intr_regs_abi, 2);
	assert_int_equal(s->intr_regs[0], 0xb1);
	assert_int_equal(s->phys_addr, 45);
	assert_int_equal(s->cgroup, 46);
	assert_int_equal(s->data_page_size, 4096);
	assert_int_equal(s->code_page_size, 8192);
	assert_int_equal(s->aux_size, 8);
	assert_memory_equal(s->aux_data, "AUXDATA!", 8);
	assert_int_equal(s->cpumode, PERF_RECORD_MISC_USER);
}

static void run_full(bool group)
{
	struct fx f;
	struct evsel *e = full_evsel(group);
	struct perf_sample s;
	union perf_event *ev;

	fx_init(&f, false);
	build_full(&f, group);
	ev = (union perf_event *)f.sb.buf;
	assert_int_equal(perf_sample__parse(ev, e, &s), 0);
	check_full(&s, group);

	/* every shorter record must fail cleanly, never read past the end */
	for (u16 sz = 8; sz < ev->header.size; sz += 4) {
		u8 *copy = xmalloc(sz);

		memcpy(copy, ev, sz);
		((union perf_event *)copy)->header.size = sz;
		assert_int_equal(perf_sample__parse((union perf_event *)copy, e, &s),
				 KP_ERR_BAD_SAMPLE);
		free(copy);
	}
	strbuf_release(&f.sb);
	evsel__delete(e);
}

static void test_all_fields_nongroup(void **state)
{
	run_full(false);
}

static void test_all_fields_group(void **state)
{
	run_full(true);
}

static void test_each_bit_alone(void **state)
{
	/* one field at a time: position 0 of the body holds it */
	static const u64 bits[] = { PERF_SAMPLE_IP, PERF_SAMPLE_TIME, PERF_SAMPLE_ADDR,
				    PERF_SAMPLE_ID, PERF_SAMPLE_STREAM_ID, PERF_SAMPLE_PERIOD,
				    PERF_SAMPLE_WEIGHT, PERF_SAMPLE_DATA_SRC,
				    PERF_SAMPLE_TRANSACTION, PERF_SAMPLE_PHYS_ADDR,
				    1ULL << 21, 1ULL << 22, 1ULL << 23, 1ULL << 24,
				    PERF_SAMPLE_IDENTIFIER };

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		struct kp_attr a = { .type = 1, .size = 128, .sample_type = bits[i],
				     .sample_period = 4000 };
		struct evsel *e = evsel__new(&a, 0);
		struct perf_sample s;
		struct fx f;
		size_t at;
		u64 v = 0;

		fx_init(&f, false);
		at = fx_rec_begin(&f, PERF_RECORD_SAMPLE, 0);
		fx_u64(&f, 0x1234);
		fx_rec_end(&f, at);
		assert_int_equal(perf_sample__parse((union perf_event *)f.sb.buf, e, &s), 0);
		switch (bits[i]) {
		case PERF_SAMPLE_IP: v = s.ip; break;
		case PERF_SAMPLE_TIME: v = s.time; break;
		case PERF_SAMPLE_ADDR: v = s.addr; break;
		case PERF_SAMPLE_ID: case PERF_SAMPLE_IDENTIFIER: v = s.id; break;
		case PERF_SAMPLE_STREAM_ID: v = s.stream_id; break;
		case PERF_SAMPLE_PERIOD: v = s.period; break;
		case PERF_SAMPLE_WEIGHT: case 1ULL << 24: v = s.weight; break;
		case PERF_SAMPLE_DATA_SRC: v = s.data_src; break;
		case PERF_SAMPLE_TRANSACTION: v = s.transaction; break;
		case PERF_SAMPLE_PHYS_ADDR: v = s.phys_addr; break;
		case 1ULL << 21: v = s.cgroup; break;
		case 1ULL << 22: v = s.data_page_size; break;
		case 1ULL << 23: v = s.code_page_size; break;
		}
		assert_int_equal(v, 0x1234);
		if (bits[i] != PERF_SAMPLE_PERIOD)
			assert_int_equal(s.period, 4000); /* perf: the attr's period */
		if (bits[i] != PERF_SAMPLE_TIME)
			assert_int_equal(s.time, ~0ULL);
		assert_int_equal(s.cpu, (u32)-1);
		strbuf_release(&f.sb);
		evsel__delete(e);
	}
}

/*
 * perf_sample__parse_simple() against perf_sample__parse(): every subset of
 * the fixed fields with and without RAW, records cut at every length; the
 * simple parse says yes exactly when the full one succeeds, with the same
 * sample.  Other fields (READ, CALLCHAIN, ...) make a layout not simple.
 */
static void test_simple_layout(void **state)
{
	static const u64 fixed[] = { PERF_SAMPLE_IDENTIFIER, PERF_SAMPLE_IP, PERF_SAMPLE_TID,
				     PERF_SAMPLE_TIME, PERF_SAMPLE_ADDR, PERF_SAMPLE_ID,
				     PERF_SAMPLE_STREAM_ID, PERF_SAMPLE_CPU, PERF_SAMPLE_PERIOD,
				     PERF_SAMPLE_RAW };
	u64 seed = 12345;

	for (u32 mask = 0; mask < 1u << ARRAY_SIZE(fixed); mask++) {
		struct kp_attr a = { .type = 1, .size = 128, .sample_period = 4000 };
		struct sample_layout l;
		struct evsel *e;
		size_t words = 0;
		u32 raw = mask >> 7 & 7; /* a few raw sizes, some not a multiple of 8 */

		for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
			if (mask >> i & 1)
				a.sample_type |= fixed[i];
		e = evsel__new(&a, 0);
		sample_layout__init(&l, e);
		assert_true(l.simple);
		for (size_t i = 0; i < ARRAY_SIZE(fixed) - 1; i++)
			words += mask >> i & 1;
		for (u32 cut = 0; cut <= words * 8 + (mask & 1u << 9 ? 4 + raw : 0) + 8; cut += 4) {
			struct perf_sample want, got;
			u8 rec[256] __attribute__((aligned(8)));
			struct perf_event_header h = { .type = PERF_RECORD_SAMPLE, .misc = 2 };
			int err;
			bool ok;

			for (size_t i = 0; i < sizeof(rec); i++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				rec[i] = (u8)(seed >> 56);
			}
			if (mask & 1u << 9)
				memcpy(rec + 8 + words * 8, &raw, 4);
			h.size = (u16)(8 + cut);
			memcpy(rec, &h, sizeof(h));
			/* the same filler in the padding of both */
			memset(&want, 0xa5, sizeof(want));
			err = perf_sample__parse((union perf_event *)rec, e, &want);
			memset(&got, 0xa5, sizeof(got));
			perf_sample__init(&got, (union perf_event *)rec, e);
			ok = perf_sample__parse_simple((union perf_event *)rec, &l, &got);
			assert_int_equal(ok, err == 0);
			if (ok) {
				size_t from = offsetof(struct perf_sample, weight);

				/* field by field: the copy of cpu's word also fills its padding */
				assert_int_equal(got.ip, want.ip);
				assert_int_equal(got.pid, want.pid);
				assert_int_equal(got.tid, want.tid);
				assert_int_equal(got.time, want.time);
				assert_int_equal(got.addr, want.addr);
				assert_int_equal(got.id, want.id);
				assert_int_equal(got.stream_id, want.stream_id);
				assert_int_equal(got.cpu, want.cpu);
				assert_int_equal(got.period, want.period);
				assert_int_equal(got.misc, want.misc);
				assert_int_equal(got.cpumode, want.cpumode);
				assert_ptr_equal(got.raw_data, want.raw_data);
				assert_int_equal(got.raw_size, want.raw_size);
				/* after period, all as perf_sample__init() left them */
				assert_memory_equal((u8 *)&got + from, (u8 *)&want + from,
						    offsetof(struct perf_sample, misc) - from);
				assert_null(got.callchain);
				assert_int_equal(got.branch_nr, 0);
				assert_null(got.read_data);
				assert_null(got.user_regs);
				assert_null(got.user_stack);
				assert_null(got.intr_regs);
				assert_null(got.aux_data);
			}
		}
		evsel__delete(e);
	}
	/* anything else makes it not simple */
	{
		struct kp_attr a = { .type = 1, .size = 128,
				     .sample_type = PERF_SAMPLE_TIME | PERF_SAMPLE_CALLCHAIN };
		struct evsel *e = evsel__new(&a, 0);
		struct sample_layout l;

		sample_layout__init(&l, e);
		assert_false(l.simple);
		evsel__delete(e);
	}
}

static void test_absurd_counts(void **state)
{
	struct kp_attr a = { .type = 1, .size = 128,
			     .sample_type = PERF_SAMPLE_CALLCHAIN };
	struct evsel *e = evsel__new(&a, 0);
	struct perf_sample s;
	struct fx f;
	size_t at;

	fx_init(&f, false);
	at = fx_rec_begin(&f, PERF_RECORD_SAMPLE, 0);
	fx_u64(&f, ~0ULL >> 1); /* callchain nr that would overflow nr * 8 */
	fx_u64(&f, 1);
	fx_rec_end(&f, at);
	assert_int_equal(perf_sample__parse((union perf_event *)f.sb.buf, e, &s),
			 KP_ERR_BAD_SAMPLE);
	assert_non_null(strstr(kp_errmsg(KP_ERR_BAD_SAMPLE), "callchain"));
	strbuf_release(&f.sb);
	evsel__delete(e);

	a.sample_type = PERF_SAMPLE_RAW;
	e = evsel__new(&a, 0);
	fx_init(&f, false);
	at = fx_rec_begin(&f, PERF_RECORD_SAMPLE, 0);
	fx_u32(&f, 0xfffffff0u);
	fx_u32(&f, 0);
	fx_rec_end(&f, at);
	assert_int_equal(perf_sample__parse((union perf_event *)f.sb.buf, e, &s),
			 KP_ERR_BAD_SAMPLE);
	strbuf_release(&f.sb);
	evsel__delete(e);
}

static void test_id_trailer(void **state)
{
	u64 st = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID |
		 PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP;
	struct kp_attr a = { .type = 1, .size = 128, .sample_type = st };
	struct evsel *e;
	struct perf_sample s;
	struct fx f;
	size_t at;

	kp_attr_set_flag(&a, KP_ATTR_SAMPLE_ID_ALL);
	e = evsel__new(&a, 0);
	assert_int_equal(e->id_hdr_size, 48);
	fx_init(&f, false);
	at = fx_rec_begin(&f, PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC);
	fx_u32(&f, 10);
	fx_u32(&f, 11);
	fx_bytes(&f, "worker\0\0", 8);
	fx_trailer(&f, st, 10, 11, 999, 5, 1);
	fx_rec_end(&f, at);
	assert_int_equal(perf_sample__parse_id((union perf_event *)f.sb.buf, e, &s), 0);
	assert_int_equal(s.pid, 10);
	assert_int_equal(s.tid, 11);
	assert_int_equal(s.time, 999);
	assert_int_equal(s.id, 5);
	assert_int_equal(s.stream_id, 1005);
	assert_int_equal(s.cpu, 1);
	/* a record too short for its trailer */
	((union perf_event *)f.sb.buf)->header.size = 16;
	assert_int_equal(perf_sample__parse_id((union perf_event *)f.sb.buf, e, &s),
			 KP_ERR_BAD_RECORD);
	strbuf_release(&f.sb);
	evsel__delete(e);
}

static void test_event_names(void **state)
{
	struct kp_attr a = { .type = PERF_TYPE_SOFTWARE, .size = 128, .config = 0 };
	struct evsel *e = evsel__new(&a, 0);

	assert_string_equal(evsel__name(e), "cpu-clock:HG");
	evsel__delete(e);
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_GUEST);
	e = evsel__new(&a, 0);
	assert_string_equal(evsel__name(e), "cpu-clock");
	evsel__delete(e);
	a.flags = 0;
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_HOST);
	e = evsel__new(&a, 0);
	assert_string_equal(evsel__name(e), "cpu-clock:G");
	evsel__delete(e);
	a.flags = 0;
	a.type = PERF_TYPE_HARDWARE;
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_KERNEL);
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_HV);
	e = evsel__new(&a, 0);
	assert_string_equal(evsel__name(e), "cycles:u");
	evsel__delete(e);
	a.flags = 2ULL << KP_ATTR_PRECISE_IP;
	e = evsel__new(&a, 0);
	assert_string_equal(evsel__name(e), "cycles:pp");
	evsel__delete(e);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = 9;
	a.flags = 0;
	e = evsel__new(&a, 0);
	assert_string_equal(evsel__name(e), "dummy:HG");
	evsel__delete(e);
	assert_string_equal(perf_event__name(PERF_RECORD_FINISHED_ROUND), "FINISHED_ROUND");
	assert_string_equal(perf_event__name(999), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_fields_nongroup),
		cmocka_unit_test(test_all_fields_group),
		cmocka_unit_test(test_each_bit_alone),
		cmocka_unit_test(test_absurd_counts),
		cmocka_unit_test(test_simple_layout),
		cmocka_unit_test(test_id_trailer),
		cmocka_unit_test(test_event_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
