// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every run starts from a fresh VM: guest globals and the boot state are
 * new each time (LTP KVM API 2.2: the host library cannot reset a VM, so
 * each iteration creates a new one). The guest changes its globals and its
 * page tables, then the host runs three more VMs and each must see the
 * initial values again.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

static int counter;
static int initialised = 1234;

void main(void)
{
	volatile uint64_t *pt0 = (volatile uint64_t *)KVM_PT0_BASE;
	/* Maps 0x100000, the payload; the CPU may have set A and D (4.8). */
	uint64_t entry = pt0[0x100] & ~(X86_PTE_A | X86_PTE_D);

	counter++;
	tst_res(counter == 1 ? TPASS : TFAIL, "zeroed global: expected 1 "
		"after one increment, got %d", counter);
	tst_res(initialised == 1234 ? TPASS : TFAIL, "initialised global: "
		"expected 1234, got %d", initialised);
	/* The payload is user-accessible in the user address space. */
	tst_res(entry == (0x100000 | X86_PTE_P | X86_PTE_RW | X86_PTE_US) ?
		TPASS : TFAIL, "PTE of 0x100000 without A/D: expected "
		"0x100007, got 0x%llx", (unsigned long long)entry);
	tst_res(tst_heap_free_bytes() == kvm_boot_info()->heap_end -
		kvm_boot_info()->heap_start ? TPASS : TFAIL,
		"heap untouched: %zu bytes free", tst_heap_free_bytes());

	/* Leave marks a reused VM would show. */
	initialised = -1;
	pt0[0x1ff] = 0;
	tst_heap_alloc(4096);
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	int i;

	for (i = 0; i < 4; i++)
		tst_kvm_run();
}

static struct tst_test test = {
	.description = "each run starts from a fresh VM with initial globals, "
		"page tables and heap",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
