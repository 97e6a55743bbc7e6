// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * known_failures.c - the known-failures file of a backend: parsing
 * ("test-glob | match | reason" lines, '#' comments, blank lines) and
 * matching failing result lines, timeouts and crashes of a test against it.
 *
 * A TFAIL/TBROK line of test T is known if an entry's glob matches T and
 * its match string is a substring of the line's message ("*": any line).
 * The match strings "timeout" and "crash" also cover the test being killed
 * at its time limit and dying by a signal.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

static void set_err(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static struct span trim(const char *p, size_t len)
{
	while (len && (*p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		len--;
	}
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
		       p[len - 1] == '\r'))
		len--;
	return (struct span){ p, len };
}

static const char *const empty_field[] = {
	"empty test glob", "empty match", "empty reason",
};

/* Splits "a | b | c" (c may contain '|'); NULL on success, or a reason. */
static const char *split_entry(struct span line, struct span f[3])
{
	const char *p = line.p, *end = line.p + line.len, *bar;
	int i;

	for (i = 0; i < 2; i++) {
		bar = memchr(p, '|', (size_t)(end - p));
		if (!bar)
			return "expected 'test-glob | match | reason'";
		f[i] = trim(p, (size_t)(bar - p));
		p = bar + 1;
	}
	f[2] = trim(p, (size_t)(end - p));
	for (i = 0; i < 3; i++) {
		if (!f[i].len)
			return empty_field[i];
	}
	return NULL;
}

static void add_entry(struct kf_list *kf, const struct span f[3],
		      unsigned int lineno)
{
	struct kf_entry *e;

	kf->v = xrealloc(kf->v, (kf->n + 1) * sizeof(*kf->v));
	e = &kf->v[kf->n++];
	e->glob = xstrndup(f[0].p, f[0].len);
	e->match = xstrndup(f[1].p, f[1].len);
	e->reason = xstrndup(f[2].p, f[2].len);
	e->line = lineno;
}

static int parse_line(struct kf_list *kf, struct span line,
		      unsigned int lineno, const char *path, char *err,
		      size_t errsz)
{
	struct span f[3];
	const char *why;

	line = trim(line.p, line.len);
	if (!line.len || line.p[0] == '#')
		return 0;
	if (memchr(line.p, '\0', line.len)) {
		set_err(err, errsz, "%s:%u: NUL byte in the line", path,
			lineno);
		return -1;
	}
	why = split_entry(line, f);
	if (why) {
		set_err(err, errsz, "%s:%u: %s", path, lineno, why);
		return -1;
	}
	add_entry(kf, f, lineno);
	return 0;
}

/* Parses a whole file's text; on error fills err with "FILE:LINE: why". */
int kf_parse(struct kf_list *kf, const char *text, size_t len,
	     const char *path, char *err, size_t errsz)
{
	size_t pos = 0, end;
	unsigned int lineno = 0;
	const char *nl;

	memset(kf, 0, sizeof(*kf));
	kf->path = xstrdup(path);
	kf->loaded = true;
	while (pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - text) : len;
		lineno++;
		if (parse_line(kf, (struct span){ text + pos, end - pos },
			       lineno, path, err, errsz)) {
			kf_free(kf);
			return -1;
		}
		pos = end + 1;
	}
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *buf;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return NULL;
	buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/*
 * Loads path. A missing file is an error only if must_exist; otherwise it
 * yields an empty list with loaded = false.
 */
int kf_load(struct kf_list *kf, const char *path, bool must_exist,
	    char *err, size_t errsz)
{
	size_t len;
	char *text;
	int ret;

	text = read_file(path, &len);
	if (!text && errno == ENOENT && !must_exist) {
		memset(kf, 0, sizeof(*kf));
		kf->path = xstrdup(path);
		return 0;
	}
	if (!text) {
		set_err(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = kf_parse(kf, text, len, path, err, errsz);
	free(text);
	return ret;
}

void kf_free(struct kf_list *kf)
{
	size_t i;

	for (i = 0; i < kf->n; i++) {
		free(kf->v[i].glob);
		free(kf->v[i].match);
		free(kf->v[i].reason);
	}
	free(kf->v);
	free(kf->path);
	memset(kf, 0, sizeof(*kf));
}

static bool entry_for(const struct kf_entry *e, const char *test)
{
	return !fnmatch(e->glob, test, 0);
}

/* The first entry for test, whatever it matches. */
const struct kf_entry *kf_find_test(const struct kf_list *kf,
				    const char *test)
{
	size_t i;

	for (i = 0; i < kf->n; i++) {
		if (entry_for(&kf->v[i], test))
			return &kf->v[i];
	}
	return NULL;
}

static bool entry_matches(const struct kf_entry *e, struct span msg)
{
	return !strcmp(e->match, "*") ||
	       memmem(msg.p, msg.len, e->match, strlen(e->match));
}

/* The first entry that makes a failing line with message msg known. */
const struct kf_entry *kf_find_line(const struct kf_list *kf,
				    const char *test, struct span msg)
{
	size_t i;

	for (i = 0; i < kf->n; i++) {
		if (entry_for(&kf->v[i], test) &&
		    entry_matches(&kf->v[i], msg))
			return &kf->v[i];
	}
	return NULL;
}

/* The entry for an event of test: "timeout" or "crash". */
const struct kf_entry *kf_find_event(const struct kf_list *kf,
				     const char *test, const char *event)
{
	size_t i;

	for (i = 0; i < kf->n; i++) {
		if (entry_for(&kf->v[i], test) &&
		    !strcmp(kf->v[i].match, event))
			return &kf->v[i];
	}
	return NULL;
}

/*
 * Sets known on each TFAIL/TBROK line of test that an entry covers. The
 * test's entries are picked once: a test may print many lines.
 */
void kf_mark_lines(const struct kf_list *kf, const char *test,
		   struct out_line *lines, size_t n)
{
	const struct kf_entry **mine = xcalloc(kf->n, sizeof(*mine));
	size_t i, j, nmine = 0;

	for (i = 0; i < kf->n; i++) {
		if (entry_for(&kf->v[i], test))
			mine[nmine++] = &kf->v[i];
	}
	for (i = 0; i < n; i++) {
		lines[i].known = NULL;
		if (lines[i].kind != LINE_RESULT ||
		    !rtype_failing(lines[i].type))
			continue;
		for (j = 0; j < nmine && !lines[i].known; j++) {
			if (entry_matches(mine[j], lines[i].msg))
				lines[i].known = mine[j];
		}
	}
	free(mine);
}
