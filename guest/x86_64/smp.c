/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * smp.c - guest SMP runtime: the CPU number (from TR), the per-CPU areas,
 * the APs' idle loop, on_cpu() and friends, the barrier and the
 * park/unpark calls to the host (KVM_SMP_PORT). Waits use a "waiters"
 * mask: a CPU sets its bit, checks its condition and parks; the CPU that
 * makes the condition true takes the mask and unparks each CPU in it.
 * As an unpark that comes before the park is kept by the host, no wake-up
 * is lost.
 */
#include "kvm_smp.h"

#define CPU_AREA(n) { \
	.id = (n), \
	.tss = (struct kvm_tss64 *)(uintptr_t)KVM_CPU_TSS_BASE(n), \
	.boot_info = (const struct kvm_boot_info *)(uintptr_t) \
		KVM_CPU_BOOT_INFO(n), \
	.stack_top = KVM_CPU_STACK_TOP(n), \
	.stack_bottom = KVM_CPU_STACK_BOTTOM(n), \
	.result_page = KVM_CPU_RESULT_PAGE(n), \
}

static struct kvm_cpu cpus[KVM_MAX_VCPUS] = {
	CPU_AREA(0), CPU_AREA(1), CPU_AREA(2), CPU_AREA(3),
	CPU_AREA(4), CPU_AREA(5), CPU_AREA(6), CPU_AREA(7),
};

_Static_assert(KVM_MAX_VCPUS == 8, "cpus[] lists every CPU");
_Static_assert(KVM_MAX_VCPUS <= 32, "waiter masks are 32 bits");

/* Work slot of each CPU. */
enum { SLOT_FREE, SLOT_CLAIMED, SLOT_POSTED, SLOT_RUNNING };

struct slot {
	volatile uint32_t state;
	void (*fn)(void *arg);
	void *arg;
	volatile uint32_t waiters;	/* CPUs waiting for the slot to free */
};

static struct slot slots[KVM_MAX_VCPUS];

static struct {
	volatile uint32_t count;
	volatile uint32_t generation;
	volatile uint32_t waiters;
} barrier;

/* Checks of a waiting CPU before it parks (each ~1 us if emulated). */
#define BARRIER_SPINS	16

void kvm_smp_ap_main(void) __kvm_noreturn;
void kvm_smp_wait_idle(void);

unsigned int smp_id(void)
{
	uint16_t sel;
	unsigned int id;

	__asm__ __volatile__("str %0" : "=r"(sel));
	if (sel == KVM_TSS_SEL)
		return 0;
	id = (sel - KVM_AP_TSS_SEL_BASE) / 16;
	/* Not one of ours (a test loaded TR): call it CPU 0. */
	if (sel < KVM_AP_TSS_SEL_BASE || sel % 16 || !id ||
	    id >= KVM_MAX_VCPUS)
		return 0;
	return id;
}

struct kvm_cpu *kvm_cpu(unsigned int id)
{
	return id < KVM_MAX_VCPUS ? &cpus[id] : NULL;
}

struct kvm_cpu *kvm_this_cpu(void)
{
	return &cpus[smp_id()];
}

unsigned int smp_nr_cpus(void)
{
	return kvm_boot_info()->nr_vcpus;
}

void smp_park(void)
{
	kvm_outl(KVM_SMP_PORT, KVM_SMP_PARK);
}

void smp_unpark(unsigned int cpu)
{
	kvm_outl(KVM_SMP_PORT, KVM_SMP_UNPARK | cpu << 8);
}

void kvm_smp_wait_idle(void)
{
	kvm_outl(KVM_SMP_PORT, KVM_SMP_WAIT_IDLE);
}

static uint32_t load(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/* Until @done(@arg), parking between checks; see the file comment. */
static void wait_until(volatile uint32_t *waiters, int (*done)(void *arg),
	void *arg)
{
	uint32_t me = 1u << smp_id();

	for (;;) {
		__atomic_or_fetch(waiters, me, __ATOMIC_SEQ_CST);
		if (done(arg))
			return;
		smp_park();
	}
}

static void wake_waiters(volatile uint32_t *waiters)
{
	uint32_t mask = __atomic_exchange_n(waiters, 0, __ATOMIC_SEQ_CST);
	unsigned int cpu, me = smp_id();

	for (cpu = 0; cpu < KVM_MAX_VCPUS; cpu++) {
		if ((mask & (1u << cpu)) && cpu != me)
			smp_unpark(cpu);
	}
}

static void check_target(const char *what, unsigned int cpu)
{
	if (cpu >= smp_nr_cpus())
		tst_brk(TBROK, "%s(%u): the VM has %u CPUs", what, cpu,
			smp_nr_cpus());
	if (!cpu && smp_id())
		tst_brk(TBROK, "%s(0) from CPU %u: CPU 0 runs main() and "
			"takes no work from other CPUs", what, smp_id());
}

static int claim(void *arg)
{
	struct slot *s = arg;
	uint32_t free = SLOT_FREE;

	return __atomic_compare_exchange_n(&s->state, &free, SLOT_CLAIMED, 0,
					   __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static int slot_free(void *arg)
{
	struct slot *s = arg;

	return load(&s->state) == SLOT_FREE;
}

void on_cpu_async(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct slot *s;

	check_target("on_cpu_async", cpu);
	if (cpu == smp_id()) {
		fn(arg);
		return;
	}
	s = &slots[cpu];
	wait_until(&s->waiters, claim, s);
	s->fn = fn;
	s->arg = arg;
	__atomic_store_n(&s->state, SLOT_POSTED, __ATOMIC_SEQ_CST);
	smp_unpark(cpu);
}

void on_cpu_wait(unsigned int cpu)
{
	check_target("on_cpu_wait", cpu);
	if (cpu != smp_id())
		wait_until(&slots[cpu].waiters, slot_free, &slots[cpu]);
}

void smp_wait_all(void)
{
	unsigned int cpu;

	for (cpu = 1; cpu < smp_nr_cpus(); cpu++) {
		if (cpu != smp_id())
			wait_until(&slots[cpu].waiters, slot_free,
				   &slots[cpu]);
	}
}

/*
 * on_cpu(): the job lives on the caller's stack, so the target reads the
 * waiter before it sets done and touches the job no more after that.
 */
struct sync_job {
	void (*fn)(void *arg);
	void *arg;
	unsigned int waiter;
	volatile uint32_t done;
};

static void run_sync_job(void *arg)
{
	struct sync_job *job = arg;
	unsigned int waiter = job->waiter;

	job->fn(job->arg);
	__atomic_store_n(&job->done, 1, __ATOMIC_SEQ_CST);
	smp_unpark(waiter);
}

void on_cpu(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct sync_job job = { fn, arg, smp_id(), 0 };

	check_target("on_cpu", cpu);
	if (cpu == smp_id()) {
		fn(arg);
		return;
	}
	on_cpu_async(cpu, run_sync_job, &job);
	while (!load(&job.done))
		smp_park();
}

static int generation_changed(void *arg)
{
	return load(&barrier.generation) != *(uint32_t *)arg;
}

void smp_barrier(void)
{
	uint32_t gen = load(&barrier.generation);
	unsigned int i;

	if (__atomic_add_fetch(&barrier.count, 1, __ATOMIC_SEQ_CST) ==
	    smp_nr_cpus()) {
		__atomic_store_n(&barrier.count, 0, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&barrier.generation, 1, __ATOMIC_SEQ_CST);
		wake_waiters(&barrier.waiters);
		return;
	}
	for (i = 0; i < BARRIER_SPINS; i++) {
		if (load(&barrier.generation) != gen)
			return;
		kvm_pause();
	}
	wait_until(&barrier.waiters, generation_changed, &gen);
}

/* An AP after boot: run work as it comes, park in between. */
void kvm_smp_ap_main(void)
{
	struct slot *s = &slots[smp_id()];

	for (;;) {
		if (load(&s->state) != SLOT_POSTED) {
			smp_park();
			continue;
		}
		__atomic_store_n(&s->state, SLOT_RUNNING, __ATOMIC_SEQ_CST);
		s->fn(s->arg);
		__atomic_store_n(&s->state, SLOT_FREE, __ATOMIC_SEQ_CST);
		wake_waiters(&s->waiters);
	}
}
