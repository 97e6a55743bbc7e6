/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * payload_embed.S - puts one test's guest payload ELF (PAYLOAD_ELF, set by
 * the Makefile) into the host binary between kvm_payload_elf_start and
 * kvm_payload_elf_end. Toolchain only: no generated C, no runtime lookup.
 */
	.section .rodata.kvm_payload, "a"
	.balign 64
	.globl kvm_payload_elf_start
kvm_payload_elf_start:
	.incbin PAYLOAD_ELF
	.globl kvm_payload_elf_end
kvm_payload_elf_end:

	.section .note.GNU-stack, "", @progbits
