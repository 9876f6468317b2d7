// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

static const char *const kp_err_text[] = {
#define _KP(name, text) text,
	KP_ERRORS
#undef _KP
};

static _Thread_local char detail[1024];
static _Thread_local int detail_code;

const char *kp_strerror(int code)
{
	if (code <= KP_ERR_START && code > KP_ERR_START - KP_ERR_NR)
		return kp_err_text[KP_ERR_START - code];
	if (code < 0)
		return strerror(-code);
	return "success";
}

int kp_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	/* every "too many open files" names the fix, whoever detected it */
	if ((code == -EMFILE || code == -ENFILE) && !strstr(detail, "ulimit")) {
		size_t len = strlen(detail);

		snprintf(detail + len, sizeof(detail) - len, "%s",
			 code == -EMFILE ? " (raise the open-file limit: 'ulimit -n 65536')"
					 : " (the system file table is full: raise 'sysctl fs.file-max')");
	}
	detail_code = code;
	return code;
}

const char *kp_errmsg(int code)
{
	if (detail_code == code && detail[0])
		return detail;
	return kp_strerror(code);
}

void kp_error_clear(void)
{
	detail[0] = '\0';
	detail_code = 0;
}
