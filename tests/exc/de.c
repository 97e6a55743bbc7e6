// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * #DE (divide error, vector 0) from DIV and IDIV: division by zero and a
 * quotient too large for the destination, for each operand size (8, 16,
 * 32, 64 bits), plus boundary divisions that must not fault. #DE is a
 * fault without an error code (SDM Vol. 3A 6.15 "Interrupt 0", Table 6-1):
 * the saved frame must hold error code 0, RIP = the DIV/IDIV itself and
 * the dividend registers as they were before the instruction (SDM Vol. 3A
 * 6.5: a fault restores the state prior to the faulting instruction).
 * KVM_ASM_SAFE_MARK() catches the exception (kvm_last_exc has the frame)
 * and resumes after the instruction; a #DE reported at another RIP is not
 * caught and ends the case with a TBROK naming it.
 *
 * Each case runs in its own VM (tst_case_run(), tst_kvm_run_cases()) so
 * that one case the KVM cannot run does not hide the others.
 */
#include "kvm_test.h"

enum div_op { DIV8, IDIV8, DIV16, IDIV16, DIV32, IDIV32, DIV64, IDIV64 };

/* High bits that 8- and 16-bit divisions must leave alone. */
#define HI	0x1122334455660000ull

/*
 * SDM Vol. 2A DIV and IDIV: "#DE If the source operand (divisor) is 0. If
 * the quotient is too large for the designated register." IDIV: the
 * quotient must lie in [-2^(n-1), 2^(n-1) - 1], so -2^(n-1) itself is
 * fine. Without a fault: 8-bit AL = quotient, AH = remainder, RAX[63:16]
 * unchanged; 16-bit AX/DX, bits 63:16 unchanged; 32-bit EAX/EDX
 * zero-extended (SDM Vol. 1 3.4.1.1); 64-bit RAX/RDX.
 *
 * X(name, operation, { RAX, RDX, divisor }, 1 if it faults, RAX and RDX
 * without a fault)
 */
#define DE_CASES(X) \
	X("divb 0x10 / 0", DIV8, { HI | 0x10, 7, 0 }, 1, 0, 0) \
	X("divb 0x1000 / 1 (quotient > 0xff)", DIV8, \
	  { HI | 0x1000, 7, 1 }, 1, 0, 0) \
	X("idivb 0x10 / 0", IDIV8, { HI | 0x10, 7, 0 }, 1, 0, 0) \
	X("idivb -128 / -1 (quotient 128 > 127)", IDIV8, \
	  { HI | 0xff80, 7, 0xff }, 1, 0, 0) \
	X("divb 0xfe01 / 0xff = 0xff (largest quotient)", DIV8, \
	  { HI | 0xfe01, 7, 0xff }, 0, HI | 0x00ff, 7) \
	X("idivb -256 / 2 = -128 (most negative quotient)", IDIV8, \
	  { HI | 0xff00, 7, 2 }, 0, HI | 0x0080, 7) \
	X("divw 0x10 / 0", DIV16, { HI | 0x10, HI, 0 }, 1, 0, 0) \
	X("divw 0x10000 / 1 (quotient > 0xffff)", DIV16, \
	  { HI, HI | 1, 1 }, 1, 0, 0) \
	X("idivw -32768 / -1 (quotient 32768 > 32767)", IDIV16, \
	  { HI | 0x8000, HI | 0xffff, 0xffff }, 1, 0, 0) \
	X("idivw -65536 / 2 = -32768 (most negative quotient)", IDIV16, \
	  { HI, HI | 0xffff, 2 }, 0, HI | 0x8000, HI) \
	X("divl 0x10 / 0", DIV32, { 0x10, 0, 0 }, 1, 0, 0) \
	X("divl 2^32 / 1 (quotient > 0xffffffff)", DIV32, \
	  { 0, 1, 1 }, 1, 0, 0) \
	X("idivl INT32_MIN / -1", IDIV32, \
	  { 0x80000000, 0xffffffff, 0xffffffff }, 1, 0, 0) \
	X("divl 0x11 / 4 ignores RAX[63:32] and RDX[63:32]", DIV32, \
	  { 0x1234567800000011ull, 0xdeadbeef00000000ull, 4 }, 0, 4, 1) \
	X("divq 0x10 / 0", DIV64, { 0x10, 0, 0 }, 1, 0, 0) \
	X("divq 2^64 / 1 (quotient > 2^64 - 1)", DIV64, \
	  { 0, 1, 1 }, 1, 0, 0) \
	X("idivq 0x10 / 0", IDIV64, { 0x10, 0, 0 }, 1, 0, 0) \
	X("idivq INT64_MIN / -1", IDIV64, \
	  { 0x8000000000000000ull, ~0ull, ~0ull }, 1, 0, 0) \
	X("idivq INT64_MIN / 1 = INT64_MIN", IDIV64, \
	  { 0x8000000000000000ull, ~0ull, 1 }, 0, 0x8000000000000000ull, 0) \
	X("divq 2^64 / 2 = 2^63", DIV64, { 0, 1, 2 }, 0, \
	  0x8000000000000000ull, 0)

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

struct div_regs {
	uint64_t rax, rdx, divisor;
};

static const struct div_case {
	enum div_op op;
	struct div_regs in;
	int fault;
	uint64_t rax, rdx;	/* results without a fault */
} div_cases[] = {
#define DE_ENTRY(name, ...) { __VA_ARGS__ },
	DE_CASES(DE_ENTRY)
};

#define DIV_FN(name, insn) \
static void name(struct div_regs *r) \
{ \
	__asm__ __volatile__(KVM_ASM_SAFE_MARK(insn) \
			     : "+a"(r->rax), "+d"(r->rdx) \
			     : [d] "c"(r->divisor) \
			     : "r11", "cc", "memory"); \
}

DIV_FN(div8, "divb %b[d]")
DIV_FN(idiv8, "idivb %b[d]")
DIV_FN(div16, "divw %w[d]")
DIV_FN(idiv16, "idivw %w[d]")
DIV_FN(div32, "divl %k[d]")
DIV_FN(idiv32, "idivl %k[d]")
DIV_FN(div64, "divq %q[d]")
DIV_FN(idiv64, "idivq %q[d]")

static void (*const div_fn[])(struct div_regs *r) = {
	[DIV8] = div8, [IDIV8] = idiv8, [DIV16] = div16, [IDIV16] = idiv16,
	[DIV32] = div32, [IDIV32] = idiv32, [DIV64] = div64, [IDIV64] = idiv64,
};

static void check_u64(const char *what, uint64_t exp, uint64_t got)
{
	if (exp == got)
		tst_res(TPASS, "%s = 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: expected 0x%llx, got 0x%llx", what,
			(unsigned long long)exp, (unsigned long long)got);
}

/* SDM Vol. 3A 6.15 "Interrupt 0": fault, no error code. */
static void check_fault(const struct div_case *c, const struct div_regs *r,
	unsigned long count)
{
	const struct kvm_interrupt_frame *f = &kvm_last_exc.frame;

	if (count != 1 || kvm_last_exc.vector != X86_DE) {
		tst_res(TFAIL, "expected one #DE, got %lu exception(s), "
			"last %s", count, count ?
			kvm_exception_name(kvm_last_exc.vector) : "none");
		return;
	}
	tst_res(TPASS, "#DE");
	check_u64("error code (frame)", 0, f->errcode);
	/* SDM Vol. 3A 6.5: faults report the faulting instruction. */
	if (kvm_last_exc.rip == kvm_mark.insn_ip)
		tst_res(TPASS, "RIP = the faulting instruction (0x%llx)",
			(unsigned long long)kvm_last_exc.rip);
	else
		tst_res(TFAIL, "RIP: expected the faulting instruction 0x%llx, "
			"got 0x%llx", (unsigned long long)kvm_mark.insn_ip,
			(unsigned long long)kvm_last_exc.rip);
	/* SDM Vol. 3A 6.5: state restored to before the instruction. */
	check_u64("RAX in the frame", c->in.rax, f->regs.rax);
	check_u64("RDX in the frame", c->in.rdx, f->regs.rdx);
	check_u64("RAX after resuming", c->in.rax, r->rax);
	check_u64("RDX after resuming", c->in.rdx, r->rdx);
}

static void check_no_fault(const struct div_case *c,
	const struct div_regs *r, unsigned long count)
{
	if (count) {
		tst_res(TFAIL, "expected no exception, got %s (error code "
			"0x%llx)", kvm_exception_name(kvm_last_exc.vector),
			(unsigned long long)kvm_last_exc.errcode);
		return;
	}
	tst_res(TPASS, "no exception");
	check_u64("RAX (quotient)", c->rax, r->rax);
	check_u64("RDX (remainder)", c->rdx, r->rdx);
}

/* The case tst_case_run() picked. */
static void run_case(void)
{
	const struct div_case *c = &div_cases[kvm_boot_info()->host_arg];
	struct div_regs r = c->in;
	unsigned long count = kvm_last_exc.count;

	kvm_exc_clear();
	div_fn[c->op](&r);
	count = kvm_last_exc.count - count;
	if (c->fault)
		check_fault(c, &r, count);
	else
		check_no_fault(c, &r, count);
}

static const struct tst_case cases[] = {
#define DE_CASE(name, ...) { name, run_case },
	DE_CASES(DE_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define DE_NAME(name, ...) name,
	DE_CASES(DE_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "#DE from DIV/IDIV by zero and quotient overflow",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
