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
 * The two CPUs start each iteration at the same TSC value (after a
 * barrier; the delay adapts to how fast the barrier releases both), and
 * the printed count of r0 = r1 = 1 says in how many iterations the two
 * sequences really overlapped; only those can show the relaxed outcome.
 *
 * What this does and does not show here: where ring 0 is emulated
 * (kvm_pvm) each instruction takes about a microsecond, far longer than a
 * store buffer takes to drain, so even overlapping iterations without
 * MFENCE are not expected to give r0 = r1 = 0: the test then shows that
 * the stores and loads around MFENCE keep program order and that each
 * store becomes visible to the other CPU, but not that MFENCE is what
 * forbids r0 = r1 = 0. Where ring 0 runs natively (stock KVM) the unfenced
 * loop does show r0 = r1 = 0; on kvm_pvm, running the loop in ring 3
 * (native there) would give the test that power once user mode exists.
 */
#include "kvm_test.h"

#define DEFAULT_ITERS	500
#define MAX_ITERS	100000
#define MIN_DELAY	2000		/* TSC cycles */
#define MAX_DELAY	(1ULL << 24)

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

static volatile uint32_t x __attribute__((aligned(64)));
static volatile uint32_t y __attribute__((aligned(64)));
static uint8_t r0[MAX_ITERS], r1[MAX_ITERS];
static uint32_t iters;
static int fenced;
/*
 * Both CPUs start an iteration at the same TSC value, start_tsc, set by
 * CPU 0 before the barrier. The delay adapts to how long the barrier
 * takes to release both CPUs on this machine: doubled after an iteration
 * a CPU reached too late, slowly lowered otherwise.
 */
static volatile uint64_t start_tsc;
static volatile uint32_t late;
static uint64_t start_delay = MIN_DELAY;

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

static void adapt_delay(void)
{
	if (late && start_delay < MAX_DELAY)
		start_delay *= 2;
	else if (!late && start_delay > MIN_DELAY)
		start_delay -= start_delay / 16;
	late = 0;
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
			adapt_delay();
			start_tsc = kvm_rdtsc() + start_delay;
		}
		smp_barrier();
		if (kvm_rdtsc() >= start_tsc)
			late = 1;
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
	tst_res(TINFO, "common start %llu TSC cycles after CPU 0 enters the "
		"barrier (adapted)", (unsigned long long)start_delay);
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
