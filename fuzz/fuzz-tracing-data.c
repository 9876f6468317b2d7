// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-tracing-data.c - the TRACING_DATA blob: container, header_page,
 * header_event, ftrace and event format files (libtraceevent), kallsyms,
 * printk formats and saved cmdlines; then every parsed event's fields.
 */
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "fuzz-common.h"
#include "data/tracing-data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tep_handle *tep = NULL;
	uint8_t *copy;

	fuzz__quiet();
	copy = xmalloc(size ? size : 1);
	memcpy(copy, data, size);
	if (!tracing_data__parse(&tep, copy, size) && tep) {
		struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);

		for (int i = 0; events && events[i]; i++) {
			struct tep_format_field **fields = tep_event_fields(events[i]);

			free(fields);
		}
		tep_free(tep);
	}
	free(copy);
	kp_error_clear();
	return 0;
}
