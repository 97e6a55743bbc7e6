/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cpu.c - guest x86 helpers: CPUID, control registers, MSRs (plain and
 * fault-catching) and page-table entry decoding.
 */
#include "kvm_x86.h"

void kvm_get_cpuid(unsigned int eax, unsigned int ecx, struct kvm_cpuid *buf)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(buf->eax), "=b"(buf->ebx),
			       "=c"(buf->ecx), "=d"(buf->edx)
			     : "a"(eax), "c"(ecx));
}

int kvm_cpu_has(uint64_t feature)
{
	struct kvm_cpuid r;
	unsigned int leaf = X86_FEATURE_LEAF(feature);
	unsigned int regs[4];

	kvm_get_cpuid(leaf & 0x80000000, 0, &r);
	if (r.eax < leaf)
		return 0;
	kvm_get_cpuid(leaf, X86_FEATURE_SUBLEAF(feature), &r);
	regs[0] = r.eax;
	regs[1] = r.ebx;
	regs[2] = r.ecx;
	regs[3] = r.edx;
	return (regs[X86_FEATURE_REG(feature)] >> X86_FEATURE_BIT(feature)) & 1;
}

void kvm_read_cregs(struct kvm_cregs *buf)
{
	buf->cr0 = kvm_read_cr0();
	buf->cr2 = kvm_read_cr2();
	buf->cr3 = kvm_read_cr3();
	buf->cr4 = kvm_read_cr4();
}

uint64_t kvm_rdmsr(unsigned int msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

void kvm_wrmsr(unsigned int msr, uint64_t value)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((uint32_t)value),
			       "d"((uint32_t)(value >> 32))
			     : "memory");
}

int kvm_rdmsr_safe(unsigned int msr, uint64_t *value)
{
	uint32_t lo = 0, hi = 0;

	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("rdmsr")
			     : "+a"(lo), "+d"(hi)
			     : "c"(msr)
			     : "memory");
	*value = ((uint64_t)hi << 32) | lo;
	return kvm_exc_vector();
}

int kvm_wrmsr_safe(unsigned int msr, uint64_t value)
{
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("wrmsr")
			     :
			     : "c"(msr), "a"((uint32_t)value),
			       "d"((uint32_t)(value >> 32))
			     : "memory");
	return kvm_exc_vector();
}

int kvm_write_cr0_safe(unsigned long v)
{
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("mov %0, %%cr0")
			     :: "r"(v) : "memory");
	return kvm_exc_vector();
}

int kvm_write_cr4_safe(unsigned long v)
{
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("mov %0, %%cr4")
			     :: "r"(v) : "memory");
	return kvm_exc_vector();
}

uintptr_t kvm_get_page_address_pae(const struct page_table_entry_pae *entry)
{
	if (!entry->present)
		return 0;
	return (uintptr_t)entry->address << 12;
}
