// SPDX-License-Identifier: GPL-2.0
/*
 * pprof.c - pprof profile.proto export (see pprof.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/perf_event.h>
#include <zlib.h>

#include "util/hash.h"
#include "util/util.h"
#include "ui/pprof.h"
#include "ui/profile.pb-c.h"

/*
 * One open-addressing table of u32 ids for every kind of object; the hash is
 * computed by the caller and equality checked through a callback.
 */
struct id_table {
	u32 *slots; /* id + 1, 0 = empty */
	u64 *hashes;
	size_t size, nr;
};

struct loc {
	u64 mapping_id, addr, function_id;
};

struct sample {
	u32 first, nr; /* in p->stack_pool */
	int value_idx;
	u64 count, period;
	s64 comm, pid, mode; /* string ids (pid: number) */
};

struct pprof {
	/* string table */
	char **strs;
	size_t nr_strs, alloc_strs;
	struct id_table str_ids;
	/* value types (type, unit string ids) */
	s64 vt[16][2];
	int nr_vt;
	/* mappings: filename string id */
	s64 *maps;
	size_t nr_maps, alloc_maps;
	struct id_table map_ids;
	/* functions: name, filename string ids */
	s64 (*funcs)[2];
	size_t nr_funcs, alloc_funcs;
	struct id_table func_ids;
	struct loc *locs;
	size_t nr_locs, alloc_locs;
	struct id_table loc_ids;
	struct sample *samples;
	size_t nr_samples, alloc_samples;
	struct id_table sample_ids;
	u64 *stack_pool;
	size_t nr_pool, alloc_pool;
	s64 key_comm, key_pid, key_mode;
	s64 time_nanos, duration_nanos;
	struct strbuf name;
};

static void id_table__init(struct id_table *t)
{
	t->size = 256;
	t->nr = 0;
	t->slots = xcalloc(t->size, sizeof(*t->slots));
	t->hashes = xcalloc(t->size, sizeof(*t->hashes));
}

static void id_table__exit(struct id_table *t)
{
	free(t->slots);
	free(t->hashes);
}

typedef bool (*id_eq_fn)(const struct pprof *p, u32 id, const void *key);

/* the id of an equal object, or -1 with *@slot where a new one goes */
static s64 id_table__find(const struct pprof *p, const struct id_table *t, u64 h, id_eq_fn eq,
			  const void *key, size_t *slot)
{
	size_t i = h & (t->size - 1);

	while (t->slots[i]) {
		if (t->hashes[i] == h && eq(p, t->slots[i] - 1, key))
			return t->slots[i] - 1;
		i = (i + 1) & (t->size - 1);
	}
	*slot = i;
	return -1;
}

static void id_table__insert(struct id_table *t, u64 h, size_t slot, u32 id)
{
	t->slots[slot] = id + 1;
	t->hashes[slot] = h;
	t->nr++;
	if (t->nr * 2 > t->size) {
		size_t nsize = t->size * 2;
		u32 *ns = xcalloc(nsize, sizeof(*ns));
		u64 *nh = xcalloc(nsize, sizeof(*nh));

		for (size_t i = 0; i < t->size; i++) {
			size_t j;

			if (!t->slots[i])
				continue;
			j = t->hashes[i] & (nsize - 1);
			while (ns[j])
				j = (j + 1) & (nsize - 1);
			ns[j] = t->slots[i];
			nh[j] = t->hashes[i];
		}
		free(t->slots);
		free(t->hashes);
		t->slots = ns;
		t->hashes = nh;
		t->size = nsize;
	}
}

static bool str_eq(const struct pprof *p, u32 id, const void *key)
{
	return !strcmp(p->strs[id], key);
}

static s64 pprof__str(struct pprof *p, const char *s)
{
	u64 h = kp_fnv1a64(KP_FNV64_SEED, s, strlen(s));
	size_t slot;
	s64 id = id_table__find(p, &p->str_ids, h, str_eq, s, &slot);

	if (id >= 0)
		return id;
	ALLOC_GROW(p->strs, p->nr_strs + 1, p->alloc_strs);
	p->strs[p->nr_strs] = xstrdup(s);
	id_table__insert(&p->str_ids, h, slot, (u32)p->nr_strs);
	return (s64)p->nr_strs++;
}

struct pprof *pprof__new(void)
{
	struct pprof *p = xcalloc(1, sizeof(*p));

	id_table__init(&p->str_ids);
	id_table__init(&p->map_ids);
	id_table__init(&p->func_ids);
	id_table__init(&p->loc_ids);
	id_table__init(&p->sample_ids);
	strbuf_init(&p->name, 64);
	pprof__str(p, ""); /* string_table[0] must be "" */
	p->vt[0][0] = pprof__str(p, "samples");
	p->vt[0][1] = pprof__str(p, "count");
	p->nr_vt = 1;
	p->key_comm = pprof__str(p, "comm");
	p->key_pid = pprof__str(p, "pid");
	p->key_mode = pprof__str(p, "mode");
	return p;
}

void pprof__delete(struct pprof *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nr_strs; i++)
		free(p->strs[i]);
	free(p->strs);
	free(p->maps);
	free(p->funcs);
	free(p->locs);
	free(p->samples);
	free(p->stack_pool);
	id_table__exit(&p->str_ids);
	id_table__exit(&p->map_ids);
	id_table__exit(&p->func_ids);
	id_table__exit(&p->loc_ids);
	id_table__exit(&p->sample_ids);
	strbuf_release(&p->name);
	free(p);
}

int pprof__add_value_type(struct pprof *p, const char *type, const char *unit)
{
	if (p->nr_vt >= (int)ARRAY_SIZE(p->vt))
		return p->nr_vt - 1; /* more events than columns: share the last one */
	p->vt[p->nr_vt][0] = pprof__str(p, type);
	p->vt[p->nr_vt][1] = pprof__str(p, unit);
	return p->nr_vt++;
}

void pprof__set_duration(struct pprof *p, s64 time_nanos, s64 duration_nanos)
{
	p->time_nanos = time_nanos;
	p->duration_nanos = duration_nanos;
}

static bool map_eq(const struct pprof *p, u32 id, const void *key)
{
	return p->maps[id] == *(const s64 *)key;
}

static bool func_eq(const struct pprof *p, u32 id, const void *key)
{
	const s64 *k = key;

	return p->funcs[id][0] == k[0] && p->funcs[id][1] == k[1];
}

static bool loc_eq(const struct pprof *p, u32 id, const void *key)
{
	const struct loc *k = key;

	return p->locs[id].mapping_id == k->mapping_id && p->locs[id].addr == k->addr &&
	       p->locs[id].function_id == k->function_id;
}

static u64 pprof__location(struct pprof *p, const struct pprof_frame *f)
{
	s64 file = pprof__str(p, f->dso ? f->dso : "[unknown]");
	s64 fkey[2];
	struct loc loc;
	size_t slot;
	s64 id;
	u64 h;

	/* mapping: one per DSO */
	h = kp_fnv1a64(KP_FNV64_SEED, &file, sizeof(file));
	id = id_table__find(p, &p->map_ids, h, map_eq, &file, &slot);
	if (id < 0) {
		ALLOC_GROW(p->maps, p->nr_maps + 1, p->alloc_maps);
		p->maps[p->nr_maps] = file;
		id_table__insert(&p->map_ids, h, slot, (u32)p->nr_maps);
		id = (s64)p->nr_maps++;
	}
	loc.mapping_id = (u64)id + 1;

	/* function: one per name and DSO */
	strbuf_reset(&p->name);
	if (f->cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		strbuf_addstr(&p->name, "[g] ");
	else if (f->cpumode == PERF_RECORD_MISC_GUEST_USER)
		strbuf_addstr(&p->name, "[u] ");
	if (f->name)
		strbuf_addstr(&p->name, f->name);
	else
		strbuf_addf(&p->name, "%#llx", (unsigned long long)f->addr);
	fkey[0] = pprof__str(p, p->name.buf);
	fkey[1] = file;
	h = kp_fnv1a64(KP_FNV64_SEED, fkey, sizeof(fkey));
	id = id_table__find(p, &p->func_ids, h, func_eq, fkey, &slot);
	if (id < 0) {
		ALLOC_GROW(p->funcs, p->nr_funcs + 1, p->alloc_funcs);
		p->funcs[p->nr_funcs][0] = fkey[0];
		p->funcs[p->nr_funcs][1] = fkey[1];
		id_table__insert(&p->func_ids, h, slot, (u32)p->nr_funcs);
		id = (s64)p->nr_funcs++;
	}
	loc.function_id = (u64)id + 1;
	loc.addr = f->addr;

	h = kp_fnv1a64(KP_FNV64_SEED, &loc, sizeof(loc));
	id = id_table__find(p, &p->loc_ids, h, loc_eq, &loc, &slot);
	if (id < 0) {
		ALLOC_GROW(p->locs, p->nr_locs + 1, p->alloc_locs);
		p->locs[p->nr_locs] = loc;
		id_table__insert(&p->loc_ids, h, slot, (u32)p->nr_locs);
		id = (s64)p->nr_locs++;
	}
	return (u64)id + 1;
}

struct sample_key {
	const struct sample *s;
	const u64 *stack;
};

static bool sample_eq(const struct pprof *p, u32 id, const void *key)
{
	const struct sample_key *k = key;
	const struct sample *a = &p->samples[id];

	return a->nr == k->s->nr && a->value_idx == k->s->value_idx && a->comm == k->s->comm &&
	       a->pid == k->s->pid && a->mode == k->s->mode &&
	       !memcmp(p->stack_pool + a->first, k->stack, a->nr * sizeof(u64));
}

static const char *mode_name(u8 cpumode)
{
	switch (cpumode) {
	case PERF_RECORD_MISC_KERNEL:
		return "host_kernel";
	case PERF_RECORD_MISC_USER:
		return "host_user";
	case PERF_RECORD_MISC_GUEST_KERNEL:
		return "guest_kernel";
	case PERF_RECORD_MISC_GUEST_USER:
		return "guest_user";
	case PERF_RECORD_MISC_HYPERVISOR:
		return "hypervisor";
	default:
		return "unknown";
	}
}

void pprof__add_sample(struct pprof *p, const struct pprof_frame *frames, u32 nr, int value_idx,
		       u64 period, const char *comm, s64 pid, u8 cpumode)
{
	struct sample s = {
		.value_idx = value_idx,
		.comm = pprof__str(p, comm ? comm : ""),
		.pid = pid,
		.mode = pprof__str(p, mode_name(cpumode)),
	};
	struct sample_key key;
	size_t base = p->nr_pool, slot;
	s64 id;
	u64 h;

	ALLOC_GROW(p->stack_pool, p->nr_pool + nr + 1, p->alloc_pool);
	for (u32 i = 0; i < nr; i++)
		p->stack_pool[base + i] = pprof__location(p, &frames[i]);
	s.first = (u32)base;
	s.nr = nr;
	key = (struct sample_key){ .s = &s, .stack = p->stack_pool + base };
	h = kp_fnv1a64(KP_FNV64_SEED, key.stack, nr * sizeof(u64));
	h = kp_fnv1a64(h, &s.value_idx, sizeof(s.value_idx));
	h = kp_fnv1a64(h, &s.comm, sizeof(s.comm));
	h = kp_fnv1a64(h, &s.pid, sizeof(s.pid));
	h = kp_fnv1a64(h, &s.mode, sizeof(s.mode));
	id = id_table__find(p, &p->sample_ids, h, sample_eq, &key, &slot);
	if (id < 0) {
		p->nr_pool += nr; /* keep the stack */
		ALLOC_GROW(p->samples, p->nr_samples + 1, p->alloc_samples);
		p->samples[p->nr_samples] = s;
		id_table__insert(&p->sample_ids, h, slot, (u32)p->nr_samples);
		id = (s64)p->nr_samples++;
	}
	p->samples[id].count++;
	p->samples[id].period += period;
}

static int write_gz(const char *path, const u8 *buf, size_t len)
{
	gzFile gz = gzopen(path, "wb");
	size_t off = 0;

	if (!gz)
		return kp_error(errno ? -errno : -ENOMEM, "'%s': cannot create the pprof file: %s",
				path, strerror(errno ? errno : ENOMEM));
	while (off < len) {
		unsigned int chunk = len - off > (1u << 30) ? (1u << 30) : (unsigned int)(len - off);
		int n = gzwrite(gz, buf + off, chunk);

		if (n <= 0) {
			int zerr;
			const char *msg = gzerror(gz, &zerr);

			gzclose(gz);
			return kp_error(-EIO, "'%s': write failed after %zu bytes: %s", path, off,
					zerr == Z_ERRNO ? strerror(errno) : msg);
		}
		off += (size_t)n;
	}
	if (gzclose(gz) != Z_OK)
		return kp_error(-EIO, "'%s': write failed at close (disk full?)", path);
	return 0;
}

int pprof__write(struct pprof *p, const char *path)
{
	Perftools__Profiles__Profile prof = PERFTOOLS__PROFILES__PROFILE__INIT;
	Perftools__Profiles__ValueType *vt, period_type = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	Perftools__Profiles__Mapping *maps;
	Perftools__Profiles__Function *funcs;
	Perftools__Profiles__Location *locs;
	Perftools__Profiles__Line *lines;
	Perftools__Profiles__Sample *samples;
	Perftools__Profiles__Label *labels;
	int64_t *values;
	size_t nv = (size_t)p->nr_vt, len;
	u8 *buf;
	int err;

	vt = xcalloc(nv, sizeof(*vt));
	prof.sample_type = xcalloc(nv, sizeof(*prof.sample_type));
	for (size_t i = 0; i < nv; i++) {
		perftools__profiles__value_type__init(&vt[i]);
		vt[i].type = p->vt[i][0];
		vt[i].unit = p->vt[i][1];
		prof.sample_type[i] = &vt[i];
	}
	prof.n_sample_type = nv;
	if (nv > 1) {
		period_type.type = p->vt[1][0];
		period_type.unit = p->vt[1][1];
		prof.period_type = &period_type;
		prof.default_sample_type = p->vt[1][0];
	}

	maps = xcalloc(p->nr_maps + 1, sizeof(*maps));
	prof.mapping = xcalloc(p->nr_maps + 1, sizeof(*prof.mapping));
	for (size_t i = 0; i < p->nr_maps; i++) {
		perftools__profiles__mapping__init(&maps[i]);
		maps[i].id = i + 1;
		maps[i].filename = p->maps[i];
		maps[i].has_functions = true;
		prof.mapping[i] = &maps[i];
	}
	prof.n_mapping = p->nr_maps;

	funcs = xcalloc(p->nr_funcs + 1, sizeof(*funcs));
	prof.function = xcalloc(p->nr_funcs + 1, sizeof(*prof.function));
	for (size_t i = 0; i < p->nr_funcs; i++) {
		perftools__profiles__function__init(&funcs[i]);
		funcs[i].id = i + 1;
		funcs[i].name = p->funcs[i][0];
		funcs[i].system_name = p->funcs[i][0];
		funcs[i].filename = p->funcs[i][1];
		prof.function[i] = &funcs[i];
	}
	prof.n_function = p->nr_funcs;

	locs = xcalloc(p->nr_locs + 1, sizeof(*locs));
	lines = xcalloc(p->nr_locs + 1, sizeof(*lines));
	prof.location = xcalloc(p->nr_locs + 1, sizeof(*prof.location));
	/* one Line per location: the array of one pointer lives in the Line's slot */
	Perftools__Profiles__Line **line_ptrs = xcalloc(p->nr_locs + 1, sizeof(*line_ptrs));

	for (size_t i = 0; i < p->nr_locs; i++) {
		perftools__profiles__location__init(&locs[i]);
		perftools__profiles__line__init(&lines[i]);
		lines[i].function_id = p->locs[i].function_id;
		line_ptrs[i] = &lines[i];
		locs[i].id = i + 1;
		locs[i].mapping_id = p->locs[i].mapping_id;
		locs[i].address = p->locs[i].addr;
		locs[i].n_line = 1;
		locs[i].line = &line_ptrs[i];
		prof.location[i] = &locs[i];
	}
	prof.n_location = p->nr_locs;

	samples = xcalloc(p->nr_samples + 1, sizeof(*samples));
	labels = xcalloc(p->nr_samples * 3 + 1, sizeof(*labels));
	Perftools__Profiles__Label **label_ptrs = xcalloc(p->nr_samples * 3 + 1,
							  sizeof(*label_ptrs));
	values = xcalloc(p->nr_samples * nv + 1, sizeof(*values));
	prof.sample = xcalloc(p->nr_samples + 1, sizeof(*prof.sample));
	for (size_t i = 0; i < p->nr_samples; i++) {
		const struct sample *s = &p->samples[i];
		Perftools__Profiles__Label *l = labels + i * 3;

		perftools__profiles__sample__init(&samples[i]);
		samples[i].n_location_id = s->nr;
		samples[i].location_id = p->stack_pool + s->first;
		samples[i].n_value = nv;
		samples[i].value = values + i * nv;
		samples[i].value[0] = (int64_t)s->count;
		if (s->value_idx > 0 && (size_t)s->value_idx < nv)
			samples[i].value[s->value_idx] = (int64_t)s->period;
		for (int k = 0; k < 3; k++) {
			perftools__profiles__label__init(&l[k]);
			label_ptrs[i * 3 + k] = &l[k];
		}
		l[0].key = p->key_comm;
		l[0].str = s->comm;
		l[1].key = p->key_pid;
		l[1].num = s->pid;
		l[2].key = p->key_mode;
		l[2].str = s->mode;
		samples[i].n_label = 3;
		samples[i].label = label_ptrs + i * 3;
		prof.sample[i] = &samples[i];
	}
	prof.n_sample = p->nr_samples;
	prof.string_table = p->strs;
	prof.n_string_table = p->nr_strs;
	prof.time_nanos = p->time_nanos;
	prof.duration_nanos = p->duration_nanos;

	len = perftools__profiles__profile__get_packed_size(&prof);
	buf = xmalloc(len ? len : 1);
	perftools__profiles__profile__pack(&prof, buf);
	err = write_gz(path, buf, len);

	free(buf);
	free(vt);
	free(prof.sample_type);
	free(maps);
	free(prof.mapping);
	free(funcs);
	free(prof.function);
	free(locs);
	free(lines);
	free(line_ptrs);
	free(prof.location);
	free(samples);
	free(labels);
	free(label_ptrs);
	free(values);
	free(prof.sample);
	return err;
}
