// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A shared counter incremented from all 4 CPUs at once, ITERS times each,
 * with each of the locked read-modify-write instructions; the final count
 * must be exact (SDM Vol. 3A 8.1.2.2 "Software Controlled Bus Locking":
 * with the LOCK prefix the read-modify-write is atomic with respect to
 * the other processors; 8.1.2.1: XCHG with memory is locked without it):
 *
 *  - LOCK ADD: final count = CPUs * ITERS;
 *  - LOCK XADD: the same, and the old values it returns are each counter
 *    value exactly once: each CPU's are strictly increasing and all of
 *    them together sum to 0 + 1 + ... + (total - 1);
 *  - LOCK CMPXCHG in a read/compare-exchange loop: the same final count;
 *    the number of failed compare-exchanges (another CPU got there
 *    first) is printed, as evidence of how much the CPUs overlapped;
 *  - a plain ADD inside kvm_spin_lock() (XCHG): the same final count.
 *
 * For contrast, the same with an unlocked ADD: lost updates are allowed
 * (SDM 8.1.2.2), so their number is only printed (TINFO). Where ring 0
 * is emulated instruction by instruction (kvm_pvm), the CPUs overlap far
 * less than on hardware, so few or no lost updates there do not mean
 * the locked variants were tested under no contention: the CMPXCHG
 * retries say how much contention there was.
 * host_arg sets ITERS (0: the default).
 */
#include "kvm_test.h"

#define NR_CPUS		4
#define DEFAULT_ITERS	2000

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

enum method { LOCK_ADD, LOCK_XADD, LOCK_CMPXCHG, SPINLOCK, PLAIN_ADD };

static const char *const names[] = {
	[LOCK_ADD] = "LOCK ADD", [LOCK_XADD] = "LOCK XADD",
	[LOCK_CMPXCHG] = "LOCK CMPXCHG loop",
	[SPINLOCK] = "ADD under kvm_spin_lock()", [PLAIN_ADD] = "plain ADD",
};

static volatile uint32_t counter __attribute__((aligned(64)));
static kvm_spinlock_t lock __attribute__((aligned(64))) = KVM_SPINLOCK_INIT;
static uint32_t iters;
static enum method method;

/* Per CPU: XADD results and CMPXCHG failures. */
static struct {
	uint64_t xadd_sum;
	uint32_t xadd_unordered;
	uint32_t cmpxchg_failures;
} stats[NR_CPUS] __attribute__((aligned(64)));

static void plain_add(volatile uint32_t *p)
{
	__asm__ __volatile__("addl $1, %0" : "+m"(*p) :: "memory", "cc");
}

static void xadd_loop(unsigned int cpu)
{
	uint32_t i, old, last = 0;

	for (i = 0; i < iters; i++) {
		old = kvm_atomic_xadd(&counter, 1);
		stats[cpu].xadd_sum += old;
		if (i && old <= last)
			stats[cpu].xadd_unordered++;
		last = old;
	}
}

static void cmpxchg_loop(unsigned int cpu)
{
	uint32_t i, old;

	for (i = 0; i < iters; i++) {
		old = counter;
		while (kvm_atomic_cmpxchg(&counter, old, old + 1) != old) {
			stats[cpu].cmpxchg_failures++;
			old = counter;
		}
	}
}

static void count(void *arg)
{
	unsigned int cpu = smp_id(), i;

	(void)arg;
	smp_barrier();		/* all CPUs start together */
	switch (method) {
	case LOCK_ADD:
		for (i = 0; i < iters; i++)
			kvm_atomic_add(&counter, 1);
		break;
	case LOCK_XADD:
		xadd_loop(cpu);
		break;
	case LOCK_CMPXCHG:
		cmpxchg_loop(cpu);
		break;
	case SPINLOCK:
		for (i = 0; i < iters; i++) {
			kvm_spin_lock(&lock);
			plain_add(&counter);
			kvm_spin_unlock(&lock);
		}
		break;
	case PLAIN_ADD:
		for (i = 0; i < iters; i++)
			plain_add(&counter);
		break;
	}
}

static void run_all(enum method m)
{
	unsigned int cpu;

	method = m;
	counter = 0;
	memset(stats, 0, sizeof(stats));
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		on_cpu_async(cpu, count, NULL);
	count(NULL);
	smp_wait_all();
}

static void check_xadd(uint32_t total)
{
	uint64_t sum = 0, want = (uint64_t)total * (total - 1) / 2;
	uint32_t unordered = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		sum += stats[cpu].xadd_sum;
		unordered += stats[cpu].xadd_unordered;
	}
	tst_res(unordered ? TFAIL : TPASS, "LOCK XADD: old values strictly "
		"increasing on each CPU (%u out of order)", unordered);
	if (sum == want)
		tst_res(TPASS, "LOCK XADD: old values sum to %llu = 0 + ... + "
			"%u", (unsigned long long)sum, total - 1);
	else
		tst_res(TFAIL, "LOCK XADD: old values sum: expected %llu, got "
			"%llu", (unsigned long long)want,
			(unsigned long long)sum);
}

void main(void)
{
	uint32_t total;
	unsigned int cpu, m, failures = 0;

	iters = kvm_boot_info()->host_arg ? kvm_boot_info()->host_arg :
		DEFAULT_ITERS;
	total = iters * NR_CPUS;
	tst_res(TINFO, "%u CPUs x %u increments", NR_CPUS, iters);

	for (m = LOCK_ADD; m <= SPINLOCK; m++) {
		run_all(m);
		if (counter == total)
			tst_res(TPASS, "%s: final count %u", names[m], counter);
		else
			tst_res(TFAIL, "%s: final count: expected %u, got %u "
				"(%u lost)", names[m], total, counter,
				total - counter);
		if (m == LOCK_XADD)
			check_xadd(total);
		if (m == LOCK_CMPXCHG) {
			for (cpu = 0; cpu < NR_CPUS; cpu++)
				failures += stats[cpu].cmpxchg_failures;
			tst_res(TINFO, "LOCK CMPXCHG: %u compare-exchanges "
				"lost to another CPU", failures);
		}
	}

	/* Allowed to lose updates: only shown. */
	run_all(PLAIN_ADD);
	tst_res(TINFO, "plain ADD (no LOCK, lost updates allowed): final "
		"count %u of %u", counter, total);
}

#else /* COMPILE_PAYLOAD */

static const struct tst_kvm_vm_opts opts = { .nr_vcpus = NR_CPUS };

static struct tst_test test = {
	.description = "LOCK ADD/XADD/CMPXCHG and a spinlock from 4 CPUs "
		"give an exact count",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvm_opts = &opts,
	.timeout = 60,
};

#endif /* COMPILE_PAYLOAD */
