// SPDX-License-Identifier: GPL-2.0
/*
 * evsel.c - events, the evlist, the sample-id hash and perf's event names.
 */
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "data/data-internal.h"
#include "util/util.h"

struct evsel_id_slot {
	u64 id;
	struct evsel *evsel; /* NULL: empty slot */
};

static const char *const hw_names[] = {
	"cycles", "instructions", "cache-references", "cache-misses", "branches",
	"branch-misses", "bus-cycles", "stalled-cycles-frontend", "stalled-cycles-backend",
	"ref-cycles",
};

static const char *const sw_names[] = {
	"cpu-clock", "task-clock", "page-faults", "context-switches", "cpu-migrations",
	"minor-faults", "major-faults", "alignment-faults", "emulation-faults", "dummy",
	"bpf-output", "cgroup-switches",
};

static const char *const hw_cache_names[] = {
	"L1-dcache", "L1-icache", "LLC", "dTLB", "iTLB", "branch", "node",
};

static const char *const hw_cache_ops[] = { "load", "store", "prefetch" };

u16 kp_id_hdr_size(u64 t)
{
	u16 n = 0;

	if (t & PERF_SAMPLE_TID)
		n += 8;
	if (t & PERF_SAMPLE_TIME)
		n += 8;
	if (t & PERF_SAMPLE_ID)
		n += 8;
	if (t & PERF_SAMPLE_STREAM_ID)
		n += 8;
	if (t & PERF_SAMPLE_CPU)
		n += 8;
	if (t & PERF_SAMPLE_IDENTIFIER)
		n += 8;
	return n;
}

struct evsel *evsel__new(const struct kp_attr *attr, int idx)
{
	struct evsel *evsel = xzalloc(sizeof(*evsel));

	evsel->attr = *attr;
	evsel->idx = idx;
	if (kp_attr_flag(attr, KP_ATTR_SAMPLE_ID_ALL))
		evsel->id_hdr_size = kp_id_hdr_size(attr->sample_type);
	return evsel;
}

void evsel__delete(struct evsel *evsel)
{
	if (!evsel)
		return;
	free(evsel->name);
	free(evsel->ids);
	free(evsel);
}

void evlist__init(struct evlist *evlist)
{
	memset(evlist, 0, sizeof(*evlist));
	evlist->id_pos = -1;
	evlist->is_pos = -1;
}

void evlist__exit(struct evlist *evlist)
{
	for (int i = 0; i < evlist->nr; i++)
		evsel__delete(evlist->entries[i]);
	free(evlist->entries);
	free(evlist->id_hash);
	evlist__init(evlist);
}

static inline size_t id_hash_fn(u64 id, size_t mask)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return (size_t)id & mask;
}

static size_t evlist__nr_ids(const struct evlist *evlist)
{
	size_t n = 0;

	for (int i = 0; i < evlist->nr; i++)
		n += evlist->entries[i]->nr_ids;
	return n;
}

static void id_hash_insert(struct evlist *evlist, u64 id, struct evsel *evsel)
{
	size_t mask = evlist->id_hash_size - 1;
	size_t i = id_hash_fn(id, mask);

	while (evlist->id_hash[i].evsel) {
		if (evlist->id_hash[i].id == id)
			return; /* first owner wins, like perf's first hash hit */
		i = (i + 1) & mask;
	}
	evlist->id_hash[i].id = id;
	evlist->id_hash[i].evsel = evsel;
}

static void evlist__rehash(struct evlist *evlist)
{
	size_t want = 16;
	size_t nr = evlist__nr_ids(evlist);

	while (want < nr * 2 + 2)
		want <<= 1;
	free(evlist->id_hash);
	evlist->id_hash = xcalloc(want, sizeof(*evlist->id_hash));
	evlist->id_hash_size = want;
	for (int i = 0; i < evlist->nr; i++) {
		struct evsel *e = evlist->entries[i];

		for (u32 j = 0; j < e->nr_ids; j++)
			id_hash_insert(evlist, e->ids[j], e);
	}
}

void evlist__add(struct evlist *evlist, struct evsel *evsel)
{
	ALLOC_GROW(evlist->entries, evlist->nr + 1, evlist->alloc);
	evsel->idx = evlist->nr;
	evlist->entries[evlist->nr++] = evsel;
	evlist__rehash(evlist);
}

void evlist__add_id(struct evlist *evlist, struct evsel *evsel, u64 id)
{
	for (u32 j = 0; j < evsel->nr_ids; j++)
		if (evsel->ids[j] == id)
			return;
	evsel->ids = xreallocarray(evsel->ids, evsel->nr_ids + 1, sizeof(u64));
	evsel->ids[evsel->nr_ids++] = id;
	if (evlist__nr_ids(evlist) * 2 + 2 > evlist->id_hash_size)
		evlist__rehash(evlist);
	else
		id_hash_insert(evlist, id, evsel);
}

static int calc_id_pos(u64 t)
{
	int idx = 0;

	if (t & PERF_SAMPLE_IDENTIFIER)
		return 0;
	if (!(t & PERF_SAMPLE_ID))
		return -1;
	if (t & PERF_SAMPLE_IP)
		idx++;
	if (t & PERF_SAMPLE_TID)
		idx++;
	if (t & PERF_SAMPLE_TIME)
		idx++;
	if (t & PERF_SAMPLE_ADDR)
		idx++;
	return idx;
}

static int calc_is_pos(u64 t)
{
	int idx = 1;

	if (t & PERF_SAMPLE_IDENTIFIER)
		return 1;
	if (!(t & PERF_SAMPLE_ID))
		return -1;
	if (t & PERF_SAMPLE_CPU)
		idx++;
	if (t & PERF_SAMPLE_STREAM_ID)
		idx++;
	return idx;
}

int evlist__check(struct evlist *evlist, const char *path)
{
	struct evsel *first;

	if (!evlist->nr)
		return 0;
	first = evlist->entries[0];
	evlist->id_pos = calc_id_pos(first->attr.sample_type);
	evlist->is_pos = calc_is_pos(first->attr.sample_type);
	evlist->sample_id_all = kp_attr_flag(&first->attr, KP_ATTR_SAMPLE_ID_ALL);
	for (int i = 0; i < evlist->nr; i++) {
		struct evsel *e = evlist->entries[i];

		e->id_hdr_size = kp_attr_flag(&e->attr, KP_ATTR_SAMPLE_ID_ALL) ?
					 kp_id_hdr_size(e->attr.sample_type) : 0;
	}
	if (evlist->nr == 1)
		goto read_format;
	for (int i = 0; i < evlist->nr; i++) {
		struct evsel *e = evlist->entries[i];
		u64 t = e->attr.sample_type;

		if (evlist->id_pos < 0 || evlist->is_pos < 0 || calc_id_pos(t) != evlist->id_pos ||
		    calc_is_pos(t) != evlist->is_pos)
			return kp_error(KP_ERR_UNSUPPORTED,
					"'%s': non matching sample_type: event %d has sample_type %#llx, "
					"event 0 %#llx (the sample id position must agree)",
					path, i, (unsigned long long)t,
					(unsigned long long)first->attr.sample_type);
		if ((bool)kp_attr_flag(&e->attr, KP_ATTR_SAMPLE_ID_ALL) != evlist->sample_id_all)
			return kp_error(KP_ERR_UNSUPPORTED,
					"'%s': non matching sample_id_all between event 0 and event %d",
					path, i);
	}
read_format:
	if ((first->attr.sample_type & PERF_SAMPLE_READ) &&
	    !(first->attr.read_format & PERF_FORMAT_ID))
		return kp_error(KP_ERR_UNSUPPORTED,
				"'%s': non matching read_format: PERF_SAMPLE_READ without "
				"PERF_FORMAT_ID", path);
	return 0;
}

struct evsel *evlist__find_by_id(const struct evlist *evlist, u64 id)
{
	size_t mask, i;

	if (evlist->nr == 1)
		return evlist->entries[0];
	if (!evlist->id_hash_size)
		return NULL;
	mask = evlist->id_hash_size - 1;
	i = id_hash_fn(id, mask);
	while (evlist->id_hash[i].evsel) {
		if (evlist->id_hash[i].id == id)
			return evlist->id_hash[i].evsel;
		i = (i + 1) & mask;
	}
	return NULL;
}

struct evsel *evlist__event2evsel(const struct evlist *evlist, const union perf_event *event)
{
	const u64 *array = (const u64 *)(&event->header + 1);
	size_t n = (event->header.size - sizeof(event->header)) >> 3;
	struct evsel *first;
	u64 id;

	if (evlist->nr <= 0)
		return NULL;
	first = evlist->entries[0];
	if (evlist->nr == 1)
		return first;
	if (!evlist->sample_id_all && event->header.type != PERF_RECORD_SAMPLE)
		return first;
	if (event->header.type >= PERF_RECORD_USER_TYPE_START)
		return first;
	if (event->header.type == PERF_RECORD_SAMPLE) {
		if (evlist->id_pos < 0 || (size_t)evlist->id_pos >= n)
			return NULL;
		id = array[evlist->id_pos];
	} else {
		if (evlist->is_pos < 0 || (size_t)evlist->is_pos > n)
			return NULL;
		id = array[n - evlist->is_pos];
	}
	/* synthesized records carry id 0 */
	if (!id)
		return first;
	return evlist__find_by_id(evlist, id);
}

static void add_modifiers(struct strbuf *sb, const struct kp_attr *a)
{
	size_t colon_at = 0;
	bool excl_guest_default = false;
	bool colon = false;

#define MOD(bit, c)                                                   \
	do {                                                          \
		if (!kp_attr_flag(a, bit)) {                          \
			if (!colon) {                                 \
				colon = true;                         \
				colon_at = sb->len;                   \
				strbuf_addch(sb, ':');                \
			}                                             \
			strbuf_addch(sb, c);                          \
		}                                                     \
	} while (0)

	if (kp_attr_flag(a, KP_ATTR_EXCLUDE_KERNEL) || kp_attr_flag(a, KP_ATTR_EXCLUDE_USER) ||
	    kp_attr_flag(a, KP_ATTR_EXCLUDE_HV)) {
		MOD(KP_ATTR_EXCLUDE_KERNEL, 'k');
		MOD(KP_ATTR_EXCLUDE_USER, 'u');
		MOD(KP_ATTR_EXCLUDE_HV, 'h');
		excl_guest_default = true;
	}
	if (kp_attr_precise_ip(a)) {
		if (!colon) {
			colon = true;
			colon_at = sb->len;
			strbuf_addch(sb, ':');
		}
		strbuf_addchars(sb, 'p', kp_attr_precise_ip(a));
		excl_guest_default = true;
	}
	if (kp_attr_flag(a, KP_ATTR_EXCLUDE_HOST) ||
	    (bool)kp_attr_flag(a, KP_ATTR_EXCLUDE_GUEST) == excl_guest_default) {
		MOD(KP_ATTR_EXCLUDE_HOST, 'H');
		MOD(KP_ATTR_EXCLUDE_GUEST, 'G');
	}
#undef MOD
	(void)colon_at;
}

/* the name perf derives from the attr alone (evsel__name() without a stored name) */
static char *evsel__derive_name(const struct kp_attr *a)
{
	struct strbuf sb = STRBUF_INIT;

	switch (a->type) {
	case PERF_TYPE_HARDWARE:
		strbuf_addstr(&sb, a->config < ARRAY_SIZE(hw_names) ? hw_names[a->config] :
								       "unknown-hardware");
		add_modifiers(&sb, a);
		break;
	case PERF_TYPE_SOFTWARE:
		strbuf_addstr(&sb, a->config < ARRAY_SIZE(sw_names) ? sw_names[a->config] :
								       "unknown-software");
		add_modifiers(&sb, a);
		break;
	case PERF_TYPE_HW_CACHE: {
		u64 type = a->config & 0xff, op = (a->config >> 8) & 0xff;
		u64 res = (a->config >> 16) & 0xff;

		if (type >= ARRAY_SIZE(hw_cache_names) || op >= ARRAY_SIZE(hw_cache_ops) ||
		    res > 1) {
			strbuf_addstr(&sb, "invalid-cache");
		} else if (res == 0) {
			strbuf_addf(&sb, "%s-%ss", hw_cache_names[type], hw_cache_ops[op]);
		} else {
			strbuf_addf(&sb, "%s-%s-misses", hw_cache_names[type], hw_cache_ops[op]);
		}
		add_modifiers(&sb, a);
		break;
	}
	case PERF_TYPE_RAW:
		strbuf_addf(&sb, "raw 0x%llx", (unsigned long long)a->config);
		add_modifiers(&sb, a);
		break;
	case PERF_TYPE_BREAKPOINT: {
		strbuf_addf(&sb, "mem:0x%llx:", (unsigned long long)a->config1);
		if (a->bp_type & 1)
			strbuf_addch(&sb, 'r');
		if (a->bp_type & 2)
			strbuf_addch(&sb, 'w');
		if (a->bp_type & 4)
			strbuf_addch(&sb, 'x');
		add_modifiers(&sb, a);
		break;
	}
	case PERF_TYPE_TRACEPOINT:
		strbuf_addstr(&sb, "unknown tracepoint");
		break;
	default:
		strbuf_addf(&sb, "unknown attr type: %u", a->type);
		break;
	}
	return strbuf_detach(&sb, NULL);
}

const char *evsel__name(const struct evsel *evsel)
{
	if (!evsel)
		return "unknown";
	if (!evsel->name) {
		/* cached on first use; the name is part of the evsel's lazily filled state */
		((struct evsel *)evsel)->name = evsel__derive_name(&evsel->attr);
	}
	return evsel->name;
}

int evsel__field(const struct evsel *evsel, const struct perf_sample *sample, const char *name,
		 u64 *val)
{
	struct tep_format_field *field;
	const u8 *p;

	if (!evsel->tp_format || !sample->raw_data)
		return kp_error(KP_ERR_MISSING_FIELD, "event '%s' has no tracepoint data for field '%s'",
				evsel__name(evsel), name);
	field = tep_find_field(evsel->tp_format, name);
	if (!field)
		field = tep_find_common_field(evsel->tp_format, name);
	if (!field)
		return kp_error(KP_ERR_MISSING_FIELD, "event '%s' has no field '%s'",
				evsel__name(evsel), name);
	if (field->size != 1 && field->size != 2 && field->size != 4 && field->size != 8)
		return kp_error(KP_ERR_MISSING_FIELD, "field '%s' of '%s' is %d bytes, not a number",
				name, evsel__name(evsel), field->size);
	if (field->offset < 0 || (u64)field->offset + (u64)field->size > sample->raw_size)
		return kp_error(KP_ERR_MISSING_FIELD,
				"field '%s' of '%s' (offset %d size %d) lies past the raw data "
				"(%u bytes)", name, evsel__name(evsel), field->offset, field->size,
				sample->raw_size);
	p = (const u8 *)sample->raw_data + field->offset;
	*val = tep_read_number(evsel->tp_format->tep, p, field->size);
	return 0;
}
