/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_boot.c - the guest's long-mode environment, built on the host: GDT,
 * 64-bit TSS, IDT (every vector to its payload stub), 4-level page tables
 * (identity map of the low 2 GiB with 2 MiB pages, 4 KiB pages in the first
 * 2 MiB so the NULL page and the stack guards stay unmapped, and the result
 * page at KVM_RESULT_BASEADDR), the boot info, and the register values that
 * enter 64-bit mode directly; in an SMP VM also each AP's TSS, descriptor,
 * boot info, guard pages and result page. Layout constants: kvm_common.h.
 */
#include <string.h>
#include "tst_test.h"
#include "internal.h"

#define PAGE_ENTRIES	512
#define TABLE_FLAGS	(X86_PTE_P | X86_PTE_RW | X86_PTE_US)
#define LEAF_FLAGS	(X86_PTE_P | X86_PTE_RW)
#define USER_LEAF_FLAGS	(LEAF_FLAGS | X86_PTE_US)
#define SIZE_2M		0x200000ULL

/* Descriptor access bytes and flags (SDM Vol. 3A 3.4.5) */
#define SEG_CODE64(dpl)	(0x00af9b000000ffffULL | ((uint64_t)(dpl) << 45))
#define SEG_CODE32(dpl)	(0x00cf9b000000ffffULL | ((uint64_t)(dpl) << 45))
#define SEG_DATA(dpl)	(0x00cf93000000ffffULL | ((uint64_t)(dpl) << 45))
#define TSS_TYPE_BUSY	0xb
#define GATE_INTR	0xe

struct idt_gate {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
} __attribute__((packed));

static const uint64_t unmapped_pages[] = {
	KVM_NULL_PAGE, KVM_IST1_GUARD, KVM_IST2_GUARD, KVM_STACK_GUARD,
};

/* Guard pages of each AP's area (kvm_common.h). */
static const uint64_t ap_guard_offsets[] = {
	KVM_AP_IST1_GUARD(1) - KVM_AP_AREA(1),
	KVM_AP_IST2_GUARD(1) - KVM_AP_AREA(1),
	KVM_AP_STACK_GUARD(1) - KVM_AP_AREA(1),
};

static unsigned int nr_cpus(const struct tst_boot_layout *l)
{
	return l->nr_vcpus ? l->nr_vcpus : 1;
}

static void *at(void *ram, uint64_t gpa)
{
	return (char *)ram + gpa;
}

/* 16-byte 64-bit TSS descriptor, marked busy as after LTR. */
static void set_tss_desc(uint64_t *gdt, unsigned int sel, uint64_t base)
{
	uint64_t limit = sizeof(struct kvm_tss64) - 1;

	gdt[sel >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		((uint64_t)(0x80 | TSS_TYPE_BUSY) << 40) |
		((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt[(sel >> 3) + 1] = base >> 32;
}

static void build_gdt(void *ram, const struct tst_boot_layout *l)
{
	uint64_t *gdt = at(ram, KVM_GDT_BASE);
	unsigned int cpu;

	gdt[0] = 0;
	gdt[KVM_CS64 >> 3] = SEG_CODE64(0);
	gdt[KVM_DS >> 3] = SEG_DATA(0);
	gdt[KVM_USER_CS32 >> 3] = SEG_CODE32(3);
	gdt[KVM_USER_DS >> 3] = SEG_DATA(3);
	gdt[KVM_USER_CS64 >> 3] = SEG_CODE64(3);
	gdt[KVM_CS32 >> 3] = SEG_CODE32(0);
	for (cpu = 0; cpu < nr_cpus(l); cpu++)
		set_tss_desc(gdt, KVM_CPU_TSS_SEL(cpu), KVM_CPU_TSS_BASE(cpu));
}

static void build_tss(void *ram, unsigned int cpu)
{
	struct kvm_tss64 *tss = at(ram, KVM_CPU_TSS_BASE(cpu));

	memset(tss, 0, sizeof(*tss));
	tss->rsp[0] = KVM_CPU_STACK_TOP(cpu);
	tss->ist[KVM_IST_DF - 1] = KVM_CPU_IST1_TOP(cpu);
	tss->ist[KVM_IST_NMI - 1] = KVM_CPU_IST2_TOP(cpu);
	tss->iomap_base = sizeof(*tss);	/* no I/O bitmap */
}

static unsigned int gate_ist(unsigned int vector)
{
	if (vector == X86_DF)
		return KVM_IST_DF;
	if (vector == X86_NMI || vector == X86_MC)
		return KVM_IST_NMI;
	return 0;
}

static void build_idt(void *ram, const struct tst_boot_layout *l)
{
	struct idt_gate *idt = at(ram, KVM_IDT_BASE);
	unsigned int v;

	for (v = 0; v < 256; v++) {
		uint64_t off = l->isr_table[v];
		/*
		 * int3 and into may be used from ring 3 (as in Linux), and
		 * KVM_USER_VECTOR is the user-mode runtime's way back.
		 */
		unsigned int dpl = (v == X86_BP || v == X86_OF ||
				    v == KVM_USER_VECTOR) ? 3 : 0;

		idt[v].offset0 = off & 0xffff;
		idt[v].selector = KVM_CS64;
		idt[v].ist = gate_ist(v);
		idt[v].type_attr = 0x80 | (dpl << 5) | GATE_INTR;
		idt[v].offset1 = (off >> 16) & 0xffff;
		idt[v].offset2 = off >> 32;
		idt[v].reserved = 0;
	}
}

static int page_unmapped(uint64_t gpa, const struct tst_boot_layout *l)
{
	unsigned int cpu;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unmapped_pages); i++) {
		if (unmapped_pages[i] == gpa)
			return 1;
	}
	for (cpu = 1; cpu < nr_cpus(l); cpu++) {
		for (i = 0; i < ARRAY_SIZE(ap_guard_offsets); i++) {
			if (KVM_AP_AREA(cpu) + ap_guard_offsets[i] == gpa)
				return 1;
		}
	}
	return 0;
}

/* Supervisor-only below KVM_USER_BASE, user-accessible from there. */
static uint64_t leaf_flags(uint64_t gpa)
{
	return gpa < KVM_USER_BASE ? LEAF_FLAGS : USER_LEAF_FLAGS;
}

static void build_page_tables(void *ram, const struct tst_boot_layout *l)
{
	uint64_t *pml4 = at(ram, KVM_PML4_BASE);
	uint64_t *user_pml4 = at(ram, KVM_USER_PML4_BASE);
	uint64_t *pdpt = at(ram, KVM_PDPT_BASE);
	uint64_t *pd0 = at(ram, KVM_PD0_BASE), *pd1 = at(ram, KVM_PD1_BASE);
	uint64_t *pt0 = at(ram, KVM_PT0_BASE);
	uint64_t *pd3 = at(ram, KVM_PD3_BASE), *pt3 = at(ram, KVM_PT3_BASE);
	unsigned int i, cpu;

	memset(pml4, 0, KVM_PAGE_SIZE);
	memset(user_pml4, 0, KVM_PAGE_SIZE);
	memset(pdpt, 0, KVM_PAGE_SIZE);
	memset(pd3, 0, KVM_PAGE_SIZE);
	memset(pt3, 0, KVM_PAGE_SIZE);

	/* The same tables; U/S = 0 at the top makes the kernel view. */
	pml4[0] = KVM_PDPT_BASE | X86_PTE_P | X86_PTE_RW;
	user_pml4[0] = KVM_PDPT_BASE | TABLE_FLAGS;
	pdpt[0] = KVM_PD0_BASE | TABLE_FLAGS;
	pdpt[1] = KVM_PD1_BASE | TABLE_FLAGS;
	pdpt[3] = KVM_PD3_BASE | TABLE_FLAGS;

	for (i = 0; i < PAGE_ENTRIES; i++) {
		uint64_t gpa = (uint64_t)i * KVM_PAGE_SIZE;

		pt0[i] = page_unmapped(gpa, l) ? 0 : gpa | leaf_flags(gpa);
		pd0[i] = (uint64_t)i * SIZE_2M | USER_LEAF_FLAGS | X86_PTE_PS;
		pd1[i] = (uint64_t)(i + PAGE_ENTRIES) * SIZE_2M |
			 USER_LEAF_FLAGS | X86_PTE_PS;
	}
	pd0[0] = KVM_PT0_BASE | TABLE_FLAGS;

	pd3[PAGE_ENTRIES - 1] = KVM_PT3_BASE | TABLE_FLAGS;
	/* One result page per CPU, downwards from KVM_RESULT_BASEADDR. */
	for (cpu = 0; cpu < nr_cpus(l); cpu++)
		pt3[PAGE_ENTRIES - 1 - cpu] = KVM_CPU_RESULT_PAGE(cpu) |
					      LEAF_FLAGS;
}

static void build_boot_info(void *ram, const struct tst_boot_layout *l,
	unsigned int cpu)
{
	struct kvm_boot_info *info = at(ram, KVM_CPU_BOOT_INFO(cpu));

	memset(info, 0, sizeof(*info));
	info->magic = KVM_BOOT_INFO_MAGIC;
	info->ram_size = l->ram_size;
	info->heap_start = l->heap_start;
	info->heap_end = l->ram_size;
	info->result_page = KVM_CPU_RESULT_PAGE(cpu);
	info->vcpu_id = cpu;
	info->nr_vcpus = nr_cpus(l);
}

void tst_x86_build_tables(void *ram, const struct tst_boot_layout *l)
{
	unsigned int cpu;

	build_gdt(ram, l);
	build_idt(ram, l);
	build_page_tables(ram, l);
	for (cpu = 0; cpu < nr_cpus(l); cpu++) {
		build_tss(ram, cpu);
		build_boot_info(ram, l, cpu);
	}
}

static void set_segment(struct kvm_segment *s, uint16_t sel, int code)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = code ? 0xb : 0x3;	/* accessed exec/read; read/write */
	s->present = 1;
	s->s = 1;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

void tst_x86_initial_sregs_cpu(struct kvm_sregs *sregs,
	const struct tst_boot_layout *l, unsigned int cpu)
{
	set_segment(&sregs->cs, KVM_CS64, 1);
	set_segment(&sregs->ds, KVM_DS, 0);
	sregs->es = sregs->fs = sregs->gs = sregs->ss = sregs->ds;

	memset(&sregs->tr, 0, sizeof(sregs->tr));
	sregs->tr.selector = KVM_CPU_TSS_SEL(cpu);
	sregs->tr.base = KVM_CPU_TSS_BASE(cpu);
	sregs->tr.limit = sizeof(struct kvm_tss64) - 1;
	sregs->tr.type = TSS_TYPE_BUSY;
	sregs->tr.present = 1;

	memset(&sregs->ldt, 0, sizeof(sregs->ldt));
	sregs->ldt.type = 2;
	sregs->ldt.unusable = 1;

	sregs->gdt.base = KVM_GDT_BASE;
	sregs->gdt.limit = nr_cpus(l) > 1 ? KVM_SMP_GDT_LIMIT(nr_cpus(l)) :
			   KVM_GDT_ENTRIES * 8 - 1;
	sregs->idt.base = KVM_IDT_BASE;
	sregs->idt.limit = 256 * sizeof(struct idt_gate) - 1;

	sregs->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		     X86_CR0_WP | X86_CR0_PG;
	sregs->cr3 = KVM_PML4_BASE;
	sregs->cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
		     (l->osxsave ? X86_CR4_OSXSAVE : 0);
	sregs->efer = X86_EFER_LME | X86_EFER_LMA |
		      (l->nx ? X86_EFER_NXE : 0);
	memset(sregs->interrupt_bitmap, 0, sizeof(sregs->interrupt_bitmap));
}

void tst_x86_initial_regs_cpu(struct kvm_regs *regs,
	const struct tst_boot_layout *l, unsigned int cpu)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = l->entry;
	regs->rsp = KVM_CPU_STACK_TOP(cpu);
	regs->rdi = KVM_CPU_BOOT_INFO(cpu);
	regs->rflags = X86_RFLAGS_FIXED;
}

void tst_x86_initial_sregs(struct kvm_sregs *sregs,
	const struct tst_boot_layout *l)
{
	tst_x86_initial_sregs_cpu(sregs, l, 0);
}

void tst_x86_initial_regs(struct kvm_regs *regs,
	const struct tst_boot_layout *l)
{
	tst_x86_initial_regs_cpu(regs, l, 0);
}
