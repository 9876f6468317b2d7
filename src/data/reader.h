/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reader.h - open a perf.data file (file or pipe mode) and feed its records,
 * in time order, to a struct perf_tool callback table.
 *
 * This is one half of the event pipeline (the other is collect/'s ring
 * buffers): the same struct perf_tool serves both.
 *
 * Ownership: perf_data__open() returns a struct perf_data the caller frees
 * with perf_data__delete().  It owns the mapping, the header, the evlist and
 * the tracepoint parser (tep).  Records and samples passed to callbacks are
 * borrowed and valid only during the callback.
 *
 * Threads: for large files read in time order, the reader parses and queues
 * records on the calling thread while a second thread sorts each flushed round
 * and runs the tool callbacks.  Callbacks still run one at a time, in order,
 * and perf_data__process() returns only after the last one; they must not read
 * data->stats while processing (the reading side runs ahead of them).
 *
 * Errors: every offset and size read from the file is checked against the
 * file size before use; failures come back as KP_ERR_* with a kp_error()
 * detail of the form "'FILE': what at offset 0xN (file is N bytes)".
 */
#ifndef KP_DATA_READER_H
#define KP_DATA_READER_H

#include "data/evsel.h"
#include "data/header.h"
#include "data/sample.h"

struct tep_handle;
struct perf_tool;
struct kp_reader;

struct perf_data_stats {
	u64 nr_events[PERF_RECORD_KP_MAX]; /* records seen per type */
	u64 nr_samples;
	u64 total_lost; /* sum of PERF_RECORD_LOST.lost */
	u64 total_lost_samples; /* sum of PERF_RECORD_LOST_SAMPLES.lost */
	u64 nr_unknown_events;
	u64 nr_unordered; /* records whose time was below the last flush */
	u64 nr_invalid_chains;
};

struct perf_data {
	char *path;
	int fd;
	bool is_pipe;
	const u8 *base; /* file mode: the whole file mapped read-only */
	u64 size;
	struct perf_header header;
	struct evlist evlist;
	struct tep_handle *tep; /* NULL when the file has no tracing data */
	struct perf_data_stats stats;
	struct kp_reader *rd; /* private reader state (queue, buffers, zstd) */
	u64 mtime; /* file mode: st_mtime of the file, for "captured on" */
};

typedef int (*event_op)(struct perf_tool *tool, union perf_event *event,
			struct perf_sample *sample);

/* a plan for tool->sample_pack() */
enum sample_pack_mode {
	SAMPLE_PACK_PEEK, /* no plan: call sample_peek() */
	SAMPLE_PACK_WORDS, /* sample_peek() would pack the words below and return 1 */
	SAMPLE_PACK_COUNT, /* it would add 1 to *counter and return 2 */
};

struct sample_pack {
	enum sample_pack_mode mode;
	u32 raw_need; /* bytes of RAW data the words read (checked per sample) */
	u64 *counter;
	/*
	 * payload[i] = the value of word[i]'s source, zero-extended, | or:
	 * sample field @field (one PERF_SAMPLE_* bit of IP, TID, TIME, ADDR, ID,
	 * STREAM_ID, CPU, PERIOD: its 8 bytes as in the record, so TID is
	 * tid << 32 | pid), or, with field 0, @size (0, 1, 2, 4 or 8; 0: no
	 * source) bytes at @off in the RAW data, in host byte order.
	 */
	struct {
		u64 field;
		u32 off, size;
		u64 or;
	} word[3];
};

/* a sample as tool->sample_peek() packed it, with its time */
struct packed_sample {
	u64 time;
	u64 payload[3];
};

struct perf_tool {
	int (*sample)(struct perf_tool *tool, union perf_event *event, struct perf_sample *sample,
		      struct evsel *evsel);
	event_op mmap;
	event_op mmap2;
	event_op comm;
	event_op fork;
	event_op exit;
	event_op lost;
	event_op lost_samples;
	event_op throttle;
	event_op unthrottle;
	event_op ksymbol;
	event_op context_switch;
	event_op other; /* any other kernel record type (namespaces, cgroup, aux ...) */
	/* perf-tool records, not time ordered */
	int (*build_id)(struct perf_tool *tool, union perf_event *event);
	int (*finished_round)(struct perf_tool *tool);
	int (*finished_init)(struct perf_tool *tool);
	bool ordered_events; /* deliver kernel records sorted by time (perf's rounds) */
	/*
	 * Optional fast path for samples, ordered_events only, big files
	 * (those delivered on a second thread).  sample_peek() runs on the
	 * reading thread, in file order, for each sample whose event has a
	 * simple layout (only fixed-size fields, RAW last: see
	 * perf_sample__parse(); @sample is what it would return) and a time.
	 * It returns 1 after packing what the tool needs into @payload: the
	 * sample is then queued as just that, and sample_fast() gets it, in
	 * time order, instead of sample() (a run of such samples at a time:
	 * @s[0..n), n >= 1); 2 when it has done all there was to
	 * do with the sample (it is not delivered; the ordering bookkeeping
	 * still counts it); any other value sends it the ordinary way, to
	 * sample() (which reports any error in its place).  sample_peek() must
	 * not touch the tool's state that sample_fast() and the other
	 * callbacks use: it runs concurrently with them.
	 * @sample_peek_fields: the PERF_SAMPLE_* fields sample_peek() reads
	 * (0: all); the others are left at their defaults.  sample() must
	 * still handle every sample: small files and pipes do not peek.
	 */
	int (*sample_peek)(struct perf_tool *tool, struct evsel *evsel,
			   const struct perf_sample *sample, u64 payload[3]);
	int (*sample_fast)(struct perf_tool *tool, const struct packed_sample *s, size_t n);
	u64 sample_peek_fields;
	/*
	 * Optional, with sample_peek(): what sample_peek() would do with every
	 * sample of @evsel, as a plan the reading thread follows without calling
	 * it (struct sample_pack).  Asked once per event, before its first
	 * sample the scan loop takes, and again for every event after
	 * sample_peek() returned 3 (= 1, and the plans given so far are stale).
	 * Samples whose RAW data is shorter than the plan's raw_need, and those
	 * without a time, still go to sample_peek().
	 */
	void (*sample_pack)(struct perf_tool *tool, struct evsel *evsel,
			    struct sample_pack *pack);
};

/**
 * perf_data__open - open @path ("-" = standard input, pipe mode) and read its
 * header, attrs, ids and feature sections.  The data section is not read yet.
 */
int perf_data__open(struct perf_data **out, const char *path);

/** perf_data__delete - unmap and free everything; NULL is fine. */
void perf_data__delete(struct perf_data *data);

/**
 * perf_data__set_release_step - file mode: give the mapped pages that no
 * queued record needs back to the kernel in steps of @step bytes (rounded up
 * to pages; 2 MiB by default).  A bigger step keeps more of the file resident
 * and costs fewer unmappings (each a TLB shootdown on the other thread's CPU).
 */
void perf_data__set_release_step(struct perf_data *data, u64 step);

/**
 * perf_data__process - deliver every record of the data section to @tool.
 * Handles COMPRESSED records (zstd), FINISHED_ROUND ordering, pipe-mode
 * HEADER_ATTR / HEADER_FEATURE / HEADER_TRACING_DATA records.  A callback
 * returning a negative value stops processing and that value is returned.
 */
int perf_data__process(struct perf_data *data, struct perf_tool *tool);

#endif
