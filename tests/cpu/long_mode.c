// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/long_mode - the 64-bit environment the host builds (host/x86_boot.c)
 * is what the guest runs in. The guest reads EFER, CR0, CR3, CR4, the
 * segment, GDTR/IDTR and TR state, compares each with the documented boot
 * value and checks the architectural invariants of IA-32e mode (CR0.PG
 * implies PE, EFER.LMA = LME & PG, PAE on, CS.L = 1 with CS.D = 0). Then
 * it hands its readings to the host in a host call; the host reads the
 * same registers with KVM_GET_SREGS while the vCPU is stopped and checks
 * them against the documented values and against what the guest read.
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"
#include "x86_defs.h"

/* Shared by both passes: what the guest read, handed to the host. */
struct lm_state {
	uint64_t efer, cr0, cr3, cr4;
	uint64_t gdt_base, idt_base;
	uint16_t gdt_limit, idt_limit;
	uint16_t cs, ss, tr;
	uint16_t pad;
	uint32_t cs_ar;		/* CS descriptor dword 1 from the GDT */
	uint32_t pad2;
	/*
	 * CPUID.80000001H:EDX.NX and CPUID.1:ECX.XSAVE in the table the host
	 * set (the boot state depends on those; whether the guest's CPUID
	 * matches the table is cpu/cpuid's business).
	 */
	uint32_t nx, xsave;
};

#define HC_CHECK_SREGS	1
/* host_arg bits */
#define ARG_NX		1
#define ARG_XSAVE	2

/* The documented boot values (host/x86_boot.c, tst_x86_initial_sregs). */
#define BOOT_CR0	(X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | \
			 X86_CR0_WP | X86_CR0_PG)
#define BOOT_CR4	(X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)
#define BOOT_EFER	(X86_EFER_LME | X86_EFER_LMA)

static inline uint64_t boot_cr4(const struct lm_state *s)
{
	return BOOT_CR4 | (s->xsave ? X86_CR4_OSXSAVE : 0);
}

static inline uint64_t boot_efer(const struct lm_state *s)
{
	return BOOT_EFER | (s->nx ? X86_EFER_NXE : 0);
}

/* Segment descriptor dword 1 bits (SDM Vol. 3A 3.4.5, Figure 3-8) */
#define AR_L	(1u << 21)
#define AR_DB	(1u << 22)
#define AR_P	(1u << 15)
#define AR_DPL(ar) (((ar) >> 13) & 3)

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct lm_state st;

static void check_val(const char *what, uint64_t got, uint64_t exp)
{
	if (got == exp)
		tst_res(TPASS, "%s = 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: expected 0x%llx, got 0x%llx", what,
			(unsigned long long)exp, (unsigned long long)got);
}

static void check_true(int cond, const char *what, uint64_t a, uint64_t b)
{
	if (cond)
		tst_res(TPASS, "%s (0x%llx, 0x%llx)", what,
			(unsigned long long)a, (unsigned long long)b);
	else
		tst_res(TFAIL, "%s does not hold: 0x%llx, 0x%llx", what,
			(unsigned long long)a, (unsigned long long)b);
}

static void read_state(void)
{
	struct desc_ptr gdt, idt;

	st.efer = kvm_rdmsr(MSR_EFER);
	st.cr0 = kvm_read_cr0();
	st.cr3 = kvm_read_cr3();
	st.cr4 = kvm_read_cr4();
	__asm__ __volatile__("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	st.gdt_base = gdt.base;
	st.gdt_limit = gdt.limit;
	st.idt_base = idt.base;
	st.idt_limit = idt.limit;
	__asm__ __volatile__("mov %%cs, %0; mov %%ss, %1; str %2"
			     : "=r"(st.cs), "=r"(st.ss), "=r"(st.tr));
	/*
	 * The GDT descriptor CS was loaded from. (LAR would report the same
	 * bits but tests an instruction rather than the boot state.)
	 */
	st.cs_ar = *(volatile uint32_t *)(uintptr_t)(gdt.base +
						     (st.cs & ~7u) + 4);
	st.nx = !!(kvm_boot_info()->host_arg & ARG_NX);
	st.xsave = !!(kvm_boot_info()->host_arg & ARG_XSAVE);
}

/* The values host/x86_boot.c documents for the boot state. */
static void check_documented(void)
{
	check_val("EFER (LME|LMA|NXE if CPUID NX)", st.efer, boot_efer(&st));
	check_val("CR0 (PE|MP|ET|NE|WP|PG)", st.cr0, BOOT_CR0);
	check_val("CR3 (PML4 at KVM_PML4_BASE, PWT=PCD=0)", st.cr3,
		  KVM_PML4_BASE);
	check_val("CR4 (PAE|OSFXSR|OSXMMEXCPT|OSXSAVE if CPUID XSAVE)",
		  st.cr4, boot_cr4(&st));
	check_val("CS selector", st.cs, KVM_CS64);
	check_val("SS selector", st.ss, KVM_DS);
	check_val("TR selector", st.tr, KVM_TSS_SEL);
	check_val("GDTR base", st.gdt_base, KVM_GDT_BASE);
	check_val("GDTR limit", st.gdt_limit, KVM_GDT_ENTRIES * 8 - 1);
	check_val("IDTR base", st.idt_base, KVM_IDT_BASE);
	check_val("IDTR limit", st.idt_limit, 256 * 16 - 1);
}

static void check_invariants(void)
{
	uint64_t pg = st.cr0 & X86_CR0_PG, pe = st.cr0 & X86_CR0_PE;
	int lme = !!(st.efer & X86_EFER_LME), lma = !!(st.efer & X86_EFER_LMA);

	/* SDM Vol. 3A 2.5 (CR0.PG): paging requires protection, PG=1 => PE=1 */
	check_true(!pg || pe, "CR0.PG=1 implies CR0.PE=1", pg, pe);
	/*
	 * SDM Vol. 3A 2.2.1 and 9.8.5, APM Vol. 2 "Enabling and Activating
	 * Long Mode": the processor
	 * sets EFER.LMA when LME=1 and paging is enabled.
	 */
	check_true(lma == (lme && pg), "EFER.LMA = EFER.LME & CR0.PG",
		   st.efer, st.cr0);
	check_true(lma, "EFER.LMA = 1 (IA-32e mode active)", st.efer, 0);
	/* SDM Vol. 3A 9.8.5: IA-32e mode requires CR4.PAE = 1 */
	check_true(!lma || (st.cr4 & X86_CR4_PAE),
		   "EFER.LMA=1 implies CR4.PAE=1", st.efer, st.cr4);
	/* SDM Vol. 3A 2.2.1: EFER.LME exists iff CPUID.80000001H:EDX.LM */
	check_true(!lme || kvm_cpu_has(X86_FEATURE_LM),
		   "EFER.LME=1 implies CPUID.80000001H:EDX.LM=1", st.efer,
		   kvm_cpu_has(X86_FEATURE_LM));
	/* SDM Vol. 3A 2.5 (CR0.ET): reserved, hardwired to 1 */
	check_true(st.cr0 & X86_CR0_ET, "CR0.ET = 1", st.cr0, 0);
	/* SDM Vol. 3A 4.5: CR3[63:MAXPHYADDR] and [11:5],[2:0] are 0 */
	check_true(!(st.cr3 & 0xfe7) && st.cr3 < (1ull << 52),
		   "CR3 has no reserved bits set", st.cr3, 0);
	/*
	 * SDM Vol. 3A 3.4.5 and 5.2.1: in IA-32e mode a code segment with
	 * L=1 is a 64-bit segment; L=1 requires D=0.
	 */
	check_true(st.cs_ar & AR_L, "CS.L = 1 (64-bit mode)", st.cs_ar, 0);
	check_true(!(st.cs_ar & AR_DB), "CS.D = 0 with CS.L = 1", st.cs_ar, 0);
	check_true((st.cs_ar & AR_P) && AR_DPL(st.cs_ar) == 0,
		   "CS present with DPL 0", st.cs_ar, 0);
}

/* A check of 64-bit mode by behaviour: PUSH moves RSP by 8. */
static void check_push_width(void)
{
	uint64_t delta;

	__asm__ __volatile__("mov %%rsp, %0; pushq $0; sub %%rsp, %0; "
			     "add $8, %%rsp" : "=&r"(delta) :: "memory");
	/* SDM Vol. 2B PUSH: 64-bit mode stack operand size is 64 bits */
	check_val("RSP decrement of PUSH imm (64-bit stack)", delta, 8);
}

void main(void)
{
	uint32_t bad;

	read_state();
	check_documented();
	check_invariants();
	check_push_width();
	bad = tst_host_call(HC_CHECK_SREGS, (uintptr_t)&st);
	tst_res(TINFO, "host found %u mismatches in KVM_GET_SREGS", bad);
}

#else /* COMPILE_PAYLOAD */

#include <stdlib.h>

static struct tst_kvm_instance inst;

static int host_check(const char *what, uint64_t got, uint64_t exp)
{
	if (got == exp) {
		tst_res(TPASS, "KVM_GET_SREGS %s = 0x%llx", what,
			(unsigned long long)got);
		return 0;
	}
	tst_res(TFAIL, "KVM_GET_SREGS %s: expected 0x%llx, got 0x%llx", what,
		(unsigned long long)exp, (unsigned long long)got);
	return 1;
}

static uint32_t check_sregs(const struct lm_state *g)
{
	struct kvm_sregs s;
	uint32_t bad = 0;

	tst_kvm_get_sregs(&inst, &s);
	/* documented values */
	bad += host_check("EFER (documented)", s.efer, boot_efer(g));
	bad += host_check("CR0 (documented)", s.cr0, BOOT_CR0);
	bad += host_check("CR3 (documented)", s.cr3, KVM_PML4_BASE);
	bad += host_check("CR4 (documented)", s.cr4, boot_cr4(g));
	/* the same registers as the guest read them with RDMSR/MOV CR */
	bad += host_check("EFER = guest RDMSR(EFER)", s.efer, g->efer);
	bad += host_check("CR0 = guest MOV from CR0", s.cr0, g->cr0);
	bad += host_check("CR3 = guest MOV from CR3", s.cr3, g->cr3);
	bad += host_check("CR4 = guest MOV from CR4", s.cr4, g->cr4);
	bad += host_check("GDTR base = guest SGDT", s.gdt.base, g->gdt_base);
	bad += host_check("IDTR base = guest SIDT", s.idt.base, g->idt_base);
	bad += host_check("CS selector = guest MOV from CS", s.cs.selector,
			  g->cs);
	bad += host_check("TR selector = guest STR", s.tr.selector, g->tr);
	/* SDM Vol. 3A 3.4.5: 64-bit code segment, L=1 and D=0 */
	bad += host_check("CS.L", s.cs.l, 1);
	bad += host_check("CS.DB", s.cs.db, 0);
	bad += host_check("CS.L = GDT descriptor of CS.L", s.cs.l,
			  !!(g->cs_ar & AR_L));
	return bad;
}

static uint32_t host_call(struct tst_kvm_instance *in, void *opaque,
	uint32_t nr, uint64_t arg)
{
	struct lm_state g;

	(void)opaque;
	if (nr != HC_CHECK_SREGS)
		tst_kvm_brk(in, "unknown host call %u", nr);
	if (tst_kvm_read_guest(in, arg, &g, sizeof(g)))
		tst_kvm_brk(in, "guest state pointer 0x%llx not in guest RAM",
			    (unsigned long long)arg);
	return check_sregs(&g);
}

static void run(void)
{
	/* tst_kvm_create_instance() sets the supported CPUID list */
	struct kvm_cpuid2 *c = tst_kvm_get_cpuid(tst_kvm_open());
	uint64_t arg = (tst_kvm_cpuid_has(c, X86_FEATURE_NX) ? ARG_NX : 0) |
		       (tst_kvm_cpuid_has(c, X86_FEATURE_XSAVE) ? ARG_XSAVE : 0);

	free(c);
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_set_guest_arg(&inst, arg);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	tst_kvm_run_instance(&inst);
	tst_kvm_destroy_instance(&inst);
}

static void cleanup(void)
{
	if (inst.vm_fd > 0)
		tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "long-mode boot state: EFER, CR0, CR3, CR4, CS.L from "
		       "the guest and KVM_GET_SREGS",
	.setup = tst_kvm_setup,
	.test_all = run,
	.cleanup = cleanup,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
