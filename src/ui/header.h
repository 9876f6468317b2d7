/* SPDX-License-Identifier: GPL-2.0 */
/*
 * header.h - the `--header` / `--header-only` dump of a perf.data header, in
 * the text layout of Linux perf 6.1's `perf report --header-only`.
 */
#ifndef KP_UI_HEADER_H
#define KP_UI_HEADER_H

#include <stdbool.h>
#include <stdio.h>

struct perf_data;

/**
 * perf_header__fprintf_fp - print the "# ========" header block of @data to
 * @fp, ending with "# ========" and "#".  Returns 0 or -errno of a write error.
 */
int perf_header__fprintf_fp(FILE *fp, const struct perf_data *data);

/**
 * perf_data__fprintf_header - the same with perf's argument order; @full
 * (perf's -I) is accepted, the "use -I to display" details are not decoded.
 */
int perf_data__fprintf_header(const struct perf_data *data, FILE *fp, bool full);

/*
 * perf_header__fprintf(fp, data) or perf_header__fprintf(data, fp, full):
 * both spellings are in use; the first argument's type picks the function.
 */
#define perf_header__fprintf(a, ...)                                                    \
	_Generic((a), FILE *: perf_header__fprintf_fp, default: perf_data__fprintf_header)( \
		a, __VA_ARGS__)

#endif
