// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/cpuid - CPUID in the guest returns what the host set with
 * KVM_SET_CPUID2.
 *
 * Part 1: the host sets the supported CPUID list, with the APIC ID fields
 * set to the vCPU's own ID as a VMM must, and copies it into the guest
 * (cpuid_table). The guest executes CPUID for every entry and
 * compares all four registers, one result line per leaf/subleaf. The
 * fields the architecture defines as dynamic are left out of that
 * comparison and checked on their own lines against the value their rule
 * gives: initial APIC ID, OSXSAVE, OSPKE, the APIC flag, the XSAVE area
 * sizes and the x2APIC/extended APIC IDs. OSXSAVE and OSPKE are also read
 * after toggling CR4.OSXSAVE / CR4.PKE.
 *
 * The APIC ID fields are also read after the host moved the vCPU thread
 * to each host CPU: an APIC ID belongs to the logical processor and does
 * not change with where the VMM happens to run it.
 *
 * Part 2: in a second VM the host clears feature bits the guest
 * environment does not depend on (leaf 1 ECX/EDX, leaf 7 EBX,
 * 0x80000001 ECX/EDX) before the first run; the guest checks that each
 * reads as 0.
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"
#include "x86_defs.h"

#define MAX_LEAVES	256
#define HC_GET_XCR0	1
/*
 * Move the vCPU thread to the arg-th allowed host CPU; answers its
 * number, or HC_NO_CPU if there are fewer.
 */
#define HC_MIGRATE	2
#define HC_NO_CPU	0xffffffffu

/* One CPUID entry as the host set it (from struct kvm_cpuid_entry2). */
struct cpuid_leaf {
	uint32_t function, index, flags;
	uint32_t regs[4];	/* EAX, EBX, ECX, EDX */
};

/* KVM_CPUID_FLAG_SIGNIFCANT_INDEX (linux/kvm.h) */
#define LEAF_INDEXED	1

/*
 * Part 2 candidates: feature flags that neither the host nor the guest
 * runtime relies on. The host clears those the supported list has; the
 * guest gets the mask of cleared entries in host_arg.
 */
struct feature_bit {
	uint64_t feature;
	const char *name;
};

static const struct feature_bit clear_candidates[] = {
	{ X86_FEATURE(1, 0, X86_CPUID_EDX, 12), "MTRR" },
	{ X86_FEATURE(1, 0, X86_CPUID_EDX, 14), "MCA" },
	{ X86_FEATURE(1, 0, X86_CPUID_EDX, 17), "PSE-36" },
	{ X86_FEATURE(1, 0, X86_CPUID_EDX, 19), "CLFSH" },
	{ X86_FEATURE(1, 0, X86_CPUID_ECX, 0), "SSE3" },
	{ X86_FEATURE(1, 0, X86_CPUID_ECX, 9), "SSSE3" },
	{ X86_FEATURE(1, 0, X86_CPUID_ECX, 13), "CMPXCHG16B" },
	{ X86_FEATURE(1, 0, X86_CPUID_ECX, 21), "x2APIC" },
	{ X86_FEATURE(1, 0, X86_CPUID_ECX, 23), "POPCNT" },
	{ X86_FEATURE(1, 0, X86_CPUID_ECX, 24), "TSC-Deadline" },
	{ X86_FEATURE(1, 0, X86_CPUID_ECX, 30), "RDRAND" },
	{ X86_FEATURE(7, 0, X86_CPUID_EBX, 1), "IA32_TSC_ADJUST" },
	{ X86_FEATURE(7, 0, X86_CPUID_EBX, 3), "BMI1" },
	{ X86_FEATURE(7, 0, X86_CPUID_EBX, 8), "BMI2" },
	{ X86_FEATURE(7, 0, X86_CPUID_EBX, 18), "RDSEED" },
	{ X86_FEATURE(7, 0, X86_CPUID_EBX, 19), "ADX" },
	{ X86_FEATURE(7, 0, X86_CPUID_EBX, 23), "CLFLUSHOPT" },
	{ X86_FEATURE(7, 0, X86_CPUID_EBX, 24), "CLWB" },
	{ X86_FEATURE(0x80000001, 0, X86_CPUID_ECX, 5), "ABM/LZCNT" },
	{ X86_FEATURE(0x80000001, 0, X86_CPUID_ECX, 8), "PREFETCHW" },
	{ X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 26), "1-GByte pages" },
	{ X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 27), "RDTSCP" },
};

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

/* Written by the host before the first KVM_RUN. */
struct cpuid_leaf cpuid_table[MAX_LEAVES];
uint32_t cpuid_nent;
uint32_t part;

static const char *const reg_names[4] = { "EAX", "EBX", "ECX", "EDX" };

#define BIT(n) (1u << (n))
#define XSAVE_LEGACY_SIZE	512
#define XSAVE_HDR_SIZE		64
#define MSR_IA32_XSS		0x00000da0
#define APIC_BASE_EN		(1ull << 11)

/*
 * A dynamic field: the bits @mask of @reg in leaf @function/@index do not
 * come from the host's table but from a rule over the vCPU state; @rule
 * returns the expected value of those bits (in place).
 */
struct dyn_rule {
	uint32_t function;
	int any_index;
	uint32_t index;
	int reg;
	uint32_t mask;
	const char *name;
	uint32_t (*rule)(const struct cpuid_leaf *leaf);
	/* NULL: the field is always dynamic */
	int (*applies)(const struct cpuid_leaf *leaf);
};

static const struct cpuid_leaf *find_leaf(uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < cpuid_nent; i++) {
		const struct cpuid_leaf *l = &cpuid_table[i];

		if (l->function == function &&
		    (!(l->flags & LEAF_INDEXED) || l->index == index))
			return l;
	}
	return NULL;
}

static uint32_t apic_id(void)
{
	/*
	 * KVM ABI (Documentation/virt/kvm/api.rst, KVM_CREATE_VCPU): the
	 * vCPU id is the initial APIC ID; the framework puts it in the
	 * boot info.
	 */
	return kvm_boot_info()->vcpu_id;
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* XCR0: XGETBV when CR4.OSXSAVE allows it, else KVM_GET_XCRS by the host. */
static uint64_t read_xcr0(void)
{
	if (kvm_read_cr4() & X86_CR4_OSXSAVE)
		return xgetbv0();
	return tst_host_call(HC_GET_XCR0, 0);
}

/*
 * Size of an XSAVE area holding the components in @mask (SDM Vol. 1
 * 13.4.3 standard format: component i at CPUID.(0DH,i).EBX; 13.4.3
 * compacted format: packed after the header, 64-byte aligned if
 * CPUID.(0DH,i).ECX[1]). Offsets and sizes from the host's table.
 */
static uint32_t xsave_size(uint64_t mask, int compacted)
{
	uint32_t size = XSAVE_LEGACY_SIZE + XSAVE_HDR_SIZE;
	unsigned int i;

	for (i = 2; i < 64; i++) {
		const struct cpuid_leaf *c = find_leaf(0xd, i);
		uint32_t end;

		if (!(mask & (1ull << i)) || !c)
			continue;
		if (compacted) {
			if (c->regs[2] & BIT(1))
				size = LTP_ALIGN(size, 64);
			size += c->regs[0];
			continue;
		}
		end = c->regs[1] + c->regs[0];
		if (end > size)
			size = end;
	}
	return size;
}

/* SDM Vol. 2A CPUID, Table 3-8, leaf 01H EBX[31:24] */
static uint32_t rule_initial_apic_id(const struct cpuid_leaf *l)
{
	(void)l;
	return apic_id() << 24;
}

/* SDM Vol. 2A CPUID, Table 3-10, leaf 01H ECX[27]: mirrors CR4.OSXSAVE */
static uint32_t rule_osxsave(const struct cpuid_leaf *l)
{
	(void)l;
	return (kvm_read_cr4() & X86_CR4_OSXSAVE) ? BIT(27) : 0;
}

/*
 * SDM Vol. 3A 10.4.3 (Enabling or Disabling the Local APIC): with
 * IA32_APIC_BASE[11] = 0 the processor is without an APIC and
 * CPUID.01H:EDX.APIC[9] reads 0; otherwise the flag as enumerated.
 */
static uint32_t rule_apic(const struct cpuid_leaf *l)
{
	uint64_t base;

	if (kvm_rdmsr_safe(MSR_IA32_APIC_BASE, &base) != KVM_NO_EXC)
		base = 0;
	return (base & APIC_BASE_EN) ? (l->regs[3] & BIT(9)) : 0;
}

/* SDM Vol. 2A CPUID leaf 07H ECX[4] OSPKE: mirrors CR4.PKE */
static uint32_t rule_ospke(const struct cpuid_leaf *l)
{
	(void)l;
	return (kvm_read_cr4() & X86_CR4_PKE) ? BIT(4) : 0;
}

/* SDM Vol. 2A CPUID leaf 0DH, ECX=0, EBX: size for the features in XCR0 */
static uint32_t rule_xsave_size(const struct cpuid_leaf *l)
{
	(void)l;
	return xsave_size(read_xcr0(), 0);
}

/*
 * SDM Vol. 2A CPUID leaf 0DH, ECX=1, EBX: size (compacted format) for
 * XCR0 | IA32_XSS. Dynamic where the host's table enumerates XSAVEC or
 * XSAVES (EAX[1], EAX[3]); IA32_XSS exists only with XSAVES (SDM Vol. 4
 * Table 2-2).
 */
static int has_xsavec(const struct cpuid_leaf *l)
{
	return !!(l->regs[0] & (BIT(1) | BIT(3)));
}

static uint32_t rule_xsaves_size(const struct cpuid_leaf *l)
{
	uint64_t xss = 0;

	if (l->regs[0] & BIT(3))
		kvm_rdmsr_safe(MSR_IA32_XSS, &xss);
	return xsave_size(read_xcr0() | xss, 1);
}

/* SDM Vol. 2A CPUID leaves 0BH and 1FH, EDX: x2APIC ID of this CPU */
static uint32_t rule_x2apic_id(const struct cpuid_leaf *l)
{
	(void)l;
	return apic_id();
}

/* APM Vol. 3 E.4.24, Fn8000_001E_EAX: ExtendedApicId */
static uint32_t rule_ext_apic_id(const struct cpuid_leaf *l)
{
	(void)l;
	return apic_id();
}

static const struct dyn_rule dyn_rules[] = {
	{ 1, 0, 0, X86_CPUID_EBX, 0xff000000u, "initial APIC ID",
	  rule_initial_apic_id },
	{ 1, 0, 0, X86_CPUID_ECX, BIT(27), "OSXSAVE (= CR4.OSXSAVE)",
	  rule_osxsave },
	{ 1, 0, 0, X86_CPUID_EDX, BIT(9), "APIC (0 if IA32_APIC_BASE.EN=0)",
	  rule_apic },
	{ 7, 0, 0, X86_CPUID_ECX, BIT(4), "OSPKE (= CR4.PKE)", rule_ospke },
	{ 0xd, 0, 0, X86_CPUID_EBX, ~0u, "XSAVE size for XCR0",
	  rule_xsave_size },
	{ 0xd, 0, 1, X86_CPUID_EBX, ~0u, "XSAVES size for XCR0|XSS",
	  rule_xsaves_size, has_xsavec },
	{ 0xb, 1, 0, X86_CPUID_EDX, ~0u, "x2APIC ID", rule_x2apic_id },
	{ 0x1f, 1, 0, X86_CPUID_EDX, ~0u, "x2APIC ID", rule_x2apic_id },
	{ 0x8000001e, 0, 0, X86_CPUID_EAX, ~0u, "extended APIC ID",
	  rule_ext_apic_id },
};

static int rule_applies(const struct dyn_rule *r, const struct cpuid_leaf *l)
{
	if (r->function != l->function)
		return 0;
	if (!r->any_index && (l->flags & LEAF_INDEXED) && r->index != l->index)
		return 0;
	return !r->applies || r->applies(l);
}

static void cpuid_of(const struct cpuid_leaf *l, uint32_t regs[4])
{
	struct kvm_cpuid r;

	kvm_get_cpuid(l->function, l->index, &r);
	regs[0] = r.eax;
	regs[1] = r.ebx;
	regs[2] = r.ecx;
	regs[3] = r.edx;
}

static void check_dynamic(const struct cpuid_leaf *l, const uint32_t got[4],
	uint32_t dyn_mask[4])
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dyn_rules); i++) {
		const struct dyn_rule *r = &dyn_rules[i];
		uint32_t exp, val;

		if (!rule_applies(r, l))
			continue;
		dyn_mask[r->reg] |= r->mask;
		exp = r->rule(l) & r->mask;
		val = got[r->reg] & r->mask;
		tst_res(exp == val ? TPASS : TFAIL,
			"CPUID.(EAX=0x%x,ECX=%u).%s & 0x%08x (%s): expected "
			"0x%08x, got 0x%08x", l->function, l->index,
			reg_names[r->reg], r->mask, r->name, exp, val);
	}
}

static void check_leaf(const struct cpuid_leaf *l)
{
	uint32_t got[4], dyn[4] = { 0 };
	int bad = 0, i;

	cpuid_of(l, got);
	check_dynamic(l, got, dyn);
	for (i = 0; i < 4; i++) {
		uint32_t diff = (got[i] ^ l->regs[i]) & ~dyn[i];

		if (!diff)
			continue;
		bad = 1;
		tst_res(TFAIL, "CPUID.(EAX=0x%x,ECX=%u).%s: expected 0x%08x "
			"(host table), got 0x%08x, differing bits 0x%08x%s",
			l->function, l->index, reg_names[i], l->regs[i],
			got[i], diff, dyn[i] ? " (dynamic bits excluded)" : "");
	}
	if (!bad)
		tst_res(TPASS, "CPUID.(EAX=0x%x,ECX=%u) = %08x %08x %08x %08x "
			"as set", l->function, l->index, got[0], got[1],
			got[2], got[3]);
}

/*
 * SDM Vol. 3A 10.4.6 (Local APIC ID): the initial APIC ID is assigned at
 * power-up and CPUID reports it, so it reads the same wherever the host
 * runs the vCPU. Leaves 01H EBX[31:24] and 0BH EDX (SDM Vol. 2A CPUID).
 */
static void check_apic_id_stable(void)
{
	struct kvm_cpuid r;
	uint32_t i, cpu;

	for (i = 0; (cpu = tst_host_call(HC_MIGRATE, i)) != HC_NO_CPU; i++) {
		kvm_get_cpuid(1, 0, &r);
		tst_res(r.ebx >> 24 == apic_id() ? TPASS : TFAIL,
			"CPUID.01H:EBX[31:24] (initial APIC ID) with the vCPU "
			"on host CPU %u: expected %u, got %u", cpu, apic_id(),
			r.ebx >> 24);
		if (!find_leaf(0xb, 0))
			continue;
		kvm_get_cpuid(0xb, 0, &r);
		tst_res(r.edx == apic_id() ? TPASS : TFAIL,
			"CPUID.(EAX=0BH,ECX=0).EDX (x2APIC ID) with the vCPU "
			"on host CPU %u: expected %u, got %u", cpu, apic_id(),
			r.edx);
	}
}

struct cr4_mirror {
	unsigned long cr4_bit;
	const char *name;
	uint64_t needs;		/* CPUID flag that makes the bit legal */
	uint64_t mirror;	/* the CPUID flag that mirrors it */
};

/*
 * SDM Vol. 2A CPUID: CPUID.01H:ECX.OSXSAVE[27] and CPUID.(7,0):ECX.OSPKE[4]
 * reflect the current CR4.OSXSAVE and CR4.PKE: toggling the CR4 bit flips
 * the CPUID bit.
 */
static const struct cr4_mirror cr4_mirrors[] = {
	{ X86_CR4_OSXSAVE, "OSXSAVE", X86_FEATURE_XSAVE,
	  X86_FEATURE(1, 0, X86_CPUID_ECX, 27) },
	{ X86_CR4_PKE, "OSPKE", X86_FEATURE_PKU,
	  X86_FEATURE(7, 0, X86_CPUID_ECX, 4) },
};

static void check_cr4_mirror(const struct cr4_mirror *m)
{
	unsigned long cr4 = kvm_read_cr4(), nv = cr4 ^ m->cr4_bit;
	int vec, got;

	if (!kvm_cpu_has(m->needs)) {
		tst_res(TCONF, "%s: its feature is not enumerated", m->name);
		return;
	}
	vec = kvm_write_cr4_safe(nv);
	if (vec != KVM_NO_EXC) {
		tst_res(TINFO, "%s: CR4 0x%lx not accepted (%s), see cpu/cr",
			m->name, nv, kvm_exception_name(vec));
		return;
	}
	got = kvm_cpu_has(m->mirror);
	kvm_write_cr4(cr4);
	tst_res(got == !!(nv & m->cr4_bit) ? TPASS : TFAIL, "CPUID %s after "
		"CR4 changed to 0x%lx: expected %d, got %d", m->name, nv,
		!!(nv & m->cr4_bit), got);
}

static void part_compare(void)
{
	uint32_t i;

	if (!cpuid_nent)
		tst_brk(TBROK, "host passed no CPUID entries");
	tst_res(TINFO, "comparing %u CPUID entries with the host's table",
		cpuid_nent);
	for (i = 0; i < cpuid_nent; i++)
		check_leaf(&cpuid_table[i]);
	for (i = 0; i < ARRAY_SIZE(cr4_mirrors); i++)
		check_cr4_mirror(&cr4_mirrors[i]);
	check_apic_id_stable();
}

static void check_cleared(const struct feature_bit *f)
{
	struct kvm_cpuid r;
	uint32_t regs[4];
	unsigned int leaf = X86_FEATURE_LEAF(f->feature);
	unsigned int sub = X86_FEATURE_SUBLEAF(f->feature);
	unsigned int reg = X86_FEATURE_REG(f->feature);
	unsigned int bit = X86_FEATURE_BIT(f->feature);

	kvm_get_cpuid(leaf, sub, &r);
	regs[0] = r.eax;
	regs[1] = r.ebx;
	regs[2] = r.ecx;
	regs[3] = r.edx;
	/*
	 * KVM ABI (api.rst, KVM_SET_CPUID2): the guest's CPUID returns
	 * the entries user space set; a flag the host cleared reads 0.
	 */
	tst_res((regs[reg] >> bit) & 1 ? TFAIL : TPASS,
		"CPUID.(EAX=0x%x,ECX=%u).%s[%u] (%s) cleared by the host: "
		"reads %u (register 0x%08x)", leaf, sub, reg_names[reg], bit,
		f->name, (regs[reg] >> bit) & 1, regs[reg]);
}

static void part_cleared(void)
{
	uint64_t mask = kvm_boot_info()->host_arg;
	size_t i;

	if (!mask)
		tst_brk(TCONF, "none of the candidate feature bits is in the "
			"supported CPUID: nothing to clear");
	for (i = 0; i < ARRAY_SIZE(clear_candidates); i++) {
		if (mask & (1ull << i))
			check_cleared(&clear_candidates[i]);
	}
}

void main(void)
{
	if (part == 1)
		part_compare();
	else if (part == 2)
		part_cleared();
	else
		tst_brk(TBROK, "unknown part %u", part);
}

#else /* COMPILE_PAYLOAD */

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

static const char *const host_reg_names[4] = { "EAX", "EBX", "ECX", "EDX" };
static struct tst_kvm_instance inst;
static cpu_set_t orig_cpus;
static int pinned;

/* The @n-th CPU of the original affinity mask, -1 if there is none. */
static int nth_cpu(unsigned int n)
{
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &orig_cpus) && !n--)
			return cpu;
	}
	return -1;
}

/* Runs the calling (vCPU) thread on host CPU @cpu only. */
static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		tst_brk(TBROK, "sched_setaffinity(CPU %d): %m", cpu);
	pinned = 1;
}

static void unpin(void)
{
	if (pinned && sched_setaffinity(0, sizeof(orig_cpus), &orig_cpus))
		tst_brk(TBROK, "sched_setaffinity(restore): %m");
	pinned = 0;
}

static uint32_t migrate(uint64_t n)
{
	int cpu = n < CPU_SETSIZE ? nth_cpu(n) : -1;

	if (cpu < 0)
		return HC_NO_CPU;
	pin_to(cpu);
	return cpu;
}

static uint32_t *entry_reg(struct kvm_cpuid_entry2 *e, unsigned int reg)
{
	uint32_t *regs[4] = { &e->eax, &e->ebx, &e->ecx, &e->edx };

	return regs[reg];
}

/* Copies the CPUID list into the guest's cpuid_table. */
static void pass_table(const struct kvm_cpuid2 *c)
{
	static struct cpuid_leaf t[MAX_LEAVES];
	uint32_t i, n = c->nent;

	if (n > MAX_LEAVES)
		tst_brk(TBROK, "%u CPUID entries, the guest takes %d", n,
			MAX_LEAVES);
	for (i = 0; i < n; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		t[i].function = e->function;
		t[i].index = e->index;
		t[i].flags = (e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ?
			     LEAF_INDEXED : 0;
		t[i].regs[0] = e->eax;
		t[i].regs[1] = e->ebx;
		t[i].regs[2] = e->ecx;
		t[i].regs[3] = e->edx;
	}
	if (tst_kvm_write_guest(&inst, tst_kvm_symbol(&inst, "cpuid_table"),
				t, n * sizeof(t[0])) ||
	    tst_kvm_write_guest(&inst, tst_kvm_symbol(&inst, "cpuid_nent"),
				&n, sizeof(n)))
		tst_brk(TBROK, "cannot write the CPUID table into the guest");
}

static void set_part(uint32_t part)
{
	if (tst_kvm_write_guest(&inst, tst_kvm_symbol(&inst, "part"), &part,
				sizeof(part)))
		tst_brk(TBROK, "cannot write 'part' into the guest");
}

static uint32_t host_call(struct tst_kvm_instance *in, void *opaque,
	uint32_t nr, uint64_t arg)
{
	struct kvm_xcrs xcrs;
	uint32_t i;

	(void)opaque;
	if (nr == HC_MIGRATE)
		return migrate(arg);
	if (nr != HC_GET_XCR0)
		tst_kvm_brk(in, "unknown host call %u", nr);
	/* SDM Vol. 1 13.3: XCR0 is 1 (x87 only) after reset */
	if (!tst_kvm_check_cap(KVM_CAP_XCRS))
		return 1;
	memset(&xcrs, 0, sizeof(xcrs));
	if (ioctl(in->vcpu_fd, KVM_GET_XCRS, &xcrs))
		tst_kvm_brk(in, "KVM_GET_XCRS: %m");
	for (i = 0; i < xcrs.nr_xcrs; i++) {
		if (xcrs.xcrs[i].xcr == 0)
			return (uint32_t)xcrs.xcrs[i].value;
	}
	return 1;
}

/* Clears the candidates present in @c; returns the mask of those cleared. */
static uint64_t clear_features(struct kvm_cpuid2 *c)
{
	uint64_t mask = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(clear_candidates); i++) {
		uint64_t f = clear_candidates[i].feature;
		struct kvm_cpuid_entry2 *e = tst_kvm_cpuid_entry(c,
			X86_FEATURE_LEAF(f), X86_FEATURE_SUBLEAF(f));
		uint32_t *reg, bit = 1u << X86_FEATURE_BIT(f);

		if (!e)
			continue;
		reg = entry_reg(e, X86_FEATURE_REG(f));
		if (!(*reg & bit))
			continue;
		*reg &= ~bit;
		mask |= 1ull << i;
		tst_res(TINFO, "host clears CPUID.(EAX=0x%x,ECX=%u) bit %u "
			"of %s (%s)", X86_FEATURE_LEAF(f),
			X86_FEATURE_SUBLEAF(f), X86_FEATURE_BIT(f),
			host_reg_names[X86_FEATURE_REG(f)],
			clear_candidates[i].name);
	}
	return mask;
}

/*
 * The VMM's share of the APIC ID fields (as QEMU does it): KVM_GET_
 * SUPPORTED_CPUID fills CPUID.01H:EBX[31:24], 0BH/1FH EDX (and 8000001EH
 * EAX) with the APIC ID of the host CPU the ioctl ran on; KVM does not
 * adjust them, so the table gets the vCPU's own APIC ID, its vCPU id.
 */
static void run_part(uint32_t part)
{
	struct kvm_cpuid2 *c = tst_kvm_get_cpuid(tst_kvm_open());
	uint64_t mask = 0;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_cpuid_set_apic_id(c, 0);
	if (part == 2)
		mask = clear_features(c);
	/* The list this test compares with, set explicitly before KVM_RUN. */
	tst_kvm_set_cpuid(&inst, c);
	pass_table(c);
	set_part(part);
	tst_kvm_set_guest_arg(&inst, mask);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	free(c);
	tst_kvm_run_instance(&inst);
	unpin();
	tst_kvm_destroy_instance(&inst);
}

static void run(void)
{
	if (sched_getaffinity(0, sizeof(orig_cpus), &orig_cpus))
		tst_brk(TBROK, "sched_getaffinity: %m");
	run_part(1);
	run_part(2);
}

static void cleanup(void)
{
	unpin();
	if (inst.vm_fd > 0)
		tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "guest CPUID equals the KVM_SET_CPUID2 table; cleared "
		       "feature bits read as 0",
	.setup = tst_kvm_setup,
	.test_all = run,
	.cleanup = cleanup,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
