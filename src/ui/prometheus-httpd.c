// SPDX-License-Identifier: GPL-2.0
/*
 * prometheus-httpd.c - the /metrics endpoint through libmicrohttpd (see
 * prometheus.h).  The listening socket is bound here, so that a taken port
 * is reported with its errno; libmicrohttpd then serves on it from its own
 * thread.
 *
 * libmicrohttpd.so.12 is not linked (its gnutls would cost every kvmprof
 * start) but dlopen()ed by prometheus_server__start(), which fails with a
 * detail naming the file and the package libmicrohttpd12 when it cannot be
 * loaded.  For tests, KVMPROF_MICROHTTPD_LIB replaces the soname (see
 * util/dlib.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "ui/prometheus.h"
#include "util/dlib.h"
#include "util/util.h"

#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct prometheus_server {
	struct MHD_Daemon *daemon;
	int fd;
	int port;
	pthread_mutex_t lock;
	char *text;
	size_t len;
};

/* the libmicrohttpd functions used here, typed by its header */
static struct {
	__typeof__(MHD_start_daemon) *MHD_start_daemon;
	__typeof__(MHD_stop_daemon) *MHD_stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *MHD_create_response_from_buffer;
	__typeof__(MHD_add_response_header) *MHD_add_response_header;
	__typeof__(MHD_queue_response) *MHD_queue_response;
	__typeof__(MHD_destroy_response) *MHD_destroy_response;
} mhd;

static const struct dlib_sym mhd_syms[] = {
	DLIB_SYM(mhd, MHD_start_daemon),
	DLIB_SYM(mhd, MHD_stop_daemon),
	DLIB_SYM(mhd, MHD_create_response_from_buffer),
	DLIB_SYM(mhd, MHD_add_response_header),
	DLIB_SYM(mhd, MHD_queue_response),
	DLIB_SYM(mhd, MHD_destroy_response),
};

static const struct dlib mhd_lib = {
	.soname = "libmicrohttpd.so.12",
	.env = "KVMPROF_MICROHTTPD_LIB",
	.package = "libmicrohttpd12",
	.user = "--prometheus",
};

#if MHD_VERSION >= 0x00097002
typedef enum MHD_Result mhd_ret;
#else
typedef int mhd_ret;
#endif

static mhd_ret answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
		      const char *version, const char *upload_data, size_t *upload_size,
		      void **con_cls)
{
	struct prometheus_server *srv = cls;
	struct MHD_Response *resp;
	unsigned int status = MHD_HTTP_OK;
	mhd_ret ret;

	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		static const char msg[] = "only GET /metrics\n";

		resp = mhd.MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
							   MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else if (strcmp(url, "/metrics")) {
		static const char msg[] = "kvmprof stat live: metrics are at /metrics\n";

		resp = mhd.MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg,
							   MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_FOUND;
	} else {
		pthread_mutex_lock(&srv->lock);
		resp = mhd.MHD_create_response_from_buffer(srv->len,
							   srv->text ? srv->text : (char *)"",
							   MHD_RESPMEM_MUST_COPY);
		pthread_mutex_unlock(&srv->lock);
		if (resp)
			mhd.MHD_add_response_header(resp, "Content-Type", CONTENT_TYPE);
	}
	if (!resp)
		return MHD_NO;
	ret = mhd.MHD_queue_response(conn, status, resp);
	mhd.MHD_destroy_response(resp);
	return ret;
}

static int parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256] = "127.0.0.1";
	const char *port, *p;
	struct addrinfo hints = { 0 }, *res = NULL;
	char *end;
	long v;
	int rc;

	if (addr[0] == '[') {
		p = strchr(addr, ']');
		if (!p || p[1] != ':' || (size_t)(p - addr - 1) >= sizeof(host))
			goto bad;
		memcpy(host, addr + 1, (size_t)(p - addr - 1));
		host[p - addr - 1] = 0;
		port = p + 2;
	} else if ((p = strrchr(addr, ':'))) {
		if (p != addr) {
			if ((size_t)(p - addr) >= sizeof(host))
				goto bad;
			memcpy(host, addr, (size_t)(p - addr));
			host[p - addr] = 0;
		}
		port = p + 1;
	} else {
		port = addr;
	}
	errno = 0;
	v = strtol(port, &end, 10);
	if (errno || end == port || *end || v < 0 || v > 65535)
		goto bad;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc || !res)
		goto bad;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
bad:
	return kp_error(KP_ERR_USAGE, "--prometheus '%s': want ADDR:PORT (numeric, e.g. "
			"127.0.0.1:9464 or [::1]:9464) or PORT", addr);
}

int prometheus_server__start(struct prometheus_server **out, const char *addr)
{
	struct prometheus_server *srv;
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, err;

	*out = NULL;
	err = parse_addr(addr, &ss, &len);
	if (err)
		return err;
	/* one server per run (stat live), started from the main thread: no lock */
	if (!mhd.MHD_start_daemon) {
		err = dlib__open(&mhd_lib, mhd_syms, ARRAY_SIZE(mhd_syms));
		if (err)
			return err;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return kp_error(-errno, "--prometheus %s: socket: %s", addr, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 32)) {
		err = -errno;
		close(fd);
		if (err == -EADDRINUSE)
			return kp_error(err, "--prometheus %s: the port is already in use (another "
					"exporter or kvmprof?); choose another port", addr);
		return kp_error(err, "--prometheus %s: cannot listen: %s", addr, strerror(-err));
	}
	getsockname(fd, (struct sockaddr *)&ss, &len);
	srv = xzalloc(sizeof(*srv));
	srv->fd = fd;
	srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						   : ((struct sockaddr_in *)&ss)->sin_port);
	pthread_mutex_init(&srv->lock, NULL);
	srv->daemon = mhd.MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
						   (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
					   0, NULL, NULL, answer, srv, MHD_OPTION_LISTEN_SOCKET, fd,
					   MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_END);
	if (!srv->daemon) {
		close(fd);
		pthread_mutex_destroy(&srv->lock);
		free(srv);
		return kp_error(KP_ERR_UNSUPPORTED, "--prometheus %s: libmicrohttpd did not start",
				addr);
	}
	*out = srv;
	return 0;
}

void prometheus_server__publish(struct prometheus_server *srv, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1), *old;

	memcpy(copy, text, len);
	copy[len] = 0;
	pthread_mutex_lock(&srv->lock);
	old = srv->text;
	srv->text = copy;
	srv->len = len;
	pthread_mutex_unlock(&srv->lock);
	free(old);
}

int prometheus_server__port(const struct prometheus_server *srv)
{
	return srv->port;
}

void prometheus_server__stop(struct prometheus_server *srv)
{
	if (!srv)
		return;
	mhd.MHD_stop_daemon(srv->daemon);
	close(srv->fd);
	pthread_mutex_destroy(&srv->lock);
	free(srv->text);
	free(srv);
}
