/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hash.h - FNV-1a, the one string/byte hash of the hash tables in kvmprof
 * (hists, dsos, pprof and folded tables, stat live's BPF keys), and a
 * word-wise hash for keys made of u64s (sample de-duplication).
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

#define KP_WORD_HASH_MUL 0x9e3779b97f4a7c15ULL

/**
 * kp_hash_word - mix the 64-bit word @v into the running hash @h (start from
 * any seed, e.g. 0): one rotate, xor and multiply per word, several times
 * faster than FNV-1a's byte steps on keys made of u64s.  Weak in the low
 * bits until kp_hash_final() is applied.
 */
static inline u64 kp_hash_word(u64 h, u64 v)
{
	return (((h << 5) | (h >> 59)) ^ v) * KP_WORD_HASH_MUL;
}

/**
 * kp_hash_words - mix the @n words at @w into @h: two independent lanes
 * (even and odd words) so that the multiplies overlap, joined at the end.
 */
static inline u64 kp_hash_words(u64 h, const u64 *w, size_t n)
{
	u64 h2 = h ^ n;
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		h = kp_hash_word(h, w[i]);
		h2 = kp_hash_word(h2, w[i + 1]);
	}
	if (i < n)
		h = kp_hash_word(h, w[i]);
	return kp_hash_word(h, h2);
}

/** kp_hash_final - avalanche @h (murmur3's fmix64) so that every bit depends on every input bit. */
static inline u64 kp_hash_final(u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

#endif
