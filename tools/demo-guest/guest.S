/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * guest.S - the demo guest: a CPL3 program (runs natively under KVM) with four
 * work functions of known relative cost, and a tiny CPL0 "kernel" (emulated by
 * kvm_pvm) whose #UD handler performs one PIO/MMIO/MSR/CPUID action per trap.
 *
 * User/kernel ABI: user code puts action index + 1 in %eax and executes ud2;
 * the #UD handler performs the action, skips the ud2 and iretq's back.  The
 * handler may clobber %rax, %rcx and %rdx.
 *
 * Time shape: every pass of the mix loop calls demo_<f>(weight_f * unit), and
 * every function runs the same loop body once per iteration, so each
 * function's share of the guest's CPU time equals its share of the weights.
 */
#include "layout.h"

#define P(off)	(DG_PARAMS + (off))

/* one unit of fixed work per iteration; identical in every function */
.macro WORKFN name
	.balign 64
	.globl \name
	.type \name, @function
\name:
	test %rdi, %rdi
	jz 2f
1:	add $3, %rax
	xor %rax, %rdx
	imul $7, %rdx, %rdx
	dec %rdi
	jnz 1b
2:	ret
	.size \name, . - \name
.endm

	.section .text, "ax"
	.code64

/* entry at CPL3: %rdi = vCPU index, %rsp = this vCPU's user stack */
	.balign 64
	.globl demo_start
	.type demo_start, @function
demo_start:
	mov %rdi, %r12
	shl $6, %rdi			/* DG_P_VCPU_SIZE */
	lea P(DG_P_VCPU)(%rdi), %r13	/* this vCPU's block */
	movq $1, DG_V_PHASE(%r13)
	test %r12, %r12
	jnz 1f				/* only vCPU 0 performs the counted actions */
	call demo_actions
1:	movq $2, DG_V_PHASE(%r13)
	mov P(DG_P_UNIT), %r14
	call demo_main
	ud2				/* not reached */
	.size demo_start, . - demo_start

/* the profiled loop: never returns */
	.balign 64
	.globl demo_main
	.type demo_main, @function
demo_main:
1:	mov P(DG_P_WEIGHT + 0), %rdi
	imul %r14, %rdi
	call demo_hot
	mov P(DG_P_WEIGHT + 8), %rdi
	imul %r14, %rdi
	call demo_warm
	mov P(DG_P_WEIGHT + 16), %rdi
	imul %r14, %rdi
	call demo_cool
	mov P(DG_P_WEIGHT + 24), %rdi
	imul %r14, %rdi
	call demo_cold
	incq DG_V_PASSES(%r13)
	jmp 1b
	.size demo_main, . - demo_main

/* performs every requested action by trapping into the kernel once per action */
	.balign 64
	.globl demo_actions
	.type demo_actions, @function
demo_actions:
	xor %ebx, %ebx			/* action index */
1:	mov P(DG_P_NACT)(,%rbx,8), %r15
	test %r15, %r15
	jz 3f
2:	lea 1(%rbx), %eax
	ud2
	incq P(DG_P_DONE)(,%rbx,8)
	dec %r15
	jnz 2b
3:	inc %ebx
	cmp $DG_NR_ACT, %ebx
	jb 1b
	ret
	.size demo_actions, . - demo_actions

	WORKFN demo_hot
	WORKFN demo_warm
	WORKFN demo_cool
	WORKFN demo_cold

	.balign 64
	.globl demo_user_end
demo_user_end:

/* ---- the kernel: CPL0, linked at DG_KERNEL_VA, loaded at DG_KERNEL_PA ---- */
	.section .ktext, "ax"
	.globl _text
	.globl _stext
_text:
_stext:

/* #UD from user mode: do action %eax - 1, then return past the ud2 */
	.globl demo_trap_ud
	.type demo_trap_ud, @function
demo_trap_ud:
	cmp $1, %eax
	je demo_k_pio_out
	cmp $2, %eax
	je demo_k_pio_in
	cmp $3, %eax
	je demo_k_mmio_write
	cmp $4, %eax
	je demo_k_mmio_read
	cmp $5, %eax
	je demo_k_msr_read
	cmp $6, %eax
	je demo_k_msr_write
	cmp $7, %eax
	je demo_k_cpuid
	jmp demo_k_bad_action
	.size demo_trap_ud, . - demo_trap_ud

	.type demo_k_pio_out, @function
demo_k_pio_out:
	mov P(DG_P_PORT), %edx
	mov $0x41, %al
	outb %al, %dx
	jmp demo_trap_return
	.size demo_k_pio_out, . - demo_k_pio_out

	.type demo_k_pio_in, @function
demo_k_pio_in:
	mov P(DG_P_PORT), %edx
	inb %dx, %al
	jmp demo_trap_return
	.size demo_k_pio_in, . - demo_k_pio_in

	.type demo_k_mmio_write, @function
demo_k_mmio_write:
	mov $0x12345678, %eax
	movl %eax, DG_MMIO_GPA
	jmp demo_trap_return
	.size demo_k_mmio_write, . - demo_k_mmio_write

	.type demo_k_mmio_read, @function
demo_k_mmio_read:
	movl DG_MMIO_GPA, %eax
	jmp demo_trap_return
	.size demo_k_mmio_read, . - demo_k_mmio_read

	.type demo_k_msr_read, @function
demo_k_msr_read:
	mov $DG_MSR_READ_INDEX, %ecx
	rdmsr
	jmp demo_trap_return
	.size demo_k_msr_read, . - demo_k_msr_read

	.type demo_k_msr_write, @function
demo_k_msr_write:
	mov $DG_MSR_WRITE_INDEX, %ecx
	xor %edx, %edx
	mov $0x1000, %eax
	wrmsr
	jmp demo_trap_return
	.size demo_k_msr_write, . - demo_k_msr_write

	.type demo_k_cpuid, @function
demo_k_cpuid:
	push %rbx
	xor %eax, %eax
	xor %ecx, %ecx
	cpuid
	pop %rbx
	jmp demo_trap_return
	.size demo_k_cpuid, . - demo_k_cpuid

	.globl demo_trap_return
	.type demo_trap_return, @function
demo_trap_return:
	addq $2, (%rsp)
	iretq
	.size demo_trap_return, . - demo_trap_return

	.type demo_k_bad_action, @function
demo_k_bad_action:
	mov $0xbad00000, %eax
	jmp demo_k_report
	.size demo_k_bad_action, . - demo_k_bad_action

/* exception stubs, 16 bytes apart: demo_trap_fault + 16 * vector */
	.balign 16
	.globl demo_trap_fault
	.type demo_trap_fault, @function
demo_trap_fault:
	vec = 0
	.rept 32
	.balign 16
	mov $(0xfa000000 + vec), %eax
	jmp demo_k_report
	vec = vec + 1
	.endr
	.size demo_trap_fault, . - demo_trap_fault

/* tell the VMM through the fault address (never the counted MMIO address) */
	.type demo_k_report, @function
demo_k_report:
	movl %eax, DG_FAULT_GPA
	jmp demo_k_report
	.size demo_k_report, . - demo_k_report

	.balign 16
	.globl _etext
_etext:
