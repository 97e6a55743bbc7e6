/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * entry.S - the guest's only assembly: the 64-bit entry point and the 256
 * interrupt stubs with their common entry. The host builds the GDT, TSS,
 * IDT and page tables and starts the vCPU at _start in long mode with
 * RSP = KVM_STACK_TOP and RDI = &kvm_boot_info, so booting costs a handful
 * of instructions. The host reads kvm_isr_table to fill the IDT.
 */

	.section .text.boot, "ax"
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	call kvm_start
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start

/*
 * Stack at kvm_handle_interrupt() entry (struct kvm_interrupt_frame):
 * cr2, reserved, r15 ... rax, vector, errcode, rip, cs, rflags, rsp, ss.
 * 24 quadwords on a 16-byte aligned base, so the call sees RSP % 16 == 0.
 */
	.text
	.globl kvm_isr_common
	.type kvm_isr_common, @function
kvm_isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	movq %cr2, %rax
	pushq %rax
	movq %rsp, %rdi
	cld
	call kvm_handle_interrupt
	/* Nonzero: back with SYSRETQ. LEA and POP leave the flags alone. */
	testl %eax, %eax
	leaq 16(%rsp), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	jnz 1f
	addq $16, %rsp
	iretq
	/* SYSRETQ: RCX and R11 in the frame hold RIP and RFLAGS. */
1:	movq 40(%rsp), %rsp	/* vector, errcode, rip, cs, rflags, rsp */
	sysretq
	.size kvm_isr_common, . - kvm_isr_common

	.altmacro
.macro ISR_STUB vec
	.balign 16
kvm_isr_\vec:
	.if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
	pushq $0
	.endif
	pushq $\vec
	jmp kvm_isr_common
.endm

.macro ISR_ADDR vec
	.quad kvm_isr_\vec
.endm

	.set vec, 0
	.rept 256
	ISR_STUB %vec
	.set vec, vec + 1
	.endr

	.section .rodata
	.balign 8
	.globl kvm_isr_table
	.type kvm_isr_table, @object
kvm_isr_table:
	.set vec, 0
	.rept 256
	ISR_ADDR %vec
	.set vec, vec + 1
	.endr
	.size kvm_isr_table, . - kvm_isr_table

	.section .note.GNU-stack, "", @progbits
