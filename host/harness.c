/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness.c - the host test harness: option parsing, the test's life cycle
 * (capabilities, setup, iterations, cleanup), host-side tst_res()/tst_brk(),
 * result counting, the summary and the LTP exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tst_test.h"
#include "internal.h"

static struct tst_test *self;
static unsigned int passed, failed, broken, warnings, skipped;
static int setup_done;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t abort_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const type_names[] = {
	[TPASS] = "TPASS", [TFAIL] = "TFAIL", [TBROK] = "TBROK",
	[TWARN] = "TWARN", [TINFO] = "TINFO", [TCONF] = "TCONF",
};

static const char *type_name(int ttype)
{
	ttype &= TTYPE_MASK;
	if (ttype < (int)ARRAY_SIZE(type_names) && type_names[ttype])
		return type_names[ttype];
	return "T???";
}

const struct tst_test *tst_test_self(void)
{
	return self;
}

static void count(int ttype)
{
	switch (ttype & TTYPE_MASK) {
	case TPASS:
		passed++;
		break;
	case TFAIL:
		failed++;
		break;
	case TBROK:
		broken++;
		break;
	case TWARN:
		warnings++;
		break;
	case TCONF:
		skipped++;
		break;
	}
}

void tst_vres_(const char *file, int lineno, int ttype, const char *fmt,
	       va_list ap)
{
	char msg[KVM_RESULT_MSG_SIZE * 4 + 256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	pthread_mutex_lock(&out_lock);
	count(ttype);
	printf("%s:%d: %s: %s\n", file, lineno, type_name(ttype), msg);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

void tst_res_(const char *file, int lineno, int ttype, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tst_vres_(file, lineno, ttype, fmt, ap);
	va_end(ap);
}

void tst_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pthread_mutex_lock(&out_lock);
	vprintf(fmt, ap);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	va_end(ap);
}

int tst_harness_exit_code(void)
{
	int ret = 0;

	if (failed)
		ret |= TFAIL;
	if (broken)
		ret |= TBROK;
	if (warnings)
		ret |= TWARN;
	if (skipped && !passed)
		ret |= TCONF;
	return ret;
}

static void print_hints(void)
{
	const struct tst_tag *t;

	if (!self || !self->tags || !(failed || broken))
		return;
	for (t = self->tags; t->name; t++) {
		if (!strcmp(t->name, "linux-git"))
			printf("HINT: you may be missing kernel fix %s\n",
			       t->value);
		else if (!strcmp(t->name, "CVE"))
			printf("HINT: you may be vulnerable to CVE-%s\n",
			       t->value);
	}
}

static void print_summary(void)
{
	print_hints();
	printf("\nSummary:\npassed   %u\nfailed   %u\nbroken   %u\n"
	       "skipped  %u\nwarnings %u\n",
	       passed, failed, broken, skipped, warnings);
	fflush(stdout);
}

static __attribute__((noreturn)) void finish(void)
{
	free(tst_output_capture_end());
	tst_watchdog_stop();
	print_summary();
	exit(tst_harness_exit_code());
}

void tst_abort(void)
{
	/*
	 * The first caller stops the other vCPU threads, cleans up and
	 * exits; later ones halt until that.
	 */
	if (pthread_mutex_trylock(&abort_lock))
		tst_vcpu_thread_halt();
	tst_vcpu_threads_stop();
	if (setup_done && self->cleanup) {
		setup_done = 0;
		self->cleanup();
	}
	finish();
}

void tst_brk_(const char *file, int lineno, int ttype, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tst_vres_(file, lineno, ttype, fmt, ap);
	va_end(ap);
	tst_abort();
}

void tst_harness_child_reset(void)
{
	passed = failed = broken = warnings = skipped = 0;
	setup_done = 0;
	if (pthread_mutex_trylock(&abort_lock) == 0)
		pthread_mutex_unlock(&abort_lock);
}

double tst_timeout_mul(void)
{
	const char *env = getenv("KVMCHECK_TIMEOUT_MUL");
	char *end;
	double mul;

	if (!env || !*env)
		return 1.0;
	errno = 0;
	mul = strtod(env, &end);
	if (errno || *end || !(mul > 0) || mul > 1000)
		tst_brk(TBROK, "KVMCHECK_TIMEOUT_MUL='%s': expected a number "
			"in (0, 1000]", env);
	return mul;
}

static void usage(const char *prog, FILE *out)
{
	fprintf(out,
		"usage: %s [-i N] [-h] [--metadata]\n"
		"  -i N        run the test N times (a fresh VM each time)\n"
		"  -h          this help\n"
		"  --metadata  print the test's metadata as key=value lines\n"
		"environment: KVMCHECK_TIMEOUT_MUL scales the timeout\n",
		prog);
	if (self->description)
		fprintf(out, "\n%s\n", self->description);
}

static void print_metadata(void)
{
	const struct tst_tag *t;
	const int *cap;

	printf("description=%s\n", self->description ? self->description : "");
	printf("timeout=%u\n", self->timeout ? self->timeout :
	       TST_DEFAULT_TIMEOUT);
	for (t = self->tags; t && t->name; t++)
		printf("tag=%s:%s\n", t->name, t->value);
	for (cap = self->needs_kvm_caps; cap && *cap; cap++)
		printf("needs_kvm_cap=%s\n", tst_kvm_cap_name(*cap));
	if (self->tconf_msg)
		printf("tconf=%s\n", self->tconf_msg);
}

static unsigned int parse_args(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "metadata", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long iterations = 1;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "hi:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(argv[0], stdout);
			exit(0);
		case 'M':
			print_metadata();
			exit(0);
		case 'i':
			errno = 0;
			iterations = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || iterations > 1000000) {
				fprintf(stderr, "%s: -i '%s': expected a number "
					"of iterations\n", argv[0], optarg);
				exit(TBROK);
			}
			break;
		default:
			usage(argv[0], stderr);
			exit(TBROK);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0],
			argv[optind]);
		usage(argv[0], stderr);
		exit(TBROK);
	}
	return iterations;
}

static void check_caps(void)
{
	const int *cap;

	for (cap = self->needs_kvm_caps; cap && *cap; cap++) {
		if (!tst_kvm_check_cap(*cap))
			tst_brk(TCONF, "%s (%d) is not supported by this KVM",
				tst_kvm_cap_name(*cap), *cap);
	}
}

int tst_run_tcases(int argc, char *argv[], struct tst_test *test)
{
	unsigned int iterations, i;

	self = test;
	setvbuf(stdout, NULL, _IOLBF, 0);
	iterations = parse_args(argc, argv);

	if (self->tconf_msg)
		tst_brk(TCONF, "%s", self->tconf_msg);
	if (!self->test_all)
		tst_brk(TBROK, "struct tst_test has no .test_all");

	tst_watchdog_start((self->timeout ? self->timeout :
			    TST_DEFAULT_TIMEOUT) * tst_timeout_mul());
	check_caps();

	if (self->setup)
		self->setup();
	setup_done = 1;

	for (i = 0; i < iterations; i++)
		self->test_all();

	if (self->cleanup) {
		setup_done = 0;
		self->cleanup();
	}

	if (!(passed | failed | broken | warnings | skipped))
		tst_res(TBROK, "test reported no results");
	finish();
}
