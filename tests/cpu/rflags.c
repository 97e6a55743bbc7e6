// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/rflags - what POPFQ at CPL 0 in 64-bit mode does with each RFLAGS
 * bit, read back with PUSHFQ: the modifiable flags take the popped value,
 * bit 1 always reads 1, reserved bits and VM/VIF/VIP are unaffected
 * (stay 0), RF is cleared; and SAHF/LAHF move exactly SF:ZF:0:AF:0:PF:1:CF.
 * TF is left out (setting it would single-step the next instruction).
 * References: SDM Vol. 1 3.4.3 (EFLAGS, Figure 3-8), SDM Vol. 2B
 * POPF/POPFD/POPFQ ("Operation", 64-bit mode, CPL = 0) and PUSHF, SDM
 * Vol. 2A LAHF and SAHF (64-bit mode needs CPUID.80000001H:ECX.LAHF-SAHF).
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

enum effect {
	MODIFIABLE,	/* takes the popped value */
	FIXED_ONE,	/* reads 1 whatever is popped */
	UNAFFECTED,	/* keeps its value (0 here) */
	CLEARED,	/* POPF clears it */
};

struct flag_bit {
	unsigned int bit;
	const char *name;
	enum effect effect;
};

static const struct flag_bit flag_bits[] = {
	{ 0, "CF", MODIFIABLE },
	{ 1, "reserved (fixed 1)", FIXED_ONE },
	{ 2, "PF", MODIFIABLE },
	{ 3, "reserved", UNAFFECTED },
	{ 4, "AF", MODIFIABLE },
	{ 5, "reserved", UNAFFECTED },
	{ 6, "ZF", MODIFIABLE },
	{ 7, "SF", MODIFIABLE },
	{ 9, "IF", MODIFIABLE },
	{ 10, "DF", MODIFIABLE },
	{ 11, "OF", MODIFIABLE },
	{ 12, "IOPL bit 0", MODIFIABLE },
	{ 13, "IOPL bit 1", MODIFIABLE },
	{ 14, "NT", MODIFIABLE },
	{ 15, "reserved", UNAFFECTED },
	{ 16, "RF", CLEARED },
	{ 17, "VM", UNAFFECTED },
	{ 18, "AC", MODIFIABLE },
	{ 19, "VIF", UNAFFECTED },
	{ 20, "VIP", UNAFFECTED },
	/* SDM Vol. 1 3.4.3.3: ID is modifiable where CPUID exists */
	{ 21, "ID", MODIFIABLE },
	{ 22, "reserved", UNAFFECTED },
	{ 31, "reserved", UNAFFECTED },
	{ 32, "reserved", UNAFFECTED },
	{ 47, "reserved", UNAFFECTED },
	{ 63, "reserved", UNAFFECTED },
};

/*
 * POPFQ @val and PUSHFQ the result, in one block; the original flags
 * (IF=0, DF=0) are back before any compiler-generated code runs.
 */
static uint64_t popf_pushf(uint64_t val)
{
	uint64_t out;

	__asm__ __volatile__("pushfq\n\t"
			     "pushq %1\n\t"
			     "popfq\n\t"
			     "pushfq\n\t"
			     "popq %0\n\t"
			     "popfq\n\t"
			     : "=&r"(out) : "r"(val) : "cc", "memory");
	return out;
}

static uint64_t expected_bit(const struct flag_bit *f, uint64_t popped,
	uint64_t before)
{
	uint64_t m = 1ull << f->bit;

	switch (f->effect) {
	case MODIFIABLE:
		return popped & m;
	case FIXED_ONE:
		return m;
	case UNAFFECTED:
		return before & m;
	case CLEARED:
	default:
		return 0;
	}
}

static void check_bit(const struct flag_bit *f, uint64_t popped)
{
	uint64_t before = kvm_read_rflags();
	uint64_t got = popf_pushf(popped);
	uint64_t m = 1ull << f->bit;
	uint64_t exp = expected_bit(f, popped, before);

	tst_res((got & m) == exp ? TPASS : TFAIL, "POPFQ 0x%llx: bit %u (%s) "
		"expected %u, got %u (RFLAGS 0x%llx)",
		(unsigned long long)popped, f->bit, f->name, !!exp,
		!!(got & m), (unsigned long long)got);
}

/* SDM Vol. 2A LAHF/SAHF: AH <-> SF:ZF:0:AF:0:PF:1:CF */
static void check_sahf_lahf(uint8_t ah)
{
	uint8_t want = (ah & 0xd5) | 0x02, got_ah;
	uint32_t ax = (uint32_t)ah << 8, lahf_ax;
	uint64_t fl, out;

	__asm__ __volatile__("sahf\n\t"
			     "pushfq\n\t"
			     "popq %0\n\t"
			     "lahf\n\t"
			     : "=&r"(fl), "=a"(lahf_ax) : "a"(ax) : "cc");
	got_ah = (uint8_t)(lahf_ax >> 8);
	out = fl & 0xff;
	tst_res(out == want ? TPASS : TFAIL, "SAHF AH=0x%02x: RFLAGS[7:0] "
		"expected 0x%02x, got 0x%02llx", ah, want,
		(unsigned long long)out);
	tst_res(got_ah == want ? TPASS : TFAIL, "LAHF after SAHF 0x%02x: "
		"expected AH=0x%02x, got 0x%02x", ah, want, got_ah);
}

void main(void)
{
	/* one bit at a time, all bits but TF, then all bits clear */
	const uint64_t all = ~X86_RFLAGS_TF;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flag_bits); i++)
		check_bit(&flag_bits[i], X86_RFLAGS_FIXED |
			  (1ull << flag_bits[i].bit));
	for (i = 0; i < ARRAY_SIZE(flag_bits); i++)
		check_bit(&flag_bits[i], all);
	for (i = 0; i < ARRAY_SIZE(flag_bits); i++)
		check_bit(&flag_bits[i], 0);

	if (!kvm_cpu_has(X86_FEATURE_LAHF_LM)) {
		tst_res(TCONF, "no CPUID LAHF-SAHF in 64-bit mode");
		return;
	}
	check_sahf_lahf(0xff);
	check_sahf_lahf(0x00);
	check_sahf_lahf(0x2a);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.description = "POPFQ/PUSHFQ of every RFLAGS bit class, bit 1 fixed, "
		       "SAHF/LAHF",
	.setup = tst_kvm_setup,
	.test_all = tst_kvm_run,
	.cleanup = tst_kvm_cleanup,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
