// SPDX-License-Identifier: GPL-2.0
/*
 * debuginfod.c - kernel images by build-id from debuginfod servers.
 *
 * libdebuginfod (elfutils) does the HTTP, the server list (DEBUGINFOD_URLS)
 * and the local cache ($DEBUGINFOD_CACHE_PATH, else ~/.cache/debuginfod_client):
 * a second run finds the file there without a download.  Downloads that take
 * more than a second show a progress line on stderr.  Built without
 * libdebuginfod, every lookup is -ENOTSUP.
 *
 * libdebuginfod.so.1 is not linked but dlopen()ed by the first lookup (it
 * pulls libcurl, gnutls, krb5... whose linking every start would pay), and
 * only when DEBUGINFOD_URLS names servers.  If it cannot be loaded, that first
 * lookup fails with a detail naming the file and the package libdebuginfod1,
 * and later ones are -ENOTSUP as in a build without it: the kernel stays
 * unsymbolized, as when the servers do not have it.  For tests,
 * KVMPROF_DEBUGINFOD_LIB replaces the soname (see util/dlib.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "symbol/symbol.h"
#include "util/dlib.h"
#include "util/util.h"

#ifdef KP_HAVE_DEBUGINFOD
#include <elfutils/debuginfod.h>

/* the libdebuginfod functions used here, typed by its header */
static struct {
	__typeof__(debuginfod_begin) *debuginfod_begin;
	__typeof__(debuginfod_end) *debuginfod_end;
	__typeof__(debuginfod_find_debuginfo) *debuginfod_find_debuginfo;
	__typeof__(debuginfod_find_executable) *debuginfod_find_executable;
	__typeof__(debuginfod_set_progressfn) *debuginfod_set_progressfn;
	__typeof__(debuginfod_set_user_data) *debuginfod_set_user_data;
	__typeof__(debuginfod_get_user_data) *debuginfod_get_user_data;
} di;

static const struct dlib_sym di_syms[] = {
	DLIB_SYM(di, debuginfod_begin),
	DLIB_SYM(di, debuginfod_end),
	DLIB_SYM(di, debuginfod_find_debuginfo),
	DLIB_SYM(di, debuginfod_find_executable),
	DLIB_SYM(di, debuginfod_set_progressfn),
	DLIB_SYM(di, debuginfod_set_user_data),
	DLIB_SYM(di, debuginfod_get_user_data),
};

static const struct dlib di_lib = {
	.soname = "libdebuginfod.so.1",
	.env = "KVMPROF_DEBUGINFOD_LIB",
	.package = "libdebuginfod1",
	.user = "debuginfod",
};

/*
 * Load once per process.  Only the caller that tried gets the error with its
 * detail (kp_error() details are per thread); the others see -ENOTSUP.
 */
static int di_load(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int state; /* 0 not tried, 1 loaded, -1 failed */
	int err = 0;

	pthread_mutex_lock(&lock);
	if (!state) {
		err = dlib__open(&di_lib, di_syms, ARRAY_SIZE(di_syms));
		state = err ? -1 : 1;
	} else if (state < 0) {
		err = -ENOTSUP;
	}
	pthread_mutex_unlock(&lock);
	return err;
}

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
	struct progress *p = di.debuginfod_get_user_data(c);
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
	int fd, err;

	*path = NULL;
	if (!urls || !*urls || !size || size > KP_BUILD_ID_SIZE)
		return -ENOENT;
	err = di_load();
	if (err)
		return err;
	c = di.debuginfod_begin();
	if (!c)
		return kp_error(-ENOMEM, "debuginfod: cannot start a client");
	build_id__sprintf(bid, size, sbid);
	snprintf(what, sizeof(what), "build-id %.16s...", sbid);
	p.what = what;
	p.start = p.last = now();
	di.debuginfod_set_user_data(c, &p);
	di.debuginfod_set_progressfn(c, progress_fn);
	/* the debuginfo (vmlinux with .symtab) first; a kernel image is often stripped */
	fd = di.debuginfod_find_debuginfo(c, bid, (int)size, path);
	if (fd < 0)
		fd = di.debuginfod_find_executable(c, bid, (int)size, path);
	if (p.shown)
		fputc('\n', stderr);
	di.debuginfod_end(c);
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
