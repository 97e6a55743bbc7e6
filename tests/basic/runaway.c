// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A guest that never ends is stopped by the test's own watchdog: the vCPU
 * is kicked out of KVM_RUN and the test ends with a TBROK that says how
 * long it ran and where the guest was (RIP and the guest function), for a
 * ring-0 spin loop and for a loop of HLT exits; and also when the vCPU
 * runs on its own thread while the main thread is blocked in an ioctl on
 * the same vCPU (which waits for an exit that never comes). Each case runs
 * in a child with a 3 s watchdog (scaled by KVMCHECK_TIMEOUT_MUL).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

static __attribute__((noinline)) void spin_forever(void)
{
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}

static __attribute__((noinline)) void halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

void main(void)
{
	tst_res(TINFO, "about to run forever");
	if (kvm_boot_info()->host_arg)
		halt_forever();
	else
		spin_forever();
}

#else /* COMPILE_PAYLOAD */
#include <pthread.h>

static struct tst_kvm_instance inst;

static void *vcpu_thread(void *arg)
{
	(void)arg;
	tst_kvm_run_instance(&inst);
	return NULL;
}

/* The main thread waits in KVM_GET_REGS for a vCPU that never exits. */
static void blocked_in_ioctl(void)
{
	struct kvm_regs regs;
	pthread_t thread;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	if (pthread_create(&thread, NULL, vcpu_thread, NULL))
		tst_brk(TBROK, "pthread_create() failed");
	usleep(200000);
	tst_kvm_get_regs(&inst, &regs);
	pthread_join(thread, NULL);
}

static void run(void)
{
	tst_kvm_expect_guest_verdict(0, TBROK, "TBROK: guest still running "
		"after * s at RIP=0x* (spin_forever*");
	tst_kvm_expect_guest_verdict(1, TBROK, "TBROK: guest still running "
		"after * s at RIP=0x* (halt_forever*");
	tst_kvm_expect_verdict(blocked_in_ioctl, TBROK, "TBROK: guest still "
		"running after * s at RIP=0x* (spin_forever*");
}

static struct tst_test test = {
	.description = "a guest that never ends is stopped by the watchdog "
		"with its RIP and function",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
