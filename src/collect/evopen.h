/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evopen.h - the one seam through which every perf_event_open() goes.
 *
 * Nothing else in kvmprof calls the perf_event_open syscall or issues ioctls on
 * perf event fds: commands build a struct kp_attr (data/event.h layout, the
 * same bytes the kernel takes) and call kp_event_open().  This lets tests see
 * exactly which events a command line produces, without privileges (STYLE 12,
 * after perf's tests/attr):
 *
 *   KVMPROF_ATTR_LOG=FILE   every open is appended to FILE as one line of text
 *                           (format below), whether or not it succeeds;
 *   KVMPROF_ATTR_DRYRUN=1   the kernel is not called: kp_event_open() returns a
 *                           descriptor of /dev/null, kp_event_ioctl() succeeds
 *                           and PERF_EVENT_IOC_ID hands out ids 1, 2, 3 ...;
 *                           callers must not mmap such fds (kp_event_dryrun()
 *                           tells them; collect/ring.h does it for them).
 *
 * Log line format (stable; golden files depend on it), one line per open:
 *
 *   open pid=-1 cpu=0 group_fd=-1 flags=0x8 type=1 config=0x0 freq=4000
 *        sample_type=IP|TID|TIME|PERIOD read_format=ID
 *        attr_flags=disabled|inherit|mmap|... wakeup_events=0 ... ret=ok
 *
 * (all on one line) - fields: pid, cpu, group_fd, flags (open flags), type,
 * size, config, period=N or freq=N, sample_type and read_format as '|'-joined
 * bit names (or 0), attr flag bit names ('|'-joined, precise_ip=N appended),
 * wakeup_events, config1, config2, branch_sample_type, sample_max_stack,
 * clockid (only when use_clockid), and ret=ok or ret=-ERRNO (fd numbers are
 * left out so that logs are reproducible).  Numbers are decimal except config/config1/config2/flags.
 *
 * The attr is passed to the kernel with size KP_ATTR_SIZE_VER7 (128): every
 * kernel since 6.3 takes it, older ones take it if the tail is zero.
 */
#ifndef KP_COLLECT_EVOPEN_H
#define KP_COLLECT_EVOPEN_H

#include <sys/types.h>

#include "data/event.h"
#include "util/strbuf.h"

/**
 * kp_event_open - perf_event_open(@attr, @pid, @cpu, @group_fd, @flags).
 * Returns the fd or -errno (-EACCES/-EPERM when perf_event_paranoid forbids,
 * -ENOENT/-EOPNOTSUPP when the event does not exist here).  Logs the call when
 * KVMPROF_ATTR_LOG is set.  @flags gets PERF_FLAG_FD_CLOEXEC added.
 */
int kp_event_open(const struct kp_attr *attr, pid_t pid, int cpu, int group_fd,
		  unsigned long flags);

/**
 * kp_event_ioctl - ioctl() on a perf event fd (ENABLE, DISABLE, ID, SET_OUTPUT,
 * SET_FILTER ...).  Returns 0 or -errno.  In dry-run mode it does nothing,
 * except PERF_EVENT_IOC_ID, which stores a fresh fake id in *(u64 *)@arg.
 */
int kp_event_ioctl(int fd, unsigned long request, unsigned long arg);

/** kp_event_id - the sample id the kernel gave event @fd (PERF_EVENT_IOC_ID). */
int kp_event_id(int fd, u64 *id);

/**
 * kp_event_have_hw_pmu - true if a hardware cycles event can be opened here
 * (a probe on the calling thread, user mode only; not logged).  In dry-run
 * mode: true if sysfs lists a core PMU (event_source/devices/cpu*).
 */
bool kp_event_have_hw_pmu(void);

/** kp_event_dryrun - true when KVMPROF_ATTR_DRYRUN=1 (no kernel calls). */
bool kp_event_dryrun(void);

/**
 * kp_attr__strbuf - append the log-line text of @attr (everything after
 * "flags=0x.." of the open flags, without ret=) to @sb.  Exposed for tests.
 */
void kp_attr__strbuf(const struct kp_attr *attr, struct strbuf *sb);

/**
 * kp_event_open_error - a kp_error()-style explanation of why opening @what
 * failed with @err (-errno): permission (naming kernel.perf_event_paranoid and
 * root), missing PMU/event, too many open files.  Returns a KP_ERR_* code.
 */
int kp_event_open_error(int err, const char *what);

#endif
