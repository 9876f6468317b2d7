// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-kallsyms.c - a kallsyms file: kallsyms__parse(), the symbol table
 * built from it (kallsyms end rules, duplicates) and lookups.
 */
#include "fuzz-common.h"
#include "symbol/symbol.h"

static int add_ksym(const struct kallsym *ks, void *arg)
{
	struct symtab *st = arg;

	if (kallsyms__is_function(ks->type) || ks->type == 'A')
		symtab__add(st, ks->addr, 0, 0, 0, ks->full, ks->fulllen);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_file f;
	struct symtab st;
	u64 addr;

	fuzz__quiet();
	if (fuzz_file__open(&f, data, size))
		return 0;
	symtab__init(&st);
	if (!kallsyms__parse(f.path, add_ksym, &st)) {
		symtab__finish(&st, true);
		for (size_t i = 0; i < st.nr; i++) {
			symtab__find(&st, st.syms[i].start);
			symtab__find(&st, st.syms[i].end - 1);
		}
		kallsyms__get_function_start(f.path, "_stext", &addr);
	}
	symtab__exit(&st);
	fuzz_file__close(&f);
	kp_error_clear();
	return 0;
}
