// SPDX-License-Identifier: GPL-2.0
/*
 * sort.c - perf's report sort keys: identity and output comparators, cells.
 *
 * The comparators keep perf's quirks because they decide which rows exist
 * and in which order ties print: names compare reversed (so ascending names
 * come first), a missing DSO or symbol sorts after a present one, two
 * unresolved symbols compare by address only, two resolved ones by DSO name
 * then start and end address.
 */
#include <stdio.h>
#include <string.h>

#include "util/util.h"
#include "analysis/hist.h"
#include "analysis/sort.h"
#include "machine/machine.h"

#define KP_STT_OBJECT 1

static const struct {
	const char *name;
	enum sort_key key;
} sort_names[] = {
	{ "comm", SORT_COMM }, { "pid", SORT_PID }, { "dso", SORT_DSO },
	{ "sym", SORT_SYM },   { "symbol", SORT_SYM }, { "cpu", SORT_CPU },
};

static const char *const sort_headers[SORT_NR_KEYS] = {
	[SORT_COMM] = "Command",   [SORT_PID] = "    Pid:Command", [SORT_DSO] = "Shared Object",
	[SORT_SYM] = "Symbol",	   [SORT_CPU] = "CPU",
};

int sort_list__parse(struct sort_list *list, const char *str)
{
	const char *p = str;

	list->nr = 0;
	while (*p) {
		size_t len = strcspn(p, ", ");
		bool found = false;

		if (!len) {
			p++;
			continue;
		}
		for (size_t i = 0; i < ARRAY_SIZE(sort_names); i++) {
			if (strlen(sort_names[i].name) != len || strncmp(p, sort_names[i].name, len))
				continue;
			found = true;
			if (!sort_list__has(list, sort_names[i].key)) {
				if (list->nr >= SORT_MAX_KEYS)
					return kp_error(KP_ERR_USAGE, "too many sort keys in '%s'", str);
				list->keys[list->nr++] = sort_names[i].key;
			}
			break;
		}
		if (!found)
			return kp_error(KP_ERR_USAGE,
					"unknown sort key '%.*s' in '%s' (supported: comm, pid, dso, sym, cpu)",
					(int)len, p, str);
		p += len;
	}
	if (!list->nr)
		return kp_error(KP_ERR_USAGE, "no sort key in '%s'", str);
	return 0;
}

bool sort_list__has(const struct sort_list *list, enum sort_key key)
{
	for (int i = 0; i < list->nr; i++)
		if (list->keys[i] == key)
			return true;
	return false;
}

const char *sort_key__header(enum sort_key key)
{
	return sort_headers[key];
}

static s64 cmp_null(const void *l, const void *r)
{
	if (!l && !r)
		return 0;
	return !l ? -1 : 1;
}

static s64 str_cmp(const char *l, const char *r)
{
	if (l == r)
		return 0;
	return strcmp(l, r);
}

/* perf's _sort__dso_cmp(right's map, left's map) */
static s64 dso_cmp(const struct hist_entry *left, const struct hist_entry *right)
{
	const char *dl = right->dso_name, *dr = left->dso_name;

	if (!dl || !dr)
		return cmp_null(dr, dl);
	return str_cmp(dl, dr);
}

static s64 sym_cmp(const struct hist_entry *left, const struct hist_entry *right)
{
	const struct symbol *sl = left->sym, *sr = right->sym;
	s64 ret;

	if (!sl && !sr)
		return (s64)(right->ip - left->ip);
	ret = dso_cmp(left, right);
	if (ret)
		return ret;
	if (!sl || !sr)
		return cmp_null(sl, sr);
	if (sl == sr)
		return 0;
	if (sl->start != sr->start)
		return (s64)(sr->start - sl->start);
	return (s64)(sr->end - sl->end);
}

s64 sort_key__cmp(enum sort_key key, const struct hist_entry *left,
		  const struct hist_entry *right)
{
	switch (key) {
	case SORT_COMM:
		return str_cmp(right->comm, left->comm);
	case SORT_PID:
		return (s64)right->tid - (s64)left->tid;
	case SORT_DSO:
		return dso_cmp(left, right);
	case SORT_SYM:
		return sym_cmp(left, right);
	case SORT_CPU:
		return (s64)right->cpu - (s64)left->cpu;
	case SORT_NR_KEYS:
		break;
	}
	return 0;
}

s64 sort_key__sort(enum sort_key key, const struct hist_entry *left,
		   const struct hist_entry *right)
{
	if (key == SORT_SYM) {
		if (!left->sym || !right->sym)
			return cmp_null(left->sym, right->sym);
		return str_cmp(right->sym->name, left->sym->name);
	}
	return sort_key__cmp(key, left, right);
}

s64 hist_entry__cmp(const struct sort_list *list, const struct hist_entry *left,
		    const struct hist_entry *right)
{
	for (int i = 0; i < list->nr; i++) {
		s64 c = sort_key__cmp(list->keys[i], left, right);

		if (c)
			return c;
	}
	return 0;
}

static void add_padded(struct strbuf *sb, const char *s, unsigned int width)
{
	strbuf_addf(sb, "%-*.*s", (int)width, (int)width, s);
}

static void sym_snprintf(const struct hist_entry *he, struct strbuf *sb, unsigned int width)
{
	strbuf_addf(sb, "[%c] ", he->level);
	if (he->sym && he->dso_name) {
		if (he->sym->type == KP_STT_OBJECT) {
			strbuf_addf(sb, "%s+0x%llx", he->sym->name,
				    (unsigned long long)(he->addr - he->sym->start));
		} else {
			int room = width > 4 ? (int)width - 4 : 0;

			strbuf_addf(sb, "%.*s", room, he->sym->name);
		}
	} else {
		strbuf_addf(sb, "%-#.*llx", 16, (unsigned long long)he->ip);
	}
}

void sort_key__snprintf(enum sort_key key, const struct hists *hists,
			const struct hist_entry *he, struct strbuf *sb, unsigned int width)
{
	switch (key) {
	case SORT_COMM:
		add_padded(sb, he->comm, width);
		break;
	case SORT_PID: {
		const char *comm = NULL;
		unsigned int w = kp_max(7U, width) - 8;

		if (hists->thread_comm && he->thread)
			comm = hists->thread_comm(he->thread);
		if (!comm)
			comm = he->comm ? he->comm : "";
		strbuf_addf(sb, "%7d:%-*.*s", he->tid, (int)w, (int)w, comm);
		break;
	}
	case SORT_DSO:
		add_padded(sb, he->dso_name ? he->dso_name : "[unknown]", width);
		break;
	case SORT_SYM:
		sym_snprintf(he, sb, width);
		break;
	case SORT_CPU:
		strbuf_addf(sb, "%*.*d", (int)width, (int)width, he->cpu);
		break;
	case SORT_NR_KEYS:
		break;
	}
}
