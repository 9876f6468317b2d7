// SPDX-License-Identifier: GPL-2.0
/*
 * elf-note.c - the one ELF note stream walker.
 */
#include <byteswap.h>
#include <string.h>

#include "util/elf-note.h"
#include "util/util.h"

void kp_notes__init(struct kp_notes *it, const void *notes, size_t len, bool swap)
{
	it->p = notes;
	it->end = it->p + len;
	it->swap = swap;
}

bool kp_notes__next_build_id(struct kp_notes *it, const u8 **desc, u32 *descsz)
{
	while ((size_t)(it->end - it->p) >= 12) {
		const u8 *p = it->p + 12;
		u32 namesz, dsz, type;
		size_t nlen, dlen;

		memcpy(&namesz, it->p, 4);
		memcpy(&dsz, it->p + 4, 4);
		memcpy(&type, it->p + 8, 4);
		if (it->swap) {
			namesz = bswap_32(namesz);
			dsz = bswap_32(dsz);
			type = bswap_32(type);
		}
		nlen = KP_ALIGN((size_t)namesz, 4);
		dlen = KP_ALIGN((size_t)dsz, 4);
		if (nlen > (size_t)(it->end - p) || dlen > (size_t)(it->end - p) - nlen) {
			it->p = it->end;
			return false;
		}
		it->p = p + nlen + dlen;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(p, "GNU", 4)) {
			*desc = p + nlen;
			*descsz = dsz;
			return true;
		}
	}
	return false;
}

void kp_build_id__hex(const u8 *id, size_t size, char *buf)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < size; i++) {
		buf[2 * i] = hex[id[i] >> 4];
		buf[2 * i + 1] = hex[id[i] & 15];
	}
	buf[2 * size] = '\0';
}
