// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The case API: a payload split into named cases (tst_case_run) that the
 * host runs one per VM (tst_kvm_run_cases). A passing case gives one TPASS
 * "passed all", a case ending in TCONF is relayed as TCONF, and a failing
 * or crashing case gives a TFAIL naming it with its own output, without
 * hiding the cases after it; every guest line carries the case's name.
 * With the test's own VM (tst_kvm_run_cases_vm()), a failing host-side
 * check fails the case.
 */
#include "kvm_test.h"

#define CASES(X) \
	X(passing) \
	X(skipping) \
	X(failing) \
	X(crashing) \
	X(after_the_crash)

#ifdef COMPILE_PAYLOAD

static void passing(void)
{
	tst_res(TPASS, "first check");
	tst_res(TPASS, "second check");
}

static void skipping(void)
{
	tst_brk(TCONF, "the feature under test is absent");
}

static void failing(void)
{
	tst_res(TPASS, "a check that passes");
	tst_res(TFAIL, "a check that fails on purpose");
}

static void crashing(void)
{
	__asm__ __volatile__("ud2");
}

static void after_the_crash(void)
{
	tst_res(TPASS, "still run");
}

static const struct tst_case cases[] = {
#define CASE_ENTRY(fn) { #fn, fn },
	CASES(CASE_ENTRY)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define CASE_NAME(fn) #fn,
	CASES(CASE_NAME)
};

/* All five cases; the failing and crashing ones make this child fail. */
static void run_all(void)
{
	tst_kvm_run_cases(names, ARRAY_SIZE(names));
}

static void run_good(void)
{
	tst_kvm_run_cases(names, 2);
}

/* tst_kvm_run_cases_vm(): the test's own VM and a host-side check. */
static int host_check_fails;

static void own_vm(unsigned int i)
{
	struct tst_kvm_instance inst;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_set_guest_arg(&inst, i);
	tst_kvm_run_instance(&inst);
	tst_kvm_destroy_instance(&inst);
	tst_res(host_check_fails ? TFAIL : TPASS, "host-side check of case %u",
		i);
}

static void run_own_vm(void)
{
	tst_kvm_run_cases_vm(names, 1, own_vm);
}

static void run_own_vm_failing(void)
{
	host_check_fails = 1;
	tst_kvm_run_cases_vm(names, 1, own_vm);
}

static void run(void)
{
	tst_kvm_expect_verdict(run_good, TPASS, "scenario 0: ended with exit "
		"status 0: cases.c:*: TPASS: passing: passed all 2 checks");
	tst_kvm_expect_verdict(run_good, TPASS, "TCONF: scenario 1: cases.c:*: "
		"TCONF: skipping: the feature under test is absent");
	tst_kvm_expect_verdict(run_all, TFAIL, "TFAIL: scenario 2: expected a "
		"line matching 'TPASS: failing: passed all'");
	tst_kvm_expect_verdict(run_all, TFAIL, "TFAIL: failing: a check that "
		"fails on purpose");
	tst_kvm_expect_verdict(run_all, TFAIL, "TFAIL: scenario 3: expected a "
		"line matching 'TPASS: crashing: passed all'");
	tst_kvm_expect_verdict(run_all, TFAIL, "TPASS: scenario 4: ended with "
		"exit status 0: cases.c:*: TPASS: after_the_crash: passed all");
	tst_kvm_expect_verdict(run_own_vm, TPASS, "scenario 0: ended with exit "
		"status 0: cases.c:*: TPASS: passing: passed all 2 checks");
	tst_kvm_expect_verdict(run_own_vm_failing, TFAIL, "TFAIL: scenario 0: "
		"expected a line matching 'TPASS: passing: passed all' and "
		"exit status 0 (TPASS); got exit status 1");
	tst_kvm_expect_verdict(run_own_vm_failing, TFAIL, "TFAIL: host-side "
		"check of case 0");
}

static struct tst_test test = {
	.description = "test cases run one per VM: passed all, TCONF relayed, "
		"failures named without hiding later cases",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
