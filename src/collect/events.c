// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - the event names kvmprof understands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/events.h"
#include "collect/evopen.h"
#include "util/util.h"

static const struct {
	const char *name;
	u32 type;
	u64 config;
} named[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "ref-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "dummy", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY },
};

const char *kp_tracefs_dir(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	return NULL;
}

/*
 * The advice when tracefs exists but this user may not read it: tracefs gives
 * its files to the mount's gid (group-readable), and tracepoint samples of an
 * unprivileged user need perf_event_paranoid -1.
 */
#define TRACEFS_PERM_FIX                                                                   \
	"run as root, or give tracefs to a group of this user ('mount -o "                  \
	"remount,gid=GROUP,mode=750 /sys/kernel/tracing') and set "                         \
	"'sysctl kernel.perf_event_paranoid=-1'"

/*
 * Why no tracefs directory was found: the one that exists but cannot be
 * searched (KP_ERR_NO_PERMISSION), else not mounted (KP_ERR_NO_TRACEPOINT).
 */
static int tracefs_missing(const char *name)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char path[64];

		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK) || errno != EACCES)
			continue;
		/* events/ itself, or the directory above it, is closed to us */
		if (access(dirs[i], X_OK) && errno == EACCES)
			snprintf(path, sizeof(path), "%s", dirs[i]);
		return kp_error(KP_ERR_NO_PERMISSION,
				"tracepoint '%s': permission denied on '%s' (tracefs is there but "
				"not readable by uid %u): " TRACEFS_PERM_FIX, name, path,
				(unsigned int)geteuid());
	}
	return kp_error(KP_ERR_NO_TRACEPOINT,
			"cannot find tracefs for tracepoint '%s': mount it with "
			"'mount -t tracefs nodev /sys/kernel/tracing'", name);
}

int kp_event__parse(const char *name, struct kp_attr *attr)
{
	const char *colon = strchr(name, ':');
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	const char *tdir;
	ssize_t n;
	char *end;

	for (size_t i = 0; i < ARRAY_SIZE(named); i++) {
		if (!strcmp(named[i].name, name)) {
			attr->type = named[i].type;
			attr->config = named[i].config;
			return 0;
		}
	}
	if (!colon || colon == name || !colon[1] || strchr(colon + 1, ':') ||
	    strpbrk(name, "/. ") || strlen(name) > 200)
		return kp_error(KP_ERR_USAGE,
				"unknown event '%s' (known: cycles, instructions, cpu-clock, "
				"task-clock, ..., or SYSTEM:TRACEPOINT)", name);
	tdir = kp_tracefs_dir();
	if (!tdir)
		return tracefs_missing(name);
	strbuf_addf(&path, "%s/events/%.*s/%s/id", tdir, (int)(colon - name), name, colon + 1);
	n = strbuf_read_file(&sb, path.buf, 64);
	if (n <= 0) {
		int err;

		if (n == -EACCES || n == -EPERM)
			err = kp_error(KP_ERR_NO_PERMISSION, "tracepoint '%s': permission denied on "
				       "'%s': " TRACEFS_PERM_FIX, name, path.buf);
		else
			err = kp_error(KP_ERR_NO_TRACEPOINT, "tracepoint '%s' is not available "
				       "(%s: %s)", name, path.buf,
				       n < 0 ? strerror((int)-n) : "empty");

		strbuf_release(&path);
		strbuf_release(&sb);
		return err;
	}
	attr->type = PERF_TYPE_TRACEPOINT;
	attr->config = strtoull(sb.buf, &end, 10);
	strbuf_release(&path);
	strbuf_release(&sb);
	return 0;
}

const char *kp_event__default(struct kp_attr *attr)
{
	if (kp_event_have_hw_pmu()) {
		attr->type = PERF_TYPE_HARDWARE;
		attr->config = PERF_COUNT_HW_CPU_CYCLES;
		return "cycles";
	}
	attr->type = PERF_TYPE_SOFTWARE;
	attr->config = PERF_COUNT_SW_CPU_CLOCK;
	return "cpu-clock";
}
