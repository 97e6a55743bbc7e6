/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * user.c - guest user mode: the per-CPU state of a ring-3 run (saved
 * kernel context, SYSCALL stacks, default user stack), the SYSCALL MSRs,
 * entering ring 3 and ending a run from the interrupt dispatch when user
 * code returns, makes a system call nobody resumes, or takes an exception
 * nobody handles. The assembly is in user_entry.S.
 */
#include "kvm_user.h"
#include "kvm_smp.h"

/* One per CPU; user_entry.S uses the first three fields by offset. */
struct kvm_user_cpu {
	uint64_t kernel_rsp;	/* the context kvm_user_enter_asm() saved */
	uint64_t user_rsp;	/* SYSCALL entry scratch */
	uint64_t entry_rsp;	/* kernel stack of ring-3 entries (RSP0) */
	uint64_t kernel_cr3;	/* CR3 to restore after the run */
	struct kvm_user_result *res;
	uintptr_t stack;	/* default user stack (bottom), 0: none yet */
	uint32_t active;
	uint32_t ready;		/* SYSCALL MSRs written */
	uint64_t pad;
};

_Static_assert(offsetof(struct kvm_user_cpu, kernel_rsp) == 0 &&
	       offsetof(struct kvm_user_cpu, user_rsp) == 8 &&
	       offsetof(struct kvm_user_cpu, entry_rsp) == 16 &&
	       sizeof(struct kvm_user_cpu) == 64,
	       "user_entry.S offsets");
_Static_assert(offsetof(struct kvm_user_state, rip) == 120 &&
	       offsetof(struct kvm_user_state, rsp) == 128 &&
	       offsetof(struct kvm_user_state, rflags) == 136,
	       "kvm_user_enter_asm offsets");

#define USER_STACK_SIZE	(32 * 1024)
/* SFMASK: what SYSCALL clears (as Linux: TF, DF, IF, IOPL, AC, NT). */
#define SYSCALL_MASK	(X86_RFLAGS_TF | X86_RFLAGS_DF | X86_RFLAGS_IF | \
			 (3ul << 12) | X86_RFLAGS_AC | (1ul << 14))

struct kvm_user_cpu kvm_user_cpus[KVM_MAX_VCPUS];
extern const uint64_t kvm_syscall_entries[KVM_MAX_VCPUS];
extern const char kvm_user_return_trampoline[];

void kvm_user_enter_asm(uint64_t *kernel_rsp,
	const struct kvm_user_state *st, uint64_t *tss_rsp0,
	uint64_t *entry_rsp);
void kvm_user_leave_asm(uint64_t kernel_rsp) __kvm_noreturn;
int kvm_user_dispatch(struct kvm_interrupt_frame *frame);
void kvm_user_exception(struct kvm_interrupt_frame *frame);

static kvm_user_syscall_fn syscall_fn;
static void *syscall_data;

static unsigned int this_cpu(void)
{
	return smp_id();
}

/* RSP0 of this CPU's TSS (SDM Vol. 3A 8.7, Figure 8-11). */
static uint64_t *tss_rsp0(void)
{
	return (uint64_t *)((char *)kvm_this_cpu()->tss +
			    offsetof(struct kvm_tss64, rsp));
}

static void setup_syscall(struct kvm_user_cpu *cpu, unsigned int id)
{
	if (cpu->ready)
		return;
	/* SDM Vol. 2B SYSCALL/SYSRET, Vol. 3A 5.8.8. */
	kvm_wrmsr(MSR_STAR, ((uint64_t)KVM_USER_CS32 << 48) |
			    ((uint64_t)KVM_CS64 << 32));
	kvm_wrmsr(MSR_LSTAR, kvm_syscall_entries[id]);
	kvm_wrmsr(MSR_SYSCALL_MASK, SYSCALL_MASK);
	kvm_wrmsr(MSR_EFER, kvm_rdmsr(MSR_EFER) | X86_EFER_SCE);
	cpu->ready = 1;
}

uintptr_t kvm_user_stack_top(void)
{
	struct kvm_user_cpu *cpu = &kvm_user_cpus[this_cpu()];

	if (!cpu->stack)
		cpu->stack = (uintptr_t)tst_heap_alloc_aligned(USER_STACK_SIZE,
							       4096);
	return cpu->stack + USER_STACK_SIZE;
}

void kvm_user_state_init(struct kvm_user_state *st,
	uint64_t (*fn)(uint64_t), uint64_t arg)
{
	uint64_t *sp = (uint64_t *)kvm_user_stack_top();

	memset(st, 0, sizeof(*st));
	/* As after a CALL: the return address at RSP, RSP + 8 aligned. */
	*--sp = 0;
	*--sp = (uintptr_t)kvm_user_return_trampoline;
	st->rsp = (uintptr_t)sp;
	st->rip = (uintptr_t)fn;
	st->regs.rdi = arg;
	st->rflags = X86_RFLAGS_FIXED | (kvm_read_rflags() & X86_RFLAGS_IF);
}

void kvm_user_enter(const struct kvm_user_state *st,
	struct kvm_user_result *res)
{
	unsigned int id = this_cpu();
	struct kvm_user_cpu *cpu = &kvm_user_cpus[id];
	uint64_t cr3 = st->cr3 ? st->cr3 : KVM_USER_PML4_BASE;

	if (cpu->active)
		tst_brk(TBROK, "kvm_user_enter(): already in a user-mode run");
	setup_syscall(cpu, id);
	memset(res, 0, sizeof(*res));
	res->vector = KVM_NO_EXC;
	cpu->res = res;
	cpu->kernel_cr3 = kvm_read_cr3();
	cpu->active = 1;
	if (cr3 != cpu->kernel_cr3)
		kvm_write_cr3(cr3);
	kvm_user_enter_asm(&cpu->kernel_rsp, st, tss_rsp0(), &cpu->entry_rsp);
}

/* End the run of this CPU: record the exit, restore CR3, leave. */
static __kvm_noreturn void finish(struct kvm_user_cpu *cpu,
	const struct kvm_interrupt_frame *frame, enum kvm_user_exit exit)
{
	struct kvm_user_result *res = cpu->res;

	res->exit = exit;
	res->frame = *frame;
	res->value = frame->regs.rax;
	if (exit == KVM_USER_EXCEPTION) {
		res->vector = (int)frame->vector;
		res->errcode = frame->errcode;
		res->cr2 = frame->cr2;
	}
	if (kvm_read_cr3() != cpu->kernel_cr3)
		kvm_write_cr3(cpu->kernel_cr3);
	cpu->active = 0;
	kvm_user_leave_asm(cpu->kernel_rsp);
}

static struct kvm_user_cpu *running_cpu(void)
{
	struct kvm_user_cpu *cpu = &kvm_user_cpus[this_cpu()];

	return cpu->active ? cpu : NULL;
}

/*
 * From the interrupt dispatch, for every event from ring 3 before its
 * callbacks: the runtime's return (#UD at the trampoline) ends the run;
 * SYSCALL and INT KVM_USER_VECTOR go to the syscall handler. Returns 0 to
 * go back with IRETQ, 1 with SYSRETQ (RCX and R11 set from the frame), -1
 * for any other event, or ends the run.
 */
int kvm_user_dispatch(struct kvm_interrupt_frame *frame)
{
	struct kvm_user_cpu *cpu = running_cpu();
	int is_syscall = frame->vector == KVM_SYSCALL_VECTOR;
	enum kvm_user_syscall_action act = KVM_USER_STOP;

	if (frame->vector == X86_UD &&
	    frame->rip == (uintptr_t)kvm_user_return_trampoline && cpu)
		finish(cpu, frame, KVM_USER_RETURNED);
	if (!is_syscall && frame->vector != KVM_USER_VECTOR)
		return -1;
	if (!cpu)
		tst_brk(TBROK, "%s from ring 3 at RIP 0x%llx outside a "
			"user-mode run", is_syscall ? "SYSCALL" : "INT 0x80",
			(unsigned long long)frame->rip);
	if (syscall_fn)
		act = syscall_fn(syscall_data, frame);
	if (act == KVM_USER_RESUME)
		return 0;
	if (act == KVM_USER_RESUME_SYSRET && is_syscall) {
		/* SDM Vol. 2B SYSRET: RIP from RCX, RFLAGS from R11. */
		frame->regs.rcx = frame->rip;
		frame->regs.r11 = frame->rflags;
		return 1;
	}
	finish(cpu, frame, is_syscall ? KVM_USER_SYSCALL : KVM_USER_INT);
}

/* An exception from ring 3 that nothing handled: end the run, if any. */
void kvm_user_exception(struct kvm_interrupt_frame *frame)
{
	struct kvm_user_cpu *cpu = running_cpu();

	if (cpu)
		finish(cpu, frame, KVM_USER_EXCEPTION);
}

void kvm_user_set_syscall_handler(kvm_user_syscall_fn fn, void *userdata)
{
	syscall_fn = NULL;
	syscall_data = userdata;
	syscall_fn = fn;
}

const char *kvm_user_exit_name(const struct kvm_user_result *res)
{
	switch (res->exit) {
	case KVM_USER_RETURNED:
		return "returned";
	case KVM_USER_SYSCALL:
		return "SYSCALL";
	case KVM_USER_INT:
		return "INT 0x80";
	case KVM_USER_EXCEPTION:
		return kvm_exception_name(res->vector);
	}
	return "?";
}

uint64_t kvm_user_call(uint64_t (*fn)(uint64_t), uint64_t arg,
	struct kvm_user_result *res)
{
	struct kvm_user_result local;
	struct kvm_user_state st;

	kvm_user_state_init(&st, fn, arg);
	kvm_user_enter(&st, res ? res : &local);
	if (res)
		return res->value;
	if (local.exit != KVM_USER_RETURNED)
		tst_brk(TBROK, "user-mode call of 0x%llx ended with %s "
			"(error code 0x%lx, CR2 0x%llx) at RIP 0x%llx",
			(unsigned long long)(uintptr_t)fn,
			kvm_user_exit_name(&local), local.errcode,
			(unsigned long long)local.cr2,
			(unsigned long long)local.frame.rip);
	return local.value;
}
