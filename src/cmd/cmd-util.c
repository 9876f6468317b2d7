// SPDX-License-Identifier: GPL-2.0
/*
 * cmd-util.c - plumbing several subcommands share (struct kp_ctx -> the
 * lower layers' configuration).
 */
#include <string.h>

#include "cmd/builtin.h"
#include "machine/machine.h"

void symbol_conf__from_ctx(struct symbol_conf *conf, const struct kp_ctx *ctx,
			   const char *kallsyms)
{
	memset(conf, 0, sizeof(*conf));
	conf->host = ctx->host;
	conf->guest = ctx->guest;
	conf->guestmount = ctx->guestmount;
	conf->guestkallsyms = ctx->guestkallsyms;
	conf->guestmodules = ctx->guestmodules;
	conf->guestvmlinux = ctx->guestvmlinux;
	conf->no_debuginfod = ctx->no_debuginfod;
	conf->kallsyms = kallsyms;
	conf->symfs = "";
}
