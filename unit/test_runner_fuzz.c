// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Randomized tests of the runner on hostile output: random mixes of result
 * line fragments, NULs, control bytes, invalid UTF-8 and long lines go
 * through parsing, known-failure matching and the verdict, then into every
 * report format. Each report must be valid UTF-8 and free of the control
 * characters its format forbids. UNIT_SEED replays a run.
 */
#include "unit.h"
#include "../runner/runner.h"

#define ROUNDS		300
#define MAX_PIECES	200

static const char *const pieces[] = {
	"a.c:1: TPASS: ok", "b.c:22: TFAIL: known bug", "c.c:3: TBROK: boom",
	"d.c:4: TWARN: hmm", "e.c:5: TCONF: skip", "f.c:6: TINFO: info",
	"Summary:", "passed   1", "  RIP=0000000000100134", "[guest] hi",
	"HINT: x", "# SKIP", "ok 1 fake", "not ok 2", "KTAP version 1",
	"Subtest: x", "<![CDATA[", "]]>", "&amp;", "\"'<>&", "\\u0000",
	"\xff\xfe", "\xc3", "\xed\xa0\x80", "\xef\xbf\xbe", "\xf4\x90\x80\x80",
	"\xe2\x80\xa8", "\xc2\x85", "\x1b[31m", "\x7f", "#", "a.c:", ": T",
	"é", "😀",
};

/* Independent UTF-8 check: well-formed, no surrogates, <= U+10FFFF. */
static bool valid_utf8(const unsigned char *s, size_t len, size_t *bad)
{
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		n = s[i] < 0x80 ? 1 : (s[i] >> 5) == 6 ? 2 :
		    (s[i] >> 4) == 14 ? 3 : (s[i] >> 3) == 30 ? 4 : 0;
		if (!n || i + n > len)
			goto fail;
		cp = n == 1 ? s[i] : s[i] & (0xff >> (n + 1));
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto fail;
		i += n;
	}
	return true;
fail:
	*bad = i;
	return false;
}

/* Bytes 0-31 allowed in a format, as a bit mask. */
#define ALLOW(c)	(1u << (c))

static bool controls_ok(const char *s, size_t len, uint32_t allowed,
			bool c1_ok, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((u[i] < 0x20 && !(allowed & ALLOW(u[i]))) || u[i] == 0x7f ||
		    (!c1_ok && u[i] == 0xc2 && i + 1 < len &&
		     u[i + 1] >= 0x80 && u[i + 1] < 0xa0)) {
			*bad = i;
			return false;
		}
	}
	return true;
}

static size_t make_output(char *buf, size_t size)
{
	size_t len = 0, n = (size_t)rand() % MAX_PIECES, i, k;
	const char *p;

	for (i = 0; i < n && len + 64 < size; i++) {
		switch (rand() % 6) {
		case 0:
			buf[len++] = '\n';
			break;
		case 1:
			buf[len++] = (char)(rand() % 256);
			break;
		case 2:
			for (k = rand() % 40; k-- && len < size - 1;)
				buf[len++] = 'x';
			break;
		default:
			p = pieces[(size_t)rand() % ARRAY_SIZE(pieces)];
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
			if (rand() % 2)
				buf[len++] = '\n';
		}
	}
	return len;
}

static const struct {
	const struct reporter *rep;
	uint32_t allowed;
	bool c1_ok;
} formats[] = {
	{ &report_text, ALLOW('\n') | ALLOW('\t'), false },
	{ &report_ktap, ALLOW('\n') | ALLOW('\t'), false },
	{ &report_junit, ALLOW('\n') | ALLOW('\t') | ALLOW('\r'), false },
	{ &report_json, ALLOW('\n'), true },
	{ &report_html, ALLOW('\n') | ALLOW('\t') | ALLOW('\r'), false },
};

static bool check_format(size_t fi, const struct run *r, unsigned int round)
{
	const struct reporter *rep = formats[fi].rep;
	char *buf = NULL, what[96];
	size_t size = 0, i, bad = 0;
	FILE *f = open_memstream(&buf, &size);
	bool ok;

	if (rep->begin)
		rep->begin(f, r);
	for (i = 0; rep->test && i < r->n; i++)
		rep->test(f, r, &r->tests[i], i);
	rep->end(f, r);
	fclose(f);
	ok = strlen(buf) == size &&
	     valid_utf8((unsigned char *)buf, size, &bad) &&
	     controls_ok(buf, size, formats[fi].allowed, formats[fi].c1_ok,
			 &bad);
	if (!ok) {
		snprintf(what, sizeof(what), "round %u: %s report clean "
			 "(bad byte at %zu)", round, rep->name, bad);
		UNIT_CHECK(0, what);
	}
	free(buf);
	return ok;
}

int main(void)
{
	static char out[3][8192];
	static const char kf_text[] = "g/t0 | known | r0\ng/* | * | any\n";
	static char *const names[] = { "g/t0", "g/t1", "x/t2" };
	struct test tests[3];
	struct run r = { .tests = tests, .n = 3, .backend = "b",
			 .cpu_vendor = "v", .jobs = 1, .timeout_mul = 1 };
	char err[64];
	unsigned int round, fails = 0;
	size_t i, fi;

	srand(unit_seed());
	if (kf_parse(&r.kf, kf_text, strlen(kf_text), "kf", err, sizeof(err)))
		return 1;
	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < r.n; i++) {
			memset(&tests[i], 0, sizeof(tests[i]));
			tests[i].name = names[i];
			tests[i].group = i == 2 ? "x" : "g";
			tests[i].base = "t";
			tests[i].output = out[i];
			tests[i].output_len = make_output(out[i],
							  sizeof(out[i]));
			tests[i].truncated = rand() % 4 == 0;
			tests[i].st.exit_status = rand() % 3 ? rand() % 64 : -1;
			tests[i].st.signal = tests[i].st.exit_status < 0 ?
					     rand() % 32 : 0;
			tests[i].st.timed_out = rand() % 10 == 0;
			test_evaluate(&tests[i], &r.kf);
		}
		run_count(&r);
		for (fi = 0; fi < ARRAY_SIZE(formats); fi++)
			fails += !check_format(fi, &r, round);
		for (i = 0; i < r.n; i++) {
			free(tests[i].lines);
			free(tests[i].reason);
		}
	}
	UNIT_EQ_INT("reports of random hostile output are clean", 0, fails);
	kf_free(&r.kf);
	return unit_done();
}
