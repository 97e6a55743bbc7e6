/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_smp.h - the guest runtime's SMP API: the current CPU and its per-CPU
 * area, running functions on other CPUs, barriers, spinlocks, atomics and
 * the park/unpark primitives they are built on. Payload pass only.
 *
 * A test asks the host for N vCPUs (struct tst_kvm_vm_opts.nr_vcpus). CPU
 * 0 runs main(); every other CPU (an AP) starts at the payload entry too,
 * on its own stack, TSS and result page, and waits, parked in the host,
 * for work from on_cpu(). The test ends when main() has returned and
 * every AP is idle again, or at once when any CPU calls tst_brk() or
 * kvm_exit(); result lines are prefixed with "CPU <n>: " by the host.
 *
 * Waiting never spins for long: a CPU that waits for another parks in the
 * host (one port exit) until that CPU unparks it, so idle vCPUs cost no
 * host CPU even where ring 0 is emulated. Cross-CPU interrupts (IPIs) need
 * the LAPIC and are not used here; on_cpu() wakes its target with an
 * unpark, which an IPI-based wake-up can replace later.
 *
 * Not per-CPU yet: kvm_last_exc, kvm_mark and the interrupt callbacks are
 * shared, so *_safe() helpers and marks must be used by one CPU at a time.
 */
#ifndef KVM_SMP_H
#define KVM_SMP_H

#include "kvm_x86.h"

/*
 * The per-CPU area. kvm_this_cpu() finds it from the task register (STR:
 * each CPU has its own TSS selector), not from GS base, which tests change,
 * so it works at any time in ring 0 and in ring 3 unless CR4.UMIP is set.
 */
struct kvm_cpu {
	unsigned int id;
	struct kvm_tss64 *tss;		/* this CPU's TSS (RSP0, IST) */
	const struct kvm_boot_info *boot_info;
	uintptr_t stack_top;		/* ring-0 stack, TSS RSP0 at boot */
	uintptr_t stack_bottom;
	uintptr_t result_page;
};

struct kvm_cpu *kvm_this_cpu(void);
/* The area of CPU @id (< KVM_MAX_VCPUS); NULL if out of range. */
struct kvm_cpu *kvm_cpu(unsigned int id);

/* This CPU's number (0 = the one running main()) and how many there are. */
unsigned int smp_id(void);
unsigned int smp_nr_cpus(void);

/*
 * Run @fn(@arg) on CPU @cpu. on_cpu() waits until it returned; on the
 * calling CPU itself it is a plain call. on_cpu_async() returns once the
 * work is queued (each CPU holds one item: it first waits, parked, until
 * the CPU's previous item has finished);
 * on_cpu_wait() waits until @cpu has no work queued or running and
 * smp_wait_all() until no AP has. CPU 0 runs main() and takes no work
 * from other CPUs: on_cpu(0, ...) from an AP ends the test with TBROK.
 */
void on_cpu(unsigned int cpu, void (*fn)(void *arg), void *arg);
void on_cpu_async(unsigned int cpu, void (*fn)(void *arg), void *arg);
void on_cpu_wait(unsigned int cpu);
void smp_wait_all(void);

/*
 * Barrier for all smp_nr_cpus() CPUs: each returns once every CPU has
 * called it (spins briefly, then parks). Reusable at once.
 */
void smp_barrier(void);

/*
 * Park and unpark. smp_park() stops this vCPU in the host until some CPU
 * calls smp_unpark() for it; an unpark that comes first is kept as a
 * token, so the next smp_park() returns at once. A park may also return
 * early: wait in a loop on the condition you need.
 */
void smp_park(void);
void smp_unpark(unsigned int cpu);

/* Spinlocks (LOCK XCHG, PAUSE while contended). */
typedef struct {
	volatile uint32_t locked;
} kvm_spinlock_t;

#define KVM_SPINLOCK_INIT	{ 0 }

static inline void kvm_pause(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline int kvm_spin_trylock(kvm_spinlock_t *lock)
{
	uint32_t old = 1;

	__asm__ __volatile__("xchgl %0, %1"
			     : "+r"(old), "+m"(lock->locked) :: "memory");
	return !old;
}

static inline void kvm_spin_lock(kvm_spinlock_t *lock)
{
	while (!kvm_spin_trylock(lock)) {
		while (lock->locked)
			kvm_pause();
	}
}

static inline void kvm_spin_unlock(kvm_spinlock_t *lock)
{
	__asm__ __volatile__("" ::: "memory");
	lock->locked = 0;	/* a plain store releases on x86 */
}

/*
 * Atomics on 32-bit values with the LOCK-prefixed instruction each name
 * says (SDM Vol. 3A 8.1.2.2 "Software Controlled Bus Locking").
 */
static inline void kvm_atomic_add(volatile uint32_t *p, uint32_t v)
{
	__asm__ __volatile__("lock addl %1, %0" : "+m"(*p) : "ir"(v)
			     : "memory", "cc");
}

/* LOCK XADD: adds @v, returns the old value. */
static inline uint32_t kvm_atomic_xadd(volatile uint32_t *p, uint32_t v)
{
	__asm__ __volatile__("lock xaddl %0, %1" : "+r"(v), "+m"(*p)
			     :: "memory", "cc");
	return v;
}

/* LOCK CMPXCHG: stores @new if *p == @old; returns the old *p. */
static inline uint32_t kvm_atomic_cmpxchg(volatile uint32_t *p, uint32_t old,
	uint32_t new)
{
	__asm__ __volatile__("lock cmpxchgl %2, %1" : "+a"(old), "+m"(*p)
			     : "r"(new) : "memory", "cc");
	return old;
}

/* XCHG (locked without a prefix): stores @v, returns the old value. */
static inline uint32_t kvm_atomic_xchg(volatile uint32_t *p, uint32_t v)
{
	__asm__ __volatile__("xchgl %0, %1" : "+r"(v), "+m"(*p) :: "memory");
	return v;
}

/* MFENCE (SDM Vol. 2B): all earlier loads and stores before later ones. */
static inline void kvm_mfence(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

#endif /* KVM_SMP_H */
