// SPDX-License-Identifier: GPL-2.0
/*
 * prometheus-httpd-none.c - prometheus.h's server for builds without
 * libmicrohttpd: starting it fails with a clear message.
 */
#include "ui/prometheus.h"
#include "util/util.h"

int prometheus_server__start(struct prometheus_server **out, const char *addr)
{
	*out = NULL;
	return kp_error(KP_ERR_UNSUPPORTED, "--prometheus: this kvmprof was built without "
			"libmicrohttpd (apt-get install libmicrohttpd-dev and rebuild)");
}

void prometheus_server__publish(struct prometheus_server *srv, const char *text, size_t len)
{
}

int prometheus_server__port(const struct prometheus_server *srv)
{
	return 0;
}

void prometheus_server__stop(struct prometheus_server *srv)
{
}
