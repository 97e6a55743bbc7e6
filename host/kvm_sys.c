/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_sys.c - the system-level KVM interface: opening /dev/kvm (with a
 * TCONF naming the reason when it cannot be used), capabilities and their
 * names, the supported CPUID list, and which KVM backend is loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "tst_test.h"
#include "kvm_host.h"

#define KVM_DEVICE "/dev/kvm"
#define KVM_MISC_MINOR 232

static int kvm_fd = -1;

int tst_kvm_open(void)
{
	struct stat st;
	int fd, version;

	if (kvm_fd >= 0)
		return kvm_fd;

	fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
			tst_brk(TCONF, "%s is not present (%m): KVM is not "
				"available on this machine", KVM_DEVICE);
		if (errno == EACCES || errno == EPERM)
			tst_brk(TCONF, "cannot open %s (%m): run as root or "
				"add the user to the kvm group", KVM_DEVICE);
		tst_brk(TCONF, "cannot open %s: %m", KVM_DEVICE);
	}
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode) ||
	    minor(st.st_rdev) != KVM_MISC_MINOR)
		tst_brk(TCONF, "%s is not the KVM character device (10:%d)",
			KVM_DEVICE, KVM_MISC_MINOR);

	version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION)
		tst_brk(TCONF, "%s: KVM API version %d, expected %d",
			KVM_DEVICE, version, KVM_API_VERSION);
	kvm_fd = fd;
	return fd;
}

int tst_kvm_check_cap(int cap)
{
	int ret = ioctl(tst_kvm_open(), KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

#define CAP(name) { KVM_CAP_##name, "KVM_CAP_" #name }

static const struct {
	int cap;
	const char *name;
} cap_names[] = {
	CAP(IRQCHIP), CAP(HLT), CAP(USER_MEMORY), CAP(SET_TSS_ADDR),
	CAP(VAPIC), CAP(EXT_CPUID), CAP(CLOCKSOURCE), CAP(NR_VCPUS),
	CAP(NR_MEMSLOTS), CAP(PIT), CAP(NOP_IO_DELAY), CAP(PV_MMU),
	CAP(MP_STATE), CAP(COALESCED_MMIO), CAP(SYNC_MMU), CAP(IOMMU),
	CAP(DESTROY_MEMORY_REGION_WORKS), CAP(USER_NMI), CAP(SET_GUEST_DEBUG),
	CAP(REINJECT_CONTROL), CAP(IRQ_ROUTING), CAP(IRQ_INJECT_STATUS),
	CAP(ASSIGN_DEV_IRQ), CAP(JOIN_MEMORY_REGIONS_WORKS), CAP(MCE),
	CAP(IRQFD), CAP(PIT2), CAP(SET_BOOT_CPU_ID), CAP(PIT_STATE2),
	CAP(IOEVENTFD), CAP(SET_IDENTITY_MAP_ADDR), CAP(XEN_HVM),
	CAP(ADJUST_CLOCK), CAP(INTERNAL_ERROR_DATA), CAP(VCPU_EVENTS),
	CAP(PCI_SEGMENT), CAP(PPC_PAIRED_SINGLES), CAP(INTR_SHADOW),
	CAP(DEBUGREGS), CAP(X86_ROBUST_SINGLESTEP), CAP(ENABLE_CAP),
	CAP(XSAVE), CAP(XCRS), CAP(ASYNC_PF), CAP(TSC_CONTROL),
	CAP(GET_TSC_KHZ), CAP(MAX_VCPUS), CAP(SIGNAL_MSI),
	CAP(READONLY_MEM), CAP(IRQFD_RESAMPLE), CAP(TSC_DEADLINE_TIMER),
	CAP(VM_ATTRIBUTES), CAP(IOAPIC_POLARITY_IGNORED),
	CAP(ENABLE_CAP_VM), CAP(CHECK_EXTENSION_VM), CAP(IMMEDIATE_EXIT),
	CAP(SPLIT_IRQCHIP), CAP(X2APIC_API), CAP(HYPERV_SYNIC2),
	CAP(MAX_VCPU_ID), CAP(X86_DISABLE_EXITS), CAP(MANUAL_DIRTY_LOG_PROTECT2),
	CAP(EXCEPTION_PAYLOAD), CAP(NESTED_STATE), CAP(X86_USER_SPACE_MSR),
	CAP(X86_MSR_FILTER), CAP(DIRTY_LOG_RING), CAP(X86_BUS_LOCK_EXIT),
	CAP(SREGS2), CAP(EXIT_HYPERCALL), CAP(XSAVE2), CAP(SYS_ATTRIBUTES),
	CAP(X86_TRIPLE_FAULT_EVENT), CAP(X86_NOTIFY_VMEXIT),
	CAP(DIRTY_LOG_RING_ACQ_REL), CAP(S390_PROTECTED_DUMP),
	CAP(PMU_CAPABILITY), CAP(DISABLE_QUIRKS2), CAP(VM_TSC_CONTROL),
	CAP(SYSTEM_EVENT_DATA), CAP(ARM_SYSTEM_SUSPEND), CAP(S390_CPU_TOPOLOGY),
};

const char *tst_kvm_cap_name(int cap)
{
	static __thread char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cap_names); i++) {
		if (cap_names[i].cap == cap)
			return cap_names[i].name;
	}
	snprintf(buf, sizeof(buf), "KVM_CAP_%d", cap);
	return buf;
}

const char *tst_kvm_backend(void)
{
	static const char *const modules[] = {
		"kvm_pvm", "kvm_intel", "kvm_amd",
	};
	char path[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(modules); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", modules[i]);
		if (!access(path, F_OK))
			return modules[i];
	}
	return "unknown";
}

static struct kvm_cpuid2 *query_supported_cpuid(int sysfd)
{
	unsigned int nent = 64;
	struct kvm_cpuid2 *cpuid;

	for (;;) {
		cpuid = calloc(1, sizeof(*cpuid) +
			       nent * sizeof(struct kvm_cpuid_entry2));
		if (!cpuid)
			tst_brk(TBROK, "calloc() failed");
		cpuid->nent = nent;
		if (!ioctl(sysfd, KVM_GET_SUPPORTED_CPUID, cpuid))
			return cpuid;
		free(cpuid);
		if (errno != E2BIG || nent >= 4096)
			tst_brk(TBROK, "ioctl(KVM_GET_SUPPORTED_CPUID): %m");
		nent *= 2;
	}
}

/* Asked once per process (~65 us each time here); callers get a copy. */
struct kvm_cpuid2 *tst_kvm_get_cpuid(int sysfd)
{
	static struct kvm_cpuid2 *supported;
	static int supported_fd = -1;
	size_t size;
	struct kvm_cpuid2 *copy;

	if (!supported || supported_fd != sysfd) {
		free(supported);
		supported = query_supported_cpuid(sysfd);
		supported_fd = sysfd;
	}
	size = sizeof(*supported) +
	       supported->nent * sizeof(struct kvm_cpuid_entry2);
	copy = malloc(size);
	if (!copy)
		tst_brk(TBROK, "malloc() failed");
	memcpy(copy, supported, size);
	return copy;
}

struct kvm_cpuid_entry2 *tst_kvm_cpuid_entry(struct kvm_cpuid2 *cpuid,
	uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function != function)
			continue;
		if ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) &&
		    e->index != index)
			continue;
		return e;
	}
	return NULL;
}

int tst_kvm_cpuid_has(struct kvm_cpuid2 *cpuid, uint64_t feature)
{
	struct kvm_cpuid_entry2 *e = tst_kvm_cpuid_entry(cpuid,
		X86_FEATURE_LEAF(feature), X86_FEATURE_SUBLEAF(feature));
	uint32_t regs[4];

	if (!e)
		return 0;
	regs[0] = e->eax;
	regs[1] = e->ebx;
	regs[2] = e->ecx;
	regs[3] = e->edx;
	return (regs[X86_FEATURE_REG(feature)] >> X86_FEATURE_BIT(feature)) & 1;
}

void tst_kvm_cpuid_set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t apic_id)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == 1)		/* EBX[31:24] initial APIC ID */
			e->ebx = (e->ebx & 0x00ffffffu) | apic_id << 24;
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = apic_id;	/* x2APIC ID */
		else if (e->function == 0x8000001e)
			e->eax = apic_id;	/* extended APIC ID (AMD) */
	}
}

int _tst_kvm_validate_result(int value)
{
	switch (value) {
	case TPASS:
	case TFAIL:
	case TBROK:
	case TWARN:
	case TINFO:
	case TCONF:
		return 1;
	default:
		return 0;
	}
}

void tst_kvm_validate_result(int value)
{
	if (!_tst_kvm_validate_result(value))
		tst_brk(TBROK, "invalid result value %d (0x%x) from the guest",
			value, (unsigned int)value);
}
