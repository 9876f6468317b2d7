/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fakefp.h - for e2e tests that need a chosen user callchain: spin for @secs
 * seconds with %rbp pointing at @frames, a fake frame-pointer chain (each
 * frame: the next frame's address or 0, then a return address), so that the
 * kernel's user-stack unwinder records those return addresses.  x86_64 only;
 * build with -fomit-frame-pointer.
 */
#include <stdint.h>
#include <time.h>

static void fakefp_spin(const uint64_t *frames, double secs)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		__asm__ volatile("push %%rbp\n\tmov %0, %%rbp\n\t"
				 "mov $20000000, %%ecx\n1:\tdec %%ecx\n\tjnz 1b\n\t"
				 "pop %%rbp" : : "r"(frames) : "rcx", "memory");
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
}
