// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the runner's inputs: pattern filtering, command-line
 * parsing (good and bad values), KVMCHECK_TIMEOUT_MUL, --metadata output,
 * test discovery in a scratch directory, backend and CPU vendor detection.
 */
#include <stdarg.h>
#include <sys/stat.h>
#include "unit.h"
#include "../runner/runner.h"

static const char *const names[] = {
	"basic/hello", "cpu/cr", "cpu/msr", "exc/gp", "io/pio",
};

static void test_filter(void)
{
	static const struct {
		const char *patterns[3];
		int bad;
		const char *kept;	/* one char per name: 1 kept */
	} cases[] = {
		{ { NULL }, -1, "11111" },
		{ { "cpu/*", NULL }, -1, "01100" },
		{ { "basic/hello", "exc/*", NULL }, -1, "10010" },
		{ { "*", NULL }, -1, "11111" },
		{ { "*/?r", NULL }, -1, "01000" },
		{ { "*m*", NULL }, -1, "00100" },
		{ { "cpu/[cm]*", NULL }, -1, "01100" },
		{ { "cpu", NULL }, 0, "00000" },
		{ { "cpu/*", "nope/*", NULL }, 1, "01100" },
	};
	bool keep[ARRAY_SIZE(names)];
	char kept[ARRAY_SIZE(names) + 1], what[96];
	size_t i, j, np;
	int bad;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (np = 0; cases[i].patterns[np]; np++)
			;
		bad = filter_names(names, ARRAY_SIZE(names),
				   (char *const *)cases[i].patterns, np, keep);
		for (j = 0; j < ARRAY_SIZE(names); j++)
			kept[j] = keep[j] ? '1' : '0';
		kept[j] = '\0';
		snprintf(what, sizeof(what), "filter %zu (%s): kept", i,
			 np ? cases[i].patterns[0] : "none");
		UNIT_EQ_STR(what, cases[i].kept, kept);
		snprintf(what, sizeof(what), "filter %zu: unmatched pattern",
			 i);
		UNIT_EQ_INT(what, cases[i].bad, bad);
	}
}

static int parse(enum cli_cmd cmd, struct run_opts *o, ...)
{
	static char *argv[32];	/* o->patterns points into it */
	va_list ap;
	int argc = 0;

	va_start(ap, o);
	argv[argc++] = cmd == CLI_RUN ? "run" : "list";
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	argv[argc] = NULL;
	va_end(ap);
	return cli_parse(cmd, argc, argv, o);
}

static void test_cli(void)
{
	struct run_opts o;

	UNIT_EQ_INT("all options", 0, parse(CLI_RUN, &o, "cpu/*", "-j", "3",
		    "--timeout", "2.5", "--format", "junit", "-o", "out.xml",
		    "--tests-dir", "/t", "--known-failures", "/kf",
		    "--backend", "kvm_amd", "-v", "exc/gp", NULL));
	UNIT_EQ_INT("jobs", 3, o.jobs);
	UNIT_CHECK(o.timeout_s == 2.5, "timeout 2.5");
	UNIT_EQ_STR("format", "junit", o.format);
	UNIT_EQ_STR("output", "out.xml", o.output);
	UNIT_EQ_STR("tests dir", "/t", o.tests_dir);
	UNIT_EQ_STR("known failures", "/kf", o.known_failures);
	UNIT_EQ_STR("backend", "kvm_amd", o.backend);
	UNIT_CHECK(o.verbose, "verbose");
	UNIT_EQ_INT("two patterns, around the options", 2, o.npatterns);
	if (o.npatterns == 2) {
		UNIT_EQ_STR("pattern 1", "cpu/*", o.patterns[0]);
		UNIT_EQ_STR("pattern 2", "exc/gp", o.patterns[1]);
	}
	UNIT_EQ_INT("defaults", 0, parse(CLI_RUN, &o, NULL));
	UNIT_CHECK(!o.jobs && !o.timeout_s && !strcmp(o.format, "text") &&
		   !o.npatterns, "defaults: jobs 0 (CPUs), text, no patterns");
	UNIT_EQ_INT("--jobs=4 form", 0, parse(CLI_RUN, &o, "--jobs=4", NULL));
	UNIT_EQ_INT("--jobs=4 value", 4, o.jobs);

	fputs("(usage errors expected on stderr)\n", stdout);
	fflush(stdout);
	UNIT_EQ_INT("-j 0", EXIT_USAGE, parse(CLI_RUN, &o, "-j", "0", NULL));
	UNIT_EQ_INT("-j abc", EXIT_USAGE,
		    parse(CLI_RUN, &o, "-j", "abc", NULL));
	UNIT_EQ_INT("-j -1", EXIT_USAGE, parse(CLI_RUN, &o, "-j", "-1", NULL));
	UNIT_EQ_INT("-j 2x", EXIT_USAGE, parse(CLI_RUN, &o, "-j", "2x", NULL));
	UNIT_EQ_INT("-j 100000", EXIT_USAGE,
		    parse(CLI_RUN, &o, "-j", "100000", NULL));
	UNIT_EQ_INT("--format xml", EXIT_USAGE,
		    parse(CLI_RUN, &o, "--format", "xml", NULL));
	UNIT_EQ_INT("--timeout 0", EXIT_USAGE,
		    parse(CLI_RUN, &o, "--timeout", "0", NULL));
	UNIT_EQ_INT("--timeout nan", EXIT_USAGE,
		    parse(CLI_RUN, &o, "--timeout", "nan", NULL));
	UNIT_EQ_INT("--backend with a slash", EXIT_USAGE,
		    parse(CLI_RUN, &o, "--backend", "../x", NULL));
	UNIT_EQ_INT("unknown long option", EXIT_USAGE,
		    parse(CLI_RUN, &o, "--frobnicate", NULL));
	UNIT_EQ_INT("unknown short option", EXIT_USAGE,
		    parse(CLI_RUN, &o, "-x", NULL));
	UNIT_EQ_INT("missing value", EXIT_USAGE,
		    parse(CLI_RUN, &o, "--format", NULL));
	UNIT_EQ_INT("list takes no --format", EXIT_USAGE,
		    parse(CLI_LIST, &o, "--format", "json", NULL));
	UNIT_EQ_INT("list takes --tests-dir", 0,
		    parse(CLI_LIST, &o, "--tests-dir", "/x", "a/*", NULL));
}

static void test_timeout_mul(void)
{
	static const struct {
		const char *env;
		int ret;
		double mul;
	} cases[] = {
		{ NULL, 0, 1 }, { "", 0, 1 }, { "2", 0, 2 }, { "0.1", 0, 0.1 },
		{ "1000", 0, 1000 }, { "0", -1, 0 }, { "-1", -1, 0 },
		{ "abc", -1, 0 }, { "1.5x", -1, 0 }, { "1001", -1, 0 },
		{ "nan", -1, 0 }, { "inf", -1, 0 },
	};
	char what[64];
	double mul;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = parse_timeout_mul(cases[i].env, &mul);
		snprintf(what, sizeof(what), "KVMCHECK_TIMEOUT_MUL='%s'",
			 cases[i].env ? cases[i].env : "(unset)");
		UNIT_EQ_INT(what, cases[i].ret, ret);
		if (!ret)
			UNIT_CHECK(mul == cases[i].mul, what);
	}
}

static void test_metadata(void)
{
	const char good[] = "description=MSR round trips\ntimeout=60\n"
			    "tag=linux-git:abc123\ntag=CVE:2021-1\n"
			    "needs_kvm_cap=KVM_CAP_X\nfuture_key=ignored\n"
			    "noise without equals\r\ntconf=not here";
	struct metadata md;
	char err[128] = "";

	UNIT_EQ_INT("good metadata", 0,
		    metadata_parse(&md, good, sizeof(good) - 1, err,
				   sizeof(err)));
	UNIT_EQ_STR("description", "MSR round trips", md.description);
	UNIT_EQ_INT("timeout", 60, md.timeout);
	UNIT_EQ_INT("two tags", 2, md.ntags);
	UNIT_EQ_STR("tag 2", "CVE:2021-1", md.ntags > 1 ? md.tags[1] : NULL);
	UNIT_EQ_INT("one cap", 1, md.ncaps);
	UNIT_EQ_STR("tconf", "not here", md.tconf);
	metadata_free(&md);

	UNIT_EQ_INT("no timeout", -1,
		    metadata_parse(&md, "description=x\n", 14, err,
				   sizeof(err)));
	UNIT_EQ_STR("no timeout: why", "no timeout= line", err);
	UNIT_EQ_INT("bad timeout", -1,
		    metadata_parse(&md, "timeout=-5\n", 11, err, sizeof(err)));
	UNIT_EQ_STR("bad timeout: why", "bad timeout value '-5'", err);
	UNIT_EQ_INT("empty description allowed", 0,
		    metadata_parse(&md, "timeout=0", 9, err, sizeof(err)));
	UNIT_EQ_STR("empty description", "", md.description);
	metadata_free(&md);
}

static void touch(const char *path, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (f)
		fclose(f);
	chmod(path, mode);
}

static void test_discover(void)
{
	char dir[] = "/tmp/kvmcheck-unit-XXXXXX", path[256], err[256];
	struct test *tests;
	size_t n = 0;

	if (!mkdtemp(dir)) {
		UNIT_CHECK(0, "mkdtemp");
		return;
	}
#define P(rel) (snprintf(path, sizeof(path), "%s/%s", dir, rel), path)
	mkdir(P("cpu"), 0755);
	mkdir(P("basic"), 0755);
	mkdir(P(".hidden"), 0755);
	mkdir(P("with.dot"), 0755);
	touch(P("cpu/msr"), 0755);
	touch(P("cpu/cr"), 0755);
	touch(P("cpu/cr.c"), 0755);
	touch(P("cpu/data"), 0644);
	mkdir(P("cpu/subdir"), 0755);
	touch(P("basic/hello"), 0755);
	touch(P(".hidden/x"), 0755);
	touch(P("with.dot/y"), 0755);
	touch(P("toplevel"), 0755);
	UNIT_EQ_INT("discover", 0, discover_tests(dir, &tests, &n, err,
						    sizeof(err)));
	UNIT_EQ_INT("three tests", 3, n);
	if (n == 3) {
		UNIT_EQ_STR("sorted 1", "basic/hello", tests[0].name);
		UNIT_EQ_STR("sorted 2", "cpu/cr", tests[1].name);
		UNIT_EQ_STR("sorted 3", "cpu/msr", tests[2].name);
		UNIT_EQ_STR("group", "cpu", tests[2].group);
		UNIT_EQ_STR("base", "msr", tests[2].base);
		UNIT_EQ_STR("path", P("cpu/msr"), tests[2].path);
	}
	tests_free(tests, n);
	UNIT_EQ_INT("missing dir", -1, discover_tests(P("nope"), &tests, &n,
						       err, sizeof(err)));
#undef P
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	UNIT_EQ_INT("cleanup", 0, system(path));
}

static void test_sysinfo(void)
{
	char dir[] = "/tmp/kvmcheck-unit-XXXXXX", path[256];
	FILE *f;
	char *v;

	if (!mkdtemp(dir))
		return;
	UNIT_EQ_STR("no module: unknown", "unknown", detect_backend(dir));
	snprintf(path, sizeof(path), "%s/kvm_amd", dir);
	mkdir(path, 0755);
	UNIT_EQ_STR("kvm_amd", "kvm_amd", detect_backend(dir));
	snprintf(path, sizeof(path), "%s/kvm_pvm", dir);
	mkdir(path, 0755);
	UNIT_EQ_STR("kvm_pvm wins", "kvm_pvm", detect_backend(dir));
	snprintf(path, sizeof(path), "%s/cpuinfo", dir);
	f = fopen(path, "w");
	fputs("processor\t: 0\nvendor_id\t: GenuineIntel\nflags : x\n", f);
	fclose(f);
	v = cpu_vendor(path);
	UNIT_EQ_STR("vendor", "GenuineIntel", v);
	free(v);
	v = cpu_vendor("/nonexistent");
	UNIT_EQ_STR("no cpuinfo", "unknown", v);
	free(v);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	UNIT_EQ_INT("cleanup", 0, system(path));
}

int main(void)
{
	test_filter();
	test_cli();
	test_timeout_mul();
	test_metadata();
	test_discover();
	test_sysinfo();
	return unit_done();
}
