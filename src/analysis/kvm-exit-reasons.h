/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm-exit-reasons.h - exit-reason tables per architecture (code -> name).
 *
 * The tables are facts about the hardware/kernel ABI: VMX basic exit reasons
 * (decimal), SVM exit codes (hex, lowercase names), arm64 exception types and
 * ESR exception classes, riscv scause codes, s390 SIE intercept codes, powerpc
 * book3s HV interrupt vectors and loongarch exit codes.  The x86 tables hold
 * what perf's copies hold plus the codes newer kernels print (TDCALL,
 * MSR_READ_IMM/MSR_WRITE_IMM, buslock, idle-halt); see kvmprof-stat(1).
 *
 * Lookup is by exact value (perf's rule): VMX reasons carrying flag bits (bit
 * 31 FAILED_VMENTRY, bit 27 SGX) are *not* masked, so they come back unknown.
 * All tables are static and never freed.
 */
#ifndef KP_ANALYSIS_KVM_EXIT_REASONS_H
#define KP_ANALYSIS_KVM_EXIT_REASONS_H

#include "util/types.h"

struct exit_reason {
	u64 code;
	const char *name;
};

struct exit_reason_table {
	const char *isa; /* "VMX", "SVM", "arm64", ... as perf's messages say */
	const struct exit_reason *entries;
	size_t nr;
	bool hex; /* unknown codes are shown in hex (SVM, arm64 ESR, ...) */
};

extern const struct exit_reason_table kvm_exit_reasons_vmx;
extern const struct exit_reason_table kvm_exit_reasons_svm;
extern const struct exit_reason_table kvm_exit_reasons_arm64_type;
extern const struct exit_reason_table kvm_exit_reasons_arm64_esr_ec;
extern const struct exit_reason_table kvm_exit_reasons_riscv;
extern const struct exit_reason_table kvm_exit_reasons_s390;
extern const struct exit_reason_table kvm_exit_reasons_ppc;
extern const struct exit_reason_table kvm_exit_reasons_loongarch;

/**
 * exit_reason__lookup - the name of @code in @table (first exact match), or
 * NULL when the table does not know it.
 */
const char *exit_reason__lookup(const struct exit_reason_table *table, u64 code);

/**
 * exit_reason__format - write the display name of @code into @buf: the table
 * name, else "UNKNOWN(<code>)" (decimal, or 0x-hex for hex tables).
 * Returns true when the code was known.
 */
bool exit_reason__format(const struct exit_reason_table *table, u64 code, char *buf,
			 size_t size);

/**
 * kvm_exit_reasons__for_cpuid - the x86 table for a CPUID header string
 * ("GenuineIntel,6,85,4" -> VMX, "AuthenticAMD,..." or "HygonGenuine,..." ->
 * SVM), chosen as perf does by substring "Intel", "AMD", "Hygon".
 * NULL when the vendor is none of them.
 */
const struct exit_reason_table *kvm_exit_reasons__for_cpuid(const char *cpuid);

#endif
