/* SPDX-License-Identifier: GPL-2.0 */
/*
 * event.h - perf.data record layouts, as they sit in the file.
 *
 * Constants (PERF_RECORD_*, PERF_SAMPLE_*, PERF_CONTEXT_*, misc bits) come from
 * the kernel's <linux/perf_event.h>; perf's own record types (64..86) and
 * the attr layout of any size (struct kp_attr) are defined here because the
 * system header may be older than the files we read.
 *
 * All structs describe bytes in the file after byte-swapping (the reader swaps
 * foreign-endian records into a private buffer before anyone sees them).
 * Variable parts (strings, arrays, the sample_id trailer) follow the fixed part.
 */
#ifndef KP_DATA_EVENT_H
#define KP_DATA_EVENT_H

#include <linux/perf_event.h>

#include "util/types.h"

/* perf tool ("user") record types */
enum kp_user_event_type {
	PERF_RECORD_USER_TYPE_START = 64,
	PERF_RECORD_HEADER_ATTR = 64,
	PERF_RECORD_HEADER_EVENT_TYPE = 65,
	PERF_RECORD_HEADER_TRACING_DATA = 66,
	PERF_RECORD_HEADER_BUILD_ID = 67,
	PERF_RECORD_FINISHED_ROUND = 68,
	PERF_RECORD_ID_INDEX = 69,
	PERF_RECORD_AUXTRACE_INFO = 70,
	PERF_RECORD_AUXTRACE = 71,
	PERF_RECORD_AUXTRACE_ERROR = 72,
	PERF_RECORD_THREAD_MAP = 73,
	PERF_RECORD_CPU_MAP = 74,
	PERF_RECORD_STAT_CONFIG = 75,
	PERF_RECORD_STAT = 76,
	PERF_RECORD_STAT_ROUND = 77,
	PERF_RECORD_EVENT_UPDATE = 78,
	PERF_RECORD_TIME_CONV = 79,
	PERF_RECORD_HEADER_FEATURE = 80,
	PERF_RECORD_COMPRESSED = 81,
	PERF_RECORD_FINISHED_INIT = 82,
	PERF_RECORD_COMPRESSED2 = 83,
	PERF_RECORD_BPF_METADATA = 84,
	PERF_RECORD_SCHEDSTAT_CPU = 85,
	PERF_RECORD_SCHEDSTAT_DOMAIN = 86,
	PERF_RECORD_KP_MAX = 87,
};

/* misc bit the perf tool uses on HEADER_BUILD_ID records: the size byte is valid */
#define PERF_RECORD_MISC_BUILD_ID_SIZE (1 << 15)

/* Callchain context markers, including the guest ones an older uapi may lack. */
#define KP_CONTEXT_HV ((u64)-32)
#define KP_CONTEXT_KERNEL ((u64)-128)
#define KP_CONTEXT_USER ((u64)-512)
#define KP_CONTEXT_USER_DEFERRED ((u64)-640)
#define KP_CONTEXT_GUEST ((u64)-2048)
#define KP_CONTEXT_GUEST_KERNEL ((u64)-2176)
#define KP_CONTEXT_GUEST_USER ((u64)-2560)
#define KP_CONTEXT_MAX ((u64)-4095)

/*
 * struct kp_attr - perf_event_attr as stored in perf.data, any size 64..136.
 * Shorter attrs in a file are zero-extended on read.  The flag bitfield word is
 * kept as one u64 (bit numbers below) so byte-swapping and testing are simple.
 */
struct kp_attr {
	u32 type;
	u32 size;
	u64 config;
	u64 sample_period; /* or sample_freq when KP_ATTR_FREQ */
	u64 sample_type;
	u64 read_format;
	u64 flags;
	u32 wakeup_events;
	u32 bp_type;
	u64 config1;
	u64 config2;
	u64 branch_sample_type;
	u64 sample_regs_user;
	u32 sample_stack_user;
	s32 clockid;
	u64 sample_regs_intr;
	u32 aux_watermark;
	u16 sample_max_stack;
	u16 reserved_2;
	u32 aux_sample_size;
	u32 reserved_3;
	u64 sig_data;
	u64 config3;
};

#define KP_ATTR_SIZE_VER0 64
#define KP_ATTR_SIZE_VER7 128 /* what kvmprof writes: perf 6.1 reads it */
#define KP_ATTR_SIZE_MAX 136

/* bit numbers in kp_attr.flags */
enum kp_attr_flag_bit {
	KP_ATTR_DISABLED = 0,
	KP_ATTR_INHERIT = 1,
	KP_ATTR_PINNED = 2,
	KP_ATTR_EXCLUSIVE = 3,
	KP_ATTR_EXCLUDE_USER = 4,
	KP_ATTR_EXCLUDE_KERNEL = 5,
	KP_ATTR_EXCLUDE_HV = 6,
	KP_ATTR_EXCLUDE_IDLE = 7,
	KP_ATTR_MMAP = 8,
	KP_ATTR_COMM = 9,
	KP_ATTR_FREQ = 10,
	KP_ATTR_INHERIT_STAT = 11,
	KP_ATTR_ENABLE_ON_EXEC = 12,
	KP_ATTR_TASK = 13,
	KP_ATTR_WATERMARK = 14,
	KP_ATTR_PRECISE_IP = 15, /* 2 bits: 15-16 */
	KP_ATTR_MMAP_DATA = 17,
	KP_ATTR_SAMPLE_ID_ALL = 18,
	KP_ATTR_EXCLUDE_HOST = 19,
	KP_ATTR_EXCLUDE_GUEST = 20,
	KP_ATTR_EXCLUDE_CALLCHAIN_KERNEL = 21,
	KP_ATTR_EXCLUDE_CALLCHAIN_USER = 22,
	KP_ATTR_MMAP2 = 23,
	KP_ATTR_COMM_EXEC = 24,
	KP_ATTR_USE_CLOCKID = 25,
	KP_ATTR_CONTEXT_SWITCH = 26,
	KP_ATTR_WRITE_BACKWARD = 27,
	KP_ATTR_NAMESPACES = 28,
	KP_ATTR_KSYMBOL = 29,
	KP_ATTR_BPF_EVENT = 30,
	KP_ATTR_AUX_OUTPUT = 31,
	KP_ATTR_CGROUP = 32,
	KP_ATTR_TEXT_POKE = 33,
	KP_ATTR_BUILD_ID = 34,
	KP_ATTR_INHERIT_THREAD = 35,
	KP_ATTR_REMOVE_ON_EXEC = 36,
	KP_ATTR_SIGTRAP = 37,
};

#define kp_attr_flag(attr, bit) (((attr)->flags >> (bit)) & 1)
#define kp_attr_set_flag(attr, bit) ((attr)->flags |= (u64)1 << (bit))
#define kp_attr_precise_ip(attr) (((attr)->flags >> KP_ATTR_PRECISE_IP) & 3)

struct perf_record_mmap {
	struct perf_event_header header;
	u32 pid, tid;
	u64 start;
	u64 len;
	u64 pgoff;
	char filename[];
};

struct perf_record_mmap2 {
	struct perf_event_header header;
	u32 pid, tid;
	u64 start;
	u64 len;
	u64 pgoff;
	union {
		struct {
			u32 maj;
			u32 min;
			u64 ino;
			u64 ino_generation;
		};
		struct {
			u8 build_id_size;
			u8 __reserved_1;
			u16 __reserved_2;
			u8 build_id[20];
		};
	};
	u32 prot;
	u32 flags;
	char filename[];
};

struct perf_record_comm {
	struct perf_event_header header;
	u32 pid, tid;
	char comm[];
};

/* FORK and EXIT */
struct perf_record_fork {
	struct perf_event_header header;
	u32 pid, ppid;
	u32 tid, ptid;
	u64 time;
};

struct perf_record_lost {
	struct perf_event_header header;
	u64 id;
	u64 lost;
};

struct perf_record_lost_samples {
	struct perf_event_header header;
	u64 lost;
};

/* THROTTLE and UNTHROTTLE */
struct perf_record_throttle {
	struct perf_event_header header;
	u64 time;
	u64 id;
	u64 stream_id;
};

struct perf_record_switch {
	struct perf_event_header header;
	u32 next_prev_pid;
	u32 next_prev_tid;
};

struct perf_record_ksymbol {
	struct perf_event_header header;
	u64 addr;
	u32 len;
	u16 ksym_type;
	u16 flags;
	char name[];
};

struct perf_record_header_attr {
	struct perf_event_header header;
	/* struct kp_attr of attr.size bytes, then u64 ids[] to the end */
	u8 data[];
};

struct perf_record_header_tracing_data {
	struct perf_event_header header;
	u32 size; /* blob bytes following this record, not counted in header.size */
	u32 pad;
};

struct perf_record_header_build_id {
	struct perf_event_header header;
	s32 pid;
	u8 build_id[20];
	u8 size; /* valid when misc has PERF_RECORD_MISC_BUILD_ID_SIZE */
	u8 reserved[3];
	char filename[];
};

struct id_index_entry {
	u64 id;
	u64 idx;
	u64 cpu;
	u64 tid;
};

struct perf_record_id_index {
	struct perf_event_header header;
	u64 nr;
	struct id_index_entry entries[]; /* 32 or 48 bytes each, see header.size */
};

struct perf_record_header_feature {
	struct perf_event_header header;
	u64 feat_id;
	u8 data[];
};

struct perf_record_compressed {
	struct perf_event_header header;
	u8 data[];
};

struct perf_record_time_conv {
	struct perf_event_header header;
	u64 time_shift;
	u64 time_mult;
	u64 time_zero;
	u64 time_cycles;
	u64 time_mask;
	u8 cap_user_time_zero;
	u8 cap_user_time_short;
	u8 reserved[6];
};

union perf_event {
	struct perf_event_header header;
	struct perf_record_mmap mmap;
	struct perf_record_mmap2 mmap2;
	struct perf_record_comm comm;
	struct perf_record_fork fork;
	struct perf_record_lost lost;
	struct perf_record_lost_samples lost_samples;
	struct perf_record_throttle throttle;
	struct perf_record_switch context_switch;
	struct perf_record_ksymbol ksymbol;
	struct perf_record_header_attr attr;
	struct perf_record_header_tracing_data tracing_data;
	struct perf_record_header_build_id build_id;
	struct perf_record_id_index id_index;
	struct perf_record_header_feature feat;
	struct perf_record_compressed pack;
	struct perf_record_time_conv time_conv;
};

/** perf_event__name - "MMAP", "SAMPLE", "FINISHED_ROUND", ... for a record type. */
const char *perf_event__name(u32 type);

#endif
