// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-stat.c - perf kvm stat's pairing model and statistics (see kvm-stat.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "analysis/kvm-stat.h"
#include "data/evsel.h"
#include "data/reader.h"
#include "data/sample.h"
#include "util/util.h"

#define INVALID_KEY (~0ULL)
#define NO_ROW UINT32_MAX
#define PERF61_CACHE_MASK 4095 /* perf 6.1's EVENTS_CACHE_SIZE - 1 */

/* fields read per tracepoint kind: a, b of struct kvm_stat_event */
static const char *const tp_fields[KVM_TP_NR][2] = {
	[KVM_TP_ENTRY] = { "vcpu_id", NULL },
	[KVM_TP_EXIT] = { "exit_reason", NULL },
	[KVM_TP_MMIO] = { "type", "gpa" },
	[KVM_TP_PIO] = { "rw", "port" },
	[KVM_TP_MSR] = { "write", "ecx" },
	[KVM_TP_USERSPACE_EXIT] = { "reason", NULL },
};

/* KVM_EXIT_* in kvm_userspace_exit.reason that complete each access kind */
#define KVM_EXIT_IO 2
#define KVM_EXIT_MMIO 6
#define KVM_EXIT_X86_RDMSR 29
#define KVM_EXIT_X86_WRMSR 30

static const char *const tp_names[KVM_TP_NR] = {
	[KVM_TP_NONE] = "?",
	[KVM_TP_ENTRY] = "kvm:kvm_entry",
	[KVM_TP_EXIT] = "kvm:kvm_exit",
	[KVM_TP_MMIO] = "kvm:kvm_mmio",
	[KVM_TP_PIO] = "kvm:kvm_pio",
	[KVM_TP_MSR] = "kvm:kvm_msr",
	[KVM_TP_USERSPACE_EXIT] = "kvm:kvm_userspace_exit",
	[KVM_TP_OTHER] = "kvm:*",
};

struct evsel_info {
	enum kvm_tp_kind kind;
	struct tep_format_field *field[2];
	/* field[f]'s place, looked up once: read per sample without libtraceevent */
	u32 off[2], size[2];
	bool swap; /* the file's byte order is not this machine's */
	const char *name;
	/* kvm_stat__peek(): every field readable (size 1, 2, 4, 8), raw bytes they need */
	bool peek_ok;
	u32 peek_need;
};

/* per host thread state */
struct vcpu_rec {
	u32 tid;
	u32 pid;
	bool is_vcpu; /* saw kvm_entry: perf's vcpu_event_record exists */
	int vcpu_id;
	u64 start_time; /* 0 = no open begin (perf's convention) */
	u32 last_row; /* NO_ROW = perf's NULL last_event */
	/* access mode */
	bool fb_pending;
	u32 fb_row;
	u64 fb_start;
	u64 fb_exit_reason; /* the KVM_EXIT_* that hands this access to the VMM */
};

struct comm_ent {
	u32 pid;
	char *comm;
};

struct kvm_stat {
	struct kvm_stat_opts opts;
	struct kvm_stat_table all; /* paired model */
	struct kvm_stat_table fb_all; /* access mode */
	struct kvm_stat_table *groups, *fb_groups;
	u32 nr_groups, alloc_groups, nr_fb_groups, alloc_fb_groups;
	struct vcpu_rec *threads;
	u32 nr_threads, alloc_threads;
	u32 *thread_hash;
	u32 thread_hash_size;
	/* direct-mapped caches in front of the hashes (index + 1; rows are never removed) */
	u32 thread_cache[1024]; /* by tid */
	/* rows of @all by key and info (the key here too: no look at the row) */
	struct row_cache {
		u64 key;
		int info;
		u32 row; /* index + 1, 0: empty */
	} all_cache[256];
	/* fast_run(): Welford updates of @all's rows still to do, in order */
	struct {
		u32 row;
		u64 ns;
	} pend[256];
	u32 paired_kinds; /* bit per kvm_tp_kind that can begin or end an interval */
	struct evsel_info *evinfo;
	int nr_evinfo;
	struct comm_ent *comms;
	u32 nr_comms, alloc_comms;
	u64 nr_tp[KVM_TP_NR];
	/* kvm_stat__peek(), on the reading thread: events it counted itself */
	/*
	 * (a cache line of padding either side: the reading thread counts here
	 * while the model's thread updates the fields around, sample by sample)
	 */
	char peek_pad0[64];
	u64 peek_nr_tp[KVM_TP_NR];
	bool peek_seen_entry; /* it passed on a kvm_entry that passes the filters */
	char peek_pad1[64];
	bool seen_entry; /* a kvm_entry passed the filters, ever (kept by reset) */
	u32 seq;
	struct kvm_stat_view view;
	struct kvm_stat_table **view_groups;
};

/* ---- statistics ---------------------------------------------------------- */

void kvm_stats__init(struct kvm_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->min = UINT64_MAX;
}

static unsigned int hist_bucket(u64 ns)
{
	return ns < 2 ? 0 : 63 - __builtin_clzll(ns);
}

/* perf's update_stats(): n is a double there, the arithmetic matches */
static inline void stats__welford(struct kvm_stats *st, u64 ns)
{
	double n, delta, val = (double)ns;

	st->n++;
	n = (double)st->n;
	delta = val - st->mean;
	st->mean += delta / n;
	st->m2 += delta * (val - st->mean);
}

/* the rest of an update: extremes, total and histogram */
static inline void stats__range(struct kvm_stats *st, u64 ns)
{
	if (ns > st->max)
		st->max = ns;
	if (ns < st->min)
		st->min = ns;
	st->time += ns;
	st->hist[hist_bucket(ns)]++;
}

void kvm_stats__update(struct kvm_stats *st, u64 ns, bool keep)
{
	stats__welford(st, ns);
	stats__range(st, ns);
	if (keep) {
		ALLOC_GROW(st->durs, st->nr_durs + 1, st->alloc_durs);
		st->durs[st->nr_durs++] = ns;
		st->durs_sorted = false;
	}
}

double kvm_stats__stddev_pct(const struct kvm_stats *st)
{
	double n = (double)st->n, variance, stddev;

	if (st->n < 2)
		return 0.0;
	variance = st->m2 / (n - 1);
	stddev = sqrt(variance / n);
	return st->mean != 0.0 ? 100.0 * stddev / st->mean : 0.0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

u64 kvm_stats__percentile(struct kvm_stats *st, double p)
{
	size_t rank;

	if (!st->nr_durs)
		return 0;
	if (!st->durs_sorted) {
		qsort(st->durs, st->nr_durs, sizeof(*st->durs), cmp_u64);
		st->durs_sorted = true;
	}
	/* nearest rank: the smallest value with at least p% of values <= it */
	rank = (size_t)ceil(p / 100.0 * (double)st->nr_durs - 1e-9);
	if (rank < 1)
		rank = 1;
	if (rank > st->nr_durs)
		rank = st->nr_durs;
	return st->durs[rank - 1];
}

/* ---- tables --------------------------------------------------------------- */

static void table__init(struct kvm_stat_table *t, s64 pid, s64 vcpu)
{
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->vcpu = vcpu;
}

static void table__exit(struct kvm_stat_table *t)
{
	for (u32 i = 0; i < t->nr_rows; i++) {
		free(t->rows[i].stats.durs);
		free(t->rows[i].name);
	}
	free(t->rows);
	free(t->hash);
	free(t->sorted);
}

static u32 hash_u64(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (u32)x;
}

static u32 row_hash(u64 key, int info)
{
	return hash_u64(key * 31 + (u64)(u32)info);
}

static void table__rehash(struct kvm_stat_table *t)
{
	u32 size = t->hash_size ? t->hash_size * 2 : 64;

	free(t->hash);
	t->hash = xcalloc(size, sizeof(*t->hash));
	t->hash_size = size;
	for (u32 i = 0; i < t->nr_rows; i++) {
		u32 h = row_hash(t->rows[i].key, t->rows[i].info) & (size - 1);

		while (t->hash[h])
			h = (h + 1) & (size - 1);
		t->hash[h] = i + 1;
	}
}

static u32 table__findnew(struct kvm_stat_table *t, u64 key, int info, u32 *seq)
{
	u32 h, idx;
	struct kvm_stat_row *row;

	if (t->hash_size) {
		h = row_hash(key, info) & (t->hash_size - 1);
		while ((idx = t->hash[h])) {
			row = &t->rows[idx - 1];
			if (row->key == key && row->info == info)
				return idx - 1;
			h = (h + 1) & (t->hash_size - 1);
		}
	}
	if ((t->nr_rows + 1) * 2 > t->hash_size)
		table__rehash(t);
	ALLOC_GROW(t->rows, t->nr_rows + 1, t->alloc_rows);
	idx = t->nr_rows++;
	row = &t->rows[idx];
	memset(row, 0, sizeof(*row));
	row->key = key;
	row->info = info;
	row->seq = (*seq)++;
	kvm_stats__init(&row->stats);
	h = row_hash(key, info) & (t->hash_size - 1);
	while (t->hash[h])
		h = (h + 1) & (t->hash_size - 1);
	t->hash[h] = idx + 1;
	return idx;
}

/* table__findnew() on kvm->all, once per begin event: a cache first */
static u32 all__findnew(struct kvm_stat *kvm, u64 key, int info)
{
	struct row_cache *slot = &kvm->all_cache[((key * 0x9e3779b97f4a7c15ULL) >> 56) ^ (u8)info];
	u32 idx;

	if (slot->row && slot->key == key && slot->info == info)
		return slot->row - 1;
	idx = table__findnew(&kvm->all, key, info, &kvm->seq);
	slot->key = key;
	slot->info = info;
	slot->row = idx + 1;
	return idx;
}

static struct kvm_stat_table *groups__findnew(struct kvm_stat_table **arr, u32 *nr, u32 *alloc,
					      s64 pid, s64 vcpu)
{
	/* few groups (VMs x vCPUs) and the last one is usually hit: linear is fine */
	for (u32 i = *nr; i-- > 0;)
		if ((*arr)[i].pid == pid && (*arr)[i].vcpu == vcpu)
			return &(*arr)[i];
	ALLOC_GROW(*arr, *nr + 1, *alloc);
	table__init(&(*arr)[*nr], pid, vcpu);
	return &(*arr)[(*nr)++];
}

/* ---- threads ---------------------------------------------------------------- */

static void threads__rehash(struct kvm_stat *kvm)
{
	u32 size = kvm->thread_hash_size ? kvm->thread_hash_size * 2 : 64;

	free(kvm->thread_hash);
	kvm->thread_hash = xcalloc(size, sizeof(*kvm->thread_hash));
	kvm->thread_hash_size = size;
	for (u32 i = 0; i < kvm->nr_threads; i++) {
		u32 h = hash_u64(kvm->threads[i].tid) & (size - 1);

		while (kvm->thread_hash[h])
			h = (h + 1) & (size - 1);
		kvm->thread_hash[h] = i + 1;
	}
}

static struct vcpu_rec *thread__findnew(struct kvm_stat *kvm, u32 pid, u32 tid)
{
	u32 h, idx;
	struct vcpu_rec *rec;

	u32 *slot = &kvm->thread_cache[tid & (ARRAY_SIZE(kvm->thread_cache) - 1)];

	if (*slot && kvm->threads[*slot - 1].tid == tid)
		return &kvm->threads[*slot - 1];
	if (kvm->thread_hash_size) {
		h = hash_u64(tid) & (kvm->thread_hash_size - 1);
		while ((idx = kvm->thread_hash[h])) {
			if (kvm->threads[idx - 1].tid == tid) {
				*slot = idx;
				return &kvm->threads[idx - 1];
			}
			h = (h + 1) & (kvm->thread_hash_size - 1);
		}
	}
	if ((kvm->nr_threads + 1) * 2 > kvm->thread_hash_size)
		threads__rehash(kvm);
	ALLOC_GROW(kvm->threads, kvm->nr_threads + 1, kvm->alloc_threads);
	idx = kvm->nr_threads++;
	rec = &kvm->threads[idx];
	memset(rec, 0, sizeof(*rec));
	rec->tid = tid;
	rec->pid = pid;
	rec->last_row = NO_ROW;
	h = hash_u64(tid) & (kvm->thread_hash_size - 1);
	while (kvm->thread_hash[h])
		h = (h + 1) & (kvm->thread_hash_size - 1);
	kvm->thread_hash[h] = idx + 1;
	*slot = idx + 1;
	return rec;
}

/* ---- lifecycle ------------------------------------------------------------- */

struct kvm_stat *kvm_stat__new(const struct kvm_stat_opts *opts)
{
	struct kvm_stat *kvm = xzalloc(sizeof(*kvm));

	kvm->opts = *opts;
	table__init(&kvm->all, -1, -1);
	table__init(&kvm->fb_all, -1, -1);
	/* what is_begin() and is_end() can say yes to, for this report */
	kvm->paired_kinds = 1u << KVM_TP_ENTRY;
	switch (opts->report) {
	case KVM_REPORT_VMEXIT:
		kvm->paired_kinds |= 1u << KVM_TP_EXIT;
		break;
	case KVM_REPORT_MMIO:
		kvm->paired_kinds |= 1u << KVM_TP_EXIT | 1u << KVM_TP_MMIO;
		break;
	case KVM_REPORT_IOPORT:
		kvm->paired_kinds |= 1u << KVM_TP_PIO;
		break;
	case KVM_REPORT_MSR:
		kvm->paired_kinds |= 1u << KVM_TP_MSR;
		break;
	}
	return kvm;
}

void kvm_stat__delete(struct kvm_stat *kvm)
{
	if (!kvm)
		return;
	table__exit(&kvm->all);
	table__exit(&kvm->fb_all);
	for (u32 i = 0; i < kvm->nr_groups; i++)
		table__exit(&kvm->groups[i]);
	for (u32 i = 0; i < kvm->nr_fb_groups; i++)
		table__exit(&kvm->fb_groups[i]);
	free(kvm->groups);
	free(kvm->fb_groups);
	free(kvm->threads);
	free(kvm->thread_hash);
	free(kvm->evinfo);
	for (u32 i = 0; i < kvm->nr_comms; i++)
		free(kvm->comms[i].comm);
	free(kvm->comms);
	free(kvm->view_groups);
	free(kvm);
}

enum kvm_tp_kind kvm_tp_kind__from_name(const char *name)
{
	if (!name || strncmp(name, "kvm:", 4))
		return KVM_TP_NONE;
	for (int k = KVM_TP_ENTRY; k <= KVM_TP_USERSPACE_EXIT; k++)
		if (!strcmp(name, tp_names[k]))
			return k;
	return KVM_TP_OTHER;
}

const char *kvm_tp_kind__name(enum kvm_tp_kind kind)
{
	return kind < KVM_TP_NR ? tp_names[kind] : "?";
}

void kvm_stat__comm(struct kvm_stat *kvm, u32 pid, const char *comm)
{
	for (u32 i = 0; i < kvm->nr_comms; i++) {
		if (kvm->comms[i].pid == pid) {
			free(kvm->comms[i].comm);
			kvm->comms[i].comm = xstrdup(comm);
			return;
		}
	}
	ALLOC_GROW(kvm->comms, kvm->nr_comms + 1, kvm->alloc_comms);
	kvm->comms[kvm->nr_comms].pid = pid;
	kvm->comms[kvm->nr_comms++].comm = xstrdup(comm);
}

const char *kvm_stat__comm_of(const struct kvm_stat *kvm, u32 pid)
{
	for (u32 i = 0; i < kvm->nr_comms; i++)
		if (kvm->comms[i].pid == pid)
			return kvm->comms[i].comm;
	return NULL;
}

/* is this field needed by the report for this tracepoint kind? */
static bool field_needed(enum kvm_stat_report report, enum kvm_tp_kind kind)
{
	switch (kind) {
	case KVM_TP_ENTRY:
		return false; /* vcpu_id: perf reads a missing one as 0 */
	case KVM_TP_EXIT:
		return report == KVM_REPORT_VMEXIT;
	case KVM_TP_MMIO:
		return report == KVM_REPORT_MMIO;
	case KVM_TP_PIO:
		return report == KVM_REPORT_IOPORT;
	case KVM_TP_MSR:
		return report == KVM_REPORT_MSR;
	default:
		return false;
	}
}

int kvm_stat__setup_evlist(struct kvm_stat *kvm, const struct evlist *evlist, const char *path)
{
	free(kvm->evinfo);
	kvm->nr_evinfo = evlist->nr;
	kvm->evinfo = xcalloc(evlist->nr ? evlist->nr : 1, sizeof(*kvm->evinfo));
	for (int i = 0; i < evlist->nr; i++) {
		const struct evsel *evsel = evlist->entries[i];
		struct evsel_info *info = &kvm->evinfo[i];
		enum kvm_tp_kind kind;

		if (evsel->attr.type != PERF_TYPE_TRACEPOINT)
			continue;
		kind = kvm_tp_kind__from_name(evsel->name);
		info->kind = kind;
		info->name = evsel->name;
		if (kind == KVM_TP_NONE)
			continue;
		for (int f = 0; f < 2; f++) {
			const char *fname = tp_fields[kind][f];

			if (!fname)
				continue;
			if (evsel->tp_format)
				info->field[f] = tep_find_field(evsel->tp_format, fname);
			if (info->field[f] && info->field[f]->size > 8)
				info->field[f] = NULL;
			if (info->field[f]) {
				struct tep_handle *tep = evsel->tp_format->tep;

				info->off[f] = (u32)info->field[f]->offset;
				info->size[f] = (u32)info->field[f]->size;
				info->swap = tep_is_file_bigendian(tep) != tep_is_local_bigendian(tep);
				continue;
			}
			if (field_needed(kvm->opts.report, kind))
				return kp_error(KP_ERR_MISSING_FIELD,
						"'%s': tracepoint %s has no usable field '%s' in its "
						"format (recorded by an incompatible kernel?)",
						path, info->name, fname);
			if (kind == KVM_TP_ENTRY)
				pr_warning("'%s': %s has no field 'vcpu_id'; every vCPU counts "
					   "as vCPU 0 (as perf does)",
					   path, info->name);
		}
		info->peek_ok = true;
		for (int f = 0; f < 2; f++) {
			u32 sz = info->size[f];

			if (!info->field[f])
				continue;
			if (sz != 1 && sz != 2 && sz != 4 && sz != 8)
				info->peek_ok = false;
			info->peek_need = kp_max(info->peek_need, info->off[f] + sz);
		}
	}
	return 0;
}

static __attribute__((noinline, cold)) int field_error(const struct evsel_info *info, int f,
							const struct perf_sample *sample)
{
	const struct tep_format_field *field = info->field[f];

	if (!sample->raw_data || (u64)info->off[f] + info->size[f] > sample->raw_size)
		return kp_error(KP_ERR_MISSING_FIELD,
				"%s sample at time %llu: raw data of %u bytes is too short for "
				"field '%s' (offset %d, size %d)",
				info->name, (unsigned long long)sample->time, sample->raw_size,
				field->name, field->offset, field->size);
	return kp_error(KP_ERR_MISSING_FIELD, "%s: field '%s' has an unreadable size %d",
			info->name, field->name, field->size);
}

/*
 * field @f of @raw, whose place and size (1, 2, 4 or 8) were checked: as
 * libtraceevent reads it, in the file's byte order, of the format's size
 */
static inline u64 field_value(const struct evsel_info *info, int f, const u8 *raw)
{
	const u8 *p = raw + info->off[f];

	if (!info->field[f])
		return 0;
	switch (info->size[f]) {
	case 1:
		return *p;
	case 2: {
		u16 v;

		__builtin_memcpy(&v, p, 2);
		return info->swap ? __builtin_bswap16(v) : v;
	}
	case 4: {
		u32 v;

		__builtin_memcpy(&v, p, 4);
		return info->swap ? __builtin_bswap32(v) : v;
	}
	default: {
		u64 v;

		__builtin_memcpy(&v, p, 8);
		return info->swap ? __builtin_bswap64(v) : v;
	}
	}
}

static inline int read_field(const struct evsel_info *info, int f,
			     const struct perf_sample *sample, u64 *val)
{
	*val = 0;
	if (!info->field[f])
		return 0;
	if (!sample->raw_data || (u64)info->off[f] + info->size[f] > sample->raw_size)
		return field_error(info, f, sample);
	if (info->size[f] != 1 && info->size[f] != 2 && info->size[f] != 4 && info->size[f] != 8)
		return field_error(info, f, sample);
	*val = field_value(info, f, sample->raw_data);
	return 0;
}
int kvm_stat__decode(const struct kvm_stat *kvm, const struct evsel *evsel,
		     const struct perf_sample *sample, struct kvm_stat_event *ev)
{
	const struct evsel_info *info;
	int err;

	if (evsel->idx < 0 || evsel->idx >= kvm->nr_evinfo)
		return 0;
	info = &kvm->evinfo[evsel->idx];
	if (info->kind == KVM_TP_NONE)
		return 0;
	ev->kind = info->kind;
	ev->pid = sample->pid;
	ev->tid = sample->tid;
	ev->time = sample->time;
	err = read_field(info, 0, sample, &ev->a);
	if (!err)
		err = read_field(info, 1, sample, &ev->b);
	return err ? err : 1;
}

int kvm_stat__sample(struct kvm_stat *kvm, const struct evsel *evsel,
		     const struct perf_sample *sample)
{
	struct kvm_stat_event ev;
	int ret = kvm_stat__decode(kvm, evsel, sample, &ev);

	if (ret <= 0)
		return ret;
	kvm_stat__event(kvm, &ev);
	return 0;
}


static bool pid_wanted(const struct kvm_stat *kvm, u32 pid);

int kvm_stat__peek(struct kvm_stat *kvm, const struct evsel *evsel,
		   const struct perf_sample *sample, u64 payload[3])
{
	const struct evsel_info *info;
	u64 a, b;

	if ((u32)evsel->idx >= (u32)kvm->nr_evinfo)
		return 0;
	info = &kvm->evinfo[evsel->idx];
	/* anything kvm_stat__decode() would fail on or ignore takes the ordinary way */
	if (info->kind == KVM_TP_NONE || !info->peek_ok ||
	    (info->peek_need && (!sample->raw_data || sample->raw_size < info->peek_need)))
		return 0;
	a = field_value(info, 0, sample->raw_data);
	b = field_value(info, 1, sample->raw_data);
	if (a > UINT32_MAX)
		return 0;
	/*
	 * Once a kvm_entry that passes the filters is on its way to the model,
	 * seen_entry will be true when the tables are made: an event that can
	 * neither begin nor end an interval then changes nothing but its count
	 * (the access model and the thread it may create are never looked at).
	 */
	if (!(kvm->paired_kinds >> info->kind & 1) && kvm->peek_seen_entry) {
		if (pid_wanted(kvm, sample->pid))
			kvm->peek_nr_tp[info->kind]++;
		return 2;
	}
	payload[0] = (u64)sample->tid << 32 | sample->pid; /* as the record has it */
	payload[1] = (u64)info->kind << 32 | a;
	payload[2] = b;
	if (info->kind == KVM_TP_ENTRY && !kvm->peek_seen_entry && pid_wanted(kvm, sample->pid)) {
		kvm->peek_seen_entry = true;
		return 3; /* the counted-only kinds now count here */
	}
	return 1;
}

void kvm_stat__pack(struct kvm_stat *kvm, const struct evsel *evsel, struct sample_pack *pack)
{
	const struct evsel_info *info;

	pack->mode = SAMPLE_PACK_PEEK;
	if ((u32)evsel->idx >= (u32)kvm->nr_evinfo)
		return;
	info = &kvm->evinfo[evsel->idx];
	/* kvm_stat__peek() decides those sample by sample (pid filter, wide fields) */
	if (info->kind == KVM_TP_NONE || !info->peek_ok || info->swap || kvm->opts.nr_pids ||
	    (info->field[0] && info->size[0] > 4))
		return;
	pack->raw_need = info->peek_need;
	if (!(kvm->paired_kinds >> info->kind & 1) && kvm->peek_seen_entry) {
		pack->mode = SAMPLE_PACK_COUNT;
		pack->counter = &kvm->peek_nr_tp[info->kind];
		return;
	}
	/* the first kvm_entry goes to kvm_stat__peek(): it turns the counting on */
	if (info->kind == KVM_TP_ENTRY && !kvm->peek_seen_entry)
		return;
	pack->mode = SAMPLE_PACK_WORDS;
	pack->word[0].field = PERF_SAMPLE_TID;
	for (int f = 0; f < 2; f++) {
		if (!info->field[f])
			continue;
		pack->word[1 + f].off = info->off[f];
		pack->word[1 + f].size = info->size[f];
	}
	pack->word[1].or = (u64)info->kind << 32;
}

/* ---- the model ----------------------------------------------------------------- */

static bool pid_wanted(const struct kvm_stat *kvm, u32 pid)
{
	if (!kvm->opts.nr_pids)
		return true;
	for (int i = 0; i < kvm->opts.nr_pids; i++)
		if (kvm->opts.pids[i] == pid)
			return true;
	return false;
}

/* begin/end predicates of perf's event ops; key INVALID_KEY = "no key" */
static bool is_begin(const struct kvm_stat *kvm, const struct kvm_stat_event *ev, u64 *key,
		     int *info)
{
	*key = INVALID_KEY;
	*info = 0;
	switch (kvm->opts.report) {
	case KVM_REPORT_VMEXIT:
		if (ev->kind != KVM_TP_EXIT)
			return false;
		*key = ev->a;
		return true;
	case KVM_REPORT_MMIO:
		if (ev->kind == KVM_TP_EXIT)
			return true;
		if (ev->kind == KVM_TP_MMIO && ev->a == KVM_MMIO_WRITE) {
			*key = ev->b;
			*info = (int)ev->a;
			return true;
		}
		return false;
	case KVM_REPORT_IOPORT:
		if (ev->kind != KVM_TP_PIO)
			return false;
		*key = ev->b;
		*info = (int)ev->a;
		return true;
	case KVM_REPORT_MSR:
		if (ev->kind != KVM_TP_MSR)
			return false;
		*key = ev->b;
		*info = (int)ev->a;
		return true;
	}
	return false;
}

static bool is_end(const struct kvm_stat *kvm, const struct kvm_stat_event *ev, u64 *key, int *info)
{
	*key = INVALID_KEY;
	*info = 0;
	if (ev->kind == KVM_TP_ENTRY)
		return true;
	if (kvm->opts.report == KVM_REPORT_MMIO && ev->kind == KVM_TP_MMIO &&
	    ev->a == KVM_MMIO_READ) {
		*key = ev->b;
		*info = (int)ev->a;
		return true;
	}
	return false;
}

static void account(struct kvm_stat *kvm, struct kvm_stat_table *all,
		    struct kvm_stat_table **groups, u32 *nr_groups, u32 *alloc_groups, u32 row_idx,
		    const struct vcpu_rec *rec, s64 vcpu, u64 diff, bool timed)
{
	struct kvm_stat_row *row = &all->rows[row_idx];
	bool keep = kvm->opts.percentiles;
	u64 key = row->key;
	int info = row->info;

	row->count++;
	all->total_count++;
	if (timed) {
		kvm_stats__update(&row->stats, diff, keep);
		all->total_time += diff;
	}
	for (int g = 0; g < 2; g++) {
		struct kvm_stat_table *t;
		struct kvm_stat_row *grow;
		u32 idx;

		if (g == 0 && !kvm->opts.per_vm)
			continue;
		if (g == 1 && !kvm->opts.per_vcpu)
			continue;
		t = groups__findnew(groups, nr_groups, alloc_groups, rec->pid, g ? vcpu : -1);
		idx = table__findnew(t, key, info, &kvm->seq); /* may move t->rows */
		grow = &t->rows[idx];
		grow->count++;
		t->total_count++;
		if (timed) {
			kvm_stats__update(&grow->stats, diff, keep);
			t->total_time += diff;
		}
	}
}

static void report_slow(struct kvm_stat *kvm, const struct vcpu_rec *rec, s64 vcpu,
			const struct kvm_stat_row *row, u64 time, u64 diff, bool access)
{
	struct kvm_stat_slow s;

	if (!kvm->opts.slow || !kvm->opts.duration_ns || diff <= kvm->opts.duration_ns)
		return;
	s.pid = rec->pid;
	s.vcpu = vcpu;
	s.time = time;
	s.key = row->key;
	s.info = row->info;
	s.diff = diff;
	s.access = access;
	kvm->opts.slow(kvm->opts.slow_arg, &s);
}

static void handle_end(struct kvm_stat *kvm, struct vcpu_rec *rec, u64 key, int info, u64 time)
{
	u32 row = rec->last_row;
	u64 begin = rec->start_time;

	if (!begin)
		return; /* the begin event was not seen */
	if (row == NO_ROW && key == INVALID_KEY)
		return; /* neither begin nor end knew the key */
	if (row == NO_ROW)
		row = all__findnew(kvm, key, info);
	rec->last_row = NO_ROW;
	rec->start_time = 0;
	if (time < begin)
		return; /* perf: "End time before begin time; skipping event." */
	account(kvm, &kvm->all, &kvm->groups, &kvm->nr_groups, &kvm->alloc_groups, row, rec,
		rec->vcpu_id, time - begin, true);
	report_slow(kvm, rec, rec->vcpu_id, &kvm->all.rows[row], time, time - begin, false);
}

/* the fallback: count accesses, time them up to an immediate return to the VMM */
static void access_model(struct kvm_stat *kvm, struct vcpu_rec *rec,
			 const struct kvm_stat_event *ev)
{
	enum kvm_stat_report report = kvm->opts.report;
	bool counts = false, starts = false;
	u64 key = 0;
	int info = 0;
	u32 row;

	if (rec->fb_pending) {
		rec->fb_pending = false;
		if (ev->kind == KVM_TP_USERSPACE_EXIT && ev->time >= rec->fb_start &&
		    ev->a == rec->fb_exit_reason) {
			u64 diff = ev->time - rec->fb_start;
			struct kvm_stat_row *r = &kvm->fb_all.rows[rec->fb_row];

			kvm_stats__update(&r->stats, diff, kvm->opts.percentiles);
			kvm->fb_all.total_time += diff;
			report_slow(kvm, rec, rec->tid, r, ev->time, diff, true);
			for (u32 g = 0; g < kvm->nr_fb_groups; g++) {
				struct kvm_stat_table *t = &kvm->fb_groups[g];
				struct kvm_stat_row *gr;
				u32 idx;

				if (t->pid != rec->pid || (t->vcpu != -1 && t->vcpu != rec->tid))
					continue;
				idx = table__findnew(t, r->key, r->info, &kvm->seq);
				gr = &t->rows[idx];
				kvm_stats__update(&gr->stats, diff, kvm->opts.percentiles);
				t->total_time += diff;
			}
		}
	}
	switch (ev->kind) {
	case KVM_TP_PIO:
		if (report != KVM_REPORT_IOPORT)
			return;
		key = ev->b;
		info = (int)ev->a;
		counts = starts = true;
		break;
	case KVM_TP_MSR:
		if (report != KVM_REPORT_MSR)
			return;
		key = ev->b;
		info = (int)ev->a;
		counts = starts = true;
		break;
	case KVM_TP_MMIO:
		if (report != KVM_REPORT_MMIO)
			return;
		key = ev->b;
		if (ev->a == KVM_MMIO_WRITE) {
			info = KVM_MMIO_WRITE;
			counts = starts = true;
		} else if (ev->a == KVM_MMIO_READ) {
			info = KVM_MMIO_READ;
			counts = true;
		} else if (ev->a == KVM_MMIO_UNSATISFIED_READ) {
			info = KVM_MMIO_READ;
			starts = true;
		}
		break;
	default:
		return;
	}
	row = table__findnew(&kvm->fb_all, key, info, &kvm->seq);
	if (counts)
		account(kvm, &kvm->fb_all, &kvm->fb_groups, &kvm->nr_fb_groups,
			&kvm->alloc_fb_groups, row, rec, rec->tid, 0, false);
	if (starts) {
		rec->fb_exit_reason = report == KVM_REPORT_IOPORT ? KVM_EXIT_IO :
				      report == KVM_REPORT_MMIO	  ? KVM_EXIT_MMIO :
				      info			  ? KVM_EXIT_X86_WRMSR :
								    KVM_EXIT_X86_RDMSR;
		rec->fb_pending = true;
		rec->fb_row = row;
		rec->fb_start = ev->time;
	}
}

static inline void __kvm_stat__event(struct kvm_stat *kvm, const struct kvm_stat_event *ev);

void kvm_stat__event(struct kvm_stat *kvm, const struct kvm_stat_event *ev)
{
	__kvm_stat__event(kvm, ev);
}

/*
 * The common case of a paired report as a tight loop (kvm_stat__event_packed()):
 * no filter, no breakdown, no percentiles, no slow callback, a kvm_entry seen,
 * and each event a begin (@begin_kind) or a kvm_entry of a thread already known
 * as a vCPU.  It stops at anything else, which the general model takes.
 *
 * The Welford part of each update (a division whose latency chains the updates
 * of a row) is queued in time order and done after the loop, where the updates
 * of different rows overlap: the loop was twice as slow with it inline.
 */
static bool fast_ok(const struct kvm_stat *kvm)
{
	const struct kvm_stat_opts *o = &kvm->opts;

	return o->report != KVM_REPORT_MMIO && !o->nr_pids && o->vcpu == -1 && !o->per_vm &&
	       !o->per_vcpu && !o->percentiles && !o->slow && kvm->seen_entry;
}

static size_t fast_run(struct kvm_stat *kvm, const struct packed_sample *s, size_t n)
{
	const bool vmexit = kvm->opts.report == KVM_REPORT_VMEXIT;
	const u32 begin_kind = vmexit				     ? KVM_TP_EXIT :
			       kvm->opts.report == KVM_REPORT_IOPORT ? KVM_TP_PIO :
								       KVM_TP_MSR;
	struct kvm_stat_table *all = &kvm->all;
	/* counters in locals: in memory, each event would wait for the last one's store */
	u64 nr_begin = 0, nr_entry = 0, total_count = 0, total_time = 0;
	u32 nr_pend = 0;
	size_t i;

	for (i = 0; i < n && nr_pend < ARRAY_SIZE(kvm->pend); i++) {
		u32 kind = (u32)(s[i].payload[1] >> 32);
		u32 tid = (u32)(s[i].payload[0] >> 32);
		u32 slot = kvm->thread_cache[tid & (ARRAY_SIZE(kvm->thread_cache) - 1)];
		struct vcpu_rec *rec;

		if (!slot)
			break;
		rec = &kvm->threads[slot - 1];
		if (rec->tid != tid || !rec->is_vcpu)
			break;
		if (kind == begin_kind) {
			u32 a = (u32)s[i].payload[1];

			/* is_begin(): the exit reason, or the port / MSR with the direction */
			rec->last_row = vmexit ? all__findnew(kvm, a, 0) :
						 all__findnew(kvm, s[i].payload[2], (int)a);
			rec->start_time = s[i].time;
			nr_begin++;
		} else if (kind == KVM_TP_ENTRY) {
			u64 begin = rec->start_time, t = s[i].time;
			u32 row = rec->last_row;
			struct kvm_stat_row *r;

			/* handle_end() and account(), the Welford part queued */
			nr_entry++;
			if (!begin || row == NO_ROW)
				continue;
			rec->last_row = NO_ROW;
			rec->start_time = 0;
			if (t < begin)
				continue;
			r = &all->rows[row];
			r->count++;
			total_count++;
			stats__range(&r->stats, t - begin);
			total_time += t - begin;
			kvm->pend[nr_pend].row = row;
			kvm->pend[nr_pend].ns = t - begin;
			nr_pend++;
		} else {
			break;
		}
	}
	kvm->nr_tp[begin_kind] += nr_begin;
	kvm->nr_tp[KVM_TP_ENTRY] += nr_entry;
	all->total_count += total_count;
	all->total_time += total_time;
	for (u32 k = 0; k < nr_pend; k++)
		stats__welford(&all->rows[kvm->pend[k].row].stats, kvm->pend[k].ns);
	return i;
}

void kvm_stat__event_packed(struct kvm_stat *kvm, const struct packed_sample *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct kvm_stat_event ev;

		if (fast_ok(kvm)) {
			i += fast_run(kvm, s + i, n - i);
			if (i == n)
				break;
		}
		ev.kind = (enum kvm_tp_kind)(s[i].payload[1] >> 32);
		ev.pid = (u32)s[i].payload[0];
		ev.tid = (u32)(s[i].payload[0] >> 32);
		ev.time = s[i].time;
		ev.a = (u32)s[i].payload[1];
		ev.b = s[i].payload[2];
		__kvm_stat__event(kvm, &ev);
	}
}

static inline void __kvm_stat__event(struct kvm_stat *kvm, const struct kvm_stat_event *ev)
{
	struct vcpu_rec *rec;
	u64 key;
	int info;

	if (ev->kind == KVM_TP_NONE || !pid_wanted(kvm, ev->pid))
		return;
	kvm->nr_tp[ev->kind]++;
	if (ev->kind == KVM_TP_ENTRY)
		kvm->seen_entry = true;
	/*
	 * Once the access model is out of the picture, an event that can
	 * neither begin nor end an interval changes nothing but its count
	 * (about half of the events, for a report on one kind of access).
	 */
	if (kvm->seen_entry && !(kvm->paired_kinds >> ev->kind & 1))
		return;
	rec = thread__findnew(kvm, ev->pid, ev->tid);
	/* once a kvm_entry was seen the fallback can no longer be chosen */
	if (!kvm->seen_entry)
		access_model(kvm, rec, ev);

	/* perf's per_vcpu_record(): only kvm_entry creates the vcpu record */
	if (!rec->is_vcpu) {
		if (ev->kind != KVM_TP_ENTRY)
			return;
		rec->is_vcpu = true;
		rec->vcpu_id = (int)(u32)ev->a;
		rec->pid = ev->pid;
	}
	if (kvm->opts.vcpu != -1 && kvm->opts.vcpu != rec->vcpu_id)
		return;
	if (is_begin(kvm, ev, &key, &info)) {
		rec->last_row = key != INVALID_KEY ? all__findnew(kvm, key, info) : NO_ROW;
		rec->start_time = ev->time;
		return;
	}
	if (is_end(kvm, ev, &key, &info))
		handle_end(kvm, rec, key, info, ev->time);
}

/* ---- view ------------------------------------------------------------------------ */

bool kvm_stat__key_name(const struct kvm_stat *kvm, u64 key, int info, char *buf, size_t size)
{
	bool known = true;

	switch (kvm->opts.report) {
	case KVM_REPORT_VMEXIT:
		if (kvm->opts.reasons)
			known = exit_reason__format(kvm->opts.reasons, key, buf, size);
		else
			snprintf(buf, size, "%llu", (unsigned long long)key);
		break;
	case KVM_REPORT_MMIO:
		snprintf(buf, size, "%#llx:%s", (unsigned long long)key,
			 info == KVM_MMIO_WRITE ? "W" : "R");
		break;
	case KVM_REPORT_IOPORT:
		snprintf(buf, size, "%#llx:%s", (unsigned long long)key, info ? "POUT" : "PIN");
		break;
	case KVM_REPORT_MSR:
		snprintf(buf, size, "%#llx:%s", (unsigned long long)key, info ? "W" : "R");
		break;
	}
	return known;
}

enum kvm_stat_report kvm_stat__report(const struct kvm_stat *kvm)
{
	return kvm->opts.report;
}

static void row_decode(const struct kvm_stat *kvm, struct kvm_stat_row *row)
{
	char buf[64];

	row->known = kvm_stat__key_name(kvm, row->key, row->info, buf, sizeof(buf));
	row->name = xstrdup(buf);
}

static int cmp_u64_desc(u64 a, u64 b)
{
	return a > b ? -1 : a < b;
}

static int cmp_dbl_desc(double a, double b)
{
	return a > b ? -1 : a < b;
}

/* perf 6.1's tie order: its 4096-bucket cache walked in order, newest first per bucket */
static int cmp_perf61_order(const struct kvm_stat_row *a, const struct kvm_stat_row *b)
{
	u64 ba = a->key & PERF61_CACHE_MASK, bb = b->key & PERF61_CACHE_MASK;

	if (ba != bb)
		return ba < bb ? -1 : 1;
	return a->seq > b->seq ? -1 : a->seq < b->seq;
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
	const struct kvm_stat_row *a = *(const struct kvm_stat_row *const *)pa;
	const struct kvm_stat_row *b = *(const struct kvm_stat_row *const *)pb;
	enum kvm_stat_sort sort_key = *(const enum kvm_stat_sort *)arg;
	int c = 0;

	switch (sort_key) {
	case KVM_SORT_SAMPLE:
		c = cmp_u64_desc(a->count, b->count);
		break;
	case KVM_SORT_TIME:
		/* perf 6.1 compares the means converted to u64 (its getters return u64) */
		c = cmp_u64_desc((u64)a->stats.mean, (u64)b->stats.mean);
		break;
	case KVM_SORT_TOTAL:
		c = cmp_u64_desc(a->stats.time, b->stats.time);
		break;
	case KVM_SORT_MAX:
		c = cmp_u64_desc(a->stats.max, b->stats.max);
		break;
	case KVM_SORT_MIN:
		c = cmp_u64_desc(a->stats.n ? a->stats.min : 0, b->stats.n ? b->stats.min : 0);
		break;
	case KVM_SORT_MEAN:
		c = cmp_dbl_desc(a->stats.mean, b->stats.mean);
		break;
	case KVM_SORT_NAME:
		c = strcmp(a->name, b->name);
		break;
	}
	if (c)
		return c;
	if (sort_key == KVM_SORT_SAMPLE || sort_key == KVM_SORT_TIME)
		return cmp_perf61_order(a, b);
	/* perf 6.5+'s chain for the newer keys */
	if ((c = strcmp(a->name, b->name)))
		return c;
	if ((c = cmp_u64_desc(a->count, b->count)))
		return c;
	if ((c = cmp_u64_desc(a->stats.time, b->stats.time)))
		return c;
	if ((c = cmp_u64_desc(a->stats.max, b->stats.max)))
		return c;
	return cmp_perf61_order(a, b);
}

static void table__sort(struct kvm_stat *kvm, struct kvm_stat_table *t)
{
	free(t->sorted);
	t->sorted = xcalloc(t->nr_rows ? t->nr_rows : 1, sizeof(*t->sorted));
	t->nr_sorted = 0;
	for (u32 i = 0; i < t->nr_rows; i++) {
		struct kvm_stat_row *row = &t->rows[i];

		if (!row->name)
			row_decode(kvm, row);
		if (!row->count)
			continue; /* perf hides rows with no completed interval */
		if (!row->known)
			kvm->view.nr_unknown_rows += t == &kvm->all || t == &kvm->fb_all;
		t->sorted[t->nr_sorted++] = row;
	}
	qsort_r(t->sorted, t->nr_sorted, sizeof(*t->sorted), cmp_rows, &kvm->opts.sort);
}

static int cmp_groups(const void *pa, const void *pb)
{
	const struct kvm_stat_table *a = *(const struct kvm_stat_table *const *)pa;
	const struct kvm_stat_table *b = *(const struct kvm_stat_table *const *)pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->vcpu != b->vcpu)
		return a->vcpu < b->vcpu ? -1 : 1;
	return 0;
}

static const char *const titles[] = {
	[KVM_REPORT_VMEXIT] = "VM-EXIT",
	[KVM_REPORT_MMIO] = "MMIO Access",
	[KVM_REPORT_IOPORT] = "IO Port Access",
	[KVM_REPORT_MSR] = "MSR Access",
};

const struct kvm_stat_view *kvm_stat__view(struct kvm_stat *kvm)
{
	struct kvm_stat_view *v = &kvm->view;
	struct kvm_stat_table *groups;
	u32 nr_groups;

	v->report = kvm->opts.report;
	v->title = titles[kvm->opts.report];
	v->vcpu = kvm->opts.vcpu;
	v->percentiles = kvm->opts.percentiles;
	v->reasons = kvm->opts.reasons;
	v->nr_unknown_rows = 0;
	for (int k = 0; k < KVM_TP_NR; k++)
		v->nr_tp[k] = kvm->nr_tp[k] + kvm->peek_nr_tp[k];
	/*
	 * The access fallback only when the data cannot feed perf's model at
	 * all (no kvm_entry anywhere): then perf prints an empty table.
	 */
	if (!kvm->seen_entry && kvm->opts.report != KVM_REPORT_VMEXIT) {
		v->mode = KVM_STAT_MODE_ACCESS;
		v->all = &kvm->fb_all;
		groups = kvm->fb_groups;
		nr_groups = kvm->nr_fb_groups;
	} else {
		v->mode = KVM_STAT_MODE_PAIRED;
		v->all = &kvm->all;
		groups = kvm->groups;
		nr_groups = kvm->nr_groups;
	}
	table__sort(kvm, v->all);
	free(kvm->view_groups);
	kvm->view_groups = xcalloc(nr_groups ? nr_groups : 1, sizeof(*kvm->view_groups));
	for (u32 i = 0; i < nr_groups; i++) {
		table__sort(kvm, &groups[i]);
		kvm->view_groups[i] = &groups[i];
	}
	qsort(kvm->view_groups, nr_groups, sizeof(*kvm->view_groups), cmp_groups);
	v->groups = kvm->view_groups;
	v->nr_groups = nr_groups;
	return v;
}

/* ---- live mode: reset, merge, aggregated input ------------------------------------------ */

static void table__reset(struct kvm_stat_table *t)
{
	for (u32 i = 0; i < t->nr_rows; i++) {
		struct kvm_stat_row *row = &t->rows[i];
		u64 *durs = row->stats.durs;
		size_t alloc = row->stats.alloc_durs;

		row->count = 0;
		kvm_stats__init(&row->stats);
		row->stats.durs = durs; /* keep the buffer for the next interval */
		row->stats.alloc_durs = alloc;
	}
	t->total_count = 0;
	t->total_time = 0;
	t->nr_sorted = 0;
}

void kvm_stat__reset(struct kvm_stat *kvm)
{
	table__reset(&kvm->all);
	table__reset(&kvm->fb_all);
	for (u32 i = 0; i < kvm->nr_groups; i++)
		table__reset(&kvm->groups[i]);
	for (u32 i = 0; i < kvm->nr_fb_groups; i++)
		table__reset(&kvm->fb_groups[i]);
	memset(kvm->nr_tp, 0, sizeof(kvm->nr_tp));
	memset(kvm->peek_nr_tp, 0, sizeof(kvm->peek_nr_tp));
}

/* Chan et al.'s pairwise update of Welford's mean and M2 */
static void kvm_stats__merge(struct kvm_stats *d, const struct kvm_stats *s, bool keep)
{
	double n, delta;

	if (!s->n)
		return;
	n = (double)(d->n + s->n);
	delta = s->mean - d->mean;
	d->m2 += s->m2 + delta * delta * (double)d->n * (double)s->n / n;
	d->mean += delta * (double)s->n / n;
	d->n += s->n;
	d->time += s->time;
	if (s->min < d->min)
		d->min = s->min;
	if (s->max > d->max)
		d->max = s->max;
	for (int b = 0; b < KVM_STAT_HIST_BUCKETS; b++)
		d->hist[b] += s->hist[b];
	if (keep && s->nr_durs) {
		ALLOC_GROW(d->durs, d->nr_durs + s->nr_durs, d->alloc_durs);
		memcpy(d->durs + d->nr_durs, s->durs, s->nr_durs * sizeof(*s->durs));
		d->nr_durs += s->nr_durs;
		d->durs_sorted = false;
	}
}

static void table__merge(struct kvm_stat *dst, struct kvm_stat_table *d,
			 const struct kvm_stat_table *s)
{
	for (u32 i = 0; i < s->nr_rows; i++) {
		const struct kvm_stat_row *sr = &s->rows[i];
		struct kvm_stat_row *dr;
		u32 idx;

		if (!sr->count && !sr->stats.n)
			continue;
		idx = table__findnew(d, sr->key, sr->info, &dst->seq); /* may move d->rows */
		dr = &d->rows[idx];
		dr->count += sr->count;
		kvm_stats__merge(&dr->stats, &sr->stats, dst->opts.percentiles);
	}
	d->total_count += s->total_count;
	d->total_time += s->total_time;
}

void kvm_stat__merge(struct kvm_stat *dst, const struct kvm_stat *src)
{
	table__merge(dst, &dst->all, &src->all);
	table__merge(dst, &dst->fb_all, &src->fb_all);
	for (u32 i = 0; i < src->nr_groups; i++) {
		const struct kvm_stat_table *s = &src->groups[i];

		table__merge(dst, groups__findnew(&dst->groups, &dst->nr_groups, &dst->alloc_groups,
						  s->pid, s->vcpu), s);
	}
	for (u32 i = 0; i < src->nr_fb_groups; i++) {
		const struct kvm_stat_table *s = &src->fb_groups[i];

		table__merge(dst, groups__findnew(&dst->fb_groups, &dst->nr_fb_groups,
						  &dst->alloc_fb_groups, s->pid, s->vcpu), s);
	}
	for (int k = 0; k < KVM_TP_NR; k++)
		dst->nr_tp[k] += src->nr_tp[k] + src->peek_nr_tp[k];
	dst->seen_entry |= src->seen_entry;
	for (u32 i = 0; i < src->nr_comms; i++)
		if (!kvm_stat__comm_of(dst, src->comms[i].pid))
			kvm_stat__comm(dst, src->comms[i].pid, src->comms[i].comm);
}

static void table__add(struct kvm_stat *kvm, struct kvm_stat_table *t, const struct kvm_stat_agg *a,
		       const struct kvm_stats *st)
{
	u32 idx = table__findnew(t, a->key, a->info, &kvm->seq); /* may move t->rows */
	struct kvm_stat_row *row = &t->rows[idx];

	row->count += a->count;
	kvm_stats__merge(&row->stats, st, false);
	t->total_count += a->count;
	t->total_time += a->time;
}

void kvm_stat__add(struct kvm_stat *kvm, const struct kvm_stat_agg *a)
{
	struct kvm_stats st;
	struct kvm_stat_table *all = a->access ? &kvm->fb_all : &kvm->all;

	if (!a->count && !a->n)
		return;
	kvm_stats__init(&st);
	if (a->n) {
		double n = (double)a->n, mean = (double)a->time / n;

		st.n = a->n;
		st.time = a->time;
		st.min = a->min;
		st.max = a->max;
		st.mean = mean;
		st.m2 = a->sumsq - (double)a->time * mean;
		if (st.m2 < 0)
			st.m2 = 0; /* rounding */
		if (a->hist)
			memcpy(st.hist, a->hist, sizeof(st.hist));
	}
	table__add(kvm, all, a, &st);
	for (int g = 0; g < 2; g++) {
		s64 vcpu = a->access ? (s64)a->tid : (s64)a->vcpu;
		struct kvm_stat_table *t;

		if ((g == 0 && !kvm->opts.per_vm) || (g == 1 && !kvm->opts.per_vcpu))
			continue;
		if (a->access)
			t = groups__findnew(&kvm->fb_groups, &kvm->nr_fb_groups,
					    &kvm->alloc_fb_groups, a->pid, g ? vcpu : -1);
		else
			t = groups__findnew(&kvm->groups, &kvm->nr_groups, &kvm->alloc_groups,
					    a->pid, g ? vcpu : -1);
		table__add(kvm, t, a, &st);
	}
}

void kvm_stat__add_tp(struct kvm_stat *kvm, enum kvm_tp_kind kind, u64 n)
{
	if (kind >= KVM_TP_NR)
		return;
	kvm->nr_tp[kind] += n;
	if (kind == KVM_TP_ENTRY && n)
		kvm->seen_entry = true;
}

int kvm_stat_report__parse(const char *s)
{
	static const char *const names[] = {
		[KVM_REPORT_VMEXIT] = "vmexit",
		[KVM_REPORT_MMIO] = "mmio",
		[KVM_REPORT_IOPORT] = "ioport",
		[KVM_REPORT_MSR] = "msr",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	return -1;
}

int kvm_stat_sort__parse(const char *s)
{
	static const struct {
		const char *name;
		enum kvm_stat_sort key;
	} keys[] = {
		{ "sample", KVM_SORT_SAMPLE }, { "time", KVM_SORT_TIME },
		{ "total", KVM_SORT_TOTAL },   { "total_t", KVM_SORT_TOTAL },
		{ "max", KVM_SORT_MAX },       { "max_t", KVM_SORT_MAX },
		{ "min", KVM_SORT_MIN },       { "min_t", KVM_SORT_MIN },
		{ "mean", KVM_SORT_MEAN },     { "mean_t", KVM_SORT_MEAN },
		{ "ev_name", KVM_SORT_NAME },  { "name", KVM_SORT_NAME },
	};

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(s, keys[i].name))
			return keys[i].key;
	return -1;
}
