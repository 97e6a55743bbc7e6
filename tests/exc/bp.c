// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Software breakpoints and their relatives (SDM Vol. 2A "INT n/INTO/INT3/
 * INT1"): INT3 (CC) and INT 3 (CD 03) raise #BP (vector 3) as a trap,
 * INT1 (F1) raises #DB (vector 1) as a trap, and INTO (CE) is invalid in
 * 64-bit mode, so it raises #UD (a fault). For a trap the saved RIP is
 * the next instruction (SDM Vol. 3A 6.5, Table 6-1) and resuming there
 * without touching RIP must not repeat the instruction; for a fault it is
 * the instruction itself. None of these has an error code (the callback
 * sees 0), and the frame's RSP is the stack pointer before the event
 * (SDM Vol. 3A 6.14.2: 64-bit mode pushes SS:RSP unconditionally).
 *
 * Each case runs in its own VM (guest arg = case index) so that one case
 * the KVM cannot run does not hide the others; the host expects each to
 * end with its "passed all" line and exit status 0.
 */
#include "kvm_test.h"

/* X(function, name, instruction, expected vector, 1 if a trap) */
#define BP_CASES(X) \
	X(int3, "int3 (cc)", "int3", X86_BP, 1) \
	X(int_3, "int $3 (cd 03)", ".byte 0xcd, 0x03", X86_BP, 1) \
	X(into, "into (ce) in 64-bit mode", ".byte 0xce", X86_UD, 0) \
	X(int1, "int1 (f1)", ".byte 0xf1", X86_DB, 1)

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/*
 * The instruction under test, where to resume after it and RSP at that
 * point; written by EXC_ASM() right before the instruction runs.
 */
uintptr_t exc_insn_ip, exc_resume_ip, exc_rsp;

#define EXC_ASM(insn) \
	"lea 1f(%%rip), %%r11\n\t" \
	"mov %%r11, exc_insn_ip(%%rip)\n\t" \
	"lea 2f(%%rip), %%r11\n\t" \
	"mov %%r11, exc_resume_ip(%%rip)\n\t" \
	"mov %%rsp, exc_rsp(%%rip)\n\t" \
	"1: " insn "\n\t" \
	"2:\n\t"

#define BP_FN(fn, name, insn, vector, trap) \
static void fn(void) \
{ \
	__asm__ __volatile__(EXC_ASM(insn) ::: "r11", "memory"); \
}
BP_CASES(BP_FN)

static const struct bp_case {
	const char *name;
	void (*fn)(void);
	int vector;
	int trap;
} cases[] = {
#define BP_ENTRY(fn, name, insn, vector, trap) { name, fn, vector, trap },
	BP_CASES(BP_ENTRY)
};

struct exc_seen {
	unsigned int count;
	uint64_t vector, errcode, rip, rsp;
};

static struct exc_seen seen;

/*
 * A fault has to be skipped; a trap resumes at the frame's RIP as it is.
 * Should a trap be reported like a fault, the repeat is cut short.
 */
static int record(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	const struct bp_case *c = userdata;

	seen.count++;
	seen.vector = ifrm->vector;
	seen.errcode = errcode;
	seen.rip = kvm_get_interrupt_ip(ifrm);
	seen.rsp = ifrm->rsp;
	if (!c->trap || seen.count > 1)
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

static unsigned int passed, failed;

#define pass(fmt, ...) \
	(passed++, tst_res(TPASS, "%s: " fmt, c->name, ##__VA_ARGS__))
#define fail(fmt, ...) \
	(failed++, tst_res(TFAIL, "%s: " fmt, c->name, ##__VA_ARGS__))

static void check(const struct bp_case *c)
{
	uintptr_t rip = c->trap ? exc_resume_ip : exc_insn_ip;
	const char *where = c->trap ? "the next instruction" :
		"the faulting instruction";

	if (seen.count != 1 || seen.vector != (uint64_t)c->vector) {
		fail("expected one %s, got %u exception(s), last %s",
		     kvm_exception_name(c->vector), seen.count, seen.count ?
		     kvm_exception_name(seen.vector) : "none");
		return;
	}
	pass("%s", kvm_exception_name(c->vector));
	/* SDM Vol. 3A 6.15: #BP, #DB and #UD push no error code. */
	if (seen.errcode)
		fail("error code: expected 0x0, got 0x%llx",
		     (unsigned long long)seen.errcode);
	else
		pass("error code 0x0");
	/* SDM Vol. 3A 6.5: trap -> next instruction, fault -> this one. */
	if (seen.rip == rip)
		pass("RIP = %s", where);
	else
		fail("RIP: expected %s 0x%llx, got 0x%llx (instruction at "
		     "0x%llx)", where, (unsigned long long)rip,
		     (unsigned long long)seen.rip,
		     (unsigned long long)exc_insn_ip);
	/* SDM Vol. 3A 6.14.2: the old RSP is pushed. */
	if (seen.rsp == exc_rsp)
		pass("RSP in the frame = RSP before the event");
	else
		fail("RSP in the frame: expected 0x%llx, got 0x%llx",
		     (unsigned long long)exc_rsp,
		     (unsigned long long)seen.rsp);
}

void main(void)
{
	uint64_t i = kvm_boot_info()->host_arg;
	const struct bp_case *c;

	if (i >= ARRAY_SIZE(cases))
		tst_brk(TBROK, "no case %llu", (unsigned long long)i);
	c = &cases[i];
	set_callbacks(record, (void *)c);
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
#define BP_NAME(fn, name, insn, vector, trap) name,
	BP_CASES(BP_NAME)
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
	.description = "#BP from INT3 and INT 3 as traps, INT1, INTO -> #UD",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
