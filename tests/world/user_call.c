// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The user-mode runtime itself: a function called at CPL 3 returns its
 * value, runs with CPL 3 (CS.RPL = 3, SDM Vol. 3A 5.5) on its user stack,
 * and comes back to ring 0 through each exit: return, SYSCALL, INT with a
 * DPL-3 gate, an exception.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_user.h"

static uint64_t add_one(uint64_t x)
{
	return x + 1;
}

static uint64_t read_cs(uint64_t x)
{
	uint16_t cs;

	(void)x;
	__asm__ __volatile__("mov %%cs, %0" : "=r"(cs));
	return cs;
}

static uint64_t do_syscall(uint64_t x)
{
	return kvm_user_syscall(x, 1, 2, 3);
}

static uint64_t do_int(uint64_t x)
{
	return kvm_user_int(x, 1, 2, 3);
}

static uint64_t touch_system_area(uint64_t x)
{
	return *(volatile uint64_t *)x;
}

void main(void)
{
	struct kvm_user_result res;
	uint64_t v;

	v = kvm_user_call(add_one, 41, NULL);
	tst_res(v == 42 ? TPASS : TFAIL, "return value: expected 42, got %llu",
		(unsigned long long)v);
	v = kvm_user_call(read_cs, 0, NULL);
	/* SDM Vol. 2A IRET: CS is loaded from the stack (RPL 3). */
	tst_res(v == KVM_USER_CS64 ? TPASS : TFAIL,
		"CS in ring 3 after IRETQ: expected 0x%x, got 0x%llx",
		KVM_USER_CS64, (unsigned long long)v);
	/* SDM Vol. 2B SYSCALL: to CPL 0 at LSTAR with CS = STAR[47:32]. */
	kvm_user_call(do_syscall, 77, &res);
	tst_res(res.exit == KVM_USER_SYSCALL && res.value == 77 ? TPASS : TFAIL,
		"SYSCALL: expected a system call with RAX 77, got %s with RAX "
		"%llu at RIP 0x%llx CS 0x%llx", kvm_user_exit_name(&res),
		(unsigned long long)res.value,
		(unsigned long long)res.frame.rip,
		(unsigned long long)res.frame.cs);
	/* SDM Vol. 2A INT n and Vol. 3A 6.12.1.1: a DPL-3 gate admits CPL 3. */
	kvm_user_call(do_int, 78, &res);
	tst_res(res.exit == KVM_USER_INT && res.value == 78 ? TPASS : TFAIL,
		"INT 0x80 through a DPL-3 gate: expected the gate with RAX 78, "
		"got %s with RAX %llu at RIP 0x%llx", kvm_user_exit_name(&res),
		(unsigned long long)res.value,
		(unsigned long long)res.frame.rip);
	kvm_user_call(touch_system_area, KVM_BOOT_INFO_BASE, &res);
	/* SDM Vol. 3A 4.7: #PF, error code P | U/S, CR2 = the address. */
	tst_res(res.exit == KVM_USER_EXCEPTION && res.vector == X86_PF &&
		res.cr2 == KVM_BOOT_INFO_BASE && res.errcode == 5 ? TPASS : TFAIL,
		"read of a supervisor page: expected #PF error code 0x5 CR2 "
		"0xa000, got %s error code 0x%lx CR2 0x%llx",
		kvm_user_exit_name(&res), res.errcode,
		(unsigned long long)res.cr2);
	v = kvm_user_call(add_one, 1, NULL);
	tst_res(v == 2 ? TPASS : TFAIL, "again after a fault: expected 2, got %llu",
		(unsigned long long)v);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.description = "user-mode runtime: call at CPL 3, return, SYSCALL, INT, fault",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
