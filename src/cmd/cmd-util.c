// SPDX-License-Identifier: GPL-2.0
/*
 * cmd-util.c - plumbing several subcommands share (see cmd-util.h).
 */
#include <string.h>

#include "cmd/cmd-util.h"

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

void hist_key__from_al(struct hist_key *key, const struct addr_location *al,
		       const struct perf_sample *sample)
{
	*key = (struct hist_key){
		.thread = al->thread,
		.tid = al->thread ? thread__tid(al->thread) : (s32)sample->tid,
		.cpu = (s32)sample->cpu,
		.comm = al->thread ? thread__comm_str(al->thread) : "",
		.dso_name = al->dso ? dso__name(al->dso) : NULL,
		.sym = al->sym,
		.ip = al->addr,
		.level = al->level,
		.filtered = al->filtered != AL_FILTER_NONE,
	};
}
