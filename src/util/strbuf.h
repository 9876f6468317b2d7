/* SPDX-License-Identifier: GPL-2.0 */
/*
 * strbuf.h - growable, always NUL-terminated byte strings (after git's strbuf).
 *
 * A struct strbuf is embedded by its owner: strbuf_init() or STRBUF_INIT,
 * strbuf_release() when done.  sb.buf is never NULL and always terminated;
 * sb.len excludes the terminator.  strbuf_detach() hands the buffer to the
 * caller, who frees it with free().
 */
#ifndef KP_UTIL_STRBUF_H
#define KP_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdio.h>

#include "util/types.h"

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { .alloc = 0, .len = 0, .buf = strbuf_slopbuf }

/** strbuf_init - initialise @sb with room for @hint bytes. */
void strbuf_init(struct strbuf *sb, size_t hint);
/** strbuf_release - free @sb's memory and reset it to empty. */
void strbuf_release(struct strbuf *sb);
/** strbuf_detach - return the buffer (caller frees) and reset @sb. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/** strbuf_grow - make room for @extra more bytes. */
void strbuf_grow(struct strbuf *sb, size_t extra);
/** strbuf_setlen - truncate (or extend within alloc) to @len bytes. */
void strbuf_setlen(struct strbuf *sb, size_t len);
/** strbuf_reset - empty @sb, keeping its memory. */
#define strbuf_reset(sb) strbuf_setlen(sb, 0)
/** strbuf_add - append @len bytes of @data. */
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
/** strbuf_addstr - append a C string. */
void strbuf_addstr(struct strbuf *sb, const char *s);
/** strbuf_addch - append one character. */
void strbuf_addch(struct strbuf *sb, int c);
/** strbuf_addchars - append @n copies of @c. */
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
/** strbuf_addf - append printf-formatted text. */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __printf(2, 3);
/** strbuf_vaddf - va_list form of strbuf_addf(). */
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/** strbuf_rtrim - strip trailing whitespace. */
void strbuf_rtrim(struct strbuf *sb);
/**
 * strbuf_getline - read one line from @fp without its newline.
 * Returns 0 on success, EOF at end of file (with @sb empty).
 */
int strbuf_getline(struct strbuf *sb, FILE *fp);
/**
 * strbuf_read_file - read a whole file, at most @max bytes (0: no limit).
 * Returns bytes read or a negative error (-errno, or -EFBIG past @max).
 */
ssize_t strbuf_read_file(struct strbuf *sb, const char *path, size_t max);

#endif
