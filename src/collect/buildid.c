// SPDX-License-Identifier: GPL-2.0
/*
 * buildid.c - GNU build-id notes from ELF files and raw note streams.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/buildid.h"
#include "data/event.h"
#include "util/elf-note.h"
#include "util/util.h"

int kp_buildid__from_notes(const void *notes, size_t len, u8 *id)
{
	struct kp_notes it;
	const u8 *desc;
	u32 descsz;

	kp_notes__init(&it, notes, len, false);
	while (kp_notes__next_build_id(&it, &desc, &descsz)) {
		if (descsz && descsz <= KP_BUILD_ID_MAX) {
			memcpy(id, desc, descsz);
			return (int)descsz;
		}
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
	kp_build_id__hex(id, size > 0 ? (size_t)size : 0, buf);
}

int kp_buildid__for_dso(u8 cpumode, s32 machine_pid, const char *name, const char *guestmount,
			const char *guestvmlinux, u8 *id)
{
	bool guest = cpumode == PERF_RECORD_MISC_GUEST_KERNEL ||
		     cpumode == PERF_RECORD_MISC_GUEST_USER;
	bool kernel = cpumode == PERF_RECORD_MISC_KERNEL ||
		      cpumode == PERF_RECORD_MISC_GUEST_KERNEL;
	struct strbuf root = STRBUF_INIT, p = STRBUF_INIT;
	int size = 0;

	/* the default guest's root would be the host's: perf reads nothing there */
	if (guest && machine_pid > 0 && guestmount)
		strbuf_addf(&root, "%s/%d", guestmount, (int)machine_pid);
	else if (guest && cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		machine_pid = 0;
	if (kernel && (!strcmp(name, "[kernel.kallsyms]") ||
		       !strncmp(name, "[guest.kernel.kallsyms", 22))) {
		if (!guest)
			size = kp_buildid__read_notes_file("/sys/kernel/notes", id);
		else if (root.len)
			strbuf_addf(&p, "%s/sys/kernel/notes", root.buf);
		else if (!machine_pid && guestvmlinux)
			size = kp_buildid__read_elf(guestvmlinux, id);
		if (p.len)
			size = kp_buildid__read_notes_file(p.buf, id);
	} else if (kernel && name[0] == '[') {
		if (!guest || root.len)
			strbuf_addf(&p, "%s/sys/module/%.*s/notes/.note.gnu.build-id", root.buf,
				    (int)strcspn(name + 1, "]"), name + 1);
		if (p.len)
			size = kp_buildid__read_notes_file(p.buf, id);
	} else if (name[0] == '/') {
		strbuf_addf(&p, "%s%s", root.buf, name);
		size = kp_buildid__read_elf(p.buf, id);
	}
	strbuf_release(&root);
	strbuf_release(&p);
	return size > 0 ? size : 0;
}

/* mkdir -p of @path (a strbuf we may cut temporarily) */
static int mkdir_p(struct strbuf *path)
{
	for (size_t i = 1; i <= path->len; i++) {
		char c = path->buf[i];

		if (c != '/' && c != '\0')
			continue;
		path->buf[i] = '\0';
		if (mkdir(path->buf, 0755) && errno != EEXIST) {
			int err = -errno;

			path->buf[i] = c;
			return kp_error(err, "'%s': cannot create the directory: %s", path->buf,
					strerror(-err));
		}
		path->buf[i] = c;
	}
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in, out, err = 0;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return kp_error(-errno, "'%s': cannot open: %s", from, strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		err = kp_error(-errno, "'%s': cannot create: %s", to, strerror(errno));
		close(in);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			err = kp_error(errno ? -errno : -EIO, "'%s': cannot write: %s", to,
				       strerror(errno ? errno : EIO));
			break;
		}
	}
	if (n < 0 && !err)
		err = kp_error(-errno, "'%s': cannot read: %s", from, strerror(errno));
	if (close(out) && !err)
		err = kp_error(-errno, "'%s': cannot write: %s", to, strerror(errno));
	close(in);
	if (err)
		unlink(to);
	return err;
}

int kp_buildid__cache_add(const char *file, const char *name, const u8 *id, int size)
{
	const char *env = getenv("PERF_BUILDID_DIR"), *home = getenv("HOME");
	struct strbuf dir = STRBUF_INIT, obj = STRBUF_INIT, link = STRBUF_INIT;
	struct strbuf target = STRBUF_INIT;
	char hex[2 * KP_BUILD_ID_MAX + 1];
	struct stat st;
	int err = 0;

	if (size <= 0 || size > KP_BUILD_ID_MAX || name[0] != '/')
		return 0;
	if (env && *env)
		strbuf_addstr(&dir, env);
	else if (home && *home)
		strbuf_addf(&dir, "%s/.debug", home);
	else
		return 0;
	kp_buildid__hex(id, size, hex);
	/* DIR/NAME/HEX/elf holds the copy; DIR/.build-id/HE/X... points at DIR/NAME/HEX */
	strbuf_addf(&obj, "%s%s/%s", dir.buf, name, hex);
	strbuf_addf(&link, "%s/.build-id/%.2s", dir.buf, hex);
	err = mkdir_p(&obj);
	if (!err)
		err = mkdir_p(&link);
	if (err)
		goto out;
	strbuf_addf(&obj, "/elf");
	if (stat(obj.buf, &st)) {
		err = copy_file(file, obj.buf);
		if (err)
			goto out;
	}
	strbuf_addf(&link, "/%s", hex + 2);
	strbuf_addf(&target, "../..%s/%s", name, hex);
	if (symlink(target.buf, link.buf) && errno != EEXIST)
		err = kp_error(-errno, "'%s': cannot link the build-id cache entry: %s", link.buf,
			       strerror(errno));
out:
	strbuf_release(&dir);
	strbuf_release(&obj);
	strbuf_release(&link);
	strbuf_release(&target);
	return err;
}
