// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the report formats on a small synthetic run (one test per
 * verdict): the exact KTAP text, the text report's summary and final
 * line, and the JUnit and JSON counts.
 */
#include "unit.h"
#include "../runner/runner.h"

#define KF "exc/known | value | SDM says so\nio/fixed | * | was broken\n"

enum { EXIT, SIG, TIMEOUT };

static const struct fixture {
	const char *name, *out;
	int how, code;
} fixtures[] = {
	{ "basic/hello", "hello.c:11: TPASS: Hello, world!\n\nSummary:\n"
	  "passed   1\nfailed   0\n", EXIT, 0 },
	{ "cpu/msr", "[guest] console\nmsr.c:10: TPASS: rdmsr #GP ok\n"
	  "msr.c:20: TFAIL: wrmsr: expected #GP\n  detail line\n"
	  "msr.c:30: TINFO: info\n", EXIT, 1 },
	{ "cpu/skip", "skip.c:5: TCONF: no KVM_CAP_X\n", EXIT, 32 },
	{ "exc/known", "k.c:1: TPASS: fine\nk.c:2: TFAIL: value 5\n", EXIT,
	  1 },
	{ "io/hang", "h.c:1: TPASS: started\n", TIMEOUT, 0 },
	{ "io/crash", "Subtest: evil\n", SIG, 11 },
	{ "io/fixed", "f.c:1: TPASS: works now\n", EXIT, 0 },
	{ "io/warn", "w.c:1: TPASS: ok\nw.c:2: TWARN: leaked\n", EXIT, 4 },
};

static const char expected_ktap[] =
"KTAP version 1\n"
"1..8\n"
"# kvmcheck: backend kvm_test, CPU TestVendor\n"
"  KTAP version 1\n"
"  1..1\n"
"  ok 1 hello.c:11: Hello, world!\n"
"ok 1 basic/hello\n"
"  KTAP version 1\n"
"  1..2\n"
"  # [guest] console\n"
"  ok 1 msr.c:10: rdmsr GP ok\n"
"  not ok 2 msr.c:20: wrmsr: expected GP\n"
"  #   detail line\n"
"  # msr.c:30: TINFO: info\n"
"# fail: wrmsr: expected #GP\n"
"not ok 2 cpu/msr\n"
"  KTAP version 1\n"
"  1..1\n"
"  ok 1 skip.c:5: no KVM_CAP_X # SKIP\n"
"ok 3 cpu/skip # SKIP no KVM_CAP_X\n"
"  KTAP version 1\n"
"  1..2\n"
"  ok 1 k.c:1: fine\n"
"  ok 2 k.c:2: value 5 # XFAIL SDM says so\n"
"ok 4 exc/known # XFAIL SDM says so\n"
"  KTAP version 1\n"
"  1..1\n"
"  ok 1 h.c:1: started\n"
"not ok 5 io/hang # TIMEOUT killed at the 40 s time limit\n"
"# \\Subtest: evil\n"
"not ok 6 io/crash # ERROR killed by signal 11 (SIGSEGV)\n"
"  KTAP version 1\n"
"  1..1\n"
"  ok 1 f.c:1: works now\n"
"# xpass: known failure did not reproduce: was broken\n"
"not ok 7 io/fixed\n"
"  KTAP version 1\n"
"  1..2\n"
"  ok 1 w.c:1: ok\n"
"  not ok 2 w.c:2: leaked\n"
"# warn: leaked\n"
"not ok 8 io/warn\n"
"# 8 tests: 1 passed, 1 failed, 1 broken, 1 skipped, 1 expected failures, "
"1 unexpected passes, 1 timeouts, 1 warnings\n"
"# 2 passed, 5 failed, 1 skipped\n";

static void make_test(struct test *t, const struct fixture *fx,
		      const struct kf_list *kf)
{
	const char *slash = strchr(fx->name, '/');

	memset(t, 0, sizeof(*t));
	t->name = xstrdup(fx->name);
	t->group = xstrndup(fx->name, (size_t)(slash - fx->name));
	t->base = xstrdup(slash + 1);
	t->output = xstrdup(fx->out);
	t->output_len = strlen(fx->out);
	t->duration_s = 0.003;
	t->limit_s = 40;
	t->st = (struct exit_info){ .exit_status = -1, .limit_s = 40 };
	if (fx->how == EXIT)
		t->st.exit_status = fx->code;
	else if (fx->how == SIG)
		t->st.signal = fx->code;
	else
		t->st.timed_out = true;
	test_evaluate(t, kf);
}

/* Renders the whole run with one format into a string. */
static char *render(const struct reporter *rep, const struct run *r)
{
	char *buf = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&buf, &size);

	if (rep->begin)
		rep->begin(f, r);
	for (i = 0; rep->test && i < r->n; i++)
		rep->test(f, r, &r->tests[i], i);
	rep->end(f, r);
	fclose(f);
	return buf;
}

static void test_ktap(const struct run *r)
{
	char *got = render(&report_ktap, r);

	UNIT_EQ_STR("KTAP of the synthetic run", expected_ktap, got);
	free(got);
}

static const char *last_line(const char *s)
{
	size_t len = strlen(s);
	const char *p;

	if (!len || s[len - 1] != '\n')
		return "(no final newline)";
	for (p = s + len - 1; p > s && p[-1] != '\n'; p--)
		;
	return p;
}

static void test_text(const struct run *r)
{
	char *got = render(&report_text, r);

	UNIT_EQ_STR("text: the very last line",
		    "2 passed, 5 failed, 1 skipped\n",
		    last_line(got));
	UNIT_CHECK(strstr(got, "\n8 tests: 1 passed, 1 failed, 1 broken, "
			  "1 skipped, 1 expected failures, 1 unexpected "
			  "passes, 1 timeouts, 1 warnings\n") != NULL,
		   "text: summary line");
	UNIT_CHECK(strstr(got, "\nPASS   basic/hello (3 ms)\n") != NULL,
		   "text: PASS line");
	UNIT_CHECK(strstr(got, "\nFAIL   cpu/msr (3 ms): wrmsr: expected #GP\n"
			  "       msr.c:20: TFAIL: wrmsr: expected #GP\n"
			  "         detail line\n") != NULL,
		   "text: FAIL line, failing line and its context");
	UNIT_CHECK(strstr(got, "\nSKIP   cpu/skip (3 ms): no KVM_CAP_X\n") !=
		   NULL, "text: SKIP with the TCONF reason");
	UNIT_CHECK(strstr(got, "\nXFAIL  exc/known (3 ms): SDM says so\n") !=
		   NULL, "text: XFAIL with the reason");
	free(got);
}

static void test_junit(const struct run *r)
{
	char *got = render(&report_junit, r);

	UNIT_CHECK(!strncmp(got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<testsuites>\n", 52), "junit: prolog");
	UNIT_CHECK(strstr(got, "tests=\"8\" failures=\"3\" errors=\"2\" "
			  "skipped=\"2\"") != NULL, "junit: suite counts");
	UNIT_CHECK(strstr(got, "<testcase classname=\"cpu\" name=\"msr\" "
			  "time=\"0.003\">") != NULL, "junit: testcase");
	UNIT_CHECK(strstr(got, "<skipped message=\"expected failure: SDM says "
			  "so\" type=\"xfail\"/>") != NULL,
		   "junit: xfail is skipped with its reason");
	UNIT_CHECK(strstr(got, "<error message=\"killed at the 40 s time "
			  "limit\" type=\"timeout\">") != NULL,
		   "junit: timeout is an error");
	free(got);
}

static void test_json(const struct run *r)
{
	char *got = render(&report_json, r);

	UNIT_CHECK(strstr(got, "\"verdict\": \"xpass\"") != NULL,
		   "json: verdict");
	UNIT_CHECK(strstr(got, "{\"type\": \"TFAIL\", \"file\": \"k.c\", "
			  "\"line\": 2, \"message\": \"value 5\", \"known\": "
			  "true, \"known_reason\": \"SDM says so\"}") != NULL,
		   "json: known result line");
	UNIT_CHECK(strstr(got, "\"exit_status\": null,\n      \"signal\": 11")
		   != NULL, "json: signal");
	UNIT_CHECK(strstr(got, "\"passed\": 2,\n    \"failed\": 5,\n"
			  "    \"skipped\": 1,") != NULL, "json: summary");
	free(got);
}

int main(void)
{
	struct test tests[ARRAY_SIZE(fixtures)];
	struct run r = {
		.tests = tests, .n = ARRAY_SIZE(fixtures),
		.backend = "kvm_test", .cpu_vendor = "TestVendor",
		.jobs = 2, .timeout_mul = 1, .started = 0,
	};
	char err[128];
	size_t i;

	if (kf_parse(&r.kf, KF, strlen(KF), "kf", err, sizeof(err))) {
		UNIT_CHECK(0, err);
		return unit_done();
	}
	for (i = 0; i < r.n; i++)
		make_test(&tests[i], &fixtures[i], &r.kf);
	run_count(&r);
	test_ktap(&r);
	test_text(&r);
	test_junit(&r);
	test_json(&r);
	for (i = 0; i < r.n; i++)
		test_free(&tests[i]);
	kf_free(&r.kf);
	return unit_done();
}
