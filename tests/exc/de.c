// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * #DE (divide error, vector 0) from DIV and IDIV: division by zero and a
 * quotient too large for the destination, for each operand size (8, 16,
 * 32, 64 bits), plus boundary divisions that must not fault. #DE is a
 * fault without an error code (SDM Vol. 3A 6.15 "Interrupt 0", Table 6-1):
 * the callback must see error code 0, RIP = the DIV/IDIV itself and the
 * dividend registers as they were before the instruction (SDM Vol. 3A 6.5:
 * a fault restores the state prior to the faulting instruction). The
 * callback resumes after the instruction by changing the frame's RIP.
 *
 * Each case runs in its own VM (guest arg = case index) so that one case
 * the KVM cannot run does not hide the others; the host expects each to
 * end with its "passed all" line and exit status 0.
 */
#include "kvm_test.h"

enum div_op { DIV8, IDIV8, DIV16, IDIV16, DIV32, IDIV32, DIV64, IDIV64 };

struct div_regs {
	uint64_t rax, rdx, divisor;
};

/* High bits that 8- and 16-bit divisions must leave alone. */
#define HI	0x1122334455660000ull

/*
 * SDM Vol. 2A DIV and IDIV: "#DE If the source operand (divisor) is 0. If
 * the quotient is too large for the designated register." IDIV: the
 * quotient must lie in [-2^(n-1), 2^(n-1) - 1], so -2^(n-1) itself is
 * fine. Without a fault: 8-bit AL = quotient, AH = remainder, RAX[63:16]
 * unchanged; 16-bit AX/DX, bits 63:16 unchanged; 32-bit EAX/EDX
 * zero-extended (SDM Vol. 1 3.4.1.1); 64-bit RAX/RDX.
 */
static const struct div_case {
	const char *name;
	enum div_op op;
	struct div_regs in;
	int fault;
	uint64_t rax, rdx;	/* results without a fault */
} cases[] = {
	{ "divb 0x10 / 0", DIV8, { HI | 0x10, 7, 0 }, 1, 0, 0 },
	{ "divb 0x1000 / 1 (quotient > 0xff)", DIV8,
	  { HI | 0x1000, 7, 1 }, 1, 0, 0 },
	{ "idivb 0x10 / 0", IDIV8, { HI | 0x10, 7, 0 }, 1, 0, 0 },
	{ "idivb -128 / -1 (quotient 128 > 127)", IDIV8,
	  { HI | 0xff80, 7, 0xff }, 1, 0, 0 },
	{ "divb 0xfe01 / 0xff = 0xff (largest quotient)", DIV8,
	  { HI | 0xfe01, 7, 0xff }, 0, HI | 0x00ff, 7 },
	{ "idivb -256 / 2 = -128 (most negative quotient)", IDIV8,
	  { HI | 0xff00, 7, 2 }, 0, HI | 0x0080, 7 },
	{ "divw 0x10 / 0", DIV16, { HI | 0x10, HI, 0 }, 1, 0, 0 },
	{ "divw 0x10000 / 1 (quotient > 0xffff)", DIV16,
	  { HI, HI | 1, 1 }, 1, 0, 0 },
	{ "idivw -32768 / -1 (quotient 32768 > 32767)", IDIV16,
	  { HI | 0x8000, HI | 0xffff, 0xffff }, 1, 0, 0 },
	{ "idivw -65536 / 2 = -32768 (most negative quotient)", IDIV16,
	  { HI, HI | 0xffff, 2 }, 0, HI | 0x8000, HI },
	{ "divl 0x10 / 0", DIV32, { 0x10, 0, 0 }, 1, 0, 0 },
	{ "divl 2^32 / 1 (quotient > 0xffffffff)", DIV32,
	  { 0, 1, 1 }, 1, 0, 0 },
	{ "idivl INT32_MIN / -1", IDIV32,
	  { 0x80000000, 0xffffffff, 0xffffffff }, 1, 0, 0 },
	{ "divl 0x11 / 4 ignores RAX[63:32] and RDX[63:32]", DIV32,
	  { 0x1234567800000011ull, 0xdeadbeef00000000ull, 4 }, 0, 4, 1 },
	{ "divq 0x10 / 0", DIV64, { 0x10, 0, 0 }, 1, 0, 0 },
	{ "divq 2^64 / 1 (quotient > 2^64 - 1)", DIV64,
	  { 0, 1, 1 }, 1, 0, 0 },
	{ "idivq 0x10 / 0", IDIV64, { 0x10, 0, 0 }, 1, 0, 0 },
	{ "idivq INT64_MIN / -1", IDIV64,
	  { 0x8000000000000000ull, ~0ull, ~0ull }, 1, 0, 0 },
	{ "idivq INT64_MIN / 1 = INT64_MIN", IDIV64,
	  { 0x8000000000000000ull, ~0ull, 1 }, 0, 0x8000000000000000ull, 0 },
	{ "divq 2^64 / 2 = 2^63", DIV64, { 0, 1, 2 }, 0,
	  0x8000000000000000ull, 0 },
};

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/*
 * The instruction under test and where to resume after it; written by
 * EXC_ASM() right before the instruction runs.
 */
uintptr_t exc_insn_ip, exc_resume_ip;

#define EXC_ASM(insn) \
	"lea 1f(%%rip), %%r11\n\t" \
	"mov %%r11, exc_insn_ip(%%rip)\n\t" \
	"lea 2f(%%rip), %%r11\n\t" \
	"mov %%r11, exc_resume_ip(%%rip)\n\t" \
	"1: " insn "\n\t" \
	"2:\n\t"

/* What the callback saw. */
struct exc_seen {
	unsigned int count;
	uint64_t vector, errcode, frame_errcode, rip, rax, rdx;
};

static struct exc_seen seen;

static int record(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	seen.count++;
	seen.vector = ifrm->vector;
	seen.errcode = errcode;
	seen.frame_errcode = ifrm->errcode;
	seen.rip = kvm_get_interrupt_ip(ifrm);
	seen.rax = ifrm->regs.rax;
	seen.rdx = ifrm->regs.rdx;
	kvm_set_interrupt_ip(ifrm, exc_resume_ip);
	return 0;
}

/* Record every exception but #DF, NMI and #MC. */
static void set_callbacks(tst_interrupt_callback func, void *userdata)
{
	unsigned int v;

	for (v = 0; v < 32; v++) {
		if (v != X86_DF && v != X86_NMI && v != X86_MC)
			tst_set_interrupt_callback(v, func, userdata);
	}
}

#define DIV_FN(name, insn) \
static void name(struct div_regs *r) \
{ \
	__asm__ __volatile__(EXC_ASM(insn) \
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

static unsigned int passed, failed;

#define pass(fmt, ...) \
	(passed++, tst_res(TPASS, "%s: " fmt, c->name, ##__VA_ARGS__))
#define fail(fmt, ...) \
	(failed++, tst_res(TFAIL, "%s: " fmt, c->name, ##__VA_ARGS__))

static void check_u64(const struct div_case *c, const char *what,
	uint64_t exp, uint64_t got)
{
	if (exp == got)
		pass("%s = 0x%llx", what, (unsigned long long)got);
	else
		fail("%s: expected 0x%llx, got 0x%llx", what,
		     (unsigned long long)exp, (unsigned long long)got);
}

/* SDM Vol. 3A 6.15 "Interrupt 0": fault, no error code. */
static void check_fault(const struct div_case *c, const struct div_regs *r)
{
	if (seen.count != 1 || seen.vector != X86_DE) {
		fail("expected one #DE, got %u exception(s), last %s",
		     seen.count, seen.count ?
		     kvm_exception_name(seen.vector) : "none");
		return;
	}
	pass("#DE delivered to the callback");
	check_u64(c, "error code (callback argument)", 0, seen.errcode);
	check_u64(c, "error code (frame)", 0, seen.frame_errcode);
	/* SDM Vol. 3A 6.5: faults report the faulting instruction. */
	if (seen.rip == exc_insn_ip)
		pass("RIP = the faulting instruction (0x%llx)",
		     (unsigned long long)seen.rip);
	else
		fail("RIP: expected the faulting instruction 0x%llx, got "
		     "0x%llx", (unsigned long long)exc_insn_ip,
		     (unsigned long long)seen.rip);
	/* SDM Vol. 3A 6.5: state restored to before the instruction. */
	check_u64(c, "RAX in the frame", c->in.rax, seen.rax);
	check_u64(c, "RDX in the frame", c->in.rdx, seen.rdx);
	check_u64(c, "RAX after resuming", c->in.rax, r->rax);
	check_u64(c, "RDX after resuming", c->in.rdx, r->rdx);
}

static void check_no_fault(const struct div_case *c,
	const struct div_regs *r)
{
	if (seen.count) {
		fail("expected no exception, got %s (error code 0x%llx)",
		     kvm_exception_name(seen.vector),
		     (unsigned long long)seen.errcode);
		return;
	}
	pass("no exception");
	check_u64(c, "RAX (quotient)", c->rax, r->rax);
	check_u64(c, "RDX (remainder)", c->rdx, r->rdx);
}

void main(void)
{
	uint64_t i = kvm_boot_info()->host_arg;
	const struct div_case *c;
	struct div_regs r;

	if (i >= ARRAY_SIZE(cases))
		tst_brk(TBROK, "no case %llu", (unsigned long long)i);
	c = &cases[i];
	r = c->in;
	set_callbacks(record, NULL);
	div_fn[c->op](&r);
	set_callbacks(NULL, NULL);
	if (c->fault)
		check_fault(c, &r);
	else
		check_no_fault(c, &r);
	if (!failed) {
		unsigned int n = passed;

		pass("passed all %u checks", n);
	}
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	char pattern[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(pattern, sizeof(pattern), "TPASS: %s: passed all",
			 cases[i].name);
		tst_kvm_expect_guest_verdict(i, TPASS, pattern);
	}
}

static struct tst_test test = {
	.description = "#DE from DIV/IDIV by zero and quotient overflow",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
