/* SPDX-License-Identifier: GPL-2.0 */
/*
 * header.h - the `--header` / `--header-only` dump of a perf.data header, in
 * the text layout of Linux perf 6.1's `perf report --header-only`.
 */
#ifndef KP_UI_HEADER_H
#define KP_UI_HEADER_H

#include <stdio.h>

struct perf_data;

/**
 * perf_header__fprintf - print the "# ========" header block of @data to @fp,
 * ending with "# ========" and "#".  Returns 0 or -errno of a write error.
 * Features perf prints only with -I ("use -I to display") are not decoded.
 */
int perf_header__fprintf(FILE *fp, const struct perf_data *data);

#endif
