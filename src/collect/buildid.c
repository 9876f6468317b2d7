// SPDX-License-Identifier: GPL-2.0
/*
 * buildid.c - GNU build-id notes from ELF files and raw note streams.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <unistd.h>

#include "collect/buildid.h"
#include "util/util.h"

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

int kp_buildid__from_notes(const void *notes, size_t len, u8 *id)
{
	const u8 *p = notes, *end = p + len;

	while ((size_t)(end - p) >= 12) {
		u32 namesz, descsz, type;
		size_t nlen, dlen;

		memcpy(&namesz, p, 4);
		memcpy(&descsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		p += 12;
		nlen = KP_ALIGN((size_t)namesz, 4);
		dlen = KP_ALIGN((size_t)descsz, 4);
		if (nlen > (size_t)(end - p) || dlen > (size_t)(end - p) - nlen)
			return 0;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(p, "GNU", 4) && descsz &&
		    descsz <= KP_BUILD_ID_MAX) {
			memcpy(id, p + nlen, descsz);
			return (int)descsz;
		}
		p += nlen + dlen;
	}
	return 0;
}

int kp_buildid__read_notes_file(const char *path, u8 *id)
{
	struct strbuf sb = STRBUF_INIT;
	ssize_t n = strbuf_read_file(&sb, path, 1 << 20);
	int ret = n < 0 ? (int)n : kp_buildid__from_notes(sb.buf, sb.len, id);

	strbuf_release(&sb);
	return ret;
}

int kp_buildid__read_elf(const char *path, u8 *id)
{
	Elf_Scn *scn = NULL;
	int fd, ret = 0;
	Elf *elf;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		ret = KP_ERR_BAD_ELF;
		goto out;
	}
	while (!ret && (scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		d = elf_getdata(scn, NULL);
		if (d && d->d_buf)
			ret = kp_buildid__from_notes(d->d_buf, d->d_size, id);
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

void kp_buildid__hex(const u8 *id, int size, char *buf)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < size; i++) {
		buf[2 * i] = hex[id[i] >> 4];
		buf[2 * i + 1] = hex[id[i] & 15];
	}
	buf[2 * (size > 0 ? size : 0)] = '\0';
}
