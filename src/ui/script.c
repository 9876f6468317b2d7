// SPDX-License-Identifier: GPL-2.0
/*
 * script.c - perf script's default text layout (see script.h).
 *
 * Numbers are formatted by hand into one reused strbuf per sample: printf
 * per field is what makes perf script slow.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/trace-seq.h>

#include "analysis/callchain.h"
#include "ui/script.h"
#include "util/util.h"

#define DEFAULT_SAMPLE_FIELDS                                                              \
	(SCRIPT_F_COMM | SCRIPT_F_TID | SCRIPT_F_CPU | SCRIPT_F_TIME | SCRIPT_F_EVNAME |    \
	 SCRIPT_F_IP | SCRIPT_F_SYM | SCRIPT_F_SYMOFF | SCRIPT_F_DSO | SCRIPT_F_PERIOD)
#define DEFAULT_TRACE_FIELDS                                                               \
	(SCRIPT_F_COMM | SCRIPT_F_TID | SCRIPT_F_CPU | SCRIPT_F_TIME | SCRIPT_F_EVNAME |    \
	 SCRIPT_F_TRACE)
#define IP_FIELDS (SCRIPT_F_IP | SCRIPT_F_SYM | SCRIPT_F_SYMOFF | SCRIPT_F_DSO)

static const struct {
	const char *name;
	u32 field;
	u64 sample_type; /* what the event must have recorded (0: nothing) */
	const char *what; /* for the error message */
} field_names[] = {
	{ "comm", SCRIPT_F_COMM, 0, NULL },
	{ "tid", SCRIPT_F_TID, PERF_SAMPLE_TID, "TID" },
	{ "pid", SCRIPT_F_PID, PERF_SAMPLE_TID, "TID" },
	{ "time", SCRIPT_F_TIME, PERF_SAMPLE_TIME, "TIME" },
	{ "cpu", SCRIPT_F_CPU, PERF_SAMPLE_CPU, "CPU" },
	{ "event", SCRIPT_F_EVNAME, 0, NULL },
	{ "ip", SCRIPT_F_IP, PERF_SAMPLE_IP, "IP" },
	{ "sym", SCRIPT_F_SYM, 0, NULL },
	{ "symoff", SCRIPT_F_SYMOFF, 0, NULL },
	{ "dso", SCRIPT_F_DSO, 0, NULL },
	{ "period", SCRIPT_F_PERIOD, PERF_SAMPLE_PERIOD, "PERIOD" },
	/* perf prints the trace only when there is raw data, and never objects */
	{ "trace", SCRIPT_F_TRACE, 0, NULL },
};

void script__init(struct script *s, struct machines *machines, struct tep_handle *tep)
{
	memset(s, 0, sizeof(*s));
	s->machines = machines;
	s->tep = tep;
	s->fields[SCRIPT_KIND_SAMPLE] = DEFAULT_SAMPLE_FIELDS;
	s->fields[SCRIPT_KIND_TRACE] = DEFAULT_TRACE_FIELDS;
	s->max_stack = CALLCHAIN_MAX_STACK;
	strbuf_init(&s->line, 4096);
}

void script__exit(struct script *s)
{
	strbuf_release(&s->line);
	free(s->evsel_fields);
	s->evsel_fields = NULL;
	if (s->seq) {
		trace_seq_destroy(s->seq);
		free(s->seq);
		s->seq = NULL;
	}
}

static u32 field_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(field_names); i++) {
		if (strlen(field_names[i].name) == len && !memcmp(field_names[i].name, name, len))
			return field_names[i].field;
	}
	return 0;
}

int script__parse_fields(struct script *s, const char *arg)
{
	const char *p = arg, *colon = strchr(arg, ':');
	bool kinds[SCRIPT_KIND_NR] = { true, true };
	u32 set = 0, add = 0, del = 0;
	bool modify = false;

	if (colon) {
		size_t n = (size_t)(colon - arg);

		if ((n == 2 && (!memcmp(arg, "hw", 2) || !memcmp(arg, "sw", 2))) ||
		    (n == 3 && !memcmp(arg, "raw", 3)))
			kinds[SCRIPT_KIND_TRACE] = false;
		else if (n == 5 && !memcmp(arg, "trace", 5))
			kinds[SCRIPT_KIND_SAMPLE] = false;
		else
			return kp_error(KP_ERR_USAGE,
					"-F '%s': unknown event type '%.*s' (use hw, sw, raw or trace)",
					arg, (int)n, arg);
		p = colon + 1;
	}
	if (!*p)
		return kp_error(KP_ERR_USAGE, "-F '%s': no fields given", arg);

	while (*p) {
		const char *end = strchrnul(p, ',');
		char sign = 0;
		u32 f;

		if (*p == '+' || *p == '-')
			sign = *p++;
		f = field_by_name(p, (size_t)(end - p));
		if (!f)
			return kp_error(KP_ERR_USAGE,
					"-F '%s': unknown field '%.*s' (known: comm, tid, pid, time, "
					"cpu, event, ip, sym, symoff, dso, period, trace)",
					arg, (int)(end - p), p);
		if (sign) {
			if (set)
				return kp_error(KP_ERR_USAGE,
						"-F '%s': cannot mix +/- fields with a plain list", arg);
			modify = true;
			if (sign == '+')
				add |= f;
			else
				del |= f;
		} else {
			if (modify)
				return kp_error(KP_ERR_USAGE,
						"-F '%s': cannot mix +/- fields with a plain list", arg);
			set |= f;
		}
		p = *end ? end + 1 : end;
	}

	for (int k = 0; k < SCRIPT_KIND_NR; k++) {
		if (!kinds[k])
			continue;
		if (modify) {
			s->fields[k] = (s->fields[k] | add) & ~del;
		} else {
			s->fields[k] = set;
			s->user_set[k] = true;
		}
	}
	return 0;
}

static enum script_kind evsel__kind(const struct evsel *evsel)
{
	return evsel->attr.type == PERF_TYPE_TRACEPOINT ? SCRIPT_KIND_TRACE : SCRIPT_KIND_SAMPLE;
}

static bool evsel__has_callchain(const struct evsel *evsel)
{
	return evsel->attr.sample_type & PERF_SAMPLE_CALLCHAIN;
}

static bool first_of_type(const struct evlist *evlist, int idx)
{
	for (int i = 0; i < idx; i++)
		if (evlist->entries[i]->attr.type == evlist->entries[idx]->attr.type)
			return false;
	return true;
}

int script__setup(struct script *s, const struct evlist *evlist, bool no_callchain)
{
	s->nr_evsels = evlist->nr;
	free(s->evsel_fields);
	s->evsel_fields = xcalloc(evlist->nr ? evlist->nr : 1, sizeof(*s->evsel_fields));
	s->name_width = 0;
	s->use_callchain = false;

	for (int i = 0; i < evlist->nr; i++) {
		const struct evsel *evsel = evlist->entries[i];
		int len = (int)strlen(evsel__name(evsel));

		if (len > s->name_width)
			s->name_width = len;
		/* perf: callchains are used if any event has user callchains */
		if (!no_callchain && evsel__has_callchain(evsel) &&
		    !kp_attr_flag(&evsel->attr, KP_ATTR_EXCLUDE_CALLCHAIN_USER))
			s->use_callchain = true;
	}

	for (int i = 0; i < evlist->nr; i++) {
		const struct evsel *evsel = evlist->entries[i];
		enum script_kind kind = evsel__kind(evsel);
		u32 f = s->fields[kind];

		/* tracepoints show their callchains when they have them */
		if (kind == SCRIPT_KIND_TRACE && !s->user_set[kind] && s->use_callchain &&
		    evsel__has_callchain(evsel))
			f |= IP_FIELDS;

		for (size_t j = 0; j < ARRAY_SIZE(field_names); j++) {
			u64 st = field_names[j].sample_type;

			if (!(f & field_names[j].field) || !st || (evsel->attr.sample_type & st))
				continue;
			/* like perf, -F is checked against the first event of each type only */
			if (s->user_set[kind] && first_of_type(evlist, i))
				return kp_error(KP_ERR_USAGE,
						"event '%s' has no %s in its samples: cannot print '%s' "
						"(drop it from -F)",
						evsel__name(evsel), field_names[j].what,
						field_names[j].name);
			f &= ~field_names[j].field;
		}
		if (s->user_set[kind]) {
			if ((f & (SCRIPT_F_SYM | SCRIPT_F_DSO)) && !(f & SCRIPT_F_IP))
				return kp_error(KP_ERR_USAGE,
						"-F: 'sym' and 'dso' need 'ip' (no address to resolve)");
			if ((f & SCRIPT_F_SYMOFF) && !(f & SCRIPT_F_SYM))
				return kp_error(KP_ERR_USAGE, "-F: 'symoff' needs 'sym'");
		}
		s->evsel_fields[evsel->idx < evlist->nr && evsel->idx >= 0 ? evsel->idx : i] = f;
	}
	return 0;
}

/* ---- number formatting ------------------------------------------------- */

static size_t fmt_udec(char *buf, u64 v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static size_t fmt_sdec(char *buf, s64 v)
{
	if (v < 0) {
		buf[0] = '-';
		return 1 + fmt_udec(buf + 1, (u64)0 - (u64)v);
	}
	return fmt_udec(buf, (u64)v);
}

static size_t fmt_hex(char *buf, u64 v)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = v ? (size_t)(64 - __builtin_clzll(v) + 3) / 4 : 1;

	for (size_t i = n; i-- > 0; v >>= 4)
		buf[i] = digits[v & 15];
	return n;
}

/* append @len bytes of @str right-aligned in @width columns */
static void add_right(struct strbuf *sb, const char *str, size_t len, size_t width)
{
	if (len < width)
		strbuf_addchars(sb, ' ', width - len);
	strbuf_add(sb, str, len);
}

/* append @len bytes left-aligned in @width columns */
static void add_left(struct strbuf *sb, const char *str, size_t len, size_t width)
{
	strbuf_add(sb, str, len);
	if (len < width)
		strbuf_addchars(sb, ' ', width - len);
}

static void add_sdec_right(struct strbuf *sb, s64 v, size_t width)
{
	char buf[24];

	add_right(sb, buf, fmt_sdec(buf, v), width);
}

/*
 * One "<lead>%16llx sym+0xoff (dso)" piece: the hot path of callchain output,
 * so it reserves once and writes in place instead of appending piecewise.
 */
static void add_ip_sym_dso(struct strbuf *sb, char lead, u64 addr,
			   const struct addr_location *al, u32 f)
{
	const char *name = al->sym ? al->sym->name : "[unknown]";
	const char *dso = al->map && al->dso ? dso__long_name(al->dso) : "[unknown]";
	size_t nlen = (f & SCRIPT_F_SYM) ? strlen(name) : 0;
	size_t dlen = (f & SCRIPT_F_DSO) ? strlen(dso) : 0;
	char *p;
	size_t n;

	if (sb->len + nlen + dlen + 64 >= sb->alloc)
		strbuf_grow(sb, nlen + dlen + 64);
	p = sb->buf + sb->len;
	*p++ = lead;
	n = addr ? (size_t)(64 - __builtin_clzll(addr) + 3) / 4 : 1;
	if (n < 16) {
		memset(p, ' ', 16 - n);
		p += 16 - n;
	}
	p += fmt_hex(p, addr);
	if (f & SCRIPT_F_SYM) {
		*p++ = ' ';
		memcpy(p, name, nlen);
		p += nlen;
		if (al->sym && (f & SCRIPT_F_SYMOFF)) {
			memcpy(p, "+0x", 3);
			p += 3;
			p += fmt_hex(p, al->addr - al->sym->start);
		}
	}
	if (f & SCRIPT_F_DSO) {
		*p++ = ' ';
		*p++ = '(';
		memcpy(p, dso, dlen);
		p += dlen;
		*p++ = ')';
	}
	sb->len = (size_t)(p - sb->buf);
	*p = '\0';
}

static void add_header(struct script *s, const struct evsel *evsel, u32 f,
		       const struct perf_sample *sample, const struct addr_location *al,
		       bool with_chain)
{
	struct strbuf *sb = &s->line;
	char buf[48];
	size_t n;

	if (f & SCRIPT_F_COMM) {
		const char *comm = al->thread ? thread__comm_str(al->thread) : ":-1";

		if (!comm)
			comm = ":-1";
		if (with_chain)
			strbuf_addstr(sb, comm);
		else
			add_right(sb, comm, strlen(comm), 16);
		strbuf_addch(sb, ' ');
	}
	if ((f & SCRIPT_F_PID) && (f & SCRIPT_F_TID)) {
		add_sdec_right(sb, (s32)sample->pid, 5);
		strbuf_addch(sb, '/');
		n = fmt_sdec(buf, (s32)sample->tid);
		add_left(sb, buf, n, 5);
		strbuf_addch(sb, ' ');
	} else if (f & (SCRIPT_F_PID | SCRIPT_F_TID)) {
		add_sdec_right(sb, (s32)((f & SCRIPT_F_PID) ? sample->pid : sample->tid), 5);
		strbuf_addch(sb, ' ');
	}
	if (f & SCRIPT_F_CPU) {
		/* "[%03d] " */
		s32 cpu = (s32)sample->cpu;

		strbuf_addch(sb, '[');
		if (cpu >= 0) {
			n = fmt_udec(buf, (u64)cpu);
			if (n < 3)
				strbuf_addchars(sb, '0', 3 - n);
			strbuf_add(sb, buf, n);
		} else {
			n = fmt_sdec(buf + 8, cpu);
			/* %03d of a negative number: sign, then zero padding */
			strbuf_addch(sb, '-');
			if (n - 1 < 2)
				strbuf_addchars(sb, '0', 2 - (n - 1));
			strbuf_add(sb, buf + 9, n - 1);
		}
		strbuf_add(sb, "] ", 2);
	}
	if (f & SCRIPT_F_TIME) {
		u64 t = sample->time;
		u64 usec = (t % 1000000000ULL) / 1000ULL;

		n = fmt_udec(buf, t / 1000000000ULL);
		buf[n++] = '.';
		for (int d = 5; d >= 0; d--) {
			buf[n + d] = (char)('0' + usec % 10);
			usec /= 10;
		}
		n += 6;
		add_right(sb, buf, n, 12);
		strbuf_add(sb, ": ", 2);
	}
	if (f & SCRIPT_F_PERIOD) {
		n = fmt_udec(buf, sample->period);
		add_right(sb, buf, n, 10);
		strbuf_addch(sb, ' ');
	}
	if (f & SCRIPT_F_EVNAME) {
		const char *name = evsel__name(evsel);

		add_right(sb, name, strlen(name), (size_t)s->name_width);
		strbuf_add(sb, ": ", 2);
	}
}

static void add_trace(struct script *s, const struct evsel *evsel,
		      const struct perf_sample *sample)
{
	struct tep_record rec;

	if (!evsel->tp_format || !s->tep)
		return;
	if (!s->seq) {
		s->seq = xmalloc(sizeof(*s->seq));
		trace_seq_init(s->seq);
	} else {
		trace_seq_reset(s->seq);
	}
	memset(&rec, 0, sizeof(rec));
	rec.cpu = (int)sample->cpu;
	rec.size = (int)sample->raw_size;
	rec.data = (void *)sample->raw_data;
	tep_print_event(s->tep, s->seq, &rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(s->seq);
	strbuf_add(&s->line, s->seq->buffer, s->seq->len);
}

void script__format_sample(struct script *s, const struct evsel *evsel,
			   const struct perf_sample *sample, const struct addr_location *al)
{
	struct strbuf *sb = &s->line;
	int idx = evsel->idx;
	u32 f;
	bool with_chain;

	if (idx >= 0 && idx < s->nr_evsels && s->evsel_fields)
		f = s->evsel_fields[idx];
	else
		f = s->fields[evsel__kind(evsel)];
	with_chain = (f & SCRIPT_F_IP) && s->use_callchain && sample->callchain &&
		     evsel__has_callchain(evsel);

	strbuf_reset(sb);
	add_header(s, evsel, f, sample, al, with_chain);

	if ((f & SCRIPT_F_TRACE) && sample->raw_data)
		add_trace(s, evsel, sample);

	if (f & SCRIPT_F_IP) {
		if (with_chain) {
			struct callchain_iter it;
			struct callchain_frame fr;

			strbuf_addch(sb, '\n');
			callchain_iter__init(&it, s->machines, sample, al, s->max_stack);
			callchain_iter__set_cache(&it, s->cache);
			while (callchain_iter__next(&it, &fr)) {
				add_ip_sym_dso(sb, '\t', callchain_frame__print_addr(&fr), &fr.al, f);
				sb->buf[sb->len++] = '\n'; /* room left by add_ip_sym_dso() */
				sb->buf[sb->len] = '\0';
			}
		} else {
			add_ip_sym_dso(sb, ' ', sample->ip, al, f);
		}
	}
	strbuf_addch(sb, '\n');
}

int script__print_sample(struct script *s, const struct evsel *evsel,
			 const struct perf_sample *sample, const struct addr_location *al,
			 FILE *fp)
{
	script__format_sample(s, evsel, sample, al);
	if (fwrite(s->line.buf, 1, s->line.len, fp) != s->line.len)
		return -errno ?: -EIO;
	return 0;
}
