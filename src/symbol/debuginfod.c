// SPDX-License-Identifier: GPL-2.0
/*
 * debuginfod.c - kernel images by build-id from debuginfod servers.
 *
 * libdebuginfod (elfutils) does the HTTP, the server list (DEBUGINFOD_URLS)
 * and the local cache ($DEBUGINFOD_CACHE_PATH, else ~/.cache/debuginfod_client):
 * a second run finds the file there without a download.  Downloads that take
 * more than a second show a progress line on stderr.  Built without
 * libdebuginfod, every lookup is -ENOTSUP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "symbol/symbol.h"
#include "util/util.h"

#ifdef KP_HAVE_DEBUGINFOD
#include <elfutils/debuginfod.h>

struct progress {
	const char *what;
	double start, last;
	bool shown;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int progress_fn(debuginfod_client *c, long a, long b)
{
	struct progress *p = debuginfod_get_user_data(c);
	double t = now();

	if (t - p->start < 1.0 || t - p->last < 0.25)
		return 0;
	p->last = t;
	p->shown = true;
	if (b > 0)
		fprintf(stderr, "\rDownloading %s from debuginfod: %ld of %ld KB", p->what,
			a >> 10, b >> 10);
	else
		fprintf(stderr, "\rDownloading %s from debuginfod: %ld KB", p->what, a >> 10);
	return 0;
}

int debuginfod__find_kernel(const u8 *bid, size_t size, char **path)
{
	const char *urls = getenv(DEBUGINFOD_URLS_ENV_VAR);
	struct progress p = { 0 };
	char sbid[KP_SBUILD_ID_SIZE], what[64];
	debuginfod_client *c;
	int fd;

	*path = NULL;
	if (!urls || !*urls || !size || size > KP_BUILD_ID_SIZE)
		return -ENOENT;
	c = debuginfod_begin();
	if (!c)
		return kp_error(-ENOMEM, "debuginfod: cannot start a client");
	build_id__sprintf(bid, size, sbid);
	snprintf(what, sizeof(what), "build-id %.16s...", sbid);
	p.what = what;
	p.start = p.last = now();
	debuginfod_set_user_data(c, &p);
	debuginfod_set_progressfn(c, progress_fn);
	/* the debuginfo (vmlinux with .symtab) first; a kernel image is often stripped */
	fd = debuginfod_find_debuginfo(c, bid, (int)size, path);
	if (fd < 0)
		fd = debuginfod_find_executable(c, bid, (int)size, path);
	if (p.shown)
		fputc('\n', stderr);
	debuginfod_end(c);
	if (fd < 0) {
		free(*path);
		*path = NULL;
		return kp_error(fd, "debuginfod: no kernel image with build-id %s on %s: %s", sbid,
				urls, strerror(-fd));
	}
	close(fd);
	return 0;
}
#else
int debuginfod__find_kernel(const u8 *bid, size_t size, char **path)
{
	(void)bid;
	(void)size;
	*path = NULL;
	return -ENOTSUP;
}
#endif
