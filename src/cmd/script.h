/* SPDX-License-Identifier: GPL-2.0 */
/*
 * script.h - what cmd/script.c offers other commands (flamegraph).
 */
#ifndef KP_CMD_SCRIPT_H
#define KP_CMD_SCRIPT_H

#include "cmd/builtin.h"
#include "ui/folded.h"

/**
 * script__fold_file - read @input and fold every sample the ctx's host/guest
 * rule shows into a new struct folded (*@out, caller frees with
 * folded__delete()).  @kallsyms: host kernel symbols file or NULL.
 * Returns 0 or a negative error (kp_errmsg() has the detail).
 */
int script__fold_file(const struct kp_ctx *ctx, const char *input, const char *kallsyms,
		      bool no_callchain, struct folded **out);

#endif
