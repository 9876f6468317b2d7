// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-feature.c - one feature section, decoded as the reader does for file
 * mode feature sections and pipe-mode HEADER_FEATURE records.
 *
 * Input: byte 0 = feature number (mod HEADER_LAST_FEATURE), byte 1 bit 0 =
 * foreign byte order, the rest = the section's bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "fuzz-common.h"
#include "data/data-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perf_data *pd;
	uint8_t *copy;
	int feat;

	fuzz__quiet();
	if (size < 2)
		return 0;
	feat = data[0] % HEADER_LAST_FEATURE;
	if (!feat)
		return 0;
	pd = xzalloc(sizeof(*pd));
	pd->path = xstrdup("fuzz-feature");
	pd->fd = -1;
	evlist__init(&pd->evlist);
	pd->header.needs_swap = data[1] & 1;
	pd->size = size;
	/* an exact-size heap copy: overreads are ASan reports */
	copy = xmalloc(size - 2 ? size - 2 : 1);
	memcpy(copy, data + 2, size - 2);
	if (!perf_header__read_feature(pd, feat, copy, size - 2, 0x100)) {
		perf_header__set_feat(&pd->header, feat);
		perf_data__apply_event_desc(pd);
	}
	free(copy);
	evlist__exit(&pd->evlist);
	if (pd->tep)
		tep_free(pd->tep);
	perf_header__exit(&pd->header);
	free(pd->path);
	free(pd);
	kp_error_clear();
	return 0;
}
