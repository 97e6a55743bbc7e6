// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - the table of report formats and what they share: the
 * summary counts and the final "N passed, N failed, N skipped" line.
 */
#include <string.h>
#include "runner.h"

static const struct reporter *const reporters[] = {
	&report_text, &report_ktap, &report_junit, &report_json, &report_html,
};

const struct reporter *reporter_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reporters); i++) {
		if (!strcmp(reporters[i]->name, name))
			return reporters[i];
	}
	return NULL;
}

/* "text, ktap, ..." for messages. */
const char *reporter_names(void)
{
	static char buf[128];
	size_t i, len = 0;

	for (i = 0; i < ARRAY_SIZE(reporters) && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? ", " : "", reporters[i]->name);
	return buf;
}

void report_summary(FILE *f, const struct run *r, const char *prefix)
{
	const size_t *c = r->count;

	fprintf(f, "%s%zu tests: %zu passed, %zu failed, %zu broken, "
		"%zu skipped, %zu expected failures, %zu unexpected passes, "
		"%zu timeouts, %zu warnings\n", prefix, r->n, c[V_PASS],
		c[V_FAIL], c[V_BROKEN], c[V_CONF], c[V_XFAIL], c[V_XPASS],
		c[V_TIMEOUT], c[V_WARN]);
}

/* CI greps this: passed = pass + xfail, failed = unexpected, skipped. */
void report_final_line(FILE *f, const struct run *r, const char *prefix)
{
	fprintf(f, "%s%zu passed, %zu failed, %zu skipped\n", prefix,
		r->count[V_PASS] + r->count[V_XFAIL], run_unexpected(r),
		r->count[V_CONF]);
}

bool line_is_blank(const struct out_line *l)
{
	size_t i;

	for (i = 0; i < l->text.len; i++) {
		if (l->text.p[i] != ' ' && l->text.p[i] != '\t' &&
		    l->text.p[i] != '\r')
			return false;
	}
	return true;
}
