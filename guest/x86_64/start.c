/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * start.c - the C side of guest boot: from _start (entry.S) to main().
 * The host has already set up everything else, so this is all there is.
 */
#include "kvm_guest.h"

void kvm_heap_init(const struct kvm_boot_info *info);
void kvm_start(const struct kvm_boot_info *info);
void kvm_smp_ap_main(void) __kvm_noreturn;
void kvm_smp_wait_idle(void);

/*
 * Every vCPU enters here with its own stack and boot info. CPU 0 runs
 * main(); the APs wait for work (smp.c). The test ends when main() has
 * returned and the APs are idle.
 */
void kvm_start(const struct kvm_boot_info *info)
{
	if (info->vcpu_id)
		kvm_smp_ap_main();
	kvm_heap_init(info);
	main();
	if (info->nr_vcpus > 1)
		kvm_smp_wait_idle();
	kvm_exit();
}
