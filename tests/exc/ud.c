// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * #UD (invalid opcode, vector 6): UD2, UD1, UD0; a LOCK prefix on an
 * instruction that cannot be locked or whose destination is a register;
 * LEA with a register source; MOV to CS; CMPXCHG16B with a register
 * operand; the opcodes that are invalid in 64-bit mode (marked i64 in the
 * opcode map, SDM Vol. 2D Appendix A, Table A-2). #UD is a fault without
 * an error code (SDM Vol. 3A 6.15 "Interrupt 6", Table 6-1): the saved
 * frame must hold error code 0 and RIP = the faulting instruction (SDM
 * Vol. 3A 6.5), and the instruction must not have written memory. A valid
 * LOCK ADD to memory is the control case. KVM_ASM_SAFE_MARK() catches the
 * exception and resumes after the instruction; one reported at another
 * RIP is not caught and ends the case with a TBROK naming it.
 *
 * Each case runs in its own VM (tst_case_run(), tst_kvm_run_cases()) so
 * that one case the KVM cannot run does not hide the others.
 */
#include "kvm_test.h"

/*
 * X(function, name, instruction, expected vector). Sources: SDM Vol. 2B
 * "UD" (UD2 0F 0B, UD1 0F B9 /r, UD0 0F FF /r); Vol. 2A "LOCK": "An
 * undefined opcode exception will be generated if the LOCK prefix is used
 * with any instruction not in the above list", and for ADD: "#UD If the
 * LOCK prefix is used but the destination is not a memory operand"; Vol.
 * 2A "LEA": "#UD If source operand is not a memory location"; Vol. 2B
 * "MOV": "#UD If attempt is made to load the CS register"; Vol. 2A
 * "CMPXCHG8B/CMPXCHG16B": "#UD If the destination operand is not a memory
 * location"; Vol. 2D Table A-2: i64 opcodes are invalid in 64-bit mode.
 */
#define UD_CASES(X) \
	X(ud2, "ud2 (0f 0b)", "ud2", X86_UD) \
	X(lock_add_mem, "lock add $1, mem (valid)", \
	  "lock addl $1, ud_scratch(%%rip)", KVM_NO_EXC) \
	X(lock_nop, "lock nop (f0 90)", ".byte 0xf0, 0x90", X86_UD) \
	X(lock_mov, "lock mov %eax, mem (f0 89)", \
	  ".byte 0xf0\n\tmovl %%eax, ud_scratch(%%rip)", X86_UD) \
	X(lock_add_reg, \
	  "lock add %ebx, %eax (f0 01 d8, register destination)", \
	  ".byte 0xf0, 0x01, 0xd8", X86_UD) \
	X(lea_reg, "lea with a register source (8d c0)", \
	  ".byte 0x8d, 0xc0", X86_UD) \
	X(mov_cs, "mov %eax, %cs (8e c8)", ".byte 0x8e, 0xc8", X86_UD) \
	X(cmpxchg16b_reg, "cmpxchg16b with a register operand (48 0f c7 c8)", \
	  ".byte 0x48, 0x0f, 0xc7, 0xc8", X86_UD) \
	X(push_es, "push %es (06) in 64-bit mode", ".byte 0x06", X86_UD) \
	X(pop_es, "pop %es (07) in 64-bit mode", ".byte 0x07", X86_UD) \
	X(push_cs, "push %cs (0e) in 64-bit mode", ".byte 0x0e", X86_UD) \
	X(push_ss, "push %ss (16) in 64-bit mode", ".byte 0x16", X86_UD) \
	X(pop_ss, "pop %ss (17) in 64-bit mode", ".byte 0x17", X86_UD) \
	X(push_ds, "push %ds (1e) in 64-bit mode", ".byte 0x1e", X86_UD) \
	X(pop_ds, "pop %ds (1f) in 64-bit mode", ".byte 0x1f", X86_UD) \
	X(daa, "daa (27) in 64-bit mode", ".byte 0x27", X86_UD) \
	X(das, "das (2f) in 64-bit mode", ".byte 0x2f", X86_UD) \
	X(aaa, "aaa (37) in 64-bit mode", ".byte 0x37", X86_UD) \
	X(aas, "aas (3f) in 64-bit mode", ".byte 0x3f", X86_UD) \
	X(pusha, "pusha (60) in 64-bit mode", ".byte 0x60", X86_UD) \
	X(popa, "popa (61) in 64-bit mode", ".byte 0x61", X86_UD) \
	X(grp1_82, "add $1, %al via 82 /0 ib in 64-bit mode", \
	  ".byte 0x82, 0xc0, 0x01", X86_UD) \
	X(callf, "call far ptr16:32 (9a) in 64-bit mode", \
	  ".byte 0x9a, 0, 0, 0, 0, 0x08, 0", X86_UD) \
	X(into, "into (ce) in 64-bit mode", ".byte 0xce", X86_UD) \
	X(aam, "aam (d4 0a) in 64-bit mode", ".byte 0xd4, 0x0a", X86_UD) \
	X(aad, "aad (d5 0a) in 64-bit mode", ".byte 0xd5, 0x0a", X86_UD) \
	X(jmpf, "jmp far ptr16:32 (ea) in 64-bit mode", \
	  ".byte 0xea, 0, 0, 0, 0, 0x08, 0", X86_UD) \
	X(ud1, "ud1 %eax, %eax (0f b9 c0)", ".byte 0x0f, 0xb9, 0xc0", X86_UD) \
	X(ud0, "ud0 %eax, %eax (0f ff c0)", ".byte 0x0f, 0xff, 0xc0", X86_UD)

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/* Memory operand of the LOCK cases. */
uint32_t ud_scratch;

#define UD_FN(fn, name, insn, vector) \
static void fn(void) \
{ \
	__asm__ __volatile__(KVM_ASM_SAFE_MARK(insn) \
			     ::: "rax", "r11", "cc", "memory"); \
}
UD_CASES(UD_FN)

static const struct ud_case {
	void (*fn)(void);
	int vector;		/* X86_UD or KVM_NO_EXC */
} ud_cases[] = {
#define UD_ENTRY(fn, name, insn, vector) { fn, vector },
	UD_CASES(UD_ENTRY)
};

static void check_no_exception(uint32_t before, unsigned long count)
{
	if (count)
		tst_res(TFAIL, "expected no exception, got %s at RIP 0x%llx",
			kvm_exception_name(kvm_last_exc.vector),
			(unsigned long long)kvm_last_exc.rip);
	else
		tst_res(TPASS, "no exception");
	if (ud_scratch == before + 1)
		tst_res(TPASS, "memory incremented");
	else
		tst_res(TFAIL, "memory: expected %u, got %u", before + 1,
			ud_scratch);
}

/* SDM Vol. 3A 6.15 "Interrupt 6": fault, no error code. */
static void check_ud(uint32_t before, unsigned long count)
{
	if (count != 1 || kvm_last_exc.vector != X86_UD) {
		tst_res(TFAIL, "expected one #UD, got %lu exception(s), "
			"last %s", count, count ?
			kvm_exception_name(kvm_last_exc.vector) : "none");
		return;
	}
	tst_res(TPASS, "#UD");
	if (kvm_last_exc.errcode)
		tst_res(TFAIL, "error code: expected 0x0, got 0x%llx",
			(unsigned long long)kvm_last_exc.errcode);
	else
		tst_res(TPASS, "error code 0x0");
	/* SDM Vol. 3A 6.5: faults report the faulting instruction. */
	if (kvm_last_exc.rip == kvm_mark.insn_ip)
		tst_res(TPASS, "RIP = the faulting instruction");
	else
		tst_res(TFAIL, "RIP: expected the faulting instruction 0x%llx, "
			"got 0x%llx", (unsigned long long)kvm_mark.insn_ip,
			(unsigned long long)kvm_last_exc.rip);
	if (ud_scratch == before)
		tst_res(TPASS, "memory not written");
	else
		tst_res(TFAIL, "memory: expected %u (not written), got %u",
			before, ud_scratch);
}

/* The case tst_case_run() picked. */
static void run_case(void)
{
	const struct ud_case *c = &ud_cases[kvm_boot_info()->host_arg];
	unsigned long count = kvm_last_exc.count;
	uint32_t before = ud_scratch;

	kvm_exc_clear();
	c->fn();
	count = kvm_last_exc.count - count;
	if (c->vector == KVM_NO_EXC)
		check_no_exception(before, count);
	else
		check_ud(before, count);
}

static const struct tst_case cases[] = {
#define UD_CASE(fn, name, insn, vector) { name, run_case },
	UD_CASES(UD_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define UD_NAME(fn, name, insn, vector) name,
	UD_CASES(UD_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "#UD from UD0/1/2, bad LOCK, invalid 64-bit opcodes",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
