/* SPDX-License-Identifier: GPL-2.0 */
/*
 * banned.h - functions that are too easy to misuse (after git's banned.h).
 *
 * Included last by every kvmprof source file through util/util.h.  Use the
 * strbuf API or snprintf() instead.
 */
#ifndef KP_UTIL_BANNED_H
#define KP_UTIL_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)

#endif
