// SPDX-License-Identifier: GPL-2.0
/*
 * test-collect-target - target parsing, attrs and dry-run opening of an
 * evlist, --guestmount synthesis (modules before the kernel, guest-user.maps),
 * hit DSOs per guest machine and guest build-ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/buildid.h"
#include "collect/hits.h"
#include "collect/synth.h"
#include "collect/target.h"
#include "data/evsel.h"
#include "util/util.h"

#include "test-hit-list.h"

struct sink {
	u8 buf[1 << 16];
	size_t len;
	int nr;
};

static int sink_emit(void *arg, const union perf_event *ev)
{
	struct sink *s = arg;

	if (s->len + ev->header.size <= sizeof(s->buf)) {
		memcpy(s->buf + s->len, ev, ev->header.size);
		s->len += ev->header.size;
	}
	s->nr++;
	return 0;
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	struct strbuf p = STRBUF_INIT;
	FILE *fp;

	strbuf_addf(&p, "%s/%s", dir, name);
	fp = fopen(p.buf, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
	strbuf_release(&p);
}

static void test_resolve_errors(void **state)
{
	struct kp_target t = { 0 };
	u64 v;

	t.cpu_list = "x";
	assert_int_equal(kp_target__resolve(&t), KP_ERR_USAGE);
	assert_non_null(strstr(kp_errmsg(KP_ERR_USAGE), "bad CPU list 'x'"));
	kp_target__exit(&t);
	t.cpu_list = "0-99999";
	assert_int_equal(kp_target__resolve(&t), KP_ERR_USAGE);
	assert_non_null(strstr(kp_errmsg(KP_ERR_USAGE), "no such CPU"));
	kp_target__exit(&t);
	t.cpu_list = NULL;
	t.pid_list = "12x";
	assert_int_equal(kp_target__resolve(&t), KP_ERR_USAGE);
	kp_target__exit(&t);
	t.pid_list = NULL;
	t.tid_str = "0";
	assert_int_equal(kp_target__resolve(&t), KP_ERR_USAGE);
	kp_target__exit(&t);
	t.tid_str = NULL;
	t.pid_list = "2147483000";
	assert_int_equal(kp_target__resolve(&t), -ESRCH);
	kp_target__exit(&t);
	/* the calling process: all its threads, and it is the one process */
	{
		char me[32];

		snprintf(me, sizeof(me), "%d", (int)getpid());
		t.pid_list = me;
		t.cpu_list = "0";
		assert_int_equal(kp_target__resolve(&t), 0);
		assert_int_equal(t.nr_cpus, 1);
		assert_true(t.nr_tids >= 1);
		assert_int_equal(t.nr_procs, 1);
		assert_int_equal(t.procs[0], getpid());
		kp_target__exit(&t);
	}
	assert_int_equal(kp_parse_u64("0x10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(kp_parse_u64("-1", &v), -1);
	assert_int_equal(kp_parse_u64("1k", &v), -1);
}

static void test_attrs_and_open(void **state)
{
	struct kp_target t = { .cpu_list = "0" };
	struct kp_sample_opts o = { .freq = 999, .guest = true };
	struct kp_attr a = { .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CPU_CLOCK };
	struct evlist evlist;
	struct evsel *e;

	setenv("KVMPROF_ATTR_DRYRUN", "1", 1);
	evlist__init(&evlist);
	evlist__add(&evlist, evsel__new(&a, 0));
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	evlist__add(&evlist, evsel__new(&a, 1));
	assert_int_equal(kp_target__resolve(&t), 0);
	assert_int_equal(kp_target__config_attrs(&t, &evlist, &o), 0);
	e = evlist.entries[0];
	assert_int_equal(e->attr.sample_type, PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					      PERF_SAMPLE_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD);
	assert_int_equal(e->id_hdr_size, 32); /* TID TIME ID CPU */
	assert_true(kp_attr_flag(&e->attr, KP_ATTR_EXCLUDE_HOST));
	assert_false(kp_attr_flag(&e->attr, KP_ATTR_EXCLUDE_GUEST));
	assert_true(kp_attr_flag(&e->attr, KP_ATTR_MMAP2));
	assert_false(kp_attr_flag(&evlist.entries[1]->attr, KP_ATTR_MMAP2));
	assert_true(kp_attr_flag(&e->attr, KP_ATTR_FREQ));
	assert_int_equal(e->attr.sample_period, 999);
	assert_int_equal(evlist.id_pos, 3);
	assert_int_equal(kp_target__open(&t, &evlist, 4, false), 0);
	assert_int_equal(t.nr_fds, 2);
	assert_int_equal(t.nr_rings, 1);
	assert_int_equal(evlist.entries[0]->nr_ids, 1);
	assert_int_equal(evlist.entries[1]->nr_ids, 1);
	assert_ptr_equal(evlist__find_by_id(&evlist, evlist.entries[1]->ids[0]),
			 evlist.entries[1]);
	kp_target__exit(&t);
	evlist__exit(&evlist);
	unsetenv("KVMPROF_ATTR_DRYRUN");
}

static const char kallsyms[] = "ffffffff81000000 T _text\n"
			       "ffffffff81000100 T guest_func_a\n"
			       "ffffffff81200000 T _etext\n";
static const char modules[] = "gmod 8192 0 - Live 0xffffffffc0000000\n";

static int found_pid;

static int guest_found(void *arg, pid_t pid)
{
	found_pid = pid;
	return 0;
}

static void test_guestmount(void **state)
{
	char dir[] = "/tmp/kp-target-XXXXXX";
	struct strbuf root = STRBUF_INIT, line = STRBUF_INIT, cmd = STRBUF_INIT;
	struct sink *sink = xzalloc(sizeof(*sink));
	struct kp_synth *s = xmalloc(sizeof(*s));
	struct kp_target t = { 0 };
	struct kp_synth_opts o = { .guest_found = guest_found };
	struct kp_hits *h = kp_hits__new();
	struct hit_list l = { 0 };
	/* a raw note stream: namesz 4, descsz 20, type 3 (GNU build-id) */
	u8 notes[12 + 4 + 20];
	u32 nh[3] = { 4, 20, 3 };
	u8 id[KP_BUILD_ID_MAX];
	const struct perf_event_header *hd;
	int i = 0, k = -1, m = -1, u = -1;

	assert_non_null(mkdtemp(dir));
	strbuf_addf(&root, "%s/4321", dir);
	strbuf_addf(&cmd, "%s/proc", root.buf);
	assert_int_equal(mkdir(root.buf, 0755), 0);
	assert_int_equal(mkdir(cmd.buf, 0755), 0);
	strbuf_addstr(&cmd, "/../sys");
	assert_int_equal(mkdir(cmd.buf, 0755), 0);
	strbuf_addstr(&cmd, "/kernel");
	assert_int_equal(mkdir(cmd.buf, 0755), 0);
	write_file(root.buf, "proc/kallsyms", kallsyms, strlen(kallsyms));
	write_file(root.buf, "proc/modules", modules, strlen(modules));
	strbuf_addf(&line, "00401000-00402000 r-xp 00001000 00:00 0 %s/demo-guest.elf\n"
			   "00500000-00501000 rw-p 00000000 00:00 0 %s/data\n"
			   "garbage\n", root.buf, root.buf);
	write_file(root.buf, "guest-user.maps", line.buf, line.len);
	memcpy(notes, nh, 12);
	memcpy(notes + 12, "GNU", 4);
	memset(notes + 16, 0xab, 20);
	write_file(root.buf, "sys/kernel/notes", notes, sizeof(notes));

	/* this process as the -t target: cheap thread synthesis */
	kp_target__add_thread(&t, getpid());
	t.tid_str = "self";
	o.guestmount = dir;
	kp_synth__init(s, sink_emit, sink, 16);
	assert_int_equal(kp_target__synthesize(&t, s, &o), 0);
	assert_int_equal(found_pid, 4321);
	for (const u8 *p = sink->buf; p < sink->buf + sink->len; p += hd->size, i++) {
		const union perf_event *ev = (const union perf_event *)p;

		hd = &ev->header;
		kp_hits__event(h, ev);
		if ((hd->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_GUEST_KERNEL) {
			assert_int_equal(ev->mmap.pid, 4321);
			if (!strcmp(ev->mmap.filename, "[gmod]"))
				m = i;
			if (!strcmp(ev->mmap.filename, "[guest.kernel.kallsyms.4321]_text"))
				k = i;
		}
		if (hd->type == PERF_RECORD_MMAP2 &&
		    (hd->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_GUEST_USER) {
			/* only the executable line, as a guest path */
			assert_int_equal(u, -1);
			assert_string_equal(ev->mmap2.filename, "/demo-guest.elf");
			assert_int_equal(ev->mmap2.pid, 4321);
			assert_int_equal(ev->mmap2.start, 0x401000);
			assert_int_equal(ev->mmap2.pgoff, 0x1000);
			u = i;
		}
	}
	assert_true(m >= 0 && k > m); /* modules first, as perf */
	assert_true(u > k);

	/* guest 4321's samples are its own machine's; pid 77's the default guest's */
	kp_hits__add_guest(h, 4321);
	kp_hits__sample(h, PERF_RECORD_MISC_GUEST_KERNEL, 4321, 0xffffffff81000100ULL);
	kp_hits__sample(h, PERF_RECORD_MISC_GUEST_KERNEL, 4321, 0xffffffffc0000010ULL);
	kp_hits__sample(h, PERF_RECORD_MISC_GUEST_KERNEL, 77, 0xffffffff81000100ULL);
	kp_hits__sample(h, PERF_RECORD_MISC_GUEST_USER, 4321, 0x401010);
	assert_int_equal(kp_hits__for_each(h, collect_hit, &l), 0);
	assert_int_equal(l.nr, 4);
	/* kernels first (default guest, then 4321), then maps */
	assert_string_equal(l.names[0], "[guest.kernel.kallsyms]");
	assert_int_equal(l.pids[0], 0);
	assert_string_equal(l.names[1], "[guest.kernel.kallsyms.4321]");
	assert_int_equal(l.pids[1], 4321);
	assert_string_equal(l.names[2], "[gmod]");
	assert_int_equal(l.pids[2], 4321);
	assert_string_equal(l.names[3], "/demo-guest.elf");
	assert_int_equal(l.modes[3], PERF_RECORD_MISC_GUEST_USER);
	assert_int_equal(l.pids[3], 4321);

	/* build-ids: the guest kernel from DIR/PID/sys/kernel/notes, none for the default guest */
	assert_int_equal(kp_buildid__for_dso(PERF_RECORD_MISC_GUEST_KERNEL, 4321,
					     "[guest.kernel.kallsyms.4321]", dir, NULL, id), 20);
	assert_int_equal(id[0], 0xab);
	assert_int_equal(kp_buildid__for_dso(PERF_RECORD_MISC_GUEST_KERNEL, 0,
					     "[guest.kernel.kallsyms]", dir, NULL, id), 0);
	assert_int_equal(kp_buildid__for_dso(PERF_RECORD_MISC_GUEST_KERNEL, 4321, "[gmod]", dir,
					     NULL, id), 0);

	/* a guestmount without guests makes no guest records and is no error */
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd.buf), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	sink->len = 0;
	found_pid = 0;
	assert_int_equal(kp_target__synthesize(&t, s, &o), 0);
	assert_int_equal(found_pid, 0);
	assert_int_equal(system(cmd.buf), 0);
	/* a missing one is */
	assert_true(kp_target__synthesize(&t, s, &o) < 0);

	kp_hits__delete(h);
	kp_target__exit(&t);
	strbuf_release(&root);
	strbuf_release(&line);
	strbuf_release(&cmd);
	free(s);
	free(sink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_errors),
		cmocka_unit_test(test_attrs_and_open),
		cmocka_unit_test(test_guestmount),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
