// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/msr - architectural MSRs from the guest:
 *  - write/read round trips (table) for the SYSCALL/SYSENTER MSRs, the
 *    segment bases, PAT and TSC_AUX, each MSR restored afterwards;
 *  - #GP(0) from RDMSR and WRMSR of unimplemented MSR indices and of the
 *    x2APIC range while the APIC is not in x2APIC mode; RCX[63:32] is
 *    ignored;
 *  - #GP(0) for reserved bits: EFER reserved bits, clearing EFER.LME with
 *    paging on, invalid PAT memory types, non-canonical addresses in the
 *    MSRs the SDM lists for WRMSR;
 *  - IA32_TSC writes read back (close and monotonic) and move
 *    IA32_TSC_ADJUST by the same amount.
 * References: SDM Vol. 2B RDMSR/WRMSR, Vol. 3A 2.2.1 (EFER), 11.12.2
 * (IA32_PAT MSR), 17.17 (TSC), Vol. 4 Table 2-2; APM Vol. 2 3.1.7 (EFER),
 * Vol. 3 RDMSR/WRMSR.
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

#define MSR_IA32_XAPIC_ID	0x00000802	/* x2APIC ID register */
#define APIC_BASE_EXTD		(1ull << 10)
#define APIC_BASE_EN		(1ull << 11)
/* Canonical (48 and 57 bit) and non-canonical (both widths) addresses */
#define CANON_HI	0xffffffff81234000ull
#define CANON_LO	0x00007ffffffff000ull
#define NONCANON_1	0x8000000000000000ull
#define NONCANON_2	0x0100000000000000ull
/* IA32_PAT power-up value (SDM 11.12.4) */
#define PAT_RESET	0x0007040600070406ull
/* cycles: "close" for a read after a WRMSR of the TSC */
#define TSC_NEAR	1000000000ull

enum vendor { VENDOR_OTHER, VENDOR_INTEL, VENDOR_AMD };

static enum vendor vendor;

static enum vendor get_vendor(void)
{
	struct kvm_cpuid r;

	kvm_get_cpuid(0, 0, &r);
	/* "GenuineIntel" / "AuthenticAMD" / "HygonGenuine" in EBX, EDX, ECX */
	if (r.ebx == 0x756e6547 && r.edx == 0x49656e69 && r.ecx == 0x6c65746e)
		return VENDOR_INTEL;
	if ((r.ebx == 0x68747541 && r.edx == 0x69746e65 &&
	     r.ecx == 0x444d4163) ||
	    (r.ebx == 0x6f677948 && r.edx == 0x6e65476e &&
	     r.ecx == 0x656e6975))
		return VENDOR_AMD;
	return VENDOR_OTHER;
}

static const char *vec_name(int vec)
{
	return kvm_exception_name(vec);
}

/* #GP expected from one access; one result line. */
static void expect_gp(int vec, const char *what)
{
	if (vec == X86_GP)
		tst_res(TPASS, "%s: #GP", what);
	else
		tst_res(TFAIL, "%s: expected #GP, got %s", what, vec_name(vec));
}

/* ---- round trips ---- */

struct msr_rt {
	uint32_t index;
	const char *name;
	uint64_t feature;	/* 0: always present in 64-bit mode */
	uint64_t feature2;	/* alternative feature, 0 if none */
	uint64_t values[3];	/* written and read back, 0-terminated */
};

/*
 * Values only in fields every vendor implements: SYSENTER_CS/ESP/EIP and
 * SFMASK at 32 bits (AMD keeps SYSENTER_ESP/EIP at 32 bits, APM Vol. 2
 * "SYSENTER and SYSEXIT"; SDM Vol. 4 Table 2-2 gives IA32_FMASK bits
 * 31:0), addresses canonical (SDM Vol. 2B WRMSR), PAT entries valid
 * types only.
 */
static const struct msr_rt roundtrips[] = {
	{ MSR_STAR, "IA32_STAR", X86_FEATURE_SYSCALL, 0,
	  { 0x0023001012345678ull, 0xfedcba9876543210ull } },
	{ MSR_LSTAR, "IA32_LSTAR", X86_FEATURE_SYSCALL, 0,
	  { CANON_HI, CANON_LO } },
	{ MSR_CSTAR, "IA32_CSTAR", X86_FEATURE_SYSCALL, 0,
	  { CANON_HI, CANON_LO } },
	{ MSR_SYSCALL_MASK, "IA32_FMASK", X86_FEATURE_SYSCALL, 0,
	  { 0x00047700ull, 0x003f7fd5ull } },
	{ MSR_FS_BASE, "IA32_FS_BASE", X86_FEATURE_LM, 0,
	  { CANON_HI, CANON_LO } },
	{ MSR_GS_BASE, "IA32_GS_BASE", X86_FEATURE_LM, 0,
	  { CANON_HI, CANON_LO } },
	{ MSR_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE", X86_FEATURE_LM, 0,
	  { CANON_HI, CANON_LO } },
	{ MSR_IA32_SYSENTER_CS, "IA32_SYSENTER_CS", X86_FEATURE_SEP, 0,
	  { 0x0010ull, 0xfff8ull } },
	{ MSR_IA32_SYSENTER_ESP, "IA32_SYSENTER_ESP", X86_FEATURE_SEP, 0,
	  { 0x12345670ull, 0xfffff000ull } },
	{ MSR_IA32_SYSENTER_EIP, "IA32_SYSENTER_EIP", X86_FEATURE_SEP, 0,
	  { 0x76543210ull, 0x80001000ull } },
	/* entries UC, WC, WT, WP, WB, UC- only (SDM 11.12.3, Table 11-10) */
	{ MSR_IA32_CR_PAT, "IA32_PAT", X86_FEATURE_PAT, 0,
	  { 0x0706050401000706ull, PAT_RESET } },
	/* SDM Vol. 4 Table 2-2: TSC_AUX[31:0], with RDTSCP or RDPID */
	{ MSR_TSC_AUX, "IA32_TSC_AUX", X86_FEATURE_RDTSCP, X86_FEATURE_RDPID,
	  { 0x12345678ull, 0xfffffffeull } },
};

static int has_msr(const struct msr_rt *m)
{
	return kvm_cpu_has(m->feature) ||
	       (m->feature2 && kvm_cpu_has(m->feature2));
}

static void roundtrip(const struct msr_rt *m)
{
	uint64_t orig, val;
	int i, vec;

	if (!has_msr(m)) {
		tst_res(TCONF, "%s: its CPUID feature is not enumerated",
			m->name);
		return;
	}
	vec = kvm_rdmsr_safe(m->index, &orig);
	if (vec != KVM_NO_EXC) {
		tst_res(TFAIL, "%s (0x%x): RDMSR raised %s", m->name,
			m->index, vec_name(vec));
		return;
	}
	for (i = 0; i < 3 && m->values[i]; i++) {
		vec = kvm_wrmsr_safe(m->index, m->values[i]);
		if (vec == KVM_NO_EXC)
			vec = kvm_rdmsr_safe(m->index, &val);
		if (vec != KVM_NO_EXC)
			tst_res(TFAIL, "%s: write 0x%llx raised %s", m->name,
				(unsigned long long)m->values[i],
				vec_name(vec));
		else if (val != m->values[i])
			tst_res(TFAIL, "%s: wrote 0x%llx, read back 0x%llx",
				m->name, (unsigned long long)m->values[i],
				(unsigned long long)val);
		else
			tst_res(TPASS, "%s: wrote and read back 0x%llx",
				m->name, (unsigned long long)val);
	}
	if (kvm_wrmsr_safe(m->index, orig) != KVM_NO_EXC)
		tst_brk(TBROK, "%s: cannot restore 0x%llx", m->name,
			(unsigned long long)orig);
}

/* ---- unimplemented indices ---- */

/*
 * SDM Vol. 2B RDMSR/WRMSR, APM Vol. 3 RDMSR/WRMSR: #GP(0) for a reserved
 * or unimplemented MSR address. Indices no vendor defines.
 */
static const uint32_t bogus_msrs[] = {
	0x12345678, 0xdeadbeef, 0xc0001fff, 0xffffffff,
};

static void check_bogus(uint32_t index)
{
	uint64_t val;
	char what[64];

	snprintf(what, sizeof(what), "RDMSR of unimplemented MSR 0x%x", index);
	expect_gp(kvm_rdmsr_safe(index, &val), what);
	snprintf(what, sizeof(what), "WRMSR of unimplemented MSR 0x%x", index);
	expect_gp(kvm_wrmsr_safe(index, 0), what);
}

/*
 * SDM Vol. 3A 10.12.1.2 (x2APIC Register Address Space): RDMSR/WRMSR of
 * 800H-8FFH while IA32_APIC_BASE.EXTD = 0 (xAPIC mode or disabled): #GP.
 */
static void check_x2apic_range(void)
{
	uint64_t base, val;

	if (kvm_rdmsr_safe(MSR_IA32_APIC_BASE, &base) != KVM_NO_EXC) {
		tst_res(TFAIL, "RDMSR of IA32_APIC_BASE raised an exception");
		return;
	}
	if (base & APIC_BASE_EXTD) {
		tst_res(TCONF, "APIC is in x2APIC mode: x2APIC MSRs exist");
		return;
	}
	expect_gp(kvm_rdmsr_safe(MSR_IA32_XAPIC_ID, &val),
		  "RDMSR 0x802 (x2APIC ID) outside x2APIC mode");
	expect_gp(kvm_wrmsr_safe(MSR_IA32_XAPIC_ID, 0),
		  "WRMSR 0x802 (x2APIC ID) outside x2APIC mode");
}

/*
 * SDM Vol. 2B RDMSR: "the high-order 32 bits of RCX are ignored" in
 * 64-bit mode (also APM Vol. 3 RDMSR). RDMSR with RCX = 1:IA32_STAR.
 */
static void check_rcx_high(void)
{
	uint64_t rcx = (1ull << 32) | MSR_STAR;
	uint32_t lo = 0, hi = 0;
	uint64_t val;
	int vec;

	if (!kvm_cpu_has(X86_FEATURE_SYSCALL)) {
		tst_res(TCONF, "no SYSCALL: IA32_STAR absent");
		return;
	}
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("rdmsr")
			     : "+a"(lo), "+d"(hi) : "c"(rcx) : "memory");
	vec = kvm_exc_vector();
	val = ((uint64_t)hi << 32) | lo;
	if (vec != KVM_NO_EXC)
		tst_res(TFAIL, "RDMSR with RCX=0x%llx: expected IA32_STAR, "
			"got %s", (unsigned long long)rcx, vec_name(vec));
	else if (val != kvm_rdmsr(MSR_STAR))
		tst_res(TFAIL, "RDMSR with RCX=0x%llx: read 0x%llx, IA32_STAR "
			"is 0x%llx", (unsigned long long)rcx,
			(unsigned long long)val,
			(unsigned long long)kvm_rdmsr(MSR_STAR));
	else
		tst_res(TPASS, "RDMSR ignores RCX[63:32] (RCX=0x%llx read "
			"IA32_STAR)", (unsigned long long)rcx);
}

/* ---- EFER ---- */

struct efer_bit {
	unsigned int bit;
	const char *name;
	uint64_t feature;	/* reserved if absent; 0: always reserved */
	enum vendor defined_on;	/* VENDOR_OTHER: no vendor defines it */
};

/*
 * SDM Vol. 3A 2.2.1 (Table 2-1 IA32_EFER), APM Vol. 2 3.1.7 (Figure 3-7):
 * writing 1 to a reserved EFER bit raises #GP(0). Bits 12-15 are AMD's
 * (SVME, LMSLE, FFXSR, TCE); this picks those with a clear CPUID gate.
 */
static const struct efer_bit efer_bits[] = {
	{ 0, "SCE without CPUID SYSCALL", X86_FEATURE_SYSCALL, VENDOR_OTHER },
	{ 1, "reserved", 0, VENDOR_OTHER },
	{ 2, "reserved", 0, VENDOR_OTHER },
	{ 3, "reserved", 0, VENDOR_OTHER },
	{ 4, "reserved", 0, VENDOR_OTHER },
	{ 5, "reserved", 0, VENDOR_OTHER },
	{ 6, "reserved", 0, VENDOR_OTHER },
	{ 7, "reserved", 0, VENDOR_OTHER },
	{ 9, "reserved", 0, VENDOR_OTHER },
	{ 11, "NXE without CPUID NX", X86_FEATURE_NX, VENDOR_OTHER },
	{ 12, "SVME without CPUID SVM", X86_FEATURE_SVM, VENDOR_AMD },
	{ 14, "FFXSR without CPUID FFXSR",
	  X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 25), VENDOR_AMD },
	{ 15, "TCE without CPUID TCE",
	  X86_FEATURE(0x80000001, 0, X86_CPUID_ECX, 17), VENDOR_AMD },
	{ 16, "reserved", 0, VENDOR_OTHER },
	{ 19, "reserved", 0, VENDOR_OTHER },
	{ 22, "reserved", 0, VENDOR_OTHER },
	{ 31, "reserved", 0, VENDOR_OTHER },
	{ 32, "reserved", 0, VENDOR_OTHER },
	{ 48, "reserved", 0, VENDOR_OTHER },
	{ 63, "reserved", 0, VENDOR_OTHER },
};

static int efer_bit_reserved(const struct efer_bit *b)
{
	if (!b->feature)
		return 1;
	if (b->defined_on != VENDOR_OTHER && b->defined_on != vendor)
		return 1;
	return !kvm_cpu_has(b->feature);
}

static void check_efer_bit(const struct efer_bit *b, uint64_t efer)
{
	char what[80];

	if (!efer_bit_reserved(b))
		return;
	snprintf(what, sizeof(what), "WRMSR EFER bit %u (%s)", b->bit,
		 b->name);
	expect_gp(kvm_wrmsr_safe(MSR_EFER, efer | (1ull << b->bit)), what);
	if (kvm_rdmsr(MSR_EFER) != efer) {
		kvm_wrmsr(MSR_EFER, efer);
		tst_res(TFAIL, "EFER changed by the faulting write");
	}
}

/* EFER bits that are legal here: set (or clear) and restore. */
static void check_efer_toggle(unsigned int bit, const char *name,
	uint64_t feature, uint64_t efer)
{
	uint64_t want = efer ^ (1ull << bit), got = 0;
	int vec;

	if (!kvm_cpu_has(feature))
		return;
	vec = kvm_wrmsr_safe(MSR_EFER, want);
	if (vec == KVM_NO_EXC)
		vec = kvm_rdmsr_safe(MSR_EFER, &got);
	kvm_wrmsr(MSR_EFER, efer);
	if (vec != KVM_NO_EXC)
		tst_res(TFAIL, "EFER.%s toggle (0x%llx): %s", name,
			(unsigned long long)want, vec_name(vec));
	else
		tst_res(got == want ? TPASS : TFAIL, "EFER.%s toggle: wrote "
			"0x%llx, read 0x%llx", name, (unsigned long long)want,
			(unsigned long long)got);
}

static void check_efer(void)
{
	uint64_t efer = kvm_rdmsr(MSR_EFER);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(efer_bits); i++)
		check_efer_bit(&efer_bits[i], efer);
	/*
	 * SDM Vol. 3A 9.8.5 (Initializing IA-32e Mode), APM Vol. 2 "Enabling
	 * and Activating Long Mode":
	 * EFER.LME cannot change while paging is enabled: #GP(0).
	 */
	expect_gp(kvm_wrmsr_safe(MSR_EFER, efer & ~X86_EFER_LME),
		  "WRMSR EFER clearing LME with CR0.PG=1");
	check_efer_toggle(0, "SCE", X86_FEATURE_SYSCALL, efer);
	check_efer_toggle(11, "NXE", X86_FEATURE_NX, efer);
}

/* ---- PAT ---- */

/*
 * SDM Vol. 3A "IA32_PAT MSR": each entry's bits 2:0 are a memory type
 * (Table 11-10: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-; 2 and 3 reserved),
 * bits 7:3 reserved; "any attempt to write an invalid memory type to an
 * IA32_PAT entry generates a #GP". APM Vol. 2 7.8.1 likewise.
 */
static const uint8_t pat_invalid[] = { 2, 3, 8, 0x10, 0x42, 0x80, 0xff };

static void check_pat_entry(unsigned int entry, uint8_t type)
{
	uint64_t v = (PAT_RESET & ~(0xffull << (entry * 8))) |
		     ((uint64_t)type << (entry * 8));
	char what[80];

	snprintf(what, sizeof(what), "WRMSR IA32_PAT entry %u = 0x%02x "
		 "(0x%016llx)", entry, type, (unsigned long long)v);
	expect_gp(kvm_wrmsr_safe(MSR_IA32_CR_PAT, v), what);
}

static void check_pat(void)
{
	uint64_t orig;
	unsigned int i;

	if (!kvm_cpu_has(X86_FEATURE_PAT)) {
		tst_res(TCONF, "no CPUID PAT");
		return;
	}
	orig = kvm_rdmsr(MSR_IA32_CR_PAT);
	for (i = 0; i < ARRAY_SIZE(pat_invalid); i++)
		check_pat_entry(0, pat_invalid[i]);
	for (i = 1; i < 8; i++)
		check_pat_entry(i, i & 1 ? 2 : 3);
	if (kvm_rdmsr(MSR_IA32_CR_PAT) != orig)
		tst_res(TFAIL, "IA32_PAT changed by faulting writes: 0x%llx",
			(unsigned long long)kvm_rdmsr(MSR_IA32_CR_PAT));
	kvm_wrmsr(MSR_IA32_CR_PAT, orig);
}

/* ---- canonical addresses ---- */

struct canon_msr {
	uint32_t index;
	const char *name;
	enum vendor only;	/* VENDOR_OTHER: all vendors */
};

/*
 * SDM Vol. 2B WRMSR: #GP(0) "if the source register contains a
 * non-canonical address and ECX specifies one of IA32_DS_AREA,
 * IA32_FS_BASE, IA32_GS_BASE, IA32_KERNEL_GS_BASE, IA32_LSTAR,
 * IA32_SYSENTER_EIP, IA32_SYSENTER_ESP". APM Vol. 2 4.5.3 requires
 * canonical FS/GS bases and KernelGSbase as well; AMD implements only
 * 32 bits of SYSENTER_ESP/EIP (APM Vol. 2 "SYSENTER and SYSEXIT"), so
 * those two are Intel's rule only.
 */
static const struct canon_msr canon_msrs[] = {
	{ MSR_FS_BASE, "IA32_FS_BASE", VENDOR_OTHER },
	{ MSR_GS_BASE, "IA32_GS_BASE", VENDOR_OTHER },
	{ MSR_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE", VENDOR_OTHER },
	{ MSR_LSTAR, "IA32_LSTAR", VENDOR_OTHER },
	{ MSR_IA32_SYSENTER_EIP, "IA32_SYSENTER_EIP", VENDOR_INTEL },
	{ MSR_IA32_SYSENTER_ESP, "IA32_SYSENTER_ESP", VENDOR_INTEL },
};

static void check_canon(const struct canon_msr *m)
{
	static const uint64_t bad[] = { NONCANON_1, NONCANON_2 };
	uint64_t orig;
	char what[96];
	size_t i;

	if (m->only != VENDOR_OTHER && m->only != vendor) {
		tst_res(TCONF, "%s: canonical check is the SDM's (Intel) rule; "
			"guest CPU vendor is not Intel", m->name);
		return;
	}
	orig = kvm_rdmsr(m->index);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(what, sizeof(what), "WRMSR %s = 0x%016llx "
			 "(non-canonical)", m->name,
			 (unsigned long long)bad[i]);
		expect_gp(kvm_wrmsr_safe(m->index, bad[i]), what);
	}
	kvm_wrmsr(m->index, orig);
}

/* ---- TSC ---- */

static void tsc_check_near(const char *what, uint64_t got, uint64_t want)
{
	if (got >= want && got - want < TSC_NEAR)
		tst_res(TPASS, "%s: 0x%llx, %llu cycles after the written "
			"value", what, (unsigned long long)got,
			(unsigned long long)(got - want));
	else
		tst_res(TFAIL, "%s: expected in [0x%llx, 0x%llx), got 0x%llx",
			what, (unsigned long long)want,
			(unsigned long long)(want + TSC_NEAR),
			(unsigned long long)got);
}

/*
 * SDM Vol. 3A 17.17 (Time-Stamp Counter): WRMSR to IA32_TIME_STAMP_COUNTER
 * sets the TSC, which then keeps counting up; RDMSR and RDTSC read it.
 * 17.17.3: such a WRMSR adds the same amount to IA32_TSC_ADJUST; a WRMSR
 * to IA32_TSC_ADJUST adds its change to the TSC.
 */
static void check_tsc(void)
{
	const uint64_t jump = 1ull << 40;
	int has_adj = kvm_cpu_has(X86_FEATURE_TSC_ADJUST);
	uint64_t t0, adj0 = 0, adj1, v, delta;

	if (!kvm_cpu_has(X86_FEATURE_TSC)) {
		tst_res(TCONF, "no CPUID TSC");
		return;
	}
	if (has_adj)
		adj0 = kvm_rdmsr(MSR_IA32_TSC_ADJUST);
	t0 = kvm_rdtsc();
	v = t0 + jump;
	kvm_wrmsr(MSR_IA32_TSC, v);
	tsc_check_near("RDMSR IA32_TSC after writing it",
		       kvm_rdmsr(MSR_IA32_TSC), v);
	tsc_check_near("RDTSC after writing IA32_TSC", kvm_rdtsc(), v);
	if (!has_adj) {
		tst_res(TCONF, "no CPUID TSC_ADJUST");
		kvm_wrmsr(MSR_IA32_TSC, t0);
		return;
	}
	adj1 = kvm_rdmsr(MSR_IA32_TSC_ADJUST);
	delta = adj1 - adj0;
	/* the TSC moved by jump minus the cycles between RDTSC and WRMSR */
	if (delta <= jump && jump - delta < TSC_NEAR)
		tst_res(TPASS, "IA32_TSC_ADJUST moved by 0x%llx with a TSC "
			"write of +0x%llx", (unsigned long long)delta,
			(unsigned long long)jump);
	else
		tst_res(TFAIL, "IA32_TSC_ADJUST: expected +0x%llx (less a few "
			"cycles) after the TSC write, moved by 0x%llx",
			(unsigned long long)jump, (unsigned long long)delta);
	/* restore through IA32_TSC_ADJUST: the TSC goes back by delta */
	kvm_wrmsr(MSR_IA32_TSC_ADJUST, adj0);
	tsc_check_near("RDTSC after restoring IA32_TSC_ADJUST", kvm_rdtsc(),
		       v - delta);
}

/*
 * SDM Vol. 4 Table 2-2: IA32_TSC_AUX exists if CPUID.80000001H:EDX[27]
 * or CPUID.(7,0):ECX[22]; otherwise it is not implemented and RDMSR/WRMSR
 * raise #GP.
 */
static void check_tsc_aux_absent(void)
{
	uint64_t val;

	if (kvm_cpu_has(X86_FEATURE_RDTSCP) || kvm_cpu_has(X86_FEATURE_RDPID))
		return;
	expect_gp(kvm_rdmsr_safe(MSR_TSC_AUX, &val),
		  "RDMSR IA32_TSC_AUX without RDTSCP/RDPID");
	expect_gp(kvm_wrmsr_safe(MSR_TSC_AUX, 1),
		  "WRMSR IA32_TSC_AUX without RDTSCP/RDPID");
}

void main(void)
{
	size_t i;

	vendor = get_vendor();
	for (i = 0; i < ARRAY_SIZE(roundtrips); i++)
		roundtrip(&roundtrips[i]);
	check_tsc_aux_absent();
	for (i = 0; i < ARRAY_SIZE(bogus_msrs); i++)
		check_bogus(bogus_msrs[i]);
	check_x2apic_range();
	check_rcx_high();
	check_efer();
	check_pat();
	for (i = 0; i < ARRAY_SIZE(canon_msrs); i++)
		check_canon(&canon_msrs[i]);
	check_tsc();
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.description = "MSR round trips, #GP for unimplemented MSRs, reserved "
		       "bits and non-canonical addresses, TSC writes",
	.setup = tst_kvm_setup,
	.test_all = tst_kvm_run,
	.cleanup = tst_kvm_cleanup,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
