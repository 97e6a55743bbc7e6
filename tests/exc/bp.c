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
 * A callback records the exception: KVM_ASM_SAFE() cannot, as a trap's
 * frame RIP is after the instruction, where its fixup does not apply,
 * and resuming a trap at the frame's RIP untouched is part of the test.
 *
 * Each case runs in its own VM (tst_case_run(), tst_kvm_run_cases()) so
 * that one case the KVM cannot run does not hide the others.
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

/* KVM_ASM_MARK() stores where the instruction is; it clobbers R11. */
#define BP_FN(fn, name, insn, vector, trap) \
static void fn(void) \
{ \
	__asm__ __volatile__(KVM_ASM_MARK(insn) ::: "r11", "memory"); \
}
BP_CASES(BP_FN)

static const struct bp_case {
	void (*fn)(void);
	int vector;
	int trap;
} bp_cases[] = {
#define BP_ENTRY(fn, name, insn, vector, trap) { fn, vector, trap },
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
		kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	return 0;
}

static void check(const struct bp_case *c)
{
	uintptr_t rip = c->trap ? kvm_mark.next_ip : kvm_mark.insn_ip;
	const char *where = c->trap ? "the next instruction" :
		"the faulting instruction";

	if (seen.count != 1 || seen.vector != (uint64_t)c->vector) {
		tst_res(TFAIL, "expected one %s, got %u exception(s), last %s",
			kvm_exception_name(c->vector), seen.count, seen.count ?
			kvm_exception_name(seen.vector) : "none");
		return;
	}
	tst_res(TPASS, "%s", kvm_exception_name(c->vector));
	/* SDM Vol. 3A 6.15: #BP, #DB and #UD push no error code. */
	if (seen.errcode)
		tst_res(TFAIL, "error code: expected 0x0, got 0x%llx",
			(unsigned long long)seen.errcode);
	else
		tst_res(TPASS, "error code 0x0");
	/* SDM Vol. 3A 6.5: trap -> next instruction, fault -> this one. */
	if (seen.rip == rip)
		tst_res(TPASS, "RIP = %s", where);
	else
		tst_res(TFAIL, "RIP: expected %s 0x%llx, got 0x%llx "
			"(instruction at 0x%llx)", where,
			(unsigned long long)rip, (unsigned long long)seen.rip,
			(unsigned long long)kvm_mark.insn_ip);
	/* SDM Vol. 3A 6.14.2: the old RSP is pushed. */
	if (seen.rsp == kvm_mark.rsp)
		tst_res(TPASS, "RSP in the frame = RSP before the event");
	else
		tst_res(TFAIL, "RSP in the frame: expected 0x%llx, got 0x%llx",
			(unsigned long long)kvm_mark.rsp,
			(unsigned long long)seen.rsp);
}

/* The case tst_case_run() picked. */
static void run_case(void)
{
	const struct bp_case *c = &bp_cases[kvm_boot_info()->host_arg];

	tst_set_exception_callbacks(record, (void *)c);
	c->fn();
	tst_set_exception_callbacks(NULL, NULL);
	check(c);
}

static const struct tst_case cases[] = {
#define BP_CASE(fn, name, insn, vector, trap) { name, run_case },
	BP_CASES(BP_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define BP_NAME(fn, name, insn, vector, trap) name,
	BP_CASES(BP_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "#BP from INT3 and INT 3 as traps, INT1, INTO -> #UD",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
