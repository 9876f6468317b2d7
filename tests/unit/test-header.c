// SPDX-License-Identifier: GPL-2.0
/*
 * Feature decoding of BPF_PROG_INFO / BPF_BTF and their --header-only lines,
 * from the real sections of a perf 6.1 file: names from BTF and without,
 * every truncation, corrupt arrays and BTF blobs, id order and duplicates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "data/btf.h"
#include "data/data-internal.h"
#include "test-data-fixture.h"
#include "test-header-bpf-fixture.h"
#include "ui/header.h"

/* what perf 6.1 prints for the fixture (perf report --header-only) */
static const char want_lines[] =
	"# bpf_prog_info 305: bpf_prog_d4d950593910dd42_on_switch addr 0xffffffffc0022154 "
	"size 91\n"
	"# bpf_prog_info 332:\n"
	"# \tsub_prog 0: bpf_prog_b441b752e70cc782_multi_sub addr 0xffffffffc0025c2c size 72\n"
	"# \tsub_prog 1: bpf_prog_b05060961e7584f3_helper_two addr 0xffffffffc0025c88 size 27\n"
	"# \tsub_prog 2: bpf_prog_715e0f2e5866e0b2_helper_one addr 0xffffffffc0025cd0 size 29\n"
	"# bpf_prog_info 337:\n"
	"# \tsub_prog 0: bpf_prog_b441b752e70cc782_F addr 0xffffffffc0025d14 size 72\n"
	"# \tsub_prog 1: bpf_prog_b05060961e7584f3_F addr 0xffffffffc0025d9c size 27\n"
	"# \tsub_prog 2: bpf_prog_715e0f2e5866e0b2_F addr 0xffffffffc0025dcc size 29\n"
	"# btf info of id 175\n"
	"# btf info of id 211\n";

/* layout of the fixture's first program record */
#define PROG0 4 /* after the u32 count */
#define PROG0_INFO (PROG0 + 16)
#define PROG0_DATA (PROG0_INFO + 232)

static void data_init(struct perf_data *d)
{
	memset(d, 0, sizeof(*d));
	d->path = (char *)"fixture.data";
	d->size = 1 << 20;
}

/* decode @len bytes of @src as feature @feat from an exactly sized heap copy */
static int feed(struct perf_data *d, int feat, const void *src, size_t len)
{
	u8 *buf = xmalloc(len ? len : 1);
	int err;

	memcpy(buf, src, len);
	err = perf_header__read_feature(d, feat, buf, len, 0x1000);
	free(buf);
	return err;
}

static char *print_bpf(struct perf_data *d)
{
	char *text = NULL, *out;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	struct strbuf sb = STRBUF_INIT;
	char *line;

	assert_non_null(fp);
	assert_int_equal(perf_header__fprintf(fp, d), 0);
	fclose(fp);
	/* keep only the BPF lines */
	for (line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);

		if (!strncmp(line, "# bpf_prog_info", 15) || !strncmp(line, "# \tsub_prog", 11) ||
		    !strncmp(line, "# btf info", 10))
			strbuf_add(&sb, line, n);
		line += n;
	}
	free(text);
	out = strbuf_detach(&sb, NULL);
	return out;
}

static void load_fixture(struct perf_data *d)
{
	data_init(d);
	assert_int_equal(feed(d, HEADER_BPF_PROG_INFO, fx_bpf_prog_info,
			      sizeof(fx_bpf_prog_info)), 0);
	assert_int_equal(feed(d, HEADER_BPF_BTF, fx_bpf_btf, sizeof(fx_bpf_btf)), 0);
}

static void test_fixture_decodes(void **state)
{
	struct perf_data d;
	const struct perf_header *h = &d.header;
	char name[BPF_PROG_NAME_LEN];

	(void)state;
	load_fixture(&d);
	assert_true(perf_header__has_feat(h, HEADER_BPF_PROG_INFO));
	assert_true(perf_header__has_feat(h, HEADER_BPF_BTF));
	assert_int_equal(h->nr_bpf_progs, 3);
	assert_int_equal(h->bpf_progs[0].id, 305);
	assert_int_equal(h->bpf_progs[1].id, 332);
	assert_int_equal(h->bpf_progs[2].id, 337);
	assert_int_equal(h->bpf_progs[0].btf_id, 175);
	assert_int_equal(h->bpf_progs[2].btf_id, 0);
	assert_int_equal(h->bpf_progs[1].nr_jited_ksyms, 3);
	assert_int_equal(h->bpf_progs[1].nr_func_info, 3);
	assert_string_equal(h->bpf_progs[1].name, "multi_sub");
	assert_int_equal(h->nr_btfs, 2);
	assert_int_equal(h->btfs[0].id, 175);
	assert_int_equal(h->btfs[1].id, 211);
	perf_header__bpf_prog_name(h, &h->bpf_progs[1], 2, name, sizeof(name));
	assert_string_equal(name, "bpf_prog_715e0f2e5866e0b2_helper_one");
	/* a short buffer truncates as snprintf */
	perf_header__bpf_prog_name(h, &h->bpf_progs[0], 0, name, 12);
	assert_string_equal(name, "bpf_prog_d4");
	perf_header__exit(&d.header);
}

static void test_fixture_prints_as_perf(void **state)
{
	struct perf_data d;
	char *got;

	(void)state;
	load_fixture(&d);
	got = print_bpf(&d);
	assert_string_equal(got, want_lines);
	free(got);
	perf_header__exit(&d.header);
}

/* without the BTF feature the names fall back to bpf_prog_info.name and "F" */
static void test_names_without_btf(void **state)
{
	struct perf_data d;
	char name[BPF_PROG_NAME_LEN];

	(void)state;
	data_init(&d);
	assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, fx_bpf_prog_info,
			      sizeof(fx_bpf_prog_info)), 0);
	perf_header__bpf_prog_name(&d.header, &d.header.bpf_progs[0], 0, name, sizeof(name));
	assert_string_equal(name, "bpf_prog_d4d950593910dd42_on_switch");
	perf_header__bpf_prog_name(&d.header, &d.header.bpf_progs[1], 1, name, sizeof(name));
	assert_string_equal(name, "bpf_prog_b05060961e7584f3_F");
	perf_header__exit(&d.header);
}

static void test_every_truncation_fails(void **state)
{
	(void)state;
	for (size_t len = 0; len < sizeof(fx_bpf_prog_info); len++) {
		struct perf_data d;

		data_init(&d);
		assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, fx_bpf_prog_info, len),
				 KP_ERR_BAD_FEATURE);
		assert_false(perf_header__has_feat(&d.header, HEADER_BPF_PROG_INFO));
		perf_header__exit(&d.header);
	}
	for (size_t len = 0; len < sizeof(fx_bpf_btf); len++) {
		struct perf_data d;

		data_init(&d);
		assert_int_equal(feed(&d, HEADER_BPF_BTF, fx_bpf_btf, len), KP_ERR_BAD_FEATURE);
		perf_header__exit(&d.header);
	}
}

static u8 *fixture_copy(void)
{
	return xmemdup(fx_bpf_prog_info, sizeof(fx_bpf_prog_info));
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64le(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static void expect_bad(const u8 *img, const char *needle)
{
	struct perf_data d;

	data_init(&d);
	assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, img, sizeof(fx_bpf_prog_info)),
			 KP_ERR_BAD_FEATURE);
	assert_non_null(strstr(kp_errmsg(KP_ERR_BAD_FEATURE), needle));
	assert_non_null(strstr(kp_errmsg(KP_ERR_BAD_FEATURE), "fixture.data"));
	perf_header__exit(&d.header);
}

static void test_corrupt_arrays(void **state)
{
	u8 *img = fixture_copy();
	u32 data_len;

	(void)state;
	memcpy(&data_len, img + PROG0 + 4, 4);
	/* the ksym array's offset past the program's data */
	put64le(img + PROG0_INFO + 112, data_len - 4);
	expect_bad(img, "JITed symbols");
	free(img);

	/* an absurd count */
	img = fixture_copy();
	put32(img + PROG0_INFO + 108, 0x40000000);
	expect_bad(img, "function lengths");
	free(img);

	/* a counted array the arrays bitmap does not hold */
	img = fixture_copy();
	put64le(img + PROG0 + 8, 0x1f9 & ~(1ULL << 8));
	expect_bad(img, "program tags");
	free(img);

	/* func_info records too small to hold a type id */
	img = fixture_copy();
	put32(img + PROG0_INFO + 132, 4);
	expect_bad(img, "record size");
	free(img);

	/* data_len past the section */
	img = fixture_copy();
	put32(img + PROG0 + 4, 0xfffffff0);
	expect_bad(img, "truncated");
	free(img);

	/* a program count the section cannot hold */
	img = fixture_copy();
	put32(img, 1000);
	expect_bad(img, "count");
	free(img);
}

/* counts that disagree: perf prints nothing for that program, kvmprof neither */
static void test_mismatched_counts_print_nothing(void **state)
{
	u8 *img = fixture_copy();
	struct perf_data d;
	char *got;

	(void)state;
	put32(img + PROG0_INFO + 180, 0); /* nr_prog_tags of program 305 */
	data_init(&d);
	assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, img, sizeof(fx_bpf_prog_info)), 0);
	got = print_bpf(&d);
	assert_null(strstr(got, "bpf_prog_info 305"));
	assert_non_null(strstr(got, "# bpf_prog_info 332:\n"));
	free(got);
	free(img);
	perf_header__exit(&d.header);
}

/* a shorter bpf_prog_info reads as zeros past its end (as perf) */
static void test_short_info(void **state)
{
	struct fx f;
	struct perf_data d;
	char *got;

	(void)state;
	fx_init(&f, false);
	fx_u32(&f, 1);
	fx_u32(&f, 8); /* info_len: type and id only */
	fx_u32(&f, 0); /* data_len */
	fx_u64(&f, 0);
	fx_u32(&f, 2); /* type */
	fx_u32(&f, 77); /* id */
	data_init(&d);
	assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, f.sb.buf, f.sb.len), 0);
	assert_int_equal(d.header.nr_bpf_progs, 1);
	assert_int_equal(d.header.bpf_progs[0].id, 77);
	/* no functions: perf's header line alone */
	got = print_bpf(&d);
	assert_string_equal(got, "# bpf_prog_info 77:\n");
	free(got);
	perf_header__exit(&d.header);
	strbuf_release(&f.sb);
}

/* programs come out in id order; a repeated id keeps its first entry */
static void test_order_and_duplicates(void **state)
{
	struct fx f;
	struct perf_data d;
	static const u32 ids[] = { 9, 3, 9, 5 };
	static const u32 lens[] = { 90, 30, 91, 50 };

	(void)state;
	fx_init(&f, false);
	fx_u32(&f, ARRAY_SIZE(ids));
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		u8 info[232] = { 0 };

		fx_u32(&f, sizeof(info));
		fx_u32(&f, 8 + 4 + 8); /* data: one ksym, one length, one tag */
		fx_u64(&f, (1ULL << 3) | (1ULL << 4) | (1ULL << 8));
		put32(info + 4, ids[i]);
		memcpy(info + 64, "p", 2);
		put32(info + 104, 1);
		put32(info + 108, 1);
		put64le(info + 112, 0);
		put64le(info + 120, 8);
		put32(info + 180, 1);
		put64le(info + 184, 12);
		strbuf_add(&f.sb, info, sizeof(info));
		fx_u64(&f, 0xffffffffa0000000ULL + ids[i]);
		fx_u32(&f, lens[i]);
		fx_u64(&f, 0x0102030405060708ULL);
	}
	data_init(&d);
	assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, f.sb.buf, f.sb.len), 0);
	assert_int_equal(d.header.nr_bpf_progs, 3);
	assert_int_equal(d.header.bpf_progs[0].id, 3);
	assert_int_equal(d.header.bpf_progs[1].id, 5);
	assert_int_equal(d.header.bpf_progs[2].id, 9);
	assert_int_equal(d.header.bpf_progs[2].jited_func_lens[0], 90);
	{
		char *got = print_bpf(&d);

		assert_string_equal(got,
				    "# bpf_prog_info 3: bpf_prog_0807060504030201_p addr "
				    "0xffffffffa0000003 size 30\n"
				    "# bpf_prog_info 5: bpf_prog_0807060504030201_p addr "
				    "0xffffffffa0000005 size 50\n"
				    "# bpf_prog_info 9: bpf_prog_0807060504030201_p addr "
				    "0xffffffffa0000009 size 90\n");
		free(got);
	}
	perf_header__exit(&d.header);
	strbuf_release(&f.sb);
}

/* the other byte order: not interpreted (perf warns and skips it too) */
static void test_swapped_is_skipped(void **state)
{
	struct perf_data d;

	(void)state;
	data_init(&d);
	d.header.needs_swap = true;
	assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, fx_bpf_prog_info,
			      sizeof(fx_bpf_prog_info)), 0);
	assert_int_equal(feed(&d, HEADER_BPF_BTF, fx_bpf_btf, sizeof(fx_bpf_btf)), 0);
	assert_true(perf_header__has_feat(&d.header, HEADER_BPF_PROG_INFO));
	assert_int_equal(d.header.nr_bpf_progs, 0);
	assert_int_equal(d.header.nr_btfs, 0);
	perf_header__exit(&d.header);
}

/* the first BTF blob of the fixture (id 175) */
static const u8 *btf175(u32 *size)
{
	memcpy(size, fx_bpf_btf + 8, 4);
	return fx_bpf_btf + 12;
}

static void test_btf_lookup(void **state)
{
	u32 size;
	const u8 *blob = btf175(&size);
	const char *name;
	int found = 0;

	(void)state;
	assert_int_equal(btf__type_name(blob, size, 0, &name), 0);
	assert_string_equal(name, "");
	for (u32 id = 1; !btf__type_name(blob, size, id, &name); id++)
		if (name && !strcmp(name, "on_switch"))
			found++;
	assert_int_equal(found, 1);
	assert_int_equal(btf__type_name(blob, size, 100000, &name), -1);
	/* every truncation of the blob is refused or still answers within it */
	for (u32 len = 0; len < size; len++) {
		u8 *cut = xmemdup(blob, len ? len : 1);

		(void)btf__type_name(cut, len, 1, &name);
		free(cut);
	}
	assert_int_equal(btf__type_name(blob, 23, 1, &name), -1);
}

static void test_btf_corrupt(void **state)
{
	u32 size;
	const u8 *blob = btf175(&size);
	const char *name;
	u8 *bad;

	(void)state;
	/* magic */
	bad = xmemdup(blob, size);
	bad[0] ^= 0xff;
	assert_int_equal(btf__type_name(bad, size, 1, &name), -1);
	free(bad);
	/* string section past the end */
	bad = xmemdup(blob, size);
	put32(bad + 20, size);
	assert_int_equal(btf__type_name(bad, size, 1, &name), -1);
	free(bad);
	/* types overlapping the strings */
	bad = xmemdup(blob, size);
	put32(bad + 12, size);
	assert_int_equal(btf__type_name(bad, size, 1, &name), -1);
	free(bad);
	/* an unknown kind in the first record */
	bad = xmemdup(blob, size);
	{
		u32 hdr_len, type_off, info;

		memcpy(&hdr_len, bad + 4, 4);
		memcpy(&type_off, bad + 8, 4);
		memcpy(&info, bad + hdr_len + type_off + 4, 4);
		put32(bad + hdr_len + type_off + 4, (info & ~(0x1fU << 24)) | (31U << 24));
	}
	assert_int_equal(btf__type_name(bad, size, 1, &name), -1);
	free(bad);
}

/* a BTF blob that does not parse: names as without BTF (perf's btf__new fails) */
static void test_bad_btf_falls_back(void **state)
{
	struct perf_data d;
	u8 *btf = xmemdup(fx_bpf_btf, sizeof(fx_bpf_btf));
	char name[BPF_PROG_NAME_LEN];

	(void)state;
	btf[12] ^= 0xff; /* magic of blob 175 */
	data_init(&d);
	assert_int_equal(feed(&d, HEADER_BPF_PROG_INFO, fx_bpf_prog_info,
			      sizeof(fx_bpf_prog_info)), 0);
	assert_int_equal(feed(&d, HEADER_BPF_BTF, btf, sizeof(fx_bpf_btf)), 0);
	perf_header__bpf_prog_name(&d.header, &d.header.bpf_progs[0], 0, name, sizeof(name));
	assert_string_equal(name, "bpf_prog_d4d950593910dd42_on_switch");
	/* program 332 keeps its BTF names */
	perf_header__bpf_prog_name(&d.header, &d.header.bpf_progs[1], 1, name, sizeof(name));
	assert_string_equal(name, "bpf_prog_b05060961e7584f3_helper_two");
	free(btf);
	perf_header__exit(&d.header);
}

/* an empty BTF blob ends the section: nothing is read past it (fuzz finding) */
static void test_empty_btf_blob(void **state)
{
	struct fx f;
	struct perf_data d;
	const char *name;

	(void)state;
	fx_init(&f, false);
	fx_u32(&f, 1);
	fx_u32(&f, 5); /* id */
	fx_u32(&f, 0); /* size */
	data_init(&d);
	assert_int_equal(feed(&d, HEADER_BPF_BTF, f.sb.buf, f.sb.len), 0);
	assert_int_equal(d.header.nr_btfs, 1);
	assert_int_equal(d.header.btfs[0].size, 0);
	assert_int_equal(btf__type_name(d.header.btfs[0].data, 0, 1, &name), -1);
	perf_header__exit(&d.header);
	strbuf_release(&f.sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_decodes),
		cmocka_unit_test(test_fixture_prints_as_perf),
		cmocka_unit_test(test_names_without_btf),
		cmocka_unit_test(test_every_truncation_fails),
		cmocka_unit_test(test_corrupt_arrays),
		cmocka_unit_test(test_mismatched_counts_print_nothing),
		cmocka_unit_test(test_short_info),
		cmocka_unit_test(test_order_and_duplicates),
		cmocka_unit_test(test_swapped_is_skipped),
		cmocka_unit_test(test_btf_lookup),
		cmocka_unit_test(test_btf_corrupt),
		cmocka_unit_test(test_bad_btf_falls_back),
		cmocka_unit_test(test_empty_btf_blob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
