// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-elf-symbols.c - ELF symbol loading through libelf: .symtab/.dynsym,
 * PLT synthesis, address adjustment, demangling, then perf's fix-ups and
 * lookups; and the file-based readers (build-id notes, debuglink).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "symbol/symbol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct elf_syms_opts opts = {
		.adjust_symbols = size & 1,
		.want_plt = true,
		.demangle = true,
	};
	struct symtab st, plt;
	struct fuzz_file f;
	u8 bid[KP_BUILD_ID_SIZE];
	uint8_t *copy;

	fuzz__quiet();
	copy = xmalloc(size ? size : 1);
	memcpy(copy, data, size);
	symtab__init(&st);
	symtab__init(&plt);
	if (elf__load_symbols_mem(copy, size, "fuzz", &opts, &st, &plt) >= 0) {
		symtab__finish_elf(&st, &plt);
		for (size_t i = 0; i < st.nr; i++)
			symtab__find(&st, st.syms[i].start);
	}
	symtab__exit(&st);
	symtab__exit(&plt);
	free(copy);
	if (!fuzz_file__open(&f, data, size)) {
		struct strbuf sb = STRBUF_INIT;
		bool has_symtab, has_dynsym;
		u64 addr;

		symtab__init(&st);
		symtab__init(&plt);
		if (elf__load_symbols(f.path, NULL, &opts, &st, &plt) >= 0)
			symtab__finish_elf(&st, &plt);
		symtab__exit(&st);
		symtab__exit(&plt);
		filename__read_build_id(f.path, bid);
		elf__read_debuglink(f.path, &sb);
		strbuf_release(&sb);
		elf__has_symtab(f.path, &has_symtab, &has_dynsym);
		elf__symbol_start(f.path, "_stext", &addr);
		fuzz_file__close(&f);
	}
	kp_error_clear();
	return 0;
}
