// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "util/log.h"

int kp_verbose;

void kp_log(int level, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	if (level > kp_verbose)
		return;
	fputs(prefix, stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
