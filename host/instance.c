/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * instance.c - VM instances: creation (VM, RAM and result-page slots,
 * payload, host-built long-mode state, vCPUs with the supported CPUID and
 * XCR0, platform devices), destruction, and the default tst_test entry
 * points tst_kvm_setup/run/cleanup, which use one VM per iteration (with
 * the test's kvm_opts).
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
	unsigned int i;

	inst->boot_info->host_arg = arg;
	for (i = 1; i < inst->nr_vcpus; i++)
		inst->vcpu[i].boot_info->host_arg = arg;
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
static void set_xcr0(int vcpu_fd, struct kvm_cpuid2 *cpuid)
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
	if (ioctl(vcpu_fd, KVM_SET_XCRS, &xcrs))
		tst_brk(TBROK, "KVM_SET_XCRS(XCR0=0x%llx): %m",
			(unsigned long long)xcrs.xcrs[0].value);
}

/* KVM_CREATE_VCPU @id and map its kvm_run into @v. */
static void create_vcpu(struct tst_kvm_instance *inst, int sys,
	struct tst_kvm_vcpu *v, unsigned int id)
{
	int size = ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0);

	if (size < (int)sizeof(struct kvm_run))
		tst_brk(TBROK, "KVM_GET_VCPU_MMAP_SIZE returned %d", size);
	v->inst = inst;
	v->id = id;
	v->fd = ioctl(inst->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		tst_brk(TBROK, "KVM_CREATE_VCPU(%u): %m", id);
	inst->vcpu_info_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		tst_brk(TBROK, "mmap(vCPU %u kvm_run): %m", id);
	}
}

/* KVM_CAP_MAX_VCPUS, else KVM_CAP_NR_VCPUS, else 4 (KVM API). */
static int max_vcpus(void)
{
	int n = tst_kvm_check_cap(KVM_CAP_MAX_VCPUS);

	if (n <= 0)
		n = tst_kvm_check_cap(KVM_CAP_NR_VCPUS);
	return n > 0 ? n : 4;
}

static void check_nr_vcpus(unsigned int n)
{
	if (n > TST_KVM_MAX_VCPUS)
		tst_brk(TBROK, "%u vCPUs requested; kvmcheck supports at most "
			"%d", n, TST_KVM_MAX_VCPUS);
	if ((int)n > max_vcpus())
		tst_brk(TCONF, "test needs %u vCPUs; this KVM allows %d "
			"(KVM_CAP_MAX_VCPUS)", n, max_vcpus());
}

/*
 * Registers, CPUID (own APIC ID), XCR0 of vCPU @id. An AP is made
 * runnable at once: with an in-kernel LAPIC it would otherwise wait for
 * INIT-SIPI (KVM API, KVM_SET_MP_STATE).
 */
static void init_vcpu(struct tst_kvm_instance *inst, unsigned int id,
	struct kvm_cpuid2 *cpuid, const struct tst_boot_layout *l)
{
	struct tst_kvm_vcpu *v = &inst->vcpu[id];
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	tst_kvm_cpuid_set_apic_id(cpuid, id);
	/* CPUID first: KVM checks long-mode SREGS against it. */
	if (ioctl(v->fd, KVM_SET_CPUID2, cpuid))
		tst_brk(TBROK, "KVM_SET_CPUID2 on vCPU %u (%u entries): %m",
			id, cpuid->nent);
	if (ioctl(v->fd, KVM_GET_SREGS, &sregs))
		tst_brk(TBROK, "KVM_GET_SREGS on vCPU %u: %m", id);
	tst_x86_initial_sregs_cpu(&sregs, l, id);
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs))
		tst_brk(TBROK, "KVM_SET_SREGS on vCPU %u: %m", id);
	tst_x86_initial_regs_cpu(&regs, l, id);
	if (ioctl(v->fd, KVM_SET_REGS, &regs))
		tst_brk(TBROK, "KVM_SET_REGS on vCPU %u: %m", id);
	if (l->osxsave)
		set_xcr0(v->fd, cpuid);
	if (id && tst_kvm_check_cap(KVM_CAP_MP_STATE) &&
	    ioctl(v->fd, KVM_SET_MP_STATE, &mp))
		tst_brk(TBROK, "KVM_SET_MP_STATE(RUNNABLE) on vCPU %u: %m", id);
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

static void init_state(struct tst_kvm_instance *inst)
{
	unsigned int i;

	memset(inst, 0, sizeof(*inst));
	inst->vm_fd = inst->vcpu_fd = -1;
	for (i = 0; i < TST_KVM_MAX_VCPUS; i++)
		inst->vcpu[i].fd = -1;
	pthread_mutex_init(&inst->sync_lock, NULL);
	pthread_cond_init(&inst->sync_cond, NULL);
	pthread_mutex_init(&inst->smp_lock, NULL);
	pthread_cond_init(&inst->smp_cond, NULL);
	pthread_mutex_init(&inst->bus_lock, NULL);
	tst_kvm_bus_init(&inst->pio, "port");
	tst_kvm_bus_init(&inst->mmio, "MMIO");
}

/* Slot 1: one result page per CPU, CPU 0's at KVM_RESULT_BASEADDR. */
static void alloc_result_pages(struct tst_kvm_instance *inst)
{
	unsigned int n = inst->nr_vcpus, i;
	char *pages = tst_kvm_alloc_memory(inst, 1, KVM_CPU_RESULT_PAGE(n - 1),
					   n * KVM_PAGE_SIZE, 0);

	for (i = 0; i < n; i++) {
		inst->vcpu[i].result = (struct tst_kvm_result *)
			(pages + (n - 1 - i) * KVM_PAGE_SIZE);
		inst->vcpu[i].result->result = KVM_TNONE;
	}
	inst->result = inst->vcpu[0].result;
}

void tst_kvm_create_instance_opts(struct tst_kvm_instance *inst,
	const struct tst_kvm_vm_opts *opts)
{
	size_t ram_size = opts && opts->ram_size ? opts->ram_size :
			  DEFAULT_RAM_SIZE;
	unsigned int n = opts && opts->nr_vcpus ? opts->nr_vcpus : 1, i;
	int sys = tst_kvm_open();
	struct tst_boot_layout layout;
	struct kvm_cpuid2 *cpuid;
	void *ram;

	init_state(inst);
	check_nr_vcpus(n);
	inst->nr_vcpus = n;

	if (ram_size > KVM_IDENTITY_MAP_SIZE)
		tst_brk(TBROK, "RAM size 0x%zx exceeds the 2 GiB identity map",
			ram_size);
	inst->ram_size = LTP_ALIGN(ram_size, KVM_PAGE_SIZE);

	inst->vm_fd = ioctl(sys, KVM_CREATE_VM, 0);
	if (inst->vm_fd < 0)
		tst_brk(TBROK, "KVM_CREATE_VM: %m");

	ram = tst_kvm_alloc_memory(inst, 0, 0, inst->ram_size, 0);
	alloc_result_pages(inst);
	for (i = 0; i < n; i++)
		inst->vcpu[i].boot_info = (struct kvm_boot_info *)
			((char *)ram + KVM_CPU_BOOT_INFO(i));
	inst->boot_info = inst->vcpu[0].boot_info;

	memset(&layout, 0, sizeof(layout));
	layout.ram_size = inst->ram_size;
	layout.nr_vcpus = n;
	load_payload(inst, ram, &layout);

	for (i = 0; i < n; i++)
		create_vcpu(inst, sys, &inst->vcpu[i], i);
	inst->vcpu_fd = inst->vcpu[0].fd;
	inst->vcpu_info = inst->vcpu[0].run;

	cpuid = tst_kvm_get_cpuid(sys);
	layout.nx = tst_kvm_cpuid_has(cpuid, X86_FEATURE_NX);
	layout.osxsave = tst_kvm_cpuid_has(cpuid, X86_FEATURE_XSAVE);
	tst_x86_build_tables(ram, &layout);
	for (i = 0; i < n; i++)
		init_vcpu(inst, i, cpuid, &layout);
	free(cpuid);

	tst_kvm_add_platform_devices(inst);
}

void tst_kvm_create_instance(struct tst_kvm_instance *inst, size_t ram_size)
{
	struct tst_kvm_vm_opts opts = { .ram_size = ram_size };

	tst_kvm_create_instance_opts(inst, &opts);
}

void tst_kvm_destroy_instance(struct tst_kvm_instance *inst)
{
	unsigned int i;

	/* The APs' threads ended in tst_kvm_run_instance() (or halted). */
	for (i = 1; i < inst->nr_vcpus; i++) {
		struct tst_kvm_vcpu *v = &inst->vcpu[i];

		if (v->run)
			munmap(v->run, inst->vcpu_info_size);
		if (v->fd >= 0)
			close(v->fd);
		v->run = NULL;
		v->fd = -1;
	}
	if (inst->vcpu_info)
		munmap(inst->vcpu_info, inst->vcpu_info_size);
	inst->vcpu_info = NULL;
	inst->vcpu[0].run = NULL;
	if (inst->vcpu_fd >= 0)
		close(inst->vcpu_fd);
	if (inst->vm_fd >= 0)
		close(inst->vm_fd);
	inst->vcpu_fd = inst->vm_fd = inst->vcpu[0].fd = -1;
	pthread_cond_destroy(&inst->sync_cond);
	pthread_mutex_destroy(&inst->sync_lock);
	pthread_cond_destroy(&inst->smp_cond);
	pthread_mutex_destroy(&inst->smp_lock);
	pthread_mutex_destroy(&inst->bus_lock);
}

void tst_kvm_setup(void)
{
	tst_kvm_open();
}

void tst_kvm_create_default_instance(struct tst_kvm_instance *inst)
{
	const struct tst_test *t = tst_test_self();

	tst_kvm_create_instance_opts(inst, t ? t->kvm_opts : NULL);
}

void tst_kvm_run(void)
{
	tst_kvm_create_default_instance(&test_vm);
	tst_kvm_run_instance(&test_vm);
	tst_kvm_destroy_instance(&test_vm);
	tst_free_all();
}

void tst_kvm_cleanup(void)
{
	if (test_vm.vcpu_info || test_vm.vm_fd > 0)
		tst_kvm_destroy_instance(&test_vm);
}
