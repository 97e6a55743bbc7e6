// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writes to guest-physical memory that no slot backs and no device claims
 * are dropped (as on a PC bus) and reported: a TWARN with the address, the
 * size, the data and the guest RIP and function, for the first 8 per run;
 * the guest goes on. The run ends with exactly the TWARN status bit.
 */
#include "kvm_test.h"

#define UNBACKED 0x7ff00000ULL

#ifdef COMPILE_PAYLOAD

static __attribute__((noinline)) void write_unbacked(int n)
{
	volatile uint64_t *p = (volatile uint64_t *)UNBACKED;
	int i;

	for (i = 0; i < n; i++)
		p[i] = 0x1122334455667788ULL + i;
}

void main(void)
{
	switch (kvm_boot_info()->host_arg) {
	case 0:
		*(volatile uint32_t *)UNBACKED = 0xcafe;
		break;
	case 1:
		write_unbacked(1);
		break;
	case 2:
		write_unbacked(12);
		break;
	}
	tst_res(TINFO, "guest went on after the unbacked write");
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	tst_kvm_expect_guest_verdict(0, TWARN, "TWARN: guest wrote 0xcafe (4 "
		"bytes) to unclaimed MMIO address 0x7ff00000 at RIP=0x* (main+0x*)");
	tst_kvm_expect_guest_verdict(1, TWARN, "TWARN: guest wrote "
		"0x1122334455667788 (8 bytes) to unclaimed MMIO address "
		"0x7ff00000 at RIP=0x* (write_unbacked+0x*)");
	tst_kvm_expect_guest_verdict(2, TWARN, "unclaimed MMIO address "
		"0x7ff00038 at RIP=0x* (write_unbacked+0x*); further "
		"unclaimed writes are not shown");
	tst_kvm_expect_guest_verdict(2, TWARN, "TINFO: guest went on after "
		"the unbacked write");
}

static struct tst_test test = {
	.description = "writes to unbacked memory are dropped with a TWARN "
		"naming address, data and RIP",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
