// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of runner/known_failures.c: parsing known-failures files
 * (comments, blank lines, trimming, malformed lines with FILE:LINE
 * errors) and matching failing lines, timeouts and crashes.
 */
#include "unit.h"
#include "../runner/runner.h"

static int parse(struct kf_list *kf, const char *text, char *err,
		 size_t errsz)
{
	err[0] = '\0';
	return kf_parse(kf, text, strlen(text), "kf", err, errsz);
}

static void test_good(void)
{
	const char *text =
		"# Known failures\n"
		"\n"
		"   # indented comment\n"
		"  cpu/msr |  WRMSR IA32_PAT  | SDM 11.12.2: reserved | x\n"
		"exc/*\t|\t*\t|\tany failure\r\n"
		"io/sync | timeout | hangs\n"
		"io/crash | crash | dies";
	struct kf_list kf;
	char err[256];

	UNIT_EQ_INT("good file parses", 0, parse(&kf, text, err, sizeof(err)));
	UNIT_EQ_STR("no error", "", err);
	UNIT_EQ_INT("4 entries (comments, blank lines skipped)", 4, kf.n);
	if (kf.n != 4)
		return;
	UNIT_EQ_STR("glob trimmed", "cpu/msr", kf.v[0].glob);
	UNIT_EQ_STR("match trimmed", "WRMSR IA32_PAT", kf.v[0].match);
	UNIT_EQ_STR("reason keeps later '|'", "SDM 11.12.2: reserved | x",
		    kf.v[0].reason);
	UNIT_EQ_INT("line number of entry 1", 4, kf.v[0].line);
	UNIT_EQ_STR("tabs and CR trimmed", "any failure", kf.v[1].reason);
	UNIT_EQ_STR("last line without newline", "dies", kf.v[3].reason);
	UNIT_CHECK(kf.loaded, "loaded is set");
	kf_free(&kf);
}

#define SYNTAX "expected 'test-glob | match | reason'"

static void test_malformed(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "a/b | only two\n", "kf:1: " SYNTAX },
		{ "# c\n\nno bars at all\n", "kf:3: " SYNTAX },
		{ " | m | r\n", "kf:1: empty test glob" },
		{ "a/b |  | r\n", "kf:1: empty match" },
		{ "ok/x | m | r\na/b | m |   \n", "kf:2: empty reason" },
		{ "a/b | m\0x | r\n", "kf:1: NUL byte in the line" },
	};
	static const size_t lens[] = { 0, 0, 0, 0, 0, 14 };
	struct kf_list kf;
	char err[256];
	size_t i, len;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		len = lens[i] ? lens[i] : strlen(cases[i].text);
		err[0] = '\0';
		ret = kf_parse(&kf, cases[i].text, len, "kf", err,
			       sizeof(err));
		UNIT_EQ_INT("malformed line is an error", -1, ret);
		UNIT_EQ_STR("error names FILE:LINE", cases[i].err, err);
		UNIT_EQ_INT("nothing kept on error", 0, kf.n);
	}
}

static struct span sp(const char *s)
{
	return (struct span){ s, strlen(s) };
}

static void test_matching(void)
{
	const char *text =
		"cpu/msr | IA32_PAT | pat reason\n"
		"cpu/* | CR4 | cr4 reason\n"
		"exc/ud | * | any reason\n"
		"io/sync | timeout | hang reason\n"
		"io/die | crash | crash reason\n";
	const struct kf_entry *e;
	struct kf_list kf;
	char err[256];

	if (parse(&kf, text, err, sizeof(err))) {
		UNIT_CHECK(0, err);
		return;
	}
	e = kf_find_line(&kf, "cpu/msr", sp("WRMSR IA32_PAT = 2: no #GP"));
	UNIT_EQ_STR("substring match", "pat reason", e ? e->reason : NULL);
	e = kf_find_line(&kf, "cpu/cr", sp("mov CR4 = 0x400620"));
	UNIT_EQ_STR("glob match", "cr4 reason", e ? e->reason : NULL);
	UNIT_CHECK(!kf_find_line(&kf, "cpu/msr", sp("ia32_pat lower case")),
		   "match is case-sensitive");
	UNIT_CHECK(!kf_find_line(&kf, "io/pio", sp("IA32_PAT")),
		   "other test: no match");
	e = kf_find_line(&kf, "exc/ud", sp("anything at all"));
	UNIT_EQ_STR("'*' matches any line", "any reason", e ? e->reason : NULL);
	e = kf_find_line(&kf, "exc/ud", sp(""));
	UNIT_CHECK(e != NULL, "'*' matches an empty message");
	e = kf_find_event(&kf, "io/sync", "timeout");
	UNIT_EQ_STR("timeout event", "hang reason", e ? e->reason : NULL);
	UNIT_CHECK(!kf_find_event(&kf, "io/sync", "crash"),
		   "timeout entry is not a crash entry");
	UNIT_CHECK(!kf_find_event(&kf, "exc/ud", "timeout"),
		   "'*' does not cover a timeout");
	e = kf_find_event(&kf, "io/die", "crash");
	UNIT_EQ_STR("crash event", "crash reason", e ? e->reason : NULL);
	e = kf_find_line(&kf, "io/sync", sp("watchdog: timeout after 20 s"));
	UNIT_CHECK(e != NULL, "'timeout' is also a substring match on lines");
	e = kf_find_test(&kf, "cpu/long_mode");
	UNIT_EQ_STR("find_test via glob", "cr4 reason", e ? e->reason : NULL);
	UNIT_CHECK(!kf_find_test(&kf, "basic/hello"), "no entry for hello");
	kf_free(&kf);
}

static void test_mark_lines(void)
{
	const char *out = "a.c:1: TPASS: IA32_PAT fine\n"
			  "a.c:2: TFAIL: IA32_PAT bad\n"
			  "a.c:3: TBROK: IA32_PAT broken\n"
			  "a.c:4: TWARN: IA32_PAT warned\n"
			  "a.c:5: TFAIL: other\n";
	struct kf_list kf;
	struct out_line *l;
	char err[64];
	size_t n;

	if (parse(&kf, "cpu/msr | IA32_PAT | r\n", err, sizeof(err)))
		return;
	n = parse_output(out, strlen(out), &l);
	kf_mark_lines(&kf, "cpu/msr", l, n);
	UNIT_CHECK(!l[0].known, "TPASS is never known");
	UNIT_CHECK(l[1].known != NULL, "TFAIL matched");
	UNIT_CHECK(l[2].known != NULL, "TBROK matched");
	UNIT_CHECK(!l[3].known, "TWARN is never known");
	UNIT_CHECK(!l[4].known, "unmatched TFAIL stays unknown");
	free(l);
	kf_free(&kf);
}

static void test_load(void)
{
	struct kf_list kf;
	char err[256] = "";

	UNIT_EQ_INT("missing default file is fine", 0,
		    kf_load(&kf, "/nonexistent/kf", false, err, sizeof(err)));
	UNIT_CHECK(!kf.loaded && kf.n == 0, "missing file: empty, not loaded");
	kf_free(&kf);
	UNIT_EQ_INT("missing explicit file is an error", -1,
		    kf_load(&kf, "/nonexistent/kf", true, err, sizeof(err)));
	UNIT_EQ_STR("error text", "/nonexistent/kf: No such file or directory",
		    err);
}

int main(void)
{
	test_good();
	test_malformed();
	test_matching();
	test_mark_lines();
	test_load();
	return unit_done();
}
