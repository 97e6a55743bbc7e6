// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A hostile guest misuses the result channel; each misuse must end the
 * test with its own precise TBROK (never a host crash or a silent pass):
 * a result code that is no result type, a combination of types, a report
 * through another address than its result page, the wrong access size or
 * direction on the result port, and a host call the test did not expect.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

static struct tst_kvm_result *page(void)
{
	return (struct tst_kvm_result *)kvm_boot_info()->result_page;
}

static void report_code(int32_t code)
{
	page()->result = code;
	page()->file_addr = (uintptr_t)KVM_FILE;
	page()->message[0] = '\0';
	kvm_outl(KVM_UCALL_PORT, (uint32_t)kvm_boot_info()->result_page);
}

void main(void)
{
	switch (kvm_boot_info()->host_arg) {
	case 0:
		report_code(0x1234);
		break;
	case 1:
		report_code(-5);
		break;
	case 2:
		report_code(TFAIL | TBROK);
		break;
	case 3:
		page()->result = TPASS;
		kvm_outl(KVM_UCALL_PORT, 0x2000);
		break;
	case 4:
		kvm_outb(KVM_UCALL_PORT, 1);
		break;
	case 5:
		kvm_inl(KVM_UCALL_PORT);
		break;
	case 6:
		tst_host_call(7, 0x99);
		break;
	case 7:
		kvm_outl(KVM_HOSTCALL_PORT, 1);
		break;
	}
	tst_res(TFAIL, "guest went on after a bad report");
}

#else /* COMPILE_PAYLOAD */

/* What the host must say for guest scenario i. */
static const struct bad_result_case {
	const char *expect;
} cases[] = {
	{ "invalid result code 4660 (0x1234) in the guest's result page" },
	{ "invalid result code -5 (0xfffffffb) in the guest's result page" },
	{ "invalid result code 3 (0x3) in the guest's result page" },
	{ "guest reported through result page address 0x2000; its result page is 0xfffff000" },
	{ "guest wrote 1 bytes at offset 0 of the result port 0x510; expected one 32-bit OUT" },
	{ "guest read 4 bytes from the result port 0x510, which only takes 32-bit writes" },
	{ "guest made host call 7 (arg 0x99) but the test set no handler" },
	{ "guest wrote 4 bytes to the host-call port 0x514, which only answers 32-bit reads" },
};

static void run(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		tst_kvm_expect_guest_verdict(i, TBROK, cases[i].expect);
}

static struct tst_test test = {
	.description = "a guest misusing the result channel ends in a "
		"precise TBROK",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
