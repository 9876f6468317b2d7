/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd-util.h - plumbing several subcommands share: the global options in
 * struct kp_ctx turned into the machine layer's configuration, and a
 * resolved sample turned into a histogram key (hist.h leaves the machine
 * layer to its callers, so the glue lives here).  Nothing here allocates.
 */
#ifndef KP_CMD_CMD_UTIL_H
#define KP_CMD_CMD_UTIL_H

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

#endif
