// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_junit.c - JUnit XML for CI systems: one <testsuite> "kvmcheck",
 * a <testcase classname="group" name="name"> per test with <failure>
 * (fail, xpass, warn), <error> (broken, crash, timeout) or <skipped>
 * (conf, and xfail with its reason), and the full output in <system-out>.
 * Everything from a test goes through the XML escaper, so the document is
 * well-formed whatever the test printed.
 */
#include <string.h>
#include "runner.h"

struct junit_style {
	const char *element;	/* NULL: passed */
	const char *prefix;	/* before the reason in message= */
};

static const struct junit_style styles[V_COUNT] = {
	[V_PASS]	= { NULL, NULL },
	[V_FAIL]	= { "failure", "" },
	[V_BROKEN]	= { "error", "" },
	[V_CONF]	= { "skipped", "" },
	[V_TIMEOUT]	= { "error", "" },
	[V_XFAIL]	= { "skipped", "expected failure: " },
	[V_XPASS]	= { "failure", "unexpected pass: " },
	[V_WARN]	= { "failure", "" },
};

static void attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	esc_xml_attr(f, value, strlen(value));
	fputc('"', f);
}

static void property(FILE *f, const char *name, const char *value)
{
	fputs("      <property", f);
	attr(f, "name", name);
	attr(f, "value", value);
	fputs("/>\n", f);
}

static void suite_open(FILE *f, const struct run *r)
{
	const size_t *c = r->count;
	char stamp[32];

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S",
		 localtime(&r->started));
	fprintf(f, "  <testsuite name=\"" RUNNER_NAME "\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
		"time=\"%.3f\" timestamp=\"%s\">\n", r->n,
		c[V_FAIL] + c[V_XPASS] + c[V_WARN], c[V_BROKEN] + c[V_TIMEOUT],
		c[V_CONF] + c[V_XFAIL], r->duration_s, stamp);
	fputs("    <properties>\n", f);
	property(f, "backend", r->backend);
	property(f, "cpu_vendor", r->cpu_vendor);
	property(f, "known_failures", r->kf.loaded ? r->kf.path : "");
	fputs("    </properties>\n", f);
}

/* The element's text: the failing result lines. */
static void failing_lines(FILE *f, const struct test *t)
{
	const struct out_line *l;
	size_t i;

	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		if (l->kind != LINE_RESULT ||
		    !(rtype_failing(l->type) || l->type == TWARN))
			continue;
		esc_xml(f, l->text.p, l->text.len);
		fputc('\n', f);
	}
}

static void verdict_element(FILE *f, const struct test *t)
{
	const struct junit_style *st = &styles[t->verdict];

	if (!st->element)
		return;
	fprintf(f, "      <%s message=\"", st->element);
	esc_xml_attr(f, st->prefix, strlen(st->prefix));
	if (t->reason)
		esc_xml_attr(f, t->reason, strlen(t->reason));
	fprintf(f, "\" type=\"%s\"", verdict_info(t->verdict)->name);
	if (!strcmp(st->element, "skipped")) {
		fputs("/>\n", f);
		return;
	}
	fputs(">", f);
	failing_lines(f, t);
	fprintf(f, "</%s>\n", st->element);
}

static void testcase(FILE *f, const struct test *t)
{
	fputs("    <testcase", f);
	attr(f, "classname", t->group);
	attr(f, "name", t->base);
	fprintf(f, " time=\"%.3f\">\n", t->duration_s);
	verdict_element(f, t);
	fputs("      <system-out>", f);
	esc_xml(f, t->output ? t->output : "", t->output_len);
	fputs("</system-out>\n    </testcase>\n", f);
}

static void junit_end(FILE *f, const struct run *r)
{
	size_t i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", f);
	suite_open(f, r);
	for (i = 0; i < r->n; i++)
		testcase(f, &r->tests[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
}

const struct reporter report_junit = {
	.name = "junit",
	.end = junit_end,
};
