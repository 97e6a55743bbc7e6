// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/tsc - the time-stamp counter as the guest sees it:
 *  - RDTSC keeps increasing across exits (port OUT, a host call during
 *    which the host sleeps, HLT);
 *  - RDMSR(IA32_TIME_STAMP_COUNTER) reads the same counter as RDTSC
 *    (RDTSC <= RDMSR <= RDTSC);
 *  - RDTSC at CPL 0 works with CR4.TSD = 1;
 *  - RDTSCP returns IA32_TSC_AUX in ECX and RDPID returns it, each when
 *    CPUID enumerates it, and raises #UD when CPUID does not.
 * Each is a case in its own VM (tst_case_run(), tst_kvm_run_cases_vm()),
 * so that an instruction the KVM cannot run does not hide the others.
 * References: SDM Vol. 3A 17.17 (Time-Stamp Counter), SDM Vol. 2B RDTSC,
 * RDTSCP, RDPID (operation and #UD/#GP conditions), SDM Vol. 3A 2.5
 * (CR4.TSD), SDM Vol. 4 Table 2-2 (IA32_TSC_AUX).
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"

#define TEST_PORT	0xe0
#define HC_SLEEP	1	/* the host sleeps arg microseconds */

/* X(function, name) */
#define TSC_CASES(X) \
	X(check_across_exits, "exits") \
	X(check_msr_vs_rdtsc, "rdmsr") \
	X(check_tsd_cpl0, "cr4.tsd") \
	X(check_rdpid, "rdpid") \
	X(check_rdtscp, "rdtscp")

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

#define AUX_VALUE	0x00c0ffeeu

static void exit_out(void)
{
	kvm_outl(TEST_PORT, 0);
}

static void exit_sleep(void)
{
	tst_host_call(HC_SLEEP, 2000);
}

static void exit_hlt(void)
{
	kvm_hlt();
}

static const struct {
	const char *name;
	void (*fn)(void);
} exits[] = {
	{ "port OUT", exit_out },
	{ "host call with a 2 ms host sleep", exit_sleep },
	{ "HLT", exit_hlt },
};

/* SDM Vol. 3A 17.17: the TSC increments monotonically */
static void check_across_exits(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exits); i++) {
		uint64_t t0 = kvm_rdtsc(), t1;

		exits[i].fn();
		t1 = kvm_rdtsc();
		tst_res(t1 > t0 ? TPASS : TFAIL, "RDTSC across %s: 0x%llx -> "
			"0x%llx (%+lld)", exits[i].name,
			(unsigned long long)t0, (unsigned long long)t1,
			(long long)(t1 - t0));
	}
}

/* SDM Vol. 3A 17.17: RDMSR of IA32_TIME_STAMP_COUNTER (10H) reads it */
static void check_msr_vs_rdtsc(void)
{
	uint64_t a = kvm_rdtsc();
	uint64_t b = kvm_rdmsr(MSR_IA32_TSC);
	uint64_t c = kvm_rdtsc();

	tst_res(a <= b && b <= c ? TPASS : TFAIL, "RDTSC 0x%llx <= RDMSR(TSC) "
		"0x%llx <= RDTSC 0x%llx", (unsigned long long)a,
		(unsigned long long)b, (unsigned long long)c);
}

/* SDM Vol. 2B RDTSC: #GP(0) only if CR4.TSD = 1 and CPL > 0 */
static void check_tsd_cpl0(void)
{
	unsigned long cr4 = kvm_read_cr4();
	uint32_t lo, hi;
	int vec;

	kvm_write_cr4(cr4 | X86_CR4_TSD);
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("rdtsc")
			     : "=a"(lo), "=d"(hi) :: "memory");
	vec = kvm_exc_vector();
	kvm_write_cr4(cr4);
	tst_res(vec == KVM_NO_EXC ? TPASS : TFAIL, "RDTSC at CPL 0 with "
		"CR4.TSD=1: %s (expected no exception)",
		kvm_exception_name(vec));
}

static int rdtscp_safe(uint32_t *aux)
{
	uint32_t lo, hi, c = 0;

	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("rdtscp")
			     : "=a"(lo), "=d"(hi), "+c"(c) :: "memory");
	*aux = c;
	return kvm_exc_vector();
}

static int rdpid_safe(uint64_t *aux)
{
	uint64_t v = 0;

	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("rdpid %0") : "+r"(v) :: "memory");
	*aux = v;
	return kvm_exc_vector();
}

/*
 * SDM Vol. 2B RDTSCP: ECX <- IA32_TSC_AUX[31:0]; #UD if
 * CPUID.80000001H:EDX.RDTSCP[27] = 0. RDPID: r64 <- IA32_TSC_AUX; #UD if
 * CPUID.(7,0):ECX.RDPID[22] = 0.
 */
static void check_rdtscp(void)
{
	uint32_t aux;
	int vec;

	if (!kvm_cpu_has(X86_FEATURE_RDTSCP)) {
		vec = rdtscp_safe(&aux);
		tst_res(vec == X86_UD ? TPASS : TFAIL, "RDTSCP without CPUID "
			"RDTSCP: expected #UD, got %s",
			kvm_exception_name(vec));
		return;
	}
	kvm_wrmsr(MSR_TSC_AUX, AUX_VALUE);
	vec = rdtscp_safe(&aux);
	if (vec != KVM_NO_EXC)
		tst_res(TFAIL, "RDTSCP raised %s", kvm_exception_name(vec));
	else
		tst_res(aux == AUX_VALUE ? TPASS : TFAIL, "RDTSCP: ECX "
			"expected IA32_TSC_AUX 0x%x, got 0x%x", AUX_VALUE, aux);
}

static void check_rdpid(void)
{
	uint64_t aux;
	int vec;

	if (!kvm_cpu_has(X86_FEATURE_RDPID)) {
		vec = rdpid_safe(&aux);
		tst_res(vec == X86_UD ? TPASS : TFAIL, "RDPID without CPUID "
			"RDPID: expected #UD, got %s", kvm_exception_name(vec));
		return;
	}
	kvm_wrmsr(MSR_TSC_AUX, AUX_VALUE);
	vec = rdpid_safe(&aux);
	if (vec != KVM_NO_EXC)
		tst_res(TFAIL, "RDPID raised %s", kvm_exception_name(vec));
	else
		tst_res(aux == AUX_VALUE ? TPASS : TFAIL, "RDPID: expected "
			"IA32_TSC_AUX 0x%x, got 0x%llx", AUX_VALUE,
			(unsigned long long)aux);
}

static const struct tst_case cases[] = {
#define TSC_CASE(fn, name) { name, fn },
	TSC_CASES(TSC_CASE)
};

void main(void)
{
	if (!kvm_cpu_has(X86_FEATURE_TSC))
		tst_brk(TCONF, "no CPUID TSC");
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

#include <unistd.h>

static const char *const names[] = {
#define TSC_NAME(fn, name) name,
	TSC_CASES(TSC_NAME)
};

static uint32_t host_call(struct tst_kvm_instance *in, void *opaque,
	uint32_t nr, uint64_t arg)
{
	(void)opaque;
	if (nr != HC_SLEEP || arg > 1000000)
		tst_kvm_brk(in, "bad host call %u (arg %llu)", nr,
			    (unsigned long long)arg);
	usleep((useconds_t)arg);
	return 0;
}

static enum tst_kvm_action port_write(struct tst_kvm_instance *in,
	void *opaque, uint64_t off, const void *data, unsigned int len)
{
	(void)in;
	(void)opaque;
	(void)off;
	(void)data;
	(void)len;
	return TST_KVM_CONTINUE;
}

/* Case i in the child tst_kvm_run_cases_vm() made for it. */
static void run_case(unsigned int i)
{
	static const struct tst_kvm_device port = {
		.name = "tsc test port", .base = TEST_PORT, .size = 4,
		.write = port_write,
	};
	struct tst_kvm_instance inst;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_add_pio_device(&inst, &port);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	tst_kvm_set_guest_arg(&inst, i);
	tst_kvm_run_instance(&inst);
	tst_kvm_destroy_instance(&inst);
}

static void run(void)
{
	tst_kvm_run_cases_vm(names, ARRAY_SIZE(names), run_case);
}

static struct tst_test test = {
	.description = "TSC monotonic across exits, RDMSR(TSC) vs RDTSC, "
		       "CR4.TSD at CPL 0, RDTSCP/RDPID and TSC_AUX",
	.setup = tst_kvm_setup,
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
