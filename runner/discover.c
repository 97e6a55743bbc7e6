// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * discover.c - finding the tests: executables <tests-dir>/<group>/<name>
 * (names with a dot and non-executables are skipped), sorted by
 * "group/name", and filtering them with shell globs (fnmatch) where every
 * pattern must match at least one test.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runner.h"

struct test_vec {
	struct test *v;
	size_t n;
};

static bool usable_name(const char *name)
{
	return name[0] && !strchr(name, '.');
}

static bool is_test_binary(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

static void add_test(struct test_vec *tv, const char *dir,
		     const char *group, const char *base)
{
	struct test *t;

	tv->v = xrealloc(tv->v, (tv->n + 1) * sizeof(*tv->v));
	t = &tv->v[tv->n++];
	memset(t, 0, sizeof(*t));
	t->group = xstrdup(group);
	t->base = xstrdup(base);
	t->name = xasprintf("%s/%s", group, base);
	t->path = xasprintf("%s/%s/%s", dir, group, base);
	t->st.exit_status = -1;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Names of the executables in dir (no dot in the name), sorted; NULL and
 * *n = 0 if there are none or dir cannot be read (errno tells).
 */
char **list_programs(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, *path;

	*n = 0;
	while (d && (de = readdir(d))) {
		if (!usable_name(de->d_name))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (is_test_binary(path)) {
			names = xrealloc(names, (*n + 1) * sizeof(*names));
			names[(*n)++] = xstrdup(de->d_name);
		}
		free(path);
	}
	if (d)
		closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), by_string);
	return names;
}

void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void scan_group(struct test_vec *tv, const char *dir,
		       const char *group)
{
	char *gpath = xasprintf("%s/%s", dir, group), **names;
	size_t n, i;

	names = list_programs(gpath, &n);
	for (i = 0; i < n; i++)
		add_test(tv, dir, group, names[i]);
	free_names(names, n);
	free(gpath);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct test *)a)->name,
		      ((const struct test *)b)->name);
}

/* All tests under dir, sorted. An unreadable dir is an error. */
int discover_tests(const char *dir, struct test **tests, size_t *n,
		   char *err, size_t errsz)
{
	struct test_vec tv = { NULL, 0 };
	struct dirent *de;
	struct stat st;
	char *gpath;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		snprintf(err, errsz, "tests directory %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (!usable_name(de->d_name))
			continue;
		gpath = xasprintf("%s/%s", dir, de->d_name);
		if (!stat(gpath, &st) && S_ISDIR(st.st_mode))
			scan_group(&tv, dir, de->d_name);
		free(gpath);
	}
	closedir(d);
	if (tv.n)
		qsort(tv.v, tv.n, sizeof(*tv.v), by_name);
	*tests = tv.v;
	*n = tv.n;
	return 0;
}

/*
 * keep[i]: names[i] matches a pattern (all do without patterns). Returns
 * the index of the first pattern that matches nothing, or -1.
 */
int filter_names(const char *const *names, size_t n,
		 char *const *patterns, size_t npat, bool *keep)
{
	int bad = -1;
	bool hit;
	size_t i, p;

	for (i = 0; i < n; i++)
		keep[i] = !npat;
	for (p = 0; p < npat; p++) {
		hit = false;
		for (i = 0; i < n; i++) {
			if (!fnmatch(patterns[p], names[i], 0))
				keep[i] = hit = true;
		}
		if (!hit && bad < 0)
			bad = (int)p;
	}
	return bad;
}

/* Keeps the tests the patterns select; a pattern matching none: error. */
int filter_tests(struct test **tests, size_t *n, char *const *patterns,
		 size_t npat)
{
	const char **names = xcalloc(*n, sizeof(*names));
	bool *keep = xcalloc(*n, sizeof(*keep));
	size_t i, kept = 0;
	int bad;

	for (i = 0; i < *n; i++)
		names[i] = (*tests)[i].name;
	bad = filter_names(names, *n, patterns, npat, keep);
	if (bad >= 0) {
		free(names);
		free(keep);
		return usage_err("pattern '%s' matches no test", patterns[bad]);
	}
	for (i = 0; i < *n; i++) {
		if (keep[i])
			(*tests)[kept++] = (*tests)[i];
		else
			test_free(&(*tests)[i]);
	}
	*n = kept;
	free(names);
	free(keep);
	return 0;
}

/* Discovery and filtering for a command: 0, or its exit status. */
int select_tests(const char *dir, char *const *patterns, size_t npat,
		 struct test **tests, size_t *n)
{
	char err[512];
	int ret;

	if (discover_tests(dir, tests, n, err, sizeof(err))) {
		err_msg("%s", err);
		return EXIT_USAGE;
	}
	if (!*n) {
		err_msg("no tests found in %s", dir);
		free(*tests);
		return EXIT_USAGE;
	}
	ret = filter_tests(tests, n, patterns, npat);
	if (ret) {
		tests_free(*tests, *n);
		*tests = NULL;
		*n = 0;
	}
	return ret;
}
