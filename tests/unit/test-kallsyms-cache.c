// SPDX-License-Identifier: GPL-2.0
/*
 * The kallsyms snapshot cache: a table written and read back is the same
 * table; a changed key (modules, boot id, kallsyms visibility) is a miss; a
 * truncated, corrupt or foreign-writable snapshot is ignored, never trusted;
 * a read-back table behaves like any other symtab (lookups, adds, exit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "symbol/kallsyms-cache.h"
#include "util/util.h"

static char tmpdir[] = "/tmp/kp-test-ksnap.XXXXXX";
static char root[300], snap_path[300];

static void put_bytes(const char *rel, const char *text, size_t len)
{
	char path[512], dir[512], *slash;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	/* mkdir -p the parent */
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	fclose(fp);
}

static void put_file(const char *rel, const char *text)
{
	put_bytes(rel, text, strlen(text));
}

#define NOTES "\x04\0\0\0\x14\0\0\0\x03\0\0\0GNU\0abcdefghijklmnopqrst"

static void make_root(void)
{
	snprintf(root, sizeof(root), "%s/root", tmpdir);
	mkdir(root, 0755);
	put_file("proc/sys/kernel/random/boot_id", "0248ff04-b746-474c-b9cf-a496c9088b8c\n");
	put_file("proc/modules", "kvm_intel 368640 0 - Live 0xffffffffc0400000\n");
	put_file("proc/kallsyms", "ffffffff81000000 T _text\nffffffff81000010 T start\n");
	put_bytes("sys/kernel/notes", NOTES, sizeof(NOTES) - 1);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	make_root();
	snprintf(snap_path, sizeof(snap_path), "%s/cache/sub/kallsyms.snap", tmpdir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

/* a small finished kallsyms table: core symbols, then a module's */
static void make_snapshot(struct kallsyms_snapshot *snap)
{
	static const struct {
		u64 addr;
		u8 binding, type;
		const char *name;
	} in[] = {
		{ 0xffffffff81000000ULL, STB_GLOBAL, STT_FUNC, "_text" },
		{ 0xffffffff81000100ULL, STB_LOCAL, STT_FUNC, "start_kernel" },
		{ 0xffffffff81000100ULL, STB_GLOBAL, STT_FUNC, "__start_kernel" },
		{ 0xffffffff81002000ULL, STB_WEAK, STT_FUNC, "weak_fn" },
		{ 0xffffffff82000000ULL, STB_GLOBAL, STT_OBJECT, "jiffies" },
		{ 0xffffffffc0401000ULL, STB_LOCAL, STT_FUNC, "vmx_vcpu_run\t[kvm_intel]" },
		{ 0xffffffffc0402000ULL, STB_GLOBAL, STT_FUNC, "vmx_exit\t[kvm_intel]" },
	};

	memset(snap, 0, sizeof(*snap));
	for (size_t i = 0; i < ARRAY_SIZE(in); i++)
		symtab__add(&snap->all, in[i].addr, 0, in[i].binding, in[i].type, in[i].name,
			    strlen(in[i].name));
	symtab__finish(&snap->all, true);
	snap->core_prefix = kallsyms__core_prefix(&snap->all, "__entry_SYSCALL_64_trampoline");
	kallsyms_snapshot__add_reloc(snap, "_text", 0xffffffff81000000ULL);
	kallsyms_snapshot__add_reloc(snap, "_stext", 0xffffffff81000010ULL);
}

static void assert_same_table(const struct kallsyms_snapshot *a, const struct kallsyms_snapshot *b)
{
	u64 addr;

	assert_int_equal(a->all.nr, b->all.nr);
	for (size_t i = 0; i < a->all.nr; i++) {
		assert_true(a->all.syms[i].start == b->all.syms[i].start);
		assert_true(a->all.syms[i].end == b->all.syms[i].end);
		assert_string_equal(a->all.syms[i].name, b->all.syms[i].name);
		assert_int_equal(a->all.syms[i].binding, b->all.syms[i].binding);
		assert_int_equal(a->all.syms[i].type, b->all.syms[i].type);
	}
	assert_true(a->core_prefix == b->core_prefix);
	assert_true(kallsyms_snapshot__reloc(b, "_stext", &addr));
	assert_true(addr == 0xffffffff81000010ULL);
	assert_false(kallsyms_snapshot__reloc(b, "_etext", &addr));
}

static void save_fresh(struct strbuf *key)
{
	struct kallsyms_snapshot snap;

	make_snapshot(&snap);
	assert_int_equal(kallsyms_cache__key(root, key), 0);
	assert_int_equal(kallsyms_cache__save(snap_path, key, &snap), 0);
	kallsyms_snapshot__exit(&snap);
}

static void test_roundtrip(void **state)
{
	struct kallsyms_snapshot want, got;
	struct strbuf key = STRBUF_INIT;
	struct symbol *s;
	struct stat st;
	char dir[400];

	(void)state;
	make_snapshot(&want);
	assert_int_equal(want.core_prefix, 4); /* 5 core adds, one duplicate start dropped */
	save_fresh(&key);
	assert_int_equal(stat(snap_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(dir, sizeof(dir), "%s/cache/sub", tmpdir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* the copy-and-relocate path */
	assert_int_equal(kallsyms_cache__load_opts(snap_path, &key, &got, false), 0);
	assert_same_table(&want, &got);
	assert_false(got.all.syms_mapped);
	assert_non_null(got.all.map); /* the names are the mapped file */
	kallsyms_snapshot__exit(&got);

	/* mapped where it was written for (unless that address is taken, as under ASan) */
	assert_int_equal(kallsyms_cache__load(snap_path, &key, &got), 0);
	assert_same_table(&want, &got);
	assert_non_null(got.all.map);
	{
		struct kallsyms_snapshot again;

		/* the address is taken now: the second load relocates */
		assert_int_equal(kallsyms_cache__load(snap_path, &key, &again), 0);
		assert_same_table(&want, &again);
		assert_false(got.all.syms_mapped && again.all.syms_mapped);
		kallsyms_snapshot__exit(&again);
	}
	/* a mapped array is writable (copy on write): the split shifts it in place */
	got.all.syms[0].start -= 0x1000;
	got.all.syms[0].start += 0x1000;
	s = symtab__find(&got.all, 0xffffffff81000180ULL);
	assert_non_null(s);
	assert_string_equal(s->name, "__start_kernel"); /* GLOBAL beats LOCAL at one address */
	/* adding to a mapped table moves its names to the heap first */
	symtab__add(&got.all, 0xffffffff83000000ULL, 16, STB_GLOBAL, STT_FUNC, "late", 4);
	assert_null(got.all.map);
	symtab__finish(&got.all, true);
	s = symtab__find(&got.all, 0xffffffff81000180ULL);
	assert_non_null(s);
	assert_string_equal(s->name, "__start_kernel"); /* GLOBAL beats LOCAL at one address */
	kallsyms_snapshot__exit(&got);
	kallsyms_snapshot__exit(&want);
	strbuf_release(&key);
}

static void expect_miss(const struct strbuf *key)
{
	struct kallsyms_snapshot got;

	assert_true(kallsyms_cache__load(snap_path, key, &got) < 0);
	assert_int_equal(got.all.nr, 0);
	assert_null(got.all.syms);
}

static void test_key_changes(void **state)
{
	struct strbuf key = STRBUF_INIT, key2 = STRBUF_INIT;
	struct kallsyms_snapshot got;

	(void)state;
	make_root();
	save_fresh(&key);

	/* a VM opened /dev/kvm: use counts and users change, module symbols do not */
	put_file("proc/modules", "kvm_intel 368640 3 kvm_amd,virtio, Live 0xffffffffc0400000\n");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	assert_int_equal(kallsyms_cache__load(snap_path, &key2, &got), 0);
	kallsyms_snapshot__exit(&got);

	/* a module loaded, reloaded elsewhere, or still loading: a miss */
	put_file("proc/modules", "kvm_intel 368640 0 - Live 0xffffffffc0400000\n"
				 "kvm 1146880 1 kvm_intel, Live 0xffffffffc0600000\n");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	put_file("proc/modules", "kvm_intel 368640 0 - Live 0xffffffffc0500000\n");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	put_file("proc/modules", "kvm_intel 368640 0 - Loading 0xffffffffc0400000\n");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	put_file("proc/modules", "kvm_intel 368640 0 - Live 0xffffffffc0400000 (OE)\n");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	put_file("proc/modules", "");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	make_root();

	/* a rebuilt module reloaded at the same address with the same size */
	put_bytes("sys/module/kvm_intel/notes/.note.gnu.build-id", NOTES, sizeof(NOTES) - 1);
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	save_fresh(&key);
	put_bytes("sys/module/kvm_intel/notes/.note.gnu.build-id", NOTES "X", sizeof(NOTES));
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	put_bytes("sys/module/kvm_intel/notes/.note.gnu.build-id", NOTES, sizeof(NOTES) - 1);
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	assert_int_equal(kallsyms_cache__load(snap_path, &key2, &got), 0);
	kallsyms_snapshot__exit(&got);
	{
		char p[450];

		snprintf(p, sizeof(p), "%s/sys/module/kvm_intel/notes/.note.gnu.build-id", root);
		unlink(p);
	}
	save_fresh(&key);
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	assert_int_equal(kallsyms_cache__load(snap_path, &key2, &got), 0);
	kallsyms_snapshot__exit(&got);

	/* a reboot */
	put_file("proc/sys/kernel/random/boot_id", "0248ff04-b746-474c-b9cf-a496c9088b8d\n");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	make_root();

	/* addresses hidden from this user (kptr_restrict) */
	put_file("proc/kallsyms", "0000000000000000 T _text\n0000000000000000 T start\n");
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	make_root();

	/* another kernel build */
	put_bytes("sys/kernel/notes", NOTES "X", sizeof(NOTES));
	assert_int_equal(kallsyms_cache__key(root, &key2), 0);
	expect_miss(&key2);
	make_root();

	/* no boot id: no key, nothing cached */
	{
		char p[400];

		snprintf(p, sizeof(p), "%s/proc/sys/kernel/random/boot_id", root);
		unlink(p);
		assert_true(kallsyms_cache__key(root, &key2) < 0);
		make_root();
	}
	strbuf_release(&key);
	strbuf_release(&key2);
}

static void rewrite_byte(long off, int xor_with)
{
	int fd = open(snap_path, O_RDWR);
	unsigned char c;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c ^= (unsigned char)xor_with;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

static void test_corrupt(void **state)
{
	struct strbuf key = STRBUF_INIT;
	struct kallsyms_snapshot got;
	/* header, key, symbol array (at 64 KB), names (at 128 KB) */
	static const long offsets[] = { 0, 9, 40, 200, 520, 65536 + 0, 65536 + 8, 65536 + 16,
					65536 + 32 * 5 + 7, 131072, 131072 + 20 };
	struct stat st;

	(void)state;
	make_root();
	for (size_t i = 0; i < ARRAY_SIZE(offsets); i++) {
		save_fresh(&key);
		rewrite_byte(offsets[i], 0x40);
		expect_miss(&key);
	}

	/* truncated anywhere */
	save_fresh(&key);
	assert_int_equal(stat(snap_path, &st), 0);
	for (off_t len = 0; len < st.st_size; len += st.st_size / 7 + 1) {
		save_fresh(&key);
		assert_int_equal(truncate(snap_path, len), 0);
		expect_miss(&key);
	}
	save_fresh(&key);
	assert_int_equal(truncate(snap_path, st.st_size - 1), 0);
	expect_miss(&key);
	save_fresh(&key);
	assert_int_equal(truncate(snap_path, st.st_size + 4096), 0);
	expect_miss(&key);

	/* writable by others: not trusted */
	save_fresh(&key);
	assert_int_equal(chmod(snap_path, 0622), 0);
	expect_miss(&key);

	/* garbage */
	{
		FILE *fp = fopen(snap_path, "w");

		assert_non_null(fp);
		for (int i = 0; i < 100000; i++)
			fputc((i * 7919) & 0xff, fp);
		fclose(fp);
		chmod(snap_path, 0600);
		expect_miss(&key);
	}

	/* missing */
	unlink(snap_path);
	expect_miss(&key);

	/* and a good one still loads after all that */
	save_fresh(&key);
	assert_int_equal(kallsyms_cache__load(snap_path, &key, &got), 0);
	kallsyms_snapshot__exit(&got);
	strbuf_release(&key);
}

/* a temporary file a killed run left: removed when old, kept while a writer may own it */
static void test_stale_temps(void **state)
{
	struct strbuf key = STRBUF_INIT;
	char old_tmp[450], new_tmp[450], other[450];
	struct timeval tv[2] = { { 1000, 0 }, { 1000, 0 } };

	(void)state;
	make_root();
	save_fresh(&key);
	snprintf(old_tmp, sizeof(old_tmp), "%s.AbC123", snap_path);
	snprintf(new_tmp, sizeof(new_tmp), "%s.XyZ789", snap_path);
	snprintf(other, sizeof(other), "%s.keep", snap_path);
	for (int i = 0; i < 3; i++) {
		FILE *fp = fopen(i == 0 ? old_tmp : i == 1 ? new_tmp : other, "w");

		assert_non_null(fp);
		fclose(fp);
	}
	assert_int_equal(utimes(old_tmp, tv), 0);
	assert_int_equal(utimes(other, tv), 0);
	save_fresh(&key);
	assert_int_equal(access(old_tmp, F_OK), -1);
	assert_int_equal(access(new_tmp, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	unlink(new_tmp);
	unlink(other);
	strbuf_release(&key);
}

static void test_unwritable(void **state)
{
	struct strbuf key = STRBUF_INIT;
	struct kallsyms_snapshot snap;
	char path[400];

	(void)state;
	make_snapshot(&snap);
	assert_int_equal(kallsyms_cache__key(root, &key), 0);
	/* a regular file where the directory should be */
	snprintf(path, sizeof(path), "%s/root/proc/modules/kallsyms.snap", tmpdir);
	assert_true(kallsyms_cache__save(path, &key, &snap) < 0);
	kallsyms_snapshot__exit(&snap);
	strbuf_release(&key);
}

/* root creating the cache directory in a user's home gives it to that user */
static void test_sudo_home(void **state)
{
	struct strbuf key = STRBUF_INIT;
	struct kallsyms_snapshot snap;
	char home[400], path[450];
	struct stat st;

	(void)state;
	if (geteuid() != 0) {
		skip();
		return;
	}
	snprintf(home, sizeof(home), "%s/home", tmpdir);
	assert_int_equal(mkdir(home, 0755), 0);
	assert_int_equal(chown(home, 65534, 65534), 0);
	snprintf(path, sizeof(path), "%s/.cache/kvmprof/kallsyms-0.snap", home);
	make_snapshot(&snap);
	assert_int_equal(kallsyms_cache__key(root, &key), 0);
	assert_int_equal(kallsyms_cache__save(path, &key, &snap), 0);
	snprintf(path, sizeof(path), "%s/.cache/kvmprof", home);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/.cache/kvmprof/kallsyms-0.snap", home);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0); /* root's own snapshot stays root's */
	kallsyms_snapshot__exit(&snap);
	strbuf_release(&key);
}

static void test_path_env(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char want[128];

	(void)state;
	setenv("KVMPROF_CACHE_DIR", "/x/y", 1);
	assert_int_equal(kallsyms_cache__path(&sb), 0);
	snprintf(want, sizeof(want), "/x/y/kallsyms-%u.snap", (unsigned int)geteuid());
	assert_string_equal(sb.buf, want);
	unsetenv("KVMPROF_CACHE_DIR");
	setenv("XDG_CACHE_HOME", "/c", 1);
	assert_int_equal(kallsyms_cache__path(&sb), 0);
	snprintf(want, sizeof(want), "/c/kvmprof/kallsyms-%u.snap", (unsigned int)geteuid());
	assert_string_equal(sb.buf, want);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "/h", 1);
	assert_int_equal(kallsyms_cache__path(&sb), 0);
	snprintf(want, sizeof(want), "/h/.cache/kvmprof/kallsyms-%u.snap", (unsigned int)geteuid());
	assert_string_equal(sb.buf, want);

	unsetenv("KVMPROF_NO_KALLSYMS_CACHE");
	assert_true(kallsyms_cache__enabled());
	setenv("KVMPROF_NO_KALLSYMS_CACHE", "1", 1);
	assert_false(kallsyms_cache__enabled());
	setenv("KVMPROF_NO_KALLSYMS_CACHE", "0", 1);
	assert_true(kallsyms_cache__enabled());
	unsetenv("KVMPROF_NO_KALLSYMS_CACHE");
	strbuf_release(&sb);
}

static int count_cb(const struct kallsym *ks, void *arg)
{
	(void)ks;
	++*(int *)arg;
	return 0;
}

/* the parser checks for NUL bytes once per read: a NUL still fails its line, in any read */
static void test_parse_nul(void **state)
{
	char path[400];
	struct strbuf sb = STRBUF_INIT;
	int n = 0, err;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/nul-kallsyms", tmpdir);
	for (int i = 0; i < 3000; i++) /* ~100 KB: the NUL lies in the second read */
		strbuf_addf(&sb, "ffffffff81%06x T function_number_%d\n", i * 16, i);
	strbuf_add(&sb, "ffffffff82000000 T bad\0name\n", 29);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(sb.buf, 1, sb.len, fp), sb.len);
	fclose(fp);
	err = kallsyms__parse(path, count_cb, &n);
	assert_int_equal(err, KP_ERR_BAD_SYMFILE);
	assert_int_equal(n, 3000);
	assert_non_null(strstr(kp_errmsg(err), "line 3001: NUL byte in line"));

	/* without it, every line parses */
	strbuf_setlen(&sb, sb.len - 29);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(sb.buf, 1, sb.len, fp), sb.len);
	fclose(fp);
	n = 0;
	assert_int_equal(kallsyms__parse(path, count_cb, &n), 0);
	assert_int_equal(n, 3000);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_key_changes),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_stale_temps),
		cmocka_unit_test(test_unwritable),
		cmocka_unit_test(test_sudo_home),
		cmocka_unit_test(test_path_env),
		cmocka_unit_test(test_parse_nul),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
