// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest heap (tst_heap_alloc/tst_heap_alloc_aligned): blocks lie in
 * [heap_start, heap_end) from the boot info, after the payload image,
 * aligned as asked (16 bytes by default), disjoint, zeroed in a fresh VM
 * and writable; the free count shrinks by what was taken; taking exactly
 * what is left works; exhaustion and bad alignments end the guest with a
 * TBROK that names the request.
 */
#include "kvm_test.h"

enum { NORMAL, EXHAUST, ALIGN_ZERO, ALIGN_THREE, EXACT_FIT };

#ifdef COMPILE_PAYLOAD

extern char kvm_image_end[];

static void check(int ok, const char *what, uintptr_t got)
{
	tst_res(ok ? TPASS : TFAIL, "%s (got 0x%lx)", what, (unsigned long)got);
}

static void check_block(const char *name, const unsigned char *p,
	size_t size, size_t align)
{
	const struct kvm_boot_info *bi = kvm_boot_info();
	uintptr_t a = (uintptr_t)p;
	static const unsigned char zero[64];
	size_t n = size < sizeof(zero) ? size : sizeof(zero);

	tst_res(a % align ? TFAIL : TPASS, "%s: aligned to %zu (0x%lx)", name,
		align, (unsigned long)a);
	tst_res(a >= bi->heap_start && a + size <= bi->heap_end ? TPASS :
		TFAIL, "%s: [0x%lx, +%zu) inside the heap [0x%lx, 0x%lx)",
		name, (unsigned long)a, size, (unsigned long)bi->heap_start,
		(unsigned long)bi->heap_end);
	tst_res(!memcmp(p, zero, n) && !memcmp(p + size - n, zero, n) ?
		TPASS : TFAIL, "%s: starts and ends zeroed", name);
	memset((void *)p, 0xa5, size);
}

static void normal(void)
{
	const struct kvm_boot_info *bi = kvm_boot_info();
	size_t before = tst_heap_free_bytes();
	unsigned char *a, *b, *c, *d;

	check(bi->heap_start == (uintptr_t)kvm_image_end,
	      "heap starts at the end of the payload image", bi->heap_start);
	check(bi->heap_start % KVM_PAGE_SIZE == 0, "heap start page-aligned",
	      bi->heap_start);
	check(bi->heap_end == bi->ram_size, "heap ends at the end of RAM",
	      bi->heap_end);
	check(before == bi->heap_end - bi->heap_start,
	      "whole heap free at start", before);

	a = tst_heap_alloc(1);
	b = tst_heap_alloc(100);
	c = tst_heap_alloc_aligned(4096, 4096);
	d = tst_heap_alloc_aligned(64, 0x200000);
	check_block("alloc(1)", a, 1, 16);
	check_block("alloc(100)", b, 100, 16);
	check_block("alloc_aligned(4096, 4096)", c, 4096, 4096);
	check_block("alloc_aligned(64, 2 MiB)", d, 64, 0x200000);
	check(a + 1 <= b && b + 100 <= c && c + 4096 <= d,
	      "blocks are disjoint and in order", (uintptr_t)d);
	check(a[0] == 0xa5 && b[99] == 0xa5 && c[4095] == 0xa5,
	      "earlier blocks keep their contents", a[0]);
	check(tst_heap_free_bytes() == bi->heap_end - (uintptr_t)(d + 64),
	      "free bytes = heap end - end of last block",
	      tst_heap_free_bytes());
}

void main(void)
{
	size_t left;

	switch (kvm_boot_info()->host_arg) {
	case NORMAL:
		normal();
		break;
	case EXHAUST:
		left = tst_heap_free_bytes();
		tst_heap_alloc_aligned(left + 1, 1);
		tst_res(TFAIL, "allocating more than the heap returned");
		break;
	case ALIGN_ZERO:
		tst_heap_alloc_aligned(8, 0);
		tst_res(TFAIL, "alignment 0 accepted");
		break;
	case ALIGN_THREE:
		tst_heap_alloc_aligned(8, 3);
		tst_res(TFAIL, "alignment 3 accepted");
		break;
	case EXACT_FIT:
		left = tst_heap_free_bytes();
		tst_heap_alloc_aligned(left, 1);
		tst_res(TPASS, "took all %zu free bytes", left);
		tst_heap_alloc_aligned(1, 1);
		tst_res(TFAIL, "allocated from an empty heap");
		break;
	}
}

#else /* COMPILE_PAYLOAD */

static void run(void)
{
	tst_kvm_run();
	tst_kvm_expect_guest_verdict(EXHAUST, TBROK,
				     "TBROK: heap exhausted: ");
	tst_kvm_expect_guest_verdict(ALIGN_ZERO, TBROK,
		"tst_heap_alloc_aligned(8, 0): alignment must be a power of two");
	tst_kvm_expect_guest_verdict(ALIGN_THREE, TBROK,
		"tst_heap_alloc_aligned(8, 3): alignment must be a power of two");
	tst_kvm_expect_guest_verdict(EXACT_FIT, TBROK,
		"heap exhausted: 1 bytes (align 1) requested, 0 of ");
}

static struct tst_test test = {
	.description = "guest heap blocks are aligned, disjoint, zeroed and "
		"bounded; exhaustion is a precise TBROK",
	.test_all = run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
};

#endif /* COMPILE_PAYLOAD */
