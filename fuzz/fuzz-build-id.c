// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-build-id.c - an ELF note stream (PT_NOTE / .note sections,
 * /sys/kernel/notes): build_id__from_notes() in both byte orders and
 * sysfs__read_build_id() on the same bytes as a file.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "symbol/symbol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 bid[KP_BUILD_ID_SIZE]; /* exact size: a longer copy is an ASan report */
	char hex[KP_SBUILD_ID_SIZE];
	struct fuzz_file f;
	uint8_t *copy;
	int n;

	fuzz__quiet();
	copy = xmalloc(size ? size : 1);
	memcpy(copy, data, size);
	for (int swap = 0; swap < 2; swap++) {
		n = build_id__from_notes(copy, size, swap, bid);
		if (n > 0)
			build_id__sprintf(bid, (size_t)n, hex);
	}
	free(copy);
	if (!fuzz_file__open(&f, data, size)) {
		sysfs__read_build_id(f.path, bid);
		fuzz_file__close(&f);
	}
	kp_error_clear();
	return 0;
}
