// SPDX-License-Identifier: GPL-2.0
/*
 * header.c - perf report --header-only text for the features kvmprof decodes.
 *
 * Line by line as perf 6.1 prints them.  Features whose content kvmprof does
 * not decode print nothing here: GROUP_DESC (perf lists the groups),
 * CPU_PMU_CAPS, CLOCK_DATA, HYBRID_TOPOLOGY, PMU_CAPS and DIR_FORMAT.  Topology, NUMA, cache and memory topology print
 * perf's "info available, use -I to display" line, as perf does without -I.
 */
#include <errno.h>
#include <time.h>

#include "data/reader.h"
#include "ui/header.h"
#include "util/util.h"

static const char *const sample_type_names[] = {
	"IP", "TID", "TIME", "ADDR", "READ", "CALLCHAIN", "ID", "CPU", "PERIOD", "STREAM_ID",
	"RAW", "BRANCH_STACK", "REGS_USER", "STACK_USER", "WEIGHT", "DATA_SRC", "IDENTIFIER",
	"TRANSACTION", "REGS_INTR", "PHYS_ADDR", "AUX", "CGROUP", "DATA_PAGE_SIZE",
	"CODE_PAGE_SIZE", "WEIGHT_STRUCT",
};

static const char *const read_format_names[] = {
	"TOTAL_TIME_ENABLED", "TOTAL_TIME_RUNNING", "ID", "GROUP", "LOST",
};

static const char *const branch_names[] = {
	"USER", "KERNEL", "HV", "ANY", "ANY_CALL", "ANY_RETURN", "IND_CALL", "ABORT_TX",
	"IN_TX", "NO_TX", "COND", "CALL_STACK", "IND_JUMP", "CALL", "NO_FLAGS", "NO_CYCLES",
	"TYPE_SAVE", "HW_INDEX", "PRIV_SAVE",
};

/* the attr flag bits in the order perf prints them (= bit order) */
static const char *const flag_names[] = {
	"disabled", "inherit", "pinned", "exclusive", "exclude_user", "exclude_kernel",
	"exclude_hv", "exclude_idle", "mmap", "comm", "freq", "inherit_stat", "enable_on_exec",
	"task", "watermark", "precise_ip", NULL, "mmap_data", "sample_id_all", "exclude_host",
	"exclude_guest", "exclude_callchain_kernel", "exclude_callchain_user", "mmap2",
	"comm_exec", "use_clockid", "context_switch", "write_backward", "namespaces",
	"ksymbol", "bpf_event", "aux_output", "cgroup", "text_poke", "build_id",
	"inherit_thread", "remove_on_exec", "sigtrap",
};

static void print_bits(FILE *fp, const char *name, u64 v, const char *const *names, size_t n)
{
	bool first = true;

	fprintf(fp, ", %s = ", name);
	for (size_t i = 0; i < n; i++) {
		if (!(v & (1ULL << i)))
			continue;
		fprintf(fp, "%s%s", first ? "" : "|", names[i]);
		first = false;
	}
}

static void print_attr(FILE *fp, const struct kp_attr *a)
{
#define U(name, v)                                                                    \
	do {                                                                          \
		if (v)                                                                \
			fprintf(fp, ", %s = %llu", name, (unsigned long long)(v));    \
	} while (0)
#define X(name, v)                                                                    \
	do {                                                                          \
		if (v)                                                                \
			fprintf(fp, ", %s = %#llx", name, (unsigned long long)(v));   \
	} while (0)
	U("type", a->type);
	U("size", a->size);
	X("config", a->config);
	U("{ sample_period, sample_freq }", a->sample_period);
	if (a->sample_type)
		print_bits(fp, "sample_type", a->sample_type, sample_type_names,
			   ARRAY_SIZE(sample_type_names));
	if (a->read_format)
		print_bits(fp, "read_format", a->read_format, read_format_names,
			   ARRAY_SIZE(read_format_names));
	for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (!flag_names[i])
			continue;
		if (i == KP_ATTR_PRECISE_IP)
			U("precise_ip", kp_attr_precise_ip(a));
		else
			U(flag_names[i], (a->flags >> i) & 1);
	}
	U("{ wakeup_events, wakeup_watermark }", a->wakeup_events);
	U("bp_type", a->bp_type);
	X("{ bp_addr, config1 }", a->config1);
	X("{ bp_len, config2 }", a->config2);
	if (a->branch_sample_type)
		print_bits(fp, "branch_sample_type", a->branch_sample_type, branch_names,
			   ARRAY_SIZE(branch_names));
	X("sample_regs_user", a->sample_regs_user);
	U("sample_stack_user", a->sample_stack_user);
	if (a->clockid)
		fprintf(fp, ", clockid = %d", a->clockid);
	X("sample_regs_intr", a->sample_regs_intr);
	U("aux_watermark", a->aux_watermark);
	U("sample_max_stack", a->sample_max_stack);
	U("aux_sample_size", a->aux_sample_size);
	U("sig_data", a->sig_data);
#undef U
#undef X
}

static void print_event_desc(FILE *fp, const struct perf_header *h)
{
	for (u32 i = 0; i < h->nr_event_desc; i++) {
		const struct event_desc *d = &h->event_desc[i];

		fprintf(fp, "# event : name = %s, ", d->name ? d->name : "(null)");
		if (d->nr_ids) {
			fprintf(fp, ", id = {");
			for (u32 j = 0; j < d->nr_ids; j++)
				fprintf(fp, "%s %llu", j ? "," : "", (unsigned long long)d->ids[j]);
			fprintf(fp, " }");
		}
		print_attr(fp, &d->attr);
		fputc('\n', fp);
	}
}

static void print_usec(FILE *fp, const char *what, u64 ns)
{
	fprintf(fp, "# %s : %llu.%06llu\n", what, (unsigned long long)(ns / 1000000000ULL),
		(unsigned long long)(ns % 1000000000ULL / 1000));
}

/* one line per program (perf: bpf_event__print_bpf_prog_info), in id order */
static void print_bpf_prog_info(FILE *fp, const struct perf_header *h)
{
	char name[BPF_PROG_NAME_LEN];

	for (u32 i = 0; i < h->nr_bpf_progs; i++) {
		const struct bpf_prog_desc *p = &h->bpf_progs[i];
		u32 n = p->nr_jited_ksyms;

		/* perf prints nothing for a program whose counts disagree */
		if (n != p->nr_prog_tags || n != p->nr_jited_func_lens)
			continue;
		if (n == 1) {
			perf_header__bpf_prog_name(h, p, 0, name, sizeof(name));
			fprintf(fp, "# bpf_prog_info %u: %s addr 0x%llx size %u\n", p->id, name,
				(unsigned long long)p->jited_ksyms[0], p->jited_func_lens[0]);
			continue;
		}
		fprintf(fp, "# bpf_prog_info %u:\n", p->id);
		for (u32 j = 0; j < n; j++) {
			perf_header__bpf_prog_name(h, p, j, name, sizeof(name));
			fprintf(fp, "# \tsub_prog %u: %s addr 0x%llx size %u\n", j, name,
				(unsigned long long)p->jited_ksyms[j], p->jited_func_lens[j]);
		}
	}
}

static void print_feature(FILE *fp, const struct perf_header *h, int feat)
{
	switch (feat) {
	case HEADER_HOSTNAME:
		fprintf(fp, "# hostname : %s\n", h->hostname ? h->hostname : "");
		break;
	case HEADER_OSRELEASE:
		fprintf(fp, "# os release : %s\n", h->osrelease ? h->osrelease : "");
		break;
	case HEADER_VERSION:
		fprintf(fp, "# perf version : %s\n", h->version ? h->version : "");
		break;
	case HEADER_ARCH:
		fprintf(fp, "# arch : %s\n", h->arch ? h->arch : "");
		break;
	case HEADER_NRCPUS:
		fprintf(fp, "# nrcpus online : %u\n", h->nr_cpus_online);
		fprintf(fp, "# nrcpus avail : %u\n", h->nr_cpus_avail);
		break;
	case HEADER_CPUDESC:
		fprintf(fp, "# cpudesc : %s\n", h->cpudesc ? h->cpudesc : "");
		break;
	case HEADER_CPUID:
		fprintf(fp, "# cpuid : %s\n", h->cpuid ? h->cpuid : "");
		break;
	case HEADER_TOTAL_MEM:
		fprintf(fp, "# total memory : %llu kB\n", (unsigned long long)h->total_mem);
		break;
	case HEADER_CMDLINE:
		fprintf(fp, "# cmdline : ");
		for (u32 i = 0; i < h->nr_cmdline; i++)
			fprintf(fp, "%s ", h->cmdline[i]);
		fputc('\n', fp);
		break;
	case HEADER_EVENT_DESC:
		print_event_desc(fp, h);
		break;
	case HEADER_CPU_TOPOLOGY:
	case HEADER_NUMA_TOPOLOGY:
	case HEADER_CACHE:
	case HEADER_MEM_TOPOLOGY:
		fprintf(fp, "# %s info available, use -I to display\n", perf_header__feat_name(feat));
		break;
	case HEADER_BRANCH_STACK:
		fprintf(fp, "# contains samples with branch stack\n");
		break;
	case HEADER_AUXTRACE:
		fprintf(fp, "# contains AUX area data (e.g. instruction trace)\n");
		break;
	case HEADER_STAT:
		fprintf(fp, "# contains stat data\n");
		break;
	case HEADER_PMU_MAPPINGS:
		fprintf(fp, "# pmu mappings: ");
		if (!h->nr_pmu_mappings)
			fprintf(fp, "not available");
		for (u32 i = 0; i < h->nr_pmu_mappings; i++)
			fprintf(fp, "%s%s = %u", i ? ", " : "", h->pmu_mappings[i].name,
				h->pmu_mappings[i].type);
		fputc('\n', fp);
		break;
	case HEADER_SAMPLE_TIME:
		print_usec(fp, "time of first sample", h->first_sample_time);
		print_usec(fp, "time of last sample", h->last_sample_time);
		fprintf(fp, "# sample duration : %10.3f ms\n",
			(double)(h->last_sample_time - h->first_sample_time) / 1e6);
		break;
	case HEADER_CLOCKID:
		fprintf(fp, "# clockid frequency: %llu MHz\n",
			(unsigned long long)(h->clock_res_ns * 1000));
		break;
	case HEADER_BPF_PROG_INFO:
		print_bpf_prog_info(fp, h);
		break;
	case HEADER_BPF_BTF:
		for (u32 i = 0; i < h->nr_btfs; i++)
			fprintf(fp, "# btf info of id %u\n", h->btfs[i].id);
		break;
	case HEADER_COMPRESSED:
		fprintf(fp, "# compressed : %s, level = %u, ratio = %u\n",
			h->comp_type == 1 ? "Zstd" : "Unknown", h->comp_level, h->comp_ratio);
		break;
	default:
		/* TRACING_DATA and BUILD_ID print nothing in perf either; see the top */
		break;
	}
}

int perf_header__fprintf(FILE *fp, const struct perf_data *data)
{
	const struct perf_header *h = &data->header;
	time_t mt = (time_t)data->mtime;

	fprintf(fp, "# ========\n");
	fprintf(fp, "# captured on    : %s", ctime(&mt));
	fprintf(fp, "# header version : 1\n");
	fprintf(fp, "# data offset    : %llu\n", (unsigned long long)h->file.data.offset);
	fprintf(fp, "# data size      : %llu\n", (unsigned long long)h->file.data.size);
	fprintf(fp, "# feat offset    : %llu\n", (unsigned long long)h->feat_offset);
	/*
	 * A pipe has no feature table: perf closes the block at once and prints
	 * each feature as its HEADER_FEATURE record goes by (no missing list).
	 */
	if (data->is_pipe)
		fprintf(fp, "# ========\n#\n");
	for (int f = 1; f < HEADER_LAST_FEATURE; f++)
		if (perf_header__has_feat(h, f))
			print_feature(fp, h, f);
	if (!data->is_pipe) {
		fprintf(fp, "# missing features: ");
		for (int f = 1; f < HEADER_LAST_FEATURE; f++)
			if (!perf_header__has_feat(h, f))
				fprintf(fp, "%s ", perf_header__feat_name(f));
		fputc('\n', fp);
		fprintf(fp, "# ========\n#\n");
	}
	return ferror(fp) ? -EIO : 0;
}
