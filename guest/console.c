/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * console.c - guest console output on the virtual 16550 UART (COM1) and
 * the snprintf() family. A whole buffer leaves in one "rep outsb" exit.
 */
#include "kvm_guest.h"

#define CONSOLE_BUF 512

void kvm_console_write(const char *buf, size_t len)
{
	__asm__ __volatile__("rep outsb"
			     : "+S"(buf), "+c"(len)
			     : "d"((uint16_t)KVM_COM1_PORT)
			     : "memory");
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_BUF];
	int len = kvm_vsnprintf(buf, sizeof(buf), fmt, ap);

	kvm_console_write(buf, len < CONSOLE_BUF ? (size_t)len :
			  CONSOLE_BUF - 1);
	return len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vprintf(fmt, ap);
	va_end(ap);
	return len;
}

int puts(const char *s)
{
	kvm_console_write(s, strlen(s));
	kvm_console_write("\n", 1);
	return 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return kvm_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = kvm_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}
