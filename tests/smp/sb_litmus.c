// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Store buffering (SB) litmus test on two CPUs, many iterations:
 *
 *	CPU 0			CPU 1
 *	mov $1, x		mov $1, y
 *	mfence			mfence
 *	mov y, r0		mov x, r1
 *
 * SDM Vol. 3A 8.2.3.4 "Loads May Be Reordered with Earlier Stores to
 * Different Locations" (9.2.3.4 in editions from 2023): without a fence
 * the outcome r0 = r1 = 0 is allowed (each load passes the CPU's own
 * buffered store). 8.2.2 "Memory Ordering in P6 and More Recent Processor
 * Families" and Vol. 2B MFENCE: loads and stores are not reordered with
 * MFENCE, so with MFENCE on both sides r0 = r1 = 0 is forbidden: every
 * iteration must see at least one store. This is checked over ITERS
 * iterations (host_arg; 0: the default); the outcomes are counted and
 * printed, and any r0 = r1 = 0 with MFENCE is a TFAIL naming the
 * iteration. The same loop without MFENCE is run for comparison and only
 * printed: there r0 = r1 = 0 is allowed.
 *
 * What this does and does not show here: the two CPUs start each
 * iteration together (smp_barrier(), which spins first), but where ring 0
 * is emulated (kvm_pvm) each instruction takes about a microsecond, far
 * longer than a store buffer takes to drain, so even without MFENCE the
 * relaxed outcome is not expected: the test then shows that MFENCE and
 * the memory accesses around it keep program order on each CPU and that
 * the stores become visible to the other CPU, but it cannot show that
 * MFENCE is what forbids r0 = r1 = 0. The printed count of overlapped
 * iterations (r0 = r1 = 1) says how often the two sequences ran at the
 * same time. Where ring 0 runs natively (stock KVM) the unfenced loop does
 * show r0 = r1 = 0; here, running the loop in ring 3 (native on kvm_pvm)
 * would give the test that power once user mode exists.
 */
#include "kvm_test.h"

#define DEFAULT_ITERS	1000
#define MAX_ITERS	100000

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

static volatile uint32_t x __attribute__((aligned(64)));
static volatile uint32_t y __attribute__((aligned(64)));
static uint8_t r0[MAX_ITERS], r1[MAX_ITERS];
static uint32_t iters;
static int fenced;
/* TSC value at which both CPUs run the iteration. */
static volatile uint64_t start_tsc;

/* TSC cycles from the barrier to the common start. */
#define START_DELAY	100000

static uint32_t store_fence_load(volatile uint32_t *store,
	volatile uint32_t *load)
{
	uint32_t v;

	if (fenced)
		__asm__ __volatile__("movl $1, %1\n\t"
				     "mfence\n\t"
				     "movl %2, %0"
				     : "=r"(v), "=m"(*store) : "m"(*load)
				     : "memory");
	else
		__asm__ __volatile__("movl $1, %1\n\t"
				     "movl %2, %0"
				     : "=r"(v), "=m"(*store) : "m"(*load)
				     : "memory");
	return v;
}

/* Both CPUs: ITERS rounds of reset, go, store/load, done. */
static void litmus(void *arg)
{
	unsigned int cpu = smp_id();
	uint32_t i;

	(void)arg;
	for (i = 0; i < iters; i++) {
		if (!cpu) {
			x = y = 0;
			start_tsc = kvm_rdtsc() + START_DELAY;
		}
		smp_barrier();
		while (kvm_rdtsc() < start_tsc)
			;
		if (!cpu)
			r0[i] = store_fence_load(&x, &y);
		else
			r1[i] = store_fence_load(&y, &x);
		smp_barrier();
	}
}

/* Outcomes [r0][r1]; the first iteration with r0 = r1 = 0, or -1. */
static int run_litmus(int fence, uint32_t outcome[2][2])
{
	int first = -1;
	uint32_t i;

	fenced = fence;
	on_cpu_async(1, litmus, NULL);
	litmus(NULL);
	on_cpu_wait(1);
	memset(outcome, 0, 4 * sizeof(uint32_t));
	for (i = 0; i < iters; i++) {
		outcome[r0[i] & 1][r1[i] & 1]++;
		if (!r0[i] && !r1[i] && first < 0)
			first = i;
	}
	return first;
}

/* r0 = r1 = 1 needs the two sequences to overlap in time. */
static void print_outcomes(const char *what, uint32_t o[2][2])
{
	tst_res(TINFO, "%s: r0=0,r1=1: %u  r0=1,r1=0: %u  r0=1,r1=1 "
		"(overlapped): %u  r0=0,r1=0: %u", what, o[0][1], o[1][0],
		o[1][1], o[0][0]);
}

void main(void)
{
	uint32_t o[2][2];
	int first;

	iters = kvm_boot_info()->host_arg ? kvm_boot_info()->host_arg :
		DEFAULT_ITERS;
	if (iters > MAX_ITERS)
		tst_brk(TBROK, "host_arg %u: at most %u iterations", iters,
			MAX_ITERS);

	first = run_litmus(1, o);
	print_outcomes("with MFENCE", o);
	/* SDM Vol. 3A 8.2.2, Vol. 2B MFENCE: r0 = r1 = 0 is forbidden. */
	if (first < 0)
		tst_res(TPASS, "with MFENCE: r0 = r1 = 0 never seen in %u "
			"iterations", iters);
	else
		tst_res(TFAIL, "with MFENCE: r0 = r1 = 0 (forbidden) in %u of "
			"%u iterations, first in iteration %d", o[0][0], iters,
			first);

	/* SDM Vol. 3A 8.2.3.4: allowed without a fence; only shown. */
	run_litmus(0, o);
	print_outcomes("without MFENCE (r0=0,r1=0 allowed)", o);
}

#else /* COMPILE_PAYLOAD */

static const struct tst_kvm_vm_opts opts = { .nr_vcpus = 2 };

static struct tst_test test = {
	.description = "store-buffering litmus: with MFENCE r0 = r1 = 0 never "
		"happens",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvm_opts = &opts,
	.timeout = 60,
};

#endif /* COMPILE_PAYLOAD */
