// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/fpu_state - x87, SSE and AVX register state survives exits to the
 * VMM. Each part is a case in its own VM (tst_case_run(),
 * tst_kvm_run_cases_vm()), so that an instruction the KVM cannot run in
 * one part does not hide the results of the others:
 *  sse     the guest loads XMM0-15 with MOVDQU, exits (port OUT, host
 *          call, HLT), stores them with MOVDQU and compares;
 *  mxcsr   the same for MXCSR with LDMXCSR/STMXCSR;
 *  x87     FNINIT, FLD m80 x8 and FLDCW, exits, FNSTCW and FSTP m80 x8;
 *  fxsave  FXRSTOR of a patterned image, exits, FXSAVE and compare;
 *  avx     YMM0-15 upper halves with VMOVDQU (if CPUID AVX, CR4.OSXSAVE
 *          and XCR0.AVX);
 *  xsave   the host writes patterned x87/SSE(/AVX) state with
 *          KVM_SET_XSAVE, the guest only exits (no FP instruction), the
 *          host compares KVM_GET_XSAVE during a host call and after the
 *          run;
 *  fpu     the same with KVM_SET_FPU/KVM_GET_FPU.
 * While the guest waits in an exit, the host loads its own x87/SSE(/AVX)
 * registers with different values, so state that is not saved and
 * restored shows.
 * References: SDM Vol. 1 8.1 (x87 registers), 10.2.2-10.2.3 (XMM, MXCSR),
 * 13.4 (XSAVE area layout, legacy region Table 10-2 / 13-1), 14.1 (YMM);
 * Vol. 3A 2.5 (CR4.OSFXSR: SSE usable at CPL 0), Vol. 2A FXSAVE/FXRSTOR,
 * FLD/FSTP, MOVDQU, LDMXCSR/STMXCSR; KVM api.rst KVM_GET/SET_XSAVE, _FPU.
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"
#include "x86_defs.h"

enum part {
	PART_SSE = 1, PART_MXCSR, PART_X87, PART_FXSAVE, PART_AVX,
	PART_XSAVE, PART_FPU, NR_PARTS
};

/*
 * X(name, guest function) in enum part order: case i is part i + 1 (the
 * patterns are salted with the part).
 */
#define FPU_PARTS(X) \
	X("sse", part_sse) \
	X("mxcsr", part_mxcsr) \
	X("x87", part_x87) \
	X("fxsave", part_fxsave) \
	X("avx", part_avx) \
	X("xsave", part_host) \
	X("fpu", part_host)

#define TEST_PORT	0xe0
#define HC_EXIT		1	/* an exit to the host, nothing else */
#define HC_CHECK	2	/* host compares the vCPU FP state now */
/* MXCSR: all exceptions masked, all six exception flags set */
#define MXCSR_PATTERN	0x1fbfu
#define FCW_PATTERN	0x027fu	/* 53-bit precision, all masked */

/* Legacy region of the FXSAVE/XSAVE image (SDM Vol. 1 Table 10-2) */
#define FX_FCW		0
#define FX_FSW		2
#define FX_FTW		4
#define FX_MXCSR	24
#define FX_ST(i)	(32 + 16 * (i))
#define FX_XMM(i)	(160 + 16 * (i))
#define XS_XSTATE_BV	512
/* CPUID.(0DH,2).EBX on every CPU so far; the host reads the real one */
#define XS_YMM_DEFAULT	576

/* 80-bit pattern for ST(i): normal, explicit integer bit, distinct. */
static inline void st_pattern(unsigned int i, uint8_t out[10])
{
	uint64_t mant = 0x8000000000000000ull |
			(0x0123456789abcdefull * (i + 3));
	uint16_t se = (uint16_t)((0x3fff + 17 * i) | (i & 1 ? 0x8000 : 0));
	unsigned int b;

	for (b = 0; b < 8; b++)
		out[b] = (uint8_t)(mant >> (8 * b));
	out[8] = (uint8_t)se;
	out[9] = (uint8_t)(se >> 8);
}

/* 16-byte pattern for XMM(i) (@salt differs per part and for YMM). */
static inline void xmm_pattern(unsigned int i, unsigned int salt,
	uint8_t out[16])
{
	unsigned int b;

	for (b = 0; b < 16; b++)
		out[b] = (uint8_t)(0x11 * (i + 1) + 7 * b + 0x35 * salt);
}

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

static uint8_t vec_in[16][32] __attribute__((aligned(32)));
static uint8_t vec_out[16][32] __attribute__((aligned(32)));
static uint8_t st_in[8][16] __attribute__((aligned(16)));
static uint8_t st_out[8][16] __attribute__((aligned(16)));
static uint8_t fx_img[512] __attribute__((aligned(64)));

/* Exits that do not touch FP state: port OUT, host call, HLT. */
static void do_exits(void)
{
	kvm_outl(TEST_PORT, 0x12345678);
	tst_host_call(HC_EXIT, 0);
	kvm_hlt();
	kvm_outl(TEST_PORT, 0x9abcdef0);
}

static void compare(const char *what, unsigned int i, const void *got,
	const void *exp, unsigned int len)
{
	const uint8_t *g = got, *e = exp;
	char gs[70], es[70];
	unsigned int b, o = 0;

	if (!memcmp(got, exp, len)) {
		tst_res(TPASS, "%s%u preserved across exits", what, i);
		return;
	}
	/* most significant byte first */
	for (b = len; b-- > 0 && o + 3 < sizeof(gs); o += 2) {
		snprintf(gs + o, 3, "%02x", g[b]);
		snprintf(es + o, 3, "%02x", e[b]);
	}
	tst_res(TFAIL, "%s%u: expected 0x%s, got 0x%s", what, i, es, gs);
}

static void compare_u32(const char *what, uint32_t got, uint32_t exp)
{
	if (got == exp)
		tst_res(TPASS, "%s preserved across exits (0x%x)", what, got);
	else
		tst_res(TFAIL, "%s: expected 0x%x, got 0x%x", what, exp, got);
}

static void part_sse(void)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		xmm_pattern(i, PART_SSE, vec_in[i]);
	/* SDM Vol. 3A 2.5: CR4.OSFXSR=1 makes SSE usable; MOVDQU at CPL 0 */
	__asm__ __volatile__(
		"movdqu 0x000(%0), %%xmm0\n\t"
		"movdqu 0x020(%0), %%xmm1\n\t"
		"movdqu 0x040(%0), %%xmm2\n\t"
		"movdqu 0x060(%0), %%xmm3\n\t"
		"movdqu 0x080(%0), %%xmm4\n\t"
		"movdqu 0x0a0(%0), %%xmm5\n\t"
		"movdqu 0x0c0(%0), %%xmm6\n\t"
		"movdqu 0x0e0(%0), %%xmm7\n\t"
		"movdqu 0x100(%0), %%xmm8\n\t"
		"movdqu 0x120(%0), %%xmm9\n\t"
		"movdqu 0x140(%0), %%xmm10\n\t"
		"movdqu 0x160(%0), %%xmm11\n\t"
		"movdqu 0x180(%0), %%xmm12\n\t"
		"movdqu 0x1a0(%0), %%xmm13\n\t"
		"movdqu 0x1c0(%0), %%xmm14\n\t"
		"movdqu 0x1e0(%0), %%xmm15\n\t"
		:: "r"(vec_in) : "memory");
	do_exits();
	__asm__ __volatile__(
		"movdqu %%xmm0, 0x000(%0)\n\t"
		"movdqu %%xmm1, 0x020(%0)\n\t"
		"movdqu %%xmm2, 0x040(%0)\n\t"
		"movdqu %%xmm3, 0x060(%0)\n\t"
		"movdqu %%xmm4, 0x080(%0)\n\t"
		"movdqu %%xmm5, 0x0a0(%0)\n\t"
		"movdqu %%xmm6, 0x0c0(%0)\n\t"
		"movdqu %%xmm7, 0x0e0(%0)\n\t"
		"movdqu %%xmm8, 0x100(%0)\n\t"
		"movdqu %%xmm9, 0x120(%0)\n\t"
		"movdqu %%xmm10, 0x140(%0)\n\t"
		"movdqu %%xmm11, 0x160(%0)\n\t"
		"movdqu %%xmm12, 0x180(%0)\n\t"
		"movdqu %%xmm13, 0x1a0(%0)\n\t"
		"movdqu %%xmm14, 0x1c0(%0)\n\t"
		"movdqu %%xmm15, 0x1e0(%0)\n\t"
		:: "r"(vec_out) : "memory");
	for (i = 0; i < 16; i++)
		compare("XMM", i, vec_out[i], vec_in[i], 16);
}

static void part_mxcsr(void)
{
	uint32_t in = MXCSR_PATTERN, out = 0;

	/* SDM Vol. 2A LDMXCSR/STMXCSR; Vol. 1 10.2.3 (MXCSR) */
	__asm__ __volatile__("ldmxcsr %0" :: "m"(in));
	do_exits();
	__asm__ __volatile__("stmxcsr %0" : "=m"(out));
	compare_u32("MXCSR", out, in);
}

static void part_x87(void)
{
	uint16_t cw_in = FCW_PATTERN, cw_out = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		st_pattern(i, st_in[i]);
	/* SDM Vol. 2A FNINIT, FLDCW, FLD m80fp (pushes: ST0 = last loaded) */
	__asm__ __volatile__(
		"fninit\n\t"
		"fldcw %1\n\t"
		"fldt 0x00(%0)\n\t"
		"fldt 0x10(%0)\n\t"
		"fldt 0x20(%0)\n\t"
		"fldt 0x30(%0)\n\t"
		"fldt 0x40(%0)\n\t"
		"fldt 0x50(%0)\n\t"
		"fldt 0x60(%0)\n\t"
		"fldt 0x70(%0)\n\t"
		:: "r"(st_in), "m"(cw_in) : "memory");
	do_exits();
	/* FSTP m80fp pops ST0 first: st_out[i] = st_in[7 - i] */
	__asm__ __volatile__(
		"fnstcw %1\n\t"
		"fstpt 0x00(%0)\n\t"
		"fstpt 0x10(%0)\n\t"
		"fstpt 0x20(%0)\n\t"
		"fstpt 0x30(%0)\n\t"
		"fstpt 0x40(%0)\n\t"
		"fstpt 0x50(%0)\n\t"
		"fstpt 0x60(%0)\n\t"
		"fstpt 0x70(%0)\n\t"
		:: "r"(st_out), "m"(cw_out) : "memory");
	compare_u32("x87 FCW", cw_out, cw_in);
	for (i = 0; i < 8; i++)
		compare("x87 ST", i, st_out[i], st_in[7 - i], 10);
}

static void fill_fx_image(void)
{
	unsigned int i;

	memset(fx_img, 0, sizeof(fx_img));
	*(uint16_t *)(fx_img + FX_FCW) = FCW_PATTERN;
	fx_img[FX_FTW] = 0xff;	/* abridged tag: all eight valid */
	*(uint32_t *)(fx_img + FX_MXCSR) = MXCSR_PATTERN;
	for (i = 0; i < 8; i++)
		st_pattern(i, fx_img + FX_ST(i));
	for (i = 0; i < 16; i++)
		xmm_pattern(i, PART_FXSAVE, fx_img + FX_XMM(i));
}

static void part_fxsave(void)
{
	static uint8_t ref[512] __attribute__((aligned(16)));
	unsigned int i;

	fill_fx_image();
	memcpy(ref, fx_img, sizeof(ref));
	/* SDM Vol. 2A FXRSTOR/FXSAVE: the legacy region of Table 10-2 */
	__asm__ __volatile__("fxrstor %0" :: "m"(*(uint8_t (*)[512])fx_img));
	memset(fx_img, 0, sizeof(fx_img));
	do_exits();
	__asm__ __volatile__("fxsave %0" : "=m"(*(uint8_t (*)[512])fx_img));
	compare_u32("FXSAVE FCW", *(uint16_t *)(fx_img + FX_FCW),
		    *(uint16_t *)(ref + FX_FCW));
	compare_u32("FXSAVE abridged FTW", fx_img[FX_FTW], ref[FX_FTW]);
	compare_u32("FXSAVE MXCSR", *(uint32_t *)(fx_img + FX_MXCSR),
		    *(uint32_t *)(ref + FX_MXCSR));
	for (i = 0; i < 8; i++)
		compare("FXSAVE ST", i, fx_img + FX_ST(i), ref + FX_ST(i), 10);
	for (i = 0; i < 16; i++)
		compare("FXSAVE XMM", i, fx_img + FX_XMM(i), ref + FX_XMM(i),
			16);
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void part_avx(void)
{
	unsigned int i;

	/* SDM Vol. 1 14.3: AVX needs CPUID AVX, CR4.OSXSAVE, XCR0[2:1]=11b */
	if (!kvm_cpu_has(X86_FEATURE_AVX))
		tst_brk(TCONF, "no CPUID AVX");
	if (!(kvm_read_cr4() & X86_CR4_OSXSAVE))
		tst_brk(TCONF, "CR4.OSXSAVE=0 (the framework sets it only "
			"when the host's CPUID table has XSAVE): AVX state "
			"is not enabled");
	if ((xgetbv0() & 6) != 6)
		tst_brk(TCONF, "XCR0 = 0x%llx: AVX state not enabled",
			(unsigned long long)xgetbv0());
	for (i = 0; i < 16; i++) {
		xmm_pattern(i, PART_AVX, vec_in[i]);
		xmm_pattern(i, PART_AVX + 16, vec_in[i] + 16);
	}
	__asm__ __volatile__(
		"vmovdqu 0x000(%0), %%ymm0\n\t"
		"vmovdqu 0x020(%0), %%ymm1\n\t"
		"vmovdqu 0x040(%0), %%ymm2\n\t"
		"vmovdqu 0x060(%0), %%ymm3\n\t"
		"vmovdqu 0x080(%0), %%ymm4\n\t"
		"vmovdqu 0x0a0(%0), %%ymm5\n\t"
		"vmovdqu 0x0c0(%0), %%ymm6\n\t"
		"vmovdqu 0x0e0(%0), %%ymm7\n\t"
		"vmovdqu 0x100(%0), %%ymm8\n\t"
		"vmovdqu 0x120(%0), %%ymm9\n\t"
		"vmovdqu 0x140(%0), %%ymm10\n\t"
		"vmovdqu 0x160(%0), %%ymm11\n\t"
		"vmovdqu 0x180(%0), %%ymm12\n\t"
		"vmovdqu 0x1a0(%0), %%ymm13\n\t"
		"vmovdqu 0x1c0(%0), %%ymm14\n\t"
		"vmovdqu 0x1e0(%0), %%ymm15\n\t"
		:: "r"(vec_in) : "memory");
	do_exits();
	__asm__ __volatile__(
		"vmovdqu %%ymm0, 0x000(%0)\n\t"
		"vmovdqu %%ymm1, 0x020(%0)\n\t"
		"vmovdqu %%ymm2, 0x040(%0)\n\t"
		"vmovdqu %%ymm3, 0x060(%0)\n\t"
		"vmovdqu %%ymm4, 0x080(%0)\n\t"
		"vmovdqu %%ymm5, 0x0a0(%0)\n\t"
		"vmovdqu %%ymm6, 0x0c0(%0)\n\t"
		"vmovdqu %%ymm7, 0x0e0(%0)\n\t"
		"vmovdqu %%ymm8, 0x100(%0)\n\t"
		"vmovdqu %%ymm9, 0x120(%0)\n\t"
		"vmovdqu %%ymm10, 0x140(%0)\n\t"
		"vmovdqu %%ymm11, 0x160(%0)\n\t"
		"vmovdqu %%ymm12, 0x180(%0)\n\t"
		"vmovdqu %%ymm13, 0x1a0(%0)\n\t"
		"vmovdqu %%ymm14, 0x1c0(%0)\n\t"
		"vmovdqu %%ymm15, 0x1e0(%0)\n\t"
		"vzeroupper\n\t"
		:: "r"(vec_out) : "memory");
	for (i = 0; i < 16; i++)
		compare("YMM", i, vec_out[i], vec_in[i], 32);
}

/* Host-set state: exits only, the host checks during and after. */
static void part_host(void)
{
	do_exits();
	tst_host_call(HC_CHECK, 0);
	do_exits();
}

static const struct tst_case cases[] = {
#define PART_CASE(name, fn) { name, fn },
	FPU_PARTS(PART_CASE)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char *const names[] = {
#define PART_NAME(name, fn) name,
	FPU_PARTS(PART_NAME)
};

_Static_assert(ARRAY_SIZE(names) == NR_PARTS - 1, "FPU_PARTS, enum part");

/* The host's own FP registers get other values while the guest waits. */
static void clobber_host_fp(void)
{
	static const uint8_t junk[32] __attribute__((aligned(32))) = {
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
	};
	uint32_t mxcsr = 0x1f80;

	__asm__ __volatile__(
		"fninit\n\t"
		"fldpi\n\t" "fldpi\n\t" "fldpi\n\t" "fldpi\n\t"
		"fldpi\n\t" "fldpi\n\t" "fldpi\n\t" "fldpi\n\t"
		"ldmxcsr %1\n\t"
		"movdqa %0, %%xmm0\n\t"
		"movdqa %0, %%xmm1\n\t"
		"movdqa %0, %%xmm2\n\t"
		"movdqa %0, %%xmm3\n\t"
		"movdqa %0, %%xmm4\n\t"
		"movdqa %0, %%xmm5\n\t"
		"movdqa %0, %%xmm6\n\t"
		"movdqa %0, %%xmm7\n\t"
		"movdqa %0, %%xmm8\n\t"
		"movdqa %0, %%xmm9\n\t"
		"movdqa %0, %%xmm10\n\t"
		"movdqa %0, %%xmm11\n\t"
		"movdqa %0, %%xmm12\n\t"
		"movdqa %0, %%xmm13\n\t"
		"movdqa %0, %%xmm14\n\t"
		"movdqa %0, %%xmm15\n\t"
		:: "m"(*(const uint8_t (*)[16])junk), "m"(mxcsr)
		: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
		  "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15", "st", "st(1)", "st(2)", "st(3)", "st(4)",
		  "st(5)", "st(6)", "st(7)");
	if (__builtin_cpu_supports("avx"))
		__asm__ __volatile__("vbroadcastss %0, %%ymm0\n\t"
				     "vbroadcastss %0, %%ymm7\n\t"
				     "vbroadcastss %0, %%ymm15\n\t"
				     :: "m"(*(const uint32_t *)junk)
				     : "xmm0", "xmm7", "xmm15");
	__asm__ __volatile__("fninit");
	usleep(1000);	/* and give the CPU away once */
}

static enum tst_kvm_action port_write(struct tst_kvm_instance *in,
	void *opaque, uint64_t off, const void *data, unsigned int len)
{
	(void)in;
	(void)opaque;
	(void)off;
	(void)data;
	(void)len;
	clobber_host_fp();
	return TST_KVM_CONTINUE;
}

/* ---- host-set state (parts xsave and fpu) ---- */

static size_t xsave_size;
static uint32_t ymm_off = XS_YMM_DEFAULT;
static int with_ymm;
static uint8_t *xs_want;

static void get_xsave(struct tst_kvm_instance *in, void *buf)
{
	unsigned long req = xsave_size > 4096 ? KVM_GET_XSAVE2 : KVM_GET_XSAVE;

	memset(buf, 0, xsave_size);
	if (ioctl(in->vcpu_fd, req, buf))
		tst_kvm_brk(in, "KVM_GET_XSAVE: %m");
}

static uint64_t guest_xcr0(struct tst_kvm_instance *in)
{
	struct kvm_xcrs x;
	uint32_t i;

	if (!tst_kvm_check_cap(KVM_CAP_XCRS))
		return 1;
	memset(&x, 0, sizeof(x));
	if (ioctl(in->vcpu_fd, KVM_GET_XCRS, &x))
		tst_kvm_brk(in, "KVM_GET_XCRS: %m");
	for (i = 0; i < x.nr_xcrs; i++) {
		if (!x.xcrs[i].xcr)
			return x.xcrs[i].value;
	}
	return 1;
}

static void ymm_layout(void)
{
	struct kvm_cpuid2 *c = tst_kvm_get_cpuid(tst_kvm_open());
	struct kvm_cpuid_entry2 *e = tst_kvm_cpuid_entry(c, 0xd, 2);

	if (e && e->ebx)
		ymm_off = e->ebx;
	free(c);
}

static void set_xsave_state(struct tst_kvm_instance *in)
{
	int v = tst_kvm_check_cap(KVM_CAP_XSAVE2);
	unsigned int i;

	xsave_size = v > 4096 ? (size_t)v : 4096;
	xs_want = calloc(1, xsave_size);
	if (!xs_want)
		tst_brk(TBROK, "calloc() failed");
	get_xsave(in, xs_want);
	*(uint16_t *)(xs_want + FX_FCW) = FCW_PATTERN;
	*(uint16_t *)(xs_want + FX_FSW) = 0;
	xs_want[FX_FTW] = 0xff;
	*(uint32_t *)(xs_want + FX_MXCSR) = MXCSR_PATTERN;
	for (i = 0; i < 8; i++)
		st_pattern(i, xs_want + FX_ST(i));
	for (i = 0; i < 16; i++)
		xmm_pattern(i, PART_XSAVE, xs_want + FX_XMM(i));
	/* SDM Vol. 1 13.4.2: XSTATE_BV says which components are in use */
	*(uint64_t *)(xs_want + XS_XSTATE_BV) |= X86_XCR0_X87 | X86_XCR0_SSE;
	with_ymm = (guest_xcr0(in) & X86_XCR0_AVX) &&
		   ymm_off + 16 * 16 <= xsave_size;
	if (with_ymm) {
		ymm_layout();
		for (i = 0; i < 16; i++)
			xmm_pattern(i, PART_XSAVE + 16,
				    xs_want + ymm_off + 16 * i);
		*(uint64_t *)(xs_want + XS_XSTATE_BV) |= X86_XCR0_AVX;
	}
	if (ioctl(in->vcpu_fd, KVM_SET_XSAVE, xs_want))
		tst_brk(TBROK, "KVM_SET_XSAVE: %m");
	tst_res(TINFO, "host set x87, SSE%s state with KVM_SET_XSAVE",
		with_ymm ? ", AVX" : " (guest XCR0 has no AVX)");
}

/* @i < 0: a single register, else element @i of @what */
static void host_cmp(const char *when, const char *what, int i,
	const uint8_t *got, const uint8_t *exp, unsigned int len)
{
	char gs[70], es[70], name[32];
	unsigned int b, o = 0;

	if (i < 0)
		snprintf(name, sizeof(name), "%s", what);
	else
		snprintf(name, sizeof(name), "%s%d", what, i);
	if (!memcmp(got, exp, len)) {
		tst_res(TPASS, "%s: %s as set", when, name);
		return;
	}
	for (b = len; b-- > 0 && o + 3 < sizeof(gs); o += 2) {
		snprintf(gs + o, 3, "%02x", got[b]);
		snprintf(es + o, 3, "%02x", exp[b]);
	}
	tst_res(TFAIL, "%s: %s expected 0x%s, got 0x%s", when, name, es, gs);
}

static void check_xsave_state(struct tst_kvm_instance *in, const char *when)
{
	uint8_t *got = calloc(1, xsave_size);
	unsigned int i;

	if (!got)
		tst_brk(TBROK, "calloc() failed");
	get_xsave(in, got);
	host_cmp(when, "FCW", -1, got + FX_FCW, xs_want + FX_FCW, 2);
	host_cmp(when, "abridged FTW", -1, got + FX_FTW, xs_want + FX_FTW, 1);
	host_cmp(when, "MXCSR", -1, got + FX_MXCSR, xs_want + FX_MXCSR, 4);
	for (i = 0; i < 8; i++)
		host_cmp(when, "ST", (int)i, got + FX_ST(i),
			 xs_want + FX_ST(i), 10);
	for (i = 0; i < 16; i++)
		host_cmp(when, "XMM", (int)i, got + FX_XMM(i),
			 xs_want + FX_XMM(i), 16);
	for (i = 0; with_ymm && i < 16; i++)
		host_cmp(when, "YMM_Hi128 ", (int)i, got + ymm_off + 16 * i,
			 xs_want + ymm_off + 16 * i, 16);
	free(got);
}

static struct kvm_fpu fpu_want;

static void set_fpu_state(struct tst_kvm_instance *in)
{
	unsigned int i;

	if (ioctl(in->vcpu_fd, KVM_GET_FPU, &fpu_want))
		tst_brk(TBROK, "KVM_GET_FPU: %m");
	/*
	 * struct kvm_fpu has an mxcsr field, but KVM's KVM_GET_FPU and
	 * KVM_SET_FPU have never transferred it (arch/x86/kvm/x86.c,
	 * kvm_arch_vcpu_ioctl_{get,set}_fpu): MXCSR is checked in the xsave
	 * part only.
	 */
	fpu_want.fcw = FCW_PATTERN;
	fpu_want.fsw = 0;
	fpu_want.ftwx = 0xff;
	for (i = 0; i < 8; i++) {
		memset(fpu_want.fpr[i], 0, 16);
		st_pattern(i + 8, fpu_want.fpr[i]);
	}
	for (i = 0; i < 16; i++)
		xmm_pattern(i, PART_FPU, fpu_want.xmm[i]);
	if (ioctl(in->vcpu_fd, KVM_SET_FPU, &fpu_want))
		tst_brk(TBROK, "KVM_SET_FPU: %m");
	tst_res(TINFO, "host set x87 and SSE state with KVM_SET_FPU");
}

static void check_fpu_state(struct tst_kvm_instance *in, const char *when)
{
	struct kvm_fpu got;
	unsigned int i;

	memset(&got, 0, sizeof(got));
	if (ioctl(in->vcpu_fd, KVM_GET_FPU, &got))
		tst_kvm_brk(in, "KVM_GET_FPU: %m");
	host_cmp(when, "FCW", -1, (uint8_t *)&got.fcw,
		 (uint8_t *)&fpu_want.fcw, 2);
	host_cmp(when, "abridged FTW", -1, &got.ftwx, &fpu_want.ftwx, 1);
	for (i = 0; i < 8; i++)
		host_cmp(when, "ST", (int)i, got.fpr[i], fpu_want.fpr[i], 10);
	for (i = 0; i < 16; i++)
		host_cmp(when, "XMM", (int)i, got.xmm[i], fpu_want.xmm[i],
			 16);
}

static unsigned int cur_part;

static void check_host_state(struct tst_kvm_instance *in, const char *when)
{
	if (cur_part == PART_XSAVE)
		check_xsave_state(in, when);
	else
		check_fpu_state(in, when);
}

static uint32_t host_call(struct tst_kvm_instance *in, void *opaque,
	uint32_t nr, uint64_t arg)
{
	(void)opaque;
	(void)arg;
	if (nr == HC_CHECK)
		check_host_state(in, cur_part == PART_XSAVE ?
				 "KVM_GET_XSAVE at a host call" :
				 "KVM_GET_FPU at a host call");
	else if (nr != HC_EXIT)
		tst_kvm_brk(in, "unknown host call %u", nr);
	clobber_host_fp();
	return 0;
}

/* Case i in the child tst_kvm_run_cases_vm() made for it. */
static void run_part(unsigned int i)
{
	static const struct tst_kvm_device port = {
		.name = "fpu_state port", .base = TEST_PORT, .size = 4,
		.write = port_write,
	};
	struct tst_kvm_instance inst;
	unsigned int p = i + 1;

	if (p == PART_XSAVE && !tst_kvm_check_cap(KVM_CAP_XSAVE))
		tst_brk(TCONF, "KVM_CAP_XSAVE missing");
	cur_part = p;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_add_pio_device(&inst, &port);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	tst_kvm_set_guest_arg(&inst, i);
	if (p == PART_XSAVE)
		set_xsave_state(&inst);
	if (p == PART_FPU)
		set_fpu_state(&inst);
	tst_kvm_run_instance(&inst);
	if (p == PART_XSAVE || p == PART_FPU)
		check_host_state(&inst, p == PART_XSAVE ?
				 "KVM_GET_XSAVE after the run" :
				 "KVM_GET_FPU after the run");
	tst_kvm_destroy_instance(&inst);
	free(xs_want);
	xs_want = NULL;
}

static void run(void)
{
	tst_kvm_run_cases_vm(names, ARRAY_SIZE(names), run_part);
}

static struct tst_test test = {
	.description = "x87/SSE/AVX state preserved across exits, guest- and "
		       "host-set (KVM_SET_XSAVE/FPU)",
	.setup = tst_kvm_setup,
	.test_all = run,
	.timeout = 20,
};

#endif /* COMPILE_PAYLOAD */
