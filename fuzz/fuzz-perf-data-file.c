// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-perf-data-file.c - perf.data in file mode (mapped): header, attrs,
 * feature sections, data section, compressed records, byte order, then the
 * analysis a report does on every record.
 */
#include "fuzz-perf-data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_file f;

	fuzz__quiet();
	if (fuzz_file__open(&f, data, size))
		return 0;
	fuzz_perf_data(f.path);
	fuzz_file__close(&f);
	kp_error_clear();
	return 0;
}
