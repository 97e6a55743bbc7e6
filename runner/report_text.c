// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_text.c - the default report: a header, one line per test
 * ("PASS   basic/hello (3 ms)", SKIP/XFAIL/... with the reason), for
 * unexpected verdicts the failing lines with the context lines after them
 * (or the last lines of output if no line explains it), with -v every
 * test's full output, then the unexpected tests, the counts, and as the
 * very last line "N passed, N failed, N skipped".
 */
#include <string.h>
#include "runner.h"

#define INDENT		"       "
#define LINE_MAX_SHOWN	1000	/* bytes of one output line */
#define DETAIL_MAX	60	/* lines of detail per test (-v: all) */
#define CONTEXT_MAX	15	/* context lines after a failing line */
#define TAIL_LINES	10	/* when no failing line explains it */

static void print_line(FILE *f, const struct out_line *l)
{
	size_t len = l->text.len;

	fputs(INDENT, f);
	esc_text(f, l->text.p, len > LINE_MAX_SHOWN ? LINE_MAX_SHOWN : len);
	fputs(len > LINE_MAX_SHOWN ? " [...]\n" : "\n", f);
}

static bool unknown_failing(const struct out_line *l)
{
	return l->kind == LINE_RESULT && !l->known &&
	       (rtype_failing(l->type) || l->type == TWARN);
}

/* The lines after a failing line, up to the next result. */
static size_t print_context(FILE *f, const struct test *t, size_t i,
			    size_t budget)
{
	size_t shown = 0, max = budget < CONTEXT_MAX ? budget : CONTEXT_MAX;

	for (; i < t->nlines && t->lines[i].kind == LINE_TEXT; i++) {
		if (line_is_blank(&t->lines[i]))
			continue;
		if (shown == max) {
			fputs(INDENT "  [...]\n", f);
			return shown + 1;
		}
		print_line(f, &t->lines[i]);
		shown++;
	}
	return shown;
}

static void print_tail(FILE *f, const struct test *t)
{
	size_t i = t->nlines, found = 0;

	while (i > 0 && found < TAIL_LINES) {
		i--;
		if (t->lines[i].kind != LINE_SUMMARY &&
		    !line_is_blank(&t->lines[i]))
			found++;
	}
	if (!found)
		return;
	fputs(INDENT "last lines of output:\n", f);
	for (; i < t->nlines; i++) {
		if (t->lines[i].kind != LINE_SUMMARY &&
		    !line_is_blank(&t->lines[i]))
			print_line(f, &t->lines[i]);
	}
}

/* Failing lines with their context, within DETAIL_MAX lines. */
static void print_failing(FILE *f, const struct test *t)
{
	size_t i, used = 0, shown = 0, more = 0;

	for (i = 0; i < t->nlines; i++) {
		if (!unknown_failing(&t->lines[i]))
			continue;
		if (used >= DETAIL_MAX) {
			more++;
			continue;
		}
		print_line(f, &t->lines[i]);
		used += 1 + print_context(f, t, i + 1, DETAIL_MAX - used);
		shown++;
	}
	if (more)
		fprintf(f, INDENT "[... %zu more failing lines; -v shows all "
			"output]\n", more);
	if (!shown || t->verdict == V_TIMEOUT)
		print_tail(f, t);
}

static void print_all(FILE *f, const struct test *t)
{
	size_t i;

	for (i = 0; i < t->nlines; i++)
		print_line(f, &t->lines[i]);
}

static bool wants_detail(enum verdict v)
{
	return v == V_FAIL || v == V_BROKEN || v == V_TIMEOUT || v == V_WARN;
}

static void text_begin(FILE *f, const struct run *r)
{
	fprintf(f, RUNNER_NAME ": %zu tests, backend %s, CPU %s, -j %u, "
		"timeout multiplier %g\n", r->n, r->backend, r->cpu_vendor,
		r->jobs, r->timeout_mul);
	if (r->kf.loaded)
		fprintf(f, RUNNER_NAME ": known failures: %s (%zu entries)\n",
			r->kf.path, r->kf.n);
	else
		fprintf(f, RUNNER_NAME ": known failures: none (no %s)\n",
			r->kf.path ? r->kf.path : "file");
}

static void text_test(FILE *f, const struct run *r, const struct test *t,
		      size_t idx)
{
	(void)idx;
	fprintf(f, "%-6s ", verdict_info(t->verdict)->label);
	esc_text(f, t->name, strlen(t->name));
	fprintf(f, " (%.0f ms)", t->duration_s * 1000);
	if (t->reason) {
		fputs(": ", f);
		esc_text(f, t->reason, strlen(t->reason));
	}
	if (t->truncated)
		fprintf(f, " [output truncated: %zu of %zu bytes kept]",
			t->output_len, t->output_total);
	fputc('\n', f);
	if (r->verbose)
		print_all(f, t);
	else if (wants_detail(t->verdict))
		print_failing(f, t);
}

static void text_end(FILE *f, const struct run *r)
{
	const struct test *t;
	size_t i;

	if (run_unexpected(r))
		fputs("\nunexpected results:\n", f);
	for (i = 0; i < r->n; i++) {
		t = &r->tests[i];
		if (!verdict_info(t->verdict)->unexpected)
			continue;
		fprintf(f, "  %-7s ", verdict_info(t->verdict)->label);
		esc_text(f, t->name, strlen(t->name));
		fputc('\n', f);
	}
	fputc('\n', f);
	report_summary(f, r, "");
	report_final_line(f, r, "");
}

const struct reporter report_text = {
	.name = "text",
	.begin = text_begin,
	.test = text_test,
	.end = text_end,
};
