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

#define CHILD_TIMEOUT	3	/* seconds, times the timeout multiplier */
#define CHILD_GRACE	10	/* more seconds before the parent kills it */
#define CAPTURE_MAX	(256 * 1024)

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
	tst_watchdog_start(CHILD_TIMEOUT * tst_timeout_mul());
	fn();
	tst_abort();
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read the child's output until EOF or the deadline; 0 if EOF seen. */
static int capture(int fd, char *buf, size_t *len, double deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		double left = deadline - now();
		char discard[4096];
		ssize_t n;

		if (left <= 0)
			return -1;
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		if (*len < CAPTURE_MAX)
			n = read(fd, buf + *len, CAPTURE_MAX - *len);
		else
			n = read(fd, discard, sizeof(discard));
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return 0;
		if (n > 0 && *len < CAPTURE_MAX)
			*len += n;
	}
}

/* The first line holding @tag and @substr, or NULL. */
static const char *find_line(const char *out, const char *tag,
	const char *substr, size_t *linelen)
{
	const char *line = out;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = strndup(line, len);
		int hit = copy && strstr(copy, tag) && strstr(copy, substr);

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

static void show_output(const char *out)
{
	const char *line = out;
	int n;

	for (n = 0; *line && n < 40; n++) {
		const char *end = strchr(line, '\n');
		int len = end ? (int)(end - line) : (int)strlen(line);

		tst_printf("  | %.*s\n", len, line);
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

void tst_kvm_expect_verdict(void (*fn)(void), int ttype, const char *substr)
{
	const char *tag = type_tag(ttype), *line;
	char *out, how[96];
	size_t len = 0, linelen = 0;
	int fds[2], status = 0, eof, ok;
	pid_t pid;

	if (!tag)
		tst_brk(TBROK, "tst_kvm_expect_verdict(): bad type %d", ttype);
	out = calloc(1, CAPTURE_MAX + 1);
	if (!out || pipe(fds))
		tst_brk(TBROK, "tst_kvm_expect_verdict(): %m");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		tst_brk(TBROK, "fork(): %m");
	if (!pid) {
		close(fds[0]);
		child(fds[1], fn);
	}
	close(fds[1]);

	eof = !capture(fds[0], out, &len,
		       now() + CHILD_TIMEOUT * tst_timeout_mul() + CHILD_GRACE);
	close(fds[0]);
	if (!eof)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	out[len] = '\0';

	describe_status(status, how, sizeof(how));
	line = find_line(out, tag, substr, &linelen);
	ok = eof && WIFEXITED(status) && line &&
	     (ttype == TPASS ? WEXITSTATUS(status) == 0 :
	      (WEXITSTATUS(status) & ttype) != 0);

	if (ok) {
		tst_res(TPASS, "ended with %s: %.*s", how, (int)linelen, line);
	} else {
		tst_res(TFAIL, "expected a %.5s line containing '%s' and a "
			"matching exit status; got %s%s%s", tag + 2, substr,
			eof ? "" : "no end (killed after the grace period), ",
			how, line ? "" : " and no such line");
		show_output(out);
	}
	free(out);
}
