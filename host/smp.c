/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * smp.c - the host side of SMP guests: which vCPU the calling thread runs
 * (so that the run loop, the devices and tst_kvm_brk() act on that vCPU),
 * one thread per AP, the SMP port (park, unpark, wait for idle CPUs) whose
 * waits sleep on a condition variable instead of burning host CPU, and the
 * end of a run: when any vCPU's loop ends, every other vCPU is kicked out
 * of KVM_RUN or woken from its park, and the AP threads are joined.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "tst_test.h"
#include "internal.h"

#define WAIT_TICK_MS	100

static __thread struct tst_kvm_vcpu *this_vcpu;

struct tst_kvm_vcpu *tst_kvm_this_vcpu(const struct tst_kvm_instance *inst)
{
	return this_vcpu && this_vcpu->inst == inst ? this_vcpu : NULL;
}

void tst_kvm_set_this_vcpu(struct tst_kvm_vcpu *v)
{
	this_vcpu = v;
}

unsigned int tst_kvm_current_cpu(const struct tst_kvm_instance *inst)
{
	struct tst_kvm_vcpu *v = tst_kvm_this_vcpu(inst);

	return v ? v->id : 0;
}

int tst_kvm_vcpu_fd(const struct tst_kvm_instance *inst, unsigned int cpu)
{
	if (!cpu)
		return inst->vcpu_fd;
	if (cpu >= inst->nr_vcpus)
		tst_brk(TBROK, "tst_kvm_vcpu_fd(): no vCPU %u (the VM has %u)",
			cpu, inst->nr_vcpus);
	return inst->vcpu[cpu].fd;
}

/* An AP the calling thread runs, else NULL (CPU 0 uses the LTP fields). */
static const struct tst_kvm_vcpu *this_ap(const struct tst_kvm_instance *inst)
{
	const struct tst_kvm_vcpu *v = tst_kvm_this_vcpu(inst);

	return v && v->id ? v : NULL;
}

int tst_kvm_cur_fd(const struct tst_kvm_instance *inst)
{
	const struct tst_kvm_vcpu *v = this_ap(inst);

	return v ? v->fd : inst->vcpu_fd;
}

struct kvm_run *tst_kvm_cur_run(const struct tst_kvm_instance *inst)
{
	const struct tst_kvm_vcpu *v = this_ap(inst);

	return v ? v->run : inst->vcpu_info;
}

struct tst_kvm_result *tst_kvm_cur_result(const struct tst_kvm_instance *inst)
{
	const struct tst_kvm_vcpu *v = this_ap(inst);

	return v ? v->result : inst->result;
}

struct kvm_boot_info *tst_kvm_cur_boot_info(
	const struct tst_kvm_instance *inst)
{
	const struct tst_kvm_vcpu *v = this_ap(inst);

	return v ? v->boot_info : inst->boot_info;
}

void tst_kvm_cur_last_report(const struct tst_kvm_instance *inst,
	char **file, int **line)
{
	struct tst_kvm_instance *in = (struct tst_kvm_instance *)inst;
	struct tst_kvm_vcpu *v = (struct tst_kvm_vcpu *)this_ap(inst);

	*file = v ? v->last_file : in->last_file;
	*line = v ? &v->last_line : &in->last_line;
}

const char *tst_kvm_cpu_prefix(const struct tst_kvm_instance *inst,
	char *buf, size_t len)
{
	const struct tst_kvm_vcpu *v = tst_kvm_this_vcpu(inst);

	if (v && inst->nr_vcpus > 1)
		snprintf(buf, len, "CPU %u: ", v->id);
	else if (len)
		buf[0] = '\0';
	return buf;
}

static struct timespec tick(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += WAIT_TICK_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

static int ending(const struct tst_kvm_instance *inst)
{
	return __atomic_load_n(&inst->ending, __ATOMIC_SEQ_CST);
}

/*
 * Wait on smp_cond (smp_lock held) for one tick; 1 if the wait must end
 * because the test times out or is being stopped.
 */
static int wait_tick(struct tst_kvm_instance *inst)
{
	struct timespec ts = tick();

	pthread_cond_timedwait(&inst->smp_cond, &inst->smp_lock, &ts);
	return tst_watchdog_expired() || tst_vcpu_stop_requested();
}

/* After a wait cut short: halt (test stopping) or report the timeout. */
static void wait_failed(struct tst_kvm_instance *inst, const char *what)
{
	struct kvm_regs regs;
	char sym[128];

	if (tst_vcpu_stop_requested() && !tst_watchdog_expired())
		tst_vcpu_thread_halt();
	tst_kvm_get_regs(inst, &regs);
	tst_kvm_brk(inst, "guest still waiting %s after %.0f s at RIP=0x%llx "
		    "(%s)", what, tst_watchdog_seconds(),
		    (unsigned long long)regs.rip,
		    tst_kvm_symbolize(inst, regs.rip, sym, sizeof(sym)));
}

static enum tst_kvm_action park(struct tst_kvm_instance *inst,
	struct tst_kvm_vcpu *me)
{
	int failed = 0;

	pthread_mutex_lock(&inst->smp_lock);
	me->parked = 1;
	pthread_cond_broadcast(&inst->smp_cond);
	while (!me->wake && !ending(inst) && !failed)
		failed = wait_tick(inst);
	me->parked = 0;
	me->wake = 0;
	pthread_mutex_unlock(&inst->smp_lock);
	if (failed)
		wait_failed(inst, "in smp_park() for another CPU");
	return ending(inst) ? TST_KVM_STOP : TST_KVM_CONTINUE;
}

static void unpark(struct tst_kvm_instance *inst, unsigned int cpu)
{
	pthread_mutex_lock(&inst->smp_lock);
	inst->vcpu[cpu].wake = 1;
	pthread_cond_broadcast(&inst->smp_cond);
	pthread_mutex_unlock(&inst->smp_lock);
}

/* The first vCPU other than @me that is not idle, or -1. */
static int busy_cpu(const struct tst_kvm_instance *inst,
	const struct tst_kvm_vcpu *me)
{
	unsigned int i;

	for (i = 0; i < inst->nr_vcpus; i++) {
		const struct tst_kvm_vcpu *v = &inst->vcpu[i];

		if (v != me && !v->done && !(v->parked && !v->wake))
			return i;
	}
	return -1;
}

static enum tst_kvm_action wait_idle(struct tst_kvm_instance *inst,
	struct tst_kvm_vcpu *me)
{
	char what[96];
	int failed = 0, busy;

	pthread_mutex_lock(&inst->smp_lock);
	while ((busy = busy_cpu(inst, me)) >= 0 && !ending(inst) && !failed)
		failed = wait_tick(inst);
	pthread_mutex_unlock(&inst->smp_lock);
	if (failed) {
		snprintf(what, sizeof(what), "for CPU %d to finish its work "
			 "(main() returned)", busy);
		wait_failed(inst, what);
	}
	return ending(inst) ? TST_KVM_STOP : TST_KVM_CONTINUE;
}

static enum tst_kvm_action smp_port_write(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	struct tst_kvm_vcpu *me = tst_kvm_this_vcpu(inst);
	uint32_t value, cmd, cpu;

	(void)opaque;
	if (offset || len != 4)
		tst_kvm_brk(inst, "guest wrote %u bytes at offset %llu of the "
			    "SMP port 0x%x; expected one 32-bit OUT", len,
			    (unsigned long long)offset, KVM_SMP_PORT);
	if (!me)
		tst_kvm_brk(inst, "SMP port access outside a vCPU thread");
	memcpy(&value, data, 4);
	cmd = value & 0xff;
	cpu = value >> 8;
	switch (cmd) {
	case KVM_SMP_PARK:
		return park(inst, me);
	case KVM_SMP_UNPARK:
		if (cpu >= inst->nr_vcpus)
			tst_kvm_brk(inst, "guest unparked CPU %u; the VM has "
				    "%u vCPUs", cpu, inst->nr_vcpus);
		unpark(inst, cpu);
		return TST_KVM_CONTINUE;
	case KVM_SMP_WAIT_IDLE:
		return wait_idle(inst, me);
	default:
		tst_kvm_brk(inst, "guest wrote unknown command 0x%x to the SMP "
			    "port 0x%x", value, KVM_SMP_PORT);
	}
}

void tst_kvm_add_smp_device(struct tst_kvm_instance *inst)
{
	static const struct tst_kvm_device dev = {
		.name = "SMP port",
		.base = KVM_SMP_PORT,
		.size = 4,
		.write = smp_port_write,
		.flags = TST_KVM_DEV_CONCURRENT,
	};

	tst_kvm_add_pio_device(inst, &dev);
}

/* Make vCPU @v leave KVM_RUN (or not enter it) and any wait. */
static void kick(struct tst_kvm_vcpu *v)
{
	if (v->run)
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	tst_vcpu_thread_kick(__atomic_load_n(&v->tid, __ATOMIC_SEQ_CST));
}

void tst_kvm_smp_vcpu_done(struct tst_kvm_instance *inst,
	struct tst_kvm_vcpu *v)
{
	unsigned int i;

	if (inst->nr_vcpus < 2)
		return;
	pthread_mutex_lock(&inst->smp_lock);
	v->done = 1;
	__atomic_store_n(&inst->ending, 1, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&inst->smp_cond);
	pthread_mutex_unlock(&inst->smp_lock);
	for (i = 0; i < inst->nr_vcpus; i++) {
		if (&inst->vcpu[i] != v)
			kick(&inst->vcpu[i]);
	}
}

static void *ap_thread(void *arg)
{
	struct tst_kvm_vcpu *v = arg;

	__atomic_store_n(&v->tid, (int)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	tst_kvm_set_this_vcpu(v);
	tst_kvm_run_vcpu(v->inst, v);
	tst_kvm_smp_vcpu_done(v->inst, v);
	tst_kvm_set_this_vcpu(NULL);
	return NULL;
}

void tst_kvm_smp_start(struct tst_kvm_instance *inst)
{
	unsigned int i;

	inst->vcpu[0].tid = (int)syscall(SYS_gettid);
	for (i = 1; i < inst->nr_vcpus; i++) {
		struct tst_kvm_vcpu *v = &inst->vcpu[i];

		if (v->thread_started || v->done)
			tst_brk(TBROK, "an SMP instance runs only once");
		if (pthread_create(&v->thread, NULL, ap_thread, v))
			tst_brk(TBROK, "cannot start the thread of vCPU %u", i);
		v->thread_started = 1;
	}
}

void tst_kvm_smp_join(struct tst_kvm_instance *inst)
{
	unsigned int i;

	for (i = 1; i < inst->nr_vcpus; i++) {
		struct tst_kvm_vcpu *v = &inst->vcpu[i];

		if (v->thread_started)
			pthread_join(v->thread, NULL);
		v->thread_started = 0;
	}
}
