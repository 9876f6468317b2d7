/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test-hit-list.h - a kp_hits__for_each() callback that records up to 8 hit
 * DSOs (name, cpumode, machine pid) for the collect unit tests to check.
 * Include after <cmocka.h> and "util/util.h".
 */
#ifndef KP_TEST_HIT_LIST_H
#define KP_TEST_HIT_LIST_H

#include <stdio.h>
#include <string.h>

struct hit_list {
	char names[8][64];
	u8 modes[8];
	s32 pids[8];
	int nr;
};

static int collect_hit(void *arg, u8 cpumode, s32 machine_pid, const char *name)
{
	struct hit_list *l = arg;

	assert_true(l->nr < 8);
	snprintf(l->names[l->nr], 64, "%s", name);
	l->modes[l->nr] = cpumode;
	l->pids[l->nr] = machine_pid;
	l->nr++;
	return 0;
}

/* the index of @name hit with @mode, or -1 */
static __maybe_unused int find_hit(const struct hit_list *l, const char *name, u8 mode)
{
	for (int i = 0; i < l->nr; i++)
		if (!strcmp(l->names[i], name) && l->modes[i] == mode)
			return i;
	return -1;
}

#endif
