// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - trace-event JSON timeline of KVM intervals (see timeline.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "ui/timeline.h"

struct tl_event {
	u64 start, dur;
	u64 key;
	s64 vcpu;
	u32 pid;
	int info;
};

struct timeline {
	struct tl_event *ev;
	size_t nr, alloc;
};

struct timeline *timeline__new(void)
{
	return xcalloc(1, sizeof(struct timeline));
}

void timeline__delete(struct timeline *tl)
{
	if (!tl)
		return;
	free(tl->ev);
	free(tl);
}

void timeline__kvm_interval(void *arg, const struct kvm_stat_slow *s)
{
	struct timeline *tl = arg;

	ALLOC_GROW(tl->ev, tl->nr + 1, tl->alloc);
	tl->ev[tl->nr++] = (struct tl_event){
		.start = s->time - s->diff,
		.dur = s->diff,
		.key = s->key,
		.vcpu = s->vcpu,
		.pid = s->pid,
		.info = s->info,
	};
}

size_t timeline__nr_events(const struct timeline *tl)
{
	return tl->nr;
}

static void add_json_str(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20)
			strbuf_addf(sb, "\\u%04x", c);
		else
			strbuf_addch(sb, (char)c);
	}
	strbuf_addch(sb, '"');
}

/* ns as microseconds with three decimals, without going through a double */
static void add_us(struct strbuf *sb, u64 ns)
{
	strbuf_addf(sb, "%llu.%03llu", (unsigned long long)(ns / 1000),
		    (unsigned long long)(ns % 1000));
}

static int cmp_pid_vcpu(const void *pa, const void *pb)
{
	const struct tl_event *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->vcpu != b->vcpu)
		return a->vcpu < b->vcpu ? -1 : 1;
	return 0;
}

int timeline__write(const struct timeline *tl, const char *path, const struct kvm_stat *kvm,
		    const char *(*vm_name)(u32 pid, void *arg), void *vm_arg)
{
	struct strbuf sb = STRBUF_INIT;
	struct tl_event *ids = NULL;
	size_t nr_ids = 0;
	char name[128];
	bool first = true;
	FILE *fp = fopen(path, "w");
	int err = 0;

	if (!fp)
		return kp_error(-errno, "'%s': cannot create the timeline: %s", path,
				strerror(errno));
	/* metadata: one process per VM, one thread per vCPU, each once */
	if (tl->nr) {
		ids = xmalloc(tl->nr * sizeof(*ids));
		memcpy(ids, tl->ev, tl->nr * sizeof(*ids));
		qsort(ids, tl->nr, sizeof(*ids), cmp_pid_vcpu);
		for (size_t i = 0; i < tl->nr; i++)
			if (!nr_ids || cmp_pid_vcpu(&ids[nr_ids - 1], &ids[i]))
				ids[nr_ids++] = ids[i];
	}
	strbuf_addstr(&sb, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	for (size_t i = 0; i < nr_ids; i++) {
		const char *vm = vm_name ? vm_name(ids[i].pid, vm_arg) : NULL;

		if (!i || ids[i].pid != ids[i - 1].pid) {
			strbuf_addf(&sb, "%s\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,"
					 "\"tid\":0,\"args\":{\"name\":",
				    first ? "" : ",", ids[i].pid);
			first = false;
			if (vm && *vm)
				snprintf(name, sizeof(name), "VM %u (%s)", ids[i].pid, vm);
			else
				snprintf(name, sizeof(name), "VM %u", ids[i].pid);
			add_json_str(&sb, name);
			strbuf_addstr(&sb, "}}");
		}
		strbuf_addf(&sb, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%u,"
				 "\"tid\":%lld,\"args\":{\"name\":\"vCPU %lld\"}}",
			    ids[i].pid, (long long)ids[i].vcpu, (long long)ids[i].vcpu);
	}
	for (size_t i = 0; i < tl->nr; i++) {
		const struct tl_event *e = &tl->ev[i];

		if (!kvm_stat__key_name(kvm, e->key, e->info, name, sizeof(name)))
			snprintf(name, sizeof(name), "%#llx", (unsigned long long)e->key);
		strbuf_addstr(&sb, first ? "\n" : ",\n");
		first = false;
		strbuf_addstr(&sb, "{\"ph\":\"X\",\"cat\":\"kvm\",\"name\":");
		add_json_str(&sb, name);
		strbuf_addf(&sb, ",\"pid\":%u,\"tid\":%lld,\"ts\":", e->pid, (long long)e->vcpu);
		add_us(&sb, e->start);
		strbuf_addstr(&sb, ",\"dur\":");
		add_us(&sb, e->dur);
		strbuf_addf(&sb, ",\"args\":{\"key\":%llu}}", (unsigned long long)e->key);
		if (sb.len > (1 << 20)) {
			fwrite(sb.buf, 1, sb.len, fp);
			strbuf_reset(&sb);
		}
	}
	strbuf_addstr(&sb, "\n]}\n");
	fwrite(sb.buf, 1, sb.len, fp);
	if (ferror(fp))
		err = kp_error(-EIO, "'%s': write failed (disk full?)", path);
	if (fclose(fp) && !err)
		err = kp_error(-EIO, "'%s': write failed at close (disk full?)", path);
	strbuf_release(&sb);
	free(ids);
	return err;
}
