/* SPDX-License-Identifier: GPL-2.0 */
/*
 * builtin.h - the subcommands and the context they share (after git's builtin.h).
 *
 * main.c parses the global options (perf kvm's: --host, --guest, --guestmount,
 * --guestkallsyms, --guestmodules, --guestvmlinux, -i, -o, -v) once into a
 * struct kp_ctx and calls cmd_<name>(argc, argv, ctx) with argv[0] = the
 * subcommand name.  A command returns the process exit status: 0 ok,
 * 1 runtime failure, 129 usage error.  Commands call each other's library
 * functions; they never rebuild an argv.
 */
#ifndef KP_CMD_BUILTIN_H
#define KP_CMD_BUILTIN_H

#include <stdio.h>

#include "util/util.h"

#define KP_EXIT_OK 0
#define KP_EXIT_FAILURE 1
#define KP_EXIT_USAGE 129

struct kp_ctx {
	bool host; /* profile/show host samples */
	bool guest; /* profile/show guest samples */
	const char *guestmount;
	const char *guestkallsyms;
	const char *guestmodules;
	const char *guestvmlinux;
	bool no_debuginfod; /* never fetch guest kernels from DEBUGINFOD_URLS servers */
	const char *file_name; /* -i/-o: perf kvm keeps one variable for both */
	bool file_name_set;
	int verbose;
	int argc; /* the whole command line, for the CMDLINE feature */
	const char **argv;
};

/**
 * kp_ctx__file_name - the perf.data path a command reads or writes: -i/-o if
 * given, else perf kvm's rule: host only -> perf.data.host, guest only ->
 * perf.data.guest, both -> perf.data.kvm.
 */
const char *kp_ctx__file_name(const struct kp_ctx *ctx);

/**
 * kp_usage_error - print "error: <msg>" and the command's usage; returns 129.
 */
int kp_usage_error(const char *const *usage, const char *fmt, ...) __printf(2, 3);

/** kp_print_usage - print @usage lines to @fp. */
void kp_print_usage(FILE *fp, const char *const *usage);

/** kp_fail - print "error: <kp_errmsg(err)>" and return KP_EXIT_FAILURE. */
int kp_fail(int err);

int cmd_buildid_list(int argc, char **argv, struct kp_ctx *ctx);
int cmd_diff(int argc, char **argv, struct kp_ctx *ctx);
int cmd_flamegraph(int argc, char **argv, struct kp_ctx *ctx);
int cmd_record(int argc, char **argv, struct kp_ctx *ctx);
int cmd_report(int argc, char **argv, struct kp_ctx *ctx);
int cmd_script(int argc, char **argv, struct kp_ctx *ctx);
int cmd_stat(int argc, char **argv, struct kp_ctx *ctx);
/* stat live (cmd/stat-live.c), dispatched by cmd_stat() */
int cmd_stat_live(int argc, char **argv, struct kp_ctx *ctx);
int cmd_top(int argc, char **argv, struct kp_ctx *ctx);

#endif
