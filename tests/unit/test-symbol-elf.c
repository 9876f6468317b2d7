// SPDX-License-Identifier: GPL-2.0
/*
 * ELF symbols of a small shared object built at test time with the C
 * compiler: function/object/label rules, fix-ups, PLT entries, build-id,
 * debuglink, and malformed files (errors, never crashes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbol/symbol.h"
#include "util/util.h"

static char tmpdir[] = "/tmp/kp-test-symelf.XXXXXX";
static char so[300];
static bool have_cc;

static const char source[] =
	"#include <stdio.h>\n"
	"int counter = 1;\n"
	"static int __attribute__((noinline)) local_fn(int x) { return x * counter + 3; }\n"
	"int __attribute__((noinline)) global_fn(int x) { puts(\"x\"); return local_fn(x) + 1; }\n"
	"int weak_alias(int x) __attribute__((weak, alias(\"global_fn\")));\n"
	"int __attribute__((noinline)) _Z7mangledi(int x) { return x + 7; }\n"
	"__asm__(\".text\\n.globl asm_nosize\\n.type asm_nosize,@function\\n"
	"asm_nosize:\\n nop\\n nop\\n ret\\n\");\n"
	"int __attribute__((noinline)) after_asm(int x) { return x - 1; }\n";

static int run(const char *cmd)
{
	int rc = system(cmd);

	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static int setup(void **state)
{
	char src[300], cmd[1024];
	FILE *fp;

	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(src, sizeof(src), "%s/t.c", tmpdir);
	snprintf(so, sizeof(so), "%s/libt.so", tmpdir);
	fp = fopen(src, "w");
	if (!fp)
		return -1;
	fputs(source, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd),
		 "cc -shared -fPIC -O1 -fno-inline -Wl,-z,lazy "
		 "-Wl,--build-id=0x00112233445566778899aabbccddeeff01234567 -o %s %s 2>/dev/null",
		 so, src);
	have_cc = run(cmd) == 0;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return run(cmd) == 0 ? 0 : -1;
}

static const struct symbol *by_name(const struct symtab *st, const char *name)
{
	for (size_t i = 0; i < st->nr; i++)
		if (!strcmp(st->syms[i].name, name))
			return &st->syms[i];
	return NULL;
}

static void test_symbols(void **state)
{
	struct elf_syms_opts opts = { .adjust_symbols = true, .want_plt = true, .demangle = true };
	struct symtab st, plt;
	const struct symbol *g, *w, *a, *after, *l, *c, *p;
	int n;

	if (!have_cc)
		skip();
	symtab__init(&st);
	symtab__init(&plt);
	n = elf__load_symbols(so, NULL, &opts, &st, &plt);
	assert_true(n > 5);
	/* PLT names before they are merged */
	symtab__resolve_names(&plt);
	p = by_name(&plt, "puts@plt");
	assert_non_null(p);
	assert_true(p->end - p->start == 16);
	symtab__finish_elf(&st, &plt);
	assert_int_equal(plt.nr, 0);

	g = by_name(&st, "global_fn");
	w = by_name(&st, "weak_alias");
	l = by_name(&st, "local_fn");
	c = by_name(&st, "counter");
	a = by_name(&st, "asm_nosize");
	after = by_name(&st, "after_asm");
	assert_non_null(g);
	assert_non_null(l);
	assert_non_null(c);
	assert_int_equal(c->type, STT_OBJECT);
	assert_int_equal(l->binding, STB_LOCAL);
	/* weak alias at the same address loses to the global */
	assert_null(w);
	assert_ptr_equal(symtab__find(&st, g->start), g);
	assert_ptr_equal(symtab__find(&st, g->end - 1), g);
	/* the zero-size asm function reaches the next symbol */
	assert_non_null(a);
	assert_non_null(after);
	assert_true(a + 1 < st.syms + st.nr);
	assert_true(a->end == a[1].start);
	assert_true(a->end > a->start);
	assert_ptr_equal(symtab__find(&st, a->start + 1), a);
	/* the PLT entry is found where no ELF symbol covers it */
	p = by_name(&st, "puts@plt");
	assert_non_null(p);
#ifdef KP_HAVE_LIBIBERTY
	assert_non_null(by_name(&st, "mangled"));
#endif
	symtab__exit(&st);
	symtab__exit(&plt);
}

static void test_build_id_and_debuglink(void **state)
{
	u8 bid[KP_BUILD_ID_SIZE];
	char s[KP_SBUILD_ID_SIZE], cmd[1024], stripped[300];
	struct strbuf sb = STRBUF_INIT;
	struct elf_syms_opts opts = { .adjust_symbols = true };
	struct symtab st;
	int n;

	if (!have_cc)
		skip();
	n = filename__read_build_id(so, bid);
	assert_int_equal(n, 20);
	build_id__sprintf(bid, 20, s);
	assert_string_equal(s, "00112233445566778899aabbccddeeff01234567");
	assert_int_equal(elf__read_debuglink(so, &sb), -ENOENT);

	snprintf(stripped, sizeof(stripped), "%s/libt-stripped.so", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && objcopy --only-keep-debug libt.so libt.debug && "
		 "objcopy --strip-all --add-gnu-debuglink=libt.debug libt.so libt-stripped.so",
		 tmpdir);
	if (run(cmd) != 0) {
		strbuf_release(&sb);
		skip();
	}
	assert_int_equal(elf__read_debuglink(stripped, &sb), 0);
	assert_string_equal(sb.buf, "libt.debug");
	/* stripped: .dynsym only, no local symbols */
	symtab__init(&st);
	n = elf__load_symbols(stripped, NULL, &opts, &st, NULL);
	assert_true(n > 0);
	symtab__finish_elf(&st, NULL);
	assert_non_null(by_name(&st, "global_fn"));
	assert_null(by_name(&st, "local_fn"));
	symtab__exit(&st);
	/* the debug file (NOBITS text) with the stripped runtime file: locals are back */
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/libt.debug", tmpdir);
	symtab__init(&st);
	n = elf__load_symbols(sb.buf, stripped, &opts, &st, NULL);
	assert_true(n > 0);
	symtab__finish_elf(&st, NULL);
	assert_non_null(by_name(&st, "local_fn"));
	symtab__exit(&st);
	strbuf_release(&sb);
}

static void test_malformed(void **state)
{
	char path[300], cmd[1024];
	struct elf_syms_opts opts = { .adjust_symbols = true, .want_plt = true };
	struct symtab st, plt;
	u8 bid[KP_BUILD_ID_SIZE];
	FILE *fp;
	int n;

	symtab__init(&st);
	symtab__init(&plt);
	snprintf(path, sizeof(path), "%s/garbage", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not an ELF file at all\n", fp);
	fclose(fp);
	n = elf__load_symbols(path, NULL, &opts, &st, &plt);
	assert_int_equal(n, KP_ERR_BAD_ELF);
	assert_non_null(strstr(kp_errmsg(n), path));
	assert_true(filename__read_build_id(path, bid) <= 0);
	assert_int_equal(elf__load_symbols("/nonexistent/x.so", NULL, &opts, &st, &plt), -ENOENT);

	if (!have_cc)
		return;
	/* truncated copies of a real ELF, at many lengths */
	for (int len = 16; len < 16384; len = len * 3 / 2 + 7) {
		snprintf(cmd, sizeof(cmd), "head -c %d %s > %s/trunc", len, so, tmpdir);
		assert_int_equal(run(cmd), 0);
		snprintf(path, sizeof(path), "%s/trunc", tmpdir);
		n = elf__load_symbols(path, NULL, &opts, &st, &plt);
		assert_true(n >= 0 || n == KP_ERR_BAD_ELF);
		filename__read_build_id(path, bid);
		symtab__finish_elf(&st, &plt);
		symtab__exit(&st);
		symtab__init(&st);
		symtab__init(&plt);
	}
	/* corrupt the section header offset */
	snprintf(cmd, sizeof(cmd),
		 "cp %s %s/corrupt && printf '\\377\\377\\377\\377' | "
		 "dd of=%s/corrupt bs=1 seek=40 conv=notrunc 2>/dev/null",
		 so, tmpdir, tmpdir);
	assert_int_equal(run(cmd), 0);
	snprintf(path, sizeof(path), "%s/corrupt", tmpdir);
	n = elf__load_symbols(path, NULL, &opts, &st, &plt);
	assert_true(n == 0 || n == KP_ERR_BAD_ELF);
	symtab__exit(&st);
	symtab__exit(&plt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_build_id_and_debuglink),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
