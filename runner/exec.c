// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec.c - running test binaries: fork/exec with stdout and stderr on one
 * pipe, stdin on /dev/null, each child in its own process group; a pool
 * that keeps up to N of them running, drains every pipe (so no child ever
 * blocks on a full pipe), enforces wall-clock limits by SIGKILLing the
 * process group, and captures a bounded amount of output (the head and the
 * tail, with a marker where bytes were dropped). SIGINT/SIGTERM/SIGHUP
 * kill all running children before the pool returns. A child that does
 * not die within KILL_WAIT_S of SIGKILL (stuck in the kernel) is given up
 * on, so the run always ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runner.h"

#define READ_CHUNK	65536
#define READ_BUDGET	16	/* chunks per wakeup: fairness to others */
#define FINAL_BUDGET	64	/* chunks after the child exited */
#define NO_PIDFD_TICK_S	0.05	/* poll period, no pidfd */
#define KILL_WAIT_S	10.0	/* after SIGKILL, before giving up on it */

void capture_init(struct capture *c, size_t head_max, size_t tail_max)
{
	memset(c, 0, sizeof(*c));
	c->head_max = head_max;
	c->tail_max = tail_max;
}

static size_t add_head(struct capture *c, const char *p, size_t n)
{
	size_t k = c->head_max - c->head_len;

	if (k > n)
		k = n;
	if (!k)
		return 0;
	if (c->head_len + k > c->head_cap) {
		c->head_cap = c->head_cap ? c->head_cap : 4096;
		while (c->head_cap < c->head_len + k)
			c->head_cap *= 2;
		if (c->head_cap > c->head_max)
			c->head_cap = c->head_max;
		c->head = xrealloc(c->head, c->head_cap);
	}
	memcpy(c->head + c->head_len, p, k);
	c->head_len += k;
	return k;
}

/* Past the head, keep the newest tail_max bytes in a ring. */
static void add_tail(struct capture *c, const char *p, size_t n)
{
	size_t first;

	if (!n || !c->tail_max)
		return;
	if (!c->tail)
		c->tail = xmalloc(c->tail_max);
	if (n > c->tail_max) {
		p += n - c->tail_max;
		n = c->tail_max;
	}
	first = c->tail_max - c->tail_pos;
	if (first > n)
		first = n;
	memcpy(c->tail + c->tail_pos, p, first);
	memcpy(c->tail, p + first, n - first);
	c->tail_pos = (c->tail_pos + n) % c->tail_max;
	c->tail_len = c->tail_len + n > c->tail_max ? c->tail_max :
		      c->tail_len + n;
}

void capture_add(struct capture *c, const char *p, size_t n)
{
	size_t k;

	c->total += n;
	k = add_head(c, p, n);
	add_tail(c, p + k, n - k);
}

/* The ring in order, into out. */
static void unroll_tail(const struct capture *c, char *out)
{
	size_t start = c->tail_len < c->tail_max ? 0 : c->tail_pos;

	if (!c->tail_len)
		return;
	memcpy(out, c->tail + start, c->tail_len - start);
	memcpy(out + c->tail_len - start, c->tail, start);
}

/* Bytes of the head after its last newline (a line cut by the limit). */
static size_t partial_head_line(const struct capture *c)
{
	size_t i = c->head_len;

	while (i > 0 && c->head[i - 1] != '\n')
		i--;
	return i ? c->head_len - i : 0;	/* one line only: keep it */
}

/*
 * The captured bytes as one NUL-terminated buffer. If bytes were dropped,
 * the lines cut at either end go too (a cut result line would lie), and
 * a line "[kvmcheck: N bytes of output dropped]" joins the head and the
 * tail.
 */
char *capture_finish(struct capture *c, size_t *len, bool *truncated)
{
	size_t dropped = c->total - c->head_len - c->tail_len, skip = 0;
	char *tail = xmalloc(c->tail_len + 1), *out, *nl, marker[96];
	int mlen = 0;

	unroll_tail(c, tail);
	if (dropped) {
		nl = memchr(tail, '\n', c->tail_len);
		skip = nl ? (size_t)(nl - tail) + 1 : 0;
		dropped += skip + partial_head_line(c);
		c->head_len -= partial_head_line(c);
		mlen = snprintf(marker, sizeof(marker),
				"%s[" RUNNER_NAME ": %zu bytes of output "
				"dropped]\n",
				c->head_len && c->head[c->head_len - 1] !=
				'\n' ? "\n" : "", dropped);
	}
	*len = c->head_len + (size_t)mlen + c->tail_len - skip;
	out = xmalloc(*len + 1);
	if (c->head_len)
		memcpy(out, c->head, c->head_len);
	memcpy(out + c->head_len, marker, (size_t)mlen);
	memcpy(out + c->head_len + mlen, tail + skip, c->tail_len - skip);
	out[*len] = '\0';
	*truncated = dropped != 0;
	free(tail);
	free(c->head);
	free(c->tail);
	memset(c, 0, sizeof(*c));
	return out;
}

/* The pool */

#define ABANDONED "\n[" RUNNER_NAME ": the process did not die after " \
	"SIGKILL; given up on]\n"

struct slot {
	size_t idx;
	pid_t pid;
	int fd;			/* output pipe read end; -1: closed */
	int pidfd;		/* readable once the child exited; -1: none */
	double start, deadline;
	struct capture cap;
	bool timed_out;
	bool abandoned;		/* SIGKILL did not end it */
};

static volatile sig_atomic_t interrupted;
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void on_stop_signal(int sig)
{
	interrupted = sig;
}

/* Blocks the stop signals (ppoll unblocks them) and installs handlers. */
static void signals_setup(sigset_t *orig, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(stop_signals); i++) {
		sigaddset(&set, stop_signals[i]);
		sigaction(stop_signals[i], &sa, &old[i]);
	}
	sigprocmask(SIG_BLOCK, &set, orig);
	interrupted = 0;
}

static void signals_restore(const sigset_t *orig,
			    const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(stop_signals); i++)
		sigaction(stop_signals[i], &old[i], NULL);
	sigprocmask(SIG_SETMASK, orig, NULL);
}

static __attribute__((noreturn)) void child(char **argv, int out,
					    const sigset_t *mask)
{
	int null;

	setpgid(0, 0);
	null = open("/dev/null", O_RDONLY);
	if (null > STDIN_FILENO) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	execv(argv[0], argv);
	dprintf(STDERR_FILENO, RUNNER_NAME ": cannot execute %s: %s\n",
		argv[0], strerror(errno));
	_exit(127);
}

static int spawn(struct slot *s, struct job *job, const sigset_t *mask)
{
	int pfd[2];

	if (pipe2(pfd, O_CLOEXEC)) {
		job->st.spawn_error = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		job->st.spawn_error = xasprintf("fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (!s->pid)
		child(job->argv, pfd[1], mask);
	close(pfd[1]);
	setpgid(s->pid, s->pid);	/* both sides: no race with kill */
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	s->fd = pfd[0];
	s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	return 0;
}

static void start_job(struct slot *s, size_t idx, struct job *job,
		      const sigset_t *mask)
{
	memset(s, 0, sizeof(*s));
	s->idx = idx;
	s->fd = s->pidfd = -1;
	s->start = now_s();
	s->deadline = job->limit_s > 0 ? s->start + job->limit_s : 0;
	capture_init(&s->cap, job->head_max, job->tail_max);
	job->st.exit_status = -1;
	job->st.limit_s = job->limit_s;
	if (spawn(s, job, mask))
		s->pid = -1;
}

/* Reads what is there, up to budget chunks. */
static void drain(struct slot *s, int budget)
{
	char buf[READ_CHUNK];
	ssize_t n;

	while (s->fd >= 0 && budget > 0) {
		n = read(s->fd, buf, sizeof(buf));
		if (n > 0) {
			capture_add(&s->cap, buf, (size_t)n);
			budget--;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(s->fd);	/* EOF or a read error */
		s->fd = -1;
	}
}

/* Exited (a zombie we have not reaped), or gone in some other way. */
static bool leader_exited(const struct slot *s)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)s->pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return errno != EINTR;
	return si.si_pid == s->pid;
}

static void kill_group(pid_t pid)
{
	if (kill(-pid, SIGKILL))
		kill(pid, SIGKILL);
}

/*
 * The leader exited (still a zombie, so its process group id cannot be
 * reused): kill what is left of its group, take the last output, reap.
 */
static void finish_job(struct slot *s, struct job *job)
{
	pid_t ret;
	int status;

	if (s->abandoned) {
		capture_add(&s->cap, ABANDONED, sizeof(ABANDONED) - 1);
		s->pid = -1;
	}
	if (s->pid > 0) {
		kill_group(s->pid);
		drain(s, FINAL_BUDGET);
		do
			ret = waitpid(s->pid, &status, 0);
		while (ret < 0 && errno == EINTR);
		if (ret < 0)
			job->st.spawn_error = xasprintf("waitpid: %s",
							strerror(errno));
		else if (WIFEXITED(status))
			job->st.exit_status = WEXITSTATUS(status);
		else if (WIFSIGNALED(status))
			job->st.signal = WTERMSIG(status);
	}
	if (s->fd >= 0)
		close(s->fd);
	if (s->pidfd >= 0)
		close(s->pidfd);
	job->st.timed_out = s->timed_out;
	job->duration_s = now_s() - s->start;
	job->output_total = s->cap.total;
	job->output = capture_finish(&s->cap, &job->output_len,
				     &job->truncated);
}

static double poll_timeout(const struct slot *slots, size_t nrun)
{
	double t = -1, now = now_s(), left;
	size_t i;

	for (i = 0; i < nrun; i++) {
		if (slots[i].pidfd < 0 && (t < 0 || t > NO_PIDFD_TICK_S))
			t = NO_PIDFD_TICK_S;
		if (!slots[i].deadline)
			continue;
		left = slots[i].deadline - now;
		left = left < 0 ? 0 : left;
		if (t < 0 || left < t)
			t = left;
	}
	return t;
}

static void wait_events(struct slot *slots, size_t nrun,
			struct pollfd *pfds, const sigset_t *mask)
{
	double t = poll_timeout(slots, nrun);
	struct timespec ts;
	size_t i, n = 0;

	for (i = 0; i < nrun; i++) {
		pfds[n++] = (struct pollfd){ .fd = slots[i].fd,
					     .events = POLLIN };
		pfds[n++] = (struct pollfd){ .fd = slots[i].pidfd,
					     .events = POLLIN };
	}
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	ppoll(pfds, n, t < 0 ? NULL : &ts, mask);
}

/*
 * Reads output, checks exit and deadline; true when the job is over. At
 * the deadline the group is killed and a second deadline starts.
 */
static bool service(struct slot *s, short revents)
{
	if (s->pid < 0)
		return true;
	if (revents)
		drain(s, READ_BUDGET);
	if (leader_exited(s))
		return true;
	if (!s->deadline || now_s() < s->deadline)
		return false;
	kill_group(s->pid);
	if (s->timed_out) {
		s->abandoned = true;
		return true;
	}
	s->timed_out = true;
	s->deadline = now_s() + KILL_WAIT_S;
	return false;
}

/* Interrupted: kill everything, wait a bounded time, finish all jobs. */
static void abort_all(struct slot *slots, size_t nrun, struct job *jobs)
{
	double give_up = now_s() + KILL_WAIT_S;
	size_t i, left = nrun;

	for (i = 0; i < nrun; i++) {
		if (slots[i].pid > 0)
			kill_group(slots[i].pid);
	}
	while (left && now_s() < give_up) {
		left = 0;
		for (i = 0; i < nrun; i++)
			left += slots[i].pid > 0 && !leader_exited(&slots[i]);
		if (left)
			usleep(10000);
	}
	for (i = 0; i < nrun; i++) {
		if (slots[i].pid > 0 && !leader_exited(&slots[i]))
			slots[i].abandoned = true;
		finish_job(&slots[i], &jobs[slots[i].idx]);
	}
}

/*
 * Runs jobs[0..n) in index order, at most width at a time. hooks (may be
 * NULL) hear about starts and ends. Returns 0, or the signal that
 * interrupted the run (all children are then killed and reaped).
 */
int exec_pool(struct job *jobs, size_t n, unsigned int width,
	      const struct pool_hooks *hooks)
{
	struct slot *slots = xcalloc(width, sizeof(*slots));
	struct pollfd *pfds = xcalloc(2 * (size_t)width, sizeof(*pfds));
	struct sigaction old[ARRAY_SIZE(stop_signals)];
	size_t next = 0, nrun = 0, i;
	sigset_t orig;
	int sig;

	signals_setup(&orig, old);
	while ((next < n || nrun) && !interrupted) {
		while (nrun < width && next < n) {
			start_job(&slots[nrun], next, &jobs[next], &orig);
			if (hooks && hooks->started)
				hooks->started(next, hooks->ctx);
			next++;
			nrun++;
		}
		wait_events(slots, nrun, pfds, &orig);
		for (i = nrun; i-- > 0;) {
			if (!service(&slots[i], pfds[2 * i].revents |
				     pfds[2 * i + 1].revents))
				continue;
			finish_job(&slots[i], &jobs[slots[i].idx]);
			if (hooks && hooks->finished)
				hooks->finished(slots[i].idx, hooks->ctx);
			slots[i] = slots[--nrun];
		}
	}
	abort_all(slots, nrun, jobs);
	sig = interrupted;
	signals_restore(&orig, old);
	free(slots);
	free(pfds);
	return sig;
}

void job_free(struct job *job)
{
	free(job->st.spawn_error);
	free(job->output);
	memset(job, 0, sizeof(*job));
}
