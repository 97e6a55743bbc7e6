// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every result type a guest can report reaches the host as its own line
 * "file:line: TYPE: message" with the guest's file name and line number,
 * and sets the LTP exit status bits; tst_brk() ends the guest at once;
 * returning from main() ends it in order. Each case runs in a child so
 * that TFAIL, TBROK and TWARN can be checked without failing this test.
 */
#include "kvm_test.h"

/* Shared by both passes: what the guest reports and the host expects. */
enum how { RES, BRK, RETURN };

static const struct result_case {
	enum how how;
	int ttype;
	const char *name;
	int line;
} cases[] = {
	{ RES, TPASS, "TPASS", 1001 },
	{ RES, TFAIL, "TFAIL", 1002 },
	{ RES, TBROK, "TBROK", 1003 },
	{ RES, TWARN, "TWARN", 1004 },
	{ RES, TINFO, "TINFO", 1005 },
	{ RES, TCONF, "TCONF", 1006 },
	{ BRK, TBROK, "TBROK", 2001 },
	{ BRK, TCONF, "TCONF", 2002 },
	{ RETURN, TPASS, "TPASS", 3001 },
};

#ifdef COMPILE_PAYLOAD

void main(void)
{
	const struct result_case *c = &cases[kvm_boot_info()->host_arg];

	switch (c->how) {
	case RES:
		tst_res_(KVM_FILE, c->line, c->ttype, "result type %s", c->name);
		break;
	case BRK:
		tst_brk_(KVM_FILE, c->line, c->ttype, "tst_brk %s", c->name);
		tst_res(TFAIL, "guest went on after tst_brk(%s)", c->name);
		return;
	case RETURN:
		tst_res_(KVM_FILE, c->line, c->ttype, "returning from main");
		return;
	}
	/* Only a result that does not end the guest may get here. */
	tst_res(TINFO, "after result type %s", c->name);
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	char line[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct result_case *c = &cases[i];

		snprintf(line, sizeof(line), "results.c:%d: %s: %s%s", c->line,
			 c->name, c->how == RETURN ? "returning from main" :
			 c->how == BRK ? "tst_brk " : "result type ",
			 c->how == RETURN ? "" : c->name);
		tst_kvm_expect_guest_verdict(i, c->ttype, line);
	}
}

static struct tst_test test = {
	.description = "each guest result type is printed with its file:line "
		"and sets the exit status; tst_brk ends the guest",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
