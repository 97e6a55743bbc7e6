// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/xcr0 - XGETBV/XSETBV and the rules for XCR0:
 *  - with CR4.OSXSAVE = 0, XGETBV and XSETBV raise #UD;
 *  - CR4.OSXSAVE can be set when CPUID enumerates XSAVE (and is restored);
 *  - with CR4.OSXSAVE = 1: XCR0[0] reads 1; XSETBV raises #GP(0) for
 *    XCR0[0] = 0, for AVX without SSE, for bits CPUID.(0DH,0):EDX:EAX does
 *    not enumerate, for a reserved XCR index (ECX = 1 without XGETBV_ECX1
 *    ... and ECX = 2); writing the current value and toggling AVX (when
 *    supported) succeed and read back.
 * Each is a case in its own VM (tst_case_run(), tst_kvm_run_cases()), so
 * that an instruction the KVM cannot run does not hide the others; the
 * CR4.OSXSAVE = 0 cases clear it for the test if the host set it.
 * References: SDM Vol. 1 13.3 (Enabling the XSAVE Feature Set and
 * XSAVE-Enabled Features), SDM Vol. 2C XGETBV and XSETBV (Operation,
 * Protected Mode Exceptions), SDM Vol. 3A 2.5 (CR4.OSXSAVE) and 2.6
 * (Extended Control Registers).
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"

/* X(function, name) */
#define XCR0_CASES(X) \
	X(check_with_osxsave, "OSXSAVE=1") \
	X(check_xgetbv_without_osxsave, "XGETBV, OSXSAVE=0") \
	X(check_xsetbv_without_osxsave, "XSETBV, OSXSAVE=0")

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

static int xgetbv_safe(uint32_t index, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("xgetbv")
			     : "+a"(lo), "+d"(hi) : "c"(index) : "memory");
	*val = ((uint64_t)hi << 32) | lo;
	return kvm_exc_vector();
}

static int xsetbv_safe(uint32_t index, uint64_t val)
{
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("xsetbv")
			     :: "c"(index), "a"((uint32_t)val),
			        "d"((uint32_t)(val >> 32)) : "memory");
	return kvm_exc_vector();
}

static void expect_vec(int vec, int want, const char *what)
{
	if (vec == want)
		tst_res(TPASS, "%s: %s", what, kvm_exception_name(vec));
	else
		tst_res(TFAIL, "%s: expected %s, got %s", what,
			kvm_exception_name(want), kvm_exception_name(vec));
}

/* Clears CR4.OSXSAVE if the host set it; returns CR4 to restore. */
static unsigned long clear_osxsave(void)
{
	unsigned long cr4 = kvm_read_cr4();

	if (cr4 & X86_CR4_OSXSAVE)
		kvm_write_cr4(cr4 & ~X86_CR4_OSXSAVE);
	return cr4;
}

/* SDM Vol. 2C XGETBV/XSETBV: #UD if CR4.OSXSAVE[18] = 0 */
static void check_xgetbv_without_osxsave(void)
{
	unsigned long cr4 = clear_osxsave();
	uint64_t v;

	expect_vec(xgetbv_safe(0, &v), X86_UD, "XGETBV with CR4.OSXSAVE=0");
	kvm_write_cr4(cr4);
}

static void check_xsetbv_without_osxsave(void)
{
	unsigned long cr4 = clear_osxsave();

	expect_vec(xsetbv_safe(0, 1), X86_UD, "XSETBV with CR4.OSXSAVE=0");
	kvm_write_cr4(cr4);
}

/* Supported XCR0 bits: CPUID.(EAX=0DH,ECX=0):EDX:EAX (SDM Vol. 1 13.2) */
static uint64_t xcr0_supported(void)
{
	struct kvm_cpuid r;

	kvm_get_cpuid(0xd, 0, &r);
	return ((uint64_t)r.edx << 32) | r.eax;
}

static void check_xsetbv(uint64_t orig)
{
	uint64_t sup = xcr0_supported(), v, unsup;
	char what[96];
	int vec;

	tst_res(TINFO, "XCR0 = 0x%llx, supported 0x%llx",
		(unsigned long long)orig, (unsigned long long)sup);
	/* SDM Vol. 1 13.3: XCR0[0] (x87) is always 1 */
	tst_res(orig & X86_XCR0_X87 ? TPASS : TFAIL, "XCR0[0] (x87) reads 1 "
		"(XCR0 0x%llx)", (unsigned long long)orig);
	/* SDM Vol. 2C XSETBV: #GP(0) if EDX:EAX would clear XCR0[0] */
	expect_vec(xsetbv_safe(0, orig & ~X86_XCR0_X87), X86_GP,
		   "XSETBV XCR0 with bit 0 clear");
	/* ... or set XCR0[2] (AVX) with XCR0[1] (SSE) clear */
	expect_vec(xsetbv_safe(0, (orig | X86_XCR0_AVX) & ~X86_XCR0_SSE),
		   X86_GP, "XSETBV XCR0 with AVX but not SSE");
	/* ... or set a bit CPUID does not enumerate */
	unsup = ~sup & ~(1ull << 63);
	if (unsup) {
		uint64_t bit = unsup & -unsup;

		snprintf(what, sizeof(what), "XSETBV XCR0 with unsupported bit "
			 "%d", __builtin_ctzll(bit));
		expect_vec(xsetbv_safe(0, orig | bit), X86_GP, what);
	}
	expect_vec(xsetbv_safe(0, orig | (1ull << 63)), X86_GP,
		   "XSETBV XCR0 with reserved bit 63");
	/* ... or ECX names an XCR that is not XCR0 */
	expect_vec(xsetbv_safe(1, 1), X86_GP, "XSETBV ECX=1");
	expect_vec(xsetbv_safe(2, 1), X86_GP, "XSETBV ECX=2");
	/* SDM Vol. 2C XGETBV: #GP(0) if ECX=1 without CPUID.(0DH,1):EAX[2] */
	{
		struct kvm_cpuid r;

		kvm_get_cpuid(0xd, 1, &r);
		if (!(r.eax & 4))
			expect_vec(xgetbv_safe(1, &v), X86_GP,
				   "XGETBV ECX=1 without XGETBV_ECX1");
	}
	expect_vec(xgetbv_safe(2, &v), X86_GP, "XGETBV ECX=2");

	/* legal writes */
	vec = xsetbv_safe(0, orig);
	expect_vec(vec, KVM_NO_EXC, "XSETBV of the current XCR0");
	if ((sup & (X86_XCR0_SSE | X86_XCR0_AVX)) ==
	    (X86_XCR0_SSE | X86_XCR0_AVX)) {
		uint64_t want = (orig | X86_XCR0_SSE) ^ X86_XCR0_AVX;

		vec = xsetbv_safe(0, want);
		xgetbv_safe(0, &v);
		xsetbv_safe(0, orig);
		if (vec != KVM_NO_EXC)
			tst_res(TFAIL, "XSETBV 0x%llx (toggle AVX): %s",
				(unsigned long long)want,
				kvm_exception_name(vec));
		else
			tst_res(v == want ? TPASS : TFAIL, "XSETBV 0x%llx "
				"(toggle AVX), XGETBV reads 0x%llx",
				(unsigned long long)want,
				(unsigned long long)v);
	}
}

/* With CR4.OSXSAVE set (by the host or here): the XSETBV rules. */
static void check_with_osxsave(void)
{
	unsigned long cr4 = kvm_read_cr4();
	uint64_t xcr0;
	int vec;

	if (!kvm_cpu_has(X86_FEATURE_XSAVE))
		tst_brk(TCONF, "no CPUID XSAVE: XSETBV rules not tested");
	/* SDM Vol. 3A 2.5: CR4.OSXSAVE is settable when CPUID has XSAVE */
	if (!(cr4 & X86_CR4_OSXSAVE)) {
		vec = kvm_write_cr4_safe(cr4 | X86_CR4_OSXSAVE);
		expect_vec(vec, KVM_NO_EXC,
			   "set CR4.OSXSAVE with CPUID.01H:ECX.XSAVE=1");
		if (vec != KVM_NO_EXC)
			return;
	}
	vec = xgetbv_safe(0, &xcr0);
	expect_vec(vec, KVM_NO_EXC, "XGETBV ECX=0 with CR4.OSXSAVE=1");
	if (vec == KVM_NO_EXC)
		check_xsetbv(xcr0);
	kvm_write_cr4(cr4);
}

static const struct tst_case cases[] = {
#define XCR0_CASE(fn, name) { name, fn },
	XCR0_CASES(XCR0_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define XCR0_NAME(fn, name) name,
	XCR0_CASES(XCR0_NAME)
};

static void run(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static struct tst_test test = {
	.description = "XGETBV/XSETBV: #UD without CR4.OSXSAVE, XCR0 rules "
		       "(bit 0, AVX needs SSE, supported bits, XCR index)",
	.setup = tst_kvm_setup,
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
