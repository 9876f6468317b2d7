// SPDX-License-Identifier: GPL-2.0
/*
 * gen-kvm-stat - write a synthetic "perf kvm stat record" file with kvmprof's
 * perf.data writer: VMs (processes) with vCPU threads that exit and enter,
 * with PIO/MMIO/MSR access events inside the exits, from a seed.
 *
 *   gen-kvm-stat -o FILE -f FORMAT_DIR [--isa vmx|svm] [--seed N] [--vms N]
 *                [--vcpus N] [--exits N] [--quirks] [--no-entry] [--cpuid STR]
 *
 * FORMAT_DIR holds tracefs format files (kvm_entry.format, kvm_exit.format,
 * kvm_mmio.format, kvm_pio.format, kvm_msr.format, kvm_userspace_exit.format,
 * and header_page / header_event one level up or inside); RAW payloads are
 * laid out from those formats, so any kernel's layout can be mimicked.
 * --quirks adds what perf's model must cope with: exits before a thread's
 * first entry, lost begins and ends, unknown exit codes, VMX codes with the
 * FAILED_VMENTRY bit, an end that precedes its begin.  --no-entry drops every
 * kvm_exit/kvm_entry (a kvm_pvm host) but keeps kvm_userspace_exit.
 * The output is deterministic for a seed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/header.h"
#include "data/writer.h"
#include "util/util.h"

enum { TP_ENTRY, TP_EXIT, TP_MMIO, TP_PIO, TP_MSR, TP_UEXIT, TP_NR };

static const char *const tp_names[TP_NR] = {
	"kvm_entry", "kvm_exit", "kvm_mmio", "kvm_pio", "kvm_msr", "kvm_userspace_exit",
};

#define MAX_FIELDS 32

struct fmt_field {
	char name[64];
	int offset, size;
};

struct tp_fmt {
	char *text;
	size_t len;
	u64 id;
	struct fmt_field fields[MAX_FIELDS];
	int nr_fields;
	int raw_size; /* payload bytes, 4 + raw_size a multiple of 8 */
};

static struct tp_fmt fmts[TP_NR];

static u64 rng_state;

static u64 rnd(void)
{
	/* splitmix64: deterministic across platforms */
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

static char *read_file(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path, 1 << 20) < 0) {
		fprintf(stderr, "gen-kvm-stat: cannot read '%s': %s\n", path, strerror(errno));
		exit(1);
	}
	return strbuf_detach(&sb, len);
}

static void parse_format(struct tp_fmt *f, const char *path)
{
	char *p;
	int end = 8;

	f->text = read_file(path, &f->len);
	p = strstr(f->text, "ID:");
	if (!p) {
		fprintf(stderr, "gen-kvm-stat: '%s' has no ID line\n", path);
		exit(1);
	}
	f->id = strtoull(p + 3, NULL, 10);
	for (p = f->text; (p = strstr(p, "field:")); p++) {
		char decl[256], *semi, *name;
		struct fmt_field *fld;
		char *off = strstr(p, "offset:"), *sz = strstr(p, "size:");

		semi = strchr(p, ';');
		if (!semi || !off || !sz || semi - p - 6 >= (long)sizeof(decl))
			break;
		memcpy(decl, p + 6, (size_t)(semi - p - 6));
		decl[semi - p - 6] = 0;
		name = strrchr(decl, ' ');
		name = name ? name + 1 : decl;
		if (f->nr_fields == MAX_FIELDS)
			break;
		fld = &f->fields[f->nr_fields++];
		snprintf(fld->name, sizeof(fld->name), "%.63s", name);
		fld->offset = atoi(off + 7);
		fld->size = atoi(sz + 5);
		if (fld->offset + fld->size > end)
			end = fld->offset + fld->size;
	}
	f->raw_size = (int)(KP_ALIGN((u64)end + 4, 8) - 4);
}

static void put_field(const struct tp_fmt *f, u8 *raw, const char *name, u64 val)
{
	for (int i = 0; i < f->nr_fields; i++) {
		const struct fmt_field *fld = &f->fields[i];

		if (strcmp(fld->name, name))
			continue;
		for (int b = 0; b < fld->size && b < 8; b++)
			raw[fld->offset + b] = (u8)(val >> (8 * b)); /* little endian */
		return;
	}
}

/* ---- writing -------------------------------------------------------------------- */

static struct perf_writer *w;
static u64 nr_written;

static void die_err(int err, const char *what)
{
	fprintf(stderr, "gen-kvm-stat: %s: %s\n", what, kp_errmsg(err));
	exit(1);
}

static void emit(const void *rec, size_t size)
{
	int err = perf_writer__write(w, rec, size);

	if (err)
		die_err(err, "write");
	nr_written++;
}

/* sample_type IP|TID|TIME|ID|CPU|PERIOD|RAW, as perf kvm stat record */
static void emit_sample(int tp, u32 pid, u32 tid, u32 cpu, u64 time, const u8 *raw)
{
	u8 buf[512];
	struct perf_event_header *h = (struct perf_event_header *)buf;
	size_t n = sizeof(*h);
	u64 ip = 0xffffffff81000000ULL + tp * 0x100, id = 1000 + tp, period = 1;
	u32 raw_size = (u32)fmts[tp].raw_size;

#define PUT(x)                                                                             \
	do {                                                                               \
		memcpy(buf + n, &(x), sizeof(x));                                          \
		n += sizeof(x);                                                            \
	} while (0)
	PUT(ip);
	PUT(pid);
	PUT(tid);
	PUT(time);
	PUT(id);
	PUT(cpu);
	{
		u32 res = 0;

		PUT(res);
	}
	PUT(period);
	PUT(raw_size);
	memcpy(buf + n, raw, raw_size);
	n += raw_size;
#undef PUT
	h->type = PERF_RECORD_SAMPLE;
	h->misc = PERF_RECORD_MISC_KERNEL;
	h->size = (u16)n;
	emit(buf, n);
}

static void emit_comm(u32 pid, u32 tid, const char *comm, u64 time)
{
	u8 buf[128] = { 0 };
	struct perf_record_comm *c = (struct perf_record_comm *)buf;
	size_t len = KP_ALIGN(strlen(comm) + 1, 8), n = sizeof(*c) + len;
	u64 id = 1000, cpu = 0;

	c->header.type = PERF_RECORD_COMM;
	c->pid = pid;
	c->tid = tid;
	memcpy(c->comm, comm, strlen(comm));
	/* sample_id trailer: TID, TIME, ID, CPU */
	memcpy(buf + n, &pid, 4);
	memcpy(buf + n + 4, &tid, 4);
	memcpy(buf + n + 8, &time, 8);
	memcpy(buf + n + 16, &id, 8);
	memcpy(buf + n + 24, &cpu, 8);
	n += 32;
	c->header.size = (u16)n;
	emit(buf, n);
}

static void tp_raw(int tp, u8 *raw, u32 pid)
{
	memset(raw, 0, 256);
	put_field(&fmts[tp], raw, "common_type", fmts[tp].id);
	put_field(&fmts[tp], raw, "common_pid", pid);
}

/* ---- the tracing data blob (perf's trace-event-info layout) ------------------------ */

static void blob_u32(struct strbuf *sb, u32 v)
{
	strbuf_add(sb, &v, 4);
}

static void blob_u64(struct strbuf *sb, u64 v)
{
	strbuf_add(sb, &v, 8);
}

static void build_blob(struct strbuf *sb, const char *hp, size_t hp_len, const char *he,
		       size_t he_len)
{
	static const char magic[] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

	strbuf_add(sb, magic, sizeof(magic));
	strbuf_add(sb, "0.6", 4);
	strbuf_addch(sb, 0); /* little endian */
	strbuf_addch(sb, 8); /* sizeof(long) */
	blob_u32(sb, 4096);
	strbuf_add(sb, "header_page", 12);
	blob_u64(sb, hp_len);
	strbuf_add(sb, hp, hp_len);
	strbuf_add(sb, "header_event", 13);
	blob_u64(sb, he_len);
	strbuf_add(sb, he, he_len);
	blob_u32(sb, 0); /* ftrace formats */
	blob_u32(sb, 1); /* systems */
	strbuf_add(sb, "kvm", 4);
	blob_u32(sb, TP_NR);
	for (int t = 0; t < TP_NR; t++) {
		blob_u64(sb, fmts[t].len);
		strbuf_add(sb, fmts[t].text, fmts[t].len);
	}
	blob_u32(sb, 0); /* kallsyms */
	blob_u32(sb, 0); /* printk formats */
	blob_u64(sb, 0); /* saved_cmdlines */
}

/* ---- the simulation ------------------------------------------------------------------ */

struct vcpu_sim {
	u32 pid, tid, vcpu, cpu;
	u64 now;
	bool entered;
};

static const u64 vmx_codes[] = { 0, 1, 7, 10, 12, 28, 30, 31, 32, 44, 48, 49, 52, 54, 55 };
static const u64 svm_codes[] = { 0x60, 0x61, 0x64, 0x72, 0x78, 0x7b, 0x7c, 0x400, 0x4e, 0x6e,
				 0x77, 0x81, 0x13, 0x89 };
static const u64 ports[] = { 0x3f8, 0x70, 0x71, 0xcf8, 0xcfc, 0x1010, 0x10 };
static const u64 gpas[] = { 0xfee000b0, 0xfee00300, 0xfec00000, 0xfed00000, 0x10000000 };
static const u64 msrs[] = { 0x6e0, 0x10, 0x1b, 0xc0000102, 0x830 };

static bool is_io(bool svm, u64 code)
{
	return svm ? code == 0x7b : code == 30;
}

static bool is_msr(bool svm, u64 code, bool *write)
{
	if (svm) {
		*write = rnd_below(2);
		return code == 0x7c;
	}
	*write = code == 32;
	return code == 31 || code == 32;
}

static bool is_npf(bool svm, u64 code)
{
	return svm ? code == 0x400 : code == 48 || code == 49;
}

/* a duration in ns with a long tail: mostly ~1-20 us, sometimes ms */
static u64 handling_ns(u64 code)
{
	u64 base = 300 + (code % 13) * 250 + rnd_below(4000);

	if (!rnd_below(50))
		base += rnd_below(200000);
	if (!rnd_below(2000))
		base += rnd_below(5000000);
	return base;
}

static void step(struct vcpu_sim *v, bool svm, bool quirks, bool no_entry)
{
	u8 raw[256];
	const u64 *codes = svm ? svm_codes : vmx_codes;
	size_t nr_codes = svm ? ARRAY_SIZE(svm_codes) : ARRAY_SIZE(vmx_codes);
	u64 code = codes[rnd_below(nr_codes)], t;
	bool write, drop_begin = false, drop_end = false, userspace = false;

	/* weight HLT/IO/NPF/MSR up so ties and long tails occur */
	if (rnd_below(3) == 0)
		code = svm ? 0x7b : 30;
	if (quirks) {
		u64 q = rnd_below(400);

		if (q == 0)
			code = svm ? 0x999 : 2457; /* unknown */
		else if (q == 1)
			code = svm ? 0x8c : 0x80000021ULL; /* unknown / FAILED_VMENTRY */
		else if (q == 2)
			drop_begin = true;
		else if (q == 3)
			drop_end = true;
	}
	if (!v->entered) {
		/* quirk: an exit before the thread's first entry is ignored by perf */
		if (quirks && rnd_below(2) && !no_entry) {
			tp_raw(TP_EXIT, raw, v->pid);
			put_field(&fmts[TP_EXIT], raw, "exit_reason", code);
			put_field(&fmts[TP_EXIT], raw, "vcpu_id", v->vcpu);
			put_field(&fmts[TP_EXIT], raw, "isa", svm ? 2 : 1);
			emit_sample(TP_EXIT, v->pid, v->tid, v->cpu, v->now, raw);
			v->now += 1000;
		}
		if (!no_entry) {
			tp_raw(TP_ENTRY, raw, v->pid);
			put_field(&fmts[TP_ENTRY], raw, "vcpu_id", v->vcpu);
			emit_sample(TP_ENTRY, v->pid, v->tid, v->cpu, v->now, raw);
		}
		v->entered = true;
		v->now += 500 + rnd_below(20000);
		return;
	}
	t = v->now;
	if (!drop_begin && !no_entry) {
		tp_raw(TP_EXIT, raw, v->pid);
		put_field(&fmts[TP_EXIT], raw, "exit_reason", code);
		put_field(&fmts[TP_EXIT], raw, "vcpu_id", v->vcpu);
		put_field(&fmts[TP_EXIT], raw, "isa", svm ? 2 : 1);
		put_field(&fmts[TP_EXIT], raw, "guest_rip", 0x401000 + rnd_below(4096));
		emit_sample(TP_EXIT, v->pid, v->tid, v->cpu, t, raw);
	}
	t += 100 + rnd_below(400);
	if (is_io(svm, code)) {
		tp_raw(TP_PIO, raw, v->pid);
		put_field(&fmts[TP_PIO], raw, "rw", rnd_below(3) != 0);
		put_field(&fmts[TP_PIO], raw, "port", ports[rnd_below(ARRAY_SIZE(ports))]);
		put_field(&fmts[TP_PIO], raw, "size", 1);
		put_field(&fmts[TP_PIO], raw, "count", 1);
		put_field(&fmts[TP_PIO], raw, "val", rnd_below(256));
		emit_sample(TP_PIO, v->pid, v->tid, v->cpu, t, raw);
		userspace = rnd_below(2);
	} else if (is_msr(svm, code, &write)) {
		tp_raw(TP_MSR, raw, v->pid);
		put_field(&fmts[TP_MSR], raw, "write", write);
		put_field(&fmts[TP_MSR], raw, "ecx", msrs[rnd_below(ARRAY_SIZE(msrs))]);
		put_field(&fmts[TP_MSR], raw, "data", rnd());
		emit_sample(TP_MSR, v->pid, v->tid, v->cpu, t, raw);
	} else if (is_npf(svm, code) && rnd_below(2)) {
		u64 gpa = gpas[rnd_below(ARRAY_SIZE(gpas))];
		int type = rnd_below(2) ? 2 : 1;

		if (type == 1 && rnd_below(2)) {
			/* a read completed by the VMM: unsatisfied, out to userspace, then read */
			tp_raw(TP_MMIO, raw, v->pid);
			put_field(&fmts[TP_MMIO], raw, "type", 0);
			put_field(&fmts[TP_MMIO], raw, "len", 4);
			put_field(&fmts[TP_MMIO], raw, "gpa", gpa);
			emit_sample(TP_MMIO, v->pid, v->tid, v->cpu, t, raw);
			t += 200 + rnd_below(300);
			tp_raw(TP_UEXIT, raw, v->pid);
			put_field(&fmts[TP_UEXIT], raw, "reason", 6);
			emit_sample(TP_UEXIT, v->pid, v->tid, v->cpu, t, raw);
			t += 2000 + rnd_below(8000);
		}
		tp_raw(TP_MMIO, raw, v->pid);
		put_field(&fmts[TP_MMIO], raw, "type", type);
		put_field(&fmts[TP_MMIO], raw, "len", 4);
		put_field(&fmts[TP_MMIO], raw, "gpa", gpa);
		put_field(&fmts[TP_MMIO], raw, "val", rnd_below(1 << 16));
		emit_sample(TP_MMIO, v->pid, v->tid, v->cpu, t, raw);
		userspace = type == 2 && rnd_below(2);
	}
	if (userspace) {
		t += 200 + rnd_below(300);
		tp_raw(TP_UEXIT, raw, v->pid);
		put_field(&fmts[TP_UEXIT], raw, "reason", 2);
		emit_sample(TP_UEXIT, v->pid, v->tid, v->cpu, t, raw);
		t += 1000 + rnd_below(10000);
	}
	t += handling_ns(code);
	if (!drop_end && !no_entry) {
		tp_raw(TP_ENTRY, raw, v->pid);
		put_field(&fmts[TP_ENTRY], raw, "vcpu_id", v->vcpu);
		put_field(&fmts[TP_ENTRY], raw, "rip", 0x401000 + rnd_below(4096));
		emit_sample(TP_ENTRY, v->pid, v->tid, v->cpu, t, raw);
	}
	v->now = t + 200 + rnd_below(30000);
}

static const struct option opts[] = {
	{ "output", required_argument, NULL, 'o' }, { "formats", required_argument, NULL, 'f' },
	{ "isa", required_argument, NULL, 'I' },    { "seed", required_argument, NULL, 's' },
	{ "vms", required_argument, NULL, 'V' },    { "vcpus", required_argument, NULL, 'c' },
	{ "exits", required_argument, NULL, 'n' },  { "quirks", no_argument, NULL, 'q' },
	{ "no-entry", no_argument, NULL, 'N' },	    { "cpuid", required_argument, NULL, 'C' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	const char *out = NULL, *dir = NULL, *cpuid = NULL;
	bool svm = false, quirks = false, no_entry = false;
	u64 seed = 1, nr_exits = 1000;
	int nr_vms = 2, nr_vcpus = 2, c, err;
	struct vcpu_sim *sims;
	struct perf_header header;
	struct strbuf blob = STRBUF_INIT, path = STRBUF_INIT;
	char *hp, *he;
	size_t hp_len, he_len;

	while ((c = getopt_long(argc, argv, "o:f:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'f': dir = optarg; break;
		case 'I': svm = !strcmp(optarg, "svm"); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'V': nr_vms = atoi(optarg); break;
		case 'c': nr_vcpus = atoi(optarg); break;
		case 'n': nr_exits = strtoull(optarg, NULL, 0); break;
		case 'q': quirks = true; break;
		case 'N': no_entry = true; break;
		case 'C': cpuid = optarg; break;
		default:
			fprintf(stderr, "usage: gen-kvm-stat -o FILE -f FORMAT_DIR [--isa vmx|svm] "
					"[--seed N] [--vms N] [--vcpus N] [--exits N] [--quirks] "
					"[--no-entry] [--cpuid STR]\n");
			return 129;
		}
	}
	if (!out || !dir || nr_vms < 1 || nr_vcpus < 1 || nr_vms * nr_vcpus > 4096)
		return fprintf(stderr, "gen-kvm-stat: need -o, -f and sane --vms/--vcpus\n"), 129;
	rng_state = seed;
	for (int t = 0; t < TP_NR; t++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s.format", dir, tp_names[t]);
		parse_format(&fmts[t], path.buf);
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/../header_page", dir);
	hp = read_file(path.buf, &hp_len);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/../header_event", dir);
	he = read_file(path.buf, &he_len);

	err = perf_writer__open(&w, out);
	if (err)
		die_err(err, "open");
	for (int t = 0; t < TP_NR; t++) {
		struct kp_attr attr = { 0 };
		char name[64];
		u64 id = 1000 + t;

		attr.type = PERF_TYPE_TRACEPOINT;
		attr.size = KP_ATTR_SIZE_VER7;
		attr.config = fmts[t].id;
		attr.sample_period = 1;
		attr.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
				   PERF_SAMPLE_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD |
				   PERF_SAMPLE_RAW;
		attr.read_format = PERF_FORMAT_ID;
		kp_attr_set_flag(&attr, KP_ATTR_DISABLED);
		kp_attr_set_flag(&attr, KP_ATTR_INHERIT);
		kp_attr_set_flag(&attr, KP_ATTR_SAMPLE_ID_ALL);
		kp_attr_set_flag(&attr, KP_ATTR_EXCLUDE_HOST);
		if (!t) {
			kp_attr_set_flag(&attr, KP_ATTR_COMM);
			kp_attr_set_flag(&attr, KP_ATTR_TASK);
		}
		snprintf(name, sizeof(name), "kvm:%s", tp_names[t]);
		err = perf_writer__add_evsel(w, &attr, name, &id, 1);
		if (err)
			die_err(err, "add_evsel");
	}
	err = perf_writer__start(w);
	if (err)
		die_err(err, "start");

	sims = xcalloc((size_t)nr_vms * nr_vcpus, sizeof(*sims));
	for (int v = 0; v < nr_vms; v++) {
		char comm[32];

		snprintf(comm, sizeof(comm), "qemu-vm%d", v);
		for (int i = 0; i < nr_vcpus; i++) {
			struct vcpu_sim *s = &sims[v * nr_vcpus + i];

			s->pid = 4000 + (u32)v * 100;
			s->tid = s->pid + 1 + (u32)i;
			s->vcpu = (u32)i;
			s->cpu = (u32)((v * nr_vcpus + i) % 8);
			s->now = 1000000000ULL + rnd_below(100000);
			emit_comm(s->pid, s->tid, i ? "CPU x/KVM" : comm, 1000);
		}
		emit_comm(4000 + (u32)v * 100, 4000 + (u32)v * 100, comm, 1000);
	}
	/* always advance the vCPU that is furthest behind: samples come out in time order */
	for (u64 n = 0; n < nr_exits; n++) {
		struct vcpu_sim *min = &sims[0];

		for (int i = 1; i < nr_vms * nr_vcpus; i++)
			if (sims[i].now < min->now)
				min = &sims[i];
		step(min, svm, quirks, no_entry);
		if (n % 10000 == 9999) {
			/*
			 * perf record's ordering barrier; 10000 steps move every vCPU
			 * far past the longest step, so no later sample is older
			 * than what a reader flushes here.
			 */
			static const struct perf_event_header round = {
				.type = PERF_RECORD_FINISHED_ROUND, .size = sizeof(round) };

			emit(&round, sizeof(round));
		}
		if (quirks && n == nr_exits / 2) {
			/* an end whose timestamp precedes its begin (perf drops it) */
			u8 raw[256];

			tp_raw(TP_EXIT, raw, min->pid);
			put_field(&fmts[TP_EXIT], raw, "exit_reason", svm ? 0x78 : 12);
			if (!no_entry) {
				emit_sample(TP_EXIT, min->pid, min->tid, min->cpu, min->now, raw);
				tp_raw(TP_ENTRY, raw, min->pid);
				put_field(&fmts[TP_ENTRY], raw, "vcpu_id", min->vcpu);
				emit_sample(TP_ENTRY, min->pid, min->tid, min->cpu, min->now - 10, raw);
			}
			min->now += 1000;
		}
	}

	memset(&header, 0, sizeof(header));
	header.cpuid = xstrdup(cpuid ? cpuid : svm ? "AuthenticAMD,25,1,1" : "GenuineIntel,6,85,4");
	perf_header__set_feat(&header, HEADER_CPUID);
	header.hostname = xstrdup("gen-kvm-stat");
	perf_header__set_feat(&header, HEADER_HOSTNAME);
	header.arch = xstrdup("x86_64");
	perf_header__set_feat(&header, HEADER_ARCH);
	build_blob(&blob, hp, hp_len, he, he_len);
	header.tracing_data_size = blob.len;
	header.tracing_data = strbuf_detach(&blob, NULL);
	perf_header__set_feat(&header, HEADER_TRACING_DATA);
	err = perf_writer__finish(w, &header);
	if (err)
		die_err(err, "finish");
	perf_header__exit(&header);
	perf_writer__delete(w);
	fprintf(stderr, "gen-kvm-stat: %llu records to '%s'\n", (unsigned long long)nr_written,
		out);
	for (int t = 0; t < TP_NR; t++)
		free(fmts[t].text);
	free(hp);
	free(he);
	free(sims);
	strbuf_release(&path);
	return 0;
}
