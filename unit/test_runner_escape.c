// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of runner/escape.c: the UTF-8 decoder and the text, KTAP,
 * XML (content and attributes) and JSON escapers on hostile bytes, and the
 * HTML report escaping a hostile test.
 */
#include "unit.h"
#include "../runner/runner.h"

typedef void (*esc_fn)(FILE *f, const char *s, size_t len);

/* Runs an escaper into a string (caller frees). */
static char *run(esc_fn fn, const char *s, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	fn(f, s, len);
	fclose(f);
	return buf;
}

#define ESC_EQ(what, fn, in, expected) do { \
	char *got_ = run(fn, in, sizeof(in) - 1); \
	UNIT_EQ_STR(what, expected, got_); \
	free(got_); \
} while (0)

static void test_utf8(void)
{
	static const struct {
		const char *in;
		size_t len, used;
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 1, 'A' },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe4\xb8\xad", 3, 3, 0x4e2d },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
		{ "\xc0\x80", 2, 1, UTF8_INVALID },	/* overlong NUL */
		{ "\xe0\x80\xaf", 3, 1, UTF8_INVALID },	/* overlong */
		{ "\xed\xa0\x80", 3, 1, UTF8_INVALID },	/* surrogate */
		{ "\xf4\x90\x80\x80", 4, 1, UTF8_INVALID }, /* > U+10FFFF */
		{ "\xf5\x80\x80\x80", 4, 1, UTF8_INVALID },
		{ "\xe2\x82", 2, 1, UTF8_INVALID },	/* truncated */
		{ "\xe2\x28\xa1", 3, 1, UTF8_INVALID },	/* bad byte 2 */
		{ "\x80", 1, 1, UTF8_INVALID },		/* lone */
		{ "\xff", 1, 1, UTF8_INVALID },
	};
	uint32_t cp;
	size_t i, used;
	char what[64];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		used = utf8_decode(cases[i].in, cases[i].len, &cp);
		snprintf(what, sizeof(what), "utf8 case %zu: bytes used", i);
		UNIT_EQ_INT(what, cases[i].used, used);
		snprintf(what, sizeof(what), "utf8 case %zu: code point", i);
		UNIT_EQ_U64(what, cases[i].cp, cp);
	}
}

static void test_text(void)
{
	ESC_EQ("text: plain and UTF-8 kept", esc_text, "a\tb é 中",
	       "a\tb é 中");
	ESC_EQ("text: controls, ESC, NUL, DEL, C1 become '?'", esc_text,
	       "\x1b[2J\x07\0\x7f\xc2\x9b\n\r", "?[2J??????");
	ESC_EQ("text: invalid UTF-8 becomes '?'", esc_text, "a\xff\xc3(b",
	       "a?" "?(b");
	ESC_EQ("ktap: '#' dropped", esc_ktap, "#GP # SKIP x", "GP  SKIP x");
	ESC_EQ("ktap: controls '?'", esc_ktap, "a\nb\0c", "a?b?c");
}

static void test_xml(void)
{
	ESC_EQ("xml: the five specials", esc_xml, "<a href=\"x\">&'</a>",
	       "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	ESC_EQ("xml: ]]> is harmless once '>' is escaped", esc_xml, "]]>",
	       "]]&gt;");
	ESC_EQ("xml: tab, newline, CR kept in content", esc_xml, "a\tb\nc\r",
	       "a\tb\nc\r");
	ESC_EQ("xml: NUL and C0 controls become U+FFFD", esc_xml,
	       "a\0b\x01\x1b", "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	ESC_EQ("xml: DEL and C1 become U+FFFD", esc_xml, "\x7f\xc2\x85",
	       "\xef\xbf\xbd\xef\xbf\xbd");
	ESC_EQ("xml: U+FFFE and U+FFFF become U+FFFD", esc_xml,
	       "\xef\xbf\xbe\xef\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd");
	ESC_EQ("xml: invalid UTF-8 and surrogates become U+FFFD", esc_xml,
	       "\xff\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	       "\xef\xbf\xbd");
	ESC_EQ("xml: valid non-ASCII kept", esc_xml, "é中😀", "é中😀");
	ESC_EQ("xml attr: white space as references", esc_xml_attr,
	       "a\tb\nc\rd\"", "a&#9;b&#10;c&#13;d&quot;");
}

static void test_json(void)
{
	ESC_EQ("json: quote and backslash", esc_json, "\"\\", "\\\"\\\\");
	ESC_EQ("json: short escapes", esc_json, "\b\f\n\r\t",
	       "\\b\\f\\n\\r\\t");
	ESC_EQ("json: other controls as \\u00XX", esc_json,
	       "\0\x01\x1b\x1f\x7f",
	       "\\u0000\\u0001\\u001b\\u001f\\u007f");
	ESC_EQ("json: invalid UTF-8 as \\ufffd", esc_json, "a\xff\xc3",
	       "a\\ufffd\\ufffd");
	ESC_EQ("json: valid UTF-8 and '/' kept", esc_json, "é/中😀",
	       "é/中😀");
}

/* The HTML report of one hostile test is escaped and well-formed. */
static void test_html(void)
{
	static const char out[] = "a.c:1: TFAIL: <script>alert(1)</script>"
				  " & \"q\" \x1b[31m\xff\0\n";
	struct test t = {
		.name = "g/<x>", .group = "g", .base = "<x>",
		.output = (char *)out, .output_len = sizeof(out) - 1,
		.st = { .exit_status = 1 },
	};
	struct run r = {
		.tests = &t, .n = 1, .backend = "kvm_<b>",
		.cpu_vendor = "Vendor&Co", .jobs = 1, .timeout_mul = 1,
	};
	struct kf_list kf = { 0 };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	test_evaluate(&t, &kf);
	run_count(&r);
	report_html.end(f, &r);
	fclose(f);
	UNIT_CHECK(!strstr(buf, "<script>"), "html: no raw <script>");
	UNIT_CHECK(strstr(buf, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
			  "&quot;q&quot;") != NULL, "html: message escaped");
	UNIT_CHECK(!strchr(buf, '\x1b'), "html: no ESC byte");
	UNIT_CHECK(strlen(buf) == size, "html: no NUL byte");
	UNIT_CHECK(strstr(buf, "g/&lt;x&gt;") && strstr(buf, "kvm_&lt;b&gt;") &&
		   strstr(buf, "Vendor&amp;Co"), "html: names escaped");
	UNIT_CHECK(strstr(buf, "<details>") != NULL, "html: output in details");
	free(buf);
	free(t.lines);
	free(t.reason);
}

int main(void)
{
	test_utf8();
	test_text();
	test_xml();
	test_json();
	test_html();
	return unit_done();
}
