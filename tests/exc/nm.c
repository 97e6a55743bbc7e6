// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * #NM (device not available, vector 7) for every combination of CR0.EM,
 * CR0.MP and CR0.TS: an x87 instruction (FNSTCW) and WAIT/FWAIT follow
 * SDM Vol. 3A 2.5, Table 2-2 ("Action Taken By x87 FPU Instructions for
 * Different Combinations of EM, MP, and TS"); an SSE instruction (MOVUPS)
 * follows SDM Vol. 3A 13.2 and Table 13-1 (with CR4.OSFXSR = 1: EM = 1 ->
 * #UD, else TS = 1 -> #NM). Also FNOP and FLD1 with TS = 1. #NM and #UD
 * are faults without an error code (SDM Vol. 3A 6.15): the callback sees
 * error code 0 and RIP = the instruction, clears TS with CLTS (and EM)
 * and returns without moving RIP, so the instruction runs again and must
 * now complete (its result is checked) without another exception.
 *
 * The callback is the test (a retry from the exception frame), so it is
 * not KVM_ASM_SAFE(), which would skip the instruction; KVM_ASM_MARK()
 * tells it where the instruction is.
 *
 * Each case runs in its own VM (tst_case_run(), tst_kvm_run_cases()) so
 * that one case the KVM cannot run does not hide the others; a case ends
 * with TCONF without the FPU (or SSE).
 */
#include "kvm_test.h"

enum nm_kind { X87, WAIT, SSE, FNOP, FLD1 };

/* X(kind, instruction, CR0.EM, CR0.MP, CR0.TS) */
#define ROWS(X, kind, insn) \
	X(kind, insn, 0, 0, 0) X(kind, insn, 0, 0, 1) \
	X(kind, insn, 0, 1, 0) X(kind, insn, 0, 1, 1) \
	X(kind, insn, 1, 0, 0) X(kind, insn, 1, 0, 1) \
	X(kind, insn, 1, 1, 0) X(kind, insn, 1, 1, 1)
#define NM_CASES(X) \
	ROWS(X, X87, "fnstcw") ROWS(X, WAIT, "fwait") ROWS(X, SSE, "movups") \
	X(FNOP, "fnop", 0, 1, 1) \
	X(FLD1, "fld1", 0, 1, 1)

#define NM_NAME(kind, insn, em, mp, ts) \
	insn " with CR0.EM=" #em " MP=" #mp " TS=" #ts

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/* SDM Vol. 3A Table 2-2: 1 = #NM, 0 = execute; row EM * 4 + MP * 2 + TS. */
static const struct {
	unsigned int em, mp, ts;
	int fp_nm, wait_nm;
} table_2_2[] = {
	{ 0, 0, 0, 0, 0 },
	{ 0, 0, 1, 1, 0 },
	{ 0, 1, 0, 0, 0 },
	{ 0, 1, 1, 1, 1 },
	{ 1, 0, 0, 1, 0 },
	{ 1, 0, 1, 1, 0 },
	{ 1, 1, 0, 1, 0 },
	{ 1, 1, 1, 1, 1 },
};

static const struct nm_case {
	enum nm_kind kind;
	unsigned int row;	/* of table_2_2: CR0.EM * 4 + MP * 2 + TS */
} nm_cases[] = {
#define NM_ENTRY(kind, insn, em, mp, ts) { kind, (em) * 4 + (mp) * 2 + (ts) },
	NM_CASES(NM_ENTRY)
};

/* KVM_NO_EXC, X86_NM or X86_UD. */
static int expected_vector(const struct nm_case *c)
{
	unsigned int em = table_2_2[c->row].em, ts = table_2_2[c->row].ts;

	switch (c->kind) {
	case WAIT:
		return table_2_2[c->row].wait_nm ? X86_NM : KVM_NO_EXC;
	case SSE:
		/* SDM Vol. 3A Table 13-1 (OSFXSR = 1, CPUID.SSE = 1) */
		return em ? X86_UD : ts ? X86_NM : KVM_NO_EXC;
	default:
		return table_2_2[c->row].fp_nm ? X86_NM : KVM_NO_EXC;
	}
}

struct exc_seen {
	unsigned int count;
	uint64_t vector, errcode, rip, cr0;
};

static struct exc_seen seen;

/*
 * Fix the cause and retry: CLTS, clear EM, resume at the same RIP. After
 * a third exception in a row give up and skip the instruction.
 */
static int fix_and_retry(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	seen.count++;
	seen.vector = ifrm->vector;
	seen.errcode = errcode;
	seen.rip = kvm_get_interrupt_ip(ifrm);
	seen.cr0 = kvm_read_cr0();
	__asm__ __volatile__("clts" ::: "memory");
	if (kvm_read_cr0() & X86_CR0_EM)
		kvm_write_cr0(kvm_read_cr0() & ~X86_CR0_EM);
	if (seen.count > 2)
		kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	return 0;
}

/* KVM_ASM_MARK() clobbers R11. */
#define CLOBBERS "r11", "cc", "memory"

/* Each runs the instruction and checks that it completed. */
static void run_fnstcw(void)
{
	uint16_t cw = 0xdead;

	__asm__ __volatile__(KVM_ASM_MARK("fnstcw %0") : "+m"(cw) :: CLOBBERS);
	/* SDM Vol. 1 8.7: FNINIT sets the control word to 0x037f. */
	if (cw == 0x037f)
		tst_res(TPASS, "FNSTCW stored the control word 0x037f");
	else
		tst_res(TFAIL, "FNSTCW result: expected 0x037f, got 0x%04x",
			cw);
}

static void run_fwait(void)
{
	__asm__ __volatile__(KVM_ASM_MARK("fwait") ::: CLOBBERS);
	tst_res(TPASS, "FWAIT completed");
}

static void run_movups(void)
{
	static const uint64_t src[2] = {
		0x0123456789abcdefull, 0xfedcba9876543210ull,
	};
	uint64_t dst[2] = { 0, 0 };

	__asm__ __volatile__(KVM_ASM_MARK("movups %1, %%xmm0")
			     "movups %%xmm0, %0\n\t"
			     : "=m"(dst) : "m"(src) : CLOBBERS);
	if (dst[0] == src[0] && dst[1] == src[1])
		tst_res(TPASS, "MOVUPS loaded XMM0 (copied back "
			"0x%016llx%016llx)", (unsigned long long)dst[1],
			(unsigned long long)dst[0]);
	else
		tst_res(TFAIL, "MOVUPS result: expected 0x%016llx%016llx, got "
			"0x%016llx%016llx", (unsigned long long)src[1],
			(unsigned long long)src[0], (unsigned long long)dst[1],
			(unsigned long long)dst[0]);
}

static void run_fnop(void)
{
	__asm__ __volatile__(KVM_ASM_MARK("fnop") ::: CLOBBERS);
	tst_res(TPASS, "FNOP completed");
}

static void run_fld1(void)
{
	uint64_t v = 0;

	__asm__ __volatile__(KVM_ASM_MARK("fld1") "fstpl %0\n\t"
			     : "=m"(v) :: CLOBBERS);
	if (v == 0x3ff0000000000000ull)
		tst_res(TPASS, "FLD1; FSTP stored 1.0");
	else
		tst_res(TFAIL, "FLD1; FSTP result: expected "
			"0x3ff0000000000000 (1.0), got 0x%016llx",
			(unsigned long long)v);
}

static void (*const runners[])(void) = {
	[X87] = run_fnstcw, [WAIT] = run_fwait, [SSE] = run_movups,
	[FNOP] = run_fnop, [FLD1] = run_fld1,
};

static void check_exception(int vector)
{
	if (vector == KVM_NO_EXC) {
		if (seen.count)
			tst_res(TFAIL, "expected no exception, got %u, last %s",
				seen.count, kvm_exception_name(seen.vector));
		else
			tst_res(TPASS, "no exception");
		return;
	}
	if (seen.count != 1 || seen.vector != (uint64_t)vector) {
		tst_res(TFAIL, "expected one %s, got %u exception(s), last %s",
			kvm_exception_name(vector), seen.count, seen.count ?
			kvm_exception_name(seen.vector) : "none");
		return;
	}
	tst_res(TPASS, "%s, and none after the callback cleared TS/EM",
		kvm_exception_name(vector));
	if (seen.errcode)
		tst_res(TFAIL, "error code: expected 0x0, got 0x%llx",
			(unsigned long long)seen.errcode);
	else
		tst_res(TPASS, "error code 0x0");
	/* SDM Vol. 3A 6.5: faults report the faulting instruction. */
	if (seen.rip == kvm_mark.insn_ip)
		tst_res(TPASS, "RIP = the faulting instruction");
	else
		tst_res(TFAIL, "RIP: expected the faulting instruction 0x%llx, "
			"got 0x%llx", (unsigned long long)kvm_mark.insn_ip,
			(unsigned long long)seen.rip);
}

/* The case tst_case_run() picked. */
static void run_case(void)
{
	const struct nm_case *c = &nm_cases[kvm_boot_info()->host_arg];
	unsigned long cr0 = kvm_read_cr0(), test_cr0;

	if (!kvm_cpu_has(X86_FEATURE_FPU))
		tst_brk(TCONF, "CPUID.01H:EDX.FPU is 0");
	if (c->kind == SSE && !kvm_cpu_has(X86_FEATURE_SSE))
		tst_brk(TCONF, "CPUID.01H:EDX.SSE is 0");
	if (c->kind == SSE && !(kvm_read_cr4() & X86_CR4_OSFXSR))
		tst_brk(TBROK, "CR4.OSFXSR is 0");

	test_cr0 = cr0 & ~(X86_CR0_EM | X86_CR0_MP | X86_CR0_TS);
	test_cr0 |= table_2_2[c->row].em ? X86_CR0_EM : 0;
	test_cr0 |= table_2_2[c->row].mp ? X86_CR0_MP : 0;
	test_cr0 |= table_2_2[c->row].ts ? X86_CR0_TS : 0;

	__asm__ __volatile__("fninit" ::: "memory");
	tst_set_exception_callbacks(fix_and_retry, NULL);
	kvm_write_cr0(test_cr0);
	runners[c->kind]();
	kvm_write_cr0(cr0);
	tst_set_exception_callbacks(NULL, NULL);
	check_exception(expected_vector(c));
}

static const struct tst_case cases[] = {
#define NM_CASE(...) { NM_NAME(__VA_ARGS__), run_case },
	NM_CASES(NM_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define NM_HOST_NAME(...) NM_NAME(__VA_ARGS__),
	NM_CASES(NM_HOST_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "#NM for x87, WAIT and SSE under CR0.EM/MP/TS",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
