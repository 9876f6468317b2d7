/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd-util.h - plumbing several subcommands share: the global options in
 * struct kp_ctx turned into the machine layer's configuration, a resolved
 * sample turned into a histogram key (hist.h leaves the machine layer to its
 * callers, so the glue lives here), -p pid lists, the held workload child
 * of stat record and stat live, and the signalfd of the record-like loops.
 */
#ifndef KP_CMD_CMD_UTIL_H
#define KP_CMD_CMD_UTIL_H

#include <signal.h>
#include <sys/types.h>

#include "analysis/hist.h"
#include "cmd/builtin.h"
#include "machine/machine.h"

/**
 * symbol_conf__from_ctx - fill @conf (all of it: other fields zero) from the
 * global options in @ctx; @kallsyms is the command's --kallsyms or NULL.
 */
void symbol_conf__from_ctx(struct symbol_conf *conf, const struct kp_ctx *ctx,
			   const char *kallsyms);

/**
 * hist_key__from_al - the self entry's key of @sample resolved into @al
 * (thread, comm, DSO, symbol, address, level, filter), as report and diff
 * add it.  The key borrows @al's pointers.
 */
void hist_key__from_al(struct hist_key *key, const struct addr_location *al,
		       const struct perf_sample *sample);

/**
 * kp_parse_pid_list - a comma-separated list of decimal pids, each at least
 * @min and at most INT_MAX.  On success *@out (freed by the caller with
 * free()) holds *@nr >= 1 pids; returns -1 on anything else (nothing to
 * free then).
 */
int kp_parse_pid_list(const char *s, long min, u32 **out, int *nr);

struct evlist;
/**
 * kp_warn_dwarf_chains - warn once when an event of @evlist copied user
 * stacks for DWARF unwinding (perf record --call-graph dwarf): kvmprof does
 * not unwind them, so its call graphs hold only the frames the kernel wrote.
 */
void kp_warn_dwarf_chains(const struct evlist *evlist, const char *path);

/**
 * kp_workload__fork - fork @argv[0] with an empty signal mask, held until
 * one byte is written to *@go_pipe (EOF without a byte: the child exits 127).
 * *@child is fork()'s result.  Returns 0 or a code with a detail.
 */
int kp_workload__fork(char **argv, pid_t *child, int *go_pipe);

/**
 * kp_signalfd__block - block SIGINT, SIGTERM and, with @chld, SIGCHLD (the
 * previous mask into *@oldmask, for the caller to restore) and return a
 * non-blocking close-on-exec signalfd for them, or a code with a detail
 * (the signals stay blocked then too).
 */
int kp_signalfd__block(bool chld, sigset_t *oldmask);

#endif
