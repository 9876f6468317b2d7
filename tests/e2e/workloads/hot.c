/*
 * hot.c - a shared library for dl.c: compiled as libhot<t>a.so with
 * -DHOT=hot_a -DLEAF=hot_a_leaf and libhot<t>b.so with -DPAD -DHOT=hot_b
 * -DLEAF=hot_b_leaf (PAD shifts its functions, so the same address holds
 * another symbol in each).
 */
static volatile unsigned long x;
#ifdef PAD
__attribute__((noinline)) void pad_fn(long n) { for (long i = 0; i < n; i++) x ^= i; }
#endif
__attribute__((noinline)) void LEAF(long n) { for (long i = 0; i < n; i++) x += i * 7; }
__attribute__((noinline)) void HOT(long n) { LEAF(n); LEAF(n / 3); }
