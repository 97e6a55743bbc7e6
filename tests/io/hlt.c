// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HLT with interrupts disabled. Without an in-kernel irqchip every HLT
 * leaves KVM_RUN with KVM_EXIT_HLT (Documentation/virt/kvm/api.rst); the
 * platform's run loop (host/run_loop.c) counts it in
 * inst.exit_counts[KVM_EXIT_HLT] and resumes the guest, which goes on at
 * the instruction after the HLT (SDM Vol. 2A "HLT": execution resumes
 * after HLT with the saved RIP pointing to the next instruction).
 *
 * The guest halts in three shapes (a loop, back-to-back HLTs in one asm
 * block, a call per HLT) and counts how often the code after each HLT
 * ran; between the shapes it asks the host for the HLT exit count with
 * tst_host_call(). N HLTs must give exactly N exits, seen by the guest
 * mid-run and by the host after the run.
 */
#include "kvm_test.h"

#define CALL_HLT_EXITS	1

#define LOOP_HLTS	5
#define BLOCK_HLTS	3	/* three HLTs in one asm statement */
#define CALL_HLTS	4
#define TOTAL_HLTS	(LOOP_HLTS + BLOCK_HLTS + CALL_HLTS)
#define NR_CALLS	4	/* expect_exits() calls in main() */

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static volatile unsigned int resumed;

static void expect_count(const char *what, unsigned int want,
	unsigned int got)
{
	tst_res(want == got ? TPASS : TFAIL, "%s: expected %u, got %u", what,
		want, got);
}

static void expect_exits(const char *when, unsigned int want)
{
	char what[96];

	snprintf(what, sizeof(what), "KVM_EXIT_HLT exits the host counted %s",
		 when);
	expect_count(what, want, tst_host_call(CALL_HLT_EXITS, 0));
}

static __attribute__((noinline)) void halt_once(void)
{
	__asm__ __volatile__("hlt\n\tincl %0" : "+m"(resumed) :: "memory");
}

static void halt_block(void)
{
	/* The code after each HLT counts it: a skipped HLT shows too. */
	__asm__ __volatile__("hlt\n\tincl %0\n\t"
			     "hlt\n\tincl %0\n\t"
			     "hlt\n\tincl %0"
			     : "+m"(resumed) :: "memory");
}

void main(void)
{
	unsigned int i;

	tst_res(kvm_read_rflags() & X86_RFLAGS_IF ? TFAIL : TPASS,
		"RFLAGS.IF is clear (RFLAGS 0x%lx)", kvm_read_rflags());
	expect_exits("before any HLT", 0);

	for (i = 0; i < LOOP_HLTS; i++)
		halt_once();
	expect_count("resumptions after HLTs in a loop", LOOP_HLTS, resumed);
	expect_exits("after the loop", LOOP_HLTS);

	halt_block();
	expect_count("resumptions after back-to-back HLTs",
		     LOOP_HLTS + BLOCK_HLTS, resumed);
	expect_exits("after back-to-back HLTs", LOOP_HLTS + BLOCK_HLTS);

	for (i = 0; i < CALL_HLTS; i++)
		halt_once();
	expect_count("resumptions in total", TOTAL_HLTS, resumed);
	expect_exits("at the end", TOTAL_HLTS);
}

#else /* COMPILE_PAYLOAD */

static struct tst_kvm_instance inst;
static unsigned int calls;

static uint32_t host_call(struct tst_kvm_instance *vm, void *opaque,
	uint32_t nr, uint64_t arg)
{
	(void)opaque;
	(void)arg;
	calls++;
	if (nr != CALL_HLT_EXITS)
		tst_kvm_brk(vm, "unexpected host call %u", nr);
	return (uint32_t)vm->exit_counts[KVM_EXIT_HLT];
}

static void run(void)
{
	calls = 0;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	tst_kvm_run_instance(&inst);

	tst_res(inst.exit_counts[KVM_EXIT_HLT] == TOTAL_HLTS ? TPASS : TFAIL,
		"KVM_EXIT_HLT exits after the run: expected %d, got %lu",
		TOTAL_HLTS, inst.exit_counts[KVM_EXIT_HLT]);
	tst_res(calls == NR_CALLS ? TPASS : TFAIL, "host calls answered: "
		"expected %d, got %u", NR_CALLS, calls);
	tst_res(inst.finished ? TPASS : TFAIL, "guest ran to its end after "
		"the HLTs (inst.finished %d)", inst.finished);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "HLT with IF=0 exits with KVM_EXIT_HLT once per HLT "
		       "and the guest resumes after it",
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
