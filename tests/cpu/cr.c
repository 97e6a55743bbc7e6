// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/cr - MOV to control registers in 64-bit mode: every write the
 * architecture forbids raises #GP(0) and leaves the register unchanged,
 * and a few legal writes succeed and read back.
 *  - CR4: each bit that is reserved here (undefined, or defined but its
 *    CPUID feature is absent), changing LA57 in IA-32e mode, clearing PAE,
 *    PCIDE=1 with CR3[11:0] != 0;
 *  - CR0: bits 63:32, PG=1 with PE=0, NW=1 with CD=0, clearing PG in
 *    64-bit mode; ET reads 1;
 *  - CR3: bits at and above MAXPHYADDR;
 *  - CR8: bits 63:4;
 *  - legal: toggling CR4 bits whose feature is present (PGE, OSXMMEXCPT,
 *    ...) and CR0.WP/AM/MP/TS, CR3 PWT/PCD, CR8 values 0-15.
 * References: SDM Vol. 3A 2.5 (Control Registers), 4.5 (4-level paging,
 * CR3), 4.10.1 (PCIDs), 9.8.5 (IA-32e mode); SDM Vol. 2B "MOV—Move to/from
 * Control Registers" (#GP conditions); APM Vol. 2 3.1 and Vol. 3 MOV CRn.
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

#define CR3_PWT		(1ul << 3)
#define CR3_PCD		(1ul << 4)

static int write_cr3_safe(unsigned long v)
{
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("mov %0, %%cr3")
			     :: "r"(v) : "memory");
	return kvm_exc_vector();
}

static int write_cr8_safe(unsigned long v)
{
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("mov %0, %%cr8")
			     :: "r"(v) : "memory");
	return kvm_exc_vector();
}

static unsigned long read_cr8(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr8, %0" : "=r"(v));
	return v;
}

static void write_cr8(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr8" :: "r"(v) : "memory");
}

struct creg {
	const char *name;
	unsigned long (*read)(void);
	int (*write_safe)(unsigned long);
};

static const struct creg cr0 = { "CR0", kvm_read_cr0, kvm_write_cr0_safe };
static const struct creg cr3 = { "CR3", kvm_read_cr3, write_cr3_safe };
static const struct creg cr4 = { "CR4", kvm_read_cr4, kvm_write_cr4_safe };
static const struct creg cr8 = { "CR8", read_cr8, write_cr8_safe };

/*
 * Writes @val to @r expecting #GP(0); the register must keep its value.
 * If the write was taken, the original value is put back at once.
 */
static void expect_gp(const struct creg *r, unsigned long val,
	const char *why)
{
	unsigned long orig = r->read(), now;
	int vec = r->write_safe(val);
	unsigned long ec = kvm_last_exc.errcode;

	now = r->read();
	if (now != orig)
		r->write_safe(orig);
	if (vec == KVM_NO_EXC)
		tst_res(TFAIL, "%s = 0x%lx (%s): expected #GP, got no "
			"exception (%s then read 0x%lx)", r->name, val, why,
			r->name, now);
	else if (vec != X86_GP)
		tst_res(TFAIL, "%s = 0x%lx (%s): expected #GP, got %s",
			r->name, val, why, kvm_exception_name(vec));
	else if (ec)
		tst_res(TFAIL, "%s = 0x%lx (%s): #GP error code 0x%lx, "
			"expected 0", r->name, val, why, ec);
	else if (now != orig)
		tst_res(TFAIL, "%s = 0x%lx (%s): #GP but %s changed from "
			"0x%lx to 0x%lx", r->name, val, why, r->name, orig,
			now);
	else
		tst_res(TPASS, "%s = 0x%lx (%s): #GP(0)", r->name, val, why);
}

/* Writes @val expecting success and @val on read back; restores. */
static void expect_ok(const struct creg *r, unsigned long val,
	unsigned long want, const char *why)
{
	unsigned long orig = r->read(), now;
	int vec = r->write_safe(val);

	now = r->read();
	if (r->write_safe(orig) != KVM_NO_EXC)
		tst_brk(TBROK, "%s: cannot restore 0x%lx", r->name, orig);
	if (vec != KVM_NO_EXC)
		tst_res(TFAIL, "%s = 0x%lx (%s): expected success, got %s",
			r->name, val, why, kvm_exception_name(vec));
	else if (now != want)
		tst_res(TFAIL, "%s = 0x%lx (%s): reads 0x%lx, expected 0x%lx",
			r->name, val, why, now, want);
	else
		tst_res(TPASS, "%s = 0x%lx (%s): accepted, reads 0x%lx",
			r->name, val, why, now);
}

/* ---- CR4 ---- */

struct cr4_bit {
	unsigned int bit;
	const char *name;
	uint64_t feature;	/* defined iff this CPUID flag is 1 */
	uint64_t feature2;	/* or this one; 0 if none */
};

#define F(leaf, sub, reg, bit) X86_FEATURE(leaf, sub, X86_CPUID_##reg, bit)
#define CR4_UNDEFINED(b) { (b), "reserved", 0, 0 }

/*
 * SDM Vol. 3A 2.5 (Figure 2-7 and the CR4 flag list, each later feature
 * naming its CPUID enumeration), APM Vol. 2 3.1.3: a CR4 bit is reserved
 * if it is undefined or its feature is not enumerated by CPUID, and
 * setting a reserved bit raises #GP(0) (SDM Vol. 2B MOV CR, 64-bit mode:
 * "write a 1 to any reserved bit in CR4"; Vol. 3A 2.5: bits 63:32 of CR4
 * are reserved). PAE, LA57 and PCIDE have their own checks. The bits of
 * the original Pentium/P6 features (VME ... PCE, OSFXSR, OSXMMEXCPT) are
 * defined on every 64-bit processor and are only toggled, below.
 */
static const struct cr4_bit cr4_bits[] = {
	{ 11, "UMIP", F(7, 0, ECX, 2), 0 },
	{ 13, "VMXE", F(1, 0, ECX, 5), 0 },
	{ 14, "SMXE", F(1, 0, ECX, 6), 0 },
	CR4_UNDEFINED(15),
	{ 16, "FSGSBASE", F(7, 0, EBX, 0), 0 },
	{ 17, "PCIDE", F(1, 0, ECX, 17), 0 },
	{ 18, "OSXSAVE", F(1, 0, ECX, 26), 0 },
	{ 19, "KL", F(7, 0, ECX, 23), 0 },
	{ 20, "SMEP", F(7, 0, EBX, 7), 0 },
	{ 21, "SMAP", F(7, 0, EBX, 20), 0 },
	{ 22, "PKE", F(7, 0, ECX, 3), 0 },
	{ 23, "CET", F(7, 0, ECX, 7), F(7, 0, EDX, 20) },
	{ 24, "PKS", F(7, 0, ECX, 31), 0 },
	{ 25, "UINTR", F(7, 0, EDX, 5), 0 },
	CR4_UNDEFINED(26), CR4_UNDEFINED(27),
	{ 28, "LAM_SUP", F(7, 1, EAX, 26), 0 },
	CR4_UNDEFINED(29), CR4_UNDEFINED(30), CR4_UNDEFINED(31),
	{ 32, "FRED", F(7, 1, EAX, 17), 0 },
	CR4_UNDEFINED(33), CR4_UNDEFINED(34), CR4_UNDEFINED(35),
	CR4_UNDEFINED(36), CR4_UNDEFINED(37), CR4_UNDEFINED(38),
	CR4_UNDEFINED(39), CR4_UNDEFINED(40), CR4_UNDEFINED(41),
	CR4_UNDEFINED(42), CR4_UNDEFINED(43), CR4_UNDEFINED(44),
	CR4_UNDEFINED(45), CR4_UNDEFINED(46), CR4_UNDEFINED(47),
	CR4_UNDEFINED(48), CR4_UNDEFINED(49), CR4_UNDEFINED(50),
	CR4_UNDEFINED(51), CR4_UNDEFINED(52), CR4_UNDEFINED(53),
	CR4_UNDEFINED(54), CR4_UNDEFINED(55), CR4_UNDEFINED(56),
	CR4_UNDEFINED(57), CR4_UNDEFINED(58), CR4_UNDEFINED(59),
	CR4_UNDEFINED(60), CR4_UNDEFINED(61), CR4_UNDEFINED(62),
	CR4_UNDEFINED(63),
};

/*
 * CR4 bits that are safe to toggle in ring 0 with this environment's
 * page tables (no user pages, no FP instructions), when the feature that
 * defines them is enumerated (feature 0: no CPUID flag; SDM Vol. 3A 2.5).
 */
static const struct cr4_bit cr4_toggles[] = {
	{ 0, "VME", F(1, 0, EDX, 1), 0 },
	{ 1, "PVI", F(1, 0, EDX, 1), 0 },
	{ 2, "TSD", F(1, 0, EDX, 4), 0 },
	{ 3, "DE", F(1, 0, EDX, 2), 0 },
	{ 4, "PSE", F(1, 0, EDX, 3), 0 },
	{ 6, "MCE", F(1, 0, EDX, 7), 0 },
	{ 7, "PGE", F(1, 0, EDX, 13), 0 },
	{ 8, "PCE", 0, 0 },		/* no CPUID flag: since the P6 */
	{ 10, "OSXMMEXCPT", F(1, 0, EDX, 25), 0 },
	{ 11, "UMIP", F(7, 0, ECX, 2), 0 },
	{ 16, "FSGSBASE", F(7, 0, EBX, 0), 0 },
	{ 20, "SMEP", F(7, 0, EBX, 7), 0 },
	{ 21, "SMAP", F(7, 0, EBX, 20), 0 },
};

static int cr4_bit_defined(const struct cr4_bit *b)
{
	if (!b->feature)
		return 0;
	return kvm_cpu_has(b->feature) ||
	       (b->feature2 && kvm_cpu_has(b->feature2));
}

static void check_cr4_reserved(void)
{
	unsigned long v = kvm_read_cr4();
	unsigned int skipped = 0;
	char why[48];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cr4_bits); i++) {
		const struct cr4_bit *b = &cr4_bits[i];

		if (cr4_bit_defined(b) || (v & (1ul << b->bit))) {
			skipped++;
			continue;
		}
		snprintf(why, sizeof(why), "bit %u %s%s", b->bit, b->name,
			 b->feature ? " without its CPUID flag" : "");
		expect_gp(&cr4, v | (1ul << b->bit), why);
	}
	tst_res(TINFO, "CR4: %u defined bits not tested as reserved",
		skipped);
}

static void check_cr4_toggles(void)
{
	unsigned long v = kvm_read_cr4();
	char why[48];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cr4_toggles); i++) {
		const struct cr4_bit *b = &cr4_toggles[i];
		unsigned long nv = v ^ (1ul << b->bit);

		if (b->feature && !cr4_bit_defined(b))
			continue;
		snprintf(why, sizeof(why), "toggle bit %u %s", b->bit,
			 b->name);
		expect_ok(&cr4, nv, nv, why);
	}
}

static void check_cr4_special(void)
{
	unsigned long v = kvm_read_cr4();

	/*
	 * SDM Vol. 2B MOV CR, 64-bit mode #GP: "an attempt is made to change
	 * CR4.LA57" while IA32_EFER.LMA = 1 (reserved anyway without
	 * CPUID.(7,0):ECX[16]); and "to clear CR4.PAE" (leave IA-32e mode).
	 */
	expect_gp(&cr4, v ^ X86_CR4_LA57, "change LA57 with EFER.LMA=1");
	expect_gp(&cr4, v & ~X86_CR4_PAE, "clear PAE with EFER.LMA=1");
}

/*
 * SDM Vol. 3A 4.10.1, Vol. 2B MOV CR: setting CR4.PCIDE while
 * CR3[11:0] != 0 raises #GP(0). Needs CPUID PCID (else bit 17 is reserved,
 * checked above).
 */
static void check_pcide(void)
{
	unsigned long c3 = kvm_read_cr3(), c4 = kvm_read_cr4();

	if (!kvm_cpu_has(X86_FEATURE_PCID)) {
		tst_res(TCONF, "no CPUID PCID: PCIDE with CR3[11:0] != 0 not "
			"tested");
		return;
	}
	if (write_cr3_safe(c3 | CR3_PWT) != KVM_NO_EXC)
		tst_brk(TBROK, "cannot set CR3.PWT");
	expect_gp(&cr4, c4 | X86_CR4_PCIDE, "PCIDE=1 with CR3[11:0]=0x008");
	kvm_write_cr3(c3);
	if (!(c3 & 0xfff))
		expect_ok(&cr4, c4 | X86_CR4_PCIDE, c4 | X86_CR4_PCIDE,
			  "PCIDE=1 with CR3[11:0]=0");
}

/* ---- CR0 ---- */

static void check_cr0(void)
{
	static const unsigned int high_bits[] = { 32, 33, 47, 63 };
	static const struct {
		unsigned long bit;
		const char *name;
	} toggles[] = {
		{ X86_CR0_WP, "toggle WP" },
		{ X86_CR0_AM, "toggle AM" },
		{ X86_CR0_MP, "toggle MP" },
		{ X86_CR0_TS, "toggle TS" },
	};
	unsigned long v = kvm_read_cr0();
	char why[48];
	size_t i;

	/* SDM Vol. 2B MOV CR: "a 1 to any reserved bit in CR0[63:32]" */
	for (i = 0; i < ARRAY_SIZE(high_bits); i++) {
		snprintf(why, sizeof(why), "reserved bit %u", high_bits[i]);
		expect_gp(&cr0, v | (1ul << high_bits[i]), why);
	}
	/* SDM Vol. 3A 2.5 (PG needs PE; NW=1 needs CD=1), Vol. 2B MOV CR */
	expect_gp(&cr0, v & ~X86_CR0_PE, "PG=1 with PE=0");
	expect_gp(&cr0, (v | X86_CR0_NW) & ~X86_CR0_CD, "NW=1 with CD=0");
	/*
	 * SDM Vol. 3A 9.8.5.4: paging can only be turned off from
	 * compatibility mode; MOV CR0 clearing PG in 64-bit mode: #GP(0).
	 */
	expect_gp(&cr0, v & ~X86_CR0_PG, "clear PG in 64-bit mode");
	for (i = 0; i < ARRAY_SIZE(toggles); i++)
		expect_ok(&cr0, v ^ toggles[i].bit, v ^ toggles[i].bit,
			  toggles[i].name);
	/* SDM Vol. 3A 2.5: ET is reserved and hardwired to 1 */
	expect_ok(&cr0, v & ~X86_CR0_ET, v | X86_CR0_ET,
		  "ET=0 written, reads 1");
}

/* ---- CR3 ---- */

static unsigned int maxphyaddr(void)
{
	struct kvm_cpuid r;

	kvm_get_cpuid(0x80000000, 0, &r);
	if (r.eax < 0x80000008)
		return 36;	/* SDM Vol. 3A 4.1.4 */
	kvm_get_cpuid(0x80000008, 0, &r);
	return r.eax & 0xff;
}

static void check_cr3(void)
{
	unsigned int maxpa = maxphyaddr();
	unsigned int bits[] = { maxpa, maxpa + 1, 51, 52, 62 };
	unsigned long v = kvm_read_cr3();
	char why[64];
	size_t i;

	tst_res(TINFO, "MAXPHYADDR %u", maxpa);
	/*
	 * SDM Vol. 3A 4.5 (Table 4-12: CR3 bits M-1:12 are the PML4 address,
	 * bits 63:M reserved), Vol. 2B MOV CR: "a 1 to any reserved bit in
	 * CR3[63:MAXPHYADDR]" raises #GP(0).
	 */
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (bits[i] >= 63 || (i && bits[i] <= bits[i - 1]))
			continue;
		snprintf(why, sizeof(why), "bit %u, MAXPHYADDR %u", bits[i],
			 maxpa);
		expect_gp(&cr3, v | (1ul << bits[i]), why);
	}
	/* SDM Vol. 3A 4.5, Table 4-12: PWT and PCD are CR3 bits 3 and 4 */
	expect_ok(&cr3, v | CR3_PWT | CR3_PCD, v | CR3_PWT | CR3_PCD,
		  "PWT|PCD");
	expect_ok(&cr3, v, v, "reload");
}

/* ---- CR8 ---- */

static void check_cr8(void)
{
	static const unsigned int bits[] = { 4, 8, 31, 32, 63 };
	static const unsigned long vals[] = { 0x1, 0x5, 0xf };
	char why[48];
	size_t i;

	/* SDM Vol. 2B MOV CR: "a 1 to any reserved bit in CR8" (63:4) */
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		snprintf(why, sizeof(why), "reserved bit %u", bits[i]);
		expect_gp(&cr8, 1ul << bits[i], why);
	}
	/* SDM Vol. 3A 2.5 (CR8 = task priority, bits 3:0) */
	for (i = 0; i < ARRAY_SIZE(vals); i++)
		expect_ok(&cr8, vals[i], vals[i], "priority class");
	write_cr8(0);
}

void main(void)
{
	check_cr4_reserved();
	check_cr4_special();
	check_pcide();
	check_cr4_toggles();
	check_cr0();
	check_cr3();
	check_cr8();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.description = "MOV to CR0/CR3/CR4/CR8: #GP(0) for reserved bits and "
		       "illegal combinations, legal writes succeed",
	.setup = tst_kvm_setup,
	.test_all = tst_kvm_run,
	.cleanup = tst_kvm_cleanup,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
