// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A guest that floods the host is stopped, not waited out: more than
 * TST_KVM_MAX_RESULTS results in one run, or more than TST_KVM_CONSOLE_FLOOD
 * bytes written to the console, ends the test with a TBROK naming the
 * flood. Console output beyond the 64 KiB shown per run is counted, not
 * printed.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

static char chunk[4096];

static void flood_results(void)
{
	struct tst_kvm_result *page =
		(struct tst_kvm_result *)kvm_boot_info()->result_page;

	/* Format once, then report the same TINFO over and over. */
	tst_res(TINFO, "flooding");
	for (;;)
		kvm_outl(KVM_UCALL_PORT, (uint32_t)(uintptr_t)page);
}

static void flood_console(unsigned long bytes)
{
	unsigned long i;

	memset(chunk, 'x', sizeof(chunk));
	for (i = 0; i < sizeof(chunk); i += 64)
		chunk[i] = '\n';
	for (i = 0; i < bytes; i += sizeof(chunk))
		kvm_console_write(chunk, sizeof(chunk));
}

void main(void)
{
	switch (kvm_boot_info()->host_arg) {
	case 0:
		flood_results();
		break;
	case 1:
		flood_console(512UL << 10);	/* twice the flood limit */
		break;
	case 2:
		flood_console(128UL << 10);
		tst_res(TPASS, "128 KiB written to the console");
		return;
	}
	tst_res(TFAIL, "guest went on flooding");
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	/* ~1 s of console exits each, more on a loaded machine. */
	tst_kvm_expect_timeout(20);
	tst_kvm_expect_guest_verdict(0, TBROK, "TBROK: guest flooded the "
		"result channel: more than 10000 results in one run");
	tst_kvm_expect_guest_verdict(1, TBROK, "TBROK: guest flooded the "
		"console: more than 262144 bytes written");
	tst_kvm_expect_guest_verdict(2, TPASS, "TINFO: guest console: 65536 "
		"bytes beyond the 65536-byte limit not shown");
}

static struct tst_test test = {
	.description = "a guest flooding results or the console is stopped "
		"with a precise TBROK",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
