/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tst_test.h - the host test harness: struct tst_test (a test's entry
 * points and metadata), host-side tst_res()/tst_brk(), and main(). Exit
 * status follows LTP: 0 pass, else the OR of TFAIL, TBROK, TWARN and (when
 * nothing passed) TCONF.
 */
#ifndef TST_TEST_H
#define TST_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kvm_common.h"

#ifdef COMPILE_PAYLOAD
# error "tst_test.h is the host pass's header; include kvm_test.h"
#endif

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define LTP_ALIGN(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

/* A tag: {"CVE", "2021-38198"}, {"linux-git", "<commit>"}; list ends {} */
struct tst_tag {
	const char *name;
	const char *value;
};

struct tst_kvm_vm_opts;

struct tst_test {
	/* One line for "kvmcheck list". */
	const char *description;

	void (*setup)(void);
	void (*cleanup)(void);
	void (*test_all)(void);

	/* Seconds for the whole test (all iterations); 0: the default, 30. */
	unsigned int timeout;

	/* KVM_CAP_* numbers the test needs, ending with 0: TCONF if absent. */
	const int *needs_kvm_caps;

	const struct tst_tag *tags;

	/*
	 * The VM of the default tst_kvm_run() and of the negative-test
	 * helpers (kvm_host.h); NULL: one vCPU, DEFAULT_RAM_SIZE.
	 */
	const struct tst_kvm_vm_opts *kvm_opts;

	/* Set by TST_TEST_TCONF(): the test only reports this as TCONF. */
	const char *tconf_msg;
};

#define TST_DEFAULT_TIMEOUT 30

/* Runs the test; called by the main() below. */
int tst_run_tcases(int argc, char *argv[], struct tst_test *self);

#define __tst_printf(fmt, args) __attribute__((format(printf, fmt, args)))

void tst_res_(const char *file, int lineno, int ttype, const char *fmt, ...)
	__tst_printf(4, 5);
void tst_vres_(const char *file, int lineno, int ttype, const char *fmt,
	       va_list ap);
void tst_brk_(const char *file, int lineno, int ttype, const char *fmt, ...)
	__tst_printf(4, 5) __attribute__((noreturn));

#ifdef __FILE_NAME__
# define TST_FILE __FILE_NAME__
#else
# define TST_FILE __FILE__
#endif

#define tst_res(ttype, fmt, ...) \
	tst_res_(TST_FILE, __LINE__, (ttype), (fmt), ##__VA_ARGS__)
#define tst_brk(ttype, fmt, ...) \
	tst_brk_(TST_FILE, __LINE__, (ttype), (fmt), ##__VA_ARGS__)

/*
 * End the test now: run cleanup once, print the summary and exit with the
 * accumulated result bits. tst_brk() is tst_res() followed by this.
 */
void tst_abort(void) __attribute__((noreturn));

/* Print a line as-is (context under a result line, e.g. a register dump). */
void tst_printf(const char *fmt, ...) __tst_printf(1, 2);

/*
 * Check what the host printed: from tst_output_capture_begin() on, stdout
 * goes to a temporary file; tst_output_capture_end() prints it after all
 * and returns it (free() it; NULL if no capture was running). The harness
 * ends a capture a tst_brk() left open.
 */
void tst_output_capture_begin(void);
char *tst_output_capture_end(void);

/* Timeout multiplier from KVMCHECK_TIMEOUT_MUL (default 1.0). */
double tst_timeout_mul(void);

/* The running test's metadata. */
const struct tst_test *tst_test_self(void);

/*
 * Guarded buffers: page-aligned at both ends with an inaccessible page
 * before and after. Freed by tst_free_all() (tst_kvm_run() calls it).
 */
void *tst_alloc_guarded(size_t size);
void tst_free_all(void);

/* A TST_TEST_TCONF() test: the whole test is one TCONF line. */
#define TST_TEST_TCONF(message) \
	static struct tst_test test = { .tconf_msg = (message) }

/*
 * A test file gets main() from here; the library (built with
 * TST_NO_DEFAULT_MAIN) does not.
 */
#ifndef TST_NO_DEFAULT_MAIN
static struct tst_test test;

int main(int argc, char *argv[])
{
	return tst_run_tcases(argc, argv, &test);
}
#endif

#endif /* TST_TEST_H */
