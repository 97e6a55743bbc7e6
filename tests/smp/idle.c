// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Waiting CPUs cost no host CPU time. Where guest ring 0 is emulated (one
 * host thread per vCPU, ~1 us per instruction), a vCPU that spins while
 * it waits burns a host core. The runtime parks waiting vCPUs in the host
 * instead. With 4 vCPUs, CPU 0 stops in a host call that sleeps SLEEP_MS
 * while the 3 APs wait, first idle (no work) and then inside smp_barrier()
 * for CPU 0. The host measures the process's CPU time over the run (all
 * threads, getrusage()): it must stay below BUDGET_MS (times
 * KVMCHECK_TIMEOUT_MUL for slow hosts, at most SLEEP_MS / 2), far less
 * than the 2 x SLEEP_MS or more that spinning APs would use on two host
 * cores.
 */
#include "kvm_test.h"

#define NR_CPUS		4
#define SLEEP_MS	300
#define BUDGET_MS	100
#define CALL_SLEEP	1

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

static void wait_in_barrier(void *arg)
{
	(void)arg;
	smp_barrier();
}

void main(void)
{
	unsigned int cpu;

	tst_host_call(CALL_SLEEP, 0);		/* APs idle */
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		on_cpu_async(cpu, wait_in_barrier, NULL);
	tst_host_call(CALL_SLEEP, 0);		/* APs in the barrier */
	smp_barrier();
	smp_wait_all();
	tst_res(TINFO, "all CPUs through the barrier");
}

#else /* COMPILE_PAYLOAD */

#include <sys/resource.h>
#include <time.h>

static struct tst_kvm_instance inst;

static uint32_t host_call(struct tst_kvm_instance *in, void *opaque,
	uint32_t nr, uint64_t arg)
{
	struct timespec ts = { 0, SLEEP_MS * 1000000L };

	(void)in;
	(void)opaque;
	(void)nr;
	(void)arg;
	nanosleep(&ts, NULL);
	return 0;
}

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void run(void)
{
	static const struct tst_kvm_vm_opts opts = { .nr_vcpus = NR_CPUS };
	double used, budget = BUDGET_MS * tst_timeout_mul();

	tst_kvm_create_instance_opts(&inst, &opts);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	used = cpu_ms();
	tst_kvm_run_instance(&inst);
	used = cpu_ms() - used;
	tst_kvm_destroy_instance(&inst);

	if (budget > SLEEP_MS / 2)
		budget = SLEEP_MS / 2;
	if (used < budget)
		tst_res(TPASS, "%d APs waiting 2 x %d ms: the process used "
			"%.1f ms of CPU time (budget %.0f ms)", NR_CPUS - 1,
			SLEEP_MS, used, budget);
	else
		tst_res(TFAIL, "%d APs waiting 2 x %d ms: the process used "
			"%.1f ms of CPU time, expected < %.0f ms (waiting vCPUs "
			"spin?)", NR_CPUS - 1, SLEEP_MS, used, budget);
}

static struct tst_test test = {
	.description = "idle and waiting vCPUs are parked and use no host CPU",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
