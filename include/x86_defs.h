/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_defs.h - architectural constants (Intel SDM / AMD APM) used by both
 * the host library and the guest runtime: exception vectors, control
 * register and EFER bits, MSR numbers, CPUID feature bits. No code.
 */
#ifndef X86_DEFS_H
#define X86_DEFS_H

/* Exception vectors (SDM Vol. 3A 6.3.1, Table 6-1) */
#define X86_DE		0
#define X86_DB		1
#define X86_NMI		2
#define X86_BP		3
#define X86_OF		4
#define X86_BR		5
#define X86_UD		6
#define X86_NM		7
#define X86_DF		8
#define X86_TS		10
#define X86_NP		11
#define X86_SS		12
#define X86_GP		13
#define X86_PF		14
#define X86_MF		16
#define X86_AC		17
#define X86_MC		18
#define X86_XM		19
#define X86_VE		20
#define X86_CP		21
#define X86_HV		28
#define X86_VC		29
#define X86_SX		30

/* Vectors that push an error code (SDM Vol. 3A Table 6-1, APM Vol. 2 8.2) */
#define X86_HAS_ERRCODE(v) \
	((v) == X86_DF || ((v) >= X86_TS && (v) <= X86_PF) || \
	 (v) == X86_AC || (v) == X86_CP || (v) == X86_VC || (v) == X86_SX)

/* #PF error code bits (SDM Vol. 3A 4.7) */
#define X86_PF_P	(1u << 0)
#define X86_PF_W	(1u << 1)
#define X86_PF_U	(1u << 2)
#define X86_PF_RSVD	(1u << 3)
#define X86_PF_I	(1u << 4)
#define X86_PF_PK	(1u << 5)
#define X86_PF_SS	(1u << 6)

/* RFLAGS (SDM Vol. 1 3.4.3) */
#define X86_RFLAGS_CF	(1ul << 0)
#define X86_RFLAGS_FIXED (1ul << 1)
#define X86_RFLAGS_PF	(1ul << 2)
#define X86_RFLAGS_AF	(1ul << 4)
#define X86_RFLAGS_ZF	(1ul << 6)
#define X86_RFLAGS_SF	(1ul << 7)
#define X86_RFLAGS_TF	(1ul << 8)
#define X86_RFLAGS_IF	(1ul << 9)
#define X86_RFLAGS_DF	(1ul << 10)
#define X86_RFLAGS_OF	(1ul << 11)
#define X86_RFLAGS_AC	(1ul << 18)
#define X86_RFLAGS_ID	(1ul << 21)

/* CR0 (SDM Vol. 3A 2.5) */
#define X86_CR0_PE	(1ul << 0)
#define X86_CR0_MP	(1ul << 1)
#define X86_CR0_EM	(1ul << 2)
#define X86_CR0_TS	(1ul << 3)
#define X86_CR0_ET	(1ul << 4)
#define X86_CR0_NE	(1ul << 5)
#define X86_CR0_WP	(1ul << 16)
#define X86_CR0_AM	(1ul << 18)
#define X86_CR0_NW	(1ul << 29)
#define X86_CR0_CD	(1ul << 30)
#define X86_CR0_PG	(1ul << 31)

/* CR4 (SDM Vol. 3A 2.5) */
#define X86_CR4_VME	(1ul << 0)
#define X86_CR4_PVI	(1ul << 1)
#define X86_CR4_TSD	(1ul << 2)
#define X86_CR4_DE	(1ul << 3)
#define X86_CR4_PSE	(1ul << 4)
#define X86_CR4_PAE	(1ul << 5)
#define X86_CR4_MCE	(1ul << 6)
#define X86_CR4_PGE	(1ul << 7)
#define X86_CR4_PCE	(1ul << 8)
#define X86_CR4_OSFXSR	(1ul << 9)
#define X86_CR4_OSXMMEXCPT (1ul << 10)
#define X86_CR4_UMIP	(1ul << 11)
#define X86_CR4_LA57	(1ul << 12)
#define X86_CR4_VMXE	(1ul << 13)
#define X86_CR4_SMXE	(1ul << 14)
#define X86_CR4_FSGSBASE (1ul << 16)
#define X86_CR4_PCIDE	(1ul << 17)
#define X86_CR4_OSXSAVE	(1ul << 18)
#define X86_CR4_KL	(1ul << 19)
#define X86_CR4_SMEP	(1ul << 20)
#define X86_CR4_SMAP	(1ul << 21)
#define X86_CR4_PKE	(1ul << 22)
#define X86_CR4_CET	(1ul << 23)
#define X86_CR4_PKS	(1ul << 24)

/* EFER (SDM Vol. 3A 2.2.1, APM Vol. 2 3.1.7) */
#define X86_EFER_SCE	(1ull << 0)
#define X86_EFER_LME	(1ull << 8)
#define X86_EFER_LMA	(1ull << 10)
#define X86_EFER_NXE	(1ull << 11)
#define X86_EFER_SVME	(1ull << 12)
#define X86_EFER_LMSLE	(1ull << 13)
#define X86_EFER_FFXSR	(1ull << 14)
#define X86_EFER_TCE	(1ull << 15)

/* XCR0 (SDM Vol. 1 13.3) */
#define X86_XCR0_X87	(1ull << 0)
#define X86_XCR0_SSE	(1ull << 1)
#define X86_XCR0_AVX	(1ull << 2)

/* MSRs (SDM Vol. 4) */
#define MSR_IA32_TSC			0x00000010
#define MSR_IA32_APIC_BASE		0x0000001b
#define MSR_IA32_FEATURE_CONTROL	0x0000003a
#define MSR_IA32_TSC_ADJUST		0x0000003b
#define MSR_IA32_SYSENTER_CS		0x00000174
#define MSR_IA32_SYSENTER_ESP		0x00000175
#define MSR_IA32_SYSENTER_EIP		0x00000176
#define MSR_IA32_MISC_ENABLE		0x000001a0
#define MSR_IA32_CR_PAT			0x00000277
#define MSR_IA32_TSC_DEADLINE		0x000006e0
#define MSR_EFER			0xc0000080
#define MSR_STAR			0xc0000081
#define MSR_LSTAR			0xc0000082
#define MSR_CSTAR			0xc0000083
#define MSR_SYSCALL_MASK		0xc0000084
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MSR_TSC_AUX			0xc0000103

/*
 * CPUID feature bits: leaf, subleaf, register (0 EAX, 1 EBX, 2 ECX, 3 EDX)
 * and bit, packed in one 64-bit value for kvm_cpu_has() and the host.
 */
#define X86_CPUID_EAX 0
#define X86_CPUID_EBX 1
#define X86_CPUID_ECX 2
#define X86_CPUID_EDX 3
#define X86_FEATURE(leaf, subleaf, reg, bit) \
	(((unsigned long long)(leaf) << 32) | ((subleaf) << 16) | \
	 ((reg) << 8) | (bit))
#define X86_FEATURE_LEAF(f)	((unsigned int)((f) >> 32))
#define X86_FEATURE_SUBLEAF(f)	((unsigned int)(((f) >> 16) & 0xffff))
#define X86_FEATURE_REG(f)	((unsigned int)(((f) >> 8) & 3))
#define X86_FEATURE_BIT(f)	((unsigned int)((f) & 0x1f))

#define X86_FEATURE_FPU		X86_FEATURE(1, 0, X86_CPUID_EDX, 0)
#define X86_FEATURE_TSC		X86_FEATURE(1, 0, X86_CPUID_EDX, 4)
#define X86_FEATURE_MSR		X86_FEATURE(1, 0, X86_CPUID_EDX, 5)
#define X86_FEATURE_PAE		X86_FEATURE(1, 0, X86_CPUID_EDX, 6)
#define X86_FEATURE_APIC	X86_FEATURE(1, 0, X86_CPUID_EDX, 9)
#define X86_FEATURE_SEP		X86_FEATURE(1, 0, X86_CPUID_EDX, 11)
#define X86_FEATURE_PGE		X86_FEATURE(1, 0, X86_CPUID_EDX, 13)
#define X86_FEATURE_PAT		X86_FEATURE(1, 0, X86_CPUID_EDX, 16)
#define X86_FEATURE_FXSR	X86_FEATURE(1, 0, X86_CPUID_EDX, 24)
#define X86_FEATURE_SSE		X86_FEATURE(1, 0, X86_CPUID_EDX, 25)
#define X86_FEATURE_SSE2	X86_FEATURE(1, 0, X86_CPUID_EDX, 26)
#define X86_FEATURE_SSE3	X86_FEATURE(1, 0, X86_CPUID_ECX, 0)
#define X86_FEATURE_VMX		X86_FEATURE(1, 0, X86_CPUID_ECX, 5)
#define X86_FEATURE_PCID	X86_FEATURE(1, 0, X86_CPUID_ECX, 17)
#define X86_FEATURE_X2APIC	X86_FEATURE(1, 0, X86_CPUID_ECX, 21)
#define X86_FEATURE_MOVBE	X86_FEATURE(1, 0, X86_CPUID_ECX, 22)
#define X86_FEATURE_POPCNT	X86_FEATURE(1, 0, X86_CPUID_ECX, 23)
#define X86_FEATURE_TSC_DEADLINE X86_FEATURE(1, 0, X86_CPUID_ECX, 24)
#define X86_FEATURE_XSAVE	X86_FEATURE(1, 0, X86_CPUID_ECX, 26)
#define X86_FEATURE_OSXSAVE	X86_FEATURE(1, 0, X86_CPUID_ECX, 27)
#define X86_FEATURE_AVX		X86_FEATURE(1, 0, X86_CPUID_ECX, 28)
#define X86_FEATURE_RDRAND	X86_FEATURE(1, 0, X86_CPUID_ECX, 30)
#define X86_FEATURE_HYPERVISOR	X86_FEATURE(1, 0, X86_CPUID_ECX, 31)
#define X86_FEATURE_FSGSBASE	X86_FEATURE(7, 0, X86_CPUID_EBX, 0)
#define X86_FEATURE_TSC_ADJUST	X86_FEATURE(7, 0, X86_CPUID_EBX, 1)
#define X86_FEATURE_BMI1	X86_FEATURE(7, 0, X86_CPUID_EBX, 3)
#define X86_FEATURE_AVX2	X86_FEATURE(7, 0, X86_CPUID_EBX, 5)
#define X86_FEATURE_SMEP	X86_FEATURE(7, 0, X86_CPUID_EBX, 7)
#define X86_FEATURE_BMI2	X86_FEATURE(7, 0, X86_CPUID_EBX, 8)
#define X86_FEATURE_INVPCID	X86_FEATURE(7, 0, X86_CPUID_EBX, 10)
#define X86_FEATURE_RDSEED	X86_FEATURE(7, 0, X86_CPUID_EBX, 18)
#define X86_FEATURE_ADX		X86_FEATURE(7, 0, X86_CPUID_EBX, 19)
#define X86_FEATURE_SMAP	X86_FEATURE(7, 0, X86_CPUID_EBX, 20)
#define X86_FEATURE_UMIP	X86_FEATURE(7, 0, X86_CPUID_ECX, 2)
#define X86_FEATURE_PKU		X86_FEATURE(7, 0, X86_CPUID_ECX, 3)
#define X86_FEATURE_LA57	X86_FEATURE(7, 0, X86_CPUID_ECX, 16)
#define X86_FEATURE_RDPID	X86_FEATURE(7, 0, X86_CPUID_ECX, 22)
#define X86_FEATURE_SYSCALL	X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 11)
#define X86_FEATURE_NX		X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 20)
#define X86_FEATURE_GBPAGES	X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 26)
#define X86_FEATURE_RDTSCP	X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 27)
#define X86_FEATURE_LM		X86_FEATURE(0x80000001, 0, X86_CPUID_EDX, 29)
#define X86_FEATURE_LAHF_LM	X86_FEATURE(0x80000001, 0, X86_CPUID_ECX, 0)
#define X86_FEATURE_SVM		X86_FEATURE(0x80000001, 0, X86_CPUID_ECX, 2)
#define X86_FEATURE_ABM		X86_FEATURE(0x80000001, 0, X86_CPUID_ECX, 5)

/* Page-table entry bits (SDM Vol. 3A 4.5) */
#define X86_PTE_P	(1ull << 0)
#define X86_PTE_RW	(1ull << 1)
#define X86_PTE_US	(1ull << 2)
#define X86_PTE_PWT	(1ull << 3)
#define X86_PTE_PCD	(1ull << 4)
#define X86_PTE_A	(1ull << 5)
#define X86_PTE_D	(1ull << 6)
#define X86_PTE_PS	(1ull << 7)
#define X86_PTE_G	(1ull << 8)
#define X86_PTE_NX	(1ull << 63)
#define X86_PTE_ADDR_MASK 0x000ffffffffff000ull

#endif /* X86_DEFS_H */
