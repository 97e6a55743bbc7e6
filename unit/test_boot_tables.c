// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of the host-built guest environment (host/x86_boot.c), read
 * back with an independent decoder: GDT descriptors (SDM Vol. 3A 3.4.5),
 * the 64-bit TSS descriptor and TSS (7.2.3, 7.7), IDT gates (6.14.1), the
 * 4-level page tables walked here (4.5) including the unmapped guard
 * pages and the result page, the boot info, and the initial registers;
 * and the per-CPU parts of an SMP layout.
 */
#include "unit.h"
#include "internal.h"

#define RAM (16 * 1024 * 1024)

static unsigned char *ram;
static struct tst_boot_layout layout;

static uint64_t q(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, ram + gpa, 8);
	return v;
}

/* Independent 4-level walk: -1 if not present. */
static int64_t walk(uint64_t va)
{
	uint64_t table = KVM_PML4_BASE, e = 0;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		e = q(table + ((va >> shift) & 511) * 8);
		if (!(e & 1))
			return -1;
		if (shift == 12 || (shift < 39 && (e & X86_PTE_PS)))
			return (int64_t)((e & 0xffffffffff000ULL &
					  ~((1ULL << shift) - 1)) |
					 (va & ((1ULL << shift) - 1)));
		table = e & 0xffffffffff000ULL;
	}
	return -1;
}

static void gdt(void)
{
	static const struct {
		uint16_t sel;
		int code, dpl, l, db;
	} segs[] = {
		{ KVM_CS64, 1, 0, 1, 0 }, { KVM_DS, 0, 0, 0, 1 },
		{ KVM_USER_CS32 & ~3, 1, 3, 0, 1 },
		{ KVM_USER_DS & ~3, 0, 3, 0, 1 },
		{ KVM_USER_CS64 & ~3, 1, 3, 1, 0 }, { KVM_CS32, 1, 0, 0, 1 },
	};
	uint64_t tss_lo = q(KVM_GDT_BASE + KVM_TSS_SEL);
	uint64_t tss_hi = q(KVM_GDT_BASE + KVM_TSS_SEL + 8);
	size_t i;

	UNIT_EQ_U64("null descriptor", 0, q(KVM_GDT_BASE));
	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		uint64_t d = q(KVM_GDT_BASE + segs[i].sel);
		char what[64];

		snprintf(what, sizeof(what), "selector 0x%x", segs[i].sel);
		UNIT_EQ_INT(what, 1, (d >> 47) & 1);		/* P */
		UNIT_EQ_INT(what, 1, (d >> 44) & 1);		/* S */
		UNIT_EQ_INT(what, segs[i].code, (d >> 43) & 1);
		UNIT_EQ_INT(what, segs[i].dpl, (d >> 45) & 3);
		UNIT_EQ_INT(what, segs[i].l, (d >> 53) & 1);
		UNIT_EQ_INT(what, segs[i].db, (d >> 54) & 1);
	}
	UNIT_EQ_INT("TSS descriptor type: busy 64-bit TSS", 0xb,
		    (tss_lo >> 40) & 0xf);
	UNIT_EQ_U64("TSS descriptor base", KVM_TSS_BASE,
		    ((tss_lo >> 16) & 0xffffff) | ((tss_lo >> 56) << 24) |
		    (tss_hi << 32));
	UNIT_EQ_INT("TSS descriptor limit", 0x67, tss_lo & 0xffff);
	UNIT_EQ_U64("TSS RSP0", KVM_STACK_TOP, q(KVM_TSS_BASE + 4));
	UNIT_EQ_U64("TSS IST1 (#DF)", KVM_IST1_TOP, q(KVM_TSS_BASE + 36));
	UNIT_EQ_U64("TSS IST2 (NMI, #MC)", KVM_IST2_TOP, q(KVM_TSS_BASE + 44));
}

static void idt(void)
{
	unsigned int v, bad = 0;

	for (v = 0; v < 256; v++) {
		uint64_t lo = q(KVM_IDT_BASE + v * 16);
		uint64_t hi = q(KVM_IDT_BASE + v * 16 + 8);
		uint64_t off = (lo & 0xffff) | ((lo >> 32) & 0xffff0000) |
			       (hi << 32);
		unsigned int ist = (lo >> 32) & 7, type = (lo >> 40) & 0xf;
		unsigned int dpl = (lo >> 45) & 3, p = (lo >> 47) & 1;
		unsigned int want_ist = v == X86_DF ? 1 :
			(v == X86_NMI || v == X86_MC) ? 2 : 0;
		unsigned int want_dpl = (v == X86_BP || v == X86_OF ||
					 v == KVM_USER_VECTOR) ? 3 : 0;

		if (off != layout.isr_table[v] || ((lo >> 16) & 0xffff) !=
		    KVM_CS64 || ist != want_ist || type != 0xe || !p ||
		    dpl != want_dpl) {
			if (bad++ < 5)
				printf("  gate %u: offset 0x%llx ist %u type "
				       "0x%x dpl %u p %u\n", v,
				       (unsigned long long)off, ist, type,
				       dpl, p);
		}
	}
	UNIT_EQ_INT("IDT gates with wrong offset/selector/IST/type/DPL", 0,
		    bad);
}

/* SDM Vol. 3A 4.6.1: user access needs U/S = 1 at every level. */
static int user_ok(uint64_t root, uint64_t va)
{
	uint64_t table = root, e;
	int shift, user = 1;

	for (shift = 39; shift >= 12; shift -= 9) {
		e = q(table + ((va >> shift) & 511) * 8);
		if (!(e & 1))
			return -1;
		user &= !!(e & X86_PTE_US);
		if (shift == 12 || (shift < 39 && (e & X86_PTE_PS)))
			return user;
		table = e & 0xffffffffff000ULL;
	}
	return -1;
}

static void user_space(void)
{
	static const struct {
		uint64_t va;
		int kernel, user;	/* user-accessible in each space */
	} map[] = {
		{ KVM_GDT_BASE, 0, 0 }, { KVM_IDT_BASE, 0, 0 },
		{ KVM_PML4_BASE, 0, 0 }, { KVM_STACK_TOP - 8, 0, 0 },
		{ KVM_USER_BASE - 1, 0, 0 }, { KVM_PAYLOAD_BASE, 0, 1 },
		{ 0x200000, 0, 1 }, { 0x7fffffff, 0, 1 },
		{ KVM_RESULT_BASEADDR, 0, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		char what[80];

		snprintf(what, sizeof(what), "kernel space: VA 0x%llx user",
			 (unsigned long long)map[i].va);
		UNIT_EQ_INT(what, map[i].kernel,
			    user_ok(KVM_PML4_BASE, map[i].va));
		snprintf(what, sizeof(what), "user space: VA 0x%llx user",
			 (unsigned long long)map[i].va);
		UNIT_EQ_INT(what, map[i].user,
			    user_ok(KVM_USER_PML4_BASE, map[i].va));
	}
}

static void page_tables(void)
{
	static const struct {
		uint64_t va;
		int64_t pa;
	} map[] = {
		{ 0x0, -1 }, { 0x10, -1 }, { 0x1000, 0x1000 },
		{ KVM_IST1_GUARD, -1 }, { KVM_IST1_GUARD + 0x1000,
					  KVM_IST1_GUARD + 0x1000 },
		{ KVM_IST2_GUARD + 8, -1 }, { KVM_STACK_GUARD + 0xff8, -1 },
		{ KVM_STACK_BOTTOM, KVM_STACK_BOTTOM },
		{ KVM_STACK_TOP - 8, KVM_STACK_TOP - 8 },
		{ KVM_PAYLOAD_BASE, KVM_PAYLOAD_BASE },
		{ 0x200000, 0x200000 }, { 0x40000123, 0x40000123 },
		{ 0x7fffffff, 0x7fffffff }, { 0x80000000, -1 },
		{ 0xc0000000, -1 }, { KVM_RESULT_BASEADDR + 0x10,
				      KVM_RESULT_BASEADDR + 0x10 },
		{ KVM_RESULT_BASEADDR - 8, -1 }, { 0x100000000ULL, -1 },
		{ 0xffff800000000000ULL, -1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		char what[64];

		snprintf(what, sizeof(what), "VA 0x%llx maps to",
			 (unsigned long long)map[i].va);
		UNIT_EQ_INT(what, map[i].pa, walk(map[i].va));
	}
}

static void registers(void)
{
	struct kvm_sregs s;
	struct kvm_regs r;

	memset(&s, 0xff, sizeof(s));
	tst_x86_initial_sregs(&s, &layout);
	UNIT_EQ_U64("CR0 = PE|MP|ET|NE|WP|PG", 0x80010033, s.cr0);
	UNIT_EQ_U64("CR3", KVM_PML4_BASE, s.cr3);
	UNIT_EQ_U64("CR4 = PAE|OSFXSR|OSXMMEXCPT|OSXSAVE", 0x40620, s.cr4);
	UNIT_EQ_U64("EFER = LME|LMA|NXE", 0xd00, s.efer);
	UNIT_EQ_INT("CS.L", 1, s.cs.l);
	UNIT_EQ_INT("CS selector", KVM_CS64, s.cs.selector);
	UNIT_EQ_INT("SS selector", KVM_DS, s.ss.selector);
	UNIT_EQ_INT("TR selector", KVM_TSS_SEL, s.tr.selector);
	UNIT_EQ_U64("GDT limit", KVM_GDT_ENTRIES * 8 - 1, s.gdt.limit);
	UNIT_EQ_U64("IDT limit", 4095, s.idt.limit);
	tst_x86_initial_regs(&r, &layout);
	UNIT_EQ_U64("RIP = entry", layout.entry, r.rip);
	UNIT_EQ_U64("RSP", KVM_STACK_TOP, r.rsp);
	UNIT_EQ_U64("RDI = boot info", KVM_BOOT_INFO_BASE, r.rdi);
	UNIT_EQ_U64("RFLAGS", 2, r.rflags);
}

/*
 * An SMP layout (3 vCPUs): each AP's busy TSS descriptor, TSS stacks, its
 * unmapped guard pages, its boot info and its own result page (below CPU
 * 0's), and the registers that start it; the UP layout has none of them.
 */
static void smp(void)
{
	struct tst_boot_layout l = layout;
	const struct kvm_boot_info *bi;
	struct kvm_sregs s;
	struct kvm_regs r;
	unsigned int cpu;
	char what[80];

	UNIT_EQ_INT("UP: no AP guard page unmapped", KVM_AP_IST1_GUARD(1),
		    walk(KVM_AP_IST1_GUARD(1)));
	UNIT_EQ_INT("UP: no second result page", -1,
		    walk(KVM_CPU_RESULT_PAGE(1)));
	l.nr_vcpus = 3;
	memset(ram, 0, RAM);
	tst_x86_build_tables(ram, &l);
	for (cpu = 0; cpu < 3; cpu++) {
		uint64_t sel = KVM_CPU_TSS_SEL(cpu), tss = KVM_CPU_TSS_BASE(cpu);
		uint64_t lo = q(KVM_GDT_BASE + sel), hi = q(KVM_GDT_BASE + sel + 8);

		snprintf(what, sizeof(what), "CPU %u TSS descriptor type", cpu);
		UNIT_EQ_INT(what, 0xb, (lo >> 40) & 0xf);
		snprintf(what, sizeof(what), "CPU %u TSS descriptor base", cpu);
		UNIT_EQ_U64(what, tss, ((lo >> 16) & 0xffffff) |
			    ((lo >> 56) << 24) | (hi << 32));
		snprintf(what, sizeof(what), "CPU %u TSS RSP0/IST1/IST2", cpu);
		UNIT_CHECK(q(tss + 4) == KVM_CPU_STACK_TOP(cpu) &&
			   q(tss + 36) == KVM_CPU_IST1_TOP(cpu) &&
			   q(tss + 44) == KVM_CPU_IST2_TOP(cpu), what);
		snprintf(what, sizeof(what), "CPU %u result page mapped", cpu);
		UNIT_EQ_INT(what, KVM_CPU_RESULT_PAGE(cpu),
			    walk(KVM_CPU_RESULT_PAGE(cpu)));
		bi = (const struct kvm_boot_info *)(ram +
						    KVM_CPU_BOOT_INFO(cpu));
		snprintf(what, sizeof(what), "CPU %u boot info", cpu);
		UNIT_CHECK(bi->magic == KVM_BOOT_INFO_MAGIC &&
			   bi->vcpu_id == cpu && bi->nr_vcpus == 3 &&
			   bi->result_page == KVM_CPU_RESULT_PAGE(cpu), what);
		tst_x86_initial_sregs_cpu(&s, &l, cpu);
		tst_x86_initial_regs_cpu(&r, &l, cpu);
		snprintf(what, sizeof(what), "CPU %u TR, RSP, RDI", cpu);
		UNIT_CHECK(s.tr.selector == sel && s.tr.base == tss &&
			   r.rsp == KVM_CPU_STACK_TOP(cpu) &&
			   r.rdi == KVM_CPU_BOOT_INFO(cpu), what);
		UNIT_EQ_U64("SMP GDT limit covers the last TSS",
			    KVM_CPU_TSS_SEL(2) + 15, s.gdt.limit);
	}
	for (cpu = 1; cpu < 3; cpu++) {
		snprintf(what, sizeof(what), "CPU %u guard pages unmapped, "
			 "stacks mapped", cpu);
		UNIT_CHECK(walk(KVM_AP_IST1_GUARD(cpu)) == -1 &&
			   walk(KVM_AP_IST2_GUARD(cpu)) == -1 &&
			   walk(KVM_AP_STACK_GUARD(cpu)) == -1 &&
			   walk(KVM_AP_STACK_BOTTOM(cpu)) ==
			   KVM_AP_STACK_BOTTOM(cpu) &&
			   walk(KVM_AP_IST1_TOP(cpu) - 8) ==
			   KVM_AP_IST1_TOP(cpu) - 8, what);
	}
	UNIT_EQ_INT("no result page for a 4th CPU", -1,
		    walk(KVM_CPU_RESULT_PAGE(3)));
	UNIT_EQ_INT("no guard for a 3rd AP", KVM_AP_STACK_GUARD(3),
		    walk(KVM_AP_STACK_GUARD(3)));
}

int main(void)
{
	const struct kvm_boot_info *bi;
	unsigned int v;

	ram = calloc(1, RAM);
	layout.entry = 0x100123;
	layout.ram_size = RAM;
	layout.heap_start = 0x108000;
	layout.nx = layout.osxsave = 1;
	for (v = 0; v < 256; v++)
		layout.isr_table[v] = 0x100400 + v * 16 + 0x123456700000ULL;
	tst_x86_build_tables(ram, &layout);

	gdt();
	idt();
	page_tables();
	user_space();
	registers();
	bi = (const struct kvm_boot_info *)(ram + KVM_BOOT_INFO_BASE);
	UNIT_EQ_U64("boot info magic", KVM_BOOT_INFO_MAGIC, bi->magic);
	UNIT_EQ_U64("boot info heap", 0x108000, bi->heap_start);
	UNIT_EQ_U64("boot info heap end", RAM, bi->heap_end);
	UNIT_EQ_U64("boot info result page", KVM_RESULT_BASEADDR,
		    bi->result_page);
	smp();
	free(ram);
	return unit_done();
}
