/* SPDX-License-Identifier: GPL-2.0 */
/*
 * types.h - fixed-width integer shorthands used throughout kvmprof.
 *
 * Kernel style: u8..u64 and s8..s64.  Nothing else lives here so that every
 * layer can include it without pulling in anything.
 */
#ifndef KP_UTIL_TYPES_H
#define KP_UTIL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KP_ALIGN(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))

#define kp_min(a, b) ((a) < (b) ? (a) : (b))
#define kp_max(a, b) ((a) > (b) ? (a) : (b))

#endif
