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

#ifndef ARRAY_SIZE
# define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

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
	long long unit_e_ = (long long)(expected), unit_a_ = (long long)(actual); \
	char unit_d_[96]; \
	snprintf(unit_d_, sizeof(unit_d_), "expected %lld, got %lld", unit_e_, unit_a_); \
	unit_result(UNIT_FILE, __LINE__, unit_e_ == unit_a_, (what), unit_e_ == unit_a_ ? NULL : unit_d_); \
} while (0)

#define UNIT_EQ_U64(what, expected, actual) do { \
	unsigned long long unit_e_ = (expected), unit_a_ = (actual); \
	char unit_d_[96]; \
	snprintf(unit_d_, sizeof(unit_d_), "expected 0x%llx, got 0x%llx", unit_e_, unit_a_); \
	unit_result(UNIT_FILE, __LINE__, unit_e_ == unit_a_, (what), unit_e_ == unit_a_ ? NULL : unit_d_); \
} while (0)

#define UNIT_EQ_STR(what, expected, actual) do { \
	const char *unit_e_ = (expected), *unit_a_ = (actual); \
	int unit_ok_ = unit_e_ && unit_a_ && !strcmp(unit_e_, unit_a_); \
	char *unit_d_ = NULL; \
	if (!unit_ok_ && asprintf(&unit_d_, "expected \"%s\", got \"%s\"", \
			     unit_e_ ? unit_e_ : "(null)", unit_a_ ? unit_a_ : "(null)") < 0) \
		unit_d_ = NULL; \
	unit_result(UNIT_FILE, __LINE__, unit_ok_, (what), unit_d_); \
	free(unit_d_); \
} while (0)

/* Seed from UNIT_SEED or the clock; printed so a failure can be replayed. */
static inline unsigned int unit_seed_(const char *file)
{
	const char *env = getenv("UNIT_SEED");
	unsigned int seed = env ? (unsigned int)strtoul(env, NULL, 0) :
		(unsigned int)time(NULL) ^ (unsigned int)getpid();

	printf("%s: random seed %u (replay with UNIT_SEED=%u)\n", file, seed,
	       seed);
	return seed;
}
#define unit_seed() unit_seed_(UNIT_FILE)

static inline int unit_done(void)
{
	printf("\nSummary:\npassed   %u\nfailed   %u\nbroken   0\n"
	       "skipped  0\nwarnings 0\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif /* KVMCHECK_UNIT_H */
