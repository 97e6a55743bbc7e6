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
 * exc/nested.
 *
 * Each case runs in its own VM (guest arg = case index) so that one case
 * the KVM cannot run does not hide the others; the host expects each to
 * end with its "passed all" line and exit status 0.
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

/*
 * The instruction under test, where to resume after it and RSP there;
 * written by EXC_ASM() right before the instruction runs.
 */
uintptr_t exc_insn_ip, exc_resume_ip, exc_rsp;
uint64_t ss_scratch;

#define EXC_ASM(insn) \
	"lea 1f(%%rip), %%r11\n\t" \
	"mov %%r11, exc_insn_ip(%%rip)\n\t" \
	"lea 2f(%%rip), %%r11\n\t" \
	"mov %%r11, exc_resume_ip(%%rip)\n\t" \
	"mov %%rsp, exc_rsp(%%rip)\n\t" \
	"1: " insn "\n\t" \
	"2:\n\t"

#define CLOBBERS "r11", "r12", "r13", "cc", "memory"
#define MAGIC	0x5a5a5a5a5a5a5a5aull

struct exc_seen {
	unsigned int count;
	uint64_t vector, errcode, rip, rsp, rcx;
};

static struct exc_seen seen;

static int record(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	seen.count++;
	seen.vector = ifrm->vector;
	seen.errcode = errcode;
	seen.rip = kvm_get_interrupt_ip(ifrm);
	seen.rsp = ifrm->rsp;
	seen.rcx = ifrm->regs.rcx;
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

/* RCX around the case: MAGIC before, and it must still be MAGIC. */
static uint64_t rcx_after;

/* RBP itself non-canonical; R12 keeps the frame pointer meanwhile. */
static void rbp_base(void)
{
	__asm__ __volatile__("mov %%rbp, %%r12\n\t"
			     "mov %[nc], %%rbp\n\t"
			     EXC_ASM("mov (%%rbp), %%rcx")
			     "mov %%r12, %%rbp\n\t"
			     : "+c"(rcx_after)
			     : [nc] "r"(NONCANON) : CLOBBERS);
}

static void rsp_base(void)
{
	__asm__ __volatile__(EXC_ASM("mov (%%rsp,%%rax), %%rcx")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

static void rbp_base_index(void)
{
	__asm__ __volatile__(EXC_ASM("mov (%%rbp,%%rax), %%rcx")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

static void write_rsp_base(void)
{
	__asm__ __volatile__(EXC_ASM("mov %%rcx, (%%rsp,%%rax)")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

/* LEAVE: RSP <- RBP, then POP RBP from there (SDM Vol. 2A LEAVE). */
static void leave_noncanon(void)
{
	__asm__ __volatile__("mov %%rbp, %%r12\n\t"
			     "mov %%rsp, %%r13\n\t"
			     "mov %[nc], %%rbp\n\t"
			     EXC_ASM("leave")
			     "mov %%r13, %%rsp\n\t"
			     "mov %%r12, %%rbp\n\t"
			     : "+c"(rcx_after)
			     : [nc] "r"(NONCANON) : CLOBBERS);
}

static void rbp_index(void)
{
	__asm__ __volatile__(EXC_ASM("mov (%%rax,%%rbp), %%rcx")
			     : "+c"(rcx_after)
			     : "a"(NONCANON) : CLOBBERS);
}

static const struct ss_case {
	const char *name;
	void (*fn)(void);
	int vector;
} cases[] = {
#define SS_ENTRY(fn, name, vector) { name, fn, vector },
	SS_CASES(SS_ENTRY)
};

static unsigned int passed, failed;

#define pass(fmt, ...) \
	(passed++, tst_res(TPASS, "%s: " fmt, c->name, ##__VA_ARGS__))
#define fail(fmt, ...) \
	(failed++, tst_res(TFAIL, "%s: " fmt, c->name, ##__VA_ARGS__))

static void check(const struct ss_case *c)
{
	if (seen.count != 1 || seen.vector != (uint64_t)c->vector) {
		fail("expected one %s, got %u exception(s), last %s (error "
		     "code 0x%llx)", kvm_exception_name(c->vector),
		     seen.count, seen.count ?
		     kvm_exception_name(seen.vector) : "none",
		     (unsigned long long)seen.errcode);
		return;
	}
	pass("%s", kvm_exception_name(c->vector));
	/* SDM Vol. 3A 6.15: #SS(0) and #GP(0) for non-canonical addresses */
	if (seen.errcode)
		fail("error code: expected 0x0, got 0x%llx",
		     (unsigned long long)seen.errcode);
	else
		pass("error code 0x0");
	/* SDM Vol. 3A 6.5: faults report the faulting instruction. */
	if (seen.rip == exc_insn_ip)
		pass("RIP = the faulting instruction");
	else
		fail("RIP: expected the faulting instruction 0x%llx, got "
		     "0x%llx", (unsigned long long)exc_insn_ip,
		     (unsigned long long)seen.rip);
	if (seen.rsp == exc_rsp)
		pass("RSP in the frame = RSP before the instruction");
	else
		fail("RSP in the frame: expected 0x%llx, got 0x%llx",
		     (unsigned long long)exc_rsp,
		     (unsigned long long)seen.rsp);
	if (seen.rcx == MAGIC && rcx_after == MAGIC)
		pass("RCX untouched");
	else
		fail("RCX: expected 0x%llx, got 0x%llx in the frame and "
		     "0x%llx after", MAGIC, (unsigned long long)seen.rcx,
		     (unsigned long long)rcx_after);
}

void main(void)
{
	uint64_t i = kvm_boot_info()->host_arg;
	const struct ss_case *c;

	if (i >= ARRAY_SIZE(cases))
		tst_brk(TBROK, "no case %llu", (unsigned long long)i);
	c = &cases[i];
	rcx_after = MAGIC;
	set_callbacks(record, NULL);
	c->fn();
	set_callbacks(NULL, NULL);
	check(c);
	if (!failed) {
		unsigned int n = passed;

		pass("passed all %u checks", n);
	}
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define SS_NAME(fn, name, vector) name,
	SS_CASES(SS_NAME)
};

static void run(void)
{
	char pattern[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(pattern, sizeof(pattern), "TPASS: %s: passed all",
			 names[i]);
		tst_kvm_expect_guest_verdict(i, TPASS, pattern);
	}
}

static struct tst_test test = {
	.description = "#SS(0) from non-canonical stack references",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
