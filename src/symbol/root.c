// SPDX-License-Identifier: GPL-2.0
/*
 * root.c - open files inside a guest's root directory (--guestmount DIR/PID).
 *
 * Everything under DIR/PID was written by the guest, so a symlink there must
 * not make us read a host file: paths are resolved with openat2() and
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS relative to a directory fd of the
 * root (absolute symlinks and ".." stay inside it, as they would inside the
 * guest).  Kernels without openat2() (before 5.6) get a component walk with
 * O_NOFOLLOW that refuses every symlink and "..".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "symbol/symbol.h"
#include "util/util.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

static int walk_nofollow(int dirfd, const char *path, int flags)
{
	char comp[256];
	int fd = dup(dirfd);

	if (fd < 0)
		return -errno;
	while (*path) {
		const char *slash;
		size_t n;
		int next;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		slash = strchr(path, '/');
		n = slash ? (size_t)(slash - path) : strlen(path);
		if (n >= sizeof(comp) || (n == 2 && !memcmp(path, "..", 2))) {
			close(fd);
			return -EXDEV;
		}
		memcpy(comp, path, n);
		comp[n] = '\0';
		path += n;
		while (*path == '/')
			path++;
		if (*path)
			next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		else
			next = openat(fd, comp, flags | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return -errno;
		fd = next;
	}
	return fd;
}

int root__open(const char *root, const char *path, int flags)
{
	struct open_how how = {
		.flags = (u64)(flags | O_CLOEXEC | O_NOCTTY),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int rootfd, fd;

	if (!root || !*root) {
		fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		return fd < 0 ? -errno : fd;
	}
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	while (*path == '/')
		path++;
	fd = (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = walk_nofollow(rootfd, path, flags);
	else if (fd < 0)
		fd = -errno;
	close(rootfd);
	return fd;
}

int root__open_file(const char *root, const char *path, int *fdp)
{
	struct stat st;
	int fd = root__open(root, path, O_RDONLY | O_NONBLOCK);

	*fdp = -1;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	*fdp = fd;
	return 0;
}

int sysfs__read_build_id_fd(int fd, u8 *bid)
{
	char buf[4096];
	size_t len = 0;
	ssize_t n;

	/* /sys/kernel/notes is a few hundred bytes: more is not a notes file */
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len += (size_t)n;
	}
	n = build_id__from_notes(buf, len, false, bid);
	return n > 0 ? (int)n : -ENOENT;
}
