// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest <-> host synchronisation (kvm_guest.h, kvm_host.h, host/ucall.c)
 * with the vCPU on its own pthread and the main thread in
 * tst_kvm_wait_guest():
 *
 * - tst_wait_host(&var): tst_kvm_wait_guest() returns 0 with guest_signal
 *   KVM_TSYNC_WAIT and the pointer in the result page's file_addr; the
 *   guest stays stopped while the host changes var, and sees the new value
 *   after tst_kvm_clear_guest_signal(). Three rounds.
 * - tst_signal_host(&var): returns 0 with KVM_TSYNC; the guest goes on
 *   without waiting for the host.
 * - A guest that does not signal: tst_kvm_wait_guest() returns ETIMEDOUT
 *   after the timeout (scaled by KVMCHECK_TIMEOUT_MUL), not before.
 * - A guest that ended: tst_kvm_wait_guest() returns ECHILD.
 *
 * While it must not signal, the guest spins on a flag the host sets
 * through a host pointer into guest RAM (not tst_kvm_write_guest(), which
 * needs a vCPU ioctl and so blocks until the spinning vCPU exits).
 */
#include "kvm_test.h"

#define ROUNDS		3
#define START_VALUE	0x11110000U
#define HOST_VALUE(r)	(0xfeed0000U + (r))

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

volatile uint32_t shared[ROUNDS];
volatile uint32_t go_timeout, go_signal, signal_data;

/* Until the host sets @flag (the test timeout ends a lost guest). */
static void spin_until(volatile uint32_t *flag)
{
	while (!*flag)
		;
}

static void wait_rounds(void)
{
	unsigned int r;

	for (r = 0; r < ROUNDS; r++) {
		shared[r] = START_VALUE + r;
		tst_wait_host((void *)&shared[r]);
		tst_res(shared[r] == HOST_VALUE(r) ? TPASS : TFAIL,
			"round %u: after tst_wait_host() the variable is "
			"0x%x, expected the host's 0x%x", r, shared[r],
			HOST_VALUE(r));
	}
}

void main(void)
{
	wait_rounds();

	/* The host's wait times out meanwhile. */
	spin_until(&go_timeout);

	signal_data = 0x5167;
	tst_signal_host((void *)&signal_data);
	/* Not stopped: here before the host clears the signal. */
	spin_until(&go_signal);
	tst_res(TPASS, "guest went on after tst_signal_host() and saw the "
		"host's flag");
}

#else /* COMPILE_PAYLOAD */

#include <errno.h>
#include <pthread.h>
#include <time.h>

#define WAIT_MS		2000
#define TIMEOUT_MS	200

static struct tst_kvm_instance inst;

static void *vcpu_thread(void *arg)
{
	(void)arg;
	tst_kvm_run_instance(&inst);
	return NULL;
}

static const char *wait_name(int ret)
{
	switch (ret) {
	case 0: return "0";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECHILD: return "ECHILD";
	default: return "other";
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int expect_wait(const char *what, int want, int timeout_ms)
{
	int ret = tst_kvm_wait_guest(&inst, timeout_ms);

	tst_res(ret == want ? TPASS : TFAIL, "%s: tst_kvm_wait_guest() "
		"expected %s, got %s (%d)", what, wait_name(want),
		wait_name(ret), ret);
	return ret == want;
}

/*
 * Host pointers to the guest's flags, taken before the vCPU thread starts:
 * tst_kvm_write_guest() translates through the vCPU's CR3 with a vCPU
 * ioctl, which waits for KVM_RUN to return, and a spinning guest never
 * exits.
 */
static volatile uint32_t *go_timeout, *go_signal;

static volatile uint32_t *guest_flag(const char *name)
{
	void *p = tst_kvm_get_memptr(&inst, tst_kvm_symbol(&inst, name));

	if (!p)
		tst_brk(TBROK, "guest variable %s is not in guest RAM", name);
	return p;
}

static void set_flag(volatile uint32_t *flag)
{
	__atomic_store_n(flag, 1, __ATOMIC_SEQ_CST);
}

static void check_signal(const char *what, int kind, uint64_t data)
{
	uint64_t got = inst.result->file_addr;

	tst_res(inst.guest_signal == kind ? TPASS : TFAIL, "%s: guest_signal "
		"expected 0x%x, got 0x%x", what, kind, inst.guest_signal);
	tst_res(got == data ? TPASS : TFAIL, "%s: data pointer expected "
		"0x%llx, got 0x%llx", what, (unsigned long long)data,
		(unsigned long long)got);
}

/* tst_wait_host(): the guest is stopped until the host clears. */
static int wait_round(unsigned int r)
{
	uint64_t addr = tst_kvm_symbol(&inst, "shared") + 4 * r;
	uint32_t v = 0;
	char what[32];

	snprintf(what, sizeof(what), "round %u", r);
	if (!expect_wait(what, 0, WAIT_MS))
		return 0;
	check_signal(what, KVM_TSYNC_WAIT, addr);
	if (tst_kvm_read_guest(&inst, addr, &v, sizeof(v)))
		tst_brk(TBROK, "reading guest address 0x%llx",
			(unsigned long long)addr);
	tst_res(v == START_VALUE + r ? TPASS : TFAIL, "%s: guest variable "
		"before the host's change: expected 0x%x, got 0x%x", what,
		START_VALUE + r, v);
	v = HOST_VALUE(r);
	if (tst_kvm_write_guest(&inst, addr, &v, sizeof(v)))
		tst_brk(TBROK, "writing guest address 0x%llx",
			(unsigned long long)addr);
	tst_kvm_clear_guest_signal(&inst);
	return 1;
}

static void check_timeout(void)
{
	double t0 = now_ms(), ms, want = TIMEOUT_MS * tst_timeout_mul();

	if (!expect_wait("guest spinning, not signalling", ETIMEDOUT,
			 TIMEOUT_MS))
		return;
	ms = now_ms() - t0;
	tst_res(ms >= want - 1 && ms < want + 1000 ? TPASS : TFAIL,
		"ETIMEDOUT after %.0f ms, expected %.0f ms (less than 1 s "
		"late)", ms, want);
}

static void run_sync(void)
{
	unsigned int r;

	for (r = 0; r < ROUNDS; r++) {
		if (!wait_round(r))
			return;
	}
	check_timeout();
	set_flag(go_timeout);

	if (!expect_wait("tst_signal_host()", 0, WAIT_MS))
		return;
	check_signal("tst_signal_host()", KVM_TSYNC,
		     tst_kvm_symbol(&inst, "signal_data"));
	tst_kvm_clear_guest_signal(&inst);
	set_flag(go_signal);

	expect_wait("guest ended", ECHILD, WAIT_MS);
}

/* Whatever failed: let the guest run to its end. */
static void release_guest(void)
{
	set_flag(go_timeout);
	set_flag(go_signal);
	tst_kvm_clear_guest_signal(&inst);
}

static void run(void)
{
	pthread_t thread;
	int err;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	go_timeout = guest_flag("go_timeout");
	go_signal = guest_flag("go_signal");
	err = pthread_create(&thread, NULL, vcpu_thread, NULL);
	if (err)
		tst_brk(TBROK, "pthread_create: %s", strerror(err));
	run_sync();
	release_guest();
	pthread_join(thread, NULL);
	tst_res(inst.finished ? TPASS : TFAIL, "guest finished (inst.finished "
		"%d)", inst.finished);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "tst_wait_host/tst_signal_host with the vCPU on a "
		       "thread; tst_kvm_wait_guest 0, ETIMEDOUT, ECHILD",
	.test_all = run,
	.timeout = 20,
};

#endif /* COMPILE_PAYLOAD */
