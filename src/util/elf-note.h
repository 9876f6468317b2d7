/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elf-note.h - walk a raw ELF note stream (an SHT_NOTE section, a PT_NOTE
 * segment, /sys/kernel/notes, /sys/module/NAME/notes/.note.gnu.build-id).
 *
 * Each note is namesz, descsz, type (32-bit words in the stream's byte
 * order), then the name and the descriptor, each padded to 4 bytes.  The
 * walker borrows the stream and never reads past its end: a note that does
 * not fit ends the walk.  What to make of a build-id note (which sizes to
 * accept, where to copy it) is the caller's choice; collect/buildid.c and
 * symbol/build-id.c each apply their own.  Both print ids through
 * kp_build_id__hex().
 */
#ifndef KP_UTIL_ELF_NOTE_H
#define KP_UTIL_ELF_NOTE_H

#include "util/types.h"

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif

/* a position in a note stream; embedded by the caller, nothing to free */
struct kp_notes {
	const u8 *p, *end;
	bool swap;
};

/**
 * kp_notes__init - start walking the @len bytes at @notes; @swap when the
 * stream's byte order is not the host's.
 */
void kp_notes__init(struct kp_notes *it, const void *notes, size_t len, bool swap);

/**
 * kp_notes__next_build_id - advance to the next NT_GNU_BUILD_ID note named
 * "GNU" and point *@desc at its descriptor of *@descsz bytes (borrowed from
 * the stream).  Returns false at the end of the stream or at a truncated note.
 */
bool kp_notes__next_build_id(struct kp_notes *it, const u8 **desc, u32 *descsz);

/** kp_build_id__hex - @size bytes of @id as lowercase hex into @buf (2 * size + 1 bytes). */
void kp_build_id__hex(const u8 *id, size_t size, char *buf);

#endif
