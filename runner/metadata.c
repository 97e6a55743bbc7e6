// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * metadata.c - parsing what "<test> --metadata" prints: key=value lines
 * description=, timeout=<seconds>, tag=NAME:VALUE (repeatable),
 * needs_kvm_cap=NAME (repeatable) and tconf=. Unknown keys and lines
 * without '=' are ignored (newer tests may say more); a missing or bad
 * timeout is an error. Also querying it from every test, in parallel and
 * with a short time limit: a test that fails it gets md_error, and the
 * run goes on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "runner.h"

struct md_key {
	const char *key;
	int (*set)(struct metadata *md, char *value);
};

static void replace(char **slot, char *value)
{
	free(*slot);
	*slot = value;
}

static void append(char ***list, size_t *n, char *value)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = value;
}

static int set_description(struct metadata *md, char *value)
{
	replace(&md->description, value);
	return 0;
}

static int set_tconf(struct metadata *md, char *value)
{
	replace(&md->tconf, value);
	return 0;
}

static int add_tag(struct metadata *md, char *value)
{
	append(&md->tags, &md->ntags, value);
	return 0;
}

static int add_cap(struct metadata *md, char *value)
{
	append(&md->caps, &md->ncaps, value);
	return 0;
}

static int set_timeout(struct metadata *md, char *value)
{
	unsigned long t;
	char *end;

	errno = 0;
	t = strtoul(value, &end, 10);
	if (errno || end == value || *end || value[0] == '-' || t > 1000000) {
		free(value);
		return -1;
	}
	md->timeout = (unsigned int)t;
	free(value);
	return 1;
}

static const struct md_key md_keys[] = {
	{ "description", set_description },
	{ "timeout", set_timeout },
	{ "tag", add_tag },
	{ "needs_kvm_cap", add_cap },
	{ "tconf", set_tconf },
};

/* A value as a C string: NULs become '?', a trailing CR goes. */
static char *value_dup(const char *p, size_t len)
{
	char *s;
	size_t i;

	if (len && p[len - 1] == '\r')
		len--;
	s = xmalloc(len + 1);
	memcpy(s, p, len);
	s[len] = '\0';
	for (i = 0; i < len; i++) {
		if (!s[i])
			s[i] = '?';
	}
	return s;
}

static const struct md_key *find_key(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(md_keys); i++) {
		if (strlen(md_keys[i].key) == len &&
		    !memcmp(md_keys[i].key, p, len))
			return &md_keys[i];
	}
	return NULL;
}

/* Returns -1 on a bad value, 1 for timeout=, 0 otherwise. */
static int parse_line(struct metadata *md, const char *p, size_t len,
		      char *err, size_t errsz)
{
	const char *eq = memchr(p, '=', len);
	const struct md_key *k;
	size_t klen;
	int ret;

	if (!eq)
		return 0;
	klen = (size_t)(eq - p);
	k = find_key(p, klen);
	if (!k)
		return 0;
	ret = k->set(md, value_dup(eq + 1, len - klen - 1));
	if (ret < 0)
		snprintf(err, errsz, "bad %s value '%.*s'", k->key,
			 (int)(len - klen - 1 > 40 ? 40 : len - klen - 1),
			 eq + 1);
	return ret;
}

int metadata_parse(struct metadata *md, const char *text, size_t len,
		   char *err, size_t errsz)
{
	size_t pos = 0, end;
	bool have_timeout = false;
	const char *nl;
	int ret;

	memset(md, 0, sizeof(*md));
	while (pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - text) : len;
		ret = parse_line(md, text + pos, end - pos, err, errsz);
		if (ret < 0)
			goto fail;
		have_timeout |= ret > 0;
		pos = end + 1;
	}
	if (!have_timeout) {
		snprintf(err, errsz, "no timeout= line");
		goto fail;
	}
	if (!md->description)
		md->description = xstrdup("");
	return 0;
fail:
	metadata_free(md);
	return -1;
}

void metadata_free(struct metadata *md)
{
	size_t i;

	free(md->description);
	free(md->tconf);
	for (i = 0; i < md->ntags; i++)
		free(md->tags[i]);
	free(md->tags);
	for (i = 0; i < md->ncaps; i++)
		free(md->caps[i]);
	free(md->caps);
	memset(md, 0, sizeof(*md));
}

/* Why "<bin> --metadata" failed, or NULL. */
static char *job_error(const struct job *job)
{
	const struct exit_info *st = &job->st;

	if (st->spawn_error)
		return xstrdup(st->spawn_error);
	if (st->timed_out)
		return xasprintf("no answer within %g s", st->limit_s);
	if (st->signal)
		return xasprintf("killed by signal %d (%s)", st->signal,
				 signal_name(st->signal));
	if (st->exit_status)
		return xasprintf("exit status %d", st->exit_status);
	return NULL;
}

static void take_metadata(struct test *t, struct job *job)
{
	char err[128];

	t->md_error = job_error(job);
	if (!t->md_error &&
	    metadata_parse(&t->md, job->output, job->output_len, err,
			   sizeof(err)))
		t->md_error = xstrdup(err);
	if (t->md_error) {
		/* What it printed explains the failure in the report. */
		t->output = job->output;
		t->output_len = t->output_total = job->output_len;
		job->output = NULL;
	}
	job_free(job);
}

/* Fills md (or md_error) of each test; returns a signal if interrupted. */
int query_metadata(struct test *tests, size_t n, unsigned int width)
{
	struct job *jobs = xcalloc(n, sizeof(*jobs));
	char **argvs = xcalloc(3 * n, sizeof(*argvs));
	size_t i;
	int sig;

	for (i = 0; i < n; i++) {
		argvs[3 * i] = tests[i].path;
		argvs[3 * i + 1] = "--metadata";
		jobs[i].argv = &argvs[3 * i];
		jobs[i].limit_s = METADATA_LIMIT_S;
		jobs[i].head_max = METADATA_CAPTURE;
	}
	sig = exec_pool(jobs, n, width, NULL);
	for (i = 0; i < n && !sig; i++)
		take_metadata(&tests[i], &jobs[i]);
	for (i = 0; i < n; i++)
		job_free(&jobs[i]);
	free(jobs);
	free(argvs);
	return sig;
}
