// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How a 2-vCPU guest ends when its AP (CPU 1) fails, crashes or hangs.
 * Each scenario runs in a child (tst_kvm_expect_guest_verdict(), 3 s
 * watchdog) that must end with the expected verdict naming CPU 1, and
 * without hanging: the other vCPU is kicked out of its wait and the test
 * ends.
 *
 *  0. tst_res(TFAIL) on CPU 1 is printed as CPU 1's, and CPU 0 goes on.
 *  1. tst_brk(TBROK) on CPU 1 ends the whole guest: CPU 0, waiting in
 *     on_cpu(), never reports again (it would add a TFAIL to the status).
 *  2. #UD on CPU 1 with no handler: TBROK naming CPU 1, the vector and the
 *     function (SDM Vol. 3A 6.15 "Interrupt 6").
 *  3. A stack overflow on CPU 1 runs into the unmapped guard page below
 *     CPU 1's own stack: the #PF cannot be delivered on that stack, so it
 *     becomes #DF (SDM Vol. 3A 6.15 "Interrupt 8", Table 6-5: #PF during
 *     delivery of #PF), delivered on CPU 1's own IST1 stack (6.14.5) and
 *     reported as unhandled #DF from CPU 1.
 *  4. CPU 1 loads an empty IDT (IDTR is per CPU) and executes UD2: #UD,
 *     #GP and #DF cannot be delivered -> shutdown (SDM Vol. 3A 6.15
 *     "Interrupt 8"), KVM_EXIT_SHUTDOWN on CPU 1's vCPU: TBROK naming
 *     CPU 1.
 *  5. CPU 1 spins forever inside on_cpu(): the watchdog names CPU 1 and
 *     its RIP in the spinning function.
 *  6. CPU 1 spins forever in work queued with on_cpu_async() and main()
 *     returns: CPU 0 waits for it, and at the timeout says so.
 *
 * And a VM asking for more vCPUs than kvmcheck has room for (9) is a
 * TBROK at creation.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

static void fail_on_ap(void *arg)
{
	(void)arg;
	tst_res(TFAIL, "deliberate failure on smp_id() %u", smp_id());
}

static void brk_on_ap(void *arg)
{
	(void)arg;
	tst_brk(TBROK, "deliberate tst_brk on smp_id() %u", smp_id());
}

static __attribute__((noinline)) void ud_on_ap(void *arg)
{
	(void)arg;
	__asm__ __volatile__("ud2");
}

/* Far deeper than the 32 KiB stack of an AP. */
static volatile unsigned long depth = 1UL << 40;

static __attribute__((noinline)) unsigned long recurse(unsigned long n)
{
	volatile char pad[512];

	pad[0] = (char)n;
	if (n >= depth)
		return n;
	return recurse(n + 1) + pad[0];
}

static void overflow_on_ap(void *arg)
{
	(void)arg;
	recurse(0);
}

static void triple_fault_on_ap(void *arg)
{
	static const struct dtr idtr = { 0, 0 };

	(void)arg;
	__asm__ __volatile__("lidt %0; ud2" :: "m"(idtr));
}

static __attribute__((noinline)) void spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}

void main(void)
{
	/* The host expects the scenarios in this order. */
	static void (*const on_ap[])(void *) = {
		fail_on_ap, brk_on_ap, ud_on_ap, overflow_on_ap,
		triple_fault_on_ap, spin_forever,
	};
	uint64_t scenario = kvm_boot_info()->host_arg;

	if (scenario == ARRAY_SIZE(on_ap)) {
		on_cpu_async(1, spin_forever, NULL);
		return;
	}
	on_cpu(1, on_ap[scenario], NULL);
	if (scenario)
		tst_res(TFAIL, "CPU 0 went on after scenario %llu on CPU 1",
			(unsigned long long)scenario);
	else
		tst_res(TINFO, "CPU 0 went on after CPU 1's TFAIL");
}

#else /* COMPILE_PAYLOAD */

static void too_many_vcpus(void)
{
	static const struct tst_kvm_vm_opts nine = {
		.nr_vcpus = TST_KVM_MAX_VCPUS + 1,
	};
	struct tst_kvm_instance inst;

	tst_kvm_create_instance_opts(&inst, &nine);
	tst_res(TFAIL, "created a VM with %u vCPUs", nine.nr_vcpus);
}

static void run(void)
{
	tst_kvm_expect_guest_verdict(0, TFAIL, "TFAIL: CPU 1: deliberate "
		"failure on smp_id() 1");
	tst_kvm_expect_guest_verdict(0, TFAIL, "TINFO: CPU 0: CPU 0 went on "
		"after CPU 1's TFAIL");
	tst_kvm_expect_guest_verdict(1, TBROK, "TBROK: CPU 1: deliberate "
		"tst_brk on smp_id() 1");
	tst_kvm_expect_guest_verdict(2, TBROK, "TBROK: CPU 1: unhandled #UD "
		"(invalid opcode) in guest: error code 0x0 at RIP=0x* "
		"(ud_on_ap*");
	tst_kvm_expect_guest_verdict(3, TBROK, "TBROK: CPU 1: unhandled #DF "
		"(double fault) in guest: error code 0x0 at RIP=0x* (recurse*");
	tst_kvm_expect_guest_verdict(4, TBROK, "TBROK: CPU 1: guest triple "
		"fault (KVM_EXIT_SHUTDOWN)");
	tst_kvm_expect_guest_verdict(5, TBROK, "TBROK: CPU 1: guest still "
		"running after * s at RIP=0x* (spin_forever*");
	tst_kvm_expect_guest_verdict(6, TBROK, "TBROK: CPU 0: guest still "
		"waiting for CPU 1 to finish its work (main() returned) after "
		"* s at RIP=0x*");
	tst_kvm_expect_verdict(too_many_vcpus, TBROK, "TBROK: 9 vCPUs "
		"requested; kvmcheck supports at most 8");
}

static const struct tst_kvm_vm_opts opts = { .nr_vcpus = 2 };

static struct tst_test test = {
	.description = "an AP's failure, crash or hang ends the test with a "
		"verdict naming the CPU",
	.test_all = run,
	.setup = tst_kvm_setup,
	.kvm_opts = &opts,
};

#endif /* COMPILE_PAYLOAD */
