/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.h - a tiny host-side unit-test helper. Each check prints one line in
 * the suite's format ("file:line: TPASS|TFAIL: what"), a failure shows the
 * expected and actual values, and unit_done() prints the summary line and
 * returns the exit status (0: all passed). Random tests take their seed
 * from UNIT_SEED (printed on every run) so a failure can be replayed.
 */
#ifndef KVMCHECK_UNIT_H
#define KVMCHECK_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned int unit_passed, unit_failed;

#define UNIT_FILE __FILE_NAME__

static inline void unit_result(const char *file, int line, int ok,
			       const char *what, const char *detail)
{
	if (ok)
		unit_passed++;
	else
		unit_failed++;
	printf("%s:%d: %s: %s%s%s\n", file, line, ok ? "TPASS" : "TFAIL",
	       what, detail && *detail ? ": " : "", detail ? detail : "");
}

/* A boolean check with a message. */
#define UNIT_CHECK(cond, what) \
	unit_result(UNIT_FILE, __LINE__, !!(cond), (what), NULL)

#define UNIT_EQ_INT(what, expected, actual) do { \
	long long e_ = (long long)(expected), a_ = (long long)(actual); \
	char d_[96]; \
	snprintf(d_, sizeof(d_), "expected %lld, got %lld", e_, a_); \
	unit_result(UNIT_FILE, __LINE__, e_ == a_, (what), e_ == a_ ? NULL : d_); \
} while (0)

#define UNIT_EQ_U64(what, expected, actual) do { \
	unsigned long long e_ = (expected), a_ = (actual); \
	char d_[96]; \
	snprintf(d_, sizeof(d_), "expected 0x%llx, got 0x%llx", e_, a_); \
	unit_result(UNIT_FILE, __LINE__, e_ == a_, (what), e_ == a_ ? NULL : d_); \
} while (0)

#define UNIT_EQ_STR(what, expected, actual) do { \
	const char *e_ = (expected), *a_ = (actual); \
	int ok_ = e_ && a_ && !strcmp(e_, a_); \
	char *d_ = NULL; \
	if (!ok_ && asprintf(&d_, "expected \"%s\", got \"%s\"", \
			     e_ ? e_ : "(null)", a_ ? a_ : "(null)") < 0) \
		d_ = NULL; \
	unit_result(UNIT_FILE, __LINE__, ok_, (what), d_); \
	free(d_); \
} while (0)

/* Seed from UNIT_SEED or the clock; printed so a failure can be replayed. */
static inline unsigned int unit_seed(void)
{
	const char *env = getenv("UNIT_SEED");
	unsigned int seed = env ? (unsigned int)strtoul(env, NULL, 0) :
		(unsigned int)time(NULL) ^ (unsigned int)getpid();

	printf("%s: random seed %u (replay with UNIT_SEED=%u)\n", UNIT_FILE,
	       seed, seed);
	return seed;
}

static inline int unit_done(void)
{
	printf("\nSummary:\npassed   %u\nfailed   %u\nbroken   0\n"
	       "skipped  0\nwarnings 0\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif /* KVMCHECK_UNIT_H */
