// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Long and overlong tst_res() messages: a message that exactly fills the
 * result page's message buffer arrives whole; a longer one arrives cut to
 * the buffer and ends in "..." (the documented truncation), and the guest
 * is not harmed by either. Messages are a repeating alphabet so any lost
 * or shifted byte shows.
 */
#include "kvm_test.h"

/* Shared: the guest builds, the host expects, the same text. */
#define MSG_MAX ((int)KVM_RESULT_MSG_SIZE - 1)

static void fill_pattern(char *buf, int len)
{
	int i;

	for (i = 0; i < len; i++)
		buf[i] = 'a' + i % 26;
	buf[len] = '\0';
}

#ifdef COMPILE_PAYLOAD

static char text[2 * KVM_RESULT_MSG_SIZE];

void main(void)
{
	int len = (int)kvm_boot_info()->host_arg;

	fill_pattern(text, len);
	tst_res(TPASS, "%s", text);
	tst_res(TINFO, "guest alive after a %d-character message", len);
}

#else /* COMPILE_PAYLOAD */

static void expect_message(int len, int shown, const char *suffix)
{
	char *line = malloc(shown + 16);

	if (!line)
		tst_brk(TBROK, "malloc() failed");
	memcpy(line, "TPASS: ", 7);
	fill_pattern(line + 7, shown);
	strcat(line, suffix);
	tst_kvm_expect_guest_verdict(len, TPASS, line);
	free(line);
}

static void run(void)
{
	/* Fits exactly: all MSG_MAX characters, nothing added. */
	expect_message(MSG_MAX, MSG_MAX, "");
	/* One too many and far too many: cut to MSG_MAX - 3, then "...". */
	expect_message(MSG_MAX + 1, MSG_MAX - 3, "...");
	expect_message(2 * MSG_MAX, MSG_MAX - 3, "...");
	/* The guest goes on after an overlong message. */
	tst_kvm_expect_guest_verdict(2 * MSG_MAX, TINFO,
				     "guest alive after a 8158-character");
}

static struct tst_test test = {
	.description = "result messages up to the page fit whole; longer "
		"ones are cut and end in \"...\"",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
