// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_ktap.c - KTAP version 1 (Documentation/dev-tools/ktap.rst): one
 * top-level test per kvmcheck test; every result line of a test is its
 * own subtest in a nested block (indented two spaces, the spec's one
 * level, with its own version line and plan) before the parent's result
 * line. TINFO lines and context lines are "# " diagnostics.
 *
 * Directives, from the spec's list (SKIP, TODO, XFAIL, TIMEOUT, ERROR;
 * TODO is discouraged in the kernel, so unused):
 *   pass    ok N name                 conf     ok N name # SKIP reason
 *   xfail   ok N name # XFAIL reason  timeout  not ok N name # TIMEOUT ...
 *   broken  not ok N name # ERROR reason
 *   fail, warn, xpass: not ok N name, after a "# <verdict>: reason" line.
 * Subtests: TPASS ok, TFAIL not ok, TBROK not ok # ERROR, TWARN not ok,
 * TCONF ok # SKIP; a known TFAIL/TBROK is ok # XFAIL reason. A parser
 * that does not know XFAIL falls back to "ok": expected failures do not
 * fail the run, as in kvmcheck. Descriptions cannot hold '#': it is
 * dropped from them; control characters and invalid UTF-8 become '?'.
 * Indentation is the spec's two spaces per level (KUnit prints four;
 * its parser takes any prefix): change KTAP_INDENT if a consumer needs 4.
 */
#include <string.h>
#include "runner.h"

#define KTAP_INDENT	"  "

struct ktap_style {
	bool ok;
	const char *directive;	/* NULL: reason as a diagnostic line */
};

static const struct ktap_style verdict_styles[V_COUNT] = {
	[V_PASS]	= { true, NULL },
	[V_FAIL]	= { false, NULL },
	[V_BROKEN]	= { false, "ERROR" },
	[V_CONF]	= { true, "SKIP" },
	[V_TIMEOUT]	= { false, "TIMEOUT" },
	[V_XFAIL]	= { true, "XFAIL" },
	[V_XPASS]	= { false, NULL },
	[V_WARN]	= { false, NULL },
};

static const struct {
	int type;
	struct ktap_style style;
} result_styles[] = {
	{ TPASS, { true, NULL } },
	{ TFAIL, { false, NULL } },
	{ TBROK, { false, "ERROR" } },
	{ TWARN, { false, NULL } },
	{ TCONF, { true, "SKIP" } },
};

static const struct ktap_style *result_style(int type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(result_styles); i++) {
		if (result_styles[i].type == type)
			return &result_styles[i].style;
	}
	return NULL;		/* TINFO: not a subtest */
}

/*
 * A "# " line. Output starting "Subtest:" gets a backslash so KUnit's
 * parser does not take it for its "# Subtest: name" header.
 */
static void diag(FILE *f, const char *indent, const char *s, size_t len)
{
	static const char header[] = "Subtest:";

	fprintf(f, "%s# %s", indent, len >= sizeof(header) - 1 &&
		!memcmp(s, header, sizeof(header) - 1) ? "\\" : "");
	esc_text(f, s, len);
	fputc('\n', f);
}

static size_t count_subtests(const struct test *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->nlines; i++) {
		if (t->lines[i].kind == LINE_RESULT &&
		    result_style(t->lines[i].type))
			n++;
	}
	return n;
}

static void subtest(FILE *f, const struct out_line *l, size_t num)
{
	const struct ktap_style *st = result_style(l->type);
	static const struct ktap_style known = { true, "XFAIL" };

	if (l->known)
		st = &known;
	fprintf(f, KTAP_INDENT "%s %zu ", st->ok ? "ok" : "not ok", num);
	esc_ktap(f, l->file.p, l->file.len);
	fprintf(f, ":%lu: ", l->lineno);
	esc_ktap(f, l->msg.p, l->msg.len);
	if (st->directive)
		fprintf(f, " # %s", st->directive);
	if (l->known) {
		fputc(' ', f);
		esc_text(f, l->known->reason, strlen(l->known->reason));
	}
	fputc('\n', f);
}

/* The nested block: subtests and diagnostics, in output order. */
static void nested(FILE *f, const struct test *t)
{
	size_t n = count_subtests(t), i, num = 0;
	const char *indent = n ? KTAP_INDENT : "";
	const struct out_line *l;

	if (n)
		fprintf(f, KTAP_INDENT "KTAP version 1\n" KTAP_INDENT
			"1..%zu\n", n);
	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		if (l->kind == LINE_SUMMARY || line_is_blank(l))
			continue;
		if (l->kind == LINE_RESULT && result_style(l->type))
			subtest(f, l, ++num);
		else
			diag(f, indent, l->text.p, l->text.len);
	}
}

static void ktap_begin(FILE *f, const struct run *r)
{
	fprintf(f, "KTAP version 1\n1..%zu\n", r->n);
	fprintf(f, "# " RUNNER_NAME ": backend %s, CPU %s\n", r->backend,
		r->cpu_vendor);
}

static void ktap_test(FILE *f, const struct run *r, const struct test *t,
		      size_t idx)
{
	const struct ktap_style *st = &verdict_styles[t->verdict];
	const char *verdict = verdict_info(t->verdict)->name;

	(void)r;
	nested(f, t);
	if (t->truncated)
		fprintf(f, "# output truncated: %zu of %zu bytes kept\n",
			t->output_len, t->output_total);
	if (!st->directive && t->reason) {
		fprintf(f, "# %s: ", verdict);
		esc_text(f, t->reason, strlen(t->reason));
		fputc('\n', f);
	}
	fprintf(f, "%s %zu ", st->ok ? "ok" : "not ok", idx + 1);
	esc_ktap(f, t->name, strlen(t->name));
	if (st->directive) {
		fprintf(f, " # %s", st->directive);
		if (t->reason) {
			fputc(' ', f);
			esc_text(f, t->reason, strlen(t->reason));
		}
	}
	fputc('\n', f);
}

static void ktap_end(FILE *f, const struct run *r)
{
	report_summary(f, r, "# ");
	report_final_line(f, r, "# ");
}

const struct reporter report_ktap = {
	.name = "ktap",
	.begin = ktap_begin,
	.test = ktap_test,
	.end = ktap_end,
};
