// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms and /proc/modules parsing (good and malformed input) and the
 * symbol-table fix-up rules perf 6.1 applies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbol/symbol.h"
#include "util/util.h"

static char tmpdir[] = "/tmp/kp-test-kallsyms.XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

struct collect {
	int n;
	char names[16][64];
	char mods[16][32];
	char types[16];
	u64 addrs[16];
};

static int collect_cb(const struct kallsym *ks, void *arg)
{
	struct collect *c = arg;

	if (c->n < 16) {
		snprintf(c->names[c->n], 64, "%.*s", (int)ks->namelen, ks->name);
		snprintf(c->mods[c->n], 32, "%.*s", (int)ks->modlen, ks->module ? ks->module : "");
		c->types[c->n] = ks->type;
		c->addrs[c->n] = ks->addr;
	}
	c->n++;
	return 0;
}

static void test_kallsyms_good(void **state)
{
	struct collect c = { 0 };
	const char *p = write_file("good", "ffffffff81000000 T _text\n"
					   "ffffffff81000010 t local_fn\n"
					   "\n"
					   "ffffffffc0001000 t mod_fn\t[kvm]\n"
					   "0000000000001000 A fixed_percpu_data\n");
	u64 addr = 0;

	assert_int_equal(kallsyms__parse(p, collect_cb, &c), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.names[0], "_text");
	assert_int_equal(c.types[0], 'T');
	assert_true(c.addrs[0] == 0xffffffff81000000ULL);
	assert_string_equal(c.names[2], "mod_fn");
	assert_string_equal(c.mods[2], "kvm");
	assert_string_equal(c.mods[1], "");
	assert_int_equal(kallsyms__get_function_start(p, "local_fn", &addr), 0);
	assert_true(addr == 0xffffffff81000010ULL);
	assert_int_equal(kallsyms__get_function_start(p, "nope", &addr), -ENOENT);
}

static void expect_bad(const char *text, const char *want)
{
	struct collect c = { 0 };
	const char *p = write_file("bad", text);
	int err = kallsyms__parse(p, collect_cb, &c);

	assert_int_equal(err, KP_ERR_BAD_SYMFILE);
	if (!strstr(kp_errmsg(err), want))
		fail_msg("message '%s' lacks '%s'", kp_errmsg(err), want);
	assert_non_null(strstr(kp_errmsg(err), p));
}

static void test_kallsyms_malformed(void **state)
{
	expect_bad("ffffffff81000000 T a\nffffffff81000001\n", "line 2: expected");
	expect_bad("ffffffff81000000 T a\nffffffff81000001 \n", "line 2: missing symbol type");
	expect_bad("ffffffff81000000 T\n", "line 1: missing symbol name");
	expect_bad("ffffffff81000000 TT a\n", "line 1: symbol type must be");
	expect_bad("ffffffff81000000 T \n", "line 1: missing symbol name");
	expect_bad("zzzz T a\n", "line 1: expected");
	expect_bad("1ffffffff81000000 T a\n", "line 1: expected");
	{
		char big[700];

		memset(big, 'x', sizeof(big));
		memcpy(big, "ffffffff81000000 T ", 19);
		big[sizeof(big) - 2] = '\n';
		big[sizeof(big) - 1] = '\0';
		expect_bad(big, "line 1: symbol name longer");
	}
}

static void test_kallsyms_missing_file(void **state)
{
	struct collect c = { 0 };
	int err = kallsyms__parse("/nonexistent/kallsyms", collect_cb, &c);

	assert_int_equal(err, -ENOENT);
	assert_non_null(strstr(kp_errmsg(err), "/nonexistent/kallsyms"));
}

struct mods {
	int n;
	char name[4][32];
	u64 start[4], size[4];
};

static int mod_cb(const struct kmodule *m, void *arg)
{
	struct mods *c = arg;

	if (c->n < 4) {
		snprintf(c->name[c->n], 32, "%.*s", (int)m->namelen, m->name);
		c->start[c->n] = m->start;
		c->size[c->n] = m->size;
	}
	c->n++;
	return 0;
}

static void test_modules(void **state)
{
	struct mods c = { 0 };
	const char *p = write_file("modules",
				   "kvm_amd 155648 0 - Live 0xffffffffc0a00000\n"
				   "kvm 1142784 1 kvm_amd, Live 0xffffffffc0800000 (O)\n");
	int err;

	assert_int_equal(modules__parse(p, mod_cb, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.name[0], "kvm_amd");
	assert_true(c.start[0] == 0xffffffffc0a00000ULL);
	assert_true(c.size[1] == 1142784);

	p = write_file("modules", "kvm 1142784 1 - Live\n");
	err = modules__parse(p, mod_cb, &c);
	assert_int_equal(err, KP_ERR_BAD_SYMFILE);
	assert_non_null(strstr(kp_errmsg(err), "line 1"));
	p = write_file("modules", "kvm 1142784 1 - Live 0xffffffffc0800000\nkvm abc\n");
	err = modules__parse(p, mod_cb, &c);
	assert_int_equal(err, KP_ERR_BAD_SYMFILE);
	assert_non_null(strstr(kp_errmsg(err), "line 2: bad module size"));
	p = write_file("modules", "garbage\n");
	assert_int_equal(modules__parse(p, mod_cb, &c), KP_ERR_BAD_SYMFILE);
}

static void add(struct symtab *st, u64 start, u64 len, u8 bind, const char *name)
{
	symtab__add(st, start, len, bind, STT_FUNC, name, strlen(name));
}

static void test_fixup_end_and_find(void **state)
{
	struct symtab st;
	struct symbol *s;

	symtab__init(&st);
	add(&st, 0x300, 0, STB_GLOBAL, "c");
	add(&st, 0x100, 0, STB_GLOBAL, "a");
	add(&st, 0x200, 0x10, STB_GLOBAL, "b");
	symtab__finish(&st, false);
	assert_int_equal(st.nr, 3);
	assert_string_equal(st.syms[0].name, "a");
	assert_true(st.syms[0].end == 0x200); /* zero size: up to the next */
	assert_true(st.syms[1].end == 0x210); /* explicit size kept */
	assert_true(st.syms[2].end == 0x2000); /* last: page after roundup */
	assert_null(symtab__find(&st, 0xff));
	s = symtab__find(&st, 0x1ff);
	assert_string_equal(s->name, "a");
	assert_string_equal(symtab__find(&st, 0x20f)->name, "b");
	assert_null(symtab__find(&st, 0x210)); /* the gap after b */
	assert_string_equal(symtab__find(&st, 0x300)->name, "c");
	assert_null(symtab__find(&st, 0x2000));
	symtab__exit(&st);
}

static void test_fixup_kallsyms_rule(void **state)
{
	struct symtab st;

	symtab__init(&st);
	add(&st, 0x1000, 0, STB_GLOBAL, "last_core");
	add(&st, 0x9000, 0, STB_LOCAL, "mod_fn\t[kvm]");
	symtab__finish(&st, true);
	/* core followed by module: one page after, not up to the module */
	assert_true(st.syms[0].end == 0x2000);
	symtab__exit(&st);
}

static void test_fixup_duplicate(void **state)
{
	struct symtab st;

	symtab__init(&st);
	/* weak loses to global */
	add(&st, 0x100, 8, STB_WEAK, "clock_gettime");
	add(&st, 0x100, 8, STB_GLOBAL, "__vdso_clock_gettime");
	/* global beats local */
	add(&st, 0x200, 8, STB_LOCAL, "x_local");
	add(&st, 0x200, 8, STB_GLOBAL, "x");
	/* fewer leading underscores */
	add(&st, 0x300, 8, STB_GLOBAL, "__y");
	add(&st, 0x300, 8, STB_GLOBAL, "_y");
	/* longer name; equal lengths keep the first */
	add(&st, 0x400, 8, STB_GLOBAL, "zz");
	add(&st, 0x400, 8, STB_GLOBAL, "zzz");
	add(&st, 0x400, 8, STB_GLOBAL, "qqq");
	/* non-zero size beats zero size */
	add(&st, 0x500, 0, STB_GLOBAL, "zero");
	add(&st, 0x500, 4, STB_WEAK, "sized");
	symtab__finish(&st, false);
	assert_int_equal(st.nr, 5);
	assert_string_equal(symtab__find(&st, 0x100)->name, "__vdso_clock_gettime");
	assert_string_equal(symtab__find(&st, 0x200)->name, "x");
	assert_string_equal(symtab__find(&st, 0x300)->name, "_y");
	assert_string_equal(symtab__find(&st, 0x400)->name, "zzz");
	assert_string_equal(symtab__find(&st, 0x500)->name, "sized");
	symtab__exit(&st);
}

static void test_build_id_notes(void **state)
{
	u8 notes[64] = { 0 }, bid[KP_BUILD_ID_SIZE];
	char s[KP_SBUILD_ID_SIZE];
	u32 hdr[3] = { 4, 20, 3 };

	memcpy(notes, hdr, 12);
	memcpy(notes + 12, "GNU", 4);
	for (int i = 0; i < 20; i++)
		notes[16 + i] = (u8)(i * 17);
	assert_int_equal(build_id__from_notes(notes, 36, false, bid), 20);
	build_id__sprintf(bid, 20, s);
	assert_string_equal(s, "00112233445566778899aabbccddeeff10213243");
	/* a descsz pointing past the end is refused */
	hdr[1] = 200;
	memcpy(notes, hdr, 12);
	assert_int_equal(build_id__from_notes(notes, 36, false, bid), 0);
	assert_int_equal(build_id__from_notes(notes, 5, false, bid), 0);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kallsyms_good),
		cmocka_unit_test(test_kallsyms_malformed),
		cmocka_unit_test(test_kallsyms_missing_file),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_fixup_end_and_find),
		cmocka_unit_test(test_fixup_kallsyms_rule),
		cmocka_unit_test(test_fixup_duplicate),
		cmocka_unit_test(test_build_id_notes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
