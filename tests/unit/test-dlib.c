// SPDX-License-Identifier: GPL-2.0
/*
 * Optional libraries loaded on first use (util/dlib.h) and their two users:
 * a library that cannot be loaded or lacks a function is an error naming the
 * file, the function and the Debian package, and leaves the table alone; the
 * Prometheus server fails the same way under KVMPROF_MICROHTTPD_LIB, and with
 * the real libmicrohttpd serves /metrics; a debuginfod lookup under
 * KVMPROF_DEBUGINFOD_LIB fails once with the detail, then quietly, and never
 * loads anything while DEBUGINFOD_URLS is unset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "symbol/symbol.h"
#include "ui/prometheus.h"
#include "util/dlib.h"
#include "util/util.h"

static struct {
	__typeof__(strlen) *strlen;
	__typeof__(getpid) *getpid;
} fns;

static const struct dlib_sym fn_syms[] = {
	DLIB_SYM(fns, strlen),
	DLIB_SYM(fns, getpid),
};

static void test_missing_file(void **state)
{
	const struct dlib lib = { "libkvmprof-no-such.so.7", NULL, "kvmprof-no-such7", "test" };
	const char *msg;

	memset(&fns, 0, sizeof(fns));
	assert_int_equal(dlib__open(&lib, fn_syms, ARRAY_SIZE(fn_syms)), KP_ERR_UNSUPPORTED);
	msg = kp_errmsg(KP_ERR_UNSUPPORTED);
	assert_non_null(strstr(msg, "test: cannot load libkvmprof-no-such.so.7 ("));
	assert_non_null(strstr(msg, "apt-get install kvmprof-no-such7"));
	assert_null(fns.strlen);
	assert_null(fns.getpid);
}

static void test_env_override(void **state)
{
	/* the soname exists; the environment variable points elsewhere */
	const struct dlib lib = { "libc.so.6", "KP_TEST_DLIB_LIB", "libc6", "test" };

	memset(&fns, 0, sizeof(fns));
	setenv("KP_TEST_DLIB_LIB", "/nonexistent/libc.so.6", 1);
	assert_int_equal(dlib__open(&lib, fn_syms, ARRAY_SIZE(fn_syms)), KP_ERR_UNSUPPORTED);
	assert_non_null(strstr(kp_errmsg(KP_ERR_UNSUPPORTED), "cannot load /nonexistent/libc.so.6"));
	assert_null(fns.strlen);
	/* empty means unset */
	setenv("KP_TEST_DLIB_LIB", "", 1);
	assert_int_equal(dlib__open(&lib, fn_syms, ARRAY_SIZE(fn_syms)), 0);
	assert_int_equal(fns.strlen("abcd"), 4);
	assert_int_equal(fns.getpid(), getpid());
	unsetenv("KP_TEST_DLIB_LIB");
}

static void test_missing_symbol(void **state)
{
	const struct dlib lib = { "libc.so.6", NULL, "libc6", "test" };
	void (*nope)(void) = NULL;
	size_t (*len)(const char *) = NULL;
	const struct dlib_sym syms[] = { { "strlen", &len }, { "kp_no_such_function", &nope } };
	const char *msg;

	assert_int_equal(dlib__open(&lib, syms, ARRAY_SIZE(syms)), KP_ERR_UNSUPPORTED);
	msg = kp_errmsg(KP_ERR_UNSUPPORTED);
	assert_non_null(strstr(msg, "test: libc.so.6 has no function kp_no_such_function"));
	assert_non_null(strstr(msg, "apt-get install libc6"));
	/* all or nothing */
	assert_null(len);
	assert_null(nope);
}

/* GET @path from 127.0.0.1:@port; the whole response into @buf */
static ssize_t http_get(int port, const char *path, char *buf, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char req[128];
	size_t got = 0;
	ssize_t n;
	int fd, len;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	len = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: x\r\n\r\n", path);
	if (write(fd, req, (size_t)len) != len) {
		close(fd);
		return -1;
	}
	while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = 0;
	close(fd);
	return (ssize_t)got;
}

static void test_prometheus(void **state)
{
	static const char text[] = "kvmprof_lost_events_total 7\n";
	struct prometheus_server *srv = NULL;
	const char *msg;
	char buf[4096];
	int err;

	setenv("KVMPROF_MICROHTTPD_LIB", "/nonexistent/libmicrohttpd.so.12", 1);
	err = prometheus_server__start(&srv, "127.0.0.1:0");
	unsetenv("KVMPROF_MICROHTTPD_LIB");
	assert_int_equal(err, KP_ERR_UNSUPPORTED);
	assert_null(srv);
	msg = kp_errmsg(err);
	if (strstr(msg, "built without"))
		skip();
	assert_non_null(strstr(msg, "--prometheus: cannot load /nonexistent/libmicrohttpd.so.12"));
	assert_non_null(strstr(msg, "apt-get install libmicrohttpd12"));

	/* the real library: /metrics serves what was published */
	err = prometheus_server__start(&srv, "127.0.0.1:0");
	assert_int_equal(err, 0);
	assert_true(prometheus_server__port(srv) > 0);
	prometheus_server__publish(srv, text, strlen(text));
	assert_true(http_get(prometheus_server__port(srv), "/metrics", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, " 200 "));
	assert_non_null(strstr(buf, "text/plain; version=0.0.4"));
	assert_non_null(strstr(buf, "\r\n\r\nkvmprof_lost_events_total 7\n"));
	assert_true(http_get(prometheus_server__port(srv), "/other", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, " 404 "));
	prometheus_server__stop(srv);
}

static void test_debuginfod(void **state)
{
	static const u8 bid[20] = { 0x12, 0x34 };
	char *path = (char *)1;
	int err;

	/* no servers: not even an attempt to load */
	unsetenv("DEBUGINFOD_URLS");
	setenv("KVMPROF_DEBUGINFOD_LIB", "/nonexistent/libdebuginfod.so.1", 1);
	assert_int_equal(debuginfod__find_kernel(bid, sizeof(bid), &path), -ENOENT);
	assert_null(path);

	setenv("DEBUGINFOD_URLS", "http://127.0.0.1:1", 1);
	err = debuginfod__find_kernel(bid, sizeof(bid), &path);
	assert_null(path);
	if (err == -ENOTSUP)
		skip(); /* built without libdebuginfod-dev */
	assert_int_equal(err, KP_ERR_UNSUPPORTED);
	assert_non_null(strstr(kp_errmsg(err),
			       "debuginfod: cannot load /nonexistent/libdebuginfod.so.1"));
	assert_non_null(strstr(kp_errmsg(err), "apt-get install libdebuginfod1"));
	/* said once: later lookups are as in a build without libdebuginfod */
	assert_int_equal(debuginfod__find_kernel(bid, sizeof(bid), &path), -ENOTSUP);
	assert_null(path);
	unsetenv("KVMPROF_DEBUGINFOD_LIB");
	unsetenv("DEBUGINFOD_URLS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_env_override),
		cmocka_unit_test(test_missing_symbol),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_debuginfod),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
