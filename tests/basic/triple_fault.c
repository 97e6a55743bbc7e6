// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Triple faults end the test with a TBROK naming KVM_EXIT_SHUTDOWN and the
 * vCPU registers, never a hang. SDM Vol. 3A 6.15 (Interrupt 8): if another
 * exception occurs while the processor calls the double-fault handler, it
 * enters shutdown mode, which KVM reports as KVM_EXIT_SHUTDOWN (KVM API,
 * "kvm_run"). Three ways in:
 *  - an empty IDT (limit 0) and a fault (#UD): delivering #UD raises #GP
 *    (vector beyond the IDT limit, SDM 6.10/6.12.1), delivering #GP raises
 *    #GP again -> #DF, whose delivery fails too -> shutdown;
 *  - the same with a trap (INT3, #BP);
 *  - a page fault with RSP pointing to unmapped memory while the #DF IST
 *    stack is unmapped as well: #PF cannot push its frame -> #DF, which
 *    cannot push its frame either -> shutdown.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

static void empty_idt(void)
{
	static const struct dtr idtr = { 0, 0 };

	__asm__ __volatile__("lidt %0" :: "m"(idtr));
}

static __attribute__((noinline)) void fault_without_idt(void)
{
	empty_idt();
	__asm__ __volatile__("ud2");
}

static __attribute__((noinline)) void trap_without_idt(void)
{
	empty_idt();
	__asm__ __volatile__("int3");
}

static __attribute__((noinline)) void fault_without_stacks(void)
{
	/* TSS IST1 (#DF stack) is at offset 36 of the 64-bit TSS. */
	uint64_t *ist1 = (uint64_t *)(KVM_TSS_BASE + 36);

	*ist1 = KVM_IST1_GUARD + KVM_PAGE_SIZE;
	__asm__ __volatile__("mov %0, %%rsp; movq $0, (0)"
			     :: "i"(KVM_STACK_GUARD + 0x800) : "memory");
}

void main(void)
{
	/* The host expects scenarios 0, 1, 2 in this order. */
	static void (*const ways[])(void) = {
		fault_without_idt, trap_without_idt, fault_without_stacks,
	};

	tst_res(TINFO, "about to triple fault");
	ways[kvm_boot_info()->host_arg]();
	tst_res(TFAIL, "guest went on after a triple fault");
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	unsigned int i;

	/* The vCPU state after a shutdown is not defined (SVM resets it). */
	for (i = 0; i < 3; i++)
		tst_kvm_expect_guest_verdict(i, TBROK, "TBROK: guest triple "
			"fault (KVM_EXIT_SHUTDOWN): an exception could not be "
			"delivered");
}

static struct tst_test test = {
	.description = "a triple fault ends in TBROK (KVM_EXIT_SHUTDOWN) with "
		"the registers",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
