/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * runner.h - the internal API of the kvmcheck runner: the test model, test
 * discovery, metadata, process execution, output parsing, known failures,
 * verdicts, escaping and the report formats. main.c only dispatches
 * commands; everything else lives in librunner.a so unit tests can link it.
 */
#ifndef KVMCHECK_RUNNER_H
#define KVMCHECK_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "kvm_common.h"		/* TPASS ... TCONF */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

#define RUNNER_NAME		"kvmcheck"
#define EXIT_USAGE		2	/* bad command line or environment */

/* Output captured per test: the first HEAD bytes and the last TAIL bytes. */
#define CAPTURE_MAX		(1024 * 1024)
#define CAPTURE_TAIL		(64 * 1024)
#define CAPTURE_HEAD		(CAPTURE_MAX - CAPTURE_TAIL)

#define METADATA_LIMIT_S	10.0	/* for "<bin> --metadata" */
#define METADATA_CAPTURE	(64 * 1024)
#define TIMEOUT_GRACE_S	10.0	/* added to the scaled timeout */
#define MAX_JOBS		1024

/* util.c: allocation that cannot fail, strings, time, messages. */
struct span {
	const char *p;
	size_t len;
};

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double now_s(void);
bool span_eq(struct span s, const char *str);
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *signal_name(int sig);

/* escape.c: hostile bytes to text, XML/HTML, JSON and KTAP. */
#define UTF8_INVALID	0xffffffffu

size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
void esc_text(FILE *f, const char *s, size_t len);
void esc_ktap(FILE *f, const char *s, size_t len);
void esc_xml(FILE *f, const char *s, size_t len);
void esc_xml_attr(FILE *f, const char *s, size_t len);
void esc_json(FILE *f, const char *s, size_t len);
void json_str(FILE *f, const char *s, size_t len);
void json_cstr(FILE *f, const char *s);	/* NULL prints null */

/* outcome.c: the lines a test printed. */
enum line_kind {
	LINE_TEXT,		/* context: dumps, [guest] lines, HINT:... */
	LINE_RESULT,		/* <file>:<line>: <TYPE>: <message> */
	LINE_SUMMARY,		/* the harness's final "Summary:" block */
};

struct kf_entry;

struct out_line {
	struct span text;	/* the whole line, without the newline */
	enum line_kind kind;
	int type;		/* LINE_RESULT: TPASS, TFAIL, ... */
	struct span file;
	unsigned long lineno;
	struct span msg;
	const struct kf_entry *known;	/* matching known failure */
};

const char *rtype_name(int type);
bool rtype_failing(int type);	/* TFAIL or TBROK */
bool parse_result_line(const char *s, size_t len, struct out_line *out);
size_t parse_output(const char *buf, size_t len, struct out_line **lines);

struct result_counts {
	unsigned int pass, fail, brok, warn, info, conf;
};

int lines_count(const struct out_line *lines, size_t n,
		struct result_counts *c);

/* known_failures.c */
struct kf_entry {
	char *glob;		/* test glob, e.g. cpu/ */
	char *match;		/* substring, "*", "timeout", "crash" */
	char *reason;
	unsigned int line;
};

struct kf_list {
	struct kf_entry *v;
	size_t n;
	char *path;		/* NULL: none */
	bool loaded;		/* false: the file does not exist */
};

int kf_parse(struct kf_list *kf, const char *text, size_t len,
	     const char *path, char *err, size_t errsz);
int kf_load(struct kf_list *kf, const char *path, bool must_exist,
	    char *err, size_t errsz);
void kf_free(struct kf_list *kf);
const struct kf_entry *kf_find_test(const struct kf_list *kf,
				    const char *test);
const struct kf_entry *kf_find_line(const struct kf_list *kf,
				    const char *test, struct span msg);
const struct kf_entry *kf_find_event(const struct kf_list *kf,
				     const char *test, const char *event);
void kf_mark_lines(const struct kf_list *kf, const char *test,
		   struct out_line *lines, size_t n);

/* metadata.c: "<bin> --metadata" output. */
struct metadata {
	char *description;
	unsigned int timeout;
	char **tags;		/* "NAME:VALUE" */
	size_t ntags;
	char **caps;
	size_t ncaps;
	char *tconf;
};

int metadata_parse(struct metadata *md, const char *text, size_t len,
		   char *err, size_t errsz);
void metadata_free(struct metadata *md);

struct test;
int query_metadata(struct test *tests, size_t n, unsigned int jobs);

/* exec.c: child processes, output capture, the parallel pool. */
struct capture {
	char *head;
	size_t head_len, head_cap, head_max;
	char *tail;		/* ring of the newest bytes past the head */
	size_t tail_len, tail_pos, tail_max;
	size_t total;
};

void capture_init(struct capture *c, size_t head_max, size_t tail_max);
void capture_add(struct capture *c, const char *p, size_t n);
char *capture_finish(struct capture *c, size_t *len, bool *truncated);

struct exit_info {
	int exit_status;	/* -1: did not exit normally */
	int signal;		/* 0: not killed by a signal */
	bool timed_out;		/* we killed it at the limit */
	double limit_s;		/* the limit it had */
	char *spawn_error;	/* fork/pipe failed; NULL otherwise */
};

struct job {
	char **argv;		/* argv[0] is the path */
	double limit_s;		/* wall-clock limit; <= 0: none */
	size_t head_max, tail_max;
	/* Results */
	struct exit_info st;
	char *output;
	size_t output_len, output_total;
	bool truncated;
	double duration_s;
};

struct pool_hooks {
	void (*started)(size_t idx, void *ctx);
	void (*finished)(size_t idx, void *ctx);
	void *ctx;
};

int exec_pool(struct job *jobs, size_t n, unsigned int width,
	      const struct pool_hooks *hooks);
void job_free(struct job *job);

/* verdict.c */
enum verdict {
	V_PASS,
	V_FAIL,
	V_BROKEN,
	V_CONF,
	V_TIMEOUT,
	V_XFAIL,
	V_XPASS,
	V_WARN,
	V_COUNT
};

struct verdict_info {
	const char *name;	/* json, junit type, --help */
	const char *label;	/* text report */
	bool unexpected;	/* makes "kvmcheck run" fail */
};

const struct verdict_info *verdict_info(enum verdict v);

struct verdict_result {
	enum verdict verdict;
	char *reason;		/* malloc'd, NULL if none */
};

struct verdict_result compute_verdict(const char *test,
				      const struct exit_info *st,
				      const struct out_line *lines, size_t n,
				      bool truncated,
				      const struct kf_list *kf);

/* test.c: the test model shared by discovery, the run and the reports. */
struct test {
	char *name;		/* group/name */
	char *group;
	char *base;		/* name without the group */
	char *path;
	struct metadata md;
	char *md_error;		/* NULL: metadata fine */
	/* Outcome */
	bool done;
	struct exit_info st;
	double limit_s;
	double duration_s;
	char *output;
	size_t output_len, output_total;
	bool truncated;
	struct out_line *lines;
	size_t nlines;
	enum verdict verdict;
	char *reason;
};

struct run {
	struct test *tests;
	size_t n;
	const char *tests_dir;
	const char *backend;
	char *cpu_vendor;
	struct kf_list kf;
	double timeout_mul;
	unsigned int jobs;
	bool verbose;
	double duration_s;
	time_t started;
	size_t count[V_COUNT];
};

void test_evaluate(struct test *t, const struct kf_list *kf);
void run_count(struct run *r);
size_t run_unexpected(const struct run *r);
void test_free(struct test *t);
void tests_free(struct test *tests, size_t n);

/* discover.c */
char **list_programs(const char *dir, size_t *n);
void free_names(char **names, size_t n);
int discover_tests(const char *dir, struct test **tests, size_t *n,
		   char *err, size_t errsz);
int filter_names(const char *const *names, size_t n,
		 char *const *patterns, size_t npat, bool *keep);
int filter_tests(struct test **tests, size_t *n, char *const *patterns,
		 size_t npat);
int select_tests(const char *dir, char *const *patterns, size_t npat,
		 struct test **tests, size_t *n);

/* sysinfo.c: where we are, what we run on. */
char *self_dir(void);
const char *detect_backend(const char *module_root);
char *cpu_vendor(const char *cpuinfo);
int parse_timeout_mul(const char *env, double *mul);
unsigned int default_jobs(void);

/* cli.c */
struct run_opts {
	char **patterns;
	size_t npatterns;
	unsigned int jobs;
	double timeout_s;	/* 0: from metadata */
	const char *format;
	const char *output;
	const char *tests_dir;
	const char *known_failures;
	const char *backend;
	bool verbose;
};

enum cli_cmd { CLI_RUN, CLI_LIST };

int cli_parse(enum cli_cmd cmd, int argc, char **argv, struct run_opts *o);
void cli_usage(FILE *f);
char *default_tests_dir(void);

/* progress.c: a single updating line on a TTY. */
struct progress {
	FILE *f;
	bool enabled, drawn;
	unsigned int width;
};

void progress_init(struct progress *p, FILE *f);
void progress_show(struct progress *p, size_t done, size_t total,
		   const char *name);
void progress_clear(struct progress *p);

/*
 * report.c and report_*.c: the formats. begin and test may be NULL; test
 * is called in name order as soon as a test and all before it are done.
 */
struct reporter {
	const char *name;
	void (*begin)(FILE *f, const struct run *r);
	void (*test)(FILE *f, const struct run *r, const struct test *t,
		     size_t idx);
	void (*end)(FILE *f, const struct run *r);
};

extern const struct reporter report_text, report_ktap, report_junit,
	report_json, report_html;

const struct reporter *reporter_find(const char *name);
const char *reporter_names(void);
void report_summary(FILE *f, const struct run *r, const char *prefix);
void report_final_line(FILE *f, const struct run *r, const char *prefix);
bool line_is_blank(const struct out_line *l);

/* commands: cmd_run.c, cmd_list.c, cmd_bench.c */
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_help(int argc, char **argv);	/* cli.c */
void runner_init(void);			/* util.c */


#endif /* KVMCHECK_RUNNER_H */
