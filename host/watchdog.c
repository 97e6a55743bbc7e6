/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * watchdog.c - the per-process test timeout and vCPU kicks. vCPU threads
 * register themselves; when the timeout expires the SIGALRM handler sends
 * the kick signal to each, whose handler (on that thread) sets its own
 * kvm_run.immediate_exit, so KVM_RUN returns -EINTR promptly even if the
 * signal lands just before the ioctl. The run loop then reports where the
 * guest was. If the test is still alive TST_WATCHDOG_GRACE seconds later
 * (stuck outside KVM_RUN), a second stage prints a TBROK line and exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include "tst_test.h"
#include "internal.h"

#define TST_MAX_VCPU_THREADS	64
#define TST_WATCHDOG_GRACE	5

/* Thread ids of registered vCPU threads; 0: free slot. */
static pid_t threads[TST_MAX_VCPU_THREADS];
static volatile sig_atomic_t expired, stage;
static double timeout_seconds;
static __thread struct kvm_run *this_run;
static int handlers_installed;

static int kick_signal(void)
{
	return SIGRTMIN;
}

static void kick_handler(int sig)
{
	(void)sig;
	if (this_run)
		__atomic_store_n(&this_run->immediate_exit, 1,
				 __ATOMIC_SEQ_CST);
}

static void arm(double seconds)
{
	struct itimerval it = { 0 };

	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (time_t)seconds) * 1e6);
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void write_str(const char *s)
{
	ssize_t r = write(STDOUT_FILENO, s, strlen(s));

	(void)r;
}

static void alarm_handler(int sig)
{
	pid_t pid = getpid();
	int saved = errno;
	unsigned int i;

	(void)sig;
	if (stage++) {
		write_str("watchdog.c:0: TBROK: test still running "
			  "after its timeout and grace period; "
			  "host side stuck outside KVM_RUN\n");
		_exit(TBROK);
	}
	expired = 1;
	for (i = 0; i < TST_MAX_VCPU_THREADS; i++) {
		pid_t tid = __atomic_load_n(&threads[i], __ATOMIC_SEQ_CST);

		if (tid)
			syscall(SYS_tgkill, pid, tid, kick_signal());
	}
	arm(TST_WATCHDOG_GRACE);
	errno = saved;
}

static void install_handlers(void)
{
	struct sigaction sa;

	if (handlers_installed)
		return;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = kick_handler;
	sigaction(kick_signal(), &sa, NULL);
	sa.sa_handler = alarm_handler;
	sigaction(SIGALRM, &sa, NULL);
	handlers_installed = 1;
}

void tst_watchdog_start(double seconds)
{
	install_handlers();
	expired = 0;
	stage = 0;
	timeout_seconds = seconds;
	arm(seconds);
}

void tst_watchdog_stop(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

int tst_watchdog_expired(void)
{
	return expired;
}

double tst_watchdog_seconds(void)
{
	return timeout_seconds;
}

void tst_vcpu_thread_enter(struct kvm_run *run)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	unsigned int i;

	install_handlers();
	this_run = run;
	for (i = 0; i < TST_MAX_VCPU_THREADS; i++) {
		pid_t expect = 0;

		if (__atomic_compare_exchange_n(&threads[i], &expect, tid,
						0, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			break;
	}
	if (i == TST_MAX_VCPU_THREADS)
		tst_brk(TBROK, "more than %d vCPU threads",
			TST_MAX_VCPU_THREADS);
	/* A timeout that fired before registration still reaches us. */
	if (expired)
		run->immediate_exit = 1;
}

void tst_vcpu_thread_leave(void)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	unsigned int i;

	for (i = 0; i < TST_MAX_VCPU_THREADS; i++) {
		if (__atomic_load_n(&threads[i], __ATOMIC_SEQ_CST) == tid)
			__atomic_store_n(&threads[i], 0, __ATOMIC_SEQ_CST);
	}
	this_run = NULL;
}
