// SPDX-License-Identifier: GPL-2.0
/*
 * build-id.c - GNU build-id notes (ELF notes, /sys/kernel/notes).
 */
#include <errno.h>
#include <string.h>

#include "symbol/symbol.h"
#include "util/elf-note.h"
#include "util/util.h"

void build_id__sprintf(const u8 *build_id, size_t size, char *bf)
{
	kp_build_id__hex(build_id, size, bf);
}

int build_id__from_notes(const void *notes, size_t len, bool swap, u8 *bid)
{
	struct kp_notes it;
	const u8 *desc;
	u32 descsz;
	size_t sz;

	kp_notes__init(&it, notes, len, swap);
	if (!kp_notes__next_build_id(&it, &desc, &descsz))
		return 0;
	sz = kp_min((size_t)descsz, (size_t)KP_BUILD_ID_SIZE);
	memset(bid, 0, KP_BUILD_ID_SIZE);
	memcpy(bid, desc, sz);
	return (int)sz;
}

int sysfs__read_build_id(const char *path, u8 *bid)
{
	struct strbuf sb = STRBUF_INIT;
	ssize_t n = strbuf_read_file(&sb, path, 1 << 20);
	int ret;

	if (n < 0) {
		strbuf_release(&sb);
		return (int)n;
	}
	ret = build_id__from_notes(sb.buf, sb.len, false, bid);
	strbuf_release(&sb);
	return ret ? ret : -ENOENT;
}
