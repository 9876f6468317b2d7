// SPDX-License-Identifier: GPL-2.0
/*
 * test-collect-ring - ring buffer reading (wrap-around copy, corruption,
 * consume) on an anonymous fake ring, and the evopen dry run + attr log.
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
#include <unistd.h>

#include "collect/evopen.h"
#include "collect/ring.h"
#include "util/util.h"

static struct perf_event_mmap_page *pc(struct kp_ring *r)
{
	return r->base;
}

/* write a record of @size bytes (type @type, filled with @fill) at position @pos */
static void put_rec(struct kp_ring *r, u64 pos, u32 type, u16 size, u8 fill)
{
	u8 rec[256];
	struct perf_event_header *h = (struct perf_event_header *)rec;

	memset(rec, fill, sizeof(rec));
	h->type = type;
	h->misc = 0;
	h->size = size;
	for (u16 i = 0; i < size; i++)
		r->data[(pos + i) & r->mask] = rec[i];
}

static void test_read_wrap_consume(void **state)
{
	struct kp_ring r;
	union perf_event *ev;
	u64 size;

	setenv("KVMPROF_ATTR_DRYRUN", "1", 1);
	assert_int_equal(kp_ring__mmap(&r, -1, 0, 1), 0);
	size = r.mask + 1;
	assert_int_equal(size, (u64)sysconf(_SC_PAGESIZE));
	assert_true(kp_ring__empty(&r));
	assert_int_equal(kp_ring__read_init(&r), -EAGAIN);

	/* start 16 bytes before the end: the 48-byte record wraps */
	pc(&r)->data_tail = size - 16;
	put_rec(&r, size - 16, PERF_RECORD_SAMPLE, 48, 0xab);
	put_rec(&r, size + 32, PERF_RECORD_COMM, 24, 0xcd);
	pc(&r)->data_head = size - 16 + 48 + 24;
	assert_false(kp_ring__empty(&r));
	assert_int_equal(kp_ring__read_init(&r), 0);
	ev = kp_ring__read_event(&r);
	assert_non_null(ev);
	assert_int_equal(ev->header.type, PERF_RECORD_SAMPLE);
	assert_int_equal(ev->header.size, 48);
	assert_ptr_equal(ev, (void *)r.copy);
	for (int i = 8; i < 48; i++)
		assert_int_equal(((u8 *)ev)[i], 0xab);
	ev = kp_ring__read_event(&r);
	assert_non_null(ev);
	assert_int_equal(ev->header.type, PERF_RECORD_COMM);
	assert_ptr_equal(ev, (void *)(r.data + 32));
	assert_null(kp_ring__read_event(&r));
	assert_int_equal(r.nr_wrapped, 1);
	assert_int_equal(r.nr_read, 2);
	kp_ring__consume(&r);
	assert_int_equal(pc(&r)->data_tail, size - 16 + 72);
	assert_true(kp_ring__empty(&r));
	kp_ring__munmap(&r);
	kp_ring__munmap(&r); /* twice is fine */
}

static void test_corrupt(void **state)
{
	struct kp_ring r;

	setenv("KVMPROF_ATTR_DRYRUN", "1", 1);
	assert_int_equal(kp_ring__mmap(&r, -1, 1, 2), 0);
	/* a size larger than what the kernel published */
	put_rec(&r, 0, PERF_RECORD_SAMPLE, 64, 0);
	pc(&r)->data_head = 32;
	assert_int_equal(kp_ring__read_init(&r), 0);
	assert_null(kp_ring__read_event(&r));
	assert_true(r.corrupt);
	kp_ring__consume(&r);
	assert_int_equal(pc(&r)->data_tail, 32);
	/* a size of zero would loop forever */
	put_rec(&r, 32, PERF_RECORD_SAMPLE, 0, 0);
	pc(&r)->data_head = 64;
	assert_int_equal(kp_ring__read_init(&r), 0);
	assert_null(kp_ring__read_event(&r));
	assert_true(r.corrupt);
	/* head more than a buffer ahead of tail */
	pc(&r)->data_head = 64 + 3 * (r.mask + 1);
	assert_int_equal(kp_ring__read_init(&r), -EAGAIN);
	assert_true(r.corrupt);
	kp_ring__munmap(&r);
	/* not a power of two */
	assert_int_equal(kp_ring__mmap(&r, -1, 0, 3), -EINVAL);
	kp_ring__munmap(&r);
}

static void test_default_pages(void **state)
{
	unsigned int p = kp_ring__default_pages();

	assert_true(p >= 1);
	assert_int_equal(p & (p - 1), 0);
}

static void test_dryrun_log(void **state)
{
	char path[] = "/tmp/kp-attrlog-XXXXXX";
	struct kp_attr a = { .type = PERF_TYPE_SOFTWARE, .config = PERF_COUNT_SW_CPU_CLOCK,
			     .sample_period = 4000,
			     .sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
					    PERF_SAMPLE_PERIOD,
			     .read_format = PERF_FORMAT_ID };
	struct strbuf sb = STRBUF_INIT;
	u64 id1, id2;
	int fd, lfd;

	lfd = mkstemp(path);
	assert_true(lfd >= 0);
	close(lfd);
	setenv("KVMPROF_ATTR_DRYRUN", "1", 1);
	setenv("KVMPROF_ATTR_LOG", path, 1);
	kp_attr_set_flag(&a, KP_ATTR_DISABLED);
	kp_attr_set_flag(&a, KP_ATTR_FREQ);
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_HOST);
	fd = kp_event_open(&a, -1, 1, -1, 0);
	assert_true(fd >= 0);
	assert_int_equal(kp_event_id(fd, &id1), 0);
	assert_int_equal(kp_event_id(fd, &id2), 0);
	assert_true(id1 && id2 == id1 + 1);
	assert_int_equal(kp_event_ioctl(fd, PERF_EVENT_IOC_ENABLE, 0), 0);
	close(fd);
	assert_true(strbuf_read_file(&sb, path, 0) > 0);
	assert_string_equal(sb.buf,
			    "open pid=-1 cpu=1 group_fd=-1 flags=0x8 type=1 size=128 config=0 "
			    "freq=4000 sample_type=IP|TID|TIME|PERIOD read_format=ID "
			    "attr_flags=disabled|freq|exclude_host wakeup_events=0 ret=ok\n");
	strbuf_release(&sb);
	unlink(path);
	unsetenv("KVMPROF_ATTR_LOG");
}

static void test_open_errors(void **state)
{
	int err = kp_event_open_error(-EACCES, "event 'cycles' on CPU 0");

	assert_int_equal(err, KP_ERR_NO_PERMISSION);
	assert_non_null(strstr(kp_errmsg(err), "perf_event_paranoid"));
	assert_non_null(strstr(kp_errmsg(err), "root"));
	err = kp_event_open_error(-ENOENT, "event 'cycles'");
	assert_int_equal(err, KP_ERR_UNSUPPORTED);
	assert_non_null(strstr(kp_errmsg(err), "cpu-clock"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_wrap_consume),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_default_pages),
		cmocka_unit_test(test_dryrun_log),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
