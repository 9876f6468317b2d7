/* SPDX-License-Identifier: GPL-2.0 */
/*
 * header.h - the perf.data file header and its decoded feature sections.
 *
 * struct perf_header is filled by the reader (file mode: feature sections;
 * pipe mode: HEADER_FEATURE records) and by the writer's callers before
 * writing.  Strings are owned by the header and freed by perf_header__exit().
 */
#ifndef KP_DATA_HEADER_H
#define KP_DATA_HEADER_H

#include "data/event.h"
#include "util/types.h"

#define PERF_MAGIC2 0x32454c4946524550ULL /* "PERFILE2" read little-endian */
#define PERF_MAGIC2_SWAPPED 0x50455246494c4532ULL
#define PERF_FILE_HEADER_SIZE 104
#define PERF_PIPE_HEADER_SIZE 16

enum perf_header_feature {
	HEADER_RESERVED = 0,
	HEADER_TRACING_DATA = 1,
	HEADER_BUILD_ID,
	HEADER_HOSTNAME,
	HEADER_OSRELEASE,
	HEADER_VERSION,
	HEADER_ARCH,
	HEADER_NRCPUS,
	HEADER_CPUDESC,
	HEADER_CPUID,
	HEADER_TOTAL_MEM,
	HEADER_CMDLINE,
	HEADER_EVENT_DESC,
	HEADER_CPU_TOPOLOGY,
	HEADER_NUMA_TOPOLOGY,
	HEADER_BRANCH_STACK,
	HEADER_PMU_MAPPINGS,
	HEADER_GROUP_DESC,
	HEADER_AUXTRACE,
	HEADER_STAT,
	HEADER_CACHE,
	HEADER_SAMPLE_TIME,
	HEADER_MEM_TOPOLOGY,
	HEADER_CLOCKID,
	HEADER_DIR_FORMAT,
	HEADER_BPF_PROG_INFO,
	HEADER_BPF_BTF,
	HEADER_COMPRESSED,
	HEADER_CPU_PMU_CAPS,
	HEADER_CLOCK_DATA,
	HEADER_HYBRID_TOPOLOGY,
	HEADER_PMU_CAPS,
	HEADER_LAST_FEATURE,
	HEADER_FEAT_BITS = 256,
};

struct perf_file_section {
	u64 offset;
	u64 size;
};

/* the on-disk 104-byte header */
struct perf_file_header {
	u64 magic;
	u64 size;
	u64 attr_size;
	struct perf_file_section attrs;
	struct perf_file_section data;
	struct perf_file_section event_types;
	u64 adds_features[HEADER_FEAT_BITS / 64];
};

/* one BUILD_ID feature entry */
struct build_id_entry {
	u16 cpumode; /* misc & CPUMODE_MASK of the entry */
	s32 pid; /* machine pid: -1 host, 0 default guest, >0 guest VMM pid */
	u8 build_id[20];
	u8 size;
	char *filename;
};

struct pmu_mapping {
	u32 type;
	char *name;
};

/*
 * one program of the BPF_PROG_INFO feature: the parts of the recorded
 * bpf_prog_info (perf's bpf_prog_info_linear) that perf prints.  The arrays
 * hold the counts as recorded; perf prints nothing for a program whose
 * ksym, length and tag counts differ.
 */
struct bpf_prog_desc {
	u32 id;
	u32 btf_id; /* 0: none */
	char name[17]; /* bpf_prog_info.name, NUL-terminated */
	u32 nr_jited_ksyms;
	u32 nr_jited_func_lens;
	u32 nr_prog_tags;
	u32 nr_func_info;
	u64 *jited_ksyms; /* start address of each JITed function */
	u32 *jited_func_lens; /* its length */
	u8 (*prog_tags)[8]; /* its tag */
	u32 *func_type_ids; /* bpf_func_info.type_id of each function (BTF) */
};

/* one BPF_BTF entry: the raw BTF blob of a program, owned */
struct btf_blob {
	u32 id;
	u32 size;
	u8 *data;
};

/* one EVENT_DESC entry */
struct event_desc {
	char *name;
	u64 *ids;
	u32 nr_ids;
	struct kp_attr attr; /* as stored in the feature (zero-extended) */
};

struct perf_header {
	struct perf_file_header file; /* as read (swapped to host order) */
	bool needs_swap;
	bool pipe_mode;
	u64 features[HEADER_FEAT_BITS / 64]; /* features present */
	struct perf_file_section feat_sec[HEADER_LAST_FEATURE]; /* file mode: where each was */

	char *hostname;
	char *osrelease;
	char *version;
	char *arch;
	u32 nr_cpus_avail;
	u32 nr_cpus_online;
	char *cpudesc;
	char *cpuid;
	u64 total_mem; /* kB */
	char **cmdline; /* argv, NULL-terminated */
	u32 nr_cmdline;
	struct event_desc *event_desc;
	u32 nr_event_desc;
	struct build_id_entry *build_ids;
	u32 nr_build_ids;
	u64 first_sample_time;
	u64 last_sample_time;
	struct pmu_mapping *pmu_mappings;
	u32 nr_pmu_mappings;
	/* COMPRESSED */
	u32 comp_ver, comp_type, comp_level, comp_ratio, comp_mmap_len;
	/* TRACING_DATA: raw blob, owned (copied out of the file) */
	void *tracing_data;
	u64 tracing_data_size;
	/* CLOCKID (ns resolution), CLOCK_DATA */
	u64 clock_res_ns;
	u32 clockid;
	u64 clock_tod_ns, clock_clockid_ns;
	bool has_clock_data;
	/* BPF_PROG_INFO, BPF_BTF: sorted by id, first entry of an id kept (as perf) */
	struct bpf_prog_desc *bpf_progs;
	u32 nr_bpf_progs;
	struct btf_blob *btfs;
	u32 nr_btfs;
	/* GROUP_DESC: number of groups (entries are not kept) */
	u32 nr_groups;
	/* file mode: where the feature table starts (data.offset + data.size) */
	u64 feat_offset;
};

#define perf_header__has_feat(h, f) (((h)->features[(f) / 64] >> ((f) % 64)) & 1)
#define perf_header__set_feat(h, f) ((h)->features[(f) / 64] |= 1ULL << ((f) % 64))

/** perf_header__feat_name - "TRACING_DATA", "BUILD_ID", ...; NULL if unknown. */
const char *perf_header__feat_name(int feat);
/* perf's name buffer for a BPF function (KSYM_NAME_LEN of tools/lib/symbol) */
#define BPF_PROG_NAME_LEN 256

/**
 * perf_header__bpf_prog_name - perf's name for function @sub of @prog:
 * "bpf_prog_<tag>_<name>", the name from the program's BTF (BPF_BTF feature)
 * when there is one, else bpf_prog_info.name for a single function and "F"
 * for each of several.  Writes at most @size bytes (NUL included) to @buf.
 */
void perf_header__bpf_prog_name(const struct perf_header *h, const struct bpf_prog_desc *prog,
				u32 sub, char *buf, size_t size);
/** perf_header__exit - free everything the header owns. */
void perf_header__exit(struct perf_header *header);

#endif
