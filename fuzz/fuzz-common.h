/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz-common.h - helpers shared by the libFuzzer targets in fuzz/.
 *
 * Every target defines LLVMFuzzerTestOneInput().  Built with
 * -Dfuzzing=true (clang, -fsanitize=fuzzer) it is a libFuzzer binary; built
 * normally it is linked with replay-main.c, a plain driver that feeds it the
 * files named on its command line (the regression inputs and seed corpus),
 * so `make check` replays them under ASan+UBSan.
 *
 * Parsers that take a path get the input through a memfd, named
 * /proc/self/fd/N: no file system traffic, and a regular file for mmap.
 */
#ifndef KP_FUZZ_COMMON_H
#define KP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_file {
	int fd;
	char path[64];
};

/* fuzz_file__open - a memfd holding @size bytes of @data; -1 on failure */
static inline int fuzz_file__open(struct fuzz_file *f, const void *data, size_t size)
{
	const uint8_t *p = data;

	f->fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (f->fd < 0)
		return -1;
	while (size) {
		ssize_t n = write(f->fd, p, size);

		if (n <= 0) {
			close(f->fd);
			return -1;
		}
		p += n;
		size -= (size_t)n;
	}
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	return 0;
}

static inline void fuzz_file__close(struct fuzz_file *f)
{
	close(f->fd);
}

/* quiet: the parsers' warnings and kp_error() details are expected output */
static inline void fuzz__quiet(void)
{
	kp_verbose = -2; /* below pr_warning()'s level */
}

#endif
