/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * layout.h - the demo guest's memory map and parameter block, shared by the
 * VMM (demo-guest.c) and the guest code (guest.S).  Plain #defines only: the
 * assembler includes it too.
 *
 * Guest physical memory (GPA) is one 32 MiB memslot.  Low 1 GiB is identity
 * mapped (GVA == GPA) with 2 MiB pages; the same physical range is mapped a
 * second time at 0xffffffff80000000 like a Linux kernel's __START_KERNEL_map,
 * so the CPL0 handler lives at kernel-looking addresses.
 *
 *   0x001000  GDT            0x002000  IDT (256 gates)
 *   0x003000  TSSs (0x80 each, one per vCPU)
 *   0x010000  page tables    0x020000  parameter block (DG_P_*)
 *   0x401000  guest user code (CPL3, native)          ELF segment "user"
 *   0x800000  user stacks    0xc00000  kernel stacks (64 KiB per vCPU)
 *   0x1000000 guest kernel code, mapped at 0xffffffff81000000 (CPL0, emulated)
 *   0x10000000  counted MMIO address (no memslot: every access exits)
 *   0x10001000  fault report address (guest exceptions, never counted)
 */
#ifndef DEMO_GUEST_LAYOUT_H
#define DEMO_GUEST_LAYOUT_H

#define DG_MEM_SIZE	0x2000000
#define DG_GDT		0x1000
#define DG_IDT		0x2000
#define DG_TSS		0x3000
#define DG_TSS_SIZE	0x80
#define DG_PML4		0x10000
#define DG_PDPT_LO	0x11000
#define DG_PDPT_HI	0x12000
#define DG_PD		0x13000
#define DG_PARAMS	0x20000
#define DG_USER_VA	0x400000
#define DG_USTACK	0x800000
#define DG_KSTACK	0xc00000
#define DG_STACK_SIZE	0x10000
#define DG_KERNEL_PA	0x1000000
#define DG_KERNEL_MAP	0xffffffff80000000
#define DG_KERNEL_VA	0xffffffff81000000
#define DG_MMIO_GPA	0x10000000
#define DG_FAULT_GPA	0x10001000
#define DG_MAX_VCPUS	16

/* selectors (Linux x86-64 layout) */
#define DG_KERNEL_CS	0x10
#define DG_KERNEL_DS	0x18
#define DG_USER_DS	0x2b
#define DG_USER_CS	0x33
#define DG_TSS_SEL(i)	(0x40 + 16 * (i))

/* parameter block: u64 fields, byte offsets from DG_PARAMS */
#define DG_P_MAGIC	0x00	/* DG_MAGIC, written by the VMM */
#define DG_P_UNIT	0x08	/* work-loop iterations per weight unit */
#define DG_P_WEIGHT	0x10	/* 4 weights: hot, warm, cool, cold */
#define DG_P_NACT	0x30	/* 7 requested action counts (DG_ACT_*) */
#define DG_P_PORT	0x68	/* PIO port of the counted in/out */
#define DG_P_DONE	0x70	/* 7 performed action counts, written by the guest */
#define DG_P_VCPU	0x100	/* per-vCPU blocks of DG_P_VCPU_SIZE bytes */
#define DG_P_VCPU_SIZE	0x40
#define DG_V_PHASE	0x00	/* 0 not started, 1 actions, 2 mix loop */
#define DG_V_PASSES	0x08	/* mix passes completed */

#define DG_MAGIC	0x6b766d70726f6621

/* actions, in the order of DG_P_NACT/DG_P_DONE; the trap passes index + 1 in %eax */
#define DG_ACT_PIO_OUT		0
#define DG_ACT_PIO_IN		1
#define DG_ACT_MMIO_WRITE	2
#define DG_ACT_MMIO_READ	3
#define DG_ACT_MSR_READ		4
#define DG_ACT_MSR_WRITE	5
#define DG_ACT_CPUID		6
#define DG_NR_ACT		7
#define DG_NR_FUNCS		4

#define DG_MSR_READ_INDEX	0x10		/* IA32_TIME_STAMP_COUNTER */
#define DG_MSR_WRITE_INDEX	0xc0000102	/* IA32_KERNEL_GS_BASE */

#endif
