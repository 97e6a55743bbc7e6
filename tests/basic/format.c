// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest's printf-style formatting (tst_res, snprintf) against the C11
 * rules (ISO/IEC 9899:2011 7.21.6.1): every conversion, length modifier,
 * flag, width and precision the guest runtime documents, plus truncation
 * and the return value. The formatter runs in guest ring 0, i.e. through
 * this KVM's instruction emulator where there is one. A last case checks
 * that a formatted tst_res() message arrives at the host unchanged.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

static void check(const char *expected, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void check(const char *expected, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);

	if (strcmp(buf, expected) || len != (int)strlen(expected))
		tst_res(TFAIL, "format \"%s\": expected \"%s\" (%zu), got "
			"\"%s\" (%d)", fmt, expected, strlen(expected), buf,
			len);
	else
		tst_res(TPASS, "format \"%s\" -> \"%s\"", fmt, buf);
}

static void conversions(void)
{
	/* NULL %s is undefined in C; the runtime documents "(null)". */
	const char *volatile null_str = NULL;

	check("42 -42 42", "%d %i %u", 42, -42, 42u);
	check("ff FF 377", "%x %X %o", 255u, 255u, 255u);
	check("x % y", "x %% y");
	check("c=A", "c=%c", 'A');
	check("s=abc", "s=%s", "abc");
	check("(null)", "%s", null_str);
	check("0x1234", "%p", (void *)0x1234);
	check("(nil)", "%p", (void *)0);
	check("-2147483648", "%d", (int)-2147483647 - 1);
	check("4294967295", "%u", 4294967295u);
}

static void length_modifiers(void)
{
	check("-1 255", "%hhd %hhu", (signed char)-1, (unsigned char)255);
	check("-1 65535", "%hd %hu", (short)-1, (unsigned short)65535);
	check("-9223372036854775808", "%ld", (long)(-9223372036854775807L - 1));
	check("18446744073709551615", "%lu", 18446744073709551615UL);
	check("ffffffffffffffff", "%llx", 18446744073709551615ULL);
	check("12345678901", "%lld", 12345678901LL);
	check("4096 -5", "%zu %zd", (size_t)4096, -5L);
	check("7", "%td", (ptrdiff_t)7);
	/* hh/h convert the promoted argument back (7.21.6.1p7) */
	check("44", "%hhu", 300);
}

static void flags_width_precision(void)
{
	check("[   42]", "[%5d]", 42);
	check("[42   ]", "[%-5d]", 42);
	check("[00042]", "[%05d]", 42);
	check("[-0042]", "[%05d]", -42);
	check("[+42]", "[%+d]", 42);
	check("[ 42]", "[% d]", 42);
	check("[  042]", "[%5.3d]", 42);
	/* Ignored flags (7.21.6.1p6): GCC warns, C defines the result. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	check("[+42]", "[%+ d]", 42);
	check("[42   ]", "[%-05d]", 42);
	check("[  042]", "[%05.3d]", 42);
#pragma GCC diagnostic pop
	check("[]", "[%.0d]", 0);
	check("[0x1f]", "[%#x]", 31u);
	check("[0X1F]", "[%#X]", 31u);
	check("[0]", "[%#x]", 0u);
	check("[017]", "[%#o]", 15u);
	check("[0]", "[%#.0o]", 0u);
	check("[0x0001f]", "[%#07x]", 31u);
	check("[  abc]", "[%5s]", "abc");
	check("[abc  ]", "[%-5s]", "abc");
	check("[ab]", "[%.2s]", "abc");
	check("[   ab]", "[%5.2s]", "abc");
	check("[    A]", "[%5c]", 'A');
	check("[A    ]", "[%-5c]", 'A');
	check("[   42]", "[%*d]", 5, 42);
	check("[42   ]", "[%*d]", -5, 42);
	check("[ab]", "[%.*s]", 2, "abc");
	check("[abc]", "[%.*s]", -1, "abc");
}

static void truncation(void)
{
	char buf[8];
	int len = snprintf(buf, sizeof(buf), "%s", "0123456789");

	if (len != 10 || strcmp(buf, "0123456"))
		tst_res(TFAIL, "snprintf truncation: expected \"0123456\" and "
			"10, got \"%s\" and %d", buf, len);
	else
		tst_res(TPASS, "snprintf truncates to the buffer and returns "
			"the full length");

	len = snprintf(NULL, 0, "%d", 12345);
	if (len != 5)
		tst_res(TFAIL, "snprintf(NULL, 0): expected 5, got %d", len);
	else
		tst_res(TPASS, "snprintf(NULL, 0) returns the length");
}

void main(void)
{
	if (kvm_boot_info()->host_arg) {
		/* Seen by the host: the message after formatting. */
		tst_res(TPASS, "%d|%5s|%-3x|%%|%c|%lu", -12, "ab", 10u, 'z',
			99UL);
		return;
	}
	conversions();
	length_modifiers();
	flags_width_precision();
	truncation();
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	tst_kvm_run();
	tst_kvm_expect_guest_verdict(1, TPASS, "TPASS: -12|   ab|a  |%|z|99");
}

static struct tst_test test = {
	.description = "guest printf formatting follows C11 7.21.6.1 and "
		"reaches the host unchanged",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
