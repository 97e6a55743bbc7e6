// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A hostile guest hands the host bad strings in its result page: a
 * message with no terminating NUL, a file-name pointer into unbacked
 * memory, a non-canonical or unmapped one, one that runs off the end of
 * RAM, a file name with no NUL within the host's limit. Each must end in
 * its precise TBROK with no over-read (the ASan build checks the host).
 * Control characters and escape sequences in a message are shown escaped.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

static char long_name[KVM_MAX_FILENAME + 44];

static void report(uint64_t file_addr, int fill_message)
{
	struct tst_kvm_result *page =
		(struct tst_kvm_result *)kvm_boot_info()->result_page;

	page->result = TPASS;
	page->lineno = 7;
	page->file_addr = file_addr;
	if (fill_message)
		memset(page->message, 'M', KVM_RESULT_MSG_SIZE);
	else
		strcpy(page->message, "bad string case");
	kvm_outl(KVM_UCALL_PORT, (uint32_t)kvm_boot_info()->result_page);
}

void main(void)
{
	uint64_t ram_end = kvm_boot_info()->ram_size;

	switch (kvm_boot_info()->host_arg) {
	case 0:
		report((uintptr_t)KVM_FILE, 1);
		break;
	case 1:
		report(0x7ff00000, 0);
		break;
	case 2:
		report(0x8000000000000000ULL, 0);
		break;
	case 3:
		report(0, 0);
		break;
	case 4:
		/* "ab" right before the end of RAM, no NUL after it */
		memcpy((void *)(uintptr_t)(ram_end - 2), "ab", 2);
		report(ram_end - 2, 0);
		break;
	case 5:
		memset(long_name, 'n', sizeof(long_name) - 1);
		report((uintptr_t)long_name, 0);
		break;
	case 6:
		tst_res(TPASS, "bell\a esc\x1b[31m nl\n del\x7f hi\xff end");
		return;
	}
	tst_res(TFAIL, "guest went on after a bad string");
}

#else /* COMPILE_PAYLOAD */

static const struct {
	int ttype;
	const char *expect;
} cases[] = {
	{ TBROK, "guest result message is not NUL-terminated within the result page (4080 bytes)" },
	{ TBROK, "guest file name pointer 0x7ff00000: byte at 0x7ff00000 is outside guest memory" },
	{ TBROK, "guest file name pointer 0x8000000000000000: byte at 0x8000000000000000 is outside guest memory" },
	{ TBROK, "guest file name pointer 0x0: byte at 0x0 is outside guest memory" },
	{ TBROK, "guest file name pointer 0xfffffe: byte at 0x1000000 is outside guest memory" },
	{ TBROK, "is not NUL-terminated within 256 bytes" },
	{ TPASS, "TPASS: bell\\x07 esc\\x1b[31m nl\\x0a del\\x7f hi\\xff end" },
};

static void run(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		tst_kvm_expect_guest_verdict(i, cases[i].ttype, cases[i].expect);
}

static struct tst_test test = {
	.description = "bad strings from a guest end in a precise TBROK; "
		"control characters are escaped",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
