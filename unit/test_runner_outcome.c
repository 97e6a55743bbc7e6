// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of runner/outcome.c and the output capture of runner/exec.c:
 * result-line recognition (normal, garbage, NULs, no final newline), the
 * Summary: block, result counting and the head/tail capture with its
 * "bytes dropped" marker.
 */
#include "unit.h"
#include "../runner/runner.h"

static char *span_str(struct span s)
{
	char *p = malloc(s.len + 1);
	size_t i;

	for (i = 0; i < s.len; i++)
		p[i] = s.p[i] ? s.p[i] : '@';	/* show NULs as @ */
	p[s.len] = '\0';
	return p;
}

#define EQ_SPAN(what, expected, span) do { \
	char *s_ = span_str(span); \
	UNIT_EQ_STR(what, expected, s_); \
	free(s_); \
} while (0)

static void test_result_line(void)
{
	static const struct {
		const char *line;
		int type;		/* -1: not a result line */
		const char *file, *msg;
		unsigned long lineno;
	} cases[] = {
		{ "hello.c:11: TPASS: Hello, world!", TPASS, "hello.c",
		  "Hello, world!", 11 },
		{ "cpu/msr.c:432: TFAIL: RDMSR: got 0x6", TFAIL, "cpu/msr.c",
		  "RDMSR: got 0x6", 432 },
		{ "a.c:1: TBROK: x: y: z", TBROK, "a.c", "x: y: z", 1 },
		{ "a.c:2: TWARN: w", TWARN, "a.c", "w", 2 },
		{ "a.c:3: TINFO: i", TINFO, "a.c", "i", 3 },
		{ "a.c:4: TCONF: KVM_CAP_X (1) missing", TCONF, "a.c",
		  "KVM_CAP_X (1) missing", 4 },
		{ "a.c:5: TPASS:", TPASS, "a.c", "", 5 },
		{ "a.c:6: TPASS:no space", TPASS, "a.c", "no space", 6 },
		{ "a.c:7: TFAIL:  two spaces", TFAIL, "a.c", " two spaces", 7 },
		{ "[guest] a.c:1: TFAIL: console text", -1, NULL, NULL, 0 },
		{ "  a.c:1: TFAIL: indented dump", -1, NULL, NULL, 0 },
		{ "a b.c:1: TFAIL: space in file", -1, NULL, NULL, 0 },
		{ ":1: TFAIL: no file", -1, NULL, NULL, 0 },
		{ "a.c:: TFAIL: no line", -1, NULL, NULL, 0 },
		{ "a.c:1x: TFAIL: bad line", -1, NULL, NULL, 0 },
		{ "a.c:1: TFOO: bad type", -1, NULL, NULL, 0 },
		{ "a.c:1: TPASSED: longer type", -1, NULL, NULL, 0 },
		{ "a.c:1:TPASS: no space", -1, NULL, NULL, 0 },
		{ "a.c:1: TPASS", -1, NULL, NULL, 0 },
		{ "HINT: you may be missing kernel fix", -1, NULL, NULL, 0 },
		{ "", -1, NULL, NULL, 0 },
		{ ":::::", -1, NULL, NULL, 0 },
		{ "a.c:1234567890123: TPASS: huge line number", -1, NULL,
		  NULL, 0 },
	};
	struct out_line l;
	char what[64];
	size_t i;
	bool ok;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&l, 0, sizeof(l));
		ok = parse_result_line(cases[i].line, strlen(cases[i].line),
				       &l);
		snprintf(what, sizeof(what), "line case %zu: %s", i,
			 cases[i].type >= 0 ? "a result line" :
			 "not a result line");
		UNIT_EQ_INT(what, cases[i].type >= 0, ok);
		if (!ok || cases[i].type < 0)
			continue;
		UNIT_EQ_INT("type", cases[i].type, l.type);
		EQ_SPAN("file", cases[i].file, l.file);
		EQ_SPAN("message", cases[i].msg, l.msg);
		UNIT_EQ_INT("line number", cases[i].lineno, l.lineno);
	}
}

static void test_nul_in_line(void)
{
	const char line[] = "a.c:9: TFAIL: before\0after";
	struct out_line l;

	UNIT_CHECK(parse_result_line(line, sizeof(line) - 1, &l),
		   "NUL inside the message: still a result line");
	EQ_SPAN("message keeps bytes after the NUL", "before@after", l.msg);
	UNIT_CHECK(!parse_result_line("a\0.c:1: TPASS: x", 16, &l),
		   "NUL in the file part: not a result line");
}

static void test_split(void)
{
	const char out[] = "x.c:1: TPASS: one\n"
			   "\n"
			   "junk \x01\xff\0 bytes\n"
			   "x.c:2: TFAIL: two\n"
			   "  context\n"
			   "\n"
			   "Summary:\n"
			   "passed   1\n"
			   "failed   1\n"
			   "broken   0\n"
			   "x.c:3: TINFO: no final newline";
	struct out_line *l;
	size_t n;

	n = parse_output(out, sizeof(out) - 1, &l);
	UNIT_EQ_INT("line count (last line has no newline)", 11, n);
	if (n != 11) {
		free(l);
		return;
	}
	UNIT_EQ_INT("line 0 result", LINE_RESULT, l[0].kind);
	UNIT_EQ_INT("blank line is text", LINE_TEXT, l[1].kind);
	UNIT_EQ_INT("blank line empty", 0, l[1].text.len);
	EQ_SPAN("garbage line kept whole", "junk \x01\xff@ bytes", l[2].text);
	UNIT_EQ_INT("TFAIL type", TFAIL, l[3].type);
	UNIT_EQ_INT("context is text", LINE_TEXT, l[4].kind);
	UNIT_EQ_INT("Summary: line", LINE_SUMMARY, l[6].kind);
	UNIT_EQ_INT("count line in summary", LINE_SUMMARY, l[7].kind);
	UNIT_EQ_INT("count line in summary", LINE_SUMMARY, l[9].kind);
	UNIT_EQ_INT("result after summary ends it", LINE_RESULT, l[10].kind);
	EQ_SPAN("unterminated last line", "no final newline", l[10].msg);
	free(l);

	n = parse_output("", 0, &l);
	UNIT_EQ_INT("empty output: no lines", 0, n);
	free(l);
	n = parse_output("\n\n", 2, &l);
	UNIT_EQ_INT("two newlines: two empty lines", 2, n);
	free(l);
	n = parse_output("passed   1\n", 11, &l);
	UNIT_EQ_INT("count line outside a summary is text", LINE_TEXT,
		    n ? (int)l[0].kind : -1);
	free(l);
}

static void test_counts(void)
{
	static const struct {
		const char *out;
		int flags;
	} cases[] = {
		{ "a:1: TPASS: x\n", 0 },
		{ "a:1: TPASS: x\na:2: TFAIL: y\n", TFAIL },
		{ "a:1: TBROK: x\na:2: TFAIL: y\na:3: TWARN: w\n",
		  TFAIL | TBROK | TWARN },
		{ "a:1: TCONF: x\n", TCONF },
		{ "a:1: TCONF: x\na:2: TPASS: y\n", 0 },
		{ "a:1: TINFO: x\n", 0 },
		{ "", 0 },
	};
	struct result_counts c;
	struct out_line *l;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = parse_output(cases[i].out, strlen(cases[i].out), &l);
		UNIT_EQ_INT("expected exit status of the lines",
			    cases[i].flags, lines_count(l, n, &c));
		free(l);
	}
	n = parse_output(cases[2].out, strlen(cases[2].out), &l);
	lines_count(l, n, &c);
	UNIT_CHECK(c.brok == 1 && c.fail == 1 && c.warn == 1 && !c.pass,
		   "per-type counts");
	free(l);
}

static char *capture(const char *const *chunks, size_t head, size_t tail,
		     bool *truncated)
{
	struct capture c;
	size_t len;

	capture_init(&c, head, tail);
	for (; *chunks; chunks++)
		capture_add(&c, *chunks, strlen(*chunks));
	return capture_finish(&c, &len, truncated);
}

static void test_capture(void)
{
	const char *small[] = { "ab", "cd\n", NULL };
	const char *big[] = { "line1\nline2\n", "xxxxxxxxxx\nlast ", "line\n",
			      NULL };
	const char *mid[] = { "head-no-newline", "0123456789", "tail\nend",
			      NULL };
	const char *cut[] = { "ab\ncd", "efgh", "ij\nkl\n", NULL };
	bool tr;
	char *s;

	s = capture(small, 16, 8, &tr);
	UNIT_EQ_STR("all kept", "abcd\n", s);
	UNIT_CHECK(!tr, "not truncated");
	free(s);
	s = capture(small, 2, 8, &tr);
	UNIT_EQ_STR("head full, rest fits the tail", "abcd\n", s);
	UNIT_CHECK(!tr, "not truncated when nothing was dropped");
	free(s);
	s = capture(big, 12, 11, &tr);
	UNIT_EQ_STR("head + marker + tail from its first full line",
		    "line1\nline2\n[kvmcheck: 11 bytes of output dropped]\n"
		    "last line\n", s);
	UNIT_CHECK(tr, "truncated");
	free(s);
	s = capture(mid, 4, 8, &tr);
	UNIT_EQ_STR("marker on its own line after a partial head",
		    "head\n[kvmcheck: 26 bytes of output dropped]\nend", s);
	free(s);
	s = capture(cut, 4, 5, &tr);
	UNIT_EQ_STR("lines cut at either end are dropped",
		    "ab\n[kvmcheck: 9 bytes of output dropped]\nkl\n", s);
	free(s);
}

int main(void)
{
	test_result_line();
	test_nul_in_line();
	test_split();
	test_counts();
	test_capture();
	return unit_done();
}
