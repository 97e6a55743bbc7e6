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
 * Each case runs in its own VM (guest arg = case index) so that one case
 * the KVM cannot run does not hide the others; the host expects each to
 * end with its "passed all" line and exit status 0 (TCONF without SSE).
 */
#include "kvm_test.h"

enum nm_kind { X87, WAIT, SSE, FNOP, FLD1 };

static const char *const kind_names[] = {
	[X87] = "fnstcw", [WAIT] = "fwait", [SSE] = "movups", [FNOP] = "fnop",
	[FLD1] = "fld1",
};

/* SDM Vol. 3A Table 2-2: 1 = #NM, 0 = execute. */
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

struct nm_case {
	enum nm_kind kind;
	unsigned int row;	/* of table_2_2: CR0.EM, MP, TS */
};

#define ROWS(kind) \
	{ kind, 0 }, { kind, 1 }, { kind, 2 }, { kind, 3 }, \
	{ kind, 4 }, { kind, 5 }, { kind, 6 }, { kind, 7 }

static const struct nm_case cases[] = {
	ROWS(X87), ROWS(WAIT), ROWS(SSE),
	{ FNOP, 3 },	/* EM = 0, MP = 1, TS = 1 */
	{ FLD1, 3 },
};

static void case_name(const struct nm_case *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s with CR0.EM=%u MP=%u TS=%u",
		 kind_names[c->kind], table_2_2[c->row].em,
		 table_2_2[c->row].mp, table_2_2[c->row].ts);
}

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

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
static char name[80];

#define pass(fmt, ...) \
	(passed++, tst_res(TPASS, "%s: " fmt, name, ##__VA_ARGS__))
#define fail(fmt, ...) \
	(failed++, tst_res(TFAIL, "%s: " fmt, name, ##__VA_ARGS__))

#define CLOBBERS "r11", "cc", "memory"

/* Each runs the instruction and checks that it completed. */
static void run_fnstcw(void)
{
	uint16_t cw = 0xdead;

	__asm__ __volatile__(EXC_ASM("fnstcw %0") : "+m"(cw) :: CLOBBERS);
	/* SDM Vol. 1 8.7: FNINIT sets the control word to 0x037f. */
	if (cw == 0x037f)
		pass("FNSTCW stored the control word 0x037f");
	else
		fail("FNSTCW result: expected 0x037f, got 0x%04x", cw);
}

static void run_fwait(void)
{
	__asm__ __volatile__(EXC_ASM("fwait") ::: CLOBBERS);
	pass("FWAIT completed");
}

static void run_movups(void)
{
	static const uint64_t src[2] = {
		0x0123456789abcdefull, 0xfedcba9876543210ull,
	};
	uint64_t dst[2] = { 0, 0 };

	__asm__ __volatile__(EXC_ASM("movups %1, %%xmm0")
			     "movups %%xmm0, %0\n\t"
			     : "=m"(dst) : "m"(src) : CLOBBERS);
	if (dst[0] == src[0] && dst[1] == src[1])
		pass("MOVUPS loaded XMM0 (copied back 0x%016llx%016llx)",
		     (unsigned long long)dst[1], (unsigned long long)dst[0]);
	else
		fail("MOVUPS result: expected 0x%016llx%016llx, got "
		     "0x%016llx%016llx", (unsigned long long)src[1],
		     (unsigned long long)src[0], (unsigned long long)dst[1],
		     (unsigned long long)dst[0]);
}

static void run_fnop(void)
{
	__asm__ __volatile__(EXC_ASM("fnop") ::: CLOBBERS);
	pass("FNOP completed");
}

static void run_fld1(void)
{
	uint64_t v = 0;

	__asm__ __volatile__(EXC_ASM("fld1") "fstpl %0\n\t"
			     : "=m"(v) :: CLOBBERS);
	if (v == 0x3ff0000000000000ull)
		pass("FLD1; FSTP stored 1.0");
	else
		fail("FLD1; FSTP result: expected 0x3ff0000000000000 (1.0), "
		     "got 0x%016llx", (unsigned long long)v);
}

static void (*const runners[])(void) = {
	[X87] = run_fnstcw, [WAIT] = run_fwait, [SSE] = run_movups,
	[FNOP] = run_fnop, [FLD1] = run_fld1,
};

static void check_exception(int vector)
{
	if (vector == KVM_NO_EXC) {
		if (seen.count)
			fail("expected no exception, got %u, last %s",
			     seen.count, kvm_exception_name(seen.vector));
		else
			pass("no exception");
		return;
	}
	if (seen.count != 1 || seen.vector != (uint64_t)vector) {
		fail("expected one %s, got %u exception(s), last %s",
		     kvm_exception_name(vector), seen.count, seen.count ?
		     kvm_exception_name(seen.vector) : "none");
		return;
	}
	pass("%s, and none after the callback cleared TS/EM",
	     kvm_exception_name(vector));
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
}

void main(void)
{
	uint64_t i = kvm_boot_info()->host_arg;
	unsigned long cr0 = kvm_read_cr0(), test_cr0;
	const struct nm_case *c;

	if (i >= ARRAY_SIZE(cases))
		tst_brk(TBROK, "no case %llu", (unsigned long long)i);
	c = &cases[i];
	case_name(c, name, sizeof(name));
	if (!kvm_cpu_has(X86_FEATURE_FPU))
		tst_brk(TCONF, "%s: CPUID.01H:EDX.FPU is 0", name);
	if (c->kind == SSE && !kvm_cpu_has(X86_FEATURE_SSE))
		tst_brk(TCONF, "%s: CPUID.01H:EDX.SSE is 0", name);
	if (c->kind == SSE && !(kvm_read_cr4() & X86_CR4_OSFXSR))
		tst_brk(TBROK, "%s: CR4.OSFXSR is 0", name);

	test_cr0 = cr0 & ~(X86_CR0_EM | X86_CR0_MP | X86_CR0_TS);
	test_cr0 |= table_2_2[c->row].em ? X86_CR0_EM : 0;
	test_cr0 |= table_2_2[c->row].mp ? X86_CR0_MP : 0;
	test_cr0 |= table_2_2[c->row].ts ? X86_CR0_TS : 0;

	__asm__ __volatile__("fninit" ::: "memory");
	set_callbacks(fix_and_retry, NULL);
	kvm_write_cr0(test_cr0);
	runners[c->kind]();
	kvm_write_cr0(cr0);
	set_callbacks(NULL, NULL);
	check_exception(expected_vector(c));
	if (!failed) {
		unsigned int n = passed;

		pass("passed all %u checks", n);
	}
}

#else /* COMPILE_PAYLOAD */

static int host_has(uint64_t feature)
{
	struct kvm_cpuid2 *cpuid = tst_kvm_get_cpuid(tst_kvm_open());
	struct kvm_cpuid_entry2 *e = tst_kvm_cpuid_entry(cpuid,
		X86_FEATURE_LEAF(feature), X86_FEATURE_SUBLEAF(feature));
	uint32_t regs[4] = { 0 };

	if (e) {
		regs[0] = e->eax;
		regs[1] = e->ebx;
		regs[2] = e->ecx;
		regs[3] = e->edx;
	}
	free(cpuid);
	return (regs[X86_FEATURE_REG(feature)] >> X86_FEATURE_BIT(feature)) & 1;
}

static void run(void)
{
	int fpu = host_has(X86_FEATURE_FPU), sse = host_has(X86_FEATURE_SSE);
	char name[80], pattern[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ok = fpu && (cases[i].kind != SSE || sse);

		case_name(&cases[i], name, sizeof(name));
		snprintf(pattern, sizeof(pattern), "%s: %s", name,
			 ok ? "passed all" : "CPUID");
		tst_kvm_expect_guest_verdict(i, ok ? TPASS : TCONF, pattern);
	}
}

static struct tst_test test = {
	.description = "#NM for x87, WAIT and SSE under CR0.EM/MP/TS",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
