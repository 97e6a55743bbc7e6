// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of the guest formatter kvm_vsnprintf() (guest/printf.c,
 * compiled for the host): fixed cases, then a differential fuzz against
 * the C library's vsnprintf() over random conversions, flags, widths,
 * precisions, length modifiers, values and buffer sizes (UNIT_SEED
 * replays a run). Runs under AddressSanitizer in "make check", so an
 * over-read or overflow anywhere in the formatter fails it.
 */
#include <limits.h>
#include <stdarg.h>
#include "unit.h"

int kvm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

static int kvm_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = kvm_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

static int libc_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

#define SAME(fmt, ...) do { \
	char a_[256], b_[256]; \
	int ra_ = kvm_fmt(a_, sizeof(a_), fmt, __VA_ARGS__); \
	int rb_ = libc_fmt(b_, sizeof(b_), fmt, __VA_ARGS__); \
	char w_[300]; \
	snprintf(w_, sizeof(w_), "format \"%s\"", fmt); \
	UNIT_EQ_STR(w_, b_, a_); \
	UNIT_EQ_INT(w_, rb_, ra_); \
} while (0)

static void fixed_cases(void)
{
	SAME("%d %i %u", 42, -42, 42u);
	SAME("%x %X %o %c %s %%", 255u, 255u, 8u, 'q', "str");
	SAME("%hhd %hd %ld %lld %zu", (signed char)-3, (short)-300,
	     LONG_MIN, LLONG_MIN, (size_t)SIZE_MAX);
	SAME("%#x %#o %#X %#.0o", 0x1fu, 8u, 0xabu, 0u);
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d] [%.3d] [%8.3d]", 1, 2, -3, 4,
	     5, 6, -7);
	SAME("[%*d] [%-*d] [%.*s]", 6, 1, 6, 2, 3, "abcdef");
	SAME("%p", (void *)0x1234);
	SAME("%s", "");
}

static void truncation(void)
{
	char buf[8];
	int ret;

	memset(buf, 'Z', sizeof(buf));
	ret = kvm_fmt(buf, 5, "%s", "abcdefgh");
	UNIT_EQ_STR("truncated to the buffer", "abcd", buf);
	UNIT_EQ_INT("return value is the full length", 8, ret);
	UNIT_EQ_INT("byte after the buffer untouched", 'Z', buf[5]);
	ret = kvm_fmt(NULL, 0, "%d", 123456);
	UNIT_EQ_INT("size 0 writes nothing, returns the length", 6, ret);
	ret = kvm_fmt(buf, 1, "%d", 7);
	UNIT_EQ_STR("size 1 gives an empty string", "", buf);
}

/* One random conversion spec and an argument of the matching type. */
struct spec {
	char fmt[32];
	int kind;		/* 0 int, 1 long, 2 long long, 3 str, 4 char */
	long long ival;
	const char *sval;
};

static const char *const strings[] = { "", "a", "hello", "0123456789ab" };

static void random_spec(struct spec *s)
{
	static const char *const flag_sets[] = { "", "-", "0", "+", " ", "#",
		"-+", "0#", "+ ", "-0" };
	static const char convs[] = "diuxXo";
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z" };
	char width[8] = "", prec[8] = "";
	int conv = rand() % 9, len = rand() % 6;
	const char *flags = flag_sets[rand() % 10];

	if (rand() % 2)
		snprintf(width, sizeof(width), "%d", rand() % 20);
	if (rand() % 3 == 0)
		snprintf(prec, sizeof(prec), ".%d", rand() % 12);

	if (conv < 6) {
		snprintf(s->fmt, sizeof(s->fmt), "[%%%s%s%s%s%c]", flags,
			 width, prec, lens[len], convs[conv]);
		s->kind = len >= 3 ? (len == 4 ? 2 : 1) : 0;
		s->ival = (long long)(((unsigned long long)rand() << 33) ^
				      ((unsigned long long)rand() << 2) ^
				      (unsigned long long)rand());
		if (rand() % 4 == 0)
			s->ival = rand() % 3 - 1;
		if (s->kind == 0)
			s->ival = (int)s->ival;
	} else if (conv < 8) {
		/* Only '-' and width are defined for %s and %c. */
		snprintf(s->fmt, sizeof(s->fmt), "[%%%s%s%s%c]",
			 rand() % 2 ? "-" : "", width, conv == 6 ? prec : "",
			 conv == 6 ? 's' : 'c');
		s->kind = conv == 6 ? 3 : 4;
		s->sval = strings[rand() % 4];
		s->ival = 'A' + rand() % 26;
	} else {
		snprintf(s->fmt, sizeof(s->fmt), "[%%%s%%]", "");
		s->kind = 0;
		s->ival = 0;
	}
}

static int format_spec(int (*fn)(char *, size_t, const char *, ...),
	char *buf, size_t size, const struct spec *s)
{
	switch (s->kind) {
	case 0:
		return fn(buf, size, s->fmt, (int)s->ival);
	case 1:
		return fn(buf, size, s->fmt, (long)s->ival);
	case 2:
		return fn(buf, size, s->fmt, s->ival);
	case 3:
		return fn(buf, size, s->fmt, s->sval);
	default:
		return fn(buf, size, s->fmt, (int)s->ival);
	}
}

static void differential(unsigned int seed, int rounds)
{
	int i, bad = 0;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	srand(seed);
	for (i = 0; i < rounds; i++) {
		struct spec s;
		char a[64], b[64];
		size_t size = rand() % 4 ? sizeof(a) : (size_t)(rand() % 8);
		int ra, rb;

		random_spec(&s);
		ra = format_spec(kvm_fmt, a, size, &s);
		rb = format_spec(libc_fmt, b, size, &s);
		if (ra != rb || (size && strcmp(a, b))) {
			if (bad++ < 10)
				printf("  mismatch: format \"%s\" value %lld "
				       "size %zu: libc \"%s\" (%d), kvm \"%s\" "
				       "(%d)\n", s.fmt, s.ival, size,
				       size ? b : "", rb, size ? a : "", ra);
		}
	}
#pragma GCC diagnostic pop
	UNIT_EQ_INT("random formats that differ from the C library", 0, bad);
}

int main(void)
{
	unsigned int seed = unit_seed();

	fixed_cases();
	truncation();
	differential(seed, 200000);
	return unit_done();
}
