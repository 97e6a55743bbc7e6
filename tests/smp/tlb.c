// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TLB invalidation across CPUs ("TLB shootdown"). Both CPUs use the same
 * page tables. CPU 0 changes the 4 KiB PTE of TEST_VA and invalidates its
 * own TLB with INVLPG; CPU 1, which has used the old translation, must
 * see the new one after it invalidates too, through on_cpu(). SDM Vol. 3A
 * 4.10.4.1 "Operations that Invalidate TLBs and Paging-Structure Caches"
 * (INVLPG invalidates the page's TLB entries on the executing processor;
 * MOV to CR3 all non-global ones) and 4.10.5 "Propagation of Paging-
 * Structure Changes to Multiple Processors" (a change is not seen by
 * another processor's TLB until that processor invalidates: hence the
 * shootdown). What CPU 1 sees before it invalidates is allowed to be
 * either mapping and is only printed. Checked:
 *
 *  1. after the PDE of TEST_VA's 2 MiB region is replaced by a page table
 *     mapping page A, and both CPUs ran INVLPG, both read A;
 *  2. CPU 0 remaps TEST_VA to page B and runs INVLPG: CPU 0 reads B;
 *  3. CPU 1 runs INVLPG (on_cpu) and reads B;
 *  4. CPU 0 unmaps TEST_VA and runs INVLPG: a read on CPU 0 raises #PF
 *     (not present, CR2 = TEST_VA, SDM 4.7); CPU 1 after INVLPG too;
 *  5. CPU 0 maps page A again; CPU 1 reloads CR3 and reads A.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

/* A 2 MiB region above RAM, mapped 2M-identity by the host (PD1[511]). */
#define TEST_VA		0x7fe00000UL
#define PD1_INDEX	511
#define MARK_A		0xa1a1a1a1a1a1a1a1ULL
#define MARK_B		0xb2b2b2b2b2b2b2b2ULL

static uint64_t *pt;		/* the new page table for TEST_VA's 2 MiB */
static uint64_t *page_a, *page_b;

/* One read of TEST_VA on some CPU, checked and reported by that CPU. */
enum prep { NOTHING, INVLPG, CR3_RELOAD };

struct step {
	const char *what;
	enum prep prep;
	uint64_t mark;		/* expected page, or 0: expect #PF */
};

static void invlpg(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

static void set_pte(uint64_t *page)
{
	pt[0] = page ? (uintptr_t)page | X86_PTE_P | X86_PTE_RW : 0;
}

static const char *mark_name(uint64_t v)
{
	return v == MARK_A ? "page A" : v == MARK_B ? "page B" : "neither";
}

static void expect_page(const char *what, int vector, uint64_t v,
	uint64_t mark)
{
	if (vector != KVM_NO_EXC)
		tst_res(TFAIL, "%s: expected %s, got %s (CR2 0x%llx)", what,
			mark_name(mark), kvm_exception_name(vector),
			(unsigned long long)kvm_last_exc.cr2);
	else if (v != mark)
		tst_res(TFAIL, "%s: expected %s (0x%llx), got %s (0x%llx)",
			what, mark_name(mark), (unsigned long long)mark,
			mark_name(v), (unsigned long long)v);
	else
		tst_res(TPASS, "%s: reads %s", what, mark_name(mark));
}

/* SDM Vol. 3A 4.7: not present, read, supervisor: error code 0. */
static void expect_pf(const char *what, int vector, uint64_t v)
{
	if (vector != X86_PF)
		tst_res(TFAIL, "%s: expected #PF, got %s (read 0x%llx)", what,
			kvm_exception_name(vector), (unsigned long long)v);
	else if (kvm_last_exc.cr2 != TEST_VA || kvm_last_exc.errcode != 0)
		tst_res(TFAIL, "%s: #PF with CR2 0x%llx error code 0x%llx, "
			"expected CR2 0x%lx error code 0", what,
			(unsigned long long)kvm_last_exc.cr2,
			(unsigned long long)kvm_last_exc.errcode, TEST_VA);
	else
		tst_res(TPASS, "%s: #PF, CR2 = 0x%lx, error code 0", what,
			TEST_VA);
}

static void do_step(void *arg)
{
	const struct step *st = arg;
	uint64_t v = 0;

	if (st->prep == INVLPG)
		invlpg(TEST_VA);
	else if (st->prep == CR3_RELOAD)
		kvm_write_cr3(kvm_read_cr3());
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("movq (%1), %0")
			     : "+r"(v) : "r"(TEST_VA) : "memory");
	if (st->mark)
		expect_page(st->what, kvm_exc_vector(), v, st->mark);
	else
		expect_pf(st->what, kvm_exc_vector(), v);
}

/* SDM 4.10.5: before its own invalidation, either mapping may be seen. */
static void peek(void *arg)
{
	uint64_t v = 0;

	(void)arg;
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("movq (%1), %0")
			     : "+r"(v) : "r"(TEST_VA) : "memory");
	tst_res(TINFO, "before invalidating, reads %s (A or B allowed)",
		kvm_exc_vector() == KVM_NO_EXC ? mark_name(v) :
		kvm_exception_name(kvm_exc_vector()));
}

static void setup_mapping(void)
{
	uint64_t *pd1 = (uint64_t *)KVM_PD1_BASE;
	unsigned int i;

	pt = tst_heap_alloc_aligned(KVM_PAGE_SIZE, KVM_PAGE_SIZE);
	page_a = tst_heap_alloc_aligned(KVM_PAGE_SIZE, KVM_PAGE_SIZE);
	page_b = tst_heap_alloc_aligned(KVM_PAGE_SIZE, KVM_PAGE_SIZE);
	for (i = 0; i < KVM_PAGE_SIZE / 8; i++) {
		page_a[i] = MARK_A;
		page_b[i] = MARK_B;
	}
	set_pte(page_a);
	pd1[PD1_INDEX] = (uintptr_t)pt | X86_PTE_P | X86_PTE_RW;
}

/* In the order main() runs them, on CPU 0 and CPU 1 by turns. */
static struct step steps[] = {
	{ "1. new page table mapping A, INVLPG", INVLPG, MARK_A },
	{ "1. new page table mapping A, INVLPG", INVLPG, MARK_A },
	{ "2. remapped to B by this CPU, INVLPG", INVLPG, MARK_B },
	{ "3. remapped to B by CPU 0, INVLPG here", INVLPG, MARK_B },
	{ "4. unmapped by this CPU, INVLPG", INVLPG, 0 },
	{ "4. unmapped by CPU 0, INVLPG here", INVLPG, 0 },
	{ "5. remapped to A by CPU 0, CR3 reload here", CR3_RELOAD, MARK_A },
};

void main(void)
{
	setup_mapping();
	do_step(&steps[0]);
	on_cpu(1, do_step, &steps[1]);

	set_pte(page_b);
	do_step(&steps[2]);
	on_cpu(1, peek, NULL);
	on_cpu(1, do_step, &steps[3]);

	set_pte(NULL);
	do_step(&steps[4]);
	on_cpu(1, do_step, &steps[5]);

	set_pte(page_a);
	invlpg(TEST_VA);
	on_cpu(1, do_step, &steps[6]);
}

#else /* COMPILE_PAYLOAD */

static const struct tst_kvm_vm_opts opts = { .nr_vcpus = 2 };

static struct tst_test test = {
	.description = "a PTE change on one CPU is seen by another after it "
		"invalidates (INVLPG, CR3)",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvm_opts = &opts,
};

#endif /* COMPILE_PAYLOAD */
