/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * heap.c - the guest heap: a bounded bump allocator over the RAM between
 * the end of the payload image and the end of RAM (from the boot info).
 */
#include "kvm_guest.h"

static uintptr_t heap_cur, heap_end;

void kvm_heap_init(const struct kvm_boot_info *info)
{
	heap_cur = info->heap_start;
	heap_end = info->heap_end;
}

size_t tst_heap_free_bytes(void)
{
	return heap_end - heap_cur;
}

void *tst_heap_alloc_aligned_(const char *file, int lineno, size_t size,
	size_t align)
{
	uintptr_t start, cur;

	if (!align || (align & (align - 1)))
		tst_brk_(file, lineno, TBROK, "tst_heap_alloc_aligned(%zu, "
			 "%zu): alignment must be a power of two", size, align);

	/* Several CPUs may allocate at once. */
	cur = __atomic_load_n(&heap_cur, __ATOMIC_SEQ_CST);
	do {
		start = LTP_ALIGN(cur, align);
		if (start < cur || start > heap_end ||
		    size > heap_end - start)
			tst_brk_(file, lineno, TBROK, "heap exhausted: %zu "
				 "bytes (align %zu) requested, %zu of %zu "
				 "bytes left", size, align,
				 (size_t)(heap_end - cur),
				 (size_t)(heap_end -
					  kvm_boot_info()->heap_start));
	} while (!__atomic_compare_exchange_n(&heap_cur, &cur, start + size,
					      0, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return (void *)start;
}
