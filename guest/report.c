/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.c - the guest side of the host channel: tst_res()/tst_brk(),
 * kvm_exit(), host synchronisation and host calls. Every request fills
 * this vCPU's result page and leaves with one port-I/O exit (never VMCALL,
 * which can livelock, nor HLT, which an in-kernel irqchip swallows).
 */
#include "kvm_guest.h"

/* This CPU's (each vCPU has its own boot info and result page). */
const struct kvm_boot_info *kvm_boot_info(void)
{
	return (const struct kvm_boot_info *)(uintptr_t)
		KVM_CPU_BOOT_INFO(smp_id());
}

static struct tst_kvm_result *result_page(void)
{
	return (struct tst_kvm_result *)kvm_boot_info()->result_page;
}

static void ucall(struct tst_kvm_result *res)
{
	__asm__ __volatile__("outl %0, %w1"
			     :
			     : "a"((uint32_t)(uintptr_t)res),
			       "Nd"(KVM_UCALL_PORT)
			     : "memory");
}

/* The running case (tst_case_begin()) and its counts. */
static const char *case_name;
static unsigned int case_passed, case_failed;

void tst_vres_(const char *file, int lineno, int result, const char *fmt,
	       va_list ap)
{
	struct tst_kvm_result *res = result_page();
	int len = 0;

	res->result = result;
	res->lineno = lineno;
	res->file_addr = (uintptr_t)file;
	if (case_name) {
		len = snprintf(res->message, KVM_RESULT_MSG_SIZE, "%s: ",
			       case_name);
		if (len >= (int)KVM_RESULT_MSG_SIZE)
			len = KVM_RESULT_MSG_SIZE - 1;
		/* Any CPU may report within a case. */
		__atomic_add_fetch(&case_passed, result == TPASS,
				   __ATOMIC_RELAXED);
		__atomic_add_fetch(&case_failed,
				   result == TFAIL || result == TBROK,
				   __ATOMIC_RELAXED);
	}
	len += kvm_vsnprintf(res->message + len, KVM_RESULT_MSG_SIZE - len,
			     fmt, ap);
	if (len >= (int)KVM_RESULT_MSG_SIZE)
		memcpy(res->message + KVM_RESULT_MSG_SIZE - 4, "...", 4);
	ucall(res);
}

void tst_case_begin(const char *name)
{
	case_name = name;
	case_passed = case_failed = 0;
}

void tst_case_end_(const char *file, int lineno)
{
	if (!case_failed)
		tst_res_(file, lineno, TPASS, "passed all %u checks",
			 case_passed);
	case_name = NULL;
}

void tst_case_run_(const char *file, int lineno,
	const struct tst_case *cases, unsigned int count)
{
	uint64_t i = kvm_boot_info()->host_arg;

	if (i >= count)
		tst_brk_(file, lineno, TBROK, "case %llu requested, the "
			 "payload has %u", (unsigned long long)i, count);
	tst_case_begin(cases[i].name);
	cases[i].fn();
	tst_case_end_(file, lineno);
}

void tst_res_(const char *file, int lineno, int result, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tst_vres_(file, lineno, result, fmt, ap);
	va_end(ap);
}

void tst_brk_(const char *file, int lineno, int result, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tst_vres_(file, lineno, result, fmt, ap);
	va_end(ap);
	kvm_exit();
}

void kvm_exit(void)
{
	struct tst_kvm_result *res = result_page();

	res->result = KVM_TEXIT;
	ucall(res);
	/* The host never resumes a guest after KVM_TEXIT. */
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

static void sync_host(int kind, void *data)
{
	struct tst_kvm_result *res = result_page();

	res->result = kind;
	res->lineno = 0;
	res->file_addr = (uintptr_t)data;
	res->message[0] = '\0';
	ucall(res);
}

void tst_signal_host(void *data)
{
	sync_host(KVM_TSYNC, data);
}

void tst_wait_host(void *data)
{
	sync_host(KVM_TSYNC_WAIT, data);
}

uint32_t tst_host_call(uint32_t nr, uint64_t arg)
{
	struct tst_kvm_result *res = result_page();
	uint32_t answer;

	res->result = KVM_THOSTCALL;
	res->lineno = (int32_t)nr;
	res->file_addr = arg;
	res->message[0] = '\0';
	__asm__ __volatile__("inl %w1, %0"
			     : "=a"(answer)
			     : "Nd"(KVM_HOSTCALL_PORT)
			     : "memory");
	return answer;
}
