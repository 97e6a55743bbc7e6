// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest SMP API on 4 CPUs (kvm_smp.h), as a test writer relies on it:
 *
 *  - on_cpu(n, fn) runs fn on CPU n (fn sees smp_id() == n) and returns
 *    after fn did (its stores are visible); on_cpu() on the calling CPU is
 *    a plain call;
 *  - work queued to one CPU with on_cpu_async() runs in order, one item
 *    after the other, and on_cpu_wait() returns after the last;
 *  - on_cpu_async() to every AP runs them all; smp_wait_all() waits;
 *  - an AP can hand work to another AP (on_cpu() from CPU 1 to CPU 2);
 *  - smp_barrier(): in each of ROUNDS rounds no CPU leaves the barrier
 *    before every CPU has arrived;
 *  - kvm_spin_lock(): a critical section is never entered by two CPUs at
 *    once (an "inside" flag, set and checked inside).
 */
#include "kvm_test.h"

#define NR_CPUS		4
#define QUEUED		8
#define ROUNDS		20
#define LOCK_ITERS	200

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

static volatile uint32_t ran_on, value;
static volatile uint32_t order[QUEUED], order_next;
static volatile uint32_t hits[NR_CPUS];
static volatile uint32_t arrived[ROUNDS];
static volatile uint32_t early[NR_CPUS];
static volatile uint32_t inside, overlaps;
static kvm_spinlock_t lock = KVM_SPINLOCK_INIT;

static void record_cpu(void *arg)
{
	ran_on = smp_id();
	value = (uint32_t)(uintptr_t)arg;
}

static void check_on_cpu(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		ran_on = ~0u;
		value = 0;
		on_cpu(cpu, record_cpu, (void *)(uintptr_t)(0x100 + cpu));
		if (ran_on == cpu && value == 0x100 + cpu)
			tst_res(TPASS, "on_cpu(%u) ran there and returned "
				"after it", cpu);
		else
			tst_res(TFAIL, "on_cpu(%u): fn ran on CPU %d, stored "
				"0x%x (expected 0x%x)", cpu, (int)ran_on,
				value, 0x100 + cpu);
	}
}

static void queued(void *arg)
{
	order[order_next] = (uint32_t)(uintptr_t)arg;
	order_next = order_next + 1;
}

static void check_queue(void)
{
	unsigned int i, bad = 0;

	for (i = 0; i < QUEUED; i++)
		on_cpu_async(2, queued, (void *)(uintptr_t)i);
	on_cpu_wait(2);
	for (i = 0; i < QUEUED; i++)
		bad += order[i] != i;
	if (order_next == QUEUED && !bad)
		tst_res(TPASS, "%u items queued to CPU 2 ran in order",
			QUEUED);
	else
		tst_res(TFAIL, "%u items queued to CPU 2: %u ran, %u out of "
			"order", QUEUED, order_next, bad);
}

static void hit(void *arg)
{
	(void)arg;
	hits[smp_id()]++;
}

static void check_all(void)
{
	unsigned int cpu, bad = 0;

	for (cpu = 1; cpu < NR_CPUS; cpu++)
		on_cpu_async(cpu, hit, NULL);
	smp_wait_all();
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		bad += hits[cpu] != 1;
	tst_res(bad ? TFAIL : TPASS, "on_cpu_async() to every AP, "
		"smp_wait_all(): %u APs did not run it exactly once", bad);
}

static void ap_to_ap(void *arg)
{
	(void)arg;
	ran_on = ~0u;
	on_cpu(2, record_cpu, (void *)0x2222);
	tst_res(ran_on == 2 && value == 0x2222 ? TPASS : TFAIL,
		"on_cpu(2) from CPU %u ran on CPU %d", smp_id(), (int)ran_on);
}

static void barrier_rounds(void *arg)
{
	unsigned int r, me = smp_id();

	(void)arg;
	for (r = 0; r < ROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_SEQ_CST);
		smp_barrier();
		if (arrived[r] != NR_CPUS)
			early[me]++;
	}
}

static void check_barrier(void)
{
	unsigned int cpu, bad = 0;

	for (cpu = 1; cpu < NR_CPUS; cpu++)
		on_cpu_async(cpu, barrier_rounds, NULL);
	barrier_rounds(NULL);
	smp_wait_all();
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		bad += early[cpu];
	tst_res(bad ? TFAIL : TPASS, "smp_barrier(), %u rounds on %u CPUs: "
		"%u times a CPU left before all arrived", ROUNDS, NR_CPUS, bad);
}

static void locked_work(void *arg)
{
	unsigned int i;

	(void)arg;
	smp_barrier();
	for (i = 0; i < LOCK_ITERS; i++) {
		kvm_spin_lock(&lock);
		if (inside)
			overlaps++;
		inside = 1;
		kvm_pause();
		inside = 0;
		kvm_spin_unlock(&lock);
	}
}

static void check_spinlock(void)
{
	unsigned int cpu;

	for (cpu = 1; cpu < NR_CPUS; cpu++)
		on_cpu_async(cpu, locked_work, NULL);
	locked_work(NULL);
	smp_wait_all();
	tst_res(overlaps ? TFAIL : TPASS, "kvm_spin_lock(): %u of %u "
		"critical sections entered while another CPU was inside",
		overlaps, NR_CPUS * LOCK_ITERS);
	tst_res(kvm_spin_trylock(&lock) ? TPASS : TFAIL,
		"kvm_spin_trylock() of a free lock succeeds");
	tst_res(!kvm_spin_trylock(&lock) ? TPASS : TFAIL,
		"kvm_spin_trylock() of a held lock fails");
	kvm_spin_unlock(&lock);
}

void main(void)
{
	check_on_cpu();
	check_queue();
	check_all();
	on_cpu(1, ap_to_ap, NULL);
	check_barrier();
	check_spinlock();
}

#else /* COMPILE_PAYLOAD */

static const struct tst_kvm_vm_opts opts = { .nr_vcpus = NR_CPUS };

static struct tst_test test = {
	.description = "on_cpu, on_cpu_async, smp_barrier and spinlocks do "
		"what kvm_smp.h says",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvm_opts = &opts,
};

#endif /* COMPILE_PAYLOAD */
