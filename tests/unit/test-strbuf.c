// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void test_add_and_format(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "guest");
	strbuf_addch(&sb, ':');
	strbuf_addf(&sb, "%d/%s", 42, "kernel");
	assert_string_equal(sb.buf, "guest:42/kernel");
	assert_int_equal(sb.len, strlen("guest:42/kernel"));
	strbuf_addchars(&sb, ' ', 3);
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "guest:42/kernel");
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
}

static void test_grow_large(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;
	size_t len;

	for (int i = 0; i < 10000; i++)
		strbuf_addf(&sb, "%04d", i % 10000);
	assert_int_equal(sb.len, 40000);
	assert_memory_equal(sb.buf + 39996, "9999", 4);
	s = strbuf_detach(&sb, &len);
	assert_int_equal(len, 40000);
	assert_int_equal(sb.len, 0);
	free(s);
}

static void test_errors(void **state)
{
	int err = kp_error(KP_ERR_TRUNCATED, "'%s': truncated at offset %#x", "f", 0x10);

	assert_int_equal(err, KP_ERR_TRUNCATED);
	assert_string_equal(kp_errmsg(err), "'f': truncated at offset 0x10");
	assert_string_equal(kp_errmsg(KP_ERR_CORRUPT), "file is corrupt");
	assert_string_equal(kp_strerror(-2), strerror(2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_format),
		cmocka_unit_test(test_grow_large),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
