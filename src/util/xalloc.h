/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xalloc.h - allocation that never returns NULL.
 *
 * On allocation failure these run the registered die hooks (the TUI uses one
 * to restore the terminal), print one line to stderr and exit(1).  Callers
 * therefore never check the result.  Memory is freed with plain free().
 */
#ifndef KP_UTIL_XALLOC_H
#define KP_UTIL_XALLOC_H

#include <stddef.h>

/** xmalloc - malloc() that aborts with a message on failure. */
void *xmalloc(size_t size);
/** xzalloc - zeroed xmalloc(). */
void *xzalloc(size_t size);
/** xcalloc - calloc() that checks nmemb * size for overflow and aborts on failure. */
void *xcalloc(size_t nmemb, size_t size);
/** xrealloc - realloc() that aborts on failure. */
void *xrealloc(void *ptr, size_t size);
/** xreallocarray - realloc of nmemb * size elements with overflow check. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
/** xstrdup - strdup() that aborts on failure. */
char *xstrdup(const char *s);
/** xstrndup - strndup() that aborts on failure. */
char *xstrndup(const char *s, size_t n);
/** xmemdup - copy @n bytes of @p into a new allocation. */
void *xmemdup(const void *p, size_t n);

/**
 * ALLOC_GROW - make sure @arr has room for @nr elements, growing @alloc.
 * Amortised doubling, like git's macro of the same name.
 */
#define ALLOC_GROW(arr, nr, alloc)                                                 \
	do {                                                                       \
		if ((size_t)(nr) > (size_t)(alloc)) {                              \
			size_t __n = (size_t)(alloc) ? (size_t)(alloc) * 2 : 16;   \
			if (__n < (size_t)(nr))                                    \
				__n = (size_t)(nr);                                \
			(arr) = xreallocarray((arr), __n, sizeof(*(arr)));         \
			(alloc) = __n;                                             \
		}                                                                  \
	} while (0)

/** kp_die_hook_set - register a function run before an out-of-memory exit. */
void kp_die_hook_set(void (*hook)(void));

#endif
