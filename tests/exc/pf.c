// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * #PF (page fault, vector 14) with CR2 and every error-code bit a ring-0
 * test can produce (SDM Vol. 3A 4.7, Figure 4-12): not present at the PTE
 * and at the PDE level for reads, writes and (with EFER.NXE = 1) fetches
 * (P = 0, W/R, I/D); a supervisor write to a read-only page with CR0.WP = 1
 * (P = 1, W = 1; with WP = 0 the write is allowed, SDM Vol. 3A 4.6.1); a
 * fetch from an execute-disable page (P = 1, I/D = 1; a data read there is
 * allowed); reserved bits (RSVD = 1, P = 1): a physical-address bit at or
 * above MAXPHYADDR in a PTE, PS = 1 in a PML4E, and XD = 1 while
 * EFER.NXE = 0 (SDM Vol. 3A 4.5, Table 4-15 ff.). U/S is 0 throughout
 * (supervisor accesses); PK and SS need PKS/CET and are not produced. Each
 * fault: the error code exactly, CR2 = the faulting linear address (also
 * unaligned within the page), RIP = the faulting instruction, or the
 * fetched address for fetch faults (a fault, SDM Vol. 3A 6.5, 6.15
 * "Interrupt 14"), and a faulting write left memory alone.
 *
 * The mappings are private: fresh paging structures from the heap hung
 * into unused PML4 slots 1 (512 GiB) and 2, so the identity map the guest
 * runs on is never touched; INVLPG after every change. KVM_ASM_SAFE_MARK()
 * catches the exception and resumes after the instruction (a fetch fault,
 * reported at the fetched address, has an exception-table entry there);
 * one reported at another RIP is not caught and ends the case with a
 * TBROK naming it. Each case runs in its own VM (tst_case_run(),
 * tst_kvm_run_cases()) so that one case the KVM cannot run does not hide
 * the others; a case ends with TCONF where the CPU lacks NX (or has a
 * 52-bit MAXPHYADDR, leaving no reserved address bit).
 */
#include "kvm_test.h"

enum pf_need { NEED_NONE, NEED_NX, NEED_RSVD_BIT };

#define PF_P	X86_PF_P
#define PF_W	X86_PF_W
#define PF_RSVD	X86_PF_RSVD
#define PF_I	X86_PF_I

/* X(function, name, expected vector, error code, what it needs) */
#define PF_CASES(X) \
	X(np_read, "read, PTE not present", X86_PF, 0, NEED_NONE) \
	X(np_write, "write, PTE not present", X86_PF, PF_W, NEED_NONE) \
	X(npde_read, "read, PDE not present", X86_PF, 0, NEED_NONE) \
	X(npde_write, "write, PDE not present", X86_PF, PF_W, NEED_NONE) \
	X(ro_read, "read of a read-only page (allowed)", KVM_NO_EXC, 0, \
	  NEED_NONE) \
	X(ro_write_wp, "write to a read-only page, CR0.WP=1", X86_PF, \
	  PF_P | PF_W, NEED_NONE) \
	X(ro_write_nowp, "write to a read-only page, CR0.WP=0 (allowed)", \
	  KVM_NO_EXC, 0, NEED_NONE) \
	X(exec_ok, "fetch from an executable page (allowed)", KVM_NO_EXC, 0, \
	  NEED_NONE) \
	X(nx_read, "read of an XD page (allowed)", KVM_NO_EXC, 0, NEED_NX) \
	X(nx_fetch, "fetch from an XD page, EFER.NXE=1", X86_PF, \
	  PF_P | PF_I, NEED_NX) \
	X(np_fetch, "fetch, PTE not present, EFER.NXE=1", X86_PF, PF_I, \
	  NEED_NX) \
	X(rsvd_pte_read, "read, reserved address bit in the PTE", X86_PF, \
	  PF_P | PF_RSVD, NEED_RSVD_BIT) \
	X(rsvd_pte_write, "write, reserved address bit in the PTE", X86_PF, \
	  PF_P | PF_W | PF_RSVD, NEED_RSVD_BIT) \
	X(rsvd_pml4_read, "read, PS=1 in the PML4E", X86_PF, \
	  PF_P | PF_RSVD, NEED_NONE) \
	X(rsvd_pml4_write, "write, PS=1 in the PML4E", X86_PF, \
	  PF_P | PF_W | PF_RSVD, NEED_NONE) \
	X(rsvd_xd_read, "read, XD=1 in the PTE while EFER.NXE=0", X86_PF, \
	  PF_P | PF_RSVD, NEED_NONE)

#define PRIV_BASE	0x8000000000ull		/* PML4 slot 1 */
#define RSVD_BASE	0x10000000000ull	/* PML4 slot 2 */
#define SIZE_4K		0x1000ull
#define SIZE_2M		0x200000ull

/* Pages of the private 2 MiB region at PRIV_BASE (PTE index). */
enum { PG_ABSENT, PG_RO, PG_XD, PG_RSVD, PG_CODE };

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/* KVM_ASM_SAFE_MARK() clobbers R11. */
#define CLOBBERS "r11", "cc", "memory"
#define MAGIC	0x5a5a5a5a5a5a5a5aull
#define PATTERN	0x0123456789abcdefull

/* The private paging structures and pages. */
static uint64_t *pml4, *pt;
static uint64_t *page[PG_CODE + 1];
static uint64_t rsvd_bit;	/* 1 << MAXPHYADDR, 0 if there is none */

/* What the case expects: CR2, and RIP if not the faulting instruction. */
static uint64_t exp_cr2;
static uintptr_t exp_rip;

static void *zalloc_page(void)
{
	return tst_heap_alloc_aligned(SIZE_4K, SIZE_4K);
}

static void invlpg(uint64_t addr)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(addr) : "memory");
}

/* A constant: exec_at() puts it in an exception-table entry. */
#define VA(pg, offset)	(PRIV_BASE + (pg) * SIZE_4K + (offset))

static void set_pte(unsigned int pg, uint64_t flags)
{
	pt[pg] = (uintptr_t)page[pg] | flags;
	invlpg(VA(pg, 0));
}

/*
 * PML4[1] -> PDPT -> PD (PD[0] -> PT, PD[1] not present) -> PT; PML4[2]
 * with the reserved PS bit. Table entries are P | RW; the leaves vary.
 */
static void build_mappings(void)
{
	uint64_t *pdpt = zalloc_page(), *pd = zalloc_page();
	uint64_t *pdpt2 = zalloc_page();
	struct kvm_cpuid id;
	unsigned int i;

	pml4 = (uint64_t *)(kvm_read_cr3() & X86_PTE_ADDR_MASK);
	pt = zalloc_page();
	for (i = 0; i < ARRAY_SIZE(page); i++) {
		page[i] = zalloc_page();
		page[i][1] = PATTERN;
	}
	/* JMP *%RCX: back to the caller (see exec_at()). */
	((uint8_t *)page[PG_CODE])[0] = 0xff;
	((uint8_t *)page[PG_CODE])[1] = 0xe1;
	memcpy(page[PG_XD], page[PG_CODE], 2);

	kvm_get_cpuid(0x80000000, 0, &id);
	if (id.eax >= 0x80000008) {
		kvm_get_cpuid(0x80000008, 0, &id);
		if ((id.eax & 0xff) < 52)
			rsvd_bit = 1ull << (id.eax & 0xff);
	}

	pd[0] = (uintptr_t)pt | X86_PTE_P | X86_PTE_RW;
	pdpt[0] = (uintptr_t)pd | X86_PTE_P | X86_PTE_RW;
	pml4[1] = (uintptr_t)pdpt | X86_PTE_P | X86_PTE_RW;
	pml4[2] = (uintptr_t)pdpt2 | X86_PTE_P | X86_PTE_RW | X86_PTE_PS;
	set_pte(PG_RO, X86_PTE_P);
	set_pte(PG_XD, X86_PTE_P | X86_PTE_RW | X86_PTE_NX);
	set_pte(PG_RSVD, X86_PTE_P | X86_PTE_RW | rsvd_bit);
	set_pte(PG_CODE, X86_PTE_P | X86_PTE_RW);
	kvm_write_cr3(kvm_read_cr3());
}

static void remove_mappings(void)
{
	pml4[1] = 0;
	pml4[2] = 0;
	kvm_write_cr3(kvm_read_cr3());
}

static uint64_t read_at(uint64_t addr)
{
	uint64_t v = MAGIC;

	exp_cr2 = addr;
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("movq (%1), %0")
			     : "+r"(v) : "r"(addr) : CLOBBERS);
	return v;
}

static void write_at(uint64_t addr, uint64_t v)
{
	exp_cr2 = addr;
	__asm__ __volatile__(KVM_ASM_SAFE_MARK("movq %1, (%0)")
			     :: "r"(addr), "r"(v) : CLOBBERS);
}

/*
 * Jump to the constant @addr; the code there (JMP *%RCX) comes back to
 * label 2. A fetch fault reports @addr as RIP, so @addr has an exception
 * table entry of its own that resumes at label 2 too (the first entry for
 * an address wins: one exec_at() per address).
 */
#define exec_at(addr) do { \
	exp_cr2 = (addr); \
	exp_rip = (addr); \
	__asm__ __volatile__("lea 2f(%%rip), %%rcx\n\t" \
			     KVM_ASM_SAFE_MARK("jmp *%[to]") \
			     KVM_ASM_EXTABLE("%P[at]", "2b") \
			     :: [to] "r"(addr), [at] "i"(addr) \
			     : "rcx", CLOBBERS); \
} while (0)

static void check_value(const char *what, uint64_t exp, uint64_t got)
{
	if (exp == got)
		tst_res(TPASS, "%s = 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: expected 0x%llx, got 0x%llx", what,
			(unsigned long long)exp, (unsigned long long)got);
}

static void np_read(void)
{
	read_at(VA(PG_ABSENT, 0x123));
}

static void np_write(void)
{
	write_at(VA(PG_ABSENT, 0x128), MAGIC);
}

static void npde_read(void)
{
	read_at(PRIV_BASE + SIZE_2M + 0x456);
}

static void npde_write(void)
{
	write_at(PRIV_BASE + SIZE_2M + 0x458, MAGIC);
}

static void ro_read(void)
{
	check_value("value read", PATTERN, read_at(VA(PG_RO, 8)));
}

static void ro_write_wp(void)
{
	write_at(VA(PG_RO, 8), MAGIC);
	check_value("memory after the write", PATTERN, page[PG_RO][1]);
}

static void ro_write_nowp(void)
{
	unsigned long cr0 = kvm_read_cr0();

	kvm_write_cr0(cr0 & ~X86_CR0_WP);
	write_at(VA(PG_RO, 8), MAGIC);
	kvm_write_cr0(cr0);
	check_value("memory after the write", MAGIC, page[PG_RO][1]);
}

static void exec_ok(void)
{
	exec_at(VA(PG_CODE, 0));
}

static void nx_read(void)
{
	check_value("value read", PATTERN, read_at(VA(PG_XD, 8)));
}

static void nx_fetch(void)
{
	exec_at(VA(PG_XD, 0));
}

static void np_fetch(void)
{
	exec_at(VA(PG_ABSENT, 0));
}

static void rsvd_pte_read(void)
{
	read_at(VA(PG_RSVD, 0x10));
}

static void rsvd_pte_write(void)
{
	write_at(VA(PG_RSVD, 0x18), MAGIC);
	check_value("memory after the write", 0, page[PG_RSVD][3]);
}

static void rsvd_pml4_read(void)
{
	read_at(RSVD_BASE + 0x20);
}

static void rsvd_pml4_write(void)
{
	write_at(RSVD_BASE + 0x28, MAGIC);
}

/* SDM Vol. 3A 4.5: with EFER.NXE = 0, bit 63 of an entry is reserved. */
static void rsvd_xd_read(void)
{
	uint64_t efer = kvm_rdmsr(MSR_EFER);

	kvm_wrmsr(MSR_EFER, efer & ~X86_EFER_NXE);
	invlpg(VA(PG_XD, 0));
	read_at(VA(PG_XD, 0x30));
	kvm_wrmsr(MSR_EFER, efer);
}

static const struct pf_case {
	const char *name;
	void (*fn)(void);
	int vector;
	uint64_t errcode;
	enum pf_need need;
} pf_cases[] = {
#define PF_ENTRY(fn, name, vector, errcode, need) \
	{ name, fn, vector, errcode, need },
	PF_CASES(PF_ENTRY)
};

static void check_pf(const struct pf_case *c, unsigned long count)
{
	const struct kvm_exc_info *e = &kvm_last_exc;
	uintptr_t rip = exp_rip ? exp_rip : kvm_mark.insn_ip;

	if (count != 1 || e->vector != X86_PF) {
		tst_res(TFAIL, "expected one #PF, got %lu exception(s), "
			"last %s (error code 0x%llx)", count, count ?
			kvm_exception_name(e->vector) : "none",
			(unsigned long long)(count ? e->errcode : 0));
		return;
	}
	tst_res(TPASS, "#PF");
	/* SDM Vol. 3A 4.7 */
	check_value("error code", c->errcode, e->errcode);
	check_value("CR2", exp_cr2, e->cr2);
	/* SDM Vol. 3A 6.5, 6.15 "Interrupt 14": a fault */
	if (e->rip == rip)
		tst_res(TPASS, "RIP = the %s", exp_rip ? "fetched address" :
			"faulting instruction");
	else
		tst_res(TFAIL, "RIP: expected 0x%llx (the %s), got 0x%llx",
			(unsigned long long)rip, exp_rip ? "fetched address" :
			"faulting instruction", (unsigned long long)e->rip);
}

static void check(const struct pf_case *c, unsigned long count)
{
	const struct kvm_exc_info *e = &kvm_last_exc;

	if (c->vector == X86_PF) {
		check_pf(c, count);
	} else if (count) {
		tst_res(TFAIL, "expected no exception, got %s (error code "
			"0x%llx, CR2 0x%llx)", kvm_exception_name(e->vector),
			(unsigned long long)e->errcode,
			(unsigned long long)e->cr2);
	} else {
		tst_res(TPASS, "no exception");
	}
}

/* The case tst_case_run() picked. */
static void run_case(void)
{
	const struct pf_case *c = &pf_cases[kvm_boot_info()->host_arg];
	unsigned long count;

	if (c->need == NEED_NX && !kvm_cpu_has(X86_FEATURE_NX))
		tst_brk(TCONF, "needs CPUID.80000001H:EDX.NX");
	if (c->need == NEED_NX && !(kvm_rdmsr(MSR_EFER) & X86_EFER_NXE))
		kvm_wrmsr(MSR_EFER, kvm_rdmsr(MSR_EFER) | X86_EFER_NXE);
	build_mappings();
	if (c->need == NEED_RSVD_BIT && !rsvd_bit)
		tst_brk(TCONF, "needs MAXPHYADDR < 52 (a reserved address "
			"bit)");
	count = kvm_last_exc.count;
	kvm_exc_clear();
	c->fn();
	count = kvm_last_exc.count - count;
	remove_mappings();
	check(c, count);
}

static const struct tst_case cases[] = {
#define PF_CASE(fn, name, vector, errcode, need) { name, run_case },
	PF_CASES(PF_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define PF_NAME(fn, name, vector, errcode, need) name,
	PF_CASES(PF_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "#PF error code bits, CR2 and RIP for ring-0 accesses",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
