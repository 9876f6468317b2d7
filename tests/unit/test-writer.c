// SPDX-License-Identifier: GPL-2.0
/*
 * The perf.data writer: round trip through the reader, compression, FILE.old,
 * the provisional header; and Linux perf (the oracle) on the writer's files
 * and on files it records itself (skipped when perf is not usable).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/stat.h>

#include "data/writer.h"
#include "test-data-fixture.h"

#define ST (PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD)

static char dir[] = "/tmp/kp-test-writer-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *path_in(const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", dir, name);
	return strbuf_detach(&sb, NULL);
}

static struct kp_attr clock_attr(void)
{
	struct kp_attr a = { .type = PERF_TYPE_SOFTWARE, .config = 0, .sample_type = ST,
			     .sample_period = 1000000 };

	kp_attr_set_flag(&a, KP_ATTR_SAMPLE_ID_ALL);
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_GUEST);
	return a;
}

static void write_records(struct perf_writer *w, int nr)
{
	struct fx f;
	size_t at;

	fx_init(&f, false);
	at = fx_rec_begin(&f, PERF_RECORD_COMM, 0);
	fx_u32(&f, 1234);
	fx_u32(&f, 1234);
	fx_bytes(&f, "kptest\0\0", 8);
	fx_u32(&f, 1234); /* trailer: tid, time */
	fx_u32(&f, 1234);
	fx_u64(&f, 1000);
	fx_rec_end(&f, at);
	assert_int_equal(perf_writer__write(w, f.sb.buf, f.sb.len), 0);
	for (int i = 0; i < nr; i++) {
		strbuf_reset(&f.sb);
		at = fx_rec_begin(&f, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
		fx_u64(&f, 0x400000 + (u64)(i % 97) * 16);
		fx_u32(&f, 1234);
		fx_u32(&f, 1234);
		fx_u64(&f, 2000 + (u64)i * 1000);
		fx_u64(&f, 1000000);
		fx_rec_end(&f, at);
		assert_int_equal(perf_writer__write(w, f.sb.buf, f.sb.len), 0);
	}
	strbuf_release(&f.sb);
}

static int count_sample(struct perf_tool *tool, union perf_event *ev, struct perf_sample *s,
			struct evsel *evsel)
{
	int *n = (int *)(tool + 1);

	(*n)++;
	return 0;
}

struct counter {
	struct perf_tool tool;
	int n;
};

static int reader_count(const char *path, struct perf_data **keep)
{
	struct counter c = { .tool = { .sample = count_sample, .ordered_events = true } };
	struct perf_data *d;

	if (perf_data__open(&d, path))
		fail_msg("open %s: %s", path, kp_errmsg(-1));
	assert_int_equal(perf_data__process(d, &c.tool), 0);
	if (keep)
		*keep = d;
	else
		perf_data__delete(d);
	return c.n;
}

static char *write_file(const char *name, int nr, int zlevel)
{
	char *path = path_in(name);
	struct perf_writer *w;
	struct kp_attr a = clock_attr();
	u64 ids[2] = { 7, 8 };
	struct perf_header h = { 0 };
	const char *argv[] = { "kvmprof", "record", "-o", name };
	struct build_id_entry b = { .cpumode = PERF_RECORD_MISC_KERNEL, .pid = -1, .size = 20 };

	assert_int_equal(perf_writer__open(&w, path), 0);
	assert_int_equal(perf_writer__add_evsel(w, &a, "cpu-clock", ids, 2), 0);
	if (zlevel)
		assert_int_equal(perf_writer__set_compression(w, zlevel), 0);
	assert_int_equal(perf_writer__start(w), 0);
	write_records(w, nr);
	assert_int_equal(perf_header__fill_host(&h, 4, argv), 0);
	memset(b.build_id, 0xab, 20);
	b.filename = xstrdup("[kernel.kallsyms]");
	h.build_ids = xmemdup(&b, sizeof(b));
	h.nr_build_ids = 1;
	perf_header__set_feat(&h, HEADER_BUILD_ID);
	h.first_sample_time = 2000;
	h.last_sample_time = 2000 + (u64)nr * 1000;
	perf_header__set_feat(&h, HEADER_SAMPLE_TIME);
	assert_int_equal(perf_writer__finish(w, &h), 0);
	perf_writer__delete(w);
	perf_header__exit(&h);
	return path;
}

static void test_round_trip(void **state)
{
	struct perf_data *d;
	char *path = write_file("rt.data", 500, 0);
	char *tmp = path_in("rt.data.tmp");

	assert_int_equal(reader_count(path, &d), 500);
	assert_int_equal(access(tmp, F_OK), -1); /* renamed into place */
	assert_int_equal(d->evlist.nr, 1);
	assert_string_equal(evsel__name(d->evlist.entries[0]), "cpu-clock");
	assert_int_equal(d->evlist.entries[0]->nr_ids, 2);
	assert_int_equal(d->evlist.entries[0]->attr.size, 128);
	assert_int_equal(d->header.file.attr_size, 144);
	assert_non_null(d->header.hostname);
	assert_non_null(d->header.cpuid);
	assert_true(d->header.total_mem > 0);
	assert_int_equal(d->header.nr_cmdline, 4);
	assert_string_equal(d->header.cmdline[1], "record");
	assert_int_equal(d->header.nr_build_ids, 1);
	assert_string_equal(d->header.build_ids[0].filename, "[kernel.kallsyms]");
	assert_int_equal(d->header.build_ids[0].pid, -1);
	assert_int_equal(d->header.build_ids[0].build_id[19], 0xab);
	assert_int_equal(d->header.last_sample_time, 2000 + 500 * 1000);
	assert_int_equal(d->header.nr_event_desc, 1);
	assert_true(perf_header__has_feat(&d->header, HEADER_CPUDESC));
	perf_data__delete(d);

	/* writing again keeps the previous file as .old */
	free(write_file("rt.data", 3, 0));
	{
		char *old = path_in("rt.data.old");

		assert_int_equal(reader_count(old, NULL), 500);
		assert_int_equal(reader_count(path, NULL), 3);
		free(old);
	}
	free(tmp);
	free(path);
}

static void test_compressed_round_trip(void **state)
{
	struct perf_data *d;
	char *path = write_file("z.data", 20000, 3);
	struct stat st;

	assert_int_equal(reader_count(path, &d), 20000);
	assert_true(perf_header__has_feat(&d->header, HEADER_COMPRESSED));
	assert_int_equal(d->header.comp_type, 1);
	assert_int_equal(d->header.comp_level, 3);
	assert_true(d->stats.nr_events[PERF_RECORD_COMPRESSED] > 1);
	assert_int_equal(stat(path, &st), 0);
	assert_true((u64)st.st_size < 20000ULL * 40 / 4);
	perf_data__delete(d);
	free(path);
}

static void test_provisional_header(void **state)
{
	char *path = path_in("crash.data");
	char *tmp = path_in("crash.data.tmp");
	struct perf_writer *w;
	struct kp_attr a = clock_attr();

	assert_int_equal(perf_writer__open(&w, path), 0);
	assert_int_equal(perf_writer__add_evsel(w, &a, NULL, NULL, 0), 0);
	assert_int_equal(perf_writer__start(w), 0);
	write_records(w, 10);
	/* the writer buffers: a crash loses at most the buffer, never the attrs */
	assert_int_equal(reader_count(tmp, NULL), 0);
	perf_writer__delete(w); /* not finished: the temporary file goes away */
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(access(path, F_OK), -1);
	free(tmp);
	free(path);
}

static void test_write_error(void **state)
{
	struct perf_writer *w;
	int err;

	if (access("/dev/full", W_OK))
		skip();
	err = perf_writer__open(&w, "/nonexistent-dir/x.data");
	assert_int_equal(err, -ENOENT);
	assert_non_null(strstr(kp_errmsg(err), "/nonexistent-dir/x.data.tmp"));
}

/* ------------------------------------------------------------ oracle */

static bool have_perf(void)
{
	return system("perf version >/dev/null 2>&1") == 0;
}

static long run_count(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	long n = -1;

	if (!p)
		return -1;
	if (fscanf(p, "%ld", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static void test_perf_accepts_writer_file(void **state)
{
	char *path;
	struct strbuf cmd = STRBUF_INIT;

	if (!have_perf())
		skip();
	path = write_file("oracle.data", 777, 0);
	strbuf_addf(&cmd, "perf script -i '%s' 2>/dev/null | wc -l", path);
	assert_int_equal(run_count(cmd.buf), 777);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "perf report --stdio -i '%s' 2>/dev/null | "
		    "sed -n 's/^# Samples: \\([0-9]*\\) .*/\\1/p'", path);
	assert_int_equal(run_count(cmd.buf), 777);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "perf report -D -i '%s' 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE('",
		    path);
	assert_int_equal(run_count(cmd.buf), 777);
	free(path);
	/* compressed too */
	path = write_file("oraclez.data", 3000, 1);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "perf script -i '%s' 2>/dev/null | wc -l", path);
	assert_int_equal(run_count(cmd.buf), 3000);
	free(path);
	strbuf_release(&cmd);
}

static void check_real(const char *record_args, const char *name, bool pipe)
{
	char *path = path_in(name);
	struct strbuf cmd = STRBUF_INIT;
	long want;

	if (pipe)
		strbuf_addf(&cmd, "perf record -q %s -o - -- sh -c 'ls -R /usr/lib >/dev/null' "
			    "2>/dev/null > %s", record_args, path);
	else
		strbuf_addf(&cmd, "perf record -q %s -o %s -- sh -c 'ls -R /usr/lib >/dev/null' "
			    "2>/dev/null", record_args, path);
	if (system(cmd.buf) != 0) {
		fprintf(stderr, "cannot record: %s\n", cmd.buf);
		strbuf_release(&cmd);
		free(path);
		skip(); /* perf cannot record here */
	}
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "perf report -D -i %s 2>/dev/null | grep -c 'PERF_RECORD_SAMPLE('",
		    path);
	want = run_count(cmd.buf);
	assert_true(want > 0);
	assert_int_equal(reader_count(path, NULL), want);
	strbuf_release(&cmd);
	free(path);
}

static void test_real_files(void **state)
{
	if (!have_perf())
		skip();
	check_real("-e cpu-clock -F 999 -g", "real-g.data", false);
	check_real("-z -e cpu-clock -F 999", "real-z.data", false);
	check_real("-e cpu-clock -F 999", "real-pipe.data", true);
	check_real("-a -e sched:sched_switch -e cpu-clock -F 499", "real-tp.data", false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_compressed_round_trip),
		cmocka_unit_test(test_provisional_header),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_perf_accepts_writer_file),
		cmocka_unit_test(test_real_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
