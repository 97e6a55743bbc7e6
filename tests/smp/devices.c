// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Devices and host calls of an SMP guest, used from 4 CPUs at once. The
 * host library runs the devices' handlers from each vCPU's own thread;
 * unless a device says it copes (TST_KVM_DEV_CONCURRENT), the bus must run
 * one handler at a time, so device code written for one vCPU stays
 * correct. Checked on the host after the run:
 *
 *  - a port device whose write handler does an unlocked read-modify-write
 *    of its counter, with a delay in between, counted every OUT of every
 *    CPU (CPUs x WRITES) and never ran twice at once;
 *  - tst_kvm_current_cpu() in the handler names the vCPU that wrote (each
 *    CPU writes its own number, the handler compares);
 *  - host calls from all CPUs are answered on the calling vCPU: the
 *    handler reads, through the calling vCPU, the guest variable whose
 *    address the guest passed, and answers with it and the CPU number,
 *    which each CPU checks in the guest;
 *  - console lines printed by all CPUs at once arrive whole (the guest
 *    console lock keeps one CPU's line together).
 */
#include "kvm_test.h"

#define NR_CPUS		4
#define WRITES		100
#define CALLS		20
#define LINES		4
#define DEV_PORT	0x1600
#define CALL_NR		7

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

static volatile uint32_t cookie[NR_CPUS];

static void work(void *arg)
{
	unsigned int me = smp_id(), i, bad = 0;

	(void)arg;
	cookie[me] = 0xc00c1e00 + me;
	smp_barrier();
	for (i = 0; i < WRITES; i++)
		kvm_outl(DEV_PORT, me);
	for (i = 0; i < CALLS; i++) {
		uint32_t answer = tst_host_call(CALL_NR,
						(uintptr_t)&cookie[me]);

		bad += answer != ((cookie[me] & 0xffff) << 8 | me);
	}
	tst_res(bad ? TFAIL : TPASS, "%u host calls answered as CPU %u's "
		"with its own variable, %u wrong", CALLS, me, bad);
	for (i = 0; i < LINES; i++)
		printf("console line %u from CPU %u\n", i, me);
}

void main(void)
{
	unsigned int cpu;

	for (cpu = 1; cpu < NR_CPUS; cpu++)
		on_cpu_async(cpu, work, NULL);
	work(NULL);
	smp_wait_all();
}

#else /* COMPILE_PAYLOAD */

#include <stdio.h>

static struct tst_kvm_instance inst;

static struct {
	volatile unsigned long count, inside, overlaps, wrong_cpu;
	unsigned long per_cpu[NR_CPUS];
} dev;

static enum tst_kvm_action dev_write(struct tst_kvm_instance *in,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	unsigned long v;
	uint32_t who;
	int i;

	(void)opaque;
	(void)offset;
	memcpy(&who, data, len < 4 ? len : 4);
	if (dev.inside)
		dev.overlaps++;
	dev.inside = 1;
	v = dev.count;
	for (i = 0; i < 20000; i++)	/* widen the race window */
		__asm__ __volatile__("" ::: "memory");
	dev.count = v + 1;
	if (who != tst_kvm_current_cpu(in))
		dev.wrong_cpu++;
	else if (who < NR_CPUS)
		dev.per_cpu[who]++;
	dev.inside = 0;
	return TST_KVM_CONTINUE;
}

static uint32_t host_call(struct tst_kvm_instance *in, void *opaque,
	uint32_t nr, uint64_t arg)
{
	uint32_t v = 0;

	(void)opaque;
	if (nr != CALL_NR || tst_kvm_read_guest(in, arg, &v, sizeof(v)))
		return 0;
	return (v & 0xffff) << 8 | tst_kvm_current_cpu(in);
}

static void check_console(const char *cap, size_t len)
{
	unsigned int seen[NR_CPUS] = { 0 }, bad = 0, i, cpu, line;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(cap + pos, '\n', len - pos);
		char text[80] = "", tail;
		size_t n = nl ? (size_t)(nl - cap - pos) : len - pos;

		memcpy(text, cap + pos, n < sizeof(text) - 1 ? n :
		       sizeof(text) - 1);
		if (sscanf(text, "console line %u from CPU %u%c", &line, &cpu,
			   &tail) == 2 && cpu < NR_CPUS && line == seen[cpu])
			seen[cpu]++;
		else
			bad++;
		pos += n + 1;
	}
	for (i = 0; i < NR_CPUS; i++)
		bad += seen[i] != LINES;
	if (bad)
		tst_res(TFAIL, "console: %u lines torn or missing in %zu "
			"bytes:\n%.*s", bad, len, (int)len, cap);
	else
		tst_res(TPASS, "console: %u whole lines from each of %u CPUs",
			LINES, NR_CPUS);
}

static void run(void)
{
	static const struct tst_kvm_vm_opts opts = { .nr_vcpus = NR_CPUS };
	static const struct tst_kvm_device device = {
		.name = "counter",
		.base = DEV_PORT,
		.size = 4,
		.write = dev_write,
	};
	unsigned int cpu, bad = 0;

	tst_kvm_create_instance_opts(&inst, &opts);
	tst_kvm_add_pio_device(&inst, &device);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	tst_kvm_run_instance(&inst);

	if (dev.count == NR_CPUS * WRITES)
		tst_res(TPASS, "device counted all %lu writes", dev.count);
	else
		tst_res(TFAIL, "device counted %lu writes, expected %u",
			dev.count, NR_CPUS * WRITES);
	tst_res(dev.overlaps ? TFAIL : TPASS, "device handler ran twice at "
		"once %lu times", dev.overlaps);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		bad += dev.per_cpu[cpu] != WRITES;
	if (dev.wrong_cpu || bad)
		tst_res(TFAIL, "tst_kvm_current_cpu() in the handler: %lu "
			"writes attributed to another CPU, %u CPUs with a wrong "
			"count", dev.wrong_cpu, bad);
	else
		tst_res(TPASS, "tst_kvm_current_cpu() named the writing CPU "
			"for all writes");
	check_console(inst.serial.capture, inst.serial.capture_len);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "devices, host calls and the console used from 4 CPUs "
		"at once",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
