// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-perf-data-pipe.c - perf.data in pipe mode (streamed with read()):
 * HEADER_ATTR, HEADER_FEATURE, HEADER_TRACING_DATA and event records.
 * The input's header size is forced to 16 so that every input takes the
 * pipe-mode path.
 */
#include <stdlib.h>

#include "fuzz-perf-data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_file f;
	uint8_t *copy;
	u64 magic;

	fuzz__quiet();
	if (size < 16)
		return 0;
	copy = xmalloc(size);
	memcpy(copy, data, size);
	memcpy(&magic, copy, 8);
	if (magic == 0x50455246494c4532ULL) { /* big-endian file */
		static const u8 be16[8] = { 0, 0, 0, 0, 0, 0, 0, 16 };

		memcpy(copy + 8, be16, 8);
	} else {
		u64 h = 16;

		memcpy(copy + 8, &h, 8);
	}
	if (!fuzz_file__open(&f, copy, size)) {
		fuzz_perf_data(f.path);
		fuzz_file__close(&f);
	}
	free(copy);
	kp_error_clear();
	return 0;
}
