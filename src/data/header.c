// SPDX-License-Identifier: GPL-2.0
/*
 * header.c - decode feature sections (file mode) and HEADER_FEATURE payloads
 * (pipe mode) into struct perf_header, with every length bounds-checked.
 *
 * Features kvmprof does not interpret (topologies, caches, PMU capabilities
 * ...) are only checked to lie inside the file; their presence stays visible
 * in header.features.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include <traceevent/event-parse.h>

#include "data/btf.h"
#include "data/data-internal.h"
#include "data/tracing-data.h"
#include "util/util.h"

static const char *const feat_names[HEADER_LAST_FEATURE] = {
	[HEADER_TRACING_DATA] = "TRACING_DATA",
	[HEADER_BUILD_ID] = "BUILD_ID",
	[HEADER_HOSTNAME] = "HOSTNAME",
	[HEADER_OSRELEASE] = "OSRELEASE",
	[HEADER_VERSION] = "VERSION",
	[HEADER_ARCH] = "ARCH",
	[HEADER_NRCPUS] = "NRCPUS",
	[HEADER_CPUDESC] = "CPUDESC",
	[HEADER_CPUID] = "CPUID",
	[HEADER_TOTAL_MEM] = "TOTAL_MEM",
	[HEADER_CMDLINE] = "CMDLINE",
	[HEADER_EVENT_DESC] = "EVENT_DESC",
	[HEADER_CPU_TOPOLOGY] = "CPU_TOPOLOGY",
	[HEADER_NUMA_TOPOLOGY] = "NUMA_TOPOLOGY",
	[HEADER_BRANCH_STACK] = "BRANCH_STACK",
	[HEADER_PMU_MAPPINGS] = "PMU_MAPPINGS",
	[HEADER_GROUP_DESC] = "GROUP_DESC",
	[HEADER_AUXTRACE] = "AUXTRACE",
	[HEADER_STAT] = "STAT",
	[HEADER_CACHE] = "CACHE",
	[HEADER_SAMPLE_TIME] = "SAMPLE_TIME",
	[HEADER_MEM_TOPOLOGY] = "MEM_TOPOLOGY",
	[HEADER_CLOCKID] = "CLOCKID",
	[HEADER_DIR_FORMAT] = "DIR_FORMAT",
	[HEADER_BPF_PROG_INFO] = "BPF_PROG_INFO",
	[HEADER_BPF_BTF] = "BPF_BTF",
	[HEADER_COMPRESSED] = "COMPRESSED",
	[HEADER_CPU_PMU_CAPS] = "CPU_PMU_CAPS",
	[HEADER_CLOCK_DATA] = "CLOCK_DATA",
	[HEADER_HYBRID_TOPOLOGY] = "HYBRID_TOPOLOGY",
	[HEADER_PMU_CAPS] = "PMU_CAPS",
};

const char *perf_header__feat_name(int feat)
{
	if (feat <= 0 || feat >= HEADER_LAST_FEATURE)
		return NULL;
	return feat_names[feat];
}

static void free_event_desc(struct perf_header *h)
{
	for (u32 i = 0; i < h->nr_event_desc; i++) {
		free(h->event_desc[i].name);
		free(h->event_desc[i].ids);
	}
	free(h->event_desc);
	h->event_desc = NULL;
	h->nr_event_desc = 0;
}

static void free_cmdline(struct perf_header *h)
{
	for (u32 i = 0; i < h->nr_cmdline; i++)
		free(h->cmdline[i]);
	free(h->cmdline);
	h->cmdline = NULL;
	h->nr_cmdline = 0;
}

static void free_build_ids(struct perf_header *h)
{
	for (u32 i = 0; i < h->nr_build_ids; i++)
		free(h->build_ids[i].filename);
	free(h->build_ids);
	h->build_ids = NULL;
	h->nr_build_ids = 0;
}

static void free_pmu_mappings(struct perf_header *h)
{
	for (u32 i = 0; i < h->nr_pmu_mappings; i++)
		free(h->pmu_mappings[i].name);
	free(h->pmu_mappings);
	h->pmu_mappings = NULL;
	h->nr_pmu_mappings = 0;
}

static void bpf_prog_desc__exit(struct bpf_prog_desc *p)
{
	free(p->jited_ksyms);
	free(p->jited_func_lens);
	free(p->prog_tags);
	free(p->func_type_ids);
}

static void free_bpf(struct perf_header *h)
{
	for (u32 i = 0; i < h->nr_bpf_progs; i++)
		bpf_prog_desc__exit(&h->bpf_progs[i]);
	free(h->bpf_progs);
	for (u32 i = 0; i < h->nr_btfs; i++)
		free(h->btfs[i].data);
	free(h->btfs);
}

void perf_header__exit(struct perf_header *h)
{
	free(h->hostname);
	free(h->osrelease);
	free(h->version);
	free(h->arch);
	free(h->cpudesc);
	free(h->cpuid);
	free_cmdline(h);
	free_event_desc(h);
	free_build_ids(h);
	free_pmu_mappings(h);
	free_bpf(h);
	free(h->tracing_data);
	memset(h, 0, sizeof(*h));
}

/* a bounded little reader over one feature payload */
struct feat_cursor {
	struct perf_data *data;
	int feat;
	const u8 *buf;
	u64 size;
	u64 pos;
	u64 file_off;
	bool swap;
};

static int feat_err(struct feat_cursor *c, const char *what)
{
	if (c->data->is_pipe)
		return kp_error(KP_ERR_BAD_FEATURE,
				"'%s': %s feature (record at stream offset %#llx): %s",
				c->data->path, perf_header__feat_name(c->feat),
				(unsigned long long)c->file_off, what);
	return kp_error(KP_ERR_BAD_FEATURE,
			"'%s': %s feature at offset %#llx (%llu bytes): %s at offset %#llx "
			"(file is %llu bytes)", c->data->path, perf_header__feat_name(c->feat),
			(unsigned long long)c->file_off, (unsigned long long)c->size, what,
			(unsigned long long)(c->file_off + c->pos),
			(unsigned long long)c->data->size);
}

static int rd_u32(struct feat_cursor *c, u32 *v)
{
	if (c->size - c->pos < 4)
		return feat_err(c, "truncated (u32 expected)");
	memcpy(v, c->buf + c->pos, 4);
	if (c->swap)
		*v = kp_bswap32(*v);
	c->pos += 4;
	return 0;
}

static int rd_u64(struct feat_cursor *c, u64 *v)
{
	if (c->size - c->pos < 8)
		return feat_err(c, "truncated (u64 expected)");
	memcpy(v, c->buf + c->pos, 8);
	if (c->swap)
		*v = kp_bswap64(*v);
	c->pos += 8;
	return 0;
}

/* u32 len + len bytes holding a NUL-terminated string */
static int rd_str(struct feat_cursor *c, char **out)
{
	u32 len;
	int err = rd_u32(c, &len);

	if (err)
		return err;
	if (len > c->size - c->pos)
		return feat_err(c, "string length runs past the end of the section");
	*out = xstrndup((const char *)c->buf + c->pos, len);
	c->pos += len;
	return 0;
}

static int rd_str_into(struct feat_cursor *c, char **slot)
{
	char *s;
	int err = rd_str(c, &s);

	if (err)
		return err;
	free(*slot);
	*slot = s;
	return 0;
}

static int read_cmdline(struct feat_cursor *c, struct perf_header *h)
{
	u32 nr;
	int err = rd_u32(c, &nr);

	if (err)
		return err;
	if (nr > (c->size - c->pos) / 4)
		return feat_err(c, "absurd argument count");
	free_cmdline(h);
	h->cmdline = xcalloc((size_t)nr + 1, sizeof(char *));
	for (u32 i = 0; i < nr; i++) {
		err = rd_str(c, &h->cmdline[i]);
		if (err)
			return err;
		h->nr_cmdline = i + 1;
	}
	return 0;
}

static int read_event_desc(struct feat_cursor *c, struct perf_header *h)
{
	u32 nr, asz;
	int err;

	if ((err = rd_u32(c, &nr)) || (err = rd_u32(c, &asz)))
		return err;
	if (asz < KP_ATTR_SIZE_VER0 || asz > 4096)
		return feat_err(c, "attr size out of range");
	if (nr > (c->size - c->pos) / asz)
		return feat_err(c, "absurd event count");
	free_event_desc(h);
	h->event_desc = xcalloc(nr ? nr : 1, sizeof(*h->event_desc));
	for (u32 i = 0; i < nr; i++) {
		struct event_desc *d = &h->event_desc[i];
		u32 nr_ids;

		h->nr_event_desc = i + 1;
		if (asz > c->size - c->pos)
			return feat_err(c, "truncated attr");
		memcpy(&d->attr, c->buf + c->pos, kp_min(asz, (u32)sizeof(d->attr)));
		if (c->swap)
			kp_attr__swap(&d->attr, kp_min(asz, (u32)sizeof(d->attr)));
		c->pos += asz;
		if ((err = rd_u32(c, &nr_ids)) || (err = rd_str(c, &d->name)))
			return err;
		if (nr_ids > (c->size - c->pos) / 8)
			return feat_err(c, "id count runs past the end of the section");
		d->ids = xcalloc(nr_ids ? nr_ids : 1, sizeof(u64));
		for (u32 j = 0; j < nr_ids; j++)
			rd_u64(c, &d->ids[j]);
		d->nr_ids = nr_ids;
	}
	return 0;
}

static int read_build_ids(struct feat_cursor *c, struct perf_header *h)
{
	size_t alloc = h->nr_build_ids;

	while (c->pos < c->size) {
		struct perf_event_header eh;
		struct build_id_entry *e;
		s32 pid;
		u64 fixed = sizeof(struct perf_record_header_build_id);
		u64 start = c->pos;

		if (c->size - c->pos < fixed)
			return feat_err(c, "truncated build-id entry");
		memcpy(&eh, c->buf + c->pos, sizeof(eh));
		memcpy(&pid, c->buf + c->pos + 8, 4);
		if (c->swap) {
			eh.type = kp_bswap32(eh.type);
			eh.misc = kp_bswap16(eh.misc);
			eh.size = kp_bswap16(eh.size);
			pid = (s32)kp_bswap32((u32)pid);
		}
		if (eh.size < fixed || eh.size > c->size - c->pos)
			return feat_err(c, "build-id entry size out of range");
		ALLOC_GROW(h->build_ids, h->nr_build_ids + 1, alloc);
		e = &h->build_ids[h->nr_build_ids++];
		memset(e, 0, sizeof(*e));
		e->cpumode = eh.misc & PERF_RECORD_MISC_CPUMODE_MASK;
		e->pid = pid;
		memcpy(e->build_id, c->buf + start + 12, 20);
		e->size = (eh.misc & PERF_RECORD_MISC_BUILD_ID_SIZE) ? c->buf[start + 32] : 20;
		if (e->size > 20)
			e->size = 20;
		e->filename = xstrndup((const char *)c->buf + start + fixed, eh.size - fixed);
		c->pos = start + eh.size;
	}
	return 0;
}

static int read_pmu_mappings(struct feat_cursor *c, struct perf_header *h)
{
	u32 nr;
	int err = rd_u32(c, &nr);

	if (err)
		return err;
	if (nr > (c->size - c->pos) / 8)
		return feat_err(c, "absurd PMU count");
	free_pmu_mappings(h);
	h->pmu_mappings = xcalloc(nr ? nr : 1, sizeof(*h->pmu_mappings));
	for (u32 i = 0; i < nr; i++) {
		if ((err = rd_u32(c, &h->pmu_mappings[i].type)) ||
		    (err = rd_str(c, &h->pmu_mappings[i].name)))
			return err;
		h->nr_pmu_mappings = i + 1;
	}
	return 0;
}

/*
 * BPF_PROG_INFO: u32 count, then per program perf's bpf_prog_info_linear as
 * written by the recorder: u32 info_len, u32 data_len, u64 arrays (bit i set:
 * array i of bpf_prog_info is in data), info_len bytes of struct
 * bpf_prog_info (include/uapi/linux/bpf.h, append-only: a shorter one reads
 * as zeros past its end, a longer one's tail is ignored), data_len bytes of
 * data.  An array's pointer field holds its offset into data.
 */
#define BPF_INFO_SIZE 232 /* sizeof(struct bpf_prog_info) in Linux 6.1 */
#define BPF_INFO_ID 4
#define BPF_INFO_NAME 64
#define BPF_INFO_NR_JITED_KSYMS 104
#define BPF_INFO_NR_JITED_FUNC_LENS 108
#define BPF_INFO_JITED_KSYMS 112
#define BPF_INFO_JITED_FUNC_LENS 120
#define BPF_INFO_BTF_ID 128
#define BPF_INFO_FUNC_INFO_REC_SIZE 132
#define BPF_INFO_FUNC_INFO 136
#define BPF_INFO_NR_FUNC_INFO 144
#define BPF_INFO_NR_PROG_TAGS 180
#define BPF_INFO_PROG_TAGS 184
/* bits of bpf_prog_info_linear.arrays (perf's bpil_array_desc order) */
#define BPIL_JITED_KSYMS 3
#define BPIL_JITED_FUNC_LENS 4
#define BPIL_FUNC_INFO 5
#define BPIL_PROG_TAGS 8

#define BPF_INFO_ASSERT(field, off)                                                  \
	_Static_assert(offsetof(struct bpf_prog_info, field) == (off), "bpf_prog_info." #field)
BPF_INFO_ASSERT(id, BPF_INFO_ID);
BPF_INFO_ASSERT(name, BPF_INFO_NAME);
BPF_INFO_ASSERT(nr_jited_ksyms, BPF_INFO_NR_JITED_KSYMS);
BPF_INFO_ASSERT(nr_jited_func_lens, BPF_INFO_NR_JITED_FUNC_LENS);
BPF_INFO_ASSERT(jited_ksyms, BPF_INFO_JITED_KSYMS);
BPF_INFO_ASSERT(jited_func_lens, BPF_INFO_JITED_FUNC_LENS);
BPF_INFO_ASSERT(btf_id, BPF_INFO_BTF_ID);
BPF_INFO_ASSERT(func_info_rec_size, BPF_INFO_FUNC_INFO_REC_SIZE);
BPF_INFO_ASSERT(func_info, BPF_INFO_FUNC_INFO);
BPF_INFO_ASSERT(nr_func_info, BPF_INFO_NR_FUNC_INFO);
BPF_INFO_ASSERT(nr_prog_tags, BPF_INFO_NR_PROG_TAGS);
BPF_INFO_ASSERT(prog_tags, BPF_INFO_PROG_TAGS);

static u32 info32(const u8 *info, size_t off)
{
	u32 v;

	memcpy(&v, info + off, 4);
	return v;
}

static u64 info64(const u8 *info, size_t off)
{
	u64 v;

	memcpy(&v, info + off, 8);
	return v;
}

/*
 * Locate array @bit of program @idx: @nr records of @rec bytes at the offset
 * held in the info's pointer field @ptr_off.  *@out = NULL for an empty array.
 */
static int bpf_array(struct feat_cursor *c, u32 idx, const u8 *info, u64 arrays, int bit,
		     size_t ptr_off, u32 nr, u32 rec, const u8 *data, u32 data_len,
		     const char *what, const u8 **out)
{
	u64 off = info64(info, ptr_off);
	char msg[160];

	*out = NULL;
	if (!nr)
		return 0;
	if (!(arrays & (1ULL << bit)))
		snprintf(msg, sizeof(msg), "BPF program #%u counts %u %s but its data lacks them",
			 idx, nr, what);
	else if (off > data_len || (u64)nr * rec > data_len - off)
		snprintf(msg, sizeof(msg),
			 "BPF program #%u: %u %s of %u bytes at data offset %#llx run past its "
			 "%u bytes of data", idx, nr, what, rec, (unsigned long long)off, data_len);
	else {
		*out = data + off;
		return 0;
	}
	return feat_err(c, msg);
}

static int read_bpf_prog(struct feat_cursor *c, u32 idx, struct bpf_prog_desc *p)
{
	u8 info[BPF_INFO_SIZE] = { 0 };
	const u8 *data, *ksyms, *lens, *tags, *finfo;
	u32 info_len, data_len, rec;
	u64 arrays;
	int err;

	if ((err = rd_u32(c, &info_len)) || (err = rd_u32(c, &data_len)) ||
	    (err = rd_u64(c, &arrays)))
		return err;
	if (info_len > c->size - c->pos)
		return feat_err(c, "truncated bpf_prog_info");
	memcpy(info, c->buf + c->pos, kp_min(info_len, (u32)sizeof(info)));
	c->pos += info_len;
	if (data_len > c->size - c->pos)
		return feat_err(c, "truncated bpf_prog_info data");
	data = c->buf + c->pos;
	c->pos += data_len;

	p->id = info32(info, BPF_INFO_ID);
	p->btf_id = info32(info, BPF_INFO_BTF_ID);
	memcpy(p->name, info + BPF_INFO_NAME, 16);
	p->nr_jited_ksyms = info32(info, BPF_INFO_NR_JITED_KSYMS);
	p->nr_jited_func_lens = info32(info, BPF_INFO_NR_JITED_FUNC_LENS);
	p->nr_prog_tags = info32(info, BPF_INFO_NR_PROG_TAGS);
	p->nr_func_info = info32(info, BPF_INFO_NR_FUNC_INFO);
	rec = info32(info, BPF_INFO_FUNC_INFO_REC_SIZE);
	if (p->nr_func_info && rec < 8)
		return feat_err(c, "bpf_func_info record size below 8 bytes");
	if ((err = bpf_array(c, idx, info, arrays, BPIL_JITED_KSYMS, BPF_INFO_JITED_KSYMS,
			     p->nr_jited_ksyms, 8, data, data_len, "JITed symbols", &ksyms)) ||
	    (err = bpf_array(c, idx, info, arrays, BPIL_JITED_FUNC_LENS, BPF_INFO_JITED_FUNC_LENS,
			     p->nr_jited_func_lens, 4, data, data_len, "function lengths", &lens)) ||
	    (err = bpf_array(c, idx, info, arrays, BPIL_PROG_TAGS, BPF_INFO_PROG_TAGS,
			     p->nr_prog_tags, 8, data, data_len, "program tags", &tags)) ||
	    (err = bpf_array(c, idx, info, arrays, BPIL_FUNC_INFO, BPF_INFO_FUNC_INFO,
			     p->nr_func_info, rec, data, data_len, "BTF function records", &finfo)))
		return err;
	if (ksyms)
		p->jited_ksyms = xmemdup(ksyms, (size_t)p->nr_jited_ksyms * 8);
	if (lens)
		p->jited_func_lens = xmemdup(lens, (size_t)p->nr_jited_func_lens * 4);
	if (tags)
		p->prog_tags = xmemdup(tags, (size_t)p->nr_prog_tags * 8);
	if (finfo)
		p->func_type_ids = xcalloc(p->nr_func_info, sizeof(u32));
	for (u32 i = 0; i < p->nr_func_info; i++)
		p->func_type_ids[i] = info32(finfo + (size_t)i * rec, 4);
	return 0;
}

/*
 * index of the first of @nr elements of @stride bytes, sorted by the u32 id at
 * @id_off, with an id >= @id (h->bpf_progs, h->btfs)
 */
static u32 id_lower_bound(const void *base, size_t stride, size_t id_off, u32 nr, u32 id)
{
	const u8 *a = base;
	u32 lo = 0, hi = nr;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2, mid_id;

		memcpy(&mid_id, a + (size_t)mid * stride + id_off, sizeof(mid_id));
		if (mid_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#define ID_LOWER_BOUND(arr, nr, key) \
	id_lower_bound(arr, sizeof(*(arr)), offsetof(__typeof__(*(arr)), id), nr, key)

static int read_bpf_prog_info(struct feat_cursor *c, struct perf_header *h)
{
	size_t alloc = h->nr_bpf_progs;
	u32 nr;
	int err;

	if (c->swap) {
		/* as perf: bpf_prog_info of the other byte order is not interpreted */
		pr_warning("'%s': BPF_PROG_INFO of the other byte order is not interpreted",
			   c->data->path);
		return 0;
	}
	if ((err = rd_u32(c, &nr)))
		return err;
	if (nr > (c->size - c->pos) / 16)
		return feat_err(c, "absurd BPF program count");
	for (u32 i = 0; i < nr; i++) {
		struct bpf_prog_desc p = { 0 };
		u32 at;

		err = read_bpf_prog(c, i, &p);
		if (err) {
			bpf_prog_desc__exit(&p);
			return err;
		}
		at = ID_LOWER_BOUND(h->bpf_progs, h->nr_bpf_progs, p.id);
		if (at < h->nr_bpf_progs && h->bpf_progs[at].id == p.id) {
			/* perf keeps the first program of an id */
			bpf_prog_desc__exit(&p);
			continue;
		}
		ALLOC_GROW(h->bpf_progs, h->nr_bpf_progs + 1, alloc);
		memmove(&h->bpf_progs[at + 1], &h->bpf_progs[at],
			(h->nr_bpf_progs - at) * sizeof(p));
		h->bpf_progs[at] = p;
		h->nr_bpf_progs++;
	}
	return 0;
}

/* BPF_BTF: u32 count, then per blob u32 id, u32 size, size bytes of raw BTF */
static int read_bpf_btf(struct feat_cursor *c, struct perf_header *h)
{
	size_t alloc = h->nr_btfs;
	u32 nr;
	int err;

	if (c->swap) {
		pr_warning("'%s': BPF_BTF of the other byte order is not interpreted",
			   c->data->path);
		return 0;
	}
	if ((err = rd_u32(c, &nr)))
		return err;
	if (nr > (c->size - c->pos) / 8)
		return feat_err(c, "absurd BTF count");
	for (u32 i = 0; i < nr; i++) {
		struct btf_blob b;
		u32 at;

		if ((err = rd_u32(c, &b.id)) || (err = rd_u32(c, &b.size)))
			return err;
		if (b.size > c->size - c->pos)
			return feat_err(c, "truncated BTF data");
		at = ID_LOWER_BOUND(h->btfs, h->nr_btfs, b.id);
		if (at < h->nr_btfs && h->btfs[at].id == b.id) {
			c->pos += b.size;
			continue;
		}
		/* no copy for an empty blob: there may be no byte left (fuzz finding) */
		b.data = b.size ? xmemdup(c->buf + c->pos, b.size) : xzalloc(1);
		c->pos += b.size;
		ALLOC_GROW(h->btfs, h->nr_btfs + 1, alloc);
		memmove(&h->btfs[at + 1], &h->btfs[at], (h->nr_btfs - at) * sizeof(b));
		h->btfs[at] = b;
		h->nr_btfs++;
	}
	return 0;
}

void perf_header__bpf_prog_name(const struct perf_header *h, const struct bpf_prog_desc *prog,
				u32 sub, char *buf, size_t size)
{
	const char *short_name = NULL;
	bool from_btf = false;
	size_t len;

	if (!size)
		return;
	len = (size_t)snprintf(buf, size, "bpf_prog_");
	for (int i = 0; i < 8 && sub < prog->nr_prog_tags && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%02x", prog->prog_tags[sub][i]);
	if (prog->btf_id && sub < prog->nr_func_info) {
		u32 at = ID_LOWER_BOUND(h->btfs, h->nr_btfs, prog->btf_id);

		/* a blob that does not parse is no BTF, as a failing btf__new() in perf */
		if (at < h->nr_btfs && h->btfs[at].id == prog->btf_id &&
		    !btf__type_name(h->btfs[at].data, h->btfs[at].size, prog->func_type_ids[sub],
				    &short_name))
			from_btf = true;
	}
	if (!from_btf) {
		if (sub == 0 && prog->nr_jited_ksyms == 1)
			short_name = prog->name[0] ? prog->name : NULL;
		else
			short_name = "F";
	}
	if (short_name && len < size)
		snprintf(buf + len, size - len, "_%s", short_name);
}

int perf_header__read_feature(struct perf_data *data, int feat, const u8 *buf, u64 size,
			      u64 file_off)
{
	struct perf_header *h = &data->header;
	struct feat_cursor c = { data, feat, buf, size, 0, file_off, h->needs_swap };
	int err = 0;
	u32 a, b;

	switch (feat) {
	case HEADER_TRACING_DATA:
		free(h->tracing_data);
		h->tracing_data = xmemdup(buf, size);
		h->tracing_data_size = size;
		if (data->tep) {
			tep_free(data->tep);
			data->tep = NULL;
		}
		err = tracing_data__parse(&data->tep, buf, size);
		if (err) {
			char msg[640];

			snprintf(msg, sizeof(msg), "%s", kp_errmsg(err));
			return kp_error(err, "'%s': TRACING_DATA feature at offset %#llx: %s",
					data->path, (unsigned long long)file_off, msg);
		}
		break;
	case HEADER_BUILD_ID:
		err = read_build_ids(&c, h);
		break;
	case HEADER_HOSTNAME:
		err = rd_str_into(&c, &h->hostname);
		break;
	case HEADER_OSRELEASE:
		err = rd_str_into(&c, &h->osrelease);
		break;
	case HEADER_VERSION:
		err = rd_str_into(&c, &h->version);
		break;
	case HEADER_ARCH:
		err = rd_str_into(&c, &h->arch);
		break;
	case HEADER_NRCPUS:
		if (!(err = rd_u32(&c, &a)) && !(err = rd_u32(&c, &b))) {
			h->nr_cpus_avail = a;
			h->nr_cpus_online = b;
		}
		break;
	case HEADER_CPUDESC:
		err = rd_str_into(&c, &h->cpudesc);
		break;
	case HEADER_CPUID:
		err = rd_str_into(&c, &h->cpuid);
		break;
	case HEADER_TOTAL_MEM:
		err = rd_u64(&c, &h->total_mem);
		break;
	case HEADER_CMDLINE:
		err = read_cmdline(&c, h);
		break;
	case HEADER_EVENT_DESC:
		err = read_event_desc(&c, h);
		break;
	case HEADER_PMU_MAPPINGS:
		err = read_pmu_mappings(&c, h);
		break;
	case HEADER_GROUP_DESC:
		err = rd_u32(&c, &h->nr_groups);
		break;
	case HEADER_BPF_PROG_INFO:
		err = read_bpf_prog_info(&c, h);
		break;
	case HEADER_BPF_BTF:
		err = read_bpf_btf(&c, h);
		break;
	case HEADER_SAMPLE_TIME:
		if (!(err = rd_u64(&c, &h->first_sample_time)))
			err = rd_u64(&c, &h->last_sample_time);
		break;
	case HEADER_CLOCKID:
		err = rd_u64(&c, &h->clock_res_ns);
		break;
	case HEADER_CLOCK_DATA:
		if (!(err = rd_u32(&c, &a)) && !(err = rd_u32(&c, &h->clockid)) &&
		    !(err = rd_u64(&c, &h->clock_tod_ns)))
			err = rd_u64(&c, &h->clock_clockid_ns);
		if (!err)
			h->has_clock_data = true;
		break;
	case HEADER_COMPRESSED:
		if (!(err = rd_u32(&c, &h->comp_ver)) && !(err = rd_u32(&c, &h->comp_type)) &&
		    !(err = rd_u32(&c, &h->comp_level)) && !(err = rd_u32(&c, &h->comp_ratio)))
			err = rd_u32(&c, &h->comp_mmap_len);
		break;
	default:
		/* present and inside the file; content not interpreted */
		break;
	}
	if (!err && feat > 0 && feat < HEADER_FEAT_BITS)
		perf_header__set_feat(h, feat);
	return err;
}

int perf_data__attach_tracing(struct perf_data *data)
{
	for (int i = 0; i < data->evlist.nr; i++) {
		struct evsel *e = data->evlist.entries[i];
		struct tep_event *tp;

		if (e->attr.type != PERF_TYPE_TRACEPOINT || e->tp_format)
			continue;
		if (!data->tep)
			return kp_error(KP_ERR_BAD_TRACEDATA,
					"'%s': event %d is a tracepoint (id %llu) but the file has no "
					"tracing data", data->path, i,
					(unsigned long long)e->attr.config);
		tp = tep_find_event(data->tep, (int)e->attr.config);
		if (!tp)
			return kp_error(KP_ERR_BAD_TRACEDATA,
					"'%s': the tracing data has no format for tracepoint id %llu "
					"(event %d)", data->path, (unsigned long long)e->attr.config, i);
		e->tp_format = tp;
		if (!e->name) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "%s:%s", tp->system, tp->name);
			e->name = strbuf_detach(&sb, NULL);
		}
	}
	return 0;
}

void perf_data__apply_event_desc(struct perf_data *data)
{
	struct perf_header *h = &data->header;

	for (u32 i = 0; i < h->nr_event_desc && (int)i < data->evlist.nr; i++) {
		struct evsel *e = data->evlist.entries[i];

		if (!e->name && h->event_desc[i].name)
			e->name = xstrdup(h->event_desc[i].name);
	}
}
