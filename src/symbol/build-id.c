// SPDX-License-Identifier: GPL-2.0
/*
 * build-id.c - GNU build-id notes (ELF notes, /sys/kernel/notes).
 */
#include <byteswap.h>
#include <errno.h>
#include <string.h>

#include "symbol/symbol.h"
#include "util/util.h"

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

void build_id__sprintf(const u8 *build_id, size_t size, char *bf)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < size; i++) {
		bf[2 * i] = hex[build_id[i] >> 4];
		bf[2 * i + 1] = hex[build_id[i] & 15];
	}
	bf[2 * size] = '\0';
}

int build_id__from_notes(const void *notes, size_t len, bool swap, u8 *bid)
{
	const u8 *p = notes, *end = p + len;

	while ((size_t)(end - p) >= 12) {
		u32 namesz, descsz, type;
		size_t nlen, dlen;

		memcpy(&namesz, p, 4);
		memcpy(&descsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		if (swap) {
			namesz = bswap_32(namesz);
			descsz = bswap_32(descsz);
			type = bswap_32(type);
		}
		p += 12;
		nlen = KP_ALIGN((size_t)namesz, 4);
		dlen = KP_ALIGN((size_t)descsz, 4);
		if (namesz > (size_t)(end - p) || nlen > (size_t)(end - p))
			return 0;
		if (descsz > (size_t)(end - p - nlen) || dlen > (size_t)(end - p - nlen))
			return 0;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(p, "GNU", 4)) {
			size_t sz = kp_min((size_t)descsz, (size_t)KP_BUILD_ID_SIZE);

			memset(bid, 0, KP_BUILD_ID_SIZE);
			memcpy(bid, p + nlen, sz);
			return (int)sz;
		}
		p += nlen + dlen;
	}
	return 0;
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
