/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buildid.h - read GNU build-ids for the BUILD_ID feature of a recording.
 *
 * Sources: an ELF file's SHT_NOTE sections / PT_NOTE segments (user DSOs,
 * vmlinux), or a raw note stream such as /sys/kernel/notes (the running
 * kernel) and /sys/module/NAME/notes/.note.gnu.build-id.  Only the first
 * NT_GNU_BUILD_ID note with name "GNU" counts.  Ids are at most 20 bytes.
 */
#ifndef KP_COLLECT_BUILDID_H
#define KP_COLLECT_BUILDID_H

#include "util/types.h"

#define KP_BUILD_ID_MAX 20

/**
 * kp_buildid__from_notes - parse a raw ELF note stream of @len bytes.
 * Returns the id size (> 0), or 0 if there is no GNU build-id note.
 */
int kp_buildid__from_notes(const void *notes, size_t len, u8 *id);

/** kp_buildid__read_notes_file - kp_buildid__from_notes() on a file's contents. */
int kp_buildid__read_notes_file(const char *path, u8 *id);

/**
 * kp_buildid__read_elf - the build-id of ELF file @path.  Returns the size,
 * 0 if the file has none, or -errno / KP_ERR_BAD_ELF.
 */
int kp_buildid__read_elf(const char *path, u8 *id);

/**
 * kp_buildid__for_dso - the build-id of a hit DSO as kp_hits__for_each()
 * names it, from where perf reads it at record time: the host kernel from
 * /sys/kernel/notes, host modules from /sys/module/NAME/notes, the default
 * guest kernel from @guestvmlinux (if given), a --guestmount guest's kernel
 * from @guestmount/PID/sys/kernel/notes and its modules from
 * @guestmount/PID/sys/module/NAME/notes/.note.gnu.build-id, a guest user
 * file from @guestmount/PID/PATH, any other path from the file itself.
 * Returns the id size, or 0 when unknown.
 */
int kp_buildid__for_dso(u8 cpumode, s32 machine_pid, const char *name, const char *guestmount,
			const char *guestvmlinux, u8 *id);

/**
 * kp_buildid__cache_add - put a copy of @file, known to readers as DSO @name
 * (an absolute path, e.g. a guest's "/bin/x" whose file lies under
 * --guestmount), into perf's build-id cache as perf record does: the copy at
 * CACHE/NAME/HEX/elf and the link CACHE/.build-id/HE/X... -> ../..NAME/HEX,
 * CACHE being $PERF_BUILDID_DIR or ~/.debug.  Existing entries are kept.
 * Returns 0 (also when there is no cache directory to use) or a code with a
 * detail.
 */
int kp_buildid__cache_add(const char *file, const char *name, const u8 *id, int size);

/** kp_buildid__hex - @id as lowercase hex into @buf (2 * size + 1 bytes). */
void kp_buildid__hex(const u8 *id, int size, char *buf);

#endif
