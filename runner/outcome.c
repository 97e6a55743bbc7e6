// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * outcome.c - parsing what a test printed: splitting the captured output
 * into lines (NULs, garbage and a missing final newline included),
 * recognizing result lines "<file>:<line>: <TYPE>: <message>" and the
 * harness's "Summary:" block, and counting results into the exit status
 * the harness should have returned.
 */
#include <stddef.h>
#include <string.h>
#include "runner.h"

#define COUNTER(field) offsetof(struct result_counts, field)

static const struct {
	const char *name;
	int type;
	size_t counter;		/* offset in struct result_counts */
} rtypes[] = {
	{ "TPASS", TPASS, COUNTER(pass) }, { "TFAIL", TFAIL, COUNTER(fail) },
	{ "TBROK", TBROK, COUNTER(brok) }, { "TWARN", TWARN, COUNTER(warn) },
	{ "TINFO", TINFO, COUNTER(info) }, { "TCONF", TCONF, COUNTER(conf) },
};

static const char *const summary_keys[] = {
	"passed", "failed", "broken", "skipped", "warnings",
};

static int rtype_index(int type);

const char *rtype_name(int type)
{
	int i = rtype_index(type);

	return i < 0 ? "T???" : rtypes[i].name;
}

bool rtype_failing(int type)
{
	return type == TFAIL || type == TBROK;
}

static int rtype_index(int type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rtypes); i++) {
		if (rtypes[i].type == type)
			return (int)i;
	}
	return -1;
}

static int rtype_parse(const char *s, size_t len)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(rtypes); i++) {
		n = strlen(rtypes[i].name);
		if (len > n && !memcmp(s, rtypes[i].name, n) && s[n] == ':')
			return (int)i;
	}
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The file part: no white space, no colon, not empty, not "[guest]". */
static size_t scan_file(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i] != ':'; i++) {
		if (is_space(s[i]) || s[i] == '\0' || s[i] == '[')
			return 0;
	}
	return i < len ? i : 0;
}

static size_t scan_lineno(const char *s, size_t len, unsigned long *lineno)
{
	size_t i;

	*lineno = 0;
	for (i = 0; i < len && i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
		*lineno = *lineno * 10 + (unsigned long)(s[i] - '0');
	return i;
}

/* Recognizes "<file>:<line>: <TYPE>: <message>"; fills out on success. */
bool parse_result_line(const char *s, size_t len, struct out_line *out)
{
	size_t flen, pos, n;
	unsigned long lineno;
	int t;

	flen = scan_file(s, len);
	if (!flen)
		return false;
	pos = flen + 1;
	n = scan_lineno(s + pos, len - pos, &lineno);
	if (!n)
		return false;
	pos += n;
	if (len - pos < 2 || s[pos] != ':' || s[pos + 1] != ' ')
		return false;
	pos += 2;
	t = rtype_parse(s + pos, len - pos);
	if (t < 0)
		return false;
	pos += strlen(rtypes[t].name) + 1;
	if (pos < len && s[pos] == ' ')
		pos++;
	out->kind = LINE_RESULT;
	out->type = rtypes[t].type;
	out->file = (struct span){ s, flen };
	out->lineno = lineno;
	out->msg = (struct span){ s + pos, len - pos };
	return true;
}

/* "passed   3" and friends, inside the Summary: block. */
static bool is_summary_count(const char *s, size_t len)
{
	size_t i, k, n;

	for (k = 0; k < ARRAY_SIZE(summary_keys); k++) {
		n = strlen(summary_keys[k]);
		if (len > n && !memcmp(s, summary_keys[k], n) && s[n] == ' ')
			break;
	}
	if (k == ARRAY_SIZE(summary_keys))
		return false;
	for (i = n; i < len && s[i] == ' '; i++)
		;
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static void classify(struct out_line *l, bool *in_summary)
{
	const char *s = l->text.p;
	size_t len = l->text.len;

	if (span_eq(l->text, "Summary:")) {
		*in_summary = true;
		l->kind = LINE_SUMMARY;
		return;
	}
	if (*in_summary && is_summary_count(s, len)) {
		l->kind = LINE_SUMMARY;
		return;
	}
	*in_summary = false;
	if (!parse_result_line(s, len, l))
		l->kind = LINE_TEXT;
}

/*
 * Splits buf into lines (a last line without a newline counts) and
 * classifies them. *lines points into buf; returns the number of lines.
 */
size_t parse_output(const char *buf, size_t len, struct out_line **lines)
{
	size_t n = 0, cap = 16, pos = 0, end;
	struct out_line *v = xcalloc(cap, sizeof(*v));
	bool in_summary = false;
	const char *nl;

	while (pos < len) {
		nl = memchr(buf + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - buf) : len;
		if (n == cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].text = (struct span){ buf + pos, end - pos };
		classify(&v[n], &in_summary);
		n++;
		pos = end + 1;
	}
	*lines = v;
	return n;
}

/*
 * Counts the result lines and returns the exit status the harness gives
 * for them: the OR of TFAIL, TBROK, TWARN and, when nothing passed, TCONF.
 */
int lines_count(const struct out_line *lines, size_t n,
		struct result_counts *c)
{
	size_t i;
	int t;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++) {
		if (lines[i].kind != LINE_RESULT)
			continue;
		t = rtype_index(lines[i].type);
		if (t >= 0)
			(*(unsigned int *)((char *)c + rtypes[t].counter))++;
	}
	return (c->fail ? TFAIL : 0) | (c->brok ? TBROK : 0) |
	       (c->warn ? TWARN : 0) | (c->conf && !c->pass ? TCONF : 0);
}
