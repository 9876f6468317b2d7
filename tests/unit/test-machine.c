// SPDX-License-Identifier: GPL-2.0
/*
 * The machine model: machine selection by cpumode, level markers and
 * host/guest filtering, kernel maps with relocation and module splitting,
 * threads (comm, fork, shared maps), overlapping maps, build-id order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/header.h"
#include "machine/machine-int.h"
#include "util/util.h"

static char tmpdir[] = "/tmp/kp-test-machine.XXXXXX";
static char host_kallsyms[300], guest_kallsyms[300];

static void write_file(char *path, size_t size, const char *name, const char *text)
{
	FILE *fp;

	snprintf(path, size, "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static union {
	union perf_event ev;
	u8 buf[512];
} rec;

static const union perf_event *mk_mmap(u16 misc, u32 pid, u32 tid, u64 start, u64 len, u64 pgoff,
				       const char *name)
{
	size_t n = strlen(name) + 1;

	memset(&rec, 0, sizeof(rec));
	rec.ev.header.type = PERF_RECORD_MMAP;
	rec.ev.header.misc = misc;
	rec.ev.header.size = (u16)(sizeof(rec.ev.mmap) + KP_ALIGN(n, 8));
	rec.ev.mmap.pid = pid;
	rec.ev.mmap.tid = tid;
	rec.ev.mmap.start = start;
	rec.ev.mmap.len = len;
	rec.ev.mmap.pgoff = pgoff;
	memcpy(rec.ev.mmap.filename, name, n);
	return &rec.ev;
}

static const union perf_event *mk_comm(u16 misc, u32 pid, u32 tid, const char *comm)
{
	size_t n = strlen(comm) + 1;

	memset(&rec, 0, sizeof(rec));
	rec.ev.header.type = PERF_RECORD_COMM;
	rec.ev.header.misc = misc;
	rec.ev.header.size = (u16)(sizeof(rec.ev.comm) + KP_ALIGN(n, 8));
	rec.ev.comm.pid = pid;
	rec.ev.comm.tid = tid;
	memcpy(rec.ev.comm.comm, comm, n);
	return &rec.ev;
}

static const union perf_event *mk_fork(u32 type, u32 pid, u32 ppid, u32 tid, u32 ptid)
{
	memset(&rec, 0, sizeof(rec));
	rec.ev.header.type = type;
	rec.ev.header.misc = PERF_RECORD_MISC_USER;
	rec.ev.header.size = sizeof(rec.ev.fork);
	rec.ev.fork.pid = pid;
	rec.ev.fork.ppid = ppid;
	rec.ev.fork.tid = tid;
	rec.ev.fork.ptid = ptid;
	return &rec.ev;
}

static void sample(struct machines *ms, u8 cpumode, u32 pid, u32 tid, u64 ip,
		   struct addr_location *al)
{
	struct perf_sample s = { 0 };

	s.ip = ip;
	s.pid = pid;
	s.tid = tid;
	s.cpumode = cpumode;
	s.misc = cpumode;
	machines__resolve(ms, &s, al);
}

static const char *symname(const struct addr_location *al)
{
	return al->sym ? al->sym->name : "(null)";
}

static int setup(void **state)
{
	if (!mkdtemp(tmpdir))
		return -1;
	/* host kernel: booted at 0xffffffff81000000 when kallsyms was copied */
	write_file(host_kallsyms, sizeof(host_kallsyms), "kallsyms",
		   "ffffffff81000000 T _stext\n"
		   "ffffffff81000000 T _text\n"
		   "ffffffff81000100 T do_syscall_64\n"
		   "ffffffff81000200 t helper\n"
		   "ffffffff81000200 W helper_alias\n"
		   "ffffffff81000300 D some_data\n"
		   "ffffffff81000400 r ro_data_ignored\n"
		   "ffffffff81000500 T _etext\n"
		   "ffffffffc0000000 t kvm_fn\t[kvm]\n"
		   "ffffffffc0000100 t kvm_fn2\t[kvm]\n"
		   "ffffffffc0002000 t bpf_prog_x\t[bpf]\n");
	write_file(guest_kallsyms, sizeof(guest_kallsyms), "guest.kallsyms",
		   "ffffffff81000000 T _text\n"
		   "ffffffff81000040 T guest_func_a\n"
		   "ffffffff81000080 T guest_func_b\n"
		   "ffffffffc0100000 t gmod_fn\t[gmod]\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_host_kernel_relocated(void **state)
{
	struct symbol_conf conf = { .host = true, .guest = false, .kallsyms = host_kallsyms };
	struct machines ms;
	struct addr_location al;

	assert_int_equal(machines__init(&ms, &conf), 0);
	/* recorded with KASLR: _text at 0xffffffff9a000000 */
	assert_int_equal(machines__process_event(&ms,
		mk_mmap(PERF_RECORD_MISC_KERNEL, -1, 0, 0xffffffff9a000000ULL, 0x1000000,
			0xffffffff9a000000ULL, "[kernel.kallsyms]_text"), NULL), 0);
	assert_int_equal(machines__process_event(&ms,
		mk_mmap(PERF_RECORD_MISC_KERNEL, -1, 0, 0xffffffffc0000000ULL, 0x4000, 0,
			"/lib/modules/6.1/kernel/arch/x86/kvm/kvm.ko"), NULL), 0);
	sample(&ms, PERF_RECORD_MISC_KERNEL, 7, 7, 0xffffffff9a000110ULL, &al);
	assert_int_equal(al.level, 'k');
	assert_int_equal(al.filtered, AL_FILTER_NONE);
	assert_string_equal(dso__name(al.dso), "[kernel.kallsyms]");
	assert_string_equal(symname(&al), "do_syscall_64");
	assert_true(al.addr == 0xffffffff9a000110ULL); /* kernel map_ip is the identity */
	/* two symbols at one address: the one left zero-sized by the fix-up loses */
	sample(&ms, PERF_RECORD_MISC_KERNEL, 7, 7, 0xffffffff9a000210ULL, &al);
	assert_string_equal(symname(&al), "helper_alias");
	sample(&ms, PERF_RECORD_MISC_KERNEL, 7, 7, 0xffffffff9a000300ULL, &al);
	assert_string_equal(symname(&al), "some_data");
	/* 'r' symbols are not kept: the data symbol extends over it */
	sample(&ms, PERF_RECORD_MISC_KERNEL, 7, 7, 0xffffffff9a000410ULL, &al);
	assert_string_equal(symname(&al), "some_data");
	/* module symbols move to the module DSO, module-relative */
	sample(&ms, PERF_RECORD_MISC_KERNEL, 7, 7, 0xffffffffc0000104ULL, &al);
	assert_string_equal(dso__name(al.dso), "[kvm]");
	assert_string_equal(dso__long_name(al.dso), "/lib/modules/6.1/kernel/arch/x86/kvm/kvm.ko");
	assert_string_equal(symname(&al), "kvm_fn2");
	assert_true(al.addr == 0x104);
	/* user samples with --guest only: filtered, level H */
	machines__exit(&ms);
	conf.host = false;
	conf.guest = true;
	assert_int_equal(machines__init(&ms, &conf), 0);
	sample(&ms, PERF_RECORD_MISC_KERNEL, 7, 7, 0xffffffff9a000110ULL, &al);
	assert_int_equal(al.level, 'H');
	assert_int_equal(al.filtered, AL_FILTER_HOST);
	assert_null(al.map);
	machines__exit(&ms);
}

static void test_guest_kernel(void **state)
{
	struct symbol_conf conf = { .host = true, .guest = true, .guestkallsyms = guest_kallsyms };
	struct machines ms;
	struct addr_location al;
	struct machine *g;

	assert_int_equal(machines__init(&ms, &conf), 0);
	/* before the guest kernel MMAP, guest kernel samples cannot resolve */
	sample(&ms, PERF_RECORD_MISC_GUEST_KERNEL, 555, 555, 0xffffffff81000044ULL, &al);
	assert_int_equal(al.level, 'g');
	assert_null(al.map);
	g = al.machine;
	assert_int_equal(machine__pid(g), DEFAULT_GUEST_KERNEL_ID);
	assert_false(machine__is_host(g));
	/* module map first (perf kvm record writes them first), then the kernel */
	machines__process_event(&ms, mk_mmap(PERF_RECORD_MISC_GUEST_KERNEL, 0, 0,
					     0xffffffffc0100000ULL, 0x1000, 0, "[gmod]"), NULL);
	machines__process_event(&ms, mk_mmap(PERF_RECORD_MISC_GUEST_KERNEL, 0, 0,
					     0xffffffff81000000ULL, 0x1000,
					     0xffffffff81000000ULL, "[guest.kernel.kallsyms]_text"),
				NULL);
	sample(&ms, PERF_RECORD_MISC_GUEST_KERNEL, 555, 555, 0xffffffff81000044ULL, &al);
	assert_ptr_equal(al.machine, g);
	assert_string_equal(dso__name(al.dso), "[guest.kernel.kallsyms]");
	assert_string_equal(symname(&al), "guest_func_a");
	assert_string_equal(thread__comm_str(al.thread), ":555");
	sample(&ms, PERF_RECORD_MISC_GUEST_KERNEL, 555, 555, 0xffffffffc0100010ULL, &al);
	assert_string_equal(dso__name(al.dso), "[gmod]");
	assert_string_equal(symname(&al), "gmod_fn");
	/* guest user: no maps in the guest, [u] unknown */
	sample(&ms, PERF_RECORD_MISC_GUEST_USER, 555, 556, 0x400123, &al);
	assert_int_equal(al.level, 'u');
	assert_null(al.map);
	/* a guest machine known by its VMM pid takes that pid's samples */
	assert_non_null(machines__findnew(&ms, 4321));
	sample(&ms, PERF_RECORD_MISC_GUEST_USER, 4321, 4322, 0x400123, &al);
	assert_int_equal(machine__pid(al.machine), 4321);
	/* its VMM thread is named as perf names it */
	sample(&ms, PERF_RECORD_MISC_GUEST_USER, 4321, 4321, 0x400123, &al);
	assert_string_equal(thread__comm_str(al.thread), "[guest/4321]");
	/* hypervisor mode */
	sample(&ms, PERF_RECORD_MISC_HYPERVISOR, 1, 1, 0x1000, &al);
	assert_int_equal(al.level, 'H');
	assert_int_equal(al.filtered, AL_FILTER_NONE);
	machines__exit(&ms);

	/* without guest, guest samples are filtered on the host machine */
	conf.guest = false;
	assert_int_equal(machines__init(&ms, &conf), 0);
	sample(&ms, PERF_RECORD_MISC_GUEST_KERNEL, 555, 555, 0xffffffff81000044ULL, &al);
	assert_int_equal(al.level, 'H');
	assert_int_equal(al.filtered, AL_FILTER_GUEST);
	assert_true(machine__is_host(al.machine));
	assert_int_equal(ms.nr_guests, 0);
	machines__exit(&ms);
}

static void test_threads_and_maps(void **state)
{
	struct symbol_conf conf = { .host = true };
	struct machines ms;
	struct addr_location al;
	struct thread *parent;

	assert_int_equal(machines__init(&ms, &conf), 0);
	machines__process_event(&ms, mk_comm(PERF_RECORD_MISC_USER, 100, 100, "app"), NULL);
	machines__process_event(&ms, mk_mmap(PERF_RECORD_MISC_USER, 100, 100, 0x400000, 0x10000,
					     0, "/nonexistent/app"), NULL);
	/* a thread of 100: shares the maps */
	machines__process_event(&ms, mk_fork(PERF_RECORD_FORK, 100, 100, 102, 100), NULL);
	/* a new process 101: comm and maps copied */
	machines__process_event(&ms, mk_fork(PERF_RECORD_FORK, 101, 100, 101, 100), NULL);
	/* a library mapped over the middle of app in 100 */
	machines__process_event(&ms, mk_mmap(PERF_RECORD_MISC_USER, 100, 100, 0x408000, 0x4000,
					     0x1000, "/nonexistent/lib.so"), NULL);

	sample(&ms, PERF_RECORD_MISC_USER, 100, 100, 0x404000, &al);
	assert_int_equal(al.level, '.');
	assert_string_equal(dso__name(al.dso), "app");
	assert_true(al.addr == 0x4000);
	assert_string_equal(thread__comm_str(al.thread), "app");
	parent = al.thread;
	sample(&ms, PERF_RECORD_MISC_USER, 100, 100, 0x409000, &al);
	assert_string_equal(dso__name(al.dso), "lib.so");
	assert_true(al.addr == 0x2000);
	sample(&ms, PERF_RECORD_MISC_USER, 100, 100, 0x40d000, &al);
	assert_string_equal(dso__name(al.dso), "app"); /* the part after the cut keeps its offset */
	assert_true(al.addr == 0xd000);
	/* thread 102 sees the same maps, including the later library */
	sample(&ms, PERF_RECORD_MISC_USER, 100, 102, 0x409000, &al);
	assert_string_equal(dso__name(al.dso), "lib.so");
	assert_string_equal(thread__comm_str(al.thread), "app");
	assert_ptr_not_equal(al.thread, parent);
	/* process 101 got a copy made before the library: app everywhere */
	sample(&ms, PERF_RECORD_MISC_USER, 101, 101, 0x409000, &al);
	assert_string_equal(dso__name(al.dso), "app");
	assert_string_equal(thread__comm_str(al.thread), "app");
	assert_int_equal(thread__pid(al.thread), 101);
	assert_int_equal(thread__tid(al.thread), 101);
	/* a thread nobody named */
	sample(&ms, PERF_RECORD_MISC_USER, 900, 901, 0x409000, &al);
	assert_string_equal(thread__comm_str(al.thread), ":901");
	assert_null(al.map);
	/* exec: new comm */
	machines__process_event(&ms, mk_comm(PERF_RECORD_MISC_USER | (1 << 13), 101, 101, "newprog"),
				NULL);
	sample(&ms, PERF_RECORD_MISC_USER, 101, 101, 0x409000, &al);
	assert_string_equal(thread__comm_str(al.thread), "newprog");
	/* anon executable memory becomes perf's JIT map name */
	machines__process_event(&ms, mk_mmap(PERF_RECORD_MISC_USER, 100, 100, 0x7000000, 0x1000,
					     0, "//anon"), NULL);
	sample(&ms, PERF_RECORD_MISC_USER, 100, 100, 0x7000010, &al);
	assert_string_equal(dso__long_name(al.dso), "/tmp/perf-100.map");
	assert_string_equal(dso__name(al.dso), "[JIT] tid 100");
	assert_true(al.addr == 0x7000010); /* identity */
	machines__exit(&ms);
}

struct bid_list {
	char lines[8][128];
	int n;
};

static int bid_cb(struct machine *m, struct dso *dso, const u8 *bid, u8 size, void *arg)
{
	struct bid_list *l = arg;
	char s[KP_SBUILD_ID_SIZE];

	build_id__sprintf(bid, size, s);
	if (l->n < 8)
		snprintf(l->lines[l->n], 128, "%d %.4s %s", machine__pid(m), s, dso__long_name(dso));
	l->n++;
	return 0;
}

static void test_build_id_order(void **state)
{
	struct symbol_conf conf = { .host = true, .guest = true };
	struct build_id_entry e[5] = { 0 };
	struct machines ms;
	struct bid_list l = { 0 };
	char n0[] = "[guest.kernel.kallsyms.4321]", n1[] = "/usr/bin/app", n2[] = "[kernel.kallsyms]",
	     n3[] = "[guest.kernel.kallsyms]", n4[] = "[gmod]";

	e[0] = (struct build_id_entry){ PERF_RECORD_MISC_GUEST_KERNEL, 4321, { 0x43, 0x21 }, 20, n0 };
	e[1] = (struct build_id_entry){ PERF_RECORD_MISC_USER, -1, { 0xaa, 0xbb }, 20, n1 };
	e[2] = (struct build_id_entry){ PERF_RECORD_MISC_KERNEL, -1, { 0x11, 0x22 }, 20, n2 };
	e[3] = (struct build_id_entry){ PERF_RECORD_MISC_GUEST_KERNEL, 0, { 0x00, 0x01 }, 20, n3 };
	e[4] = (struct build_id_entry){ PERF_RECORD_MISC_GUEST_KERNEL, 0, { 0x99, 0x88 }, 4, n4 };
	assert_int_equal(machines__init(&ms, &conf), 0);
	assert_int_equal(machines__set_build_ids(&ms, e, 5), 0);
	machines__for_each_dso_with_build_id(&ms, false, bid_cb, &l);
	assert_int_equal(l.n, 5);
	/* host in insertion order, then guests by pid */
	assert_string_equal(l.lines[0], "-1 aabb /usr/bin/app");
	assert_string_equal(l.lines[1], "-1 1122 [kernel.kallsyms]");
	assert_string_equal(l.lines[2], "0 0001 [guest.kernel.kallsyms]");
	assert_string_equal(l.lines[3], "0 9988 [gmod]");
	assert_string_equal(l.lines[4], "4321 4321 [guest.kernel.kallsyms.4321]");
	/* nothing was hit */
	l.n = 0;
	machines__for_each_dso_with_build_id(&ms, true, bid_cb, &l);
	assert_int_equal(l.n, 0);
	machines__exit(&ms);
}

static int count_dso(struct machine *m, struct dso *dso, const u8 *bid, u8 size, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void test_ksymbol(void **state)
{
	struct symbol_conf conf = { .host = true };
	struct machines ms;
	struct addr_location al;
	int n = 0;
	const char *name = "bpf_prog_6deef7357e7b4530_fw";
	size_t len = strlen(name) + 1;

	assert_int_equal(machines__init(&ms, &conf), 0);
	memset(&rec, 0, sizeof(rec));
	rec.ev.header.type = PERF_RECORD_KSYMBOL;
	rec.ev.header.misc = PERF_RECORD_MISC_KERNEL;
	rec.ev.header.size = (u16)(sizeof(rec.ev.ksymbol) + KP_ALIGN(len, 8));
	rec.ev.ksymbol.addr = 0xffffffffc0005000ULL;
	rec.ev.ksymbol.len = 0x100;
	rec.ev.ksymbol.ksym_type = 1;
	memcpy(rec.ev.ksymbol.name, name, len);
	assert_int_equal(machines__process_event(&ms, &rec.ev, NULL), 0);
	sample(&ms, PERF_RECORD_MISC_KERNEL, 1, 1, 0xffffffffc0005010ULL, &al);
	assert_non_null(al.dso);
	assert_string_equal(dso__name(al.dso), name);
	assert_string_equal(symname(&al), name);
	assert_true(al.addr == 0x10);
	sample(&ms, PERF_RECORD_MISC_KERNEL, 1, 1, 0xffffffffc0005100ULL, &al);
	assert_null(al.map);
	/* not a DSO buildid-list would show */
	machines__for_each_dso(&ms, false, count_dso, &n);
	assert_int_equal(n, 0);
	rec.ev.ksymbol.flags = PERF_RECORD_KSYMBOL_FLAGS_UNREGISTER;
	assert_int_equal(machines__process_event(&ms, &rec.ev, NULL), 0);
	sample(&ms, PERF_RECORD_MISC_KERNEL, 1, 1, 0xffffffffc0005010ULL, &al);
	assert_null(al.map);
	machines__exit(&ms);
}

static void test_bad_symbol_files(void **state)
{
	char bad[300];
	struct symbol_conf conf = { .guest = true };
	struct machines ms;
	int err;

	write_file(bad, sizeof(bad), "bad.kallsyms", "ffffffff81000000 T _text\nffffffff8100\n");
	conf.guestkallsyms = bad;
	err = machines__init(&ms, &conf);
	assert_int_equal(err, KP_ERR_BAD_SYMFILE);
	assert_non_null(strstr(kp_errmsg(err), "line 2"));
	machines__exit(&ms);
	conf.guestkallsyms = NULL;
	write_file(bad, sizeof(bad), "bad.modules", "kvm x y\n");
	conf.guestmodules = bad;
	err = machines__init(&ms, &conf);
	assert_int_equal(err, KP_ERR_BAD_SYMFILE);
	assert_non_null(strstr(kp_errmsg(err), "bad.modules"));
	machines__exit(&ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_kernel_relocated),
		cmocka_unit_test(test_guest_kernel),
		cmocka_unit_test(test_threads_and_maps),
		cmocka_unit_test(test_build_id_order),
		cmocka_unit_test(test_ksymbol),
		cmocka_unit_test(test_bad_symbol_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
