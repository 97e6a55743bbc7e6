// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test.c - the life of a struct test after it ran: evaluating its output
 * into lines and a verdict, counting verdicts over a run, freeing.
 */
#include <stdlib.h>
#include <string.h>
#include "runner.h"

static struct verdict_result metadata_failed(const struct test *t)
{
	return (struct verdict_result){
		V_BROKEN, xasprintf("--metadata failed: %s", t->md_error)
	};
}

/* Parses a finished test's output and decides its verdict. */
void test_evaluate(struct test *t, const struct kf_list *kf)
{
	struct verdict_result vr;

	free(t->lines);
	t->nlines = parse_output(t->output, t->output_len, &t->lines);
	kf_mark_lines(kf, t->name, t->lines, t->nlines);
	if (t->md_error) {
		vr = metadata_failed(t);
	} else {
		vr = compute_verdict(t->name, &t->st, t->lines, t->nlines,
				     t->truncated, kf);
	}
	free(t->reason);
	t->verdict = vr.verdict;
	t->reason = vr.reason;
	t->done = true;
}

void run_count(struct run *r)
{
	size_t i;

	memset(r->count, 0, sizeof(r->count));
	for (i = 0; i < r->n; i++)
		r->count[r->tests[i].verdict]++;
}

size_t run_unexpected(const struct run *r)
{
	size_t v, n = 0;

	for (v = 0; v < V_COUNT; v++) {
		if (verdict_info(v)->unexpected)
			n += r->count[v];
	}
	return n;
}

void test_free(struct test *t)
{
	free(t->name);
	free(t->group);
	free(t->base);
	free(t->path);
	metadata_free(&t->md);
	free(t->md_error);
	free(t->st.spawn_error);
	free(t->output);
	free(t->lines);
	free(t->reason);
	memset(t, 0, sizeof(*t));
}

void tests_free(struct test *tests, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		test_free(&tests[i]);
	free(tests);
}
