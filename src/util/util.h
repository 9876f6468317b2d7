/* SPDX-License-Identifier: GPL-2.0 */
/*
 * util.h - the one include for the util layer; pulls in banned.h last.
 */
#ifndef KP_UTIL_UTIL_H
#define KP_UTIL_UTIL_H

#include "util/types.h"
#include "util/err.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#endif
