// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - small helpers of the runner: allocation that exits on failure,
 * strings, the monotonic clock, error messages and signal names.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "runner.h"

static void *check_alloc(void *p)
{
	if (!p) {
		fputs(RUNNER_NAME ": out of memory\n", stderr);
		exit(1);
	}
	return p;
}

void *xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *xcalloc(size_t nmemb, size_t size)
{
	return check_alloc(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size)
{
	return check_alloc(realloc(ptr, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return check_alloc(strndup(s, n));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	return check_alloc(ret < 0 ? NULL : s);
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool span_eq(struct span s, const char *str)
{
	return strlen(str) == s.len && !memcmp(s.p, str, s.len);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(RUNNER_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A usage error: one line, a hint, and the exit status for it. */
int usage_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(RUNNER_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nRun '" RUNNER_NAME " help' for usage.\n", stderr);
	return EXIT_USAGE;
}

const char *signal_name(int sig)
{
	const char *abbrev = sigabbrev_np(sig);
	static char buf[32];

	if (abbrev) {
		snprintf(buf, sizeof(buf), "SIG%s", abbrev);
		return buf;
	}
	snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

/*
 * Process set-up: fds 0-2 open (so pipes never land on them), SIGPIPE
 * ignored (a closed stdout is a write error, not a silent death that
 * would leave children running) and SIGCHLD at its default (an inherited
 * SIG_IGN would reap children before we read their status).
 */
void runner_init(void)
{
	int fd;

	do
		fd = open("/dev/null", O_RDWR);
	while (fd >= 0 && fd <= STDERR_FILENO);
	if (fd >= 0)
		close(fd);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
}
