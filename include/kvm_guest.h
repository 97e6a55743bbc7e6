/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_guest.h - the guest runtime's architecture-independent API: result
 * reporting, host synchronisation, the console, the heap and the libc
 * subset. Only for the payload pass (COMPILE_PAYLOAD); freestanding.
 */
#ifndef KVM_GUEST_H
#define KVM_GUEST_H

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include "kvm_common.h"

#ifndef COMPILE_PAYLOAD
# error "kvm_guest.h is the payload pass's header; include kvm_test.h"
#endif

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define LTP_ALIGN(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

#ifdef __FILE_NAME__
# define KVM_FILE __FILE_NAME__
#else
# define KVM_FILE __FILE__
#endif

#define __kvm_printf(fmt, args) __attribute__((format(printf, fmt, args)))
#define __kvm_noreturn __attribute__((noreturn))

/* The test's entry point; returning from it ends the test like kvm_exit(). */
void main(void);

/*
 * Report a result (TPASS, TFAIL, TBROK, TWARN, TINFO, TCONF) with full
 * printf formatting. The message is formatted in the guest, bounded to the
 * result page (KVM_RESULT_MSG_SIZE - 1 characters; a longer message ends in
 * "..."), and printed by the host as "file:line: TYPE: message".
 */
void tst_res_(const char *file, int lineno, int result, const char *fmt, ...)
	__kvm_printf(4, 5);
void tst_vres_(const char *file, int lineno, int result, const char *fmt,
	       va_list ap);
#define tst_res(result, fmt, ...) \
	tst_res_(KVM_FILE, __LINE__, (result), (fmt), ##__VA_ARGS__)

/* Report a result and end the test (the host process goes on). */
void tst_brk_(const char *file, int lineno, int result, const char *fmt, ...)
	__kvm_printf(4, 5) __kvm_noreturn;
#define tst_brk(result, fmt, ...) \
	tst_brk_(KVM_FILE, __LINE__, (result), (fmt), ##__VA_ARGS__)

/*
 * Cases: a test split into named cases that the host runs one per VM
 * (tst_kvm_run_cases()), so that a case this KVM cannot run does not hide
 * the others. After tst_case_begin(name) every result line starts with
 * "<name>: " and is counted; tst_case_end() reports
 * "<name>: passed all N checks" (TPASS) if none was TFAIL or TBROK.
 * tst_case_run() does both around cases[host_arg].fn.
 */
struct tst_case {
	const char *name;
	void (*fn)(void);
};

void tst_case_begin(const char *name);
void tst_case_end_(const char *file, int lineno);
#define tst_case_end() tst_case_end_(KVM_FILE, __LINE__)
void tst_case_run_(const char *file, int lineno,
	const struct tst_case *cases, unsigned int count);
#define tst_case_run(cases, count) \
	tst_case_run_(KVM_FILE, __LINE__, (cases), (count))

/* End the test at once. Ends only this guest, not the host process. */
void kvm_exit(void) __kvm_noreturn;

/*
 * A payload that can only report TCONF, e.g. for an unsupported arch:
 *	#else
 *	TST_TEST_TCONF("needs x86_64");
 */
#define TST_TEST_TCONF(message) \
	void main(void) { tst_brk(TCONF, "%s", message); }

/*
 * Host synchronisation. tst_signal_host() tells the host (which may be
 * waiting in tst_kvm_wait_guest()) and continues. tst_wait_host() tells the
 * host and stops until the host calls tst_kvm_clear_guest_signal(); the
 * host may read and change guest state meanwhile. @data is passed to the
 * host in tst_kvm_result.file_addr.
 */
void tst_signal_host(void *data);
void tst_wait_host(void *data);

/*
 * Synchronous call to the host controller's handler (tst_kvm_set_host_call)
 * with a call number and argument; returns the handler's 32-bit answer. The
 * vCPU is stopped for the duration: one exit, no polling.
 */
uint32_t tst_host_call(uint32_t nr, uint64_t arg);

/*
 * The boot information the host wrote for this CPU (RAM size, heap, vCPU
 * id, number of vCPUs, host_arg).
 */
const struct kvm_boot_info *kvm_boot_info(void);
/* This CPU's number: 0 runs main(); see kvm_smp.h for the rest. */
unsigned int smp_id(void);

/* Console output on the virtual 16550 (COM1); the host shows it. */
int printf(const char *fmt, ...) __kvm_printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
void kvm_console_write(const char *buf, size_t len);

/*
 * Formatting: %d %i %u %x %X %o %p %s %c %%, length modifiers hh h l ll z
 * t j, field width and precision (also as *), flags 0 - + space #. Returns
 * the length the full output would have, like C99.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __kvm_printf(3, 4);
int kvm_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/*
 * Heap: a bump allocator over the RAM after the payload image. Memory
 * comes zeroed from a fresh VM and cannot be freed. Exhaustion, a zero or
 * non-power-of-two alignment end the test with TBROK naming the request
 * and the caller's file:line. tst_heap_alloc() aligns to 16 bytes.
 */
void *tst_heap_alloc_aligned_(const char *file, int lineno, size_t size,
	size_t align);
#define tst_heap_alloc_aligned(size, align) \
	tst_heap_alloc_aligned_(KVM_FILE, __LINE__, (size), (align))
#define tst_heap_alloc(size) \
	tst_heap_alloc_aligned_(KVM_FILE, __LINE__, (size), 16)
size_t tst_heap_free_bytes(void);

/* The C library subset, as in ISO C. */
void *memset(void *dest, int val, size_t size);
void *memzero(void *dest, size_t size);
void *memcpy(void *dest, const void *src, size_t size);
void *memmove(void *dest, const void *src, size_t size);
int memcmp(const void *a, const void *b, size_t size);
char *strcpy(char *dest, const char *src);
char *strncpy(char *dest, const char *src, size_t size);
char *strcat(char *dest, const char *src);
size_t strlen(const char *str);
size_t strnlen(const char *str, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t size);
char *strchr(const char *str, int c);

#endif /* KVM_GUEST_H */
