// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-CPU state of a 4-vCPU guest. Each CPU, one after the other (on_cpu()
 * from CPU 0), checks what must be its own and reports it itself:
 *
 *  - its APIC ID: CPUID.01H:EBX[31:24] is the initial APIC ID of the
 *    executing logical processor and CPUID.0BH:EDX its x2APIC ID (SDM
 *    Vol. 2A CPUID, leaves 01H and 0BH; Vol. 3A 8.4.5 "Identification of
 *    Logical Processors in an MP System": each has a unique ID). The VMM
 *    creates vCPU n with APIC ID n (KVM: the APIC ID is the vcpu_id) and
 *    sets each vCPU's CPUID to say so (KVM_SET_CPUID2), so CPU n must read
 *    n; CPU 0 also checks that the IDs of all CPUs differ;
 *  - its task register: STR gives its own TSS selector, whose GDT
 *    descriptor is a busy 64-bit TSS (type 1011b, SDM Vol. 3A 7.2.3) at its
 *    own TSS, which holds its own RSP0 and IST stacks (7.7);
 *  - its stack: RSP lies within its own ring-0 stack;
 *  - an exception (#UD) on it is delivered on its current stack: the
 *    saved RSP (SDM Vol. 3A 6.14.2, no privilege change, IST 0) lies
 *    within its own stack;
 *  - its boot info (vcpu_id, nr_vcpus) and its own result page.
 */
#include "kvm_test.h"

#define NR_CPUS 4

#ifdef COMPILE_PAYLOAD

#include "kvm_smp.h"

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

/* What each CPU found, for CPU 0's cross-checks. */
static struct {
	uint32_t apic_id;
	uintptr_t result_page;
} seen[NR_CPUS];

static void check_eq(const char *what, uint64_t exp, uint64_t got)
{
	if (exp == got)
		tst_res(TPASS, "%s = 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: expected 0x%llx, got 0x%llx", what,
			(unsigned long long)exp, (unsigned long long)got);
}

static void check_in(const char *what, uint64_t v, uint64_t lo, uint64_t hi)
{
	if (v >= lo && v < hi)
		tst_res(TPASS, "%s 0x%llx is within [0x%llx, 0x%llx)", what,
			(unsigned long long)v, (unsigned long long)lo,
			(unsigned long long)hi);
	else
		tst_res(TFAIL, "%s: expected within [0x%llx, 0x%llx), got "
			"0x%llx", what, (unsigned long long)lo,
			(unsigned long long)hi, (unsigned long long)v);
}

/* SDM Vol. 2A CPUID 01H EBX[31:24], 0BH EDX. */
static void check_apic_id(unsigned int cpu)
{
	struct kvm_cpuid r;

	kvm_get_cpuid(1, 0, &r);
	seen[cpu].apic_id = r.ebx >> 24;
	check_eq("CPUID.01H:EBX[31:24] (initial APIC ID)", cpu, r.ebx >> 24);

	kvm_get_cpuid(0, 0, &r);
	if (r.eax < 0xb) {
		tst_res(TCONF, "CPUID leaf 0BH not present (max leaf 0x%x)",
			r.eax);
		return;
	}
	kvm_get_cpuid(0xb, 0, &r);
	/* SDM: leaf 0BH is not supported if EBX[15:0] of sub-leaf 0 is 0. */
	if (!(r.ebx & 0xffff)) {
		tst_res(TCONF, "CPUID leaf 0BH not supported (EBX = 0)");
		return;
	}
	check_eq("CPUID.0BH:EDX (x2APIC ID)", cpu, r.edx);
}

/* SDM Vol. 3A 7.2.3 (TSS descriptor in 64-bit mode), 7.7. */
static void check_tss(unsigned int cpu)
{
	const struct kvm_cpu *me = kvm_this_cpu();
	struct dtr gdtr;
	uint64_t lo, hi, base;
	uint16_t tr;

	__asm__ __volatile__("str %0; sgdt %1" : "=r"(tr), "=m"(gdtr));
	check_eq("TR selector", KVM_CPU_TSS_SEL(cpu), tr);
	if ((uint32_t)tr + 15 > gdtr.limit) {
		tst_res(TFAIL, "TSS descriptor 0x%x beyond the GDT limit 0x%x",
			tr, gdtr.limit);
		return;
	}
	lo = *(uint64_t *)(gdtr.base + tr);
	hi = *(uint64_t *)(gdtr.base + tr + 8);
	base = ((lo >> 16) & 0xffffff) | ((lo >> 56) << 24) | (hi << 32);
	check_eq("TSS descriptor type (busy 64-bit TSS)", 0xb, (lo >> 40) & 0xf);
	check_eq("TSS descriptor base", KVM_CPU_TSS_BASE(cpu), base);
	check_eq("kvm_this_cpu()->tss", base, (uintptr_t)me->tss);
	check_eq("TSS RSP0 (own ring-0 stack)", KVM_CPU_STACK_TOP(cpu),
		 me->tss->rsp[0]);
	check_eq("TSS IST1 (own #DF stack)", KVM_CPU_IST1_TOP(cpu),
		 me->tss->ist[KVM_IST_DF - 1]);
	check_eq("TSS IST2 (own NMI/#MC stack)", KVM_CPU_IST2_TOP(cpu),
		 me->tss->ist[KVM_IST_NMI - 1]);
}

static void check_stack(unsigned int cpu)
{
	const struct kvm_cpu *me = kvm_this_cpu();
	uintptr_t rsp;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(rsp));
	check_eq("kvm_this_cpu()->stack_top", KVM_CPU_STACK_TOP(cpu),
		 me->stack_top);
	check_in("RSP", rsp, me->stack_bottom, me->stack_top);

	/* SDM Vol. 3A 6.14.2: same privilege, IST 0 -> current stack. */
	kvm_exc_clear();
	__asm__ __volatile__(KVM_ASM_SAFE("ud2") ::: "memory");
	if (kvm_exc_vector() != X86_UD) {
		tst_res(TFAIL, "ud2: expected #UD, got %s",
			kvm_exception_name(kvm_exc_vector()));
		return;
	}
	check_in("RSP saved by #UD", kvm_last_exc.frame.rsp, me->stack_bottom,
		 me->stack_top);
}

static void check_cpu(void *arg)
{
	unsigned int cpu = (uintptr_t)arg;
	const struct kvm_boot_info *bi = kvm_boot_info();

	check_eq("smp_id()", cpu, smp_id());
	check_eq("kvm_this_cpu()->id", cpu, kvm_this_cpu()->id);
	check_eq("boot info vcpu_id", cpu, bi->vcpu_id);
	check_eq("boot info nr_vcpus", NR_CPUS, bi->nr_vcpus);
	check_eq("boot info result_page", KVM_CPU_RESULT_PAGE(cpu),
		 bi->result_page);
	seen[cpu].result_page = bi->result_page;
	check_apic_id(cpu);
	check_tss(cpu);
	check_stack(cpu);
}

static void check_distinct(void)
{
	unsigned int i, j, same_id = 0, same_page = 0;

	for (i = 0; i < NR_CPUS; i++) {
		for (j = i + 1; j < NR_CPUS; j++) {
			same_id += seen[i].apic_id == seen[j].apic_id;
			same_page += seen[i].result_page == seen[j].result_page;
		}
	}
	if (same_id)
		tst_res(TFAIL, "APIC IDs: %u pairs of CPUs share one "
			"(%u %u %u %u)", same_id, seen[0].apic_id,
			seen[1].apic_id, seen[2].apic_id, seen[3].apic_id);
	else
		tst_res(TPASS, "the %u CPUs have distinct APIC IDs", NR_CPUS);
	tst_res(same_page ? TFAIL : TPASS, "result pages: %u pairs shared",
		same_page);
}

void main(void)
{
	uintptr_t cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		on_cpu(cpu, check_cpu, (void *)cpu);
	check_distinct();
}

#else /* COMPILE_PAYLOAD */

static const struct tst_kvm_vm_opts opts = { .nr_vcpus = NR_CPUS };

static struct tst_test test = {
	.description = "each CPU has its own APIC ID, TSS, stacks, boot info "
		"and result page",
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.kvm_opts = &opts,
};

#endif /* COMPILE_PAYLOAD */
