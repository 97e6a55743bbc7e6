// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_run.c - "kvmcheck run": select the tests, learn the machine and its
 * known failures, query metadata, run the tests in parallel with their
 * time limits, evaluate each as it ends, stream reports in name order
 * (a test is reported once it and all tests before it are done) with a
 * progress line on a terminal, and exit 0 only if nothing was unexpected.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runner.h"

struct run_ctx {
	struct run *r;
	const struct reporter *rep;
	FILE *out;
	struct progress prog;
	size_t *job_test;	/* job index -> test index */
	struct job *jobs;
	char **argvs;		/* two per job: path, NULL */
	bool *started;
	size_t next_report, done;
};

/* The first test still running, for the progress line. */
static const char *running_name(const struct run_ctx *c)
{
	size_t i;

	for (i = c->next_report; i < c->r->n; i++) {
		if (c->started[i] && !c->r->tests[i].done)
			return c->r->tests[i].name;
	}
	return NULL;
}

static void show_progress(struct run_ctx *c)
{
	progress_show(&c->prog, c->done, c->r->n, running_name(c));
}

static void report_ready(struct run_ctx *c)
{
	struct test *t;

	while (c->next_report < c->r->n &&
	       c->r->tests[c->next_report].done) {
		t = &c->r->tests[c->next_report];
		progress_clear(&c->prog);
		if (c->rep->test)
			c->rep->test(c->out, c->r, t, c->next_report);
		fflush(c->out);
		c->next_report++;
	}
}

static void on_started(size_t j, void *ctx)
{
	struct run_ctx *c = ctx;

	c->started[c->job_test[j]] = true;
	show_progress(c);
}

static void on_finished(size_t j, void *ctx)
{
	struct run_ctx *c = ctx;
	struct test *t = &c->r->tests[c->job_test[j]];
	struct job *job = &c->jobs[j];

	t->st = job->st;
	job->st.spawn_error = NULL;
	t->duration_s = job->duration_s;
	t->output = job->output;
	t->output_len = job->output_len;
	t->output_total = job->output_total;
	t->truncated = job->truncated;
	job->output = NULL;
	test_evaluate(t, &c->r->kf);
	c->done++;
	report_ready(c);
	show_progress(c);
}

static double test_limit(const struct test *t, const struct run_opts *o,
			 double mul)
{
	if (o->timeout_s > 0)
		return o->timeout_s;
	return t->md.timeout * mul + TIMEOUT_GRACE_S;
}

/* Tests whose metadata failed are done; the others become jobs. */
static size_t make_jobs(struct run_ctx *c, const struct run_opts *o)
{
	struct run *r = c->r;
	size_t i, nj = 0;

	c->jobs = xcalloc(r->n, sizeof(*c->jobs));
	c->job_test = xcalloc(r->n, sizeof(*c->job_test));
	c->started = xcalloc(r->n, sizeof(*c->started));
	c->argvs = xcalloc(2 * r->n, sizeof(*c->argvs));
	for (i = 0; i < r->n; i++) {
		if (r->tests[i].md_error) {
			test_evaluate(&r->tests[i], &r->kf);
			c->started[i] = true;
			c->done++;
			continue;
		}
		r->tests[i].limit_s = test_limit(&r->tests[i], o,
						 r->timeout_mul);
		c->argvs[2 * nj] = r->tests[i].path;
		c->jobs[nj].argv = &c->argvs[2 * nj];
		c->jobs[nj].limit_s = r->tests[i].limit_s;
		c->jobs[nj].head_max = CAPTURE_HEAD;
		c->jobs[nj].tail_max = CAPTURE_TAIL;
		c->job_test[nj++] = i;
	}
	return nj;
}

static int load_known(struct run *r, const struct run_opts *o)
{
	char err[512], *dir = NULL, *path = NULL;
	int ret;

	if (o->known_failures) {
		ret = kf_load(&r->kf, o->known_failures, true, err,
			      sizeof(err));
	} else {
		dir = self_dir();
		path = xasprintf("%s/known-failures/%s", dir, r->backend);
		ret = kf_load(&r->kf, path, false, err, sizeof(err));
	}
	if (ret)
		err_msg("%s", err);
	free(dir);
	free(path);
	return ret ? EXIT_USAGE : 0;
}

static int setup(struct run *r, const struct run_opts *o)
{
	if (parse_timeout_mul(getenv("KVMCHECK_TIMEOUT_MUL"),
			      &r->timeout_mul))
		return usage_err("KVMCHECK_TIMEOUT_MUL='%s': expected a "
				 "number in (0, 1000]",
				 getenv("KVMCHECK_TIMEOUT_MUL"));
	r->jobs = o->jobs ? o->jobs : default_jobs();
	r->verbose = o->verbose;
	r->backend = o->backend ? o->backend : detect_backend("/sys/module");
	r->cpu_vendor = cpu_vendor("/proc/cpuinfo");
	return load_known(r, o);
}

static int open_output(const struct run_opts *o, FILE **out)
{
	*out = stdout;
	if (!o->output)
		return 0;
	*out = fopen(o->output, "we");
	if (*out)
		return 0;
	err_msg("%s: %s", o->output, strerror(errno));
	return EXIT_USAGE;
}

static int close_output(FILE *out)
{
	bool bad = fflush(out) || ferror(out);

	if (out != stdout)
		bad |= fclose(out) != 0;
	if (bad)
		err_msg("writing the report failed: %s", strerror(errno));
	return bad;
}

/* Runs the jobs; 0, or the signal that stopped the run. */
static int execute(struct run_ctx *c, const struct run_opts *o)
{
	struct pool_hooks hooks = { on_started, on_finished, c };
	size_t nj = make_jobs(c, o), i;
	double start = now_s();
	int sig;

	c->r->started = time(NULL);
	if (c->rep->begin)
		c->rep->begin(c->out, c->r);
	report_ready(c);
	sig = exec_pool(c->jobs, nj, c->r->jobs, &hooks);
	progress_clear(&c->prog);
	c->r->duration_s = now_s() - start;
	for (i = 0; i < nj; i++)
		job_free(&c->jobs[i]);
	return sig;
}

static int run_tests(struct run *r, const struct run_opts *o)
{
	struct run_ctx c = { .r = r };
	int ret, sig;

	c.rep = reporter_find(o->format);
	ret = open_output(o, &c.out);
	if (ret)
		return ret;
	progress_init(&c.prog, stderr);
	sig = query_metadata(r->tests, r->n, r->jobs);
	if (!sig)
		sig = execute(&c, o);
	if (sig) {
		err_msg("interrupted by %s", signal_name(sig));
		ret = 128 + sig;
	} else {
		run_count(r);
		c.rep->end(c.out, r);
		ret = run_unexpected(r) ? 1 : 0;
	}
	if (close_output(c.out) && !ret)
		ret = 1;
	free(c.jobs);
	free(c.job_test);
	free(c.started);
	free(c.argvs);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run r = { 0 };
	struct run_opts o;
	char *dir = NULL;
	int ret;

	ret = cli_parse(CLI_RUN, argc, argv, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (!o.tests_dir)
		o.tests_dir = dir = default_tests_dir();
	r.tests_dir = o.tests_dir;
	ret = setup(&r, &o);
	if (!ret)
		ret = select_tests(o.tests_dir, o.patterns, o.npatterns,
				   &r.tests, &r.n);
	if (!ret)
		ret = run_tests(&r, &o);
	tests_free(r.tests, r.n);
	kf_free(&r.kf);
	free(r.cpu_vendor);
	free(dir);
	return ret;
}
