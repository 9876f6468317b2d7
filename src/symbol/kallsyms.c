// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms.c - /proc/kallsyms and /proc/modules style files.
 *
 * Both are untrusted input (copies given with --kallsyms, --guestkallsyms,
 * --guestmodules): every line is checked and a bad one is reported with the
 * file name and line number instead of being guessed at.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symbol/symbol.h"
#include "util/util.h"

#define KSYM_NAME_LEN 512

bool kallsyms__is_function(char type)
{
	type = toupper((unsigned char)type);
	return type == 'T' || type == 'W';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* parse up to 16 hex digits; returns the number of characters used (0: none) */
static size_t parse_hex(const char *s, size_t len, u64 *val)
{
	size_t i = 0;
	u64 v = 0;
	int d;

	while (i < len && (d = hexval((unsigned char)s[i])) >= 0) {
		if (i >= 16)
			return 0;
		v = (v << 4) | (u64)d;
		i++;
	}
	*val = v;
	return i;
}

static int open_for_read(const char *path, FILE **fp)
{
	*fp = fopen(path, "re");
	if (!*fp)
		return kp_error(-errno, "'%s': cannot open: %s", path, strerror(errno));
	return 0;
}

int kallsyms__parse(const char *path, int (*fn)(const struct kallsym *ks, void *arg), void *arg)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	ssize_t len;
	FILE *fp;
	int err;

	err = open_for_read(path, &fp);
	if (err)
		return err;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct kallsym ks = { 0 };
		const char *tab, *name;
		size_t used, rest;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len)
			continue;
		if (memchr(line, '\0', len)) {
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
	if (!err && ferror(fp))
		err = kp_error(-EIO, "'%s': read error after line %lu", path, lineno);
	free(line);
	fclose(fp);
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
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	ssize_t len;
	FILE *fp;
	int err;

	err = open_for_read(path, &fp);
	if (err)
		return err;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct kmodule m = { 0 };
		const char *p, *end, *addr;
		char *endp;
		size_t n;
		int field;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
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
	if (!err && ferror(fp))
		err = kp_error(-EIO, "'%s': read error after line %lu", path, lineno);
	free(line);
	fclose(fp);
	return err;
}
