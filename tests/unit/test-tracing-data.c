// SPDX-License-Identifier: GPL-2.0
/* TRACING_DATA blobs: parse, field access, truncation, build from tracefs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <traceevent/event-parse.h>

#include "data/data-internal.h"
#include "data/tracing-data.h"
#include "test-data-fixture.h"

static const char kvm_pio_format[] =
	"name: kvm_pio\n"
	"ID: 110\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:unsigned int rw;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int port;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int size;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int count;\toffset:20;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned int val;\toffset:24;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"pio_%s at 0x%x size %d count %d val 0x%x %s\", REC->rw ? \"write\" : "
	"\"read\", REC->port, REC->size, REC->count, REC->val, REC->count > 1 ? \"(...)\" : "
	"\"\"\n";

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

static void build_blob(struct fx *f, bool swap)
{
	fx_init(f, swap);
	fx_bytes(f, "\027\bDtracing", 10);
	fx_bytes(f, "0.6", 4);
	fx_u8(f, swap ? 1 : 0);
	fx_u8(f, 8);
	fx_u32(f, 4096);
	fx_bytes(f, "header_page", 12);
	fx_u64(f, strlen(header_page));
	fx_bytes(f, header_page, strlen(header_page));
	fx_bytes(f, "header_event", 13);
	fx_u64(f, 4);
	fx_bytes(f, "none", 4);
	fx_u32(f, 0); /* ftrace */
	fx_u32(f, 1); /* systems */
	fx_bytes(f, "kvm", 4);
	fx_u32(f, 1);
	fx_u64(f, strlen(kvm_pio_format));
	fx_bytes(f, kvm_pio_format, strlen(kvm_pio_format));
	fx_u32(f, 0); /* kallsyms */
	fx_u32(f, 0); /* printk */
	fx_u64(f, 10);
	fx_bytes(f, "4242 qemu\n", 10);
}

static void test_parse_and_fields(void **state)
{
	for (int swap = 0; swap < 2; swap++) {
		struct fx f;
		struct tep_handle *tep;
		struct tep_event *ev;
		struct kp_attr a = { .type = PERF_TYPE_TRACEPOINT, .config = 110 };
		struct evsel *e;
		struct perf_sample s = { 0 };
		u8 raw[28] = { 0 };
		u32 port = 0x3f8, val = 0x41;
		u64 v;

		build_blob(&f, swap);
		assert_int_equal(tracing_data__parse(&tep, f.sb.buf, f.sb.len), 0);
		ev = tep_find_event(tep, 110);
		assert_non_null(ev);
		assert_string_equal(ev->system, "kvm");
		assert_string_equal(ev->name, "kvm_pio");
		assert_string_equal(tep_data_comm_from_pid(tep, 4242), "qemu");
		e = evsel__new(&a, 0);
		e->tp_format = ev;
		if (swap) {
			port = bswap_32(port);
			val = bswap_32(val);
		}
		memcpy(raw + 12, &port, 4);
		memcpy(raw + 24, &val, 4);
		s.raw_data = raw;
		s.raw_size = sizeof(raw);
		assert_int_equal(evsel__field(e, &s, "port", &v), 0);
		assert_int_equal(v, 0x3f8);
		assert_int_equal(evsel__field(e, &s, "val", &v), 0);
		assert_int_equal(v, 0x41);
		assert_int_equal(evsel__field(e, &s, "nosuch", &v), KP_ERR_MISSING_FIELD);
		s.raw_size = 20; /* too short for val */
		assert_int_equal(evsel__field(e, &s, "val", &v), KP_ERR_MISSING_FIELD);
		assert_non_null(strstr(kp_errmsg(KP_ERR_MISSING_FIELD), "val"));
		evsel__delete(e);
		tep_free(tep);
		strbuf_release(&f.sb);
	}
}

static void test_truncated_everywhere(void **state)
{
	struct fx f;

	build_blob(&f, false);
	/*
	 * every prefix must fail cleanly, except the one that ends right before
	 * saved_cmdlines (8 + 10 bytes here): blobs of older perfs end there
	 */
	for (size_t len = 0; len < f.sb.len; len++) {
		if (len == f.sb.len - 18)
			continue;
		struct tep_handle *tep = NULL;
		u8 *copy = xmemdup(f.sb.buf, len ? len : 1);
		int err = tracing_data__parse(&tep, copy, len);

		if (err != KP_ERR_BAD_TRACEDATA)
			fail_msg("prefix %zu: got %d", len, err);
		assert_null(tep);
		free(copy);
	}
	strbuf_release(&f.sb);
}

static void test_absurd_sizes(void **state)
{
	struct fx f;
	struct tep_handle *tep;

	fx_init(&f, false);
	fx_bytes(&f, "\027\bDtracing", 10);
	fx_bytes(&f, "0.6", 4);
	fx_u8(&f, 0);
	fx_u8(&f, 8);
	fx_u32(&f, 0); /* page size 0 */
	assert_int_equal(tracing_data__parse(&tep, f.sb.buf, f.sb.len), KP_ERR_BAD_TRACEDATA);
	assert_non_null(strstr(kp_errmsg(KP_ERR_BAD_TRACEDATA), "page size"));
	strbuf_release(&f.sb);
	build_blob(&f, false);
	memcpy(f.sb.buf, "XXXX", 4);
	assert_int_equal(tracing_data__parse(&tep, f.sb.buf, f.sb.len), KP_ERR_BAD_TRACEDATA);
	strbuf_release(&f.sb);
}

static void test_build_from_tracefs(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *names[] = { "sched:sched_switch", "kvm:kvm_pio", "sched:sched_wakeup" };
	struct tep_handle *tep;
	int err = tracing_data__build(&sb, names, 3);

	if (err) {
		strbuf_release(&sb);
		skip(); /* no tracefs (or no kvm tracepoints) on this machine */
	}
	assert_int_equal(tracing_data__parse(&tep, sb.buf, sb.len), 0);
	assert_true(tep_get_events_count(tep) == 3);
	for (int i = 0; i < 3; i++) {
		struct tep_event *ev = tep_get_event(tep, i);

		assert_non_null(ev);
		assert_true(!strcmp(ev->system, "sched") || !strcmp(ev->system, "kvm"));
	}
	tep_free(tep);
	strbuf_reset(&sb);
	assert_int_equal(tracing_data__build(&sb, (const char *[]){ "nosys:noevent" }, 1),
			 KP_ERR_NO_TRACEPOINT);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_fields),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_absurd_sizes),
		cmocka_unit_test(test_build_from_tracefs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
