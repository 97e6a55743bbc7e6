/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * start.c - the C side of guest boot: from _start (entry.S) to main().
 * The host has already set up everything else, so this is all there is.
 */
#include "kvm_guest.h"

void kvm_heap_init(const struct kvm_boot_info *info);
void kvm_start(const struct kvm_boot_info *info);

void kvm_start(const struct kvm_boot_info *info)
{
	kvm_heap_init(info);
	main();
	kvm_exit();
}
