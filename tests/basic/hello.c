// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The smallest kvmcheck test: the guest reports one TPASS.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_res(TPASS, "Hello, world!");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.description = "guest boots and reports one TPASS",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
