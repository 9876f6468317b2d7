// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms.c - /proc/kallsyms and /proc/modules style files.
 *
 * Both are untrusted input (copies given with --kallsyms, --guestkallsyms,
 * --guestmodules, files a guest wrote under --guestmount): every line is
 * checked and a bad one is reported with the file name and line number
 * instead of being guessed at.  Reads are bounded: a line longer than the
 * format allows or a file larger than any real one is an error after at most
 * that many bytes, never an allocation of the attacker's choosing.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbol/symbol.h"
#include "util/util.h"

#define KSYM_NAME_LEN 512

bool kallsyms__is_function(char type)
{
	return type == 'T' || type == 't' || type == 'W' || type == 'w';
}

/* hex digit value + 1 (0: not a hex digit): one load per digit on 100k+ lines */
static const unsigned char hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* parse up to 16 hex digits; returns the number of characters used (0: none) */
static size_t parse_hex(const char *s, size_t len, u64 *val)
{
	size_t i = 0;
	u64 v = 0;
	unsigned int d;

	while (i < len && (d = hex1[(unsigned char)s[i]])) {
		if (i >= 16)
			return 0;
		v = (v << 4) | (u64)(d - 1);
		i++;
	}
	*val = v;
	return i;
}

/* a real kallsyms line is < 600 bytes; a /proc/modules line lists dependents */
#define KALLSYMS_LINE_MAX 4096
#define MODULES_LINE_MAX 65536
#define KALLSYMS_FILE_MAX (256ULL << 20)
#define MODULES_FILE_MAX (16ULL << 20)
#define LR_CHUNK 65536

/* bounded line reader over a file descriptor */
struct line_reader {
	int fd;
	const char *name;
	char *buf;
	size_t cap, start, end;
	size_t max_line;
	u64 total, max_file;
	bool eof;
	bool nul_seen; /* a NUL byte was read: lines must be checked one by one */
};

static void line_reader__init(struct line_reader *lr, int fd, const char *name, size_t max_line,
			      u64 max_file)
{
	memset(lr, 0, sizeof(*lr));
	lr->fd = fd;
	lr->name = name;
	lr->max_line = max_line;
	lr->max_file = max_file;
	lr->cap = max_line + LR_CHUNK + 1;
	lr->buf = xmalloc(lr->cap);
}

/*
 * The next line (without its newline, NUL-terminated in place) into
 * @line/@len.  Returns 1, 0 at the end, or a negative error.
 */
static int line_reader__next(struct line_reader *lr, unsigned long lineno, char **line,
			     size_t *len)
{
	for (;;) {
		char *nl = memchr(lr->buf + lr->start, '\n', lr->end - lr->start);
		size_t avail = lr->end - lr->start;
		ssize_t n;

		if (nl || (lr->eof && avail)) {
			size_t l = nl ? (size_t)(nl - (lr->buf + lr->start)) : avail;

			if (l > lr->max_line)
				break;
			*line = lr->buf + lr->start;
			(*line)[l] = '\0';
			*len = l;
			lr->start += l + (nl ? 1 : 0);
			return 1;
		}
		if (lr->eof)
			return 0;
		if (avail > lr->max_line)
			break;
		memmove(lr->buf, lr->buf + lr->start, avail);
		lr->start = 0;
		lr->end = avail;
		do {
			n = read(lr->fd, lr->buf + lr->end, lr->cap - 1 - lr->end);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			return kp_error(-errno, "'%s': read error after line %lu: %s", lr->name,
					lineno, strerror(errno));
		if (n == 0)
			lr->eof = true;
		/* one scan per read instead of one per line (real files have no NUL) */
		if (n > 0 && !lr->nul_seen && memchr(lr->buf + lr->end, '\0', (size_t)n))
			lr->nul_seen = true;
		lr->end += (size_t)n;
		lr->total += (u64)n;
		if (lr->total > lr->max_file)
			return kp_error(KP_ERR_BAD_SYMFILE,
					"'%s': larger than %llu MB, not read (not a kernel symbol file?)",
					lr->name, (unsigned long long)(lr->max_file >> 20));
	}
	return kp_error(KP_ERR_BAD_SYMFILE,
			"'%s': line %lu is longer than %zu bytes, not read (not a kernel symbol file?)",
			lr->name, lineno + 1, lr->max_line);
}

static void line_reader__exit(struct line_reader *lr)
{
	free(lr->buf);
}

static int open_for_read(const char *path, int *fd)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return kp_error(-errno, "'%s': cannot open: %s", path, strerror(errno));
	return 0;
}

int kallsyms__parse(const char *path, int (*fn)(const struct kallsym *ks, void *arg), void *arg)
{
	int fd, err = open_for_read(path, &fd);

	if (err)
		return err;
	err = kallsyms__parse_fd(fd, path, fn, arg);
	close(fd);
	return err;
}

int kallsyms__parse_fd(int fd, const char *path,
		       int (*fn)(const struct kallsym *ks, void *arg), void *arg)
{
	struct line_reader lr;
	unsigned long lineno = 0;
	char *line;
	size_t len;
	int err = 0, r;

	line_reader__init(&lr, fd, path, KALLSYMS_LINE_MAX, KALLSYMS_FILE_MAX);
	while ((r = line_reader__next(&lr, lineno, &line, &len)) > 0) {
		struct kallsym ks = { 0 };
		const char *tab, *name;
		size_t used, rest;

		lineno++;
		if (!len)
			continue;
		if (lr.nul_seen && memchr(line, '\0', len)) {
			err = kp_error(KP_ERR_BAD_SYMFILE, "'%s': line %lu: NUL byte in line", path,
				       lineno);
			break;
		}
		used = parse_hex(line, len, &ks.addr);
		if (!used || used >= (size_t)len || line[used] != ' ') {
			err = kp_error(KP_ERR_BAD_SYMFILE,
				       "'%s': line %lu: expected \"ADDRESS TYPE NAME\" (hex address)",
				       path, lineno);
			break;
		}
		if (used + 1 >= (size_t)len || line[used + 1] == ' ' || line[used + 1] == '\t') {
			err = kp_error(KP_ERR_BAD_SYMFILE,
				       "'%s': line %lu: missing symbol type after the address", path,
				       lineno);
			break;
		}
		if (used + 2 < (size_t)len && line[used + 2] != ' ') {
			err = kp_error(KP_ERR_BAD_SYMFILE,
				       "'%s': line %lu: symbol type must be one character", path,
				       lineno);
			break;
		}
		if (used + 3 > (size_t)len) {
			err = kp_error(KP_ERR_BAD_SYMFILE, "'%s': line %lu: missing symbol name",
				       path, lineno);
			break;
		}
		ks.type = line[used + 1];
		name = line + used + 3;
		rest = len - (used + 3);
		if (!rest || name[0] == '\t' || name[0] == ' ') {
			err = kp_error(KP_ERR_BAD_SYMFILE, "'%s': line %lu: missing symbol name",
				       path, lineno);
			break;
		}
		if (rest >= KSYM_NAME_LEN) {
			err = kp_error(KP_ERR_BAD_SYMFILE,
				       "'%s': line %lu: symbol name longer than %d bytes", path,
				       lineno, KSYM_NAME_LEN - 1);
			break;
		}
		ks.full = name;
		ks.fulllen = rest;
		tab = memchr(name, '\t', rest);
		ks.name = name;
		ks.namelen = tab ? (size_t)(tab - name) : rest;
		if (tab) {
			const char *m = tab + 1, *end = name + rest;

			if (m < end && *m == '[') {
				const char *close = memchr(m, ']', end - m);

				m++;
				ks.module = m;
				ks.modlen = close ? (size_t)(close - m) : (size_t)(end - m);
			}
		}
		err = fn(&ks, arg);
		if (err)
			break;
	}
	if (!err && r < 0)
		err = r;
	line_reader__exit(&lr);
	return err;
}

struct find_args {
	const char *name;
	u64 addr;
};

static int find_cb(const struct kallsym *ks, void *arg)
{
	struct find_args *a = arg;

	if (!(kallsyms__is_function(ks->type) || ks->type == 'A'))
		return 0;
	if (ks->module || strlen(a->name) != ks->namelen || memcmp(ks->name, a->name, ks->namelen))
		return 0;
	a->addr = ks->addr;
	return 1;
}

int kallsyms__get_function_start(const char *path, const char *name, u64 *addr)
{
	struct find_args a = { .name = name };
	int err = kallsyms__parse(path, find_cb, &a);

	if (err < 0)
		return err;
	if (err == 0)
		return -ENOENT;
	*addr = a.addr;
	return 0;
}

int modules__parse(const char *path, int (*fn)(const struct kmodule *m, void *arg), void *arg)
{
	int fd, err = open_for_read(path, &fd);

	if (err)
		return err;
	err = modules__parse_fd(fd, path, fn, arg);
	close(fd);
	return err;
}

int modules__parse_fd(int fd, const char *path, int (*fn)(const struct kmodule *m, void *arg),
		      void *arg)
{
	struct line_reader lr;
	unsigned long lineno = 0;
	char *line;
	size_t len;
	int err = 0, r;

	line_reader__init(&lr, fd, path, MODULES_LINE_MAX, MODULES_FILE_MAX);
	while ((r = line_reader__next(&lr, lineno, &line, &len)) > 0) {
		struct kmodule m = { 0 };
		const char *p, *end, *addr;
		char *endp;
		size_t n;
		int field;

		lineno++;
		if (!len)
			continue;
		if (memchr(line, '\0', len)) {
			err = kp_error(KP_ERR_BAD_SYMFILE, "'%s': line %lu: NUL byte in line", path,
				       lineno);
			break;
		}
		p = line;
		end = line + len;
		m.name = p;
		while (p < end && *p != ' ')
			p++;
		m.namelen = p - m.name;
		if (!m.namelen || p == end) {
			err = kp_error(KP_ERR_BAD_SYMFILE,
				       "'%s': line %lu: expected \"NAME SIZE REFCNT DEPS STATE ADDRESS\"",
				       path, lineno);
			break;
		}
		errno = 0;
		m.size = strtoull(p + 1, &endp, 10);
		if (errno || endp == p + 1 || (*endp != ' ' && *endp != '\0')) {
			err = kp_error(KP_ERR_BAD_SYMFILE, "'%s': line %lu: bad module size", path,
				       lineno);
			break;
		}
		/* the address is the 6th field; it starts with 0x */
		addr = NULL;
		p = line;
		for (field = 1; field < 6 && p; field++) {
			p = memchr(p, ' ', end - p);
			if (p)
				p++;
		}
		if (p && p + 2 <= end && p[0] == '0' && p[1] == 'x')
			addr = p + 2;
		n = addr ? parse_hex(addr, end - addr, &m.start) : 0;
		if (!n || (addr + n < end && addr[n] != ' ')) {
			err = kp_error(KP_ERR_BAD_SYMFILE,
				       "'%s': line %lu: missing or bad load address (6th field, 0x...)",
				       path, lineno);
			break;
		}
		err = fn(&m, arg);
		if (err)
			break;
	}
	if (!err && r < 0)
		err = r;
	line_reader__exit(&lr);
	return err;
}
