// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_json.c - the run as one JSON document: the machine (backend, CPU
 * vendor), every test (verdict, duration, exit status or signal, reason,
 * each result line with whether it is a known failure, the full output)
 * and the summary counts. Strings go through the JSON escaper: control
 * characters become \uXXXX escapes and invalid UTF-8 becomes U+FFFD.
 */
#include <string.h>
#include "runner.h"

static void key(FILE *f, const char *indent, const char *name)
{
	fprintf(f, "%s\"%s\": ", indent, name);
}

static void json_int_or_null(FILE *f, long v, bool present)
{
	if (present)
		fprintf(f, "%ld", v);
	else
		fputs("null", f);
}

static void result_line(FILE *f, const struct out_line *l, bool last)
{
	fprintf(f, "        {\"type\": \"%s\", \"file\": ",
		rtype_name(l->type));
	json_str(f, l->file.p, l->file.len);
	fprintf(f, ", \"line\": %lu, \"message\": ", l->lineno);
	json_str(f, l->msg.p, l->msg.len);
	fprintf(f, ", \"known\": %s, \"known_reason\": ",
		l->known ? "true" : "false");
	json_cstr(f, l->known ? l->known->reason : NULL);
	fprintf(f, "}%s\n", last ? "" : ",");
}

static void results(FILE *f, const struct test *t)
{
	size_t i, n = 0, done = 0;

	for (i = 0; i < t->nlines; i++)
		n += t->lines[i].kind == LINE_RESULT;
	fputs(n ? "[\n" : "[],\n", f);
	for (i = 0; i < t->nlines && n; i++) {
		if (t->lines[i].kind == LINE_RESULT)
			result_line(f, &t->lines[i], ++done == n);
	}
	if (n)
		fputs("      ],\n", f);
}

static void test_obj(FILE *f, const struct test *t, bool last)
{
	const struct exit_info *st = &t->st;

	fputs("    {\n", f);
	key(f, "      ", "name");
	json_cstr(f, t->name);
	fputs(",\n", f);
	key(f, "      ", "group");
	json_cstr(f, t->group);
	fputs(",\n", f);
	key(f, "      ", "description");
	json_cstr(f, t->md.description);
	fprintf(f, ",\n      \"verdict\": \"%s\",\n",
		verdict_info(t->verdict)->name);
	fprintf(f, "      \"duration_ms\": %.0f,\n", t->duration_s * 1000);
	fprintf(f, "      \"time_limit_s\": %g,\n", t->limit_s);
	key(f, "      ", "exit_status");
	json_int_or_null(f, st->exit_status, st->exit_status >= 0);
	fputs(",\n", f);
	key(f, "      ", "signal");
	json_int_or_null(f, st->signal, st->signal != 0);
	fputs(",\n", f);
	key(f, "      ", "reason");
	json_cstr(f, t->reason);
	fprintf(f, ",\n      \"output_truncated\": %s,\n",
		t->truncated ? "true" : "false");
	key(f, "      ", "results");
	results(f, t);
	key(f, "      ", "output");
	json_str(f, t->output ? t->output : "", t->output_len);
	fprintf(f, "\n    }%s\n", last ? "" : ",");
}

static void summary(FILE *f, const struct run *r)
{
	size_t v;

	fputs("  \"summary\": {\n", f);
	fprintf(f, "    \"total\": %zu,\n", r->n);
	for (v = 0; v < V_COUNT; v++)
		fprintf(f, "    \"%s\": %zu,\n", verdict_info(v)->name,
			r->count[v]);
	fprintf(f, "    \"passed\": %zu,\n    \"failed\": %zu,\n"
		"    \"skipped\": %zu,\n    \"duration_ms\": %.0f\n  }\n",
		r->count[V_PASS] + r->count[V_XFAIL], run_unexpected(r),
		r->count[V_CONF], r->duration_s * 1000);
}

static void json_end(FILE *f, const struct run *r)
{
	size_t i;

	fputs("{\n", f);
	key(f, "  ", "backend");
	json_cstr(f, r->backend);
	fputs(",\n", f);
	key(f, "  ", "cpu_vendor");
	json_cstr(f, r->cpu_vendor);
	fputs(",\n", f);
	key(f, "  ", "tests_dir");
	json_cstr(f, r->tests_dir);
	fputs(",\n", f);
	key(f, "  ", "known_failures");
	json_cstr(f, r->kf.loaded ? r->kf.path : NULL);
	fprintf(f, ",\n  \"timeout_mul\": %g,\n  \"jobs\": %u,\n",
		r->timeout_mul, r->jobs);
	fputs(r->n ? "  \"tests\": [\n" : "  \"tests\": [],\n", f);
	for (i = 0; i < r->n; i++)
		test_obj(f, &r->tests[i], i + 1 == r->n);
	if (r->n)
		fputs("  ],\n", f);
	summary(f, r);
	fputs("}\n", f);
}

const struct reporter report_json = {
	.name = "json",
	.end = json_end,
};
