// SPDX-License-Identifier: GPL-2.0
/*
 * cmd-util.c - plumbing several subcommands share (see cmd-util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include "cmd/cmd-util.h"
#include "data/evsel.h"
#include "util/log.h"

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
		.addr = al->addr,
		.level = al->level,
		.filtered = al->filtered != AL_FILTER_NONE,
	};
}

void kp_warn_dwarf_chains(const struct evlist *evlist, const char *path)
{
	for (int i = 0; i < evlist->nr; i++) {
		if (!(evlist->entries[i]->attr.sample_type & PERF_SAMPLE_STACK_USER))
			continue;
		pr_warning("'%s': recorded with --call-graph dwarf (copies of user stacks); kvmprof "
			   "does not unwind those: call graphs hold only the frames the kernel "
			   "recorded, user frames are missing. Record with --call-graph fp for "
			   "full chains", path);
		return;
	}
}

int kp_parse_pid_list(const char *s, long min, u32 **out, int *nr)
{
	int n = 0, alloc = 0;
	u32 *pids = NULL;
	char *end;

	while (*s) {
		long v;

		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || end == s || v < min || v > INT_MAX || (*end && *end != ',')) {
			free(pids);
			return -1;
		}
		ALLOC_GROW(pids, n + 1, alloc);
		pids[n++] = (u32)v;
		s = *end ? end + 1 : end;
	}
	if (!n)
		return -1;
	*out = pids;
	*nr = n;
	return 0;
}

int kp_workload__fork(char **argv, pid_t *child, int *go_pipe)
{
	int go[2];

	if (pipe2(go, O_CLOEXEC))
		return kp_error(-errno, "pipe: %s", strerror(errno));
	*child = fork();
	if (*child < 0)
		return kp_error(-errno, "fork: %s", strerror(errno));
	if (!*child) {
		sigset_t none;
		char c;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(go[1]);
		/* wait until the events are open; EOF without a byte means give up */
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "error: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	*go_pipe = go[1];
	return 0;
}

int kp_signalfd__block(bool chld, sigset_t *oldmask)
{
	sigset_t mask;
	int sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (chld)
		sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, oldmask);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		return kp_error(-errno, "signalfd: %s", strerror(errno));
	return sfd;
}
