// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interrupt callback semantics (kvm_x86.h, tst_set_interrupt_callback()):
 * returning 0 resumes at the frame's RIP, also when the callback moved it;
 * the GPRs and RFLAGS the callback writes into the frame are the ones the
 * interrupted code continues with, and the frame shows the registers as
 * they were at the exception; the userdata pointer and the error code
 * argument arrive unchanged; the frame holds vector, error code, CS, SS,
 * RFLAGS and the old RSP (SDM Vol. 3A 6.14.1-6.14.2: 64-bit mode pushes
 * SS:RSP, RFLAGS, CS:RIP and the error code); replacing a callback takes
 * effect; kvm_interrupt_count[] counts deliveries; software interrupts
 * INT n on every vector 32..255 reach their callback with that vector and
 * RIP after the INT (SDM Vol. 2A "INT n": the return address is the next
 * instruction). Removing a callback (NULL) makes the vector fatal again,
 * and a callback that returns non-zero ends the test with TBROK naming
 * the exception: both are checked from the host as precise TBROK verdicts.
 * KVM_ASM_MARK() tells the callbacks where the instruction is and where
 * to resume (kvm_mark).
 *
 * Each case runs in its own VM (tst_case_run()): the passing ones with
 * tst_kvm_run_cases(), the TBROK ones, last, with
 * tst_kvm_expect_guest_verdict().
 */
#include "kvm_test.h"

#define SOFT_FIRST	32
#define SOFT_COUNT	(256 - SOFT_FIRST)

/* X(function, name): cases that pass */
#define CB_CASES(X) \
	X(resume_moved_rip, "resume at a moved RIP") \
	X(frame_registers, "registers in the frame") \
	X(frame_contents, "frame, userdata and error code") \
	X(replace, "replacing a callback") \
	X(soft_ints, "INT n on vectors 32..255")

/* X(function, name, the TBROK line the host looks for): after CB_CASES */
#define CB_BROKEN(X) \
	X(removed, "callback removed", \
	  "TBROK: unhandled #UD (invalid opcode) in guest: error code 0x0") \
	X(declined, "callback returns non-zero", \
	  "TBROK: unhandled #GP (general protection) in guest: error code " \
	  "0x50")

#ifdef COMPILE_PAYLOAD

#include <stddef.h>
#include "kvm_x86.h"

/* KVM_ASM_MARK() clobbers R11. */
#define CLOBBERS "r11", "cc", "memory"

static void check_u64(const char *what, uint64_t exp, uint64_t got)
{
	if (exp == got)
		tst_res(TPASS, "%s = 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: expected 0x%llx, got 0x%llx", what,
			(unsigned long long)exp, (unsigned long long)got);
}

static unsigned int calls;

static int skip_insn(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	calls++;
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	return 0;
}

/* The MOV between UD2 and label 2 (next_ip) must be skipped. */
static void resume_moved_rip(void)
{
	uint64_t rax = 1;

	tst_set_interrupt_callback(X86_UD, skip_insn, NULL);
	__asm__ __volatile__(KVM_ASM_MARK("ud2\n\t"
					  "mov $2, %%rax")
			     : "+a"(rax) :: CLOBBERS);
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	check_u64("callbacks", 1, calls);
	if (rax == 1)
		tst_res(TPASS, "execution went on at the RIP the callback set");
	else
		tst_res(TFAIL, "the instruction after UD2 ran (RAX = %llu): "
			"the RIP set by the callback was not used",
			(unsigned long long)rax);
}

/* GPR values before the exception and the ones the callback writes. */
#define NR_GPRS	15
static const struct {
	const char *name;
	size_t offset;		/* in struct kvm_gprs */
} gprs[NR_GPRS] = {
	{ "RAX", offsetof(struct kvm_gprs, rax) },
	{ "RBX", offsetof(struct kvm_gprs, rbx) },
	{ "RCX", offsetof(struct kvm_gprs, rcx) },
	{ "RDX", offsetof(struct kvm_gprs, rdx) },
	{ "RSI", offsetof(struct kvm_gprs, rsi) },
	{ "RDI", offsetof(struct kvm_gprs, rdi) },
	{ "RBP", offsetof(struct kvm_gprs, rbp) },
	{ "R8", offsetof(struct kvm_gprs, r8) },
	{ "R9", offsetof(struct kvm_gprs, r9) },
	{ "R10", offsetof(struct kvm_gprs, r10) },
	{ "R11", offsetof(struct kvm_gprs, r11) },
	{ "R12", offsetof(struct kvm_gprs, r12) },
	{ "R13", offsetof(struct kvm_gprs, r13) },
	{ "R14", offsetof(struct kvm_gprs, r14) },
	{ "R15", offsetof(struct kvm_gprs, r15) },
};

/* Loaded before UD2, in the order of gprs[]. */
uint64_t regs_before[NR_GPRS] = {
	0x1111111111111111, 0x2222222222222222, 0x3333333333333333,
	0x4444444444444444, 0x5555555555555555, 0x6666666666666666,
	0x7777777777777777, 0x8888888888888888, 0x9999999999999999,
	0xaaaaaaaaaaaaaaaa, 0xbbbbbbbbbbbbbbbb, 0xcccccccccccccccc,
	0xdddddddddddddddd, 0xeeeeeeeeeeeeeeee, 0x0f0f0f0f0f0f0f0f,
};
/* Stored right after the resume point, and RFLAGS there. */
uint64_t regs_after[NR_GPRS], rflags_after;
static uint64_t regs_seen[NR_GPRS];

static uint64_t *gpr(struct kvm_interrupt_frame *ifrm, unsigned int i)
{
	return (uint64_t *)((char *)&ifrm->regs + gprs[i].offset);
}

static int rewrite_regs(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	unsigned int i;

	(void)userdata;
	(void)errcode;
	calls++;
	for (i = 0; i < NR_GPRS; i++) {
		regs_seen[i] = *gpr(ifrm, i);
		*gpr(ifrm, i) = ~regs_before[i];
	}
	ifrm->rflags |= X86_RFLAGS_CF;
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	return 0;
}

#define LOAD(i, reg)	"mov regs_before+" #i "*8(%%rip), %%" reg "\n\t"
#define STORE(i, reg)	"mov %%" reg ", regs_after+" #i "*8(%%rip)\n\t"
#define ALL_GPRS(OP) \
	OP(0, "rax") OP(1, "rbx") OP(2, "rcx") OP(3, "rdx") OP(4, "rsi") \
	OP(5, "rdi") OP(6, "rbp") OP(7, "r8") OP(8, "r9") OP(9, "r10") \
	OP(10, "r11") OP(11, "r12") OP(12, "r13") OP(13, "r14") \
	OP(14, "r15")

static void frame_registers(void)
{
	unsigned int i;
	char what[48];

	tst_set_interrupt_callback(X86_UD, rewrite_regs, NULL);
	/* The mark covers the loads too: only next_ip is used. */
	__asm__ __volatile__("push %%rbp\n\t"
			     KVM_ASM_MARK(ALL_GPRS(LOAD)
					  "clc\n\t"
					  "ud2")
			     ALL_GPRS(STORE)
			     "pushfq\n\t"
			     "popq rflags_after(%%rip)\n\t"
			     "pop %%rbp\n\t"
			     ::: "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
			       "r8", "r9", "r10", "r11", "r12", "r13", "r14",
			       "r15", "cc", "memory");
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	check_u64("callbacks", 1, calls);
	for (i = 0; i < NR_GPRS; i++) {
		snprintf(what, sizeof(what), "%s in the frame", gprs[i].name);
		check_u64(what, regs_before[i], regs_seen[i]);
		snprintf(what, sizeof(what), "%s after the callback set it",
			 gprs[i].name);
		check_u64(what, ~regs_before[i], regs_after[i]);
	}
	if (rflags_after & X86_RFLAGS_CF)
		tst_res(TPASS, "RFLAGS.CF set by the callback reached the "
			"code");
	else
		tst_res(TFAIL, "RFLAGS.CF set by the callback: expected 1 "
			"after resuming, got 0 (RFLAGS 0x%llx)",
			(unsigned long long)rflags_after);
}

static struct kvm_interrupt_frame frame_seen;
static void *userdata_seen;
static unsigned long errcode_seen;
static int token;

static int keep_frame(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	calls++;
	userdata_seen = userdata;
	errcode_seen = errcode;
	frame_seen = *ifrm;
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	return 0;
}

/* #GP(0x50): DS loaded with a selector beyond the GDT limit. */
static void frame_contents(void)
{
	unsigned long rflags = kvm_read_rflags();

	tst_set_interrupt_callback(X86_GP, keep_frame, &token);
	__asm__ __volatile__(KVM_ASM_MARK("mov %0, %%ds")
			     :: "r"((uint16_t)0x50) : CLOBBERS);
	tst_set_interrupt_callback(X86_GP, NULL, NULL);
	check_u64("callbacks", 1, calls);
	if (userdata_seen == &token)
		tst_res(TPASS, "userdata pointer passed through");
	else
		tst_res(TFAIL, "userdata: expected %p, got %p", (void *)&token,
			userdata_seen);
	check_u64("error code argument", 0x50, errcode_seen);
	check_u64("error code in the frame", 0x50, frame_seen.errcode);
	check_u64("vector in the frame", X86_GP, frame_seen.vector);
	check_u64("RIP in the frame (the faulting MOV)", kvm_mark.insn_ip,
		  frame_seen.rip);
	check_u64("CS in the frame", KVM_CS64, frame_seen.cs);
	check_u64("SS in the frame", KVM_DS, frame_seen.ss);
	check_u64("RSP in the frame (before the exception)", kvm_mark.rsp,
		  frame_seen.rsp);
	check_u64("RFLAGS in the frame (IF, DF, TF, AC, IOPL)",
		  rflags & 0x47700, frame_seen.rflags & 0x47700);
	check_u64("RFLAGS bit 1 in the frame", X86_RFLAGS_FIXED,
		  frame_seen.rflags & X86_RFLAGS_FIXED);
}

static unsigned int calls_a, calls_b;

static int cb_a(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	calls_a++;
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	return 0;
}

static int cb_b(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	calls_b++;
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	return 0;
}

static void do_ud2(void)
{
	__asm__ __volatile__(KVM_ASM_MARK("ud2") ::: CLOBBERS);
}

static void replace(void)
{
	unsigned long count = kvm_interrupt_count[X86_UD];

	tst_set_interrupt_callback(X86_UD, cb_a, NULL);
	do_ud2();
	tst_set_interrupt_callback(X86_UD, cb_b, NULL);
	do_ud2();
	do_ud2();
	tst_set_interrupt_callback(X86_UD, cb_a, NULL);
	do_ud2();
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	check_u64("calls of the first callback", 2, calls_a);
	check_u64("calls of the replacement", 2, calls_b);
	check_u64("kvm_interrupt_count[#UD] increase", 4,
		  kvm_interrupt_count[X86_UD] - count);
}

/*
 * INT n stubs for n = 32..255, 3 bytes each: CD n, RET. Called through
 * their address, so the frame RIP is the RET: stub + 2.
 */
__asm__(".pushsection .text\n\t"
	".globl soft_int_stubs\n"
	"soft_int_stubs:\n\t"
	".set n, 32\n\t"
	".rept 224\n\t"
	".byte 0xcd, n\n\t"
	"ret\n\t"
	".set n, n + 1\n\t"
	".endr\n\t"
	".popsection");
extern const char soft_int_stubs[];

struct soft_seen {
	unsigned int count;
	uint64_t vector, rip, errcode;
};

static struct soft_seen soft[SOFT_COUNT];

static int record_soft(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct soft_seen *s = userdata;

	s->count++;
	s->vector = ifrm->vector;
	s->rip = kvm_get_interrupt_ip(ifrm);
	s->errcode = errcode;
	return 0;
}

/* One vector; the first 8 wrong ones get a line each. */
static int soft_ok(unsigned int n)
{
	static unsigned int wrong;
	const struct soft_seen *s = &soft[n - SOFT_FIRST];
	uintptr_t next = (uintptr_t)soft_int_stubs + 3 * (n - SOFT_FIRST) + 2;

	if (s->count == 1 && s->vector == n && s->rip == next &&
	    !s->errcode && kvm_interrupt_count[n] == 1)
		return 1;
	if (wrong++ < 8)
		tst_res(TFAIL, "INT 0x%02x: expected 1 call with vector "
			"0x%02x, RIP 0x%llx, error code 0 and count 1; got %u "
			"call(s), vector 0x%llx, RIP 0x%llx, error code "
			"0x%llx, count %lu", n, n, (unsigned long long)next,
			s->count, (unsigned long long)s->vector,
			(unsigned long long)s->rip,
			(unsigned long long)s->errcode, kvm_interrupt_count[n]);
	return 0;
}

static void soft_ints(void)
{
	unsigned int n, good = 0;

	for (n = SOFT_FIRST; n < 256; n++)
		tst_set_interrupt_callback(n, record_soft,
					   &soft[n - SOFT_FIRST]);
	for (n = SOFT_FIRST; n < 256; n++)
		((void (*)(void))(soft_int_stubs + 3 * (n - SOFT_FIRST)))();
	for (n = SOFT_FIRST; n < 256; n++) {
		tst_set_interrupt_callback(n, NULL, NULL);
		good += soft_ok(n);
	}
	if (good == SOFT_COUNT)
		tst_res(TPASS, "all %u vectors reached their callback once, "
			"with their vector, error code 0 and RIP after the "
			"INT", good);
	else
		tst_res(TFAIL, "%u of %u vectors wrong", SOFT_COUNT - good,
			SOFT_COUNT);
}

/* Host expects TBROK "unhandled #UD". */
static void removed(void)
{
	tst_set_interrupt_callback(X86_UD, cb_a, NULL);
	do_ud2();
	check_u64("calls while set", 1, calls_a);
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	do_ud2();
	tst_res(TFAIL, "went on after UD2 without a callback");
}

static int decline(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	calls++;
	return 1;
}

/* Host expects TBROK "unhandled #GP ... error code 0x50". */
static void declined(void)
{
	tst_set_interrupt_callback(X86_GP, decline, NULL);
	__asm__ __volatile__(KVM_ASM_MARK("mov %0, %%ds")
			     :: "r"((uint16_t)0x50) : CLOBBERS);
	tst_res(TFAIL, "went on after a declined #GP (%u callback calls)",
		calls);
}

static const struct tst_case cases[] = {
#define CB_ENTRY(fn, name, ...) { name, fn },
	CB_CASES(CB_ENTRY)
	CB_BROKEN(CB_ENTRY)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define CB_NAME(fn, name) name,
	CB_CASES(CB_NAME)
};

static const char *const broken_lines[] = {
#define CB_LINE(fn, name, line) line,
	CB_BROKEN(CB_LINE)
};

static void run(void)
{
	unsigned int i;

	tst_kvm_run_cases(names, ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(broken_lines); i++)
		tst_kvm_expect_guest_verdict(ARRAY_SIZE(names) + i, TBROK,
					     broken_lines[i]);
}

static struct tst_test test = {
	.description = "interrupt callbacks: resume, frame, replace, INT n",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
