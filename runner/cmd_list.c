// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_list.c - "kvmcheck list [PATTERN...]": the selected tests, sorted,
 * as "group/name  description" with the descriptions aligned. A test
 * whose --metadata fails is listed with the reason, and the exit status
 * is then 1.
 */
#include <stdlib.h>
#include <string.h>
#include "runner.h"

static size_t name_width(const struct test *tests, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++) {
		if (strlen(tests[i].name) > w)
			w = strlen(tests[i].name);
	}
	return w;
}

static void list_one(const struct test *t, size_t width)
{
	size_t len = strlen(t->name);

	esc_text(stdout, t->name, len);
	if (t->md_error) {
		printf("%*s(--metadata failed: ", (int)(width - len + 2), "");
		esc_text(stdout, t->md_error, strlen(t->md_error));
		fputs(")\n", stdout);
		return;
	}
	if (*t->md.description)
		printf("%*s", (int)(width - len + 2), "");
	esc_text(stdout, t->md.description, strlen(t->md.description));
	putchar('\n');
}

int cmd_list(int argc, char **argv)
{
	struct test *tests = NULL;
	struct run_opts o;
	char *dir = NULL;
	size_t n = 0, i, failed = 0, width;
	int ret;

	ret = cli_parse(CLI_LIST, argc, argv, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (!o.tests_dir)
		o.tests_dir = dir = default_tests_dir();
	ret = select_tests(o.tests_dir, o.patterns, o.npatterns, &tests, &n);
	if (ret)
		goto out;
	ret = query_metadata(tests, n, o.jobs ? o.jobs : default_jobs());
	if (ret) {
		err_msg("interrupted");
		ret = 128 + ret;
		goto out;
	}
	width = name_width(tests, n);
	for (i = 0; i < n; i++) {
		list_one(&tests[i], width);
		failed += tests[i].md_error != NULL;
	}
	if (failed)
		err_msg("%zu test(s) failed --metadata", failed);
	ret = failed ? 1 : 0;
out:
	tests_free(tests, n);
	free(dir);
	return ret;
}
