// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-modules.c - a /proc/modules style file: modules__parse().
 */
#include <string.h>

#include "fuzz-common.h"
#include "symbol/symbol.h"

static int on_module(const struct kmodule *m, void *arg)
{
	u64 *sink = arg;

	*sink += m->start + m->size + m->namelen + (m->namelen ? (u8)m->name[m->namelen - 1] : 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_file f;
	u64 sink = 0;

	fuzz__quiet();
	if (fuzz_file__open(&f, data, size))
		return 0;
	modules__parse(f.path, on_module, &sink);
	fuzz_file__close(&f);
	kp_error_clear();
	return 0;
}
