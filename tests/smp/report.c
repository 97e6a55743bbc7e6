// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every CPU of a 4-vCPU guest reports, and each report reaches the host
 * through that CPU's own result page: the guest's lines say which CPU
 * (smp_id()) sent them, and the host, which prefixes each line with the
 * vCPU whose exit delivered it ("CPU n: "), checks from its captured
 * output that the two agree for every CPU. The reports are sent from all
 * CPUs at once (on_cpu_async(), then smp_wait_all()), so the host's
 * printing and counting is exercised concurrently; the host checks that
 * it counted every report. A CPU that does not report, or whose report
 * comes through another CPU's page, fails the test.
 */
#include "kvm_test.h"

#define NR_CPUS		4
#define ROUNDS		5

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

static void report(void *arg)
{
	unsigned int round;

	(void)arg;
	for (round = 0; round < ROUNDS; round++)
		tst_res(TINFO, "report %u from smp_id() %u", round, smp_id());
}

void main(void)
{
	unsigned int cpu;

	if (smp_nr_cpus() != NR_CPUS)
		tst_brk(TBROK, "expected %u CPUs, boot info says %u", NR_CPUS,
			smp_nr_cpus());
	for (cpu = 1; cpu < NR_CPUS; cpu++)
		on_cpu_async(cpu, report, NULL);
	report(NULL);
	smp_wait_all();
}

#else /* COMPILE_PAYLOAD */

#include <stdio.h>

static const struct tst_kvm_vm_opts opts = { .nr_vcpus = NR_CPUS };
static struct tst_kvm_instance inst;

static void check_cpu(const char *out, unsigned int cpu)
{
	char want[96];
	unsigned int round, found = 0;

	for (round = 0; round < ROUNDS; round++) {
		snprintf(want, sizeof(want), "TINFO: CPU %u: report %u from "
			 "smp_id() %u\n", cpu, round, cpu);
		found += !!strstr(out, want);
	}
	if (found == ROUNDS)
		tst_res(TPASS, "CPU %u: all %u reports arrived as CPU %u's",
			cpu, ROUNDS, cpu);
	else
		tst_res(TFAIL, "CPU %u: expected %u reports \"CPU %u: report "
			"<r> from smp_id() %u\", found %u", cpu, ROUNDS, cpu,
			cpu, found);
}

static void run(void)
{
	unsigned long results;
	unsigned int cpu;
	char *out;

	tst_kvm_create_instance_opts(&inst, &opts);
	tst_output_capture_begin();
	tst_kvm_run_instance(&inst);
	out = tst_output_capture_end();
	results = inst.results;
	tst_kvm_destroy_instance(&inst);

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		check_cpu(out ? out : "", cpu);
	free(out);
	if (results == NR_CPUS * ROUNDS)
		tst_res(TPASS, "host counted %lu guest reports", results);
	else
		tst_res(TFAIL, "host counted %lu guest reports, expected %u",
			results, NR_CPUS * ROUNDS);
}

static struct tst_test test = {
	.description = "every CPU of an SMP guest reports through its own "
		"result page",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
