/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hash.h - FNV-1a, the one string/byte hash of the hash tables in kvmprof
 * (hists, dsos, pprof and folded tables, stat live's BPF keys).
 *
 * Not for anything an attacker may want to collide with on purpose: the
 * tables it keys are sized to the data and chain or probe on collisions.
 * Callers that want fewer bits or extra mixing apply it to the result.
 */
#ifndef KP_UTIL_HASH_H
#define KP_UTIL_HASH_H

#include "util/types.h"

#define KP_FNV64_SEED 0xcbf29ce484222325ULL
#define KP_FNV64_PRIME 0x100000001b3ULL
#define KP_FNV32_SEED 2166136261u
#define KP_FNV32_PRIME 16777619u

/** kp_fnv1a64 - continue the 64-bit FNV-1a hash @h (KP_FNV64_SEED to start) over @len bytes. */
static inline u64 kp_fnv1a64(u64 h, const void *data, size_t len)
{
	const u8 *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * KP_FNV64_PRIME;
	return h;
}

/** kp_fnv1a64_str - the 64-bit FNV-1a hash of the string @s. */
static inline u64 kp_fnv1a64_str(const char *s)
{
	u64 h = KP_FNV64_SEED;

	for (; *s; s++)
		h = (h ^ (u8)*s) * KP_FNV64_PRIME;
	return h;
}

/** kp_fnv1a32_str - the 32-bit FNV-1a hash of the string @s. */
static inline u32 kp_fnv1a32_str(const char *s)
{
	u32 h = KP_FNV32_SEED;

	for (; *s; s++)
		h = (h ^ (u8)*s) * KP_FNV32_PRIME;
	return h;
}

#endif
