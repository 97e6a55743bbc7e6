/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * instance.c - VM instances: creation (VM, RAM and result-page slots,
 * payload, host-built long-mode state, vCPU with the supported CPUID and
 * XCR0, platform devices), destruction, and the default tst_test entry
 * points tst_kvm_setup/run/cleanup, which use one VM per iteration.
 */
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "tst_test.h"
#include "internal.h"

/* RAM the guest must have beyond its image: room for a heap. */
#define MIN_HEAP_SIZE (64 * 1024)

static struct tst_kvm_instance test_vm;

void tst_kvm_set_cpuid(struct tst_kvm_instance *inst,
	const struct kvm_cpuid2 *cpuid)
{
	if (ioctl(inst->vcpu_fd, KVM_SET_CPUID2, cpuid))
		tst_brk(TBROK, "KVM_SET_CPUID2 (%u entries): %m", cpuid->nent);
}

void tst_kvm_set_guest_arg(struct tst_kvm_instance *inst, uint64_t arg)
{
	inst->boot_info->host_arg = arg;
}

static void read_isr_table(struct tst_kvm_instance *inst, void *ram,
	struct tst_boot_layout *l)
{
	uint64_t table = tst_kvm_symbol(inst, "kvm_isr_table");

	if (table < inst->payload->image_start ||
	    table + sizeof(l->isr_table) > inst->payload->image_end)
		tst_brk(TBROK, "guest kvm_isr_table at 0x%llx is outside the "
			"payload image", (unsigned long long)table);
	memcpy(l->isr_table, (char *)ram + table, sizeof(l->isr_table));
}

/* Enable x87, SSE and AVX state (what the CPU supports) in XCR0. */
static void set_xcr0(struct tst_kvm_instance *inst, struct kvm_cpuid2 *cpuid)
{
	struct kvm_cpuid_entry2 *e = tst_kvm_cpuid_entry(cpuid, 0xd, 0);
	struct kvm_xcrs xcrs;

	if (!e || !tst_kvm_check_cap(KVM_CAP_XCRS))
		return;
	memset(&xcrs, 0, sizeof(xcrs));
	xcrs.nr_xcrs = 1;
	xcrs.xcrs[0].xcr = 0;
	xcrs.xcrs[0].value = e->eax & (X86_XCR0_X87 | X86_XCR0_SSE |
				       X86_XCR0_AVX);
	if (ioctl(inst->vcpu_fd, KVM_SET_XCRS, &xcrs))
		tst_brk(TBROK, "KVM_SET_XCRS(XCR0=0x%llx): %m",
			(unsigned long long)xcrs.xcrs[0].value);
}

static void create_vcpu(struct tst_kvm_instance *inst, int sys)
{
	int size = ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0);

	if (size < (int)sizeof(struct kvm_run))
		tst_brk(TBROK, "KVM_GET_VCPU_MMAP_SIZE returned %d", size);
	inst->vcpu_fd = ioctl(inst->vm_fd, KVM_CREATE_VCPU, 0);
	if (inst->vcpu_fd < 0)
		tst_brk(TBROK, "KVM_CREATE_VCPU: %m");
	inst->vcpu_info_size = size;
	inst->vcpu_info = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			       inst->vcpu_fd, 0);
	if (inst->vcpu_info == MAP_FAILED) {
		inst->vcpu_info = NULL;
		tst_brk(TBROK, "mmap(vCPU kvm_run): %m");
	}
}

static void load_payload(struct tst_kvm_instance *inst, void *ram,
	struct tst_boot_layout *l)
{
	char err[160];

	inst->payload = tst_payload_embedded();
	if (inst->payload->image_end + MIN_HEAP_SIZE > inst->ram_size)
		tst_brk(TBROK, "RAM size 0x%zx too small for the payload "
			"image (ends at 0x%llx) and a %d KiB heap",
			inst->ram_size,
			(unsigned long long)inst->payload->image_end,
			MIN_HEAP_SIZE / 1024);
	if (tst_payload_load(inst->payload, ram, inst->ram_size, err,
			     sizeof(err)))
		tst_brk(TBROK, "loading the guest payload: %s", err);
	l->entry = inst->payload->entry;
	l->heap_start = inst->payload->image_end;
	read_isr_table(inst, ram, l);
}

void tst_kvm_create_instance(struct tst_kvm_instance *inst, size_t ram_size)
{
	int sys = tst_kvm_open();
	struct tst_boot_layout layout;
	struct kvm_cpuid2 *cpuid;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	void *ram;

	memset(inst, 0, sizeof(*inst));
	inst->vm_fd = inst->vcpu_fd = -1;
	pthread_mutex_init(&inst->sync_lock, NULL);
	pthread_cond_init(&inst->sync_cond, NULL);
	tst_kvm_bus_init(&inst->pio, "port");
	tst_kvm_bus_init(&inst->mmio, "MMIO");

	if (ram_size > KVM_IDENTITY_MAP_SIZE)
		tst_brk(TBROK, "RAM size 0x%zx exceeds the 2 GiB identity map",
			ram_size);
	inst->ram_size = LTP_ALIGN(ram_size, KVM_PAGE_SIZE);

	inst->vm_fd = ioctl(sys, KVM_CREATE_VM, 0);
	if (inst->vm_fd < 0)
		tst_brk(TBROK, "KVM_CREATE_VM: %m");

	ram = tst_kvm_alloc_memory(inst, 0, 0, inst->ram_size, 0);
	inst->result = tst_kvm_alloc_memory(inst, 1, KVM_RESULT_BASEADDR,
					    KVM_PAGE_SIZE, 0);
	inst->result->result = KVM_TNONE;
	inst->boot_info = (struct kvm_boot_info *)((char *)ram +
						   KVM_BOOT_INFO_BASE);

	memset(&layout, 0, sizeof(layout));
	layout.ram_size = inst->ram_size;
	load_payload(inst, ram, &layout);

	create_vcpu(inst, sys);
	cpuid = tst_kvm_get_cpuid(sys);
	tst_kvm_cpuid_set_apic_id(cpuid, 0);
	layout.nx = tst_kvm_cpuid_has(cpuid, X86_FEATURE_NX);
	layout.osxsave = tst_kvm_cpuid_has(cpuid, X86_FEATURE_XSAVE);
	/* CPUID first: KVM checks long-mode SREGS against it. */
	tst_kvm_set_cpuid(inst, cpuid);

	tst_x86_build_tables(ram, &layout);
	tst_kvm_get_sregs(inst, &sregs);
	tst_x86_initial_sregs(&sregs, &layout);
	tst_kvm_set_sregs(inst, &sregs);
	tst_x86_initial_regs(&regs, &layout);
	tst_kvm_set_regs(inst, &regs);
	if (layout.osxsave)
		set_xcr0(inst, cpuid);
	free(cpuid);

	tst_kvm_add_platform_devices(inst);
}

void tst_kvm_destroy_instance(struct tst_kvm_instance *inst)
{
	if (inst->vcpu_info)
		munmap(inst->vcpu_info, inst->vcpu_info_size);
	inst->vcpu_info = NULL;
	if (inst->vcpu_fd >= 0)
		close(inst->vcpu_fd);
	if (inst->vm_fd >= 0)
		close(inst->vm_fd);
	inst->vcpu_fd = inst->vm_fd = -1;
	pthread_cond_destroy(&inst->sync_cond);
	pthread_mutex_destroy(&inst->sync_lock);
}

void tst_kvm_setup(void)
{
	tst_kvm_open();
}

void tst_kvm_run(void)
{
	tst_kvm_create_instance(&test_vm, DEFAULT_RAM_SIZE);
	tst_kvm_run_instance(&test_vm);
	tst_kvm_destroy_instance(&test_vm);
	tst_free_all();
}

void tst_kvm_cleanup(void)
{
	if (test_vm.vcpu_info || test_vm.vm_fd > 0)
		tst_kvm_destroy_instance(&test_vm);
}
