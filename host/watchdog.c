/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * watchdog.c - the per-process test timeout and vCPU kicks. A dedicated
 * watchdog thread sleeps until the deadline, so it fires even when every
 * other thread is stuck in an ioctl (a process-directed signal could land
 * on a thread blocked in KVM_GET_SREGS and never be handled). On expiry it
 * sends the kick signal to every registered vCPU thread; the signal
 * handler, on that thread, sets its own kvm_run.immediate_exit, so
 * KVM_RUN returns -EINTR promptly even if the signal lands just before the
 * ioctl. The run loop then reports where the guest was. If the process is
 * still alive TST_WATCHDOG_GRACE seconds later (stuck outside KVM_RUN),
 * the watchdog prints a TBROK line and exits.
 *
 * Stopping: the first tst_abort() calls tst_vcpu_threads_stop(), which
 * kicks every other registered vCPU thread until each has halted
 * (tst_vcpu_thread_halt(): at its loop top, in a wait, or as a later
 * tst_abort() caller after its own report) or left its loop, so that the
 * test's cleanup never frees a vCPU another thread still runs.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "tst_test.h"
#include "internal.h"

#define TST_MAX_VCPU_THREADS	64
#define TST_WATCHDOG_GRACE	5
#define TST_STOP_WAIT		2	/* seconds for vCPU threads to halt */

/* Thread ids of registered vCPU threads; 0: free slot. */
static pid_t threads[TST_MAX_VCPU_THREADS];
static int halted[TST_MAX_VCPU_THREADS];
static int stop_requested;
static __thread struct kvm_run *this_run;

static pthread_mutex_t lock;
static pthread_cond_t cond;
static pid_t owner;		/* process whose watchdog thread exists */
static int armed, expired, running;
static struct timespec deadline;
static double timeout_seconds;

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

static struct timespec after(double seconds)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)seconds;
	ts.tv_nsec += (long)((seconds - (time_t)seconds) * 1e9);
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

static int passed(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec ||
	       (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

static void kick_all(void)
{
	pid_t pid = getpid();
	unsigned int i;

	for (i = 0; i < TST_MAX_VCPU_THREADS; i++) {
		pid_t tid = __atomic_load_n(&threads[i], __ATOMIC_SEQ_CST);

		if (tid)
			syscall(SYS_tgkill, pid, tid, kick_signal());
	}
}

static void give_up(void)
{
	static const char msg[] = "watchdog.c:0: TBROK: test still running "
		"after its timeout and grace period; host side stuck outside "
		"KVM_RUN\n";
	ssize_t r = write(STDOUT_FILENO, msg, sizeof(msg) - 1);

	(void)r;
	_exit(TBROK);
}

static void *watchdog_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	running = 1;
	pthread_cond_broadcast(&cond);
	for (;;) {
		if (!armed) {
			pthread_cond_wait(&cond, &lock);
			continue;
		}
		if (!passed(&deadline)) {
			pthread_cond_timedwait(&cond, &lock, &deadline);
			continue;
		}
		if (__atomic_load_n(&expired, __ATOMIC_SEQ_CST))
			give_up();
		__atomic_store_n(&expired, 1, __ATOMIC_SEQ_CST);
		kick_all();
		deadline = after(TST_WATCHDOG_GRACE);
	}
	return NULL;
}

/* Once per process (again in a forked child, which has no such thread). */
static void start_thread(void)
{
	struct sigaction sa;
	pthread_condattr_t attr;
	pthread_attr_t tattr;
	pthread_t thread;

	if (owner == getpid())
		return;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = kick_handler;
	/* KVM_RUN still returns EINTR; a write() to a pipe is not cut. */
	sa.sa_flags = SA_RESTART;
	sigaction(kick_signal(), &sa, NULL);

	pthread_mutex_init(&lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &attr);
	pthread_condattr_destroy(&attr);
	armed = expired = running = stop_requested = 0;
	memset(threads, 0, sizeof(threads));	/* the parent's, after fork */
	memset(halted, 0, sizeof(halted));

	pthread_attr_init(&tattr);
	pthread_attr_setdetachstate(&tattr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&tattr, 64 * 1024);
	if (pthread_create(&thread, &tattr, watchdog_main, NULL))
		tst_brk(TBROK, "cannot start the watchdog thread");
	pthread_attr_destroy(&tattr);
	/*
	 * Wait until it runs: a fork() while it starts (and may hold a
	 * libc or sanitizer lock) would leave the child that lock held.
	 */
	pthread_mutex_lock(&lock);
	while (!running)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	owner = getpid();
}

void tst_watchdog_start(double seconds)
{
	start_thread();
	pthread_mutex_lock(&lock);
	__atomic_store_n(&expired, 0, __ATOMIC_SEQ_CST);
	timeout_seconds = seconds;
	deadline = after(seconds);
	armed = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

void tst_watchdog_stop(void)
{
	if (owner != getpid())
		return;
	pthread_mutex_lock(&lock);
	armed = 0;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

int tst_watchdog_expired(void)
{
	return __atomic_load_n(&expired, __ATOMIC_SEQ_CST);
}

double tst_watchdog_seconds(void)
{
	return timeout_seconds;
}

void tst_vcpu_thread_enter(struct kvm_run *run)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	unsigned int i;

	start_thread();
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
	if (tst_watchdog_expired())
		run->immediate_exit = 1;
}

void tst_vcpu_thread_leave(void)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	unsigned int i;

	for (i = 0; i < TST_MAX_VCPU_THREADS; i++) {
		if (__atomic_load_n(&threads[i], __ATOMIC_SEQ_CST) == tid) {
			__atomic_store_n(&halted[i], 0, __ATOMIC_SEQ_CST);
			__atomic_store_n(&threads[i], 0, __ATOMIC_SEQ_CST);
		}
	}
	this_run = NULL;
}

void tst_vcpu_thread_kick(int tid)
{
	if (tid)
		syscall(SYS_tgkill, getpid(), tid, kick_signal());
}

int tst_vcpu_stop_requested(void)
{
	return __atomic_load_n(&stop_requested, __ATOMIC_SEQ_CST);
}

void tst_vcpu_thread_halt(void)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	unsigned int i;

	for (i = 0; i < TST_MAX_VCPU_THREADS; i++) {
		if (__atomic_load_n(&threads[i], __ATOMIC_SEQ_CST) == tid)
			__atomic_store_n(&halted[i], 1, __ATOMIC_SEQ_CST);
	}
	for (;;)
		pause();
}

/* Kick the vCPU threads that are neither halted nor this one; how many. */
static unsigned int kick_running(pid_t self)
{
	unsigned int i, pending = 0;

	for (i = 0; i < TST_MAX_VCPU_THREADS; i++) {
		pid_t tid = __atomic_load_n(&threads[i], __ATOMIC_SEQ_CST);

		if (!tid || tid == self ||
		    __atomic_load_n(&halted[i], __ATOMIC_SEQ_CST))
			continue;
		pending++;
		tst_vcpu_thread_kick(tid);
	}
	return pending;
}

void tst_vcpu_threads_stop(void)
{
	pid_t self = (pid_t)syscall(SYS_gettid);
	struct timespec deadline = after(TST_STOP_WAIT);

	if (owner != getpid())
		return;
	__atomic_store_n(&stop_requested, 1, __ATOMIC_SEQ_CST);
	while (kick_running(self) && !passed(&deadline))
		usleep(10000);
}
