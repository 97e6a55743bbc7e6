/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_common.h - the contract between the host library and the guest
 * runtime: result codes, the result page, the guest-physical memory layout
 * the host builds, the I/O ports of the virtual platform and the structures
 * both sides read. Included by both compilation passes; freestanding.
 */
#ifndef KVM_COMMON_H
#define KVM_COMMON_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
#endif /* __ASSEMBLER__ */

/* Result types (LTP values). Errno flags are not supported. */
#define TPASS	0
#define TFAIL	1
#define TBROK	2
#define TWARN	4
#define TINFO	16
#define TCONF	32
#define TTYPE_MASK	0x3f

/*
 * Control values of struct tst_kvm_result.result. They never collide with
 * the result types above.
 */
#define KVM_TNONE	(-1)	/* nothing reported yet */
#define KVM_TEXIT	0x100	/* guest finished (kvm_exit() or main returned) */
#define KVM_TSYNC	0x101	/* tst_signal_host(): notify the host, go on */
#define KVM_TSYNC_WAIT	0x102	/* tst_wait_host(): notify, wait for answer */
#define KVM_TEXCEPTION	0x103	/* unhandled exception: message holds
				 * struct kvm_exception_report */
#define KVM_THOSTCALL	0x104	/* tst_host_call(): synchronous request,
				 * answer comes back in the port read */

/*
 * The result page. The guest fills it and then writes its guest-physical
 * address to KVM_UCALL_PORT with a 32-bit OUT. The host validates every
 * field before use.
 */
#ifndef __ASSEMBLER__
struct tst_kvm_result {
	int32_t result;
	int32_t lineno;
	uint64_t file_addr;	/* guest address of the file name string */
	char message[];		/* NUL-terminated, within the page */
};
#endif /* __ASSEMBLER__ */

#define KVM_PAGE_SIZE		0x1000ULL
#define KVM_RESULT_BASEADDR	0xfffff000ULL
#define KVM_RESULT_MSG_SIZE	(KVM_PAGE_SIZE - sizeof(struct tst_kvm_result))
/* Longest guest file name the host accepts. */
#define KVM_MAX_FILENAME	256

/* Ports of the virtual platform. */
#define KVM_UCALL_PORT		0x510	/* 32-bit OUT: result page address */
#define KVM_HOSTCALL_PORT	0x514	/* 32-bit IN: answer to the last call */
#define KVM_COM1_PORT		0x3f8	/* 16550 UART, 8 registers */
#define KVM_I8042_DATA_PORT	0x60
#define KVM_I8042_CMD_PORT	0x64	/* write 0xfe: pulse reset line */
#define KVM_I8042_RESET_CMD	0xfe

/*
 * Guest-physical (= virtual, identity-mapped) layout built by the host.
 * Addresses marked "unmapped" are left out of the page tables on purpose
 * so that NULL dereferences and stack overflows fault at once.
 */
#define KVM_NULL_PAGE		0x0000	/* unmapped */
#define KVM_GDT_BASE		0x1000	/* GDT, then the TSS at +0x800 */
#define KVM_TSS_BASE		0x1800
#define KVM_IDT_BASE		0x2000	/* 256 x 16-byte gates */
#define KVM_PML4_BASE		0x3000
#define KVM_PDPT_BASE		0x4000	/* covers 0-512 GiB */
#define KVM_PD0_BASE		0x5000	/* 0-1 GiB, 2 MiB pages */
#define KVM_PD1_BASE		0x6000	/* 1-2 GiB, 2 MiB pages */
#define KVM_PT0_BASE		0x7000	/* 0-2 MiB in 4 KiB pages */
#define KVM_PD3_BASE		0x8000	/* 3-4 GiB: only the result page */
#define KVM_PT3_BASE		0x9000
#define KVM_BOOT_INFO_BASE	0xa000	/* struct kvm_boot_info */
#define KVM_USER_PML4_BASE	0xb000	/* the user address space (below) */
#define KVM_IST1_GUARD		0x10000	/* unmapped */
#define KVM_IST1_TOP		0x15000	/* #DF stack, 16 KiB */
#define KVM_IST2_GUARD		0x15000	/* unmapped */
#define KVM_IST2_TOP		0x1a000	/* NMI and #MC stack, 16 KiB */
#define KVM_STACK_GUARD		0x3f000	/* unmapped */
#define KVM_STACK_BOTTOM	0x40000
#define KVM_STACK_TOP		0x80000	/* 256 KiB ring-0 stack */
#define KVM_PAYLOAD_BASE	0x100000	/* payload linked here */
#define KVM_IDENTITY_MAP_SIZE	0x80000000ULL	/* low 2 GiB */

/* GDT selectors. */
#define KVM_CS64		0x08
#define KVM_DS			0x10
#define KVM_USER_CS32		0x1b	/* STAR[63:48] base for SYSRET */
#define KVM_USER_DS		0x23
#define KVM_USER_CS64		0x2b
#define KVM_CS32		0x30
#define KVM_TSS_SEL		0x38	/* 16-byte descriptor */
#define KVM_GDT_ENTRIES		10	/* the TSS takes two */

/*
 * User mode. The host builds two address spaces over the same tables: the
 * kernel one (CR3 = KVM_PML4_BASE, whose PML4 entry has U/S = 0, so every
 * page is supervisor-only and SMEP/SMAP are safe to enable) and the user
 * one (CR3 = KVM_USER_PML4_BASE, U/S = 1 at the top), where everything
 * from KVM_USER_BASE up (payload, heap) is user-accessible and the system
 * area below it (GDT, IDT, TSS, page tables, ring-0 stacks) is not.
 * KVM_USER_VECTOR is an interrupt gate with DPL 3: the user-mode runtime's
 * way back to ring 0. A SYSCALL reaches the interrupt dispatch as the
 * pseudo-vector KVM_SYSCALL_VECTOR.
 */
#define KVM_USER_BASE		0x100000
#define KVM_USER_VECTOR		0x80
#define KVM_SYSCALL_VECTOR	0x100

/*
 * SMP guests (up to KVM_MAX_VCPUS vCPUs). CPU 0 uses the areas above.
 * Each AP (id 1..7) has a 64 KiB area at KVM_AP_AREA(id) below 1 MiB:
 * its boot info, its #DF (IST1) and NMI/#MC (IST2) stacks and its 32 KiB
 * ring-0 stack, each stack above an unmapped guard page (the guards exist
 * only in VMs with that many vCPUs). CPU n has its own 64-bit TSS at
 * KVM_CPU_TSS_BASE(n), its 16-byte descriptor at KVM_CPU_TSS_SEL(n) in
 * the GDT (CPU 0: KVM_TSS_SEL) and its own result page at
 * KVM_CPU_RESULT_PAGE(n). The guest finds its CPU number from TR (STR),
 * which no test changes, rather than from GS base, which tests do.
 */
#define KVM_MAX_VCPUS		8
#define KVM_CPU_TSS_SIZE	0x80	/* TSS slot per CPU from KVM_TSS_BASE */
#define KVM_CPU_TSS_BASE(id)	(KVM_TSS_BASE + (id) * KVM_CPU_TSS_SIZE)
#define KVM_AP_TSS_SEL_BASE	0x400
#define KVM_CPU_TSS_SEL(id)	((id) ? KVM_AP_TSS_SEL_BASE + (id) * 16 : \
				 KVM_TSS_SEL)
/* GDTR limit of a VM with @n > 1 vCPUs: up to the last TSS descriptor. */
#define KVM_SMP_GDT_LIMIT(n)	(KVM_CPU_TSS_SEL((n) - 1) + 15)
#define KVM_AP_AREA_BASE	0x80000
#define KVM_AP_AREA_SIZE	0x10000
#define KVM_AP_AREA(id)		(KVM_AP_AREA_BASE + ((id) - 1) * KVM_AP_AREA_SIZE)
#define KVM_AP_BOOT_INFO(id)	(KVM_AP_AREA(id))		/* 4 KiB */
#define KVM_AP_IST1_GUARD(id)	(KVM_AP_AREA(id) + 0x1000)	/* unmapped */
#define KVM_AP_IST1_TOP(id)	(KVM_AP_AREA(id) + 0x4000)	/* 8 KiB */
#define KVM_AP_IST2_GUARD(id)	(KVM_AP_AREA(id) + 0x4000)	/* unmapped */
#define KVM_AP_IST2_TOP(id)	(KVM_AP_AREA(id) + 0x7000)	/* 8 KiB */
#define KVM_AP_STACK_GUARD(id)	(KVM_AP_AREA(id) + 0x7000)	/* unmapped */
#define KVM_AP_STACK_BOTTOM(id)	(KVM_AP_AREA(id) + 0x8000)
#define KVM_AP_STACK_TOP(id)	(KVM_AP_AREA(id) + 0x10000)	/* 32 KiB */
/* The same for any CPU, CPU 0 included. */
#define KVM_CPU_BOOT_INFO(id)	((id) ? KVM_AP_BOOT_INFO(id) : KVM_BOOT_INFO_BASE)
#define KVM_CPU_IST1_TOP(id)	((id) ? KVM_AP_IST1_TOP(id) : KVM_IST1_TOP)
#define KVM_CPU_IST2_TOP(id)	((id) ? KVM_AP_IST2_TOP(id) : KVM_IST2_TOP)
#define KVM_CPU_STACK_BOTTOM(id) \
	((id) ? KVM_AP_STACK_BOTTOM(id) : KVM_STACK_BOTTOM)
#define KVM_CPU_STACK_TOP(id)	((id) ? KVM_AP_STACK_TOP(id) : KVM_STACK_TOP)
#define KVM_CPU_RESULT_PAGE(id)	(KVM_RESULT_BASEADDR - \
				 (uint64_t)(id) * KVM_PAGE_SIZE)

/*
 * SMP port: a 32-bit OUT of (command | cpu << 8). PARK stops the vCPU in
 * the host until another CPU's UNPARK of it (a wake-up token: an UNPARK
 * that comes first makes the next PARK return at once); WAIT_IDLE stops
 * it until every other vCPU is parked with no token pending.
 */
#define KVM_SMP_PORT		0x518
#define KVM_SMP_PARK		1
#define KVM_SMP_UNPARK		2
#define KVM_SMP_WAIT_IDLE	3

/* Interrupt stack table slots used by the default IDT. */
#define KVM_IST_DF		1
#define KVM_IST_NMI		2

#define KVM_BOOT_INFO_MAGIC	0x4b564d43484b4231ULL	/* "KVMCHKB1" */

/* Written by the host before the first KVM_RUN; read-only for the guest. */
#ifndef __ASSEMBLER__
struct kvm_boot_info {
	uint64_t magic;
	uint64_t ram_size;	/* bytes of RAM at guest-physical 0 */
	uint64_t heap_start;	/* first free byte after the payload image */
	uint64_t heap_end;	/* end of usable RAM */
	uint64_t result_page;	/* guest address of this vCPU's result page */
	uint32_t vcpu_id;
	uint32_t nr_vcpus;
	uint64_t host_arg;	/* free for the test: tst_kvm_set_guest_arg() */
};

/* The 64-bit TSS (SDM Vol. 3A 7.7 "Task Management in 64-bit Mode"). */
struct kvm_tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];	/* RSP0-2: stacks for privilege changes */
	uint64_t reserved1;
	uint64_t ist[7];	/* IST1-7 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* GPRs in the order the interrupt entry pushes them (lowest address first). */
struct kvm_gprs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
};

/*
 * What the guest's common interrupt entry saves on the stack, lowest
 * address first: CR2 at entry, a padding slot, the GPRs, the vector, the
 * error code (0 for vectors without one) and the CPU-pushed iret frame.
 */
struct kvm_interrupt_frame {
	uint64_t cr2;
	uint64_t reserved;
	struct kvm_gprs regs;
	uint64_t vector;
	uint64_t errcode;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* KVM_TEXCEPTION payload in tst_kvm_result.message. */
struct kvm_exception_report {
	struct kvm_interrupt_frame frame;
	uint64_t cr0, cr3, cr4, efer;
	uint32_t nesting;	/* > 0: exception raised inside a handler */
	uint32_t reserved;
};
#endif /* __ASSEMBLER__ */

#endif /* KVM_COMMON_H */
