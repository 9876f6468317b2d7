// SPDX-License-Identifier: GPL-2.0
/*
 * tracing-data.c - perf's TRACING_DATA container ("\027\bDtracing"): parse
 * it into a libtraceevent handle, or build one from the running kernel's
 * tracefs.
 *
 * Layout (all integers in the recording machine's byte order, given by the
 * flag byte): magic, version string, endian flag, sizeof(long), u32 page
 * size, "header_page" + u64 size + text, "header_event" + u64 size + text,
 * u32 nr ftrace formats (u64 size + text each), u32 nr systems (name, u32 nr
 * events, u64 size + format text each), u32 kallsyms size + text, u32
 * printk_formats size + text, and since version 0.6 u64 saved_cmdlines size
 * + text.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <tracefs/tracefs.h>

#include "data/data-internal.h"
#include "data/tracing-data.h"
#include "util/util.h"

static const char td_magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

struct td_cursor {
	const u8 *buf;
	size_t size;
	size_t pos;
	bool swap;
	/* crash isolation (see td_probe()) */
	u32 fmt_idx; /* formats seen so far */
	const u8 *skip; /* formats not to give to libtraceevent (bitmap) */
	u32 nr_skip_bits;
	bool skip_header, skip_extras;
	int report_fd; /* probe child: progress markers, else -1 */
};

#define TD_MARK_HEADER 0xfffffff0u
#define TD_MARK_FORMATS 0xfffffff1u
#define TD_MARK_END 0xfffffff2u

static void td_report(struct td_cursor *c, u32 v)
{
	if (c->report_fd >= 0 && write(c->report_fd, &v, sizeof(v)) != sizeof(v))
		_exit(3);
}

static int td_err(struct td_cursor *c, const char *what)
{
	return kp_error(KP_ERR_BAD_TRACEDATA,
			"tracing data: %s at blob offset %#zx (blob is %zu bytes)", what, c->pos,
			c->size);
}

static int td_u32(struct td_cursor *c, u32 *v, const char *what)
{
	if (c->size - c->pos < 4)
		return td_err(c, what);
	memcpy(v, c->buf + c->pos, 4);
	if (c->swap)
		*v = kp_bswap32(*v);
	c->pos += 4;
	return 0;
}

static int td_u64(struct td_cursor *c, u64 *v, const char *what)
{
	if (c->size - c->pos < 8)
		return td_err(c, what);
	memcpy(v, c->buf + c->pos, 8);
	if (c->swap)
		*v = kp_bswap64(*v);
	c->pos += 8;
	return 0;
}

/* a NUL-terminated copy of the next @len bytes */
static int td_text(struct td_cursor *c, u64 len, char **out, const char *what)
{
	if (len > c->size - c->pos)
		return td_err(c, what);
	*out = xstrndup((const char *)c->buf + c->pos, (size_t)len);
	c->pos += (size_t)len;
	return 0;
}

static int td_cstr(struct td_cursor *c, const char **out, const char *what)
{
	const u8 *nul = memchr(c->buf + c->pos, 0, c->size - c->pos);

	if (!nul)
		return td_err(c, what);
	*out = (const char *)c->buf + c->pos;
	c->pos = (size_t)(nul - c->buf) + 1;
	return 0;
}

static void format_name(const char *fmt, char *out, size_t sz)
{
	const char *p = strstr(fmt, "name: ");
	size_t n = 0;

	if (p) {
		p += 6;
		while (p[n] && p[n] != '\n' && n + 1 < sz)
			n++;
		memcpy(out, p, n);
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, sz, "(unnamed)");
}

static bool is_ident(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

/* is @name (@len bytes) declared by a "field:TYPE NAME[N];" line before @end? */
static bool td_field_declared(const char *text, const char *end, const char *name, size_t len)
{
	for (const char *f = strstr(text, "field:"); f && f < end; f = strstr(f + 6, "field:")) {
		const char *semi = memchr(f, ';', (size_t)(end - f));
		const char *q;

		if (!semi)
			return false;
		q = semi;
		if (q > f && q[-1] == ']') /* NAME[N] */
			while (q > f && *q != '[')
				q--;
		if ((size_t)(q - f) > len && !memcmp(q - len, name, len) && !is_ident(q[-(long)len - 1]))
			return true;
	}
	return false;
}

/* libtraceevent 1.7 dereferences NULL on a REC->NAME that is not a field */
static bool td_rec_fields_known(const char *text, const char *pf)
{
	for (const char *r = strstr(pf, "REC->"); r; r = strstr(r + 5, "REC->")) {
		size_t len = 0;

		while (is_ident(r[5 + len]))
			len++;
		if (!len || !td_field_declared(text, pf, r + 5, len))
			return false;
	}
	return true;
}

/*
 * libtraceevent 1.7 dereferences NULL on some malformed "print fmt:"
 * expressions (unbalanced brackets, unterminated strings): cut such a print
 * format off, so that the event keeps its fields and only loses its printing.
 * Found by fuzz/fuzz-tracing-data (tests/fuzz-regressions/tracing-data/).
 */
static void td_check_print_fmt(char *text)
{
	char *p = strstr(text, "print fmt:");
	int depth = 0;
	bool str = false;

	if (!p)
		return;
	/* to the end: a print fmt string may hold newlines (ext4_fsmap_*) */
	for (const char *q = p; *q; q++) {
		if (str) {
			if (*q == '\\' && q[1])
				q++;
			else if (*q == '"')
				str = false;
		} else if (*q == '"') {
			str = true;
		} else if (*q == '(' || *q == '{' || *q == '[') {
			depth++;
		} else if (*q == ')' || *q == '}' || *q == ']') {
			if (--depth < 0)
				break;
		}
	}
	if (str || depth || !td_rec_fields_known(text, p)) {
		pr_debug("tracing data: unbalanced print fmt or unknown REC-> field, ignored");
		*p = '\0';
	}
}

/* "KEY:<digits>;" somewhere in [@p, @end) */
static bool td_has_num(const char *p, const char *end, const char *key)
{
	size_t kl = strlen(key);

	for (; p + kl < end; p++) {
		if (memcmp(p, key, kl))
			continue;
		p += kl;
		if (p >= end || *p < '0' || *p > '9')
			return false;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		return p < end && *p == ';';
	}
	return false;
}

/*
 * libtraceevent 1.7 also crashes on field lists cut short or garbled: accept
 * only a format whose lines between "format:" and "print fmt:" are empty or
 * "\tfield:...;\toffset:N;\tsize:N;...", as the kernel writes them.
 */
static bool td_fields_ok(const char *text)
{
	const char *p = strstr(text, "\nformat:\n");
	const char *pf = strstr(text, "\nprint fmt:");

	if (!p || !pf || pf < p)
		return false;
	/* the kernel writes printable ASCII; libtraceevent's parser chokes on the rest */
	for (const unsigned char *q = (const unsigned char *)text; *q; q++)
		if ((*q < 0x20 && *q != '\n' && *q != '\t') || *q > 0x7e)
			return false;
	for (p += 9; p < pf;) {
		const char *nl = memchr(p, '\n', (size_t)(pf + 1 - p));

		if (!nl)
			return false;
		if (nl != p && (strncmp(p, "\tfield:", 7) || !td_has_num(p, nl, "offset:") ||
				!td_has_num(p, nl, "size:")))
			return false;
		p = nl + 1;
	}
	return true;
}

static int td_format(struct tep_handle *tep, struct td_cursor *c, const char *sys)
{
	u64 len;
	char *text = NULL;
	char name[128];
	u32 idx;
	int err;

	if ((err = td_u64(c, &len, "truncated format size")))
		return err;
	if ((err = td_text(c, len, &text, "format text runs past the end")))
		return err;
	format_name(text, name, sizeof(name));
	idx = c->fmt_idx++;
	if (c->skip && idx < c->nr_skip_bits && (c->skip[idx / 8] >> (idx % 8) & 1)) {
		pr_warning("tracing data: the format of tracepoint %s:%s crashes libtraceevent, "
			   "ignored", sys, name);
		td_report(c, idx);
		free(text);
		return 0;
	}
	if (!td_fields_ok(text)) {
		pr_warning("tracing data: malformed format of tracepoint %s:%s, ignored", sys, name);
		td_report(c, idx);
		free(text);
		return 0;
	}
	td_check_print_fmt(text);
	/* strlen: the text ends at a NUL inside the section, libtraceevent reads up to size */
	if (tep_parse_event(tep, text, strlen(text), sys)) {
		/*
		 * libtraceevent registers most events even when their print
		 * format is beyond it; only a missing event is worth a warning
		 * (perf goes on in both cases too).
		 */
		bool found = false;
		int n = tep_get_events_count(tep);

		for (int i = 0; i < n; i++) {
			struct tep_event *ev = tep_get_event(tep, i);

			if (ev && !strcmp(ev->system, sys) && !strcmp(ev->name, name))
				found = true;
		}
		if (!found)
			pr_warning("tracing data: cannot parse the format of tracepoint %s:%s", sys,
				   name);
		else
			pr_debug("tracing data: partial parse of tracepoint %s:%s", sys, name);
	}
	td_report(c, idx);
	free(text);
	return 0;
}

/*
 * Drop printk_formats lines libtraceevent would read out of bounds on: it
 * takes the text after the first ':' plus one (the space of "ADDR : fmt"),
 * strips a leading '"', then looks at the last three characters.  So a line
 * must not start with ':' and needs at least 3 characters there.
 * Found by fuzz/fuzz-tracing-data (tests/fuzz-regressions/feature/).
 */
static void td_printk_sanitize(char *text)
{
	char *in = text, *out = text;

	while (*in) {
		char *nl = strchr(in, '\n');
		size_t len = nl ? (size_t)(nl - in) + 1 : strlen(in);
		size_t line = nl ? len - 1 : len;
		const char *colon = memchr(in, ':', line);
		const char *fmt = colon ? colon + 2 : NULL;

		if (fmt && fmt <= in + line && *fmt == '"')
			fmt++;
		if (colon && colon != in && fmt <= in + line && (size_t)(in + line - fmt) >= 3) {
			memmove(out, in, len);
			out += len;
		}
		in += len;
	}
	*out = '\0';
}

static int td_parse(struct tep_handle **out, const void *blob, size_t size,
		    const struct td_cursor *opts)
{
	struct td_cursor c = *opts;
	struct tep_handle *tep;
	const char *version = NULL, *sys = NULL;
	char *text = NULL;
	u32 nr, nr_ev, page_size, len32;
	u64 len;
	u8 big, long_size;
	int err;

	*out = NULL;
	if (size < sizeof(td_magic) || memcmp(blob, td_magic, sizeof(td_magic)))
		return kp_error(KP_ERR_BAD_TRACEDATA, "tracing data: bad magic (blob is %zu bytes)",
				size);
	c.pos = sizeof(td_magic);
	if ((err = td_cstr(&c, &version, "unterminated version string")))
		return err;
	if (c.size - c.pos < 2)
		return td_err(&c, "truncated before the endian flag");
	big = c.buf[c.pos++];
	long_size = c.buf[c.pos++];
	c.swap = big != 0; /* kvmprof runs on little-endian hosts */
	if ((err = td_u32(&c, &page_size, "truncated page size")))
		return err;
	if (!page_size)
		return td_err(&c, "page size is 0");
	if (long_size != 4 && long_size != 8)
		return td_err(&c, "sizeof(long) is neither 4 nor 8");

	tep_set_loglevel(kp_verbose > 0 ? TEP_LOG_WARNING : TEP_LOG_CRITICAL);
	tep = tep_alloc();
	if (!tep)
		return -ENOMEM;
	tep_set_file_bigendian(tep, big ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, long_size);
	tep_set_page_size(tep, (int)page_size);

	if (c.size - c.pos < 12 || memcmp(c.buf + c.pos, "header_page", 12)) {
		err = td_err(&c, "missing header_page");
		goto fail;
	}
	c.pos += 12;
	if ((err = td_u64(&c, &len, "truncated header_page size")) ||
	    (err = td_text(&c, len, &text, "header_page runs past the end")))
		goto fail;
	if (c.skip_header)
		pr_warning("tracing data: header_page crashes libtraceevent, ignored");
	else if (tep_parse_header_page(tep, text, (unsigned long)len, long_size))
		pr_debug("tracing data: cannot parse header_page");
	td_report(&c, TD_MARK_HEADER);
	free(text);
	text = NULL;
	if (c.size - c.pos < 13 || memcmp(c.buf + c.pos, "header_event", 13)) {
		err = td_err(&c, "missing header_event");
		goto fail;
	}
	c.pos += 13;
	if ((err = td_u64(&c, &len, "truncated header_event size")))
		goto fail;
	if (len > c.size - c.pos) {
		err = td_err(&c, "header_event runs past the end");
		goto fail;
	}
	c.pos += (size_t)len;

	if ((err = td_u32(&c, &nr, "truncated ftrace format count")))
		goto fail;
	if (nr > (c.size - c.pos) / 8) {
		err = td_err(&c, "absurd ftrace format count");
		goto fail;
	}
	for (u32 i = 0; i < nr; i++)
		if ((err = td_format(tep, &c, "ftrace")))
			goto fail;

	if ((err = td_u32(&c, &nr, "truncated system count")))
		goto fail;
	if (nr > (c.size - c.pos) / 5) {
		err = td_err(&c, "absurd system count");
		goto fail;
	}
	for (u32 i = 0; i < nr; i++) {
		if ((err = td_cstr(&c, &sys, "unterminated system name")) ||
		    (err = td_u32(&c, &nr_ev, "truncated event count")))
			goto fail;
		if (nr_ev > (c.size - c.pos) / 8) {
			err = td_err(&c, "absurd event count");
			goto fail;
		}
		for (u32 j = 0; j < nr_ev; j++)
			if ((err = td_format(tep, &c, sys)))
				goto fail;
	}

	td_report(&c, TD_MARK_FORMATS);
	if (c.skip_extras)
		pr_warning("tracing data: its kallsyms, printk formats or saved cmdlines crash "
			   "libtraceevent, ignored");
	if ((err = td_u32(&c, &len32, "truncated kallsyms size")) ||
	    (err = td_text(&c, len32, &text, "kallsyms run past the end")))
		goto fail;
	if (len32 && !c.skip_extras)
		tep_parse_kallsyms(tep, text);
	free(text);
	text = NULL;
	if ((err = td_u32(&c, &len32, "truncated printk_formats size")) ||
	    (err = td_text(&c, len32, &text, "printk_formats run past the end")))
		goto fail;
	if (len32 && !c.skip_extras) {
		td_printk_sanitize(text);
		tep_parse_printk_formats(tep, text);
	}
	free(text);
	text = NULL;
	if (strcmp(version, "0.6") >= 0 && c.pos < c.size) {
		if ((err = td_u64(&c, &len, "truncated saved_cmdlines size")) ||
		    (err = td_text(&c, len, &text, "saved_cmdlines run past the end")))
			goto fail;
		if (len && !c.skip_extras)
			tep_parse_saved_cmdlines(tep, text);
		free(text);
		text = NULL;
	}
	td_report(&c, TD_MARK_END);
	*out = tep;
	return 0;
fail:
	td_report(&c, TD_MARK_END); /* a clean error, not a crash */
	free(text);
	tep_free(tep);
	return err;
}

/*
 * libtraceevent 1.7's format parser is not safe on hostile input (NULL
 * dereferences, divisions by zero, out-of-bounds reads: see
 * tests/fuzz-regressions/), and a perf.data file is untrusted.  So parse the
 * blob in a child process first: it reports each format it got through; a
 * child that dies names the format (or stage) that killed it, which the next
 * child and then the real parse skip.  Cost: a fork per file.  If fork() is
 * not possible, parse directly.
 */
static void td_probe(const void *blob, size_t size, struct td_cursor *opts, u8 **skip)
{
	for (int attempt = 0; attempt < 64; attempt++) {
		int fds[2], status;
		bool header = false, formats = false, end = false;
		s64 last = -1;
		u32 v;
		pid_t pid;

		if (pipe2(fds, O_CLOEXEC) < 0)
			return;
		pid = fork();
		if (pid < 0) {
			close(fds[0]);
			close(fds[1]);
			return;
		}
		if (pid == 0) {
			struct tep_handle *tep = NULL;
			int devnull = open("/dev/null", O_WRONLY);

			if (devnull >= 0)
				dup2(devnull, STDERR_FILENO); /* the crash report is expected */
			close(fds[0]);
			opts->report_fd = fds[1];
			td_parse(&tep, blob, size, opts);
			_exit(0);
		}
		close(fds[1]);
		while (read(fds[0], &v, sizeof(v)) == sizeof(v)) {
			if (v == TD_MARK_HEADER)
				header = true;
			else if (v == TD_MARK_FORMATS)
				formats = true;
			else if (v == TD_MARK_END)
				end = true;
			else
				last = v;
		}
		close(fds[0]);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (end)
			return;
		if (!header) {
			opts->skip_header = true;
		} else if (!formats) {
			u32 bad = (u32)(last + 1);

			/* formats are reported in order; skipped ones are reported too */
			if (bad >= opts->nr_skip_bits) {
				u32 bits = kp_max(bad + 1, opts->nr_skip_bits * 2);

				*skip = xrealloc(*skip, (bits + 7) / 8);
				memset(*skip + (opts->nr_skip_bits + 7) / 8, 0,
				       (bits + 7) / 8 - (opts->nr_skip_bits + 7) / 8);
				opts->nr_skip_bits = (bits + 7) / 8 * 8;
			}
			(*skip)[bad / 8] |= (u8)(1u << (bad % 8));
			opts->skip = *skip;
		} else {
			opts->skip_extras = true;
		}
	}
}

int tracing_data__parse(struct tep_handle **out, const void *blob, size_t size)
{
	struct td_cursor opts = { blob, size, 0, false };
	u8 *skip = NULL;
	int err;

	opts.report_fd = -1;
	td_probe(blob, size, &opts, &skip);
	opts.report_fd = -1;
	err = td_parse(out, blob, size, &opts);
	free(skip);
	return err;
}

static void put32(struct strbuf *sb, u32 v)
{
	strbuf_add(sb, &v, 4);
}

static void put64(struct strbuf *sb, u64 v)
{
	strbuf_add(sb, &v, 8);
}

static int add_file(struct strbuf *out, const char *path, bool size64, bool optional)
{
	struct strbuf f = STRBUF_INIT;
	ssize_t n = strbuf_read_file(&f, path, 64u << 20);

	if (n < 0) {
		strbuf_release(&f);
		if (optional) {
			if (size64)
				put64(out, 0);
			else
				put32(out, 0);
			return 0;
		}
		return kp_error((int)n, "cannot read '%s': %s", path, strerror((int)-n));
	}
	if (size64)
		put64(out, f.len);
	else
		put32(out, (u32)f.len);
	strbuf_add(out, f.buf, f.len);
	strbuf_release(&f);
	return 0;
}

int tracing_data__build(struct strbuf *out, const char *const *names, int nr)
{
	const char *dir = tracefs_tracing_dir();
	struct strbuf path = STRBUF_INIT;
	char **systems = NULL;
	int nr_sys = 0, err = 0;

	if (!dir)
		return kp_error(KP_ERR_NO_TRACEPOINT,
				"cannot find tracefs (mount it on /sys/kernel/tracing)");
	strbuf_add(out, td_magic, sizeof(td_magic));
	strbuf_add(out, "0.6", 4);
	strbuf_addch(out, 0); /* little endian */
	strbuf_addch(out, (int)sizeof(long));
	put32(out, (u32)sysconf(_SC_PAGESIZE));

	strbuf_add(out, "header_page", 12);
	strbuf_addf(&path, "%s/events/header_page", dir);
	if ((err = add_file(out, path.buf, true, false)))
		goto out;
	strbuf_add(out, "header_event", 13);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/events/header_event", dir);
	if ((err = add_file(out, path.buf, true, false)))
		goto out;
	put32(out, 0); /* no ftrace formats */

	/* systems in order of first appearance, each with its events */
	systems = xcalloc((size_t)nr + 1, sizeof(char *));
	for (int i = 0; i < nr; i++) {
		const char *colon = strchr(names[i], ':');
		bool seen = false;

		if (!colon) {
			err = kp_error(KP_ERR_NO_TRACEPOINT, "'%s' is not a sys:event tracepoint name",
				       names[i]);
			goto out;
		}
		for (int s = 0; s < nr_sys; s++)
			if (strlen(systems[s]) == (size_t)(colon - names[i]) &&
			    !strncmp(systems[s], names[i], (size_t)(colon - names[i])))
				seen = true;
		if (!seen)
			systems[nr_sys++] = xstrndup(names[i], (size_t)(colon - names[i]));
	}
	put32(out, (u32)nr_sys);
	for (int s = 0; s < nr_sys; s++) {
		size_t slen = strlen(systems[s]);
		u32 cnt = 0;

		strbuf_add(out, systems[s], slen + 1);
		for (int i = 0; i < nr; i++)
			if (!strncmp(names[i], systems[s], slen) && names[i][slen] == ':')
				cnt++;
		put32(out, cnt);
		for (int i = 0; i < nr; i++) {
			if (strncmp(names[i], systems[s], slen) || names[i][slen] != ':')
				continue;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/events/%s/%s/format", dir, systems[s],
				    names[i] + slen + 1);
			if ((err = add_file(out, path.buf, true, false))) {
				err = kp_error(KP_ERR_NO_TRACEPOINT,
					       "tracepoint %s not found: cannot read '%s'",
					       names[i], path.buf);
				goto out;
			}
		}
	}
	put32(out, 0); /* kallsyms: perf writes none either */
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/printk_formats", dir);
	add_file(out, path.buf, false, true);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/saved_cmdlines", dir);
	add_file(out, path.buf, true, true);
out:
	for (int s = 0; s < nr_sys; s++)
		free(systems[s]);
	free(systems);
	strbuf_release(&path);
	return err;
}
