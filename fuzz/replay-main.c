// SPDX-License-Identifier: GPL-2.0
/*
 * replay-main.c - a plain driver for the fuzz targets (no libFuzzer): feeds
 * every file named on the command line, and every file in every directory
 * named, to LLVMFuzzerTestOneInput() once.  The tests use it to replay the
 * regression inputs (tests/fuzz-regressions/<target>/) and the seed corpus
 * under ASan+UBSan; a crash or sanitizer report fails the test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-common.h"

static int replay_file(const char *path, unsigned int *count)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "replay: '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	close(fd);
	if (n < 0) {
		fprintf(stderr, "replay: '%s': read error: %s\n", path, strerror(errno));
		strbuf_release(&sb);
		return -1;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, sb.len);
	/* a private copy of exactly the input's size, so ASan sees overreads */
	{
		uint8_t *copy = xmalloc(sb.len ? sb.len : 1);

		if (sb.len)
			memcpy(copy, sb.buf, sb.len);
		LLVMFuzzerTestOneInput(copy, sb.len);
		free(copy);
	}
	strbuf_release(&sb);
	(*count)++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, unsigned int *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;
	int err = 0;

	if (!d) {
		fprintf(stderr, "replay: '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct strbuf p = STRBUF_INIT;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		strbuf_addf(&p, "%s/%s", dir, de->d_name);
		if (stat(p.buf, &st) < 0 || !S_ISREG(st.st_mode)) {
			strbuf_release(&p);
			continue;
		}
		if (nr == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			names = xrealloc(names, alloc * sizeof(*names));
		}
		names[nr++] = strbuf_detach(&p, NULL);
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nr; i++) {
		if (replay_file(names[i], count))
			err = -1;
		free(names[i]);
	}
	free(names);
	return err;
}

int main(int argc, char **argv)
{
	unsigned int count = 0;
	int err = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: '%s': %s\n", argv[i], strerror(errno));
			err = 1;
		} else if (S_ISDIR(st.st_mode)) {
			err |= replay_dir(argv[i], &count) ? 1 : 0;
		} else {
			err |= replay_file(argv[i], &count) ? 1 : 0;
		}
	}
	fprintf(stderr, "replay: %u inputs, no crash\n", count);
	return err;
}
