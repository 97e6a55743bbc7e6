// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An exception no callback handles ends the test with one TBROK line that
 * names the exception, decodes its error code (the #PF bits of SDM Vol. 3A
 * 4.7, the selector format of 6.13), gives CR2 for #PF, the RIP with the
 * guest function and the last guest report, followed by the registers and
 * a backtrace. Covers a fault (#PF, #UD, #GP), a trap (#BP), an external
 * vector without a callback, a callback that declines (returns non-zero),
 * and a stack overflow caught as #DF on its own stack.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

static __attribute__((noinline)) void null_write(void)
{
	*(volatile int *)0 = 1;
}

static __attribute__((noinline)) void do_ud2(void)
{
	__asm__ __volatile__("ud2");
}

static __attribute__((noinline)) void bad_msr(void)
{
	kvm_rdmsr(0xdeadbeef);
}

static __attribute__((noinline)) void do_int3(void)
{
	__asm__ __volatile__("int3");
}

static __attribute__((noinline)) void soft_int(void)
{
	__asm__ __volatile__("int $0x80");
}

static int decline(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	return 1;
}

static __attribute__((noinline)) void declined_ud2(void)
{
	tst_set_interrupt_callback(X86_UD, decline, NULL);
	__asm__ __volatile__("ud2");
}

/* Deep enough to run off the 256 KiB stack into its guard page. */
static __attribute__((noinline)) unsigned long recurse(unsigned long n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	if (n > (1UL << 20))
		return pad[0];
	return recurse(n + 1) + pad[0];
}

static void overflow(void)
{
	recurse(0);
}

void main(void)
{
	static void (*const cases[])(void) = {
		null_write, do_ud2, bad_msr, do_int3, soft_int, declined_ud2,
		overflow,
	};

	tst_res(TINFO, "last report before the exception");
	cases[kvm_boot_info()->host_arg]();
	tst_res(TFAIL, "guest went on after an unhandled exception");
}

#else /* COMPILE_PAYLOAD */

static const char *const cases[] = {
	"TBROK: unhandled #PF (page fault) in guest: error code 0x2 [not "
		"present, write, supervisor], CR2=0x0 at RIP=0x* (null_write*); "
		"last report at unhandled.c:*",
	"TBROK: unhandled #UD (invalid opcode) in guest: error code 0x0 at "
		"RIP=0x* (do_ud2*",
	"TBROK: unhandled #GP (general protection) in guest: error code 0x0 "
		"[no selector] at RIP=0x* (kvm_rdmsr*",
	"TBROK: unhandled #BP (breakpoint) in guest: error code 0x0 at "
		"RIP=0x* (do_int3*",
	"TBROK: unhandled interrupt vector 128 in guest: error code 0x0 at "
		"RIP=0x* (soft_int*",
	"TBROK: unhandled #UD (invalid opcode) in guest: error code 0x0 at "
		"RIP=0x* (declined_ud2*",
	"TBROK: unhandled #DF (double fault) in guest: error code 0x0 at "
		"RIP=0x* (recurse*",
};

static void run(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		tst_kvm_expect_guest_verdict(i, TBROK, cases[i]);
}

static struct tst_test test = {
	.description = "an unhandled guest exception is one precise TBROK "
		"with vector, error code, CR2 and RIP",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
