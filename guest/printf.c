/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * printf.c - the guest's bounded formatter, kvm_vsnprintf(). Pure C with no
 * dependencies, so the host unit tests compile this same file and compare
 * it with the C library's vsnprintf(). Kept branch-light: every guest
 * ring-0 instruction may be emulated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

int kvm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

struct out {
	char *buf;
	size_t size;
	size_t len;	/* length of the full output, written or not */
};

#define F_LEFT	0x01
#define F_PLUS	0x02
#define F_SPACE	0x04
#define F_ALT	0x08
#define F_ZERO	0x10

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	unsigned int flags;
	int width;
	int prec;		/* -1: none */
	char conv;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->prec < 0 || len < sp->prec))
		len++;
	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', sp->width - len);
}

static int utoa(char *tmp, uint64_t v, unsigned int base, int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static void put_num(struct out *o, uint64_t v, int neg, const struct spec *sp)
{
	char tmp[24], prefix[2];
	unsigned int base = 10;
	int ndig, nzero, pad, plen = 0, is_signed;

	if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	else if (sp->conv == 'o')
		base = 8;
	is_signed = sp->conv == 'd' || sp->conv == 'i';

	ndig = (v == 0 && sp->prec == 0) ? 0 : utoa(tmp, v, base, sp->conv == 'X');

	if (neg) {
		prefix[plen++] = '-';
	} else if (is_signed && (sp->flags & F_PLUS)) {
		prefix[plen++] = '+';
	} else if (is_signed && (sp->flags & F_SPACE)) {
		prefix[plen++] = ' ';
	} else if (sp->conv == 'p' || ((sp->flags & F_ALT) && v && base == 16)) {
		prefix[plen++] = '0';
		prefix[plen++] = sp->conv == 'X' ? 'X' : 'x';
	}

	nzero = sp->prec > ndig ? sp->prec - ndig : 0;
	/* '#' with 'o' forces a leading zero digit. */
	if (base == 8 && (sp->flags & F_ALT) && nzero == 0 &&
	    (ndig == 0 || tmp[ndig - 1] != '0'))
		nzero = 1;

	pad = sp->width - plen - nzero - ndig;
	if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0) {
		nzero += pad > 0 ? pad : 0;
		pad = 0;
	}

	if (!(sp->flags & F_LEFT))
		put_repeat(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	put_repeat(o, '0', nzero);
	while (ndig > 0)
		put(o, tmp[--ndig]);
	if (sp->flags & F_LEFT)
		put_repeat(o, ' ', pad);
}

static const char *parse_int(const char *p, int *val)
{
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		if (v < 100000000)
			v = v * 10 + (*p - '0');
		p++;
	}
	*val = v;
	return p;
}

/* Length modifiers, as the byte width of the argument. */
enum { LEN_INT = 0, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

static uint64_t fetch_unsigned(va_list *ap, int len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(va_list *ap, int len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static const char *parse_spec(const char *p, struct spec *sp, int *len,
			      va_list *ap)
{
	sp->flags = 0;
	for (;; p++) {
		if (*p == '-')
			sp->flags |= F_LEFT;
		else if (*p == '+')
			sp->flags |= F_PLUS;
		else if (*p == ' ')
			sp->flags |= F_SPACE;
		else if (*p == '#')
			sp->flags |= F_ALT;
		else if (*p == '0')
			sp->flags |= F_ZERO;
		else
			break;
	}

	if (*p == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_LEFT;
			sp->width = sp->width == INT32_MIN ? 0 : -sp->width;
		}
		p++;
	} else {
		p = parse_int(p, &sp->width);
	}

	sp->prec = -1;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			p++;
		} else {
			p = parse_int(p, &sp->prec);
		}
	}

	*len = LEN_INT;
	if (*p == 'h') {
		*len = p[1] == 'h' ? LEN_CHAR : LEN_SHORT;
		p += p[1] == 'h' ? 2 : 1;
	} else if (*p == 'l') {
		*len = p[1] == 'l' ? LEN_LLONG : LEN_LONG;
		p += p[1] == 'l' ? 2 : 1;
	} else if (*p == 'z' || *p == 't' || *p == 'j') {
		*len = *p == 'j' ? LEN_LLONG : LEN_SIZE;
		p++;
	}

	sp->conv = *p;
	return p;
}

static void put_conv(struct out *o, struct spec *sp, int len, va_list *ap)
{
	char c;
	int64_t s;

	switch (sp->conv) {
	case 'd':
	case 'i':
		s = fetch_signed(ap, len);
		put_num(o, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, s < 0, sp);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		put_num(o, fetch_unsigned(ap, len), 0, sp);
		break;
	case 'p': {
		uintptr_t v = (uintptr_t)va_arg(*ap, void *);

		if (!v) {
			sp->prec = -1;
			put_str(o, "(nil)", sp);
		} else {
			sp->flags &= ~(F_PLUS | F_SPACE);
			put_num(o, v, 0, sp);
		}
		break;
	}
	case 's':
		put_str(o, va_arg(*ap, const char *), sp);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		sp->prec = -1;
		if (!(sp->flags & F_LEFT))
			put_repeat(o, ' ', sp->width - 1);
		put(o, c);
		if (sp->flags & F_LEFT)
			put_repeat(o, ' ', sp->width - 1);
		break;
	default:
		/* Unknown conversion: print it literally so the bug shows. */
		put(o, '%');
		if (sp->conv)
			put(o, sp->conv);
		break;
	}
}

int kvm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list args;
	int len;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		if (fmt[1] == '%') {
			put(&o, '%');
			fmt += 2;
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &len, &args);
		put_conv(&o, &sp, len, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}
