// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-exit-reasons.c - exit-reason tables (facts of the VMX/SVM/... ABIs).
 */
#include <stdio.h>
#include <string.h>

#include "analysis/kvm-exit-reasons.h"
#include "util/util.h"

static const struct exit_reason vmx_reasons[] = {
	{ 0, "EXCEPTION_NMI" },
	{ 1, "EXTERNAL_INTERRUPT" },
	{ 2, "TRIPLE_FAULT" },
	{ 3, "INIT_SIGNAL" },
	{ 4, "SIPI_SIGNAL" },
	{ 7, "INTERRUPT_WINDOW" },
	{ 8, "NMI_WINDOW" },
	{ 9, "TASK_SWITCH" },
	{ 10, "CPUID" },
	{ 12, "HLT" },
	{ 13, "INVD" },
	{ 14, "INVLPG" },
	{ 15, "RDPMC" },
	{ 16, "RDTSC" },
	{ 18, "VMCALL" },
	{ 19, "VMCLEAR" },
	{ 20, "VMLAUNCH" },
	{ 21, "VMPTRLD" },
	{ 22, "VMPTRST" },
	{ 23, "VMREAD" },
	{ 24, "VMRESUME" },
	{ 25, "VMWRITE" },
	{ 26, "VMOFF" },
	{ 27, "VMON" },
	{ 28, "CR_ACCESS" },
	{ 29, "DR_ACCESS" },
	{ 30, "IO_INSTRUCTION" },
	{ 31, "MSR_READ" },
	{ 32, "MSR_WRITE" },
	{ 33, "INVALID_STATE" },
	{ 34, "MSR_LOAD_FAIL" },
	{ 36, "MWAIT_INSTRUCTION" },
	{ 37, "MONITOR_TRAP_FLAG" },
	{ 39, "MONITOR_INSTRUCTION" },
	{ 40, "PAUSE_INSTRUCTION" },
	{ 41, "MCE_DURING_VMENTRY" },
	{ 43, "TPR_BELOW_THRESHOLD" },
	{ 44, "APIC_ACCESS" },
	{ 45, "EOI_INDUCED" },
	{ 46, "GDTR_IDTR" },
	{ 47, "LDTR_TR" },
	{ 48, "EPT_VIOLATION" },
	{ 49, "EPT_MISCONFIG" },
	{ 50, "INVEPT" },
	{ 51, "RDTSCP" },
	{ 52, "PREEMPTION_TIMER" },
	{ 53, "INVVPID" },
	{ 54, "WBINVD" },
	{ 55, "XSETBV" },
	{ 56, "APIC_WRITE" },
	{ 57, "RDRAND" },
	{ 58, "INVPCID" },
	{ 59, "VMFUNC" },
	{ 60, "ENCLS" },
	{ 61, "RDSEED" },
	{ 62, "PML_FULL" },
	{ 63, "XSAVES" },
	{ 64, "XRSTORS" },
	{ 67, "UMWAIT" },
	{ 68, "TPAUSE" },
	{ 74, "BUS_LOCK" },
	{ 75, "NOTIFY" },
	{ 77, "TDCALL" },
	{ 84, "MSR_READ_IMM" },
	{ 85, "MSR_WRITE_IMM" },
};

static const struct exit_reason svm_reasons[] = {
	{ 0x0, "read_cr0" },
	{ 0x2, "read_cr2" },
	{ 0x3, "read_cr3" },
	{ 0x4, "read_cr4" },
	{ 0x8, "read_cr8" },
	{ 0x10, "write_cr0" },
	{ 0x12, "write_cr2" },
	{ 0x13, "write_cr3" },
	{ 0x14, "write_cr4" },
	{ 0x18, "write_cr8" },
	{ 0x20, "read_dr0" },
	{ 0x21, "read_dr1" },
	{ 0x22, "read_dr2" },
	{ 0x23, "read_dr3" },
	{ 0x24, "read_dr4" },
	{ 0x25, "read_dr5" },
	{ 0x26, "read_dr6" },
	{ 0x27, "read_dr7" },
	{ 0x30, "write_dr0" },
	{ 0x31, "write_dr1" },
	{ 0x32, "write_dr2" },
	{ 0x33, "write_dr3" },
	{ 0x34, "write_dr4" },
	{ 0x35, "write_dr5" },
	{ 0x36, "write_dr6" },
	{ 0x37, "write_dr7" },
	{ 0x40, "DE excp" },
	{ 0x41, "DB excp" },
	{ 0x43, "BP excp" },
	{ 0x44, "OF excp" },
	{ 0x45, "BR excp" },
	{ 0x46, "UD excp" },
	{ 0x47, "NM excp" },
	{ 0x48, "DF excp" },
	{ 0x4a, "TS excp" },
	{ 0x4b, "NP excp" },
	{ 0x4c, "SS excp" },
	{ 0x4d, "GP excp" },
	{ 0x4e, "PF excp" },
	{ 0x50, "MF excp" },
	{ 0x51, "AC excp" },
	{ 0x52, "MC excp" },
	{ 0x53, "XF excp" },
	{ 0x60, "interrupt" },
	{ 0x61, "nmi" },
	{ 0x62, "smi" },
	{ 0x63, "init" },
	{ 0x64, "vintr" },
	{ 0x65, "cr0_sel_write" },
	{ 0x66, "read_idtr" },
	{ 0x67, "read_gdtr" },
	{ 0x68, "read_ldtr" },
	{ 0x69, "read_rt" },
	{ 0x6a, "write_idtr" },
	{ 0x6b, "write_gdtr" },
	{ 0x6c, "write_ldtr" },
	{ 0x6d, "write_rt" },
	{ 0x6e, "rdtsc" },
	{ 0x6f, "rdpmc" },
	{ 0x70, "pushf" },
	{ 0x71, "popf" },
	{ 0x72, "cpuid" },
	{ 0x73, "rsm" },
	{ 0x74, "iret" },
	{ 0x75, "swint" },
	{ 0x76, "invd" },
	{ 0x77, "pause" },
	{ 0x78, "hlt" },
	{ 0x79, "invlpg" },
	{ 0x7a, "invlpga" },
	{ 0x7b, "io" },
	{ 0x7c, "msr" },
	{ 0x7d, "task_switch" },
	{ 0x7e, "ferr_freeze" },
	{ 0x7f, "shutdown" },
	{ 0x80, "vmrun" },
	{ 0x81, "hypercall" },
	{ 0x82, "vmload" },
	{ 0x83, "vmsave" },
	{ 0x84, "stgi" },
	{ 0x85, "clgi" },
	{ 0x86, "skinit" },
	{ 0x87, "rdtscp" },
	{ 0x88, "icebp" },
	{ 0x89, "wbinvd" },
	{ 0x8a, "monitor" },
	{ 0x8b, "mwait" },
	{ 0x8d, "xsetbv" },
	{ 0x8f, "write_efer_trap" },
	{ 0x90, "write_cr0_trap" },
	{ 0x94, "write_cr4_trap" },
	{ 0x98, "write_cr8_trap" },
	{ 0xa2, "invpcid" },
	{ 0xa5, "buslock" },
	{ 0xa6, "idle-halt" },
	{ 0x400, "npf" },
	{ 0x401, "avic_incomplete_ipi" },
	{ 0x402, "avic_unaccelerated_access" },
	{ 0x403, "vmgexit" },
	{ 0x80000001, "vmgexit_mmio_read" },
	{ 0x80000002, "vmgexit_mmio_write" },
	{ 0x80000003, "vmgexit_nmi_complete" },
	{ 0x80000004, "vmgexit_ap_hlt_loop" },
	{ 0x80000005, "vmgexit_ap_jump_table" },
	{ 0x80000010, "vmgexit_page_state_change" },
	{ 0x80000011, "vmgexit_guest_request" },
	{ 0x80000012, "vmgexit_ext_guest_request" },
	{ 0x80000013, "vmgexit_ap_creation" },
	{ 0x8000fffd, "vmgexit_hypervisor_feature" },
	{ 0xffffffffffffffffULL, "invalid_guest_state" }, /* never matches a 32-bit field */
};

static const struct exit_reason arm64_types[] = {
	{ 0, "IRQ" },
	{ 1, "SERROR" },
	{ 2, "TRAP" },
	{ 3, "ILLEGAL" },
	{ 0xbadca11, "HYP_GONE" },
};

static const struct exit_reason arm64_esr_ec[] = {
	{ 0x00, "UNKNOWN" },	 { 0x01, "WFx" },	   { 0x03, "CP15_32" },
	{ 0x04, "CP15_64" },	 { 0x05, "CP14_MR" },	   { 0x06, "CP14_LS" },
	{ 0x07, "FP_ASIMD" },	 { 0x08, "CP10_ID" },	   { 0x09, "PAC" },
	{ 0x0c, "CP14_64" },	 { 0x15, "SVC64" },	   { 0x16, "HVC64" },
	{ 0x17, "SMC64" },	 { 0x18, "SYS64" },	   { 0x19, "SVE" },
	{ 0x1f, "IMP_DEF" },	 { 0x20, "IABT_LOW" },	   { 0x21, "IABT_CUR" },
	{ 0x22, "PC_ALIGN" },	 { 0x24, "DABT_LOW" },	   { 0x25, "DABT_CUR" },
	{ 0x26, "SP_ALIGN" },	 { 0x28, "FP_EXC32" },	   { 0x2c, "FP_EXC64" },
	{ 0x2f, "SERROR" },	 { 0x30, "BREAKPT_LOW" },  { 0x31, "BREAKPT_CUR" },
	{ 0x32, "SOFTSTP_LOW" }, { 0x33, "SOFTSTP_CUR" },  { 0x34, "WATCHPT_LOW" },
	{ 0x35, "WATCHPT_CUR" }, { 0x38, "BKPT32" },	   { 0x3a, "VECTOR32" },
	{ 0x3c, "BRK64" },
};

static const struct exit_reason riscv_causes[] = {
	{ 0, "INST_MISALIGNED" },
	{ 1, "INST_ACCESS" },
	{ 2, "INST_ILLEGAL" },
	{ 3, "BREAKPOINT" },
	{ 4, "LOAD_MISALIGNED" },
	{ 5, "LOAD_ACCESS" },
	{ 6, "STORE_MISALIGNED" },
	{ 7, "STORE_ACCESS" },
	{ 8, "SYSCALL" },
	{ 9, "HYPERVISOR_SYSCALL" },
	{ 10, "SUPERVISOR_SYSCALL" },
	{ 12, "INST_PAGE_FAULT" },
	{ 13, "LOAD_PAGE_FAULT" },
	{ 15, "STORE_PAGE_FAULT" },
	{ 20, "INST_GUEST_PAGE_FAULT" },
	{ 21, "LOAD_GUEST_PAGE_FAULT" },
	{ 22, "VIRTUAL_INST_FAULT" },
	{ 23, "STORE_GUEST_PAGE_FAULT" },
};

static const struct exit_reason s390_icpt[] = {
	{ 0x00, "Host interruption" },
	{ 0x04, "Instruction" },
	{ 0x08, "Program interruption" },
	{ 0x0c, "Instruction and program interruption" },
	{ 0x10, "External request" },
	{ 0x14, "External interruption" },
	{ 0x18, "I/O request" },
	{ 0x1c, "Wait state" },
	{ 0x20, "Validity" },
	{ 0x28, "Stop request" },
	{ 0x2c, "Operation exception" },
	{ 0x38, "Partial-execution" },
	{ 0x3c, "I/O interruption" },
	{ 0x40, "I/O instruction" },
	{ 0x48, "Timing subset" },
};

static const struct exit_reason ppc_traps[] = {
	{ 0x0, "RETURN_TO_HOST" },   { 0x100, "SYSTEM_RESET" },	 { 0x200, "MACHINE_CHECK" },
	{ 0x300, "DATA_STORAGE" },   { 0x380, "DATA_SEGMENT" },	 { 0x400, "INST_STORAGE" },
	{ 0x480, "INST_SEGMENT" },   { 0x500, "EXTERNAL" },	 { 0x502, "EXTERNAL_HV" },
	{ 0x600, "ALIGNMENT" },	     { 0x700, "PROGRAM" },	 { 0x800, "FP_UNAVAIL" },
	{ 0x900, "DECREMENTER" },    { 0x980, "HV_DECREMENTER" }, { 0xc00, "SYSCALL" },
	{ 0xd00, "TRACE" },	     { 0xe00, "H_DATA_STORAGE" }, { 0xe20, "H_INST_STORAGE" },
	{ 0xe40, "H_EMUL_ASSIST" },  { 0xf00, "PERFMON" },	 { 0xf20, "ALTIVEC" },
	{ 0xf40, "VSX" },
};

static const struct exit_reason loongarch_exits[] = {
	{ 0, "Interrupt" },	 { 1, "Mem Read" },	   { 2, "Mem Store" },
	{ 3, "Inst Fetch" },	 { 4, "Mem Modify" },	   { 15, "FPU" },
	{ 16, "LSX" },		 { 17, "LASX" },	   { 22, "Privilege Error" },
	{ 23, "Hypercall" },	 { 100, "CPUCFG" },	   { 101, "CSR" },
	{ 102, "IOCSR" },	 { 103, "Idle" },	   { 104, "Others" },
};

#define TABLE(var, isa_name, arr, is_hex)                                                  \
	const struct exit_reason_table var = {                                             \
		.isa = isa_name, .entries = arr, .nr = ARRAY_SIZE(arr), .hex = is_hex,    \
	}

TABLE(kvm_exit_reasons_vmx, "VMX", vmx_reasons, false);
TABLE(kvm_exit_reasons_svm, "SVM", svm_reasons, true);
TABLE(kvm_exit_reasons_arm64_type, "arm64", arm64_types, false);
TABLE(kvm_exit_reasons_arm64_esr_ec, "arm64", arm64_esr_ec, true);
TABLE(kvm_exit_reasons_riscv, "riscv64", riscv_causes, false);
TABLE(kvm_exit_reasons_s390, "SIE", s390_icpt, true);
TABLE(kvm_exit_reasons_ppc, "HV", ppc_traps, true);
TABLE(kvm_exit_reasons_loongarch, "loongarch64", loongarch_exits, false);

const char *exit_reason__lookup(const struct exit_reason_table *table, u64 code)
{
	/* first exact match, as perf does: a few dozen entries, called once per row */
	for (size_t i = 0; i < table->nr; i++)
		if (table->entries[i].code == code)
			return table->entries[i].name;
	return NULL;
}

bool exit_reason__format(const struct exit_reason_table *table, u64 code, char *buf,
			 size_t size)
{
	const char *name = exit_reason__lookup(table, code);

	if (name) {
		snprintf(buf, size, "%s", name);
		return true;
	}
	if (table->hex)
		snprintf(buf, size, "UNKNOWN(%#llx)", (unsigned long long)code);
	else
		snprintf(buf, size, "UNKNOWN(%llu)", (unsigned long long)code);
	return false;
}

const struct exit_reason_table *kvm_exit_reasons__for_cpuid(const char *cpuid)
{
	if (!cpuid)
		return NULL;
	if (strstr(cpuid, "Intel"))
		return &kvm_exit_reasons_vmx;
	if (strstr(cpuid, "AMD") || strstr(cpuid, "Hygon"))
		return &kvm_exit_reasons_svm;
	return NULL;
}
