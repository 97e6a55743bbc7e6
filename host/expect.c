/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * expect.c - tst_kvm_expect_verdict(): run a scenario in a child process
 * exactly as a test would run it, capture what it prints, and check that
 * it ended with the expected verdict line and exit status and without a
 * signal. This is how the framework's own negative tests (hostile guests)
 * prove they end precisely and never crash the host.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tst_test.h"
#include "internal.h"

#define CHILD_TIMEOUT	3	/* default seconds, times the multiplier */
#define CHILD_GRACE	10	/* more seconds before the parent kills it */
#define CAPTURE_HEAD	(64 * 1024)
#define CAPTURE_TAIL	(192 * 1024)
#define SHOW_MAX	200	/* characters of the matched line shown */
#define SHOW_LINES	20	/* lines of output shown from each end */

static double child_timeout = CHILD_TIMEOUT;

void tst_kvm_expect_timeout(double seconds)
{
	child_timeout = seconds > 0 ? seconds : CHILD_TIMEOUT;
}

static const char *type_tag(int ttype)
{
	switch (ttype) {
	case TPASS: return ": TPASS: ";
	case TFAIL: return ": TFAIL: ";
	case TBROK: return ": TBROK: ";
	case TWARN: return ": TWARN: ";
	case TINFO: return ": TINFO: ";
	case TCONF: return ": TCONF: ";
	default: return NULL;
	}
}

static __attribute__((noreturn)) void child(int fd, void (*fn)(void))
{
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	tst_harness_child_reset();
	tst_watchdog_start(child_timeout * tst_timeout_mul());
	fn();
	tst_abort();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The child's output: the first CAPTURE_HEAD bytes and a rolling window of
 * the last CAPTURE_TAIL, so that the verdict at the end of a flood is kept.
 */
struct capture {
	char head[CAPTURE_HEAD];
	size_t head_len;
	char tail[CAPTURE_TAIL];
	size_t tail_pos;	/* total bytes that went to the tail */
	unsigned long long skipped;
};

static void capture_add(struct capture *c, const char *buf, size_t n)
{
	size_t take = n < CAPTURE_HEAD - c->head_len ? n :
		      CAPTURE_HEAD - c->head_len;

	memcpy(c->head + c->head_len, buf, take);
	c->head_len += take;
	for (; take < n; take++)
		c->tail[c->tail_pos++ % CAPTURE_TAIL] = buf[take];
}

/* Head, a marker if bytes were dropped, then the tail; caller frees. */
static char *capture_text(const struct capture *c)
{
	size_t tail_len = c->tail_pos < CAPTURE_TAIL ? c->tail_pos :
			  CAPTURE_TAIL;
	char *out = malloc(CAPTURE_HEAD + CAPTURE_TAIL + 64), *p;
	size_t i;

	if (!out)
		tst_brk(TBROK, "malloc() failed");
	memcpy(out, c->head, c->head_len);
	p = out + c->head_len;
	if (c->tail_pos > CAPTURE_TAIL)
		p += sprintf(p, "\n[%llu bytes not kept]\n",
			     (unsigned long long)(c->tail_pos - CAPTURE_TAIL));
	for (i = c->tail_pos - tail_len; i < c->tail_pos; i++)
		*p++ = c->tail[i % CAPTURE_TAIL];
	*p = '\0';
	/* NULs from the child would hide the rest of the text. */
	for (i = 0; out + i < p; i++) {
		if (!out[i])
			out[i] = '?';
	}
	return out;
}

/* Read the child's output until EOF or the deadline; 0 if EOF seen. */
static int capture(int fd, struct capture *c, double deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4096];

	for (;;) {
		double left = deadline - now();
		ssize_t n;

		if (left <= 0)
			return -1;
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return 0;
		if (n > 0)
			capture_add(c, buf, n);
	}
}

/* Does @text start with @pat, where '*' in @pat matches any run? */
static int star_prefix(const char *pat, const char *text)
{
	for (; *pat && *pat != '*'; pat++, text++) {
		if (*pat != *text)
			return 0;
	}
	if (!*pat)
		return 1;
	for (;; text++) {
		if (star_prefix(pat + 1, text))
			return 1;
		if (!*text)
			return 0;
	}
}

/* @substr occurs in @line; '*' in it matches any run of characters. */
static int line_matches(const char *line, const char *substr)
{
	for (;; line++) {
		if (star_prefix(substr, line))
			return 1;
		if (!*line)
			return 0;
	}
}

/* Does @pattern name a result type ("TWARN: ...") itself? */
static int names_type(const char *pattern)
{
	static const char *const tags[] = {
		"TPASS:", "TFAIL:", "TBROK:", "TWARN:", "TINFO:", "TCONF:",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tags); i++) {
		if (strstr(pattern, tags[i]))
			return 1;
	}
	return 0;
}

/*
 * The first line matching @substr, and holding @tag unless @substr names
 * a type itself; NULL if none.
 */
static const char *find_line(const char *out, const char *tag,
	const char *substr, size_t *linelen)
{
	const char *line = out;
	int need_tag = !names_type(substr);

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = strndup(line, len);
		int hit = copy && (!need_tag || strstr(copy, tag)) &&
			  line_matches(copy, substr);

		free(copy);
		if (hit) {
			*linelen = len;
			return line;
		}
		if (!end)
			break;
		line = end + 1;
	}
	return NULL;
}

/* Print the child's output, at most SHOW_LINES from each end. */
static void show_output(const char *out)
{
	const char *line = out, *end;
	int total = 0, n = 0;

	for (end = out; *end; end++)
		total += *end == '\n';
	while (*line) {
		int len;

		end = strchr(line, '\n');
		len = end ? (int)(end - line) : (int)strlen(line);
		if (n < SHOW_LINES || n >= total - SHOW_LINES)
			tst_printf("  | %.*s\n", len > 400 ? 400 : len, line);
		else if (n == SHOW_LINES)
			tst_printf("  | [%d lines]\n", total - 2 * SHOW_LINES);
		n++;
		if (!end)
			break;
		line = end + 1;
	}
}

static void describe_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "wait status 0x%x", status);
}

/* Exactly this type's bit: TFAIL 1, TBROK 2, TWARN 4, TCONF 32, else 0. */
static int expected_status(int ttype)
{
	return (ttype == TPASS || ttype == TINFO) ? 0 : ttype;
}

/* How a child ended: its status, whether it ended, and its output. */
struct child_run {
	int status;
	int ended;
	char *out;
	char how[96];
};

static void run_child(void (*fn)(void), struct child_run *r)
{
	struct capture *cap = calloc(1, sizeof(*cap));
	int fds[2];
	pid_t pid;

	if (!cap || pipe(fds))
		tst_brk(TBROK, "running a child: %m");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		tst_brk(TBROK, "fork(): %m");
	if (!pid) {
		close(fds[0]);
		child(fds[1], fn);
	}
	close(fds[1]);

	r->ended = !capture(fds[0], cap, now() + child_timeout *
			    tst_timeout_mul() + CHILD_GRACE);
	close(fds[0]);
	if (!r->ended)
		kill(pid, SIGKILL);
	r->status = 0;
	waitpid(pid, &r->status, 0);
	r->out = capture_text(cap);
	free(cap);
	describe_status(r->status, r->how, sizeof(r->how));
}

static int exited_with(const struct child_run *r, int status)
{
	return r->ended && WIFEXITED(r->status) &&
	       WEXITSTATUS(r->status) == status;
}

static void report_match(const char *file, int lineno, const char *label,
	const struct child_run *r, const char *line, size_t linelen)
{
	tst_res_(file, lineno, TPASS, "%sended with %s: %.*s%s", label,
		 r->how, linelen > SHOW_MAX ? SHOW_MAX : (int)linelen, line,
		 linelen > SHOW_MAX ? "..." : "");
}

static void report_mismatch(const char *file, int lineno, const char *label,
	const struct child_run *r, int ttype, const char *substr, int found)
{
	tst_res_(file, lineno, TFAIL, "%sexpected a line matching '%s' and "
		 "exit status %d (%.5s); got %s%s%s", label, substr,
		 expected_status(ttype), type_tag(ttype) + 2,
		 r->ended ? "" : "no end (killed after the grace period), ",
		 r->how, found ? "" : " and no such line");
	show_output(r->out);
}

static void expect(const char *file, int lineno, const char *label,
	void (*fn)(void), int ttype, const char *substr)
{
	const char *tag = type_tag(ttype), *line;
	struct child_run r;
	size_t linelen = 0;

	if (!tag)
		tst_brk(TBROK, "tst_kvm_expect_verdict(): bad type %d", ttype);
	run_child(fn, &r);
	line = find_line(r.out, tag, substr, &linelen);
	if (line && exited_with(&r, expected_status(ttype)))
		report_match(file, lineno, label, &r, line, linelen);
	else
		report_mismatch(file, lineno, label, &r, ttype, substr, !!line);
	free(r.out);
}

void tst_kvm_expect_verdict_(const char *file, int lineno,
	void (*fn)(void), int ttype, const char *substr)
{
	expect(file, lineno, "", fn, ttype, substr);
}

static uint64_t scenario_arg;

static void run_scenario(void)
{
	struct tst_kvm_instance inst;

	tst_kvm_create_default_instance(&inst);
	tst_kvm_set_guest_arg(&inst, scenario_arg);
	tst_kvm_run_instance(&inst);
	tst_kvm_destroy_instance(&inst);
}

static void scenario_label(char *label, size_t len, uint64_t arg)
{
	snprintf(label, len, "scenario %llu: ", (unsigned long long)arg);
}

void tst_kvm_expect_guest_verdict_(const char *file, int lineno,
	uint64_t guest_arg, int ttype, const char *substr)
{
	char label[40];

	scenario_label(label, sizeof(label), guest_arg);
	scenario_arg = guest_arg;
	expect(file, lineno, label, run_scenario, ttype, substr);
}

/* The test's own VM for case i (tst_kvm_run_cases_vm()). */
static void (*case_vm)(unsigned int i);

static void run_case_vm(void)
{
	case_vm((unsigned int)scenario_arg);
}

/* One case: TPASS "passed all", TCONF relayed, TFAIL otherwise. */
static void run_case(const char *file, int lineno, unsigned int i,
	const char *name)
{
	char label[40], pattern[300];
	const char *line;
	struct child_run r;
	size_t linelen = 0;

	scenario_label(label, sizeof(label), i);
	snprintf(pattern, sizeof(pattern), "TPASS: %s: passed all", name);
	scenario_arg = i;
	run_child(case_vm ? run_case_vm : run_scenario, &r);

	line = find_line(r.out, ": TCONF: ", "", &linelen);
	if (line && exited_with(&r, TCONF)) {
		tst_res_(file, lineno, TCONF, "%s%.*s", label,
			 linelen > SHOW_MAX ? SHOW_MAX : (int)linelen, line);
	} else {
		line = find_line(r.out, ": TPASS: ", pattern, &linelen);
		if (line && exited_with(&r, 0))
			report_match(file, lineno, label, &r, line, linelen);
		else
			report_mismatch(file, lineno, label, &r, TPASS,
					pattern, !!line);
	}
	free(r.out);
}

void tst_kvm_run_cases_vm_(const char *file, int lineno,
	const char *const *names, unsigned int count,
	void (*run_vm)(unsigned int i))
{
	unsigned int i;

	case_vm = run_vm;
	for (i = 0; i < count; i++)
		run_case(file, lineno, i, names[i]);
	case_vm = NULL;
}

void tst_kvm_run_cases_(const char *file, int lineno,
	const char *const *names, unsigned int count)
{
	tst_kvm_run_cases_vm_(file, lineno, names, count, NULL);
}
