/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * console.c - guest console output on the virtual 16550 UART (COM1) and
 * the snprintf() family. A whole buffer leaves in one "rep outsb" exit.
 */
#include "kvm_guest.h"

#define CONSOLE_BUF 512

/* Whole writes of different CPUs do not interleave on the console. */
static volatile uint32_t console_lock;

static void lock_console(void)
{
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		__asm__ __volatile__("pause" ::: "memory");
}

static void unlock_console(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

static void write_bytes(const char *buf, size_t len)
{
	__asm__ __volatile__("rep outsb"
			     : "+S"(buf), "+c"(len)
			     : "d"((uint16_t)KVM_COM1_PORT)
			     : "memory");
}

void kvm_console_write(const char *buf, size_t len)
{
	lock_console();
	write_bytes(buf, len);
	unlock_console();
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
	lock_console();
	write_bytes(s, strlen(s));
	write_bytes("\n", 1);
	unlock_console();
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
