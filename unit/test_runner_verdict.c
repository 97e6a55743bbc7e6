// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of runner/verdict.c: the verdict and its reason from the exit
 * status (or signal, or timeout), the result lines and the known failures.
 */
#include "unit.h"
#include "../runner/runner.h"

#define KF \
	"t/known | known bug | the reason\n" \
	"t/known | other bug | second reason\n" \
	"t/anyfail | * | any reason\n" \
	"t/hang | timeout | hang reason\n" \
	"t/die | crash | crash reason\n"

enum { EXIT, SIG, TIMEOUT };

static const struct vcase {
	const char *test, *out;
	int how, code;		/* EXIT + status, SIG + signal, TIMEOUT */
	bool truncated;
	enum verdict verdict;
	const char *reason;
	size_t len;		/* output with NULs; 0: strlen */
} cases[] = {
	{ "t/a", "a:1: TPASS: ok\n", EXIT, 0, false, V_PASS, NULL },
	{ "t/a", "a:1: TPASS: ok\na:2: TCONF: half\n", EXIT, 0, false,
	  V_PASS, NULL },
	{ "t/a", "a:1: TPASS: ok\na:2: TFAIL: bad\n", EXIT, 1, false, V_FAIL,
	  "bad" },
	{ "t/a", "a:1: TFAIL: f\na:2: TBROK: b\n", EXIT, 3, false, V_BROKEN,
	  "b" },
	{ "t/a", "a:1: TCONF: no cap\n", EXIT, 32, false, V_CONF, "no cap" },
	{ "t/a", "a:1: TPASS: ok\na:2: TWARN: leak\n", EXIT, 4, false, V_WARN,
	  "leak" },
	{ "t/a", "a:1: TFAIL: f\na:2: TWARN: w\n", EXIT, 5, false, V_FAIL,
	  "f" },
	/* Exit status and lines disagree */
	{ "t/a", "a:1: TPASS: ok\n", EXIT, 1, false, V_BROKEN,
	  "exit status 1 does not match the result lines (expected 0)" },
	{ "t/a", "a:1: TFAIL: f\n", EXIT, 0, false, V_BROKEN,
	  "exit status 0 does not match the result lines (expected 1)" },
	{ "t/a", "a:1: TPASS: ok\n", EXIT, 127, false, V_BROKEN,
	  "exit status 127 is not a harness status" },
	{ "t/a", "a:1: TCONF: c\n", EXIT, 0, false, V_BROKEN,
	  "exit status 0 does not match the result lines (expected 32)" },
	/* No result line */
	{ "t/a", "", EXIT, 0, false, V_BROKEN,
	  "no result line (exit status 0)" },
	{ "t/a", "chatter\na:1: TINFO: i\n", EXIT, 0, false, V_BROKEN,
	  "no result line (exit status 0)" },
	{ "t/a", "\x01\xff\xfe garbage\0\0", EXIT, 2, false, V_BROKEN,
	  "no result line (exit status 2)", 13 },
	/* Signals and timeouts */
	{ "t/a", "a:1: TPASS: ok\n", SIG, 11, false, V_BROKEN,
	  "killed by signal 11 (SIGSEGV)" },
	{ "t/a", "a:1: TPASS: ok\n", TIMEOUT, 0, false, V_TIMEOUT,
	  "killed at the 40 s time limit" },
	{ "t/hang", "a:1: TPASS: ok\n", TIMEOUT, 0, false, V_XFAIL,
	  "hang reason" },
	{ "t/hang", "a:1: TFAIL: new\n", TIMEOUT, 0, false, V_FAIL, "new" },
	{ "t/hang", "a:1: TPASS: ok\n", SIG, 9, false, V_BROKEN,
	  "killed by signal 9 (SIGKILL)" },
	{ "t/die", "a:1: TPASS: ok\n", SIG, 6, false, V_XFAIL, "crash reason" },
	{ "t/die", "a:1: TPASS: ok\n", TIMEOUT, 0, false, V_TIMEOUT,
	  "killed at the 40 s time limit" },
	/* Known failures */
	{ "t/known", "a:1: TPASS: ok\na:2: TFAIL: known bug: 5\n", EXIT, 1,
	  false, V_XFAIL, "the reason" },
	{ "t/known", "a:1: TFAIL: known bug\na:2: TBROK: other bug\n"
	  "a:3: TFAIL: known bug again\n", EXIT, 3, false, V_XFAIL,
	  "the reason; second reason" },
	{ "t/known", "a:1: TFAIL: known bug\na:2: TFAIL: new bug\n", EXIT, 1,
	  false, V_FAIL, "new bug" },
	{ "t/known", "a:1: TFAIL: known bug\na:2: TWARN: w\n", EXIT, 5,
	  false, V_WARN, "w" },
	{ "t/known", "a:1: TPASS: fixed\n", EXIT, 0, false, V_XPASS,
	  "known failure did not reproduce: the reason" },
	{ "t/known", "a:1: TCONF: skipped\n", EXIT, 32, false, V_CONF,
	  "skipped" },
	{ "t/anyfail", "a:1: TBROK: whatever\n", EXIT, 2, false, V_XFAIL,
	  "any reason" },
	{ "t/known", "a:1: TFAIL: known bug\n", SIG, 11, false, V_BROKEN,
	  "killed by signal 11 (SIGSEGV)" },
	/* Truncated output: only what the status adds to the lines counts */
	{ "t/a", "a:1: TPASS: ok\n", EXIT, 1, true, V_FAIL,
	  "TFAIL in the dropped output" },
	{ "t/a", "a:1: TPASS: ok\n", EXIT, 2, true, V_BROKEN,
	  "TBROK in the dropped output" },
	{ "t/a", "a:1: TPASS: ok\n", EXIT, 0, true, V_PASS, NULL },
	{ "t/a", "a:1: TFAIL: f\n", EXIT, 0, true, V_BROKEN,
	  "exit status 0 does not match the result lines (expected 1)" },
	/* A NUL in the message becomes '?' in the reason */
	{ "t/a", "a:1: TFAIL: a\0b\n", EXIT, 1, false, V_FAIL, "a?b", 16 },
};

static void run_case(size_t idx, const struct vcase *c,
		     const struct kf_list *kf)
{
	struct exit_info st = { .exit_status = -1, .limit_s = 40 };
	struct verdict_result vr;
	struct out_line *lines;
	size_t n, len = c->len ? c->len : strlen(c->out);
	char what[160];
	if (c->how == EXIT)
		st.exit_status = c->code;
	else if (c->how == SIG)
		st.signal = c->code;
	else
		st.timed_out = true;
	if (c->how == TIMEOUT)
		st.signal = 9;
	n = parse_output(c->out, len, &lines);
	kf_mark_lines(kf, c->test, lines, n);
	vr = compute_verdict(c->test, &st, lines, n, c->truncated, kf);
	snprintf(what, sizeof(what), "case %zu (%s, %s %d): verdict", idx,
		 c->test, c->how == EXIT ? "exit" : c->how == SIG ? "signal" :
		 "timeout", c->code);
	UNIT_EQ_STR(what, verdict_info(c->verdict)->name,
		    verdict_info(vr.verdict)->name);
	snprintf(what, sizeof(what), "case %zu (%s): reason", idx, c->test);
	if (c->reason)
		UNIT_EQ_STR(what, c->reason, vr.reason);
	else
		UNIT_CHECK(!vr.reason, what);
	free(vr.reason);
	free(lines);
}

static void test_spawn_error(const struct kf_list *kf)
{
	struct exit_info st = { .exit_status = -1, .spawn_error = "fork: x" };
	struct verdict_result vr;

	vr = compute_verdict("t/a", &st, NULL, 0, false, kf);
	UNIT_EQ_INT("spawn error: broken", V_BROKEN, vr.verdict);
	UNIT_EQ_STR("spawn error: reason", "cannot run: fork: x", vr.reason);
	free(vr.reason);
}

static void test_table(void)
{
	static const char *const names[V_COUNT] = {
		"pass", "fail", "broken", "conf", "timeout", "xfail", "xpass",
		"warn",
	};
	static const bool unexpected[V_COUNT] = {
		false, true, true, false, true, false, true, true,
	};
	size_t v;

	for (v = 0; v < V_COUNT; v++) {
		UNIT_EQ_STR("verdict name", names[v], verdict_info(v)->name);
		UNIT_EQ_INT(names[v], unexpected[v],
			    verdict_info(v)->unexpected);
	}
}

int main(void)
{
	struct kf_list kf;
	char err[128];
	size_t i;

	if (kf_parse(&kf, KF, strlen(KF), "kf", err, sizeof(err))) {
		UNIT_CHECK(0, err);
		return unit_done();
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(i, &cases[i], &kf);
	test_spawn_error(&kf);
	test_table();
	kf_free(&kf);
	return unit_done();
}
