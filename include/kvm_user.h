/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_user.h - guest user mode (ring 3): run a guest function or a whole
 * register state at CPL 3 and come back to ring 0 with its return value,
 * its system call or its exception.
 *
 * The runtime enters ring 3 with IRETQ and comes back through an interrupt
 * gate with DPL 3 (INT KVM_USER_VECTOR) when the function returns; those
 * two are its own path. SYSCALL/SYSRET and exceptions are the features a
 * test exercises: a SYSCALL (pseudo-vector KVM_SYSCALL_VECTOR) or an
 * INT KVM_USER_VECTOR from user code ends the call unless a syscall
 * handler resumes it, an exception ends it unless an interrupt callback
 * or an exception-table entry (KVM_ASM_SAFE in user code) handles it.
 *
 * User code runs in the user address space (kvm_common.h: CR3 =
 * KVM_USER_PML4_BASE, payload and heap user-accessible, system area not)
 * unless the state names another CR3, on a per-CPU 32 KiB user stack from
 * the heap unless the state names another RSP. Ring 3 runs natively on
 * kvm_pvm while ring 0 is emulated: CPU-heavy guest work belongs here.
 * Report from ring 0 (tst_res does port I/O, which ring 3 may not do).
 */
#ifndef KVM_USER_H
#define KVM_USER_H

#include "kvm_x86.h"

/* How a user-mode run ended. */
enum kvm_user_exit {
	KVM_USER_RETURNED,	/* the function returned: value = RAX */
	KVM_USER_SYSCALL,	/* SYSCALL, not resumed: value = RAX */
	KVM_USER_INT,		/* INT KVM_USER_VECTOR, not resumed */
	KVM_USER_EXCEPTION,	/* vector, errcode, cr2 */
};

struct kvm_user_result {
	enum kvm_user_exit exit;
	int vector;		/* the exception, KVM_NO_EXC otherwise */
	uint64_t value;		/* RAX at the exit */
	unsigned long errcode;
	uint64_t cr2;
	/* The user state at the exit: GPRs, RIP, RSP, RFLAGS, CS, SS. */
	struct kvm_interrupt_frame frame;
};

/* Where ring 3 starts: every GPR, RIP, RSP, RFLAGS and the CR3. */
struct kvm_user_state {
	struct kvm_gprs regs;
	uint64_t rip, rsp, rflags;
	uint64_t cr3;		/* 0: KVM_USER_PML4_BASE */
};

/*
 * A state that calls fn(arg) on the default user stack with the current
 * RFLAGS.IF and returns through the runtime's exit path; GPRs zero.
 */
void kvm_user_state_init(struct kvm_user_state *st,
	uint64_t (*fn)(uint64_t), uint64_t arg);

/* Run @st at CPL 3 until it exits; fills @res. */
void kvm_user_enter(const struct kvm_user_state *st,
	struct kvm_user_result *res);

/*
 * fn(arg) at CPL 3; returns its return value. With @res NULL, any other
 * exit than a return is a TBROK naming it (vector, error code, CR2, RIP).
 */
uint64_t kvm_user_call(uint64_t (*fn)(uint64_t), uint64_t arg,
	struct kvm_user_result *res);

/* "returned", "SYSCALL", "INT 0x80" or "#PF" etc., for messages. */
const char *kvm_user_exit_name(const struct kvm_user_result *res);

/* Top of this CPU's default user stack. */
uintptr_t kvm_user_stack_top(void);

/*
 * System calls from ring 3 (SYSCALL, or INT KVM_USER_VECTOR other than
 * the runtime's own) go to @fn if set. It may read and change the user
 * state in @frame (RAX is the number and the return value) and returns
 * how to go on.
 */
enum kvm_user_syscall_action {
	KVM_USER_RESUME,	/* back to ring 3 with IRETQ */
	KVM_USER_RESUME_SYSRET,	/* back with SYSRETQ (SYSCALL only) */
	KVM_USER_STOP,		/* end the run: KVM_USER_SYSCALL / _INT */
};

typedef enum kvm_user_syscall_action (*kvm_user_syscall_fn)(void *userdata,
	struct kvm_interrupt_frame *frame);

void kvm_user_set_syscall_handler(kvm_user_syscall_fn fn, void *userdata);

/* In ring 3: SYSCALL with RAX = nr and up to 3 arguments (RDI, RSI, RDX). */
static inline uint64_t kvm_user_syscall(uint64_t nr, uint64_t a1,
	uint64_t a2, uint64_t a3)
{
	uint64_t ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			     : "rcx", "r11", "memory");
	return ret;
}

/* In ring 3: INT KVM_USER_VECTOR with RAX = nr, RDI/RSI/RDX arguments. */
static inline uint64_t kvm_user_int(uint64_t nr, uint64_t a1, uint64_t a2,
	uint64_t a3)
{
	uint64_t ret;

	__asm__ __volatile__("int %[vec]"
			     : "=a"(ret)
			     : "a"(nr), "D"(a1), "S"(a2), "d"(a3),
			       [vec] "i"(KVM_USER_VECTOR)
			     : "memory");
	return ret;
}

#endif /* KVM_USER_H */
