/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hits.h - which DSOs got samples during a recording (for the BUILD_ID
 * feature, which perf fills with hit DSOs only).
 *
 * Cheap during recording: kp_hits__sample() only inserts the sample's
 * (cpumode, pid, page) into a hash set; MMAP/MMAP2/FORK records are kept in
 * a flat array.  kp_hits__for_each() resolves each distinct page once, at
 * the end: kernel/guest-kernel samples to "[kernel.kallsyms]" /
 * "[guest.kernel.kallsyms]" or the module containing them, user and guest
 * user samples to the newest map of the process (or of its parents, which
 * it inherited by fork) that contains the address.
 *
 * Guest machines: a guest-mode sample of a VMM process declared with
 * kp_hits__add_guest() (a --guestmount guest) belongs to that machine (its
 * kernel is "[guest.kernel.kallsyms.PID]", its maps are those with that pid);
 * any other guest sample to the default guest, machine 0.
 */
#ifndef KP_COLLECT_HITS_H
#define KP_COLLECT_HITS_H

#include <sys/types.h>

#include "data/event.h"

struct kp_hits;

/** kp_hits__new - an empty hit table; free with kp_hits__delete(). */
struct kp_hits *kp_hits__new(void);
/** kp_hits__delete - free @h and everything in it; NULL is fine. */
void kp_hits__delete(struct kp_hits *h);

/** kp_hits__add_guest - VMM process @pid runs a guest machine of its own (call before samples). */
void kp_hits__add_guest(struct kp_hits *h, pid_t pid);

/** kp_hits__event - remember an MMAP, MMAP2 or FORK record (others are ignored). */
void kp_hits__event(struct kp_hits *h, const union perf_event *ev);

/** kp_hits__sample - note a sample at @ip of process @pid in @cpumode. */
void kp_hits__sample(struct kp_hits *h, u8 cpumode, u32 pid, u64 ip);

/** kp_hits__nr_samples - samples noted so far. */
u64 kp_hits__nr_samples(const struct kp_hits *h);

/**
 * kp_hits__for_each - call @fn once per distinct hit DSO: @cpumode is the DSO's
 * (KERNEL, USER, GUEST_KERNEL, GUEST_USER), @machine_pid -1 for the host and
 * the machine pid for guests, @name the DSO name as perf writes it in
 * BUILD_ID entries ("[kernel.kallsyms]", a path, "[guest.kernel.kallsyms]",
 * "[guest.kernel.kallsyms.PID]", "[module]").  Kernels come first (host,
 * then guests by machine pid), then map names in the order they were first
 * mapped.  Stops at the first non-zero return and returns it.
 */
int kp_hits__for_each(struct kp_hits *h,
		      int (*fn)(void *arg, u8 cpumode, s32 machine_pid, const char *name),
		      void *arg);

#endif
