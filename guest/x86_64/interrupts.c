/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * interrupts.c - guest interrupt dispatch: exception-table fixups for the
 * *_safe() helpers, the per-vector callbacks, and the report of an
 * unhandled exception to the host (which decodes and symbolises it).
 */
#include "kvm_x86.h"

struct kvm_extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct kvm_extable_entry __kvm_extable_start[];
extern const struct kvm_extable_entry __kvm_extable_end[];

int kvm_handle_interrupt(struct kvm_interrupt_frame *frame);
int kvm_user_dispatch(struct kvm_interrupt_frame *frame);
void kvm_user_exception(struct kvm_interrupt_frame *frame);

struct kvm_exc_info kvm_last_exc = { .vector = KVM_NO_EXC };
volatile unsigned long kvm_interrupt_count[256];
struct kvm_asm_mark kvm_mark;

/* KVM_ASM_MARK_AT() stores at these offsets. */
_Static_assert(offsetof(struct kvm_asm_mark, insn_ip) == 0 &&
	       offsetof(struct kvm_asm_mark, next_ip) == 8 &&
	       offsetof(struct kvm_asm_mark, rsp) == 16,
	       "KVM_ASM_MARK_AT() offsets");

static struct {
	tst_interrupt_callback func;
	void *userdata;
} handlers[256];

static unsigned int nesting;

static const char *const exception_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "vector 15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "vector 22", "vector 23",
	"vector 24", "vector 25", "vector 26", "vector 27", "#HV", "#VC",
	"#SX", "vector 31",
};

const char *kvm_exception_name(int vector)
{
	static char buf[24];

	if (vector == KVM_NO_EXC)
		return "no exception";
	if (vector >= 0 && vector < 32)
		return exception_names[vector];
	snprintf(buf, sizeof(buf), "vector %d", vector);
	return buf;
}

void tst_set_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata)
{
	if (vector >= ARRAY_SIZE(handlers))
		tst_brk(TBROK, "tst_set_interrupt_callback(): vector %u > 255",
			vector);
	handlers[vector].func = NULL;
	handlers[vector].userdata = userdata;
	handlers[vector].func = func;
}

void tst_set_exception_callbacks(tst_interrupt_callback func,
	void *userdata)
{
	unsigned int v;

	for (v = 0; v < 32; v++) {
		if (v != X86_DF && v != X86_NMI && v != X86_MC)
			tst_set_interrupt_callback(v, func, userdata);
	}
}

static int apply_fixup(struct kvm_interrupt_frame *frame)
{
	const struct kvm_extable_entry *e;

	for (e = __kvm_extable_start; e < __kvm_extable_end; e++) {
		if (e->insn != frame->rip)
			continue;
		kvm_last_exc.vector = (int)frame->vector;
		kvm_last_exc.errcode = frame->errcode;
		kvm_last_exc.cr2 = frame->cr2;
		kvm_last_exc.rip = frame->rip;
		kvm_last_exc.count++;
		kvm_last_exc.frame = *frame;
		frame->rip = e->fixup;
		return 1;
	}
	return 0;
}

static __kvm_noreturn void report_exception(
	const struct kvm_interrupt_frame *frame)
{
	struct tst_kvm_result *res =
		(struct tst_kvm_result *)kvm_boot_info()->result_page;
	struct kvm_exception_report *rep = (void *)res->message;
	struct kvm_cregs cr;

	kvm_read_cregs(&cr);
	res->result = KVM_TEXCEPTION;
	res->lineno = 0;
	res->file_addr = 0;
	memcpy(&rep->frame, frame, sizeof(*frame));
	rep->cr0 = cr.cr0;
	rep->cr3 = cr.cr3;
	rep->cr4 = cr.cr4;
	rep->efer = kvm_rdmsr(MSR_EFER);
	rep->nesting = nesting - 1;
	rep->reserved = 0;
	__asm__ __volatile__("outl %0, %w1"
			     :
			     : "a"((uint32_t)(uintptr_t)res),
			       "Nd"(KVM_UCALL_PORT)
			     : "memory");
	kvm_exit();
}

static int from_user(const struct kvm_interrupt_frame *frame)
{
	return (frame->cs & 3) == 3;
}

/*
 * Every interrupt, exception and SYSCALL (user.c) comes here. Returns 0 to
 * go back with IRETQ, 1 with SYSRETQ. Order: the user-mode runtime's own
 * events (its return path, system calls from ring 3), exception-table
 * fixups, the vector's callback, the end of a user-mode run (exception
 * from ring 3), else the test ends with TBROK.
 */
int kvm_handle_interrupt(struct kvm_interrupt_frame *frame)
{
	unsigned int vector = frame->vector & 0xff;
	tst_interrupt_callback func;
	int ret;

	if (from_user(frame) || frame->vector == KVM_SYSCALL_VECTOR) {
		ret = kvm_user_dispatch(frame);
		if (ret >= 0)
			return ret;
	}
	kvm_interrupt_count[vector]++;
	if (apply_fixup(frame))
		return 0;

	nesting++;
	func = handlers[vector].func;
	if (func && !func(handlers[vector].userdata, frame, frame->errcode)) {
		nesting--;
		return 0;
	}
	if (from_user(frame)) {
		nesting--;
		kvm_user_exception(frame);
		nesting++;
	}
	report_exception(frame);
}
