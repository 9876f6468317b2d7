// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "analysis/kvm-exit-reasons.h"
#include "util/util.h"

static void test_vmx(void **state)
{
	const struct exit_reason_table *t = &kvm_exit_reasons_vmx;

	assert_string_equal(exit_reason__lookup(t, 0), "EXCEPTION_NMI");
	assert_string_equal(exit_reason__lookup(t, 12), "HLT");
	assert_string_equal(exit_reason__lookup(t, 30), "IO_INSTRUCTION");
	assert_string_equal(exit_reason__lookup(t, 48), "EPT_VIOLATION");
	assert_string_equal(exit_reason__lookup(t, 75), "NOTIFY");
	assert_null(exit_reason__lookup(t, 5));
	assert_null(exit_reason__lookup(t, 35));
	/* flag bits are not masked (perf's rule): FAILED_VMENTRY | INVALID_STATE */
	assert_null(exit_reason__lookup(t, 0x80000021ULL));
	assert_string_equal(t->isa, "VMX");
}

static void test_svm(void **state)
{
	const struct exit_reason_table *t = &kvm_exit_reasons_svm;

	assert_string_equal(exit_reason__lookup(t, 0x7b), "io");
	assert_string_equal(exit_reason__lookup(t, 0x400), "npf");
	assert_string_equal(exit_reason__lookup(t, 0x60), "interrupt");
	assert_string_equal(exit_reason__lookup(t, 0x4e), "PF excp");
	assert_string_equal(exit_reason__lookup(t, 0x53), "XF excp");
	assert_string_equal(exit_reason__lookup(t, 0x27), "read_dr7");
	assert_string_equal(exit_reason__lookup(t, 0x8000fffd), "vmgexit_hypervisor_feature");
	assert_null(exit_reason__lookup(t, 0x8c)); /* mwait_cond: not in the table */
	assert_null(exit_reason__lookup(t, 0x42)); /* NMI vector 2 has no exit name */
	/* SVM_EXIT_ERR read from a 32-bit field never matches the 64-bit -1 */
	assert_null(exit_reason__lookup(t, 0xffffffffULL));
	assert_string_equal(exit_reason__lookup(t, ~0ULL), "invalid_guest_state");
}

static void test_format_unknown(void **state)
{
	char buf[64];

	assert_true(exit_reason__format(&kvm_exit_reasons_vmx, 12, buf, sizeof(buf)));
	assert_string_equal(buf, "HLT");
	assert_false(exit_reason__format(&kvm_exit_reasons_vmx, 2457, buf, sizeof(buf)));
	assert_string_equal(buf, "UNKNOWN(2457)");
	assert_false(exit_reason__format(&kvm_exit_reasons_svm, 0x999, buf, sizeof(buf)));
	assert_string_equal(buf, "UNKNOWN(0x999)");
}

static void test_cpuid(void **state)
{
	assert_ptr_equal(kvm_exit_reasons__for_cpuid("GenuineIntel,6,85,4"), &kvm_exit_reasons_vmx);
	assert_ptr_equal(kvm_exit_reasons__for_cpuid("AuthenticAMD,25,17,1"), &kvm_exit_reasons_svm);
	assert_ptr_equal(kvm_exit_reasons__for_cpuid("HygonGenuine,24,0,1"), &kvm_exit_reasons_svm);
	assert_null(kvm_exit_reasons__for_cpuid("0x00000000410fd4b0"));
	assert_null(kvm_exit_reasons__for_cpuid(NULL));
}

static void test_tables_unique(void **state)
{
	const struct exit_reason_table *all[] = {
		&kvm_exit_reasons_vmx,	    &kvm_exit_reasons_svm,	   &kvm_exit_reasons_arm64_type,
		&kvm_exit_reasons_arm64_esr_ec, &kvm_exit_reasons_riscv, &kvm_exit_reasons_s390,
		&kvm_exit_reasons_ppc,	    &kvm_exit_reasons_loongarch,
	};

	/* a duplicated code would hide its second name */
	for (size_t t = 0; t < ARRAY_SIZE(all); t++) {
		assert_true(all[t]->nr > 4);
		for (size_t i = 0; i < all[t]->nr; i++)
			for (size_t j = i + 1; j < all[t]->nr; j++)
				assert_true(all[t]->entries[i].code != all[t]->entries[j].code);
	}
	assert_string_equal(exit_reason__lookup(&kvm_exit_reasons_arm64_esr_ec, 0x16), "HVC64");
	assert_string_equal(exit_reason__lookup(&kvm_exit_reasons_s390, 0x1c), "Wait state");
	assert_string_equal(exit_reason__lookup(&kvm_exit_reasons_loongarch, 102), "IOCSR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmx),	       cmocka_unit_test(test_svm),
		cmocka_unit_test(test_format_unknown), cmocka_unit_test(test_cpuid),
		cmocka_unit_test(test_tables_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
