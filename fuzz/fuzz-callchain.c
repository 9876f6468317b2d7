// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-callchain.c - callchain walking: context markers, max_stack, guest
 * frames of host samples, resolution through machines with a host and a
 * guest process mapped.
 *
 * Input: byte 0 = sample cpumode (low 3 bits), byte 1 = max_stack, bytes
 * 2..7 ignored, then the u64 array of PERF_SAMPLE_CALLCHAIN (nr, ips...);
 * nr is taken from the input as is (clamped to what is present, as the
 * sample parser guarantees).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "analysis/callchain.h"
#include "machine/machine.h"

static void add_mmap(struct machines *m, u16 cpumode, u32 pid, u64 start, const char *name)
{
	u64 buf[32];
	union perf_event *ev = (union perf_event *)buf;
	size_t len = strlen(name) + 1;
	struct perf_sample s = { .pid = pid, .tid = pid, .time = ~0ULL, .cpu = (u32)-1 };

	memset(buf, 0, sizeof(buf));
	ev->header.type = PERF_RECORD_MMAP2;
	ev->header.misc = cpumode;
	ev->header.size = (u16)KP_ALIGN(sizeof(ev->mmap2) + len, 8);
	ev->mmap2.pid = pid;
	ev->mmap2.tid = pid;
	ev->mmap2.start = start;
	ev->mmap2.len = 0x100000;
	ev->mmap2.prot = 5;
	ev->mmap2.flags = 2;
	memcpy(ev->mmap2.filename, name, len);
	s.cpumode = (u8)cpumode;
	s.misc = cpumode;
	machines__process_event(m, ev, &s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct symbol_conf conf = { .host = true, .guest = true, .no_symbols = true };
	struct machines m;
	struct perf_sample s = { .pid = 42, .tid = 42, .time = 1, .cpu = 0, .period = 1 };
	struct ip_callchain *chain;
	struct callchain_walk w;
	struct callchain_iter it;
	struct callchain_frame frame;
	struct addr_location al;
	size_t n;
	u64 ip;
	u8 mode;

	fuzz__quiet();
	if (size < 16)
		return 0;
	n = (size - 8) / 8;
	chain = xmalloc(n * 8);
	memcpy(chain, data + 8, n * 8);
	if (chain->nr > n - 1)
		chain->nr = n - 1;
	/* a pure walk */
	callchain_walk__init(&w, chain, data[1]);
	while (callchain_walk__next(&w, &ip, &mode))
		;
	/* resolved walk */
	if (!machines__init(&m, &conf)) {
		add_mmap(&m, PERF_RECORD_MISC_USER, 42, 0x400000, "/fuzz/host-bin");
		add_mmap(&m, PERF_RECORD_MISC_KERNEL, (u32)-1, 0xffffffff81000000ULL,
			 "[kernel.kallsyms]_text");
		add_mmap(&m, PERF_RECORD_MISC_GUEST_USER, 42, 0x400000, "/fuzz/guest-bin");
		add_mmap(&m, PERF_RECORD_MISC_GUEST_KERNEL, 0, 0xffffffff81000000ULL,
			 "[guest.kernel.kallsyms]");
		s.cpumode = data[0] & 7;
		s.misc = s.cpumode;
		s.callchain = chain;
		s.ip = chain->nr ? chain->ips[chain->nr - 1] : 0;
		machines__resolve(&m, &s, &al);
		callchain_iter__init(&it, &m, &s, &al, data[1]);
		while (callchain_iter__next(&it, &frame))
			;
	}
	machines__exit(&m);
	free(chain);
	kp_error_clear();
	return 0;
}
