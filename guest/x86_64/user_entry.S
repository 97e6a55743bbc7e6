/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * user_entry.S - the assembly of user mode: entering ring 3 with IRETQ
 * from a saved kernel context, going back to that context, the ring-3
 * return trampoline, and one SYSCALL entry per CPU. A SYSCALL entry
 * switches to its CPU's kernel stack without touching a register (RIP-
 * relative stores into kvm_user_cpus[cpu]), builds an interrupt frame
 * (pseudo-vector KVM_SYSCALL_VECTOR) and joins the common interrupt entry.
 */
#include "kvm_common.h"

/* struct kvm_user_cpu offsets (user.c checks them). */
#define CPU_KERNEL_RSP	0
#define CPU_USER_RSP	8
#define CPU_ENTRY_RSP	16
#define CPU_SIZE	64

	.text
/*
 * void kvm_user_enter_asm(uint64_t *kernel_rsp, const struct kvm_user_state
 * *st, uint64_t *tss_rsp0, uint64_t *entry_rsp): save the callee-saved
 * registers and RSP in *kernel_rsp, make the 16-byte aligned stack below
 * them the one of entries from ring 3 (*tss_rsp0, *entry_rsp), load every
 * GPR from st->regs and IRETQ to st->rip/rsp/rflags at CPL 3. Returns when
 * kvm_user_leave_asm() restores that context.
 */
	.globl kvm_user_enter_asm
	.type kvm_user_enter_asm, @function
kvm_user_enter_asm:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsp, %rax
	andq $-16, %rax
	movq %rax, (%rdx)
	movq %rax, (%rcx)
	pushq $KVM_USER_DS
	pushq 128(%rsi)		/* rsp */
	pushq 136(%rsi)		/* rflags */
	pushq $KVM_USER_CS64
	pushq 120(%rsi)		/* rip */
	movq 0(%rsi), %r15
	movq 8(%rsi), %r14
	movq 16(%rsi), %r13
	movq 24(%rsi), %r12
	movq 32(%rsi), %r11
	movq 40(%rsi), %r10
	movq 48(%rsi), %r9
	movq 56(%rsi), %r8
	movq 64(%rsi), %rbp
	movq 72(%rsi), %rdi
	movq 88(%rsi), %rdx
	movq 96(%rsi), %rcx
	movq 104(%rsi), %rbx
	movq 112(%rsi), %rax
	movq 80(%rsi), %rsi
	iretq
	.size kvm_user_enter_asm, . - kvm_user_enter_asm

/* void kvm_user_leave_asm(uint64_t kernel_rsp): back into the call above. */
	.globl kvm_user_leave_asm
	.type kvm_user_leave_asm, @function
kvm_user_leave_asm:
	movq %rdi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size kvm_user_leave_asm, . - kvm_user_leave_asm

/*
 * Ring 3: where a user function returns to, RAX holding its value. The
 * #UD of this UD2 is the runtime's way back to ring 0: every KVM must
 * deliver an exception from ring 3, while SYSCALL and INT n are features
 * under test (kvm_pvm gets both wrong).
 */
	.globl kvm_user_return_trampoline
	.type kvm_user_return_trampoline, @function
kvm_user_return_trampoline:
	ud2
	.size kvm_user_return_trampoline, . - kvm_user_return_trampoline

	.altmacro
.macro SYSCALL_STUB cpu
	.balign 16
kvm_syscall_entry_\cpu:
	movq %rsp, kvm_user_cpus + \cpu * CPU_SIZE + CPU_USER_RSP(%rip)
	movq kvm_user_cpus + \cpu * CPU_SIZE + CPU_ENTRY_RSP(%rip), %rsp
	pushq $KVM_USER_DS
	pushq kvm_user_cpus + \cpu * CPU_SIZE + CPU_USER_RSP(%rip)
	pushq %r11
	pushq $KVM_USER_CS64
	pushq %rcx
	pushq $0
	pushq $KVM_SYSCALL_VECTOR
	jmp kvm_isr_common
.endm

.macro SYSCALL_ADDR cpu
	.quad kvm_syscall_entry_\cpu
.endm

	.set cpu, 0
	.rept KVM_MAX_VCPUS
	SYSCALL_STUB %cpu
	.set cpu, cpu + 1
	.endr

	.section .rodata
	.balign 8
	.globl kvm_syscall_entries
kvm_syscall_entries:
	.set cpu, 0
	.rept KVM_MAX_VCPUS
	SYSCALL_ADDR %cpu
	.set cpu, cpu + 1
	.endr

	.section .note.GNU-stack, "", @progbits
