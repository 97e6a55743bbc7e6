// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * #GP (general protection, vector 13), a fault with an error code (SDM
 * Vol. 3A 6.15 "Interrupt 13"): #GP(0) from non-canonical memory accesses
 * and jump targets, reserved bits in CR0/CR3/CR4/DR7, an invalid CR0
 * combination, WRMSR/RDMSR of an unimplemented MSR, a reserved EFER bit
 * and a non-canonical FS base; #GP(selector) from segment loads (beyond
 * the GDT limit, into the absent LDT, a system or code descriptor into DS
 * or SS, RPL != CPL for SS), whose error code is the selector index with
 * TI and with EXT = IDT = 0 in place of the RPL (SDM Vol. 3A 6.13); and
 * #GP/#NP(vector * 8 + 2 + EXT) from delivering through a bad IDT gate
 * (SDM Vol. 3A 6.12.1, 6.13). Each check: the vector, the exact error
 * code, RIP = the faulting instruction (SDM Vol. 3A 6.5) and that the
 * faulting instruction changed nothing. Loads that are allowed (DS with a
 * DPL-3 data selector) are control cases. KVM_ASM_SAFE_MARK() catches the
 * exception (any vector, #DF included) and resumes after the instruction;
 * one reported at another RIP is not caught and ends the case with a
 * TBROK naming it.
 *
 * Each case runs in its own VM (tst_case_run(), tst_kvm_run_cases()) so
 * that one case the KVM cannot run does not hide the others.
 */
#include "kvm_test.h"

#define NONCANON	0x8000000000000000ull
#define NONCANON_LO	0x0000800000000000ull	/* first non-canonical */
#define NONCANON_HI	0xffff7fffffffffffull	/* last non-canonical */

/* X(function, name, expected vector or KVM_NO_EXC, error code) */
#define GP_CASES(X) \
	X(read_noncanon, "read from 0x8000000000000000 via RAX", X86_GP, 0) \
	X(write_noncanon_lo, "write to 0x0000800000000000 via RAX", X86_GP, 0) \
	X(write_noncanon_hi, "write to 0xffff7fffffffffff via RAX", X86_GP, 0) \
	X(jmp_noncanon, "jmp *%rax to 0x0000800000000000", X86_GP, 0) \
	X(cr4_bit63, "mov to CR4 with reserved bit 63", X86_GP, 0) \
	X(cr4_bit15, "mov to CR4 with reserved bit 15", X86_GP, 0) \
	X(cr0_bit63, "mov to CR0 with reserved bit 63", X86_GP, 0) \
	X(cr0_nw, "mov to CR0 with NW=1, CD=0", X86_GP, 0) \
	X(cr3_bit52, "mov to CR3 with reserved bit 52", X86_GP, 0) \
	X(dr7_bit32, "mov to DR7 with bit 32 set", X86_GP, 0) \
	X(wrmsr_bogus, "wrmsr to unimplemented MSR 0xdeadbeef", X86_GP, 0) \
	X(rdmsr_bogus, "rdmsr from unimplemented MSR 0xdeadbeef", X86_GP, 0) \
	X(efer_bit63, "wrmsr EFER with reserved bit 63", X86_GP, 0) \
	X(fsbase_noncanon, "wrmsr FS_BASE non-canonical", X86_GP, 0) \
	X(ds_beyond_gdt, "mov 0x50 (beyond the GDT limit) to DS", X86_GP, \
	  0x50) \
	X(es_beyond_gdt_rpl3, "mov 0x53 (beyond the GDT limit, RPL 3) to ES", \
	  X86_GP, 0x50) \
	X(ds_ldt, "mov 0x0c (LDT, no LDT loaded) to DS", X86_GP, 0x0c) \
	X(ds_tss, "mov 0x38 (TSS descriptor) to DS", X86_GP, 0x38) \
	X(ss_code, "mov 0x08 (code segment) to SS", X86_GP, 0x08) \
	X(ss_rpl3, "mov 0x13 (RPL 3 != CPL 0) to SS", X86_GP, 0x10) \
	X(ss_dpl3, "mov 0x23 (DPL 3 data, RPL 3) to SS", X86_GP, 0x20) \
	X(ds_user_data, "mov 0x23 (DPL 3 data) to DS (allowed)", \
	  KVM_NO_EXC, 0) \
	X(gate_bad_type, "ud2 through an IDT gate of reserved type 0", X86_GP, \
	  X86_UD * 8 + 2 + 1) \
	X(gate_not_present, "ud2 through a not-present IDT gate", X86_NP, \
	  X86_UD * 8 + 2 + 1) \
	X(int_beyond_idt, "int $0x80 beyond the IDT limit", X86_GP, \
	  0x80 * 8 + 2)

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/* KVM_ASM_SAFE_MARK() clobbers R11. */
#define CLOBBERS "r11", "cc", "memory"

static void check_same(const char *what, uint64_t before, uint64_t after)
{
	if (before == after)
		tst_res(TPASS, "%s unchanged (0x%llx)", what,
			(unsigned long long)after);
	else
		tst_res(TFAIL, "%s: expected 0x%llx (unchanged), got 0x%llx",
			what, (unsigned long long)before,
			(unsigned long long)after);
}

/*
 * SDM Vol. 2B MOV: "#GP(0) If the memory address is in a non-canonical
 * form." The base is RAX: RSP/RBP would make it #SS (see exc/ss).
 */
static void read_noncanon(void)
{
	uint64_t v = NONCANON;

	__asm__ __volatile__(KVM_ASM_SAFE_MARK("movq (%%rax), %%rax")
			     : "+a"(v) :: CLOBBERS);
}

static void write_noncanon(uint64_t addr)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("movq %%rcx, (%%rax)")
			     :: "a"(addr), "c"(0x1234) : CLOBBERS);
}

static void write_noncanon_lo(void)
{
	write_noncanon(NONCANON_LO);
}

static void write_noncanon_hi(void)
{
	write_noncanon(NONCANON_HI);
}

/*
 * SDM Vol. 2A JMP, 64-bit mode: "#GP(0) If the target operand is
 * non-canonical"; a fault of the JMP itself. A #GP reported at the
 * target instead is caught too (its own exception-table entry), so that
 * the RIP check names it.
 */
static void jmp_noncanon(void)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("jmp *%%rax")
			     KVM_ASM_EXTABLE("%P[at]", "2b")
			     :: "a"(NONCANON_LO), [at] "i"(NONCANON_LO)
			     : CLOBBERS);
}

/*
 * SDM Vol. 2B MOV to/from Control Registers: "#GP(0) If an attempt is
 * made to write invalid bit combinations in CR0 (such as ... setting the
 * CD flag to 0 when the NW flag is set to 1)", "to write a 1 to any
 * reserved bit in CR4", "to write a 1 to any reserved bits in CR0[63:32]",
 * and for CR3 bits 63:MAXPHYADDR (Vol. 3A 4.5.2, Table 4-12).
 */
static void write_cr4(uint64_t v)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov %0, %%cr4")
			     :: "r"(v) : CLOBBERS);
}

static void write_cr0(uint64_t v)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov %0, %%cr0")
			     :: "r"(v) : CLOBBERS);
}

static void write_cr3(uint64_t v)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov %0, %%cr3")
			     :: "r"(v) : CLOBBERS);
}

static void cr4_bit63(void)
{
	uint64_t before = kvm_read_cr4();

	write_cr4(before | (1ull << 63));
	check_same("CR4", before, kvm_read_cr4());
}

static void cr4_bit15(void)
{
	uint64_t before = kvm_read_cr4();

	write_cr4(before | (1ull << 15));
	check_same("CR4", before, kvm_read_cr4());
}

static void cr0_bit63(void)
{
	uint64_t before = kvm_read_cr0();

	write_cr0(before | (1ull << 63));
	check_same("CR0", before, kvm_read_cr0());
}

static void cr0_nw(void)
{
	uint64_t before = kvm_read_cr0();

	write_cr0((before | X86_CR0_NW) & ~X86_CR0_CD);
	check_same("CR0", before, kvm_read_cr0());
}

static void cr3_bit52(void)
{
	uint64_t before = kvm_read_cr3();

	write_cr3(before | (1ull << 52));
	check_same("CR3", before, kvm_read_cr3());
}

/* SDM Vol. 2B MOV DR: "#GP(0) ... write a 1 to any of bits 63:32 in DR7" */
static void dr7_bit32(void)
{
	uint64_t before, after;

	__asm__ __volatile__("mov %%dr7, %0" : "=r"(before));
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov %0, %%dr7")
			     :: "r"(before | (1ull << 32)) : CLOBBERS);
	__asm__ __volatile__("mov %%dr7, %0" : "=r"(after));
	check_same("DR7", before, after);
}

/*
 * SDM Vol. 2B WRMSR: "#GP(0) If the value in ECX specifies a reserved or
 * unimplemented MSR address", "If the value in EDX:EAX sets bits that
 * are reserved in the MSR specified by ECX", "If the source register
 * contains a non-canonical address and ECX specifies ... IA32_FS_BASE";
 * RDMSR alike. EFER bit 63 is reserved (SDM Vol. 3A 2.2.1, Table 2-1;
 * APM Vol. 2 3.1.7).
 */
static void wrmsr_raw(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("wrmsr")
			     :: "c"(msr), "a"((uint32_t)v),
				"d"((uint32_t)(v >> 32)) : CLOBBERS);
}

static void wrmsr_bogus(void)
{
	wrmsr_raw(0xdeadbeef, 0);
}

static void rdmsr_bogus(void)
{
	uint32_t lo = 0x5a5a5a5a, hi = 0xa5a5a5a5;

	__asm__ __volatile__(KVM_ASM_SAFE_MARK("rdmsr")
			     : "+a"(lo), "+d"(hi) : "c"(0xdeadbeef)
			     : CLOBBERS);
	check_same("EDX:EAX", 0xa5a5a5a55a5a5a5aull,
		   ((uint64_t)hi << 32) | lo);
}

static void efer_bit63(void)
{
	uint64_t before = kvm_rdmsr(MSR_EFER);

	wrmsr_raw(MSR_EFER, before | (1ull << 63));
	check_same("EFER", before, kvm_rdmsr(MSR_EFER));
}

static void fsbase_noncanon(void)
{
	uint64_t before = kvm_rdmsr(MSR_FS_BASE);

	wrmsr_raw(MSR_FS_BASE, NONCANON_LO);
	check_same("FS_BASE", before, kvm_rdmsr(MSR_FS_BASE));
}

/*
 * SDM Vol. 2B MOV (segment loads), protected mode: "#GP(selector) If
 * segment selector index is outside descriptor table limits", "If the
 * SS register is being loaded and the segment selector's RPL and the
 * segment descriptor's DPL are not equal to the CPL", "If the SS register
 * is being loaded and the segment pointed to is a non-writable data
 * segment" (or not a data segment), "If the DS, ES, FS, or GS register is
 * being loaded and the segment pointed to is not a data or readable code
 * segment"; a null LDTR makes every TI=1 selector exceed the LDT limit
 * (SDM Vol. 3A 3.5.1). Error code: SDM Vol. 3A 6.13.
 */
#define SEG_LOAD_FN(fn, seg, sel) \
static void fn(void) \
{ \
	uint16_t before, after; \
\
	__asm__ __volatile__("mov %%" seg ", %0" : "=r"(before)); \
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov %0, %%" seg) \
			     :: "r"((uint16_t)(sel)) : CLOBBERS); \
	__asm__ __volatile__("mov %%" seg ", %0" : "=r"(after)); \
	check_same(seg " selector", before, after); \
}

SEG_LOAD_FN(ds_beyond_gdt, "ds", KVM_GDT_ENTRIES * 8)
SEG_LOAD_FN(es_beyond_gdt_rpl3, "es", KVM_GDT_ENTRIES * 8 + 3)
SEG_LOAD_FN(ds_ldt, "ds", 0x0c)
SEG_LOAD_FN(ds_tss, "ds", KVM_TSS_SEL)
SEG_LOAD_FN(ss_code, "ss", KVM_CS64)
SEG_LOAD_FN(ss_rpl3, "ss", KVM_DS | 3)
SEG_LOAD_FN(ss_dpl3, "ss", KVM_USER_DS)

static void ds_user_data(void)
{
	uint16_t after;

	__asm__ __volatile__(KVM_ASM_SAFE_MARK("mov %0, %%ds")
			     :: "r"((uint16_t)KVM_USER_DS) : CLOBBERS);
	__asm__ __volatile__("mov %%ds, %0" : "=r"(after));
	__asm__ __volatile__("mov %0, %%ds" :: "r"((uint16_t)KVM_DS));
	if (after == KVM_USER_DS)
		tst_res(TPASS, "DS = 0x%x after the load", after);
	else
		tst_res(TFAIL, "DS after the load: expected 0x%x, got 0x%x",
			KVM_USER_DS, after);
}

/*
 * SDM Vol. 2A "INT n/INTO/INT3/INT1", Operation in IA-32e mode (also
 * used to deliver exceptions, Vol. 3A 6.12.1 and 6.14.1): a descriptor
 * that is not a 64-bit interrupt or trap gate -> #GP(vector * 8 + 2 +
 * EXT); a not-present gate -> #NP(vector * 8 + 2 + EXT); a vector beyond
 * the IDT limit -> #GP(vector * 8 + 2 + EXT). EXT is 1 while delivering
 * an exception, 0 for INT n (SDM Vol. 3A 6.13). #UD is benign and #GP/#NP
 * contributory, so they are handled serially, not as #DF (Table 6-5);
 * the saved RIP is that of the UD2.
 */
struct idt_gate {
	uint16_t offset0, selector;
	uint8_t ist, type_attr;
	uint16_t offset1;
	uint32_t offset2, reserved;
} __attribute__((packed));

static void ud2_with_gate_attr(uint8_t attr)
{
	struct idt_gate *gate = (struct idt_gate *)KVM_IDT_BASE + X86_UD;
	uint8_t saved = gate->type_attr;

	gate->type_attr = attr;
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("ud2") ::: CLOBBERS);
	gate->type_attr = saved;
}

static void gate_bad_type(void)
{
	ud2_with_gate_attr(0x80);	/* present, DPL 0, type 0 */
}

static void gate_not_present(void)
{
	ud2_with_gate_attr(0x0e);	/* 64-bit interrupt gate, P = 0 */
}

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void int_beyond_idt(void)
{
	struct dtr full, part;

	__asm__ __volatile__("sidt %0" : "=m"(full));
	part = full;
	part.limit = 32 * 16 - 1;	/* the exceptions only */
	__asm__ __volatile__("lidt %0" :: "m"(part));
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("int $0x80") ::: CLOBBERS);
	__asm__ __volatile__("lidt %0" :: "m"(full));
}

static const struct gp_case {
	void (*fn)(void);
	int vector;
	uint64_t errcode;
} gp_cases[] = {
#define GP_ENTRY(fn, name, vector, errcode) { fn, vector, errcode },
	GP_CASES(GP_ENTRY)
};

static void check_exception(const struct gp_case *c, unsigned long count)
{
	const struct kvm_exc_info *e = &kvm_last_exc;

	if (c->vector == KVM_NO_EXC) {
		if (count)
			tst_res(TFAIL, "expected no exception, got %s (error "
				"code 0x%llx)", kvm_exception_name(e->vector),
				(unsigned long long)e->errcode);
		else
			tst_res(TPASS, "no exception");
		return;
	}
	if (count != 1 || e->vector != c->vector) {
		tst_res(TFAIL, "expected one %s, got %lu exception(s), last %s "
			"(error code 0x%llx)", kvm_exception_name(c->vector),
			count, count ? kvm_exception_name(e->vector) : "none",
			(unsigned long long)(count ? e->errcode : 0));
		return;
	}
	tst_res(TPASS, "%s", kvm_exception_name(c->vector));
	if (e->errcode == c->errcode)
		tst_res(TPASS, "error code 0x%llx",
			(unsigned long long)e->errcode);
	else
		tst_res(TFAIL, "error code: expected 0x%llx, got 0x%llx",
			(unsigned long long)c->errcode,
			(unsigned long long)e->errcode);
	/* SDM Vol. 3A 6.5: faults report the faulting instruction. */
	if (e->rip == kvm_mark.insn_ip)
		tst_res(TPASS, "RIP = the faulting instruction");
	else
		tst_res(TFAIL, "RIP: expected the faulting instruction 0x%llx, "
			"got 0x%llx", (unsigned long long)kvm_mark.insn_ip,
			(unsigned long long)e->rip);
}

/* The case tst_case_run() picked. */
static void run_case(void)
{
	const struct gp_case *c = &gp_cases[kvm_boot_info()->host_arg];
	unsigned long count = kvm_last_exc.count;

	kvm_exc_clear();
	c->fn();
	check_exception(c, kvm_last_exc.count - count);
}

static const struct tst_case cases[] = {
#define GP_CASE(fn, name, vector, errcode) { name, run_case },
	GP_CASES(GP_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define GP_NAME(fn, name, vector, errcode) name,
	GP_CASES(GP_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "#GP(0) and #GP(selector) with exact error codes",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
