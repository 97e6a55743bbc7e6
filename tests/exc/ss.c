// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * #SS (stack fault, vector 12) in 64-bit mode: a memory reference whose
 * base register is RSP or RBP (an implicit stack-segment reference) with
 * a non-canonical address raises #SS(0) (SDM Vol. 3A 6.15 "Interrupt 12",
 * Vol. 1 3.3.7.1: "in the case of explicit or implied stack references, a
 * stack fault (#SS) is generated"), also for LEAVE with a non-canonical
 * RBP (SDM Vol. 2A LEAVE, 64-bit mode exceptions); the same address with
 * RBP only as the index register is a data reference: #GP(0). Checks:
 * vector, error code 0, RIP = the faulting instruction (a fault, SDM Vol.
 * 3A 6.5), RSP in the frame = RSP before the instruction (LEAVE must not
 * have changed it) and the destination register untouched. The real stack
 * is never non-canonical here (RSP + a non-canonical index, or RBP alone);
 * PUSH with a non-canonical RSP, whose #SS cannot be delivered, is in
 * exc/nested. KVM_ASM_SAFE_MARK() catches the exception and resumes after
 * the instruction; one reported at another RIP is not caught and ends the
 * case with a TBROK naming it.
 *
 * Each case runs in its own VM (tst_case_run(), tst_kvm_run_cases()) so
 * that one case the KVM cannot run does not hide the others.
 */
#include "kvm_test.h"

#define NONCANON	0x8000000000000000ull

/* X(function, name, expected vector) */
#define SS_CASES(X) \
	X(rbp_base, "mov (%rbp), %rcx with RBP non-canonical", X86_SS) \
	X(rsp_base, "mov (%rsp,%rax), %rcx, address non-canonical", X86_SS) \
	X(rbp_base_index, "mov (%rbp,%rax), %rcx, address non-canonical", \
	  X86_SS) \
	X(write_rsp_base, "mov %rcx, (%rsp,%rax), address non-canonical", \
	  X86_SS) \
	X(leave_noncanon, "leave with RBP non-canonical", X86_SS) \
	X(rbp_index, "mov (%rax,%rbp), %rcx (RBP as index only)", X86_GP)

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/* KVM_ASM_SAFE_MARK() clobbers R11. */
#define CLOBBERS "r11", "r12", "r13", "cc", "memory"
#define MAGIC	0x5a5a5a5a5a5a5a5aull

/* RCX around the case: MAGIC before, and it must still be MAGIC. */
static uint64_t rcx_after;

/* RBP itself non-canonical; R12 keeps the frame pointer meanwhile. */
static void rbp_base(void)
{
	__asm__ __volatile__("mov %%rbp, %%r12\n\t"
			     "mov %[nc], %%rbp\n\t"
			     KVM_ASM_SAFE_MARK("mov (%%rbp), %%rcx")
			     "mov %%r12, %%rbp\n\t"
			     : "+c"(rcx_after)
			     : [nc] "r"(NONCANON) : CLOBBERS);
}

static void rsp_base(void)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov (%%rsp,%%rax), %%rcx")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

static void rbp_base_index(void)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov (%%rbp,%%rax), %%rcx")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

static void write_rsp_base(void)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov %%rcx, (%%rsp,%%rax)")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

/* LEAVE: RSP <- RBP, then POP RBP from there (SDM Vol. 2A LEAVE). */
static void leave_noncanon(void)
{
	__asm__ __volatile__("mov %%rbp, %%r12\n\t"
			     "mov %%rsp, %%r13\n\t"
			     "mov %[nc], %%rbp\n\t"
			     KVM_ASM_SAFE_MARK("leave")
			     "mov %%r13, %%rsp\n\t"
			     "mov %%r12, %%rbp\n\t"
			     : "+c"(rcx_after)
			     : [nc] "r"(NONCANON) : CLOBBERS);
}

static void rbp_index(void)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov (%%rax,%%rbp), %%rcx")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

static const struct ss_case {
	void (*fn)(void);
	int vector;
} ss_cases[] = {
#define SS_ENTRY(fn, name, vector) { fn, vector },
	SS_CASES(SS_ENTRY)
};

static void check(const struct ss_case *c, unsigned long count)
{
	const struct kvm_exc_info *e = &kvm_last_exc;

	if (count != 1 || e->vector != c->vector) {
		tst_res(TFAIL, "expected one %s, got %lu exception(s), last %s "
			"(error code 0x%llx)", kvm_exception_name(c->vector),
			count, count ? kvm_exception_name(e->vector) : "none",
			(unsigned long long)(count ? e->errcode : 0));
		return;
	}
	tst_res(TPASS, "%s", kvm_exception_name(c->vector));
	/* SDM Vol. 3A 6.15: #SS(0) and #GP(0) for non-canonical addresses */
	if (e->errcode)
		tst_res(TFAIL, "error code: expected 0x0, got 0x%llx",
			(unsigned long long)e->errcode);
	else
		tst_res(TPASS, "error code 0x0");
	/* SDM Vol. 3A 6.5: faults report the faulting instruction. */
	if (e->rip == kvm_mark.insn_ip)
		tst_res(TPASS, "RIP = the faulting instruction");
	else
		tst_res(TFAIL, "RIP: expected the faulting instruction 0x%llx, "
			"got 0x%llx", (unsigned long long)kvm_mark.insn_ip,
			(unsigned long long)e->rip);
	if (e->frame.rsp == kvm_mark.rsp)
		tst_res(TPASS, "RSP in the frame = RSP before the instruction");
	else
		tst_res(TFAIL, "RSP in the frame: expected 0x%llx, got 0x%llx",
			(unsigned long long)kvm_mark.rsp,
			(unsigned long long)e->frame.rsp);
	if (e->frame.regs.rcx == MAGIC && rcx_after == MAGIC)
		tst_res(TPASS, "RCX untouched");
	else
		tst_res(TFAIL, "RCX: expected 0x%llx, got 0x%llx in the frame "
			"and 0x%llx after", MAGIC,
			(unsigned long long)e->frame.regs.rcx,
			(unsigned long long)rcx_after);
}

/* The case tst_case_run() picked. */
static void run_case(void)
{
	const struct ss_case *c = &ss_cases[kvm_boot_info()->host_arg];
	unsigned long count = kvm_last_exc.count;

	rcx_after = MAGIC;
	kvm_exc_clear();
	c->fn();
	check(c, kvm_last_exc.count - count);
}

static const struct tst_case cases[] = {
#define SS_CASE(fn, name, vector) { name, run_case },
	SS_CASES(SS_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define SS_NAME(fn, name, vector) name,
	SS_CASES(SS_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "#SS(0) from non-canonical stack references",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
