/* SPDX-License-Identifier: GPL-2.0 */
/*
 * synth.h - synthesize the records perf record writes before enabling its
 * events: what the kernel would have told us had we been watching since boot.
 *
 *   kernel MMAP   "[kernel.kallsyms]_text", pid -1, misc KERNEL, start = _text
 *                 (or _stext), len = _etext - start, pgoff = start; for a guest
 *                 "[guest.kernel.kallsyms]_text", pid = machine pid (0 for the
 *                 default guest), misc GUEST_KERNEL, from its kallsyms copy.
 *   module MMAPs  one per /proc/modules line (or the --guestmodules copy):
 *                 "[name]" (or the .ko path under /lib/modules/RELEASE when
 *                 found, host only), start = load address, len = size, pgoff 0.
 *   threads       per task: FORK (pid, ppid, tid, ptid, time 0) and COMM, then
 *                 per process the executable mappings of /proc/PID/maps as
 *                 MMAP2 (misc USER; PROC_MAP_PARSE_TIMEOUT when reading the
 *                 maps took longer than the timeout and the rest was skipped).
 *
 * Every record gets a zeroed sample_id trailer of id_hdr_size bytes, as perf's
 * synthesized records do.  Records are handed to the emit callback in a
 * scratch buffer owned by struct kp_synth (valid during the call only).
 */
#ifndef KP_COLLECT_SYNTH_H
#define KP_COLLECT_SYNTH_H

#include <sys/types.h>

#include "data/event.h"

typedef int (*kp_synth_emit_t)(void *arg, const union perf_event *event);

struct kp_synth {
	kp_synth_emit_t emit;
	void *arg;
	u16 id_hdr_size; /* bytes of zeroed sample_id trailer to append */
	unsigned int proc_map_timeout_ms; /* per process; perf's default is 500 */
	u64 nr_map_timeouts; /* processes whose maps were cut short */
	u64 nr_records;
	u8 buf[65536 + 4096];
};

/** kp_synth__init - set up @s with its callback; proc_map_timeout_ms = 500. */
void kp_synth__init(struct kp_synth *s, kp_synth_emit_t emit, void *arg, u16 id_hdr_size);

/**
 * kp_kallsyms__text_range - find the kernel text start (_text, else _stext) and
 * end (_etext) in a kallsyms file.  Returns 0, or KP_ERR_BAD_SYMFILE with a
 * detail naming @path when either is missing (or all addresses are 0, as for
 * an unprivileged reader of /proc/kallsyms).
 */
int kp_kallsyms__text_range(const char *path, u64 *start, u64 *end, const char **start_name);

/**
 * kp_synth__kernel_mmap - the kernel MMAP of the host (@guest false, machine pid
 * -1) or of guest machine @machine_pid, from @kallsyms (host: /proc/kallsyms).
 */
int kp_synth__kernel_mmap(struct kp_synth *s, const char *kallsyms, bool guest, pid_t machine_pid);

/** kp_synth__modules - module MMAPs from @modules (host: /proc/modules; missing file: 0 records). */
int kp_synth__modules(struct kp_synth *s, const char *modules, bool guest, pid_t machine_pid);

/**
 * kp_synth__process - FORK+COMM for every task of process @pid, then (if
 * @mmaps) its executable MMAP2s.  A process that vanished is not an error.
 */
int kp_synth__process(struct kp_synth *s, pid_t pid, bool mmaps);

/** kp_synth__thread - FORK+COMM of the single task @tid and its process's MMAP2s. */
int kp_synth__thread(struct kp_synth *s, pid_t tid);

/**
 * kp_synth__guest_comms - a GUEST_USER COMM for every task of VMM process @pid,
 * so that the guest machine's threads (keyed by the vCPU threads' host pids)
 * have names in reports.
 */
int kp_synth__guest_comms(struct kp_synth *s, pid_t pid);

/** kp_synth__all - kp_synth__process() for every process in /proc. */
int kp_synth__all(struct kp_synth *s);

/**
 * kp_synth__mmap2 - emit one MMAP2 with explicit fields (used for the guest
 * user code image: misc GUEST_USER, pid = VMM pid).
 */
int kp_synth__mmap2(struct kp_synth *s, u16 misc, u32 pid, u32 tid, u64 start, u64 len, u64 pgoff,
		    u32 prot, u32 flags, const char *filename);

#endif
