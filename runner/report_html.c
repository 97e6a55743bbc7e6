// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_html.c - one self-contained HTML page (inline CSS, no script): the
 * machine, the summary counts, and a table of tests coloured by verdict
 * with each test's output in a <details> block. All text is escaped, and
 * the markup is also well-formed XML so xmllint can check it.
 */
#include <string.h>
#include "runner.h"

static const char *const colours[V_COUNT] = {
	[V_PASS]	= "#c6efce",
	[V_FAIL]	= "#ffc7ce",
	[V_BROKEN]	= "#ff9c9c",
	[V_CONF]	= "#e7e6e6",
	[V_TIMEOUT]	= "#e4c1f9",
	[V_XFAIL]	= "#ddebf7",
	[V_XPASS]	= "#ffeb9c",
	[V_WARN]	= "#fcd5b4",
};

static const char style[] =
"body { font-family: sans-serif; margin: 1.5em; }\n"
"table { border-collapse: collapse; margin: 0.8em 0; }\n"
"th, td { border: 1px solid #bbb; padding: 0.2em 0.6em;"
" text-align: left; vertical-align: top; }\n"
"td.num { text-align: right; }\n"
"pre { margin: 0.3em 0; white-space: pre-wrap; word-break: break-all;"
" font-size: 85%; }\n"
"summary { cursor: pointer; color: #333; }\n"
".final { font-weight: bold; }\n";

static void text(FILE *f, const char *s)
{
	esc_xml(f, s, strlen(s));
}

static void head(FILE *f)
{
	size_t v;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<title>" RUNNER_NAME
	      " report</title>\n<style>\n", f);
	fputs(style, f);
	for (v = 0; v < V_COUNT; v++)
		fprintf(f, ".v-%s { background: %s; }\n",
			verdict_info(v)->name, colours[v]);
	fputs("</style>\n</head>\n<body>\n", f);
}

static void machine(FILE *f, const struct run *r)
{
	char stamp[32];

	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S",
		 localtime(&r->started));
	fputs("<h1>" RUNNER_NAME " report</h1>\n<p>Backend <b>", f);
	text(f, r->backend);
	fputs("</b>, CPU <b>", f);
	text(f, r->cpu_vendor);
	fprintf(f, "</b>, started %s, %.1f s, -j %u, timeout multiplier "
		"%g.<br/>Known failures: ", stamp, r->duration_s, r->jobs,
		r->timeout_mul);
	text(f, r->kf.loaded ? r->kf.path : "none");
	fputs("</p>\n", f);
}

static void summary(FILE *f, const struct run *r)
{
	size_t v;

	fputs("<table>\n<tr>", f);
	for (v = 0; v < V_COUNT; v++)
		fprintf(f, "<th class=\"v-%s\">%s</th>", verdict_info(v)->name,
			verdict_info(v)->name);
	fputs("<th>total</th></tr>\n<tr>", f);
	for (v = 0; v < V_COUNT; v++)
		fprintf(f, "<td class=\"num\">%zu</td>", r->count[v]);
	fprintf(f, "<td class=\"num\">%zu</td></tr>\n</table>\n", r->n);
	fputs("<p class=\"final\">", f);
	report_final_line(f, r, "");
	fputs("</p>\n", f);
}

static void output(FILE *f, const struct test *t)
{
	if (!t->output_len)
		return;
	fprintf(f, "<details><summary>output (%zu lines%s)</summary><pre>",
		t->nlines, t->truncated ? ", truncated" : "");
	esc_xml(f, t->output, t->output_len);
	fputs("</pre></details>", f);
}

static void row(FILE *f, const struct test *t)
{
	const char *name = verdict_info(t->verdict)->name;

	fprintf(f, "<tr class=\"v-%s\"><td>", name);
	text(f, t->name);
	fputs("</td><td>", f);
	text(f, t->md.description ? t->md.description : "");
	fprintf(f, "</td><td>%s</td><td class=\"num\">%.0f ms</td><td>",
		name, t->duration_s * 1000);
	if (t->reason) {
		fputs("<div>", f);
		text(f, t->reason);
		fputs("</div>", f);
	}
	output(f, t);
	fputs("</td></tr>\n", f);
}

static void html_end(FILE *f, const struct run *r)
{
	size_t i;

	head(f);
	machine(f, r);
	summary(f, r);
	fputs("<table>\n<tr><th>test</th><th>description</th><th>verdict"
	      "</th><th>time</th><th>reason, output</th></tr>\n", f);
	for (i = 0; i < r->n; i++)
		row(f, &r->tests[i]);
	fputs("</table>\n</body>\n</html>\n", f);
}

const struct reporter report_html = {
	.name = "html",
	.end = html_end,
};
