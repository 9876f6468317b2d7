// SPDX-License-Identifier: GPL-2.0
/*
 * pprof-none.c - the pprof export when kvmprof is built without protobuf-c
 * or zlib: everything is accepted, writing fails with a clear message.
 */
#include <stdlib.h>

#include "util/util.h"
#include "ui/pprof.h"

struct pprof {
	int unused;
};

struct pprof *pprof__new(void)
{
	return xcalloc(1, sizeof(struct pprof));
}

void pprof__delete(struct pprof *p)
{
	free(p);
}

int pprof__add_value_type(struct pprof *p, const char *type, const char *unit)
{
	return 1;
}

void pprof__add_sample(struct pprof *p, const struct pprof_frame *frames, u32 nr, int value_idx,
		       u64 period, const char *comm, s64 pid, u8 cpumode)
{
}

void pprof__set_duration(struct pprof *p, s64 time_nanos, s64 duration_nanos)
{
}

int pprof__write(struct pprof *p, const char *path)
{
	return kp_error(KP_ERR_UNSUPPORTED,
			"'%s': this kvmprof was built without pprof support; install "
			"libprotobuf-c-dev, protobuf-c-compiler and zlib1g-dev and rebuild", path);
}
