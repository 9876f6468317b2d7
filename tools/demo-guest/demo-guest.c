// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmprof-demo-guest - a small KVM VMM running a 64-bit guest with a known
 * profile and exactly counted exits, for demos and end-to-end tests.
 *
 * The guest image (guest.S linked by guest.lds, embedded at build time as
 * dg_image[]) has a user segment at 0x401000 that runs natively at CPL3 and a
 * kernel segment at 0xffffffff81000000 (CPL0, emulated by KVM on kvm_pvm
 * hosts).  The user program first performs the requested actions by trapping
 * into the kernel with ud2 once per action (PIO out/in, MMIO write/read,
 * RDMSR/WRMSR, CPUID), then loops over demo_hot/warm/cool/cold forever, each
 * pass running weight_f units of identical work in function f.
 *
 * The VMM never asks the guest to signal completion through an exit: it reads
 * the guest's progress from the shared parameter block, so the only KVM
 * events are the requested ones.  Layout: layout.h.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "layout.h"

#ifndef KP_VERSION
#define KP_VERSION "unknown"
#endif

#define PROG "kvmprof-demo-guest"
#define EXIT_USAGE 129

extern const unsigned char dg_image[];
extern const size_t dg_image_size;

static const char *const func_names[DG_NR_FUNCS] = { "hot", "warm", "cool", "cold" };
static const char *const act_names[DG_NR_ACT] = {
	"pio-out", "pio-in", "mmio-write", "mmio-read", "msr-read", "msr-write", "cpuid",
};

struct options {
	uint64_t weight[DG_NR_FUNCS];
	uint64_t unit;
	uint64_t nact[DG_NR_ACT];
	unsigned int port;
	double seconds;
	int nr_vcpus;
	bool exit_after_actions;
	const char *kallsyms;
	const char *elf;
	const char *guestmount;
	const char *ready;
};

struct vcpu {
	int index;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	bool started;
	/* exits seen by this VMM, by action (only the PIO/MMIO ones are visible here) */
	uint64_t seen[DG_NR_ACT];
	int failed; /* set by the vCPU thread, read by main after a flag check */
	char err[512];
};

struct vm {
	int kvm_fd;
	int vm_fd;
	uint8_t *mem;
	struct vcpu vcpus[DG_MAX_VCPUS];
	int nr_vcpus;
	unsigned int port;
};

static volatile sig_atomic_t stop_signal;
static int stop_vcpus; /* accessed with __atomic builtins */

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void on_kick(int sig)
{
	(void)sig;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '" PROG " --help'.\n");
	exit(EXIT_USAGE);
}

/* ---- the embedded guest image ---- */

static const Elf64_Ehdr *image_ehdr(void)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)dg_image;

	if (dg_image_size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > dg_image_size ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > dg_image_size)
		return NULL;
	return eh;
}

static const Elf64_Shdr *image_shdr(int i)
{
	return (const Elf64_Shdr *)(dg_image + image_ehdr()->e_shoff) + i;
}

struct gsym {
	uint64_t addr;
	const char *name;
	bool global;
};

/* function and label symbols of the image; *nr set, array malloc'ed */
static struct gsym *image_symbols(int *nr)
{
	const Elf64_Ehdr *eh = image_ehdr();
	struct gsym *out = NULL;
	int n = 0;

	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *sh = image_shdr(i), *strsh;
		const Elf64_Sym *syms;
		size_t count;

		if (sh->sh_type != SHT_SYMTAB || sh->sh_link >= eh->e_shnum ||
		    sh->sh_offset + sh->sh_size > dg_image_size)
			continue;
		strsh = image_shdr(sh->sh_link);
		if (strsh->sh_offset + strsh->sh_size > dg_image_size)
			continue;
		syms = (const Elf64_Sym *)(dg_image + sh->sh_offset);
		count = sh->sh_size / sizeof(*syms);
		out = realloc(out, (n + count) * sizeof(*out));
		if (!out) {
			fprintf(stderr, PROG ": out of memory\n");
			exit(1);
		}
		for (size_t j = 0; j < count; j++) {
			int type = ELF64_ST_TYPE(syms[j].st_info);

			if ((type != STT_FUNC && type != STT_NOTYPE) || !syms[j].st_name ||
			    syms[j].st_shndx == SHN_UNDEF || syms[j].st_shndx == SHN_ABS ||
			    syms[j].st_name >= strsh->sh_size)
				continue;
			out[n].addr = syms[j].st_value;
			out[n].name = (const char *)dg_image + strsh->sh_offset + syms[j].st_name;
			out[n].global = ELF64_ST_BIND(syms[j].st_info) != STB_LOCAL;
			n++;
		}
	}
	*nr = n;
	return out;
}

static uint64_t image_sym(const char *name)
{
	int n;
	struct gsym *s = image_symbols(&n);
	uint64_t addr = 0;

	for (int i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			addr = s[i].addr;
	free(s);
	if (!addr) {
		fprintf(stderr, PROG ": the built-in guest image lacks symbol '%s' (rebuild)\n",
			name);
		exit(1);
	}
	return addr;
}

static void image_load(uint8_t *mem)
{
	const Elf64_Ehdr *eh = image_ehdr();
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(dg_image + eh->e_phoff);

	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset + ph[i].p_filesz > dg_image_size ||
		    ph[i].p_paddr + ph[i].p_memsz > DG_MEM_SIZE) {
			fprintf(stderr, PROG ": the built-in guest image has a bad segment %d\n", i);
			exit(1);
		}
		memcpy(mem + ph[i].p_paddr, dg_image + ph[i].p_offset, ph[i].p_filesz);
	}
}

static int cmp_gsym(const void *a, const void *b)
{
	const struct gsym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, PROG ": cannot write '%s': %s (check the directory exists and is writable)\n",
			path, strerror(errno));
		exit(1);
	}
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, PROG ": writing '%s' failed: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* the guest kernel's symbols, like /proc/kallsyms: "ADDR t NAME", sorted */
static void write_kallsyms(const char *path)
{
	int n;
	struct gsym *s = image_symbols(&n);
	FILE *f = open_out(path);

	qsort(s, n, sizeof(*s), cmp_gsym);
	for (int i = 0; i < n; i++)
		if (s[i].addr >= DG_KERNEL_MAP)
			fprintf(f, "%016llx %c %s\n", (unsigned long long)s[i].addr,
				s[i].global ? 'T' : 't', s[i].name);
	close_out(f, path);
	free(s);
}

static void write_elf(const char *path)
{
	FILE *f = open_out(path);

	fwrite(dg_image, 1, dg_image_size, f);
	close_out(f, path);
}

static void mkdir_p(const char *path)
{
	char buf[4096];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		die_usage("path too long: '%s'", path);
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST) {
			fprintf(stderr, PROG ": cannot create directory '%s': %s\n", buf,
				strerror(errno));
			exit(1);
		}
		buf[i] = path[i];
	}
}

/*
 * DIR/<our pid>/: proc/kallsyms and proc/modules (what perf kvm --guestmount=DIR
 * reads), demo-guest.elf (the guest image) and guest-user.maps: one line in
 * /proc/PID/maps format mapping the guest's user segment to that ELF, for a
 * recorder that synthesizes the GUEST_USER MMAP2 of this VMM.
 */
static void write_guestmount(const char *dir)
{
	const Elf64_Ehdr *eh = image_ehdr();
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(dg_image + eh->e_phoff);
	char path[PATH_MAX + 64], root[PATH_MAX], elf[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/proc", dir, (int)getpid());
	mkdir_p(path);
	snprintf(path, sizeof(path), "%s/%d", dir, (int)getpid());
	if (!realpath(path, root)) {
		fprintf(stderr, PROG ": cannot resolve '%s': %s\n", path, strerror(errno));
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/proc/kallsyms", root);
	write_kallsyms(path);
	snprintf(path, sizeof(path), "%s/proc/modules", root);
	close_out(open_out(path), path);
	snprintf(elf, sizeof(elf), "%s/demo-guest.elf", root);
	write_elf(elf);
	snprintf(path, sizeof(path), "%s/guest-user.maps", root);
	f = open_out(path);
	for (int i = 0; i < eh->e_phnum; i++) {
		uint64_t start = ph[i].p_vaddr & ~0xfffULL;
		uint64_t end = (ph[i].p_vaddr + ph[i].p_memsz + 0xfff) & ~0xfffULL;

		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X) || ph[i].p_vaddr >= DG_KERNEL_MAP)
			continue;
		fprintf(f, "%08llx-%08llx r-xp %08llx 00:00 0 %s\n", (unsigned long long)start,
			(unsigned long long)end, (unsigned long long)(ph[i].p_offset & ~0xfffULL), elf);
	}
	close_out(f, path);
}

/* ---- machine setup ---- */

static void set_gate(uint64_t *idt, int vec, uint64_t handler)
{
	idt[2 * vec] = (handler & 0xffff) | ((uint64_t)DG_KERNEL_CS << 16) | (0x8eULL << 40) |
		       (((handler >> 16) & 0xffff) << 48);
	idt[2 * vec + 1] = handler >> 32;
}

static void setup_memory(struct vm *vm, const struct options *o)
{
	uint8_t *m = vm->mem;
	uint64_t *gdt = (uint64_t *)(m + DG_GDT), *idt = (uint64_t *)(m + DG_IDT);
	uint64_t *pml4 = (uint64_t *)(m + DG_PML4), *pdpt_lo = (uint64_t *)(m + DG_PDPT_LO);
	uint64_t *pdpt_hi = (uint64_t *)(m + DG_PDPT_HI), *pd = (uint64_t *)(m + DG_PD);
	uint64_t *p = (uint64_t *)(m + DG_PARAMS);
	uint64_t ud = image_sym("demo_trap_ud"), fault = image_sym("demo_trap_fault");

	gdt[1] = 0x00cf9b000000ffffULL; /* 32-bit kernel code (unused) */
	gdt[2] = 0x00af9b000000ffffULL; /* 0x10 64-bit kernel code */
	gdt[3] = 0x00cf93000000ffffULL; /* 0x18 kernel data */
	gdt[4] = 0x00cffb000000ffffULL; /* 0x23 32-bit user code (unused) */
	gdt[5] = 0x00cff3000000ffffULL; /* 0x2b user data */
	gdt[6] = 0x00affb000000ffffULL; /* 0x33 64-bit user code */
	for (int i = 0; i < o->nr_vcpus; i++) {
		uint64_t tss = DG_TSS + (uint64_t)i * DG_TSS_SIZE;
		uint64_t rsp0 = DG_KSTACK + (uint64_t)(i + 1) * DG_STACK_SIZE;
		uint16_t iopb = 0x68;

		gdt[8 + 2 * i] = 0x67 | ((tss & 0xffffff) << 16) | (0x8bULL << 40) |
				 (((tss >> 24) & 0xff) << 56);
		gdt[9 + 2 * i] = tss >> 32;
		/* RSP0, and an I/O bitmap offset past the limit (no bitmap) */
		memcpy(m + tss + 4, &rsp0, sizeof(rsp0)); /* the TSS packs RSP0 unaligned */
		memcpy(m + tss + 0x66, &iopb, sizeof(iopb));
	}
	for (int v = 0; v < 32; v++)
		set_gate(idt, v, v == 6 ? ud : fault + 16 * v);

	pml4[0] = DG_PDPT_LO | 7;
	pml4[511] = DG_PDPT_HI | 7;
	pdpt_lo[0] = DG_PD | 7;
	pdpt_hi[510] = DG_PD | 7; /* 0xffffffff80000000 -> physical 0 */
	for (int i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x87;

	p[DG_P_MAGIC / 8] = DG_MAGIC;
	p[DG_P_UNIT / 8] = o->unit;
	for (int i = 0; i < DG_NR_FUNCS; i++)
		p[DG_P_WEIGHT / 8 + i] = o->weight[i];
	for (int i = 0; i < DG_NR_ACT; i++)
		p[DG_P_NACT / 8 + i] = o->nact[i];
	p[DG_P_PORT / 8] = o->port;
	image_load(m);
}

static void set_seg(struct kvm_segment *s, uint16_t sel, bool code)
{
	memset(s, 0, sizeof(*s));
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = code ? 0xb : 0x3;
	s->present = 1;
	s->dpl = 3;
	s->db = !code;
	s->s = 1;
	s->l = code;
	s->g = 1;
}

static void kvm_fail(const char *what, int index)
{
	if (index >= 0)
		fprintf(stderr, PROG ": %s (vCPU %d) failed: %s\n", what, index, strerror(errno));
	else
		fprintf(stderr, PROG ": %s failed: %s\n", what, strerror(errno));
	fprintf(stderr, "  this needs a working /dev/kvm that runs 64-bit guests; "
		"check 'dmesg' for KVM errors\n");
	exit(1);
}

static void setup_vcpu(struct vm *vm, struct vcpu *v, struct kvm_cpuid2 *cpuid)
{
	struct kvm_sregs sr;
	struct kvm_regs r;
	int run_size;

	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, v->index);
	if (v->fd < 0)
		kvm_fail("KVM_CREATE_VCPU", v->index);
	run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(struct kvm_run))
		kvm_fail("KVM_GET_VCPU_MMAP_SIZE", v->index);
	v->run_size = run_size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		kvm_fail("mmap of the vCPU run area", v->index);
	if (ioctl(v->fd, KVM_SET_CPUID2, cpuid) < 0)
		kvm_fail("KVM_SET_CPUID2", v->index);
	if (ioctl(v->fd, KVM_GET_SREGS, &sr) < 0)
		kvm_fail("KVM_GET_SREGS", v->index);

	sr.cr0 = 0x80050033; /* PG WP AM NE ET MP PE */
	sr.cr4 = 0x620; /* PAE OSFXSR OSXMMEXCPT */
	sr.cr3 = DG_PML4;
	sr.efer = 0x501; /* LMA LME SCE */
	sr.gdt.base = DG_GDT;
	sr.gdt.limit = 0x40 + 16 * DG_MAX_VCPUS - 1;
	sr.idt.base = DG_IDT;
	sr.idt.limit = 32 * 16 - 1;
	set_seg(&sr.cs, DG_USER_CS, true);
	set_seg(&sr.ss, DG_USER_DS, false);
	sr.ds = sr.es = sr.fs = sr.gs = sr.ss;
	memset(&sr.tr, 0, sizeof(sr.tr));
	sr.tr.base = DG_TSS + (uint64_t)v->index * DG_TSS_SIZE;
	sr.tr.limit = 0x67;
	sr.tr.selector = DG_TSS_SEL(v->index);
	sr.tr.type = 11;
	sr.tr.present = 1;
	memset(&sr.ldt, 0, sizeof(sr.ldt));
	sr.ldt.type = 2;
	sr.ldt.unusable = 1;
	if (ioctl(v->fd, KVM_SET_SREGS, &sr) < 0)
		kvm_fail("KVM_SET_SREGS", v->index);

	memset(&r, 0, sizeof(r));
	r.rip = image_sym("demo_start");
	r.rsp = DG_USTACK + (uint64_t)(v->index + 1) * DG_STACK_SIZE;
	r.rdi = v->index;
	r.rflags = 0x202;
	if (ioctl(v->fd, KVM_SET_REGS, &r) < 0)
		kvm_fail("KVM_SET_REGS", v->index);
}

static void setup_vm(struct vm *vm, const struct options *o)
{
	struct kvm_userspace_memory_region reg;
	struct kvm_cpuid2 *cpuid;
	int api;

	vm->port = o->port;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		fprintf(stderr, PROG ": cannot open /dev/kvm: %s\n", strerror(errno));
		if (errno == ENOENT)
			fprintf(stderr, "  load KVM ('modprobe kvm_intel' or 'modprobe kvm_amd') "
				"or run on a machine with virtualization enabled\n");
		else
			fprintf(stderr, "  run as root or add your user to the group owning "
				"/dev/kvm (usually 'kvm')\n");
		exit(1);
	}
	api = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION) {
		fprintf(stderr, PROG ": /dev/kvm has API version %d, this program needs %d\n", api,
			KVM_API_VERSION);
		exit(1);
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		kvm_fail("KVM_CREATE_VM", -1);
	vm->mem = mmap(NULL, DG_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED)
		kvm_fail("mmap of guest memory", -1);
	memset(&reg, 0, sizeof(reg));
	reg.memory_size = DG_MEM_SIZE;
	reg.userspace_addr = (uint64_t)(uintptr_t)vm->mem;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &reg) < 0)
		kvm_fail("KVM_SET_USER_MEMORY_REGION", -1);
	setup_memory(vm, o);

	cpuid = calloc(1, sizeof(*cpuid) + 256 * sizeof(struct kvm_cpuid_entry2));
	if (!cpuid) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	cpuid->nent = 256;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		kvm_fail("KVM_GET_SUPPORTED_CPUID", -1);
	vm->nr_vcpus = o->nr_vcpus;
	for (int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].index = i;
		setup_vcpu(vm, &vm->vcpus[i], cpuid);
	}
	free(cpuid);
}

/* ---- running ---- */

static volatile uint64_t *guest_u64(struct vm *vm, uint64_t gpa)
{
	return (volatile uint64_t *)(vm->mem + gpa);
}

static uint64_t vcpu_phase(struct vm *vm, int i)
{
	return *guest_u64(vm, DG_PARAMS + DG_P_VCPU + i * DG_P_VCPU_SIZE + DG_V_PHASE);
}

static void vcpu_report_fault(struct vm *vm, struct vcpu *v, uint32_t code)
{
	struct kvm_regs r;
	uint64_t rip = 0, err = 0;

	/* the stub runs on the kernel stack: [error code,] rip, cs, rflags, rsp, ss */
	if (ioctl(v->fd, KVM_GET_REGS, &r) == 0 && r.rsp >= DG_KSTACK &&
	    r.rsp + 48 <= DG_KSTACK + DG_MAX_VCPUS * DG_STACK_SIZE) {
		uint64_t *st = (uint64_t *)(vm->mem + r.rsp);

		rip = st[0];
		err = st[1];
	}
	if (code >> 24 == 0xfa)
		snprintf(v->err, sizeof(v->err),
			 "guest exception vector %u (frame word 0x%llx, next 0x%llx)", code & 0xff,
			 (unsigned long long)rip, (unsigned long long)err);
	else
		snprintf(v->err, sizeof(v->err), "guest kernel reported code 0x%x", code);
}

static bool vcpu_handle_exit(struct vm *vm, struct vcpu *v)
{
	struct kvm_run *run = v->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (run->io.port != vm->port || run->io.count != 1)
			break;
		if (run->io.direction == KVM_EXIT_IO_OUT) {
			v->seen[DG_ACT_PIO_OUT]++;
		} else {
			memset((uint8_t *)run + run->io.data_offset, 0x5a, run->io.size);
			v->seen[DG_ACT_PIO_IN]++;
		}
		return true;
	case KVM_EXIT_MMIO:
		if (run->mmio.phys_addr == DG_MMIO_GPA) {
			if (run->mmio.is_write) {
				v->seen[DG_ACT_MMIO_WRITE]++;
			} else {
				memset(run->mmio.data, 0xa5, sizeof(run->mmio.data));
				v->seen[DG_ACT_MMIO_READ]++;
			}
			return true;
		}
		if (run->mmio.phys_addr == DG_FAULT_GPA && run->mmio.is_write) {
			uint32_t code;

			memcpy(&code, run->mmio.data, sizeof(code));
			vcpu_report_fault(vm, v, code);
			return false;
		}
		snprintf(v->err, sizeof(v->err), "unexpected MMIO %s at 0x%llx",
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr);
		return false;
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(v->err, sizeof(v->err), "KVM_RUN: entry failed, hardware reason 0x%llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return false;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(v->err, sizeof(v->err), "KVM_RUN: KVM internal error, suberror %u",
			 run->internal.suberror);
		return false;
	default:
		break;
	}
	if (run->exit_reason == KVM_EXIT_IO)
		snprintf(v->err, sizeof(v->err), "unexpected PIO %s at port 0x%x",
			 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in", run->io.port);
	else
		snprintf(v->err, sizeof(v->err), "unexpected exit reason %u", run->exit_reason);
	return false;
}

static struct vm the_vm;

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;

	while (!__atomic_load_n(&stop_vcpus, __ATOMIC_ACQUIRE)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(v->err, sizeof(v->err), "KVM_RUN failed: %s", strerror(errno));
			break;
		}
		if (!vcpu_handle_exit(&the_vm, v))
			break;
	}
	if (v->err[0])
		__atomic_store_n(&v->failed, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void write_ready(const char *path)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = open_out(tmp);
	fprintf(f, "%d\n", (int)getpid());
	close_out(f, tmp);
	if (rename(tmp, path)) {
		fprintf(stderr, PROG ": cannot rename '%s' to '%s': %s\n", tmp, path,
			strerror(errno));
		exit(1);
	}
}

static int run_vm(struct vm *vm, const struct options *o, double *elapsed)
{
	struct sigaction sa;
	sigset_t block, old;
	bool ready = false;
	int failed = -1;
	double t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick; /* no SA_RESTART: the kick must interrupt KVM_RUN */
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* vCPU threads leave SIGINT/SIGTERM to the main thread */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	t0 = now();
	for (int i = 0; i < vm->nr_vcpus; i++) {
		errno = pthread_create(&vm->vcpus[i].thread, NULL, vcpu_thread, &vm->vcpus[i]);
		if (errno) {
			fprintf(stderr, PROG ": cannot start vCPU thread %d: %s\n", i,
				strerror(errno));
			break;
		}
		vm->vcpus[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	while (!stop_signal) {
		struct timespec ts = { .tv_nsec = 2 * 1000 * 1000 };
		bool all_mix = true;

		for (int i = 0; i < vm->nr_vcpus; i++) {
			if (!vm->vcpus[i].started ||
			    __atomic_load_n(&vm->vcpus[i].failed, __ATOMIC_ACQUIRE))
				failed = i;
			if (vcpu_phase(vm, i) != 2)
				all_mix = false;
		}
		if (failed >= 0)
			break;
		if (all_mix && o->ready && !ready) {
			write_ready(o->ready);
			ready = true;
		}
		if (o->exit_after_actions && vcpu_phase(vm, 0) == 2)
			break;
		if (o->seconds > 0 && now() - t0 >= o->seconds)
			break;
		nanosleep(&ts, NULL);
	}

	__atomic_store_n(&stop_vcpus, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!v->started)
			continue;
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_RELEASE);
		pthread_kill(v->thread, SIGUSR1);
	}
	for (int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].started)
			pthread_join(vm->vcpus[i].thread, NULL);
	*elapsed = now() - t0;

	for (int i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].err[0]) {
			fprintf(stderr, PROG ": vCPU %d: %s\n", i, vm->vcpus[i].err);
			failed = i;
		}
	}
	return failed >= 0 ? -1 : 0;
}

/* ---- options ---- */

static void usage(FILE *f)
{
	fprintf(f,
"usage: " PROG " [OPTIONS]\n"
"\n"
"Run a small 64-bit KVM guest with a known CPU profile and exactly counted exits.\n"
"\n"
"  --mix hot=W,warm=W,cool=W,cold=W   relative CPU cost of demo_hot/warm/cool/cold\n"
"                             (default hot=50,warm=30,cool=15,cold=5; unnamed ones 0)\n"
"  --unit N                   work-loop iterations per weight unit (default 10000)\n"
"  --pio-out N, --pio-in N    PIO writes/reads of one byte to --pio-port (default 0)\n"
"  --pio-port P               the port (default 0x3f8)\n"
"  --mmio-write N, --mmio-read N   4-byte MMIO accesses to GPA 0x10000000 (default 0)\n"
"  --msr-read N, --msr-write N     RDMSR 0x10 / WRMSR 0xc0000102 (default 0)\n"
"  --cpuid N                  CPUID leaf 0 (default 0)\n"
"  -t, --time SECONDS         stop after SECONDS (default 10; 0 = until a signal)\n"
"  --exit-after-actions       stop as soon as all the actions above are done\n"
"  --vcpus N                  vCPUs running the mix (default 1; only vCPU 0 does actions)\n"
"  --kallsyms FILE            write the guest kernel's symbols in /proc/kallsyms format\n"
"  --elf FILE                 write the guest image (ELF with symbols) to FILE\n"
"  --guestmount DIR           write DIR/<pid>/proc/{kallsyms,modules}, DIR/<pid>/demo-guest.elf\n"
"                             and DIR/<pid>/guest-user.maps (see the man page)\n"
"  --ready FILE               create FILE (holding the pid) once every vCPU runs the mix\n"
"  -h, --help, --version\n"
"\n"
"The actions run first, then the mix loops until the time limit, SIGINT or SIGTERM.\n"
"Stopping prints one summary line and exits 0; errors exit 1, usage errors 129.\n");
}

static uint64_t parse_u64(const char *s, const char *what, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v > max)
		die_usage("bad number for %s", what);
	return v;
}

static void parse_mix(struct options *o, const char *arg)
{
	char buf[256];
	char *save = NULL, *tok;
	uint64_t sum = 0;

	if (strlen(arg) >= sizeof(buf))
		die_usage("--mix too long: '%s'", arg);
	memcpy(buf, arg, strlen(arg) + 1);
	memset(o->weight, 0, sizeof(o->weight));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		const char *name = tok;
		int i;

		if (!eq)
			die_usage("--mix wants NAME=WEIGHT items, got '%s'", tok);
		*eq = '\0';
		if (!strncmp(name, "demo_", 5))
			name += 5;
		for (i = 0; i < DG_NR_FUNCS; i++)
			if (!strcmp(name, func_names[i]))
				break;
		if (i == DG_NR_FUNCS)
			die_usage("--mix: unknown function '%s' (hot, warm, cool, cold)", name);
		o->weight[i] = parse_u64(eq + 1, "--mix weight", 1000000);
		sum += o->weight[i];
	}
	if (!sum)
		die_usage("--mix: the weights add up to 0%s", "");
}

enum { OPT_MIX = 256, OPT_UNIT, OPT_PORT, OPT_ACT, OPT_EXIT_AFTER = OPT_ACT + DG_NR_ACT,
	OPT_VCPUS, OPT_KALLSYMS, OPT_ELF, OPT_GUESTMOUNT, OPT_READY, OPT_VERSION };

static void parse_options(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "mix", required_argument, NULL, OPT_MIX },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "pio-port", required_argument, NULL, OPT_PORT },
		{ "pio-out", required_argument, NULL, OPT_ACT + DG_ACT_PIO_OUT },
		{ "pio-in", required_argument, NULL, OPT_ACT + DG_ACT_PIO_IN },
		{ "mmio-write", required_argument, NULL, OPT_ACT + DG_ACT_MMIO_WRITE },
		{ "mmio-read", required_argument, NULL, OPT_ACT + DG_ACT_MMIO_READ },
		{ "msr-read", required_argument, NULL, OPT_ACT + DG_ACT_MSR_READ },
		{ "msr-write", required_argument, NULL, OPT_ACT + DG_ACT_MSR_WRITE },
		{ "cpuid", required_argument, NULL, OPT_ACT + DG_ACT_CPUID },
		{ "time", required_argument, NULL, 't' },
		{ "exit-after-actions", no_argument, NULL, OPT_EXIT_AFTER },
		{ "vcpus", required_argument, NULL, OPT_VCPUS },
		{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
		{ "elf", required_argument, NULL, OPT_ELF },
		{ "guestmount", required_argument, NULL, OPT_GUESTMOUNT },
		{ "ready", required_argument, NULL, OPT_READY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	parse_mix(o, "hot=50,warm=30,cool=15,cold=5");
	o->unit = 10000;
	o->port = 0x3f8;
	o->seconds = 10;
	o->nr_vcpus = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:h", longopts, NULL)) != -1) {
		if (c >= OPT_ACT && c < OPT_ACT + DG_NR_ACT) {
			o->nact[c - OPT_ACT] = parse_u64(optarg, act_names[c - OPT_ACT],
							 1ULL << 40);
			continue;
		}
		switch (c) {
		case OPT_MIX:
			parse_mix(o, optarg);
			break;
		case OPT_UNIT:
			o->unit = parse_u64(optarg, "--unit", 1ULL << 32);
			if (!o->unit)
				die_usage("--unit must be at least 1%s", "");
			break;
		case OPT_PORT:
			o->port = parse_u64(optarg, "--pio-port", 0xffff);
			break;
		case 't': {
			char *end;

			errno = 0;
			o->seconds = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->seconds >= 0) ||
			    o->seconds > 1e7)
				die_usage("bad number of seconds '%s'", optarg);
			break;
		}
		case OPT_EXIT_AFTER:
			o->exit_after_actions = true;
			break;
		case OPT_VCPUS:
			o->nr_vcpus = parse_u64(optarg, "--vcpus", DG_MAX_VCPUS);
			if (!o->nr_vcpus)
				die_usage("--vcpus must be at least 1%s", "");
			break;
		case OPT_KALLSYMS:
			o->kallsyms = optarg;
			break;
		case OPT_ELF:
			o->elf = optarg;
			break;
		case OPT_GUESTMOUNT:
			o->guestmount = optarg;
			break;
		case OPT_READY:
			o->ready = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_VERSION:
			printf(PROG " version %s\n", KP_VERSION);
			exit(0);
		case ':':
			die_usage("option '%s' needs a value", argv[optind - 1]);
			break;
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
}

int main(int argc, char **argv)
{
	struct vm *vm = &the_vm;
	struct options o;
	uint64_t done[DG_NR_ACT], seen[DG_NR_ACT] = { 0 }, passes = 0;
	bool complete = true, mismatch = false;
	double elapsed = 0;
	int rc;

	parse_options(&o, argc, argv);
	if (!image_ehdr()) {
		fprintf(stderr, PROG ": the built-in guest image is corrupt (rebuild)\n");
		return 1;
	}
	if (o.kallsyms)
		write_kallsyms(o.kallsyms);
	if (o.elf)
		write_elf(o.elf);
	setup_vm(vm, &o);
	if (o.guestmount)
		write_guestmount(o.guestmount);

	rc = run_vm(vm, &o, &elapsed);

	for (int i = 0; i < DG_NR_ACT; i++) {
		done[i] = *guest_u64(vm, DG_PARAMS + DG_P_DONE + 8 * i);
		for (int j = 0; j < vm->nr_vcpus; j++)
			seen[i] += vm->vcpus[j].seen[i];
		if (done[i] != o.nact[i])
			complete = false;
	}
	for (int j = 0; j < vm->nr_vcpus; j++)
		passes += *guest_u64(vm, DG_PARAMS + DG_P_VCPU + j * DG_P_VCPU_SIZE + DG_V_PASSES);
	/* PIO and MMIO reach this process, so they are checked against the guest's tally */
	for (int i = DG_ACT_PIO_OUT; i <= DG_ACT_MMIO_READ && complete; i++)
		if (seen[i] != done[i])
			mismatch = true;

	printf("demo-guest: %.2f s, %d vcpu%s, pio-out %llu, pio-in %llu (port 0x%x), "
	       "mmio-write %llu, mmio-read %llu, msr-read %llu, msr-write %llu, cpuid %llu, "
	       "mix hot=%llu,warm=%llu,cool=%llu,cold=%llu, %llu passes%s\n",
	       elapsed, vm->nr_vcpus, vm->nr_vcpus == 1 ? "" : "s",
	       (unsigned long long)done[0], (unsigned long long)done[1], o.port,
	       (unsigned long long)done[2], (unsigned long long)done[3],
	       (unsigned long long)done[4], (unsigned long long)done[5],
	       (unsigned long long)done[6], (unsigned long long)o.weight[0],
	       (unsigned long long)o.weight[1], (unsigned long long)o.weight[2],
	       (unsigned long long)o.weight[3], (unsigned long long)passes,
	       complete ? "" : " (stopped before all actions ran)");
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": writing standard output failed\n");
		return 1;
	}
	if (mismatch) {
		fprintf(stderr, PROG ": the VMM saw pio-out %llu, pio-in %llu, mmio-write %llu, "
			"mmio-read %llu exits but the guest counted otherwise\n",
			(unsigned long long)seen[0], (unsigned long long)seen[1],
			(unsigned long long)seen[2], (unsigned long long)seen[3]);
		return 1;
	}
	return rc ? 1 : 0;
}
