// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli.c - the command line of "kvmcheck run" and "kvmcheck list": one
 * table of options (which commands take them, how a value is checked),
 * patterns as the remaining arguments, and the usage text.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

#define CMD_RUN		(1u << CLI_RUN)
#define CMD_LIST	(1u << CLI_LIST)

struct opt_def {
	const char *name;
	int key;		/* short option letter, or a value > 255 */
	bool has_arg;
	unsigned int cmds;
	int (*set)(struct run_opts *o, const char *opt, const char *val);
};

static int set_jobs(struct run_opts *o, const char *opt, const char *val)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(val, &end, 10);
	if (errno || end == val || *end || val[0] == '-' || !n ||
	    n > MAX_JOBS)
		return usage_err("%s '%s': expected a number of parallel "
				 "jobs from 1 to %d", opt, val, MAX_JOBS);
	o->jobs = (unsigned int)n;
	return 0;
}

static int set_timeout(struct run_opts *o, const char *opt, const char *val)
{
	char *end;
	double t;

	errno = 0;
	t = strtod(val, &end);
	if (errno || end == val || *end || !isfinite(t) || t <= 0 ||
	    t > 1e6)
		return usage_err("%s '%s': expected a number of seconds > 0",
				 opt, val);
	o->timeout_s = t;
	return 0;
}

static int set_format(struct run_opts *o, const char *opt, const char *val)
{
	if (!reporter_find(val))
		return usage_err("%s '%s': unknown format (expected one of: "
				 "%s)", opt, val, reporter_names());
	o->format = val;
	return 0;
}

static int set_path(const char **slot, const char *opt, const char *val)
{
	if (!*val)
		return usage_err("%s: expected a path, got ''", opt);
	*slot = val;
	return 0;
}

static int set_output(struct run_opts *o, const char *opt, const char *val)
{
	return set_path(&o->output, opt, val);
}

static int set_tests_dir(struct run_opts *o, const char *opt,
			 const char *val)
{
	return set_path(&o->tests_dir, opt, val);
}

static int set_known(struct run_opts *o, const char *opt, const char *val)
{
	return set_path(&o->known_failures, opt, val);
}

static int set_backend(struct run_opts *o, const char *opt, const char *val)
{
	if (!*val || strspn(val, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
	    strlen(val))
		return usage_err("%s '%s': expected a module name such as "
				 "kvm_intel", opt, val);
	o->backend = val;
	return 0;
}

static int set_verbose(struct run_opts *o, const char *opt, const char *val)
{
	(void)opt;
	(void)val;
	o->verbose = true;
	return 0;
}

static const struct opt_def opt_defs[] = {
	{ "jobs", 'j', true, CMD_RUN | CMD_LIST, set_jobs },
	{ "timeout", 't', true, CMD_RUN, set_timeout },
	{ "format", 'f', true, CMD_RUN, set_format },
	{ "output", 'o', true, CMD_RUN, set_output },
	{ "tests-dir", 256, true, CMD_RUN | CMD_LIST, set_tests_dir },
	{ "known-failures", 257, true, CMD_RUN, set_known },
	{ "backend", 258, true, CMD_RUN, set_backend },
	{ "verbose", 'v', false, CMD_RUN, set_verbose },
};

static const char *const cmd_names[] = {
	[CLI_RUN] = "run", [CLI_LIST] = "list",
};

static const char usage_text[] =
"usage: kvmcheck <command> [ARGS...]\n"
"\n"
"  list [PATTERN...] [--tests-dir DIR] [-j N]\n"
"      print \"group/name  description\" for each test, sorted\n"
"  run [PATTERN...] [-j N] [--timeout S] [--format FORMAT] [-o FILE]\n"
"      [--tests-dir DIR] [--known-failures FILE] [--backend NAME] [-v]\n"
"      run the tests, in parallel, each in its own process\n"
"  bench [ARGS...]\n"
"      run every program in <dir of kvmcheck>/bench/ with ARGS\n"
"  help, -h, --help\n"
"      this text\n"
"\n"
"PATTERN is a shell glob on group/name ('cpu/*', basic/hello); each one\n"
"must match a test. Without patterns, all tests.\n"
"\n"
"options:\n"
"  -j, --jobs N          parallel tests (default: online CPUs)\n"
"  -t, --timeout S       wall-clock limit per test in seconds, not scaled\n"
"                        (default: the test's own timeout x\n"
"                        KVMCHECK_TIMEOUT_MUL + 10); then SIGKILL\n"
"  -f, --format FORMAT   text (default), ktap, junit, json, html\n"
"  -o, --output FILE     write the report to FILE instead of stdout\n"
"  --tests-dir DIR       tests are DIR/<group>/<name> (default: tests/\n"
"                        next to the kvmcheck binary)\n"
"  --known-failures FILE (default: known-failures/<backend> next to the\n"
"                        kvmcheck binary; a missing default is empty)\n"
"  --backend NAME        known-failures backend (default: the first of\n"
"                        kvm_pvm, kvm_intel, kvm_amd that is loaded)\n"
"  -v, --verbose         text report: every test's full output\n"
"\n"
"verdicts:\n"
"  pass     it passed\n"
"  fail     a TFAIL line\n"
"  broken   a TBROK line, a crash (signal), no result line at all, or an\n"
"           exit status that does not match the result lines\n"
"  warn     a TWARN line: something nobody expects; counts as a failure\n"
"  timeout  killed at its time limit\n"
"  conf     skipped (TCONF), with the reason\n"
"  xfail    every failing line (or the timeout/crash) is a known failure\n"
"  xpass    a test with a known failure passed: update the list\n"
"\n"
"exit status of run: 0 when nothing is unexpected (only pass, conf,\n"
"xfail), 1 when a test failed, broke, warned, timed out or passed\n"
"unexpectedly, 2 for a usage error. The last line of the text report is\n"
"\"N passed, N failed, N skipped\" (passed: pass+xfail; failed: all\n"
"unexpected; skipped: conf).\n"
"\n"
"environment: KVMCHECK_TIMEOUT_MUL (a number in (0, 1000]) scales every\n"
"test's timeout; tests get it too.\n";

void cli_usage(FILE *f)
{
	fputs(usage_text, f);
}

static int build_getopt(enum cli_cmd cmd, struct option *lo, char *so)
{
	size_t i, n = 0;

	*so++ = ':';
	for (i = 0; i < ARRAY_SIZE(opt_defs); i++) {
		if (!(opt_defs[i].cmds & (1u << cmd)))
			continue;
		lo[n++] = (struct option){ opt_defs[i].name,
			opt_defs[i].has_arg ? required_argument : no_argument,
			NULL, opt_defs[i].key };
		if (opt_defs[i].key < 256) {
			*so++ = (char)opt_defs[i].key;
			if (opt_defs[i].has_arg)
				*so++ = ':';
		}
	}
	*so++ = 'h';
	*so = '\0';
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	return 0;
}

static const struct opt_def *find_def(int key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opt_defs); i++) {
		if (opt_defs[i].key == key)
			return &opt_defs[i];
	}
	return NULL;
}

/* The option as the user wrote it (long or short), for messages. */
static void opt_spelling(char *buf, size_t size, int key, bool is_long)
{
	const struct opt_def *d = find_def(key);

	if (is_long || key >= 256)
		snprintf(buf, size, "--%s", d ? d->name : "?");
	else
		snprintf(buf, size, "-%c", key);
}

static int bad_option(enum cli_cmd cmd, int c, char **argv)
{
	char opt[64];

	if (c == ':') {
		opt_spelling(opt, sizeof(opt), optopt,
			     !strncmp(argv[optind - 1], "--", 2));
		return usage_err("option '%s' needs a value", opt);
	}
	if (optopt && optopt < 256)
		snprintf(opt, sizeof(opt), "-%c", optopt);
	else
		snprintf(opt, sizeof(opt), "%s", argv[optind - 1]);
	return usage_err("unknown option '%s' for '%s'", opt,
			 cmd_names[cmd]);
}

/*
 * Parses argv (argv[0] is the command name) into o. Returns 0, -1 after
 * printing help (exit 0), or EXIT_USAGE after a message.
 */
int cli_parse(enum cli_cmd cmd, int argc, char **argv, struct run_opts *o)
{
	struct option lo[ARRAY_SIZE(opt_defs) + 2];
	char so[3 * ARRAY_SIZE(opt_defs) + 3], opt[64];
	const struct opt_def *d;
	int c, ret, li;

	memset(o, 0, sizeof(*o));
	o->format = "text";
	build_getopt(cmd, lo, so);
	opterr = 0;
	optind = 0;
	while ((li = -1, c = getopt_long(argc, argv, so, lo, &li)) != -1) {
		if (c == 'h') {
			cli_usage(stdout);
			return -1;
		}
		d = find_def(c);
		if (!d)
			return bad_option(cmd, c, argv);
		opt_spelling(opt, sizeof(opt), c, li >= 0);
		ret = d->set(o, opt, optarg);
		if (ret)
			return ret;
	}
	o->patterns = argv + optind;
	o->npatterns = (size_t)(argc - optind);
	return 0;
}

/* <dir of kvmcheck>/tests (malloc'd). */
char *default_tests_dir(void)
{
	char *dir = self_dir(), *tests = xasprintf("%s/tests", dir);

	free(dir);
	return tests;
}

int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_usage(stdout);
	return 0;
}
