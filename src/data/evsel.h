/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evsel.h - one recorded event (an attr and its sample ids) and the list of them.
 *
 * Owned by the struct perf_data that read them (or by the writer that was given
 * them); consumers hold borrowed pointers.
 */
#ifndef KP_DATA_EVSEL_H
#define KP_DATA_EVSEL_H

#include "data/event.h"

struct tep_event;
struct perf_sample;

struct evsel {
	struct kp_attr attr;
	int idx; /* position in the evlist, 0-based */
	char *name; /* from EVENT_DESC, tracing data, or derived from the attr */
	u64 *ids;
	u32 nr_ids;
	struct tep_event *tp_format; /* tracepoints: format from the tracing data */
	u16 id_hdr_size; /* bytes of the sample_id trailer (0 without sample_id_all) */
	void *priv; /* for the analysis layer */
};

struct evlist {
	struct evsel **entries;
	int nr;
	int alloc;
	/* where the sample id is, shared by all events (-1: single event, no id) */
	int id_pos; /* u64 index into a SAMPLE body */
	int is_pos; /* u64 index from the end of a non-SAMPLE record's trailer */
	bool sample_id_all;
	/* id -> evsel hash */
	struct evsel_id_slot *id_hash;
	size_t id_hash_size;
};

/*
 * Building an evlist (the reader does this for a file; live commands - record,
 * top, stat live - do it for the events they open):
 *
 *	struct evlist evlist;
 *	struct evsel *evsel;
 *
 *	evlist__init(&evlist);
 *	evsel = evsel__new(&attr, 0);
 *	evsel->name = xstrdup("cycles");		// optional; freed with the evsel
 *	evlist__add(&evlist, evsel);			// the evlist owns it now
 *	err = evlist__check(&evlist, "live");		// after the attrs are final
 *	...
 *	evlist__add_id(&evlist, evsel, id);		// each PERF_EVENT_IOC_ID of its fds
 *	...
 *	evlist__exit(&evlist);				// frees the evsels
 */

/**
 * evsel__new - a heap event for @attr at position @idx, without name or ids;
 * id_hdr_size follows from the attr (0 without sample_id_all).  Free it with
 * evsel__delete(), or hand it to an evlist with evlist__add().
 */
struct evsel *evsel__new(const struct kp_attr *attr, int idx);

/** evsel__delete - free @evsel, its name and ids; NULL is fine. */
void evsel__delete(struct evsel *evsel);

/** evlist__init - an empty evlist (no events, no sample id positions). */
void evlist__init(struct evlist *evlist);

/** evlist__exit - free every evsel of @evlist and the id hash; leaves it empty. */
void evlist__exit(struct evlist *evlist);

/**
 * evlist__add - append @evsel (its idx becomes its position) and hash its ids.
 * The evlist takes ownership of @evsel.
 */
void evlist__add(struct evlist *evlist, struct evsel *evsel);

/**
 * evlist__check - (re)compute where the sample id is (id_pos, is_pos),
 * sample_id_all, and every event's id_hdr_size from the attrs.  Call it once
 * the attrs are final.  Returns 0, or KP_ERR_UNSUPPORTED with a detail naming
 * @path when the events disagree on the id position, on sample_id_all, or use
 * PERF_SAMPLE_READ without PERF_FORMAT_ID.
 */
int evlist__check(struct evlist *evlist, const char *path);

/** evlist__add_id - give @evsel (already in @evlist) sample id @id; duplicates are ignored. */
void evlist__add_id(struct evlist *evlist, struct evsel *evsel, u64 id);

/**
 * evlist__find_by_id - the event a record with sample id @id belongs to.
 * With a single event the id is ignored.  NULL if no event matches.
 */
struct evsel *evlist__find_by_id(const struct evlist *evlist, u64 id);

/**
 * evlist__event2evsel - the event @event belongs to (reads the id from the
 * record at the position all events agree on).  NULL if unknown.
 */
struct evsel *evlist__event2evsel(const struct evlist *evlist, const union perf_event *event);

/** evsel__name - the event's display name, never NULL ("unknown" at worst). */
const char *evsel__name(const struct evsel *evsel);

/**
 * evsel__field - read tracepoint field @name from a sample's RAW data as an
 * unsigned integer (zero-extended).  Returns 0 and sets *val, or
 * KP_ERR_MISSING_FIELD if the format lacks the field or the data is too short.
 */
int evsel__field(const struct evsel *evsel, const struct perf_sample *sample, const char *name,
		 u64 *val);

#endif
