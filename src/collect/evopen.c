// SPDX-License-Identifier: GPL-2.0
/*
 * evopen.c - perf_event_open() and perf ioctls, with the attr log and dry run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "collect/evopen.h"
#include "util/util.h"

static const char *const sample_bits[] = {
	"IP", "TID", "TIME", "ADDR", "READ", "CALLCHAIN", "ID", "CPU", "PERIOD", "STREAM_ID",
	"RAW", "BRANCH_STACK", "REGS_USER", "STACK_USER", "WEIGHT", "DATA_SRC", "IDENTIFIER",
	"TRANSACTION", "REGS_INTR", "PHYS_ADDR", "AUX", "CGROUP", "DATA_PAGE_SIZE",
	"CODE_PAGE_SIZE", "WEIGHT_STRUCT",
};

static const char *const read_bits[] = {
	"TOTAL_TIME_ENABLED", "TOTAL_TIME_RUNNING", "ID", "GROUP", "LOST",
};

/* indexed by enum kp_attr_flag_bit; NULL = not a single-bit flag */
static const char *const flag_bits[] = {
	"disabled", "inherit", "pinned", "exclusive", "exclude_user", "exclude_kernel",
	"exclude_hv", "exclude_idle", "mmap", "comm", "freq", "inherit_stat", "enable_on_exec",
	"task", "watermark", NULL, NULL, "mmap_data", "sample_id_all", "exclude_host",
	"exclude_guest", "exclude_callchain_kernel", "exclude_callchain_user", "mmap2",
	"comm_exec", "use_clockid", "context_switch", "write_backward", "namespaces", "ksymbol",
	"bpf_event", "aux_output", "cgroup", "text_poke", "build_id", "inherit_thread",
	"remove_on_exec", "sigtrap",
};

static void add_bits(struct strbuf *sb, u64 val, const char *const *names, size_t nr)
{
	bool first = true;

	if (!val) {
		strbuf_addch(sb, '0');
		return;
	}
	for (size_t i = 0; i < 64; i++) {
		if (!(val & (1ULL << i)))
			continue;
		if (!first)
			strbuf_addch(sb, '|');
		first = false;
		if (i < nr && names[i])
			strbuf_addstr(sb, names[i]);
		else
			strbuf_addf(sb, "bit%zu", i);
	}
}

void kp_attr__strbuf(const struct kp_attr *attr, struct strbuf *sb)
{
	u64 flags = attr->flags & ~(3ULL << KP_ATTR_PRECISE_IP);

	strbuf_addf(sb, "type=%u size=%u config=%#llx ", attr->type, attr->size,
		    (unsigned long long)attr->config);
	strbuf_addf(sb, "%s=%llu sample_type=", kp_attr_flag(attr, KP_ATTR_FREQ) ? "freq" : "period",
		    (unsigned long long)attr->sample_period);
	add_bits(sb, attr->sample_type, sample_bits, ARRAY_SIZE(sample_bits));
	strbuf_addstr(sb, " read_format=");
	add_bits(sb, attr->read_format, read_bits, ARRAY_SIZE(read_bits));
	strbuf_addstr(sb, " attr_flags=");
	add_bits(sb, flags, flag_bits, ARRAY_SIZE(flag_bits));
	if (kp_attr_precise_ip(attr))
		strbuf_addf(sb, " precise_ip=%u", (unsigned)kp_attr_precise_ip(attr));
	strbuf_addf(sb, " wakeup_events=%u", attr->wakeup_events);
	if (attr->config1 || attr->config2)
		strbuf_addf(sb, " config1=%#llx config2=%#llx", (unsigned long long)attr->config1,
			    (unsigned long long)attr->config2);
	if (attr->branch_sample_type)
		strbuf_addf(sb, " branch_sample_type=%#llx",
			    (unsigned long long)attr->branch_sample_type);
	if (attr->sample_max_stack)
		strbuf_addf(sb, " sample_max_stack=%u", attr->sample_max_stack);
	if (kp_attr_flag(attr, KP_ATTR_USE_CLOCKID))
		strbuf_addf(sb, " clockid=%d", attr->clockid);
}

bool kp_event_dryrun(void)
{
	const char *s = getenv("KVMPROF_ATTR_DRYRUN");

	return s && *s && strcmp(s, "0");
}

static void log_open(const struct kp_attr *attr, pid_t pid, int cpu, int group_fd,
		     unsigned long flags, int ret)
{
	const char *path = getenv("KVMPROF_ATTR_LOG");
	struct strbuf sb = STRBUF_INIT;
	int fd;

	if (!path || !*path)
		return;
	strbuf_addf(&sb, "open pid=%d cpu=%d group_fd=%d flags=%#lx ", (int)pid, cpu, group_fd,
		    flags);
	kp_attr__strbuf(attr, &sb);
	if (ret >= 0)
		strbuf_addstr(&sb, " ret=ok\n");
	else
		strbuf_addf(&sb, " ret=%d\n", ret);
	/* O_APPEND + one write() per line keeps lines whole across processes */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, sb.buf, sb.len) != (ssize_t)sb.len)
			pr_warning("cannot write the attr log '%s'", path);
		close(fd);
	} else {
		pr_warning_once("cannot open the attr log '%s': %s", path, strerror(errno));
	}
	strbuf_release(&sb);
}

int kp_event_open(const struct kp_attr *attr, pid_t pid, int cpu, int group_fd,
		  unsigned long flags)
{
	struct kp_attr a = *attr;
	int ret;

	if (!a.size)
		a.size = KP_ATTR_SIZE_VER7;
	flags |= PERF_FLAG_FD_CLOEXEC;
	if (kp_event_dryrun()) {
		ret = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (ret < 0)
			ret = -errno;
	} else {
		ret = (int)syscall(SYS_perf_event_open, &a, pid, cpu, group_fd, flags);
		if (ret < 0)
			ret = -errno;
	}
	log_open(&a, pid, cpu, group_fd, flags, ret);
	return ret;
}

bool kp_event_have_hw_pmu(void)
{
	struct kp_attr a = { .type = PERF_TYPE_HARDWARE, .size = KP_ATTR_SIZE_VER7,
			     .config = PERF_COUNT_HW_CPU_CYCLES };
	int fd;

	if (kp_event_dryrun())
		return !access("/sys/bus/event_source/devices/cpu", F_OK) ||
		       !access("/sys/bus/event_source/devices/cpu_core", F_OK);
	kp_attr_set_flag(&a, KP_ATTR_DISABLED);
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_KERNEL);
	kp_attr_set_flag(&a, KP_ATTR_EXCLUDE_HV);
	fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static u64 fake_id;

int kp_event_ioctl(int fd, unsigned long request, unsigned long arg)
{
	if (kp_event_dryrun()) {
		if (request == PERF_EVENT_IOC_ID)
			*(u64 *)arg = ++fake_id;
		return 0;
	}
	if (ioctl(fd, request, arg) < 0)
		return -errno;
	return 0;
}

int kp_event_id(int fd, u64 *id)
{
	*id = 0;
	return kp_event_ioctl(fd, PERF_EVENT_IOC_ID, (unsigned long)id);
}

static int read_paranoid(void)
{
	struct strbuf sb = STRBUF_INIT;
	int val = -100;

	if (strbuf_read_file(&sb, "/proc/sys/kernel/perf_event_paranoid", 64) > 0)
		val = atoi(sb.buf);
	strbuf_release(&sb);
	return val;
}

int kp_event_open_error(int err, const char *what)
{
	switch (-err) {
	case EACCES:
	case EPERM: {
		int p = read_paranoid();

		return kp_error(KP_ERR_NO_PERMISSION,
				"no permission to open %s (kernel.perf_event_paranoid = %d): "
				"run as root, or allow it with 'sysctl kernel.perf_event_paranoid=-1' "
				"(system-wide/guest profiling needs <= 0, or CAP_PERFMON)",
				what, p);
	}
	case ENOENT:
	case EOPNOTSUPP:
	case ENODEV:
		return kp_error(KP_ERR_UNSUPPORTED,
				"%s is not supported on this machine (%s); try -e cpu-clock", what,
				strerror(-err));
	case EMFILE:
		return kp_error(err, "too many open files opening %s: raise 'ulimit -n'", what);
	case ESRCH:
		return kp_error(err, "cannot open %s: no such process", what);
	case EINVAL:
		return kp_error(err, "the kernel rejected %s (invalid argument): an option is not "
				     "supported by this kernel or event", what);
	default:
		return kp_error(err, "cannot open %s: %s", what, strerror(-err));
	}
}
