/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * string.c - the guest's C library subset (memory and string functions).
 * Bulk copies use one "rep movsb"/"rep stosb": on KVMs that emulate ring 0
 * one string instruction costs far less than a loop of moves.
 */
#include "kvm_guest.h"

void *memset(void *dest, int val, size_t size)
{
	void *d = dest;

	__asm__ __volatile__("rep stosb"
			     : "+D"(d), "+c"(size)
			     : "a"(val)
			     : "memory");
	return dest;
}

void *memzero(void *dest, size_t size)
{
	return memset(dest, 0, size);
}

void *memcpy(void *dest, const void *src, size_t size)
{
	void *d = dest;

	__asm__ __volatile__("rep movsb"
			     : "+D"(d), "+S"(src), "+c"(size)
			     :
			     : "memory");
	return dest;
}

void *memmove(void *dest, const void *src, size_t size)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	if (d <= s || d >= s + size)
		return memcpy(dest, src, size);

	/* Overlap with dest above src: copy backwards. */
	d += size - 1;
	s += size - 1;
	__asm__ __volatile__("std; rep movsb; cld"
			     : "+D"(d), "+S"(s), "+c"(size)
			     :
			     : "memory");
	return dest;
}

int memcmp(const void *a, const void *b, size_t size)
{
	const unsigned char *p = a, *q = b;

	for (; size; size--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

size_t strlen(const char *str)
{
	const char *p = str;

	while (*p)
		p++;
	return p - str;
}

size_t strnlen(const char *str, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && str[n])
		n++;
	return n;
}

char *strcpy(char *dest, const char *src)
{
	memcpy(dest, src, strlen(src) + 1);
	return dest;
}

char *strncpy(char *dest, const char *src, size_t size)
{
	size_t len = strnlen(src, size);

	memcpy(dest, src, len);
	memset(dest + len, 0, size - len);
	return dest;
}

char *strcat(char *dest, const char *src)
{
	strcpy(dest + strlen(dest), src);
	return dest;
}

int strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t size)
{
	for (; size && *a && *a == *b; size--, a++, b++)
		;
	return size ? (unsigned char)*a - (unsigned char)*b : 0;
}

char *strchr(const char *str, int c)
{
	for (;; str++) {
		if (*str == (char)c)
			return (char *)str;
		if (!*str)
			return NULL;
	}
}
