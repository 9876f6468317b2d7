// SPDX-License-Identifier: GPL-2.0
/*
 * test-collect-synth - synthesized kernel/module/process records, hit
 * tracking, build-id notes and event names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/buildid.h"
#include "collect/events.h"
#include "collect/hits.h"
#include "collect/synth.h"
#include "util/util.h"

#include "test-hit-list.h"

struct sink {
	u8 buf[1 << 16];
	size_t len;
	int nr;
	int nr_type[128];
};

static int sink_emit(void *arg, const union perf_event *ev)
{
	struct sink *s = arg;

	assert_true(ev->header.size % 8 == 0);
	if (s->len + ev->header.size <= sizeof(s->buf)) {
		memcpy(s->buf + s->len, ev, ev->header.size);
		s->len += ev->header.size;
	}
	s->nr++;
	if (ev->header.type < 128)
		s->nr_type[ev->header.type]++;
	return 0;
}

static char *write_tmp(const char *text)
{
	char *path = xstrdup("/tmp/kp-synth-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const char kallsyms[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000100 T guest_func_a\n"
	"ffffffff81200000 T _etext\n"
	"ffffffffc0000000 t mod_fn\t[demo]\n";

static const char modules[] = "demo 16384 0 - Live 0xffffffffc0000000\n"
			      "gone 4096 0 - Live 0x0000000000000000\n";

static void test_guest_kernel_maps(void **state)
{
	struct sink *sink = xzalloc(sizeof(*sink));
	struct kp_synth *s = xmalloc(sizeof(*s));
	char *ks = write_tmp(kallsyms), *mods = write_tmp(modules);
	const struct perf_record_mmap *m;
	u64 start, end;
	const char *name;

	assert_int_equal(kp_kallsyms__text_range(ks, &start, &end, &name), 0);
	assert_true(start == 0xffffffff81000000ULL && end == 0xffffffff81200000ULL);
	assert_string_equal(name, "_text");

	kp_synth__init(s, sink_emit, sink, 16);
	assert_int_equal(kp_synth__modules(s, mods, true, 0), 0);
	assert_int_equal(kp_synth__kernel_mmap(s, ks, true, 0), 0);
	assert_int_equal(sink->nr, 2); /* the module at address 0 is skipped */

	m = (const struct perf_record_mmap *)sink->buf;
	assert_int_equal(m->header.type, PERF_RECORD_MMAP);
	assert_int_equal(m->header.misc, PERF_RECORD_MISC_GUEST_KERNEL);
	assert_string_equal(m->filename, "[demo]");
	assert_true(m->start == 0xffffffffc0000000ULL && m->len == 16384 && m->pgoff == 0);
	assert_int_equal(m->pid, 0);
	/* 40 fixed + "[demo]\0" padded to 8 = 48, + 16 trailer */
	assert_int_equal(m->header.size, 64);

	m = (const struct perf_record_mmap *)(sink->buf + 64);
	assert_string_equal(m->filename, "[guest.kernel.kallsyms]_text");
	assert_true(m->start == 0xffffffff81000000ULL && m->pgoff == m->start);
	assert_true(m->len == 0x200000);
	/* the trailer is zeroed */
	for (int i = 0; i < 16; i++)
		assert_int_equal(((const u8 *)m)[m->header.size - 16 + i], 0);

	/* host naming, and a missing file */
	sink->nr = 0;
	sink->len = 0;
	assert_int_equal(kp_synth__kernel_mmap(s, ks, false, -1), 0);
	m = (const struct perf_record_mmap *)sink->buf;
	assert_string_equal(m->filename, "[kernel.kallsyms]_text");
	assert_int_equal(m->header.misc, PERF_RECORD_MISC_KERNEL);
	assert_int_equal(m->pid, (u32)-1);
	assert_true(kp_synth__kernel_mmap(s, "/nonexistent/kallsyms", true, 0) < 0);
	assert_true(kp_synth__modules(s, "/nonexistent/modules", true, 0) < 0);
	assert_int_equal(kp_synth__modules(s, "/nonexistent/modules", false, -1), 0);

	unlink(ks);
	unlink(mods);
	free(ks);
	free(mods);
	free(s);
	free(sink);
}

static void test_hidden_kallsyms(void **state)
{
	char *ks = write_tmp("0000000000000000 T _text\n0000000000000000 T _etext\n");
	u64 start, end;
	const char *name;
	int err = kp_kallsyms__text_range(ks, &start, &end, &name);

	assert_int_equal(err, KP_ERR_BAD_SYMFILE);
	assert_non_null(strstr(kp_errmsg(err), "kptr_restrict"));
	unlink(ks);
	free(ks);
}

static void test_self_process(void **state)
{
	struct sink *sink = xzalloc(sizeof(*sink));
	struct kp_synth *s = xmalloc(sizeof(*s));
	const u8 *p;
	bool found_self = false;

	kp_synth__init(s, sink_emit, sink, 0);
	assert_int_equal(kp_synth__process(s, getpid(), true), 0);
	assert_true(sink->nr_type[PERF_RECORD_FORK] >= 1);
	assert_true(sink->nr_type[PERF_RECORD_COMM] >= 1);
	assert_true(sink->nr_type[PERF_RECORD_MMAP2] >= 1);
	for (p = sink->buf; p < sink->buf + sink->len; p += ((const struct perf_event_header *)p)->size) {
		const union perf_event *ev = (const union perf_event *)p;

		if (ev->header.type == PERF_RECORD_MMAP2 && strstr(ev->mmap2.filename, "test-collect-synth")) {
			assert_int_equal(ev->mmap2.pid, (u32)getpid());
			assert_true(ev->mmap2.prot & 4 /* PROT_EXEC */);
			found_self = true;
		}
	}
	assert_true(found_self);
	/* a process that does not exist is not an error */
	assert_int_equal(kp_synth__process(s, 0x7ffffff0, true), 0);
	free(s);
	free(sink);
}

static void test_hits(void **state)
{
	struct sink *sink = xzalloc(sizeof(*sink));
	struct kp_synth *s = xmalloc(sizeof(*s));
	char *ks = write_tmp(kallsyms), *mods = write_tmp(modules);
	struct kp_hits *h = kp_hits__new();
	struct hit_list l = { 0 };
	struct perf_record_fork fork = { .header = { .type = PERF_RECORD_FORK,
						     .size = sizeof(fork) },
					 .pid = 200, .ppid = 100, .tid = 200, .ptid = 100 };
	const u8 *p;

	kp_synth__init(s, sink_emit, sink, 0);
	assert_int_equal(kp_synth__modules(s, mods, false, -1), 0);
	assert_int_equal(kp_synth__kernel_mmap(s, ks, false, -1), 0);
	assert_int_equal(kp_synth__kernel_mmap(s, ks, true, 0), 0);
	assert_int_equal(kp_synth__mmap2(s, PERF_RECORD_MISC_USER, 100, 100, 0x400000, 0x1000, 0,
					 5, 2, "/bin/parent"), 0);
	assert_int_equal(kp_synth__mmap2(s, PERF_RECORD_MISC_USER, 300, 300, 0x400000, 0x1000, 0,
					 5, 2, "/bin/unrelated"), 0);
	assert_int_equal(kp_synth__mmap2(s, PERF_RECORD_MISC_GUEST_USER, 100, 100, 0x401000,
					 0x2000, 0x1000, 5, 2, "/tmp/guest.elf"), 0);
	for (p = sink->buf; p < sink->buf + sink->len; p += ((const struct perf_event_header *)p)->size)
		kp_hits__event(h, (const union perf_event *)p);
	kp_hits__event(h, (const union perf_event *)&fork);

	for (int i = 0; i < 100; i++)
		kp_hits__sample(h, PERF_RECORD_MISC_KERNEL, 1, 0xffffffff81000100ULL + i);
	kp_hits__sample(h, PERF_RECORD_MISC_KERNEL, 1, 0xffffffffc0000010ULL);
	kp_hits__sample(h, PERF_RECORD_MISC_USER, 200, 0x400010); /* inherited from 100 */
	kp_hits__sample(h, PERF_RECORD_MISC_USER, 999, 0x400010); /* no map */
	kp_hits__sample(h, PERF_RECORD_MISC_GUEST_USER, 101, 0x402000); /* vCPU thread pid */
	kp_hits__sample(h, PERF_RECORD_MISC_GUEST_KERNEL, 101, 0xffffffff81000100ULL);
	for (u64 i = 0; i < 5000; i++) /* grows the page table */
		kp_hits__sample(h, PERF_RECORD_MISC_USER, 999, 0x10000000 + (i << 12));
	assert_int_equal(kp_hits__nr_samples(h), 100 + 5 + 5000);
	assert_int_equal(kp_hits__for_each(h, collect_hit, &l), 0);
	assert_int_equal(l.nr, 5);
	assert_true(find_hit(&l, "[kernel.kallsyms]", PERF_RECORD_MISC_KERNEL) >= 0);
	assert_true(find_hit(&l, "[demo]", PERF_RECORD_MISC_KERNEL) >= 0);
	assert_true(find_hit(&l, "/bin/parent", PERF_RECORD_MISC_USER) >= 0);
	assert_true(find_hit(&l, "/bin/unrelated", PERF_RECORD_MISC_USER) < 0);
	assert_true(find_hit(&l, "/tmp/guest.elf", PERF_RECORD_MISC_GUEST_USER) >= 0);
	assert_int_equal(l.pids[find_hit(&l, "/tmp/guest.elf", PERF_RECORD_MISC_GUEST_USER)], 0);
	assert_true(find_hit(&l, "[guest.kernel.kallsyms]", PERF_RECORD_MISC_GUEST_KERNEL) >= 0);
	assert_int_equal(l.pids[find_hit(&l, "[kernel.kallsyms]", PERF_RECORD_MISC_KERNEL)], -1);

	kp_hits__delete(h);
	kp_hits__delete(NULL);
	unlink(ks);
	unlink(mods);
	free(ks);
	free(mods);
	free(s);
	free(sink);
}

static void test_build_id_notes(void **state)
{
	/* namesz 4, descsz 20, type 3, "GNU\0", 20 bytes; preceded by another note */
	u8 notes[12 + 8 + 4 + 12 + 4 + 20];
	u32 hdr1[3] = { 5, 4, 1 }, hdr2[3] = { 4, 20, 3 };
	u8 id[KP_BUILD_ID_MAX];
	char hex[41];
	size_t o = 0;

	memcpy(notes + o, hdr1, 12);
	o += 12;
	memcpy(notes + o, "Linux\0\0\0", 8);
	o += 8;
	memset(notes + o, 0x11, 4);
	o += 4;
	memcpy(notes + o, hdr2, 12);
	o += 12;
	memcpy(notes + o, "GNU", 4);
	o += 4;
	for (int i = 0; i < 20; i++)
		notes[o + i] = (u8)(0xa0 + i);
	o += 20;
	assert_int_equal(kp_buildid__from_notes(notes, o, id), 20);
	kp_buildid__hex(id, 20, hex);
	assert_string_equal(hex, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
	/* truncated: no id, no overread */
	assert_int_equal(kp_buildid__from_notes(notes, o - 1, id), 0);
	assert_int_equal(kp_buildid__from_notes(notes, 5, id), 0);
	/* the test binary itself has a build-id (gcc default) */
	assert_true(kp_buildid__read_elf("/proc/self/exe", id) > 0);
	assert_true(kp_buildid__read_elf("/nonexistent", id) < 0);
}

static void test_event_names(void **state)
{
	struct kp_attr a = { 0 };

	assert_int_equal(kp_event__parse("cycles", &a), 0);
	assert_true(a.type == PERF_TYPE_HARDWARE && a.config == PERF_COUNT_HW_CPU_CYCLES);
	assert_int_equal(kp_event__parse("task-clock", &a), 0);
	assert_true(a.type == PERF_TYPE_SOFTWARE && a.config == PERF_COUNT_SW_TASK_CLOCK);
	assert_int_equal(kp_event__parse("bogus", &a), KP_ERR_USAGE);
	assert_int_equal(kp_event__parse("a:b:c", &a), KP_ERR_USAGE);
	assert_int_equal(kp_event__parse("../x:y", &a), KP_ERR_USAGE);
	if (kp_tracefs_dir() && !access("/sys/kernel/tracing/events/sched/sched_switch/id", R_OK)) {
		assert_int_equal(kp_event__parse("sched:sched_switch", &a), 0);
		assert_int_equal(a.type, PERF_TYPE_TRACEPOINT);
		assert_true(a.config > 0);
		assert_int_equal(kp_event__parse("sched:no_such_tracepoint", &a),
				 KP_ERR_NO_TRACEPOINT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_kernel_maps),
		cmocka_unit_test(test_hidden_kallsyms),
		cmocka_unit_test(test_self_process),
		cmocka_unit_test(test_hits),
		cmocka_unit_test(test_build_id_notes),
		cmocka_unit_test(test_event_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
