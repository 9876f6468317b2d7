/* SPDX-License-Identifier: GPL-2.0 */
/*
 * target.h - what a live command profiles and how its events get opened:
 * the part record and top (and any other sampling command) share.
 *
 *   targets     -a (every online CPU), -C CPUS, -p PID,... (every thread of
 *               each process), -t TID; resolved into cpus[], tids[] and
 *               procs[] by kp_target__resolve().  No thread means CPU-wide.
 *   attrs       kp_target__config_attrs(): the sampling attr perf record
 *               builds (IP|TID|TIME|PERIOD, +CPU when CPU-wide, +ID with
 *               several events, +CALLCHAIN, +RAW for tracepoints), with perf
 *               kvm's host/guest exclusion rule (guest only: exclude_host;
 *               host only: exclude_guest; both: neither) and the task/mmap
 *               tracking bits on the first event.
 *   opening     kp_target__open(): one fd per (CPU, thread, event) through
 *               collect/evopen.h, the first fd of each CPU owning that CPU's
 *               ring (collect/ring.h) and every other fd redirected into it;
 *               the sample ids go into the evsels (evlist__add_id()).
 *   synthesis   kp_target__synthesize(): the records perf writes before
 *               enabling (collect/synth.h) for these targets - host kernel and
 *               modules, the default guest (--guestkallsyms/--guestmodules),
 *               every guest under --guestmount, threads, guest user images.
 *
 * Guests under --guestmount=DIR (perf kvm's layout plus kvmprof's own file):
 *
 *   DIR/PID/proc/kallsyms     the guest kernel's symbols: "[guest.kernel.kallsyms.PID]_text"
 *                             GUEST_KERNEL MMAP, pid = PID (after its modules)
 *   DIR/PID/proc/modules      its modules: GUEST_KERNEL MMAPs "[name]", pid = PID
 *   DIR/PID/guest-user.maps   /proc/PID/maps lines naming the guest's user code
 *                             (kvmprof-demo-guest writes it): one GUEST_USER
 *                             MMAP2 per executable line, pid = tid = PID, the
 *                             path made relative to DIR/PID when it lies there
 *
 * plus a GUEST_USER COMM per thread of a running VMM process PID.
 *
 * Ownership: struct kp_target owns its arrays, fds and rings
 * (kp_target__exit()); option strings are borrowed from argv.
 */
#ifndef KP_COLLECT_TARGET_H
#define KP_COLLECT_TARGET_H

#include <sys/types.h>

#include "collect/ring.h"
#include "collect/synth.h"
#include "data/evsel.h"

struct kp_target {
	/* the command line (borrowed) */
	const char *cpu_list; /* -C */
	const char *pid_list; /* -p */
	const char *tid_str; /* -t */
	/* resolved */
	int *cpus;
	int nr_cpus, alloc_cpus;
	pid_t *tids; /* no thread: CPU-wide */
	int nr_tids, alloc_tids;
	pid_t *procs; /* processes to synthesize (the -p list, a workload) */
	int nr_procs, alloc_procs;
	/* opened */
	int *fds;
	int nr_fds, alloc_fds;
	struct kp_ring *rings;
	int nr_rings;
};

/** kp_parse_u64 - a whole decimal/0x/0 number; -1 on anything else (signs, junk, overflow). */
int kp_parse_u64(const char *s, u64 *out);

/**
 * kp_target__resolve - the CPUs of @t->cpu_list (all online CPUs without one)
 * and the threads of @t->pid_list or @t->tid_str.  Returns 0, KP_ERR_USAGE
 * with a detail ("bad CPU list 'x'", "-C 99: no such CPU", "bad pid list 'x'",
 * "bad thread id 'x'") or -ESRCH ("process N does not exist").
 */
int kp_target__resolve(struct kp_target *t);

/** kp_target__online_cpus - set cpus[] to the online CPUs (sysfs, else 0..N-1). */
void kp_target__online_cpus(struct kp_target *t);

/** kp_target__add_thread - profile thread @tid too. */
void kp_target__add_thread(struct kp_target *t, pid_t tid);

/** kp_target__add_proc - synthesize process @pid too (its threads are added separately). */
void kp_target__add_proc(struct kp_target *t, pid_t pid);

/**
 * kp_target__add_process - every thread of @pid (from /proc/PID/task) and the
 * process itself.  Returns 0 or -ESRCH when there is no such process.
 */
int kp_target__add_process(struct kp_target *t, pid_t pid);

/** kp_target__cpu_wide - true when no thread was given: events follow CPUs. */
static inline bool kp_target__cpu_wide(const struct kp_target *t)
{
	return !t->nr_tids;
}

/**
 * kp_sample_freq__check - fit the sampling frequency *@freq to
 * kernel.perf_event_max_sample_rate: with @freq_set, 0 ("-F max") becomes the
 * maximum and a value above it is KP_ERR_USAGE (the detail says what to do);
 * a default above it is lowered to it (*@lowered = true).  Returns 0 or
 * KP_ERR_USAGE.
 */
int kp_sample_freq__check(u64 *freq, bool freq_set, bool *lowered);

struct kp_sample_opts {
	u64 freq; /* samples a second, unless count_set */
	u64 count; /* sample period with count_set */
	bool count_set;
	bool callchain;
	bool enable_on_exec; /* the threads are a held workload that will exec */
	bool host, guest; /* the sides profiled (global --host/--guest) */
};

/**
 * kp_target__config_attrs - give every event of @evlist the sampling attr for
 * @t and @o (the event's type/config are kept), then evlist__check() it.
 * Returns 0 or evlist__check()'s error.
 */
int kp_target__config_attrs(const struct kp_target *t, struct evlist *evlist,
			    const struct kp_sample_opts *o);

/**
 * kp_target__open - open every event of @evlist on every CPU of @t, once per
 * thread for thread targets (the kernel mmaps inherited per-thread events
 * only when bound to a CPU, as perf does), map a ring of @mmap_pages data
 * pages for the first fd of each CPU and redirect the others into it.  With
 * @skip_exited a thread that exited since kp_target__resolve() is skipped.
 * Returns 0, the kp_event_open_error() code of a failed open, or -ESRCH when
 * no ring could be made (every target thread exited).  What was opened stays
 * in @t for kp_target__exit() either way.
 */
int kp_target__open(struct kp_target *t, struct evlist *evlist, unsigned int mmap_pages,
		    bool skip_exited);

/** kp_target__ioctl - @req (PERF_EVENT_IOC_ENABLE, _DISABLE) on every opened fd. */
void kp_target__ioctl(struct kp_target *t, unsigned long req);

/** kp_target__exit - unmap the rings, close the fds, free the arrays. */
void kp_target__exit(struct kp_target *t);

struct kp_synth_opts {
	/* the default guest (machine 0); NULL: none */
	const char *guestkallsyms, *guestmodules;
	bool strict_guestkallsyms; /* a bad --guestkallsyms is an error, not a warning */
	/* one guest machine per DIR/PID; NULL: none */
	const char *guestmount;
	/*
	 * Called for each guest found under guestmount before its records are
	 * made; a non-zero return skips that guest.  May be NULL.
	 */
	int (*guest_found)(void *arg, pid_t pid);
	void *arg;
	/* an ELF image whose executable segments are mapped into every procs[] guest */
	const char *guest_user_elf;
	/* procs[0] is a held workload: no maps yet, and no threads to name */
	bool held_workload;
};

/**
 * kp_target__synthesize - emit through @s everything perf record synthesizes
 * for @t: host kernel (a warning if kallsyms is unreadable) and modules, the
 * default guest's modules and kernel, each --guestmount guest (modules,
 * kernel, guest-user.maps, COMMs), the target threads (every process when
 * CPU-wide) and the guest user image.  Returns 0, a negative code with a
 * detail, or the first non-zero value of the emit callback.
 */
int kp_target__synthesize(struct kp_target *t, struct kp_synth *s, const struct kp_synth_opts *o);

/**
 * kp_synth__guest_maps - GUEST_USER MMAP2s of guest @pid from @root's
 * guest-user.maps (see above); a missing file makes none.  Malformed lines are
 * skipped with a warning.
 */
int kp_synth__guest_maps(struct kp_synth *s, const char *root, pid_t pid);

/**
 * kp_synth__guest_elf - GUEST_USER MMAP2s of ELF image @path (absolute path
 * in the records) for each of the @nr VMM processes @pids: one per executable
 * PT_LOAD segment, page aligned, and (with @comms) the processes' COMMs.
 * Warns when no map was made.  Returns 0 or a code with a detail.
 */
int kp_synth__guest_elf(struct kp_synth *s, const char *path, const pid_t *pids, int nr,
			bool comms);

#endif
