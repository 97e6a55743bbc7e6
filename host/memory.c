/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory.c - guest memory from the host's side: memory slots backed by
 * guarded buffers, guest-physical -> host lookups, a software walk of the
 * vCPU's 4-level page tables for guest-virtual addresses, and bounded
 * copies to and from guest memory. Every lookup checks bounds, so a guest
 * pointer can never make the host read outside guest RAM.
 */
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "tst_test.h"
#include "internal.h"

void *tst_kvm_alloc_memory(struct tst_kvm_instance *inst, unsigned int slot,
	uint64_t baseaddr, size_t size, unsigned int flags)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t offset = baseaddr % page;
	struct kvm_userspace_memory_region *r;
	void *buf;

	if (slot >= MAX_KVM_MEMSLOTS)
		tst_brk(TBROK, "memory slot %u out of range (max %d)", slot,
			MAX_KVM_MEMSLOTS - 1);
	if (size > SIZE_MAX - offset - page)
		tst_brk(TBROK, "memory slot %u: size 0x%zx too large", slot,
			size);

	buf = tst_alloc_guarded(LTP_ALIGN(size + offset, page));
	r = &inst->ram[slot];
	r->slot = slot;
	r->flags = flags;
	r->guest_phys_addr = baseaddr - offset;
	r->memory_size = LTP_ALIGN(size + offset, page);
	r->userspace_addr = (uintptr_t)buf;
	if (ioctl(inst->vm_fd, KVM_SET_USER_MEMORY_REGION, r)) {
		memset(r, 0, sizeof(*r));
		tst_brk(TBROK, "KVM_SET_USER_MEMORY_REGION(slot %u, gpa 0x%llx, "
			"size 0x%zx, flags 0x%x): %m", slot,
			(unsigned long long)(baseaddr - offset),
			LTP_ALIGN(size + offset, page), flags);
	}
	return buf;
}

int tst_kvm_find_phys_memslot(const struct tst_kvm_instance *inst,
	uint64_t paddr)
{
	int i;

	for (i = 0; i < MAX_KVM_MEMSLOTS; i++) {
		const struct kvm_userspace_memory_region *r = &inst->ram[i];

		if (!r->userspace_addr)
			continue;
		if (paddr >= r->guest_phys_addr &&
		    paddr - r->guest_phys_addr < r->memory_size)
			return i;
	}
	return -1;
}

/* Host pointer for guest-physical @paddr, with @avail bytes left in slot. */
static void *phys_ptr(const struct tst_kvm_instance *inst, uint64_t paddr,
	uint64_t *avail)
{
	int slot = tst_kvm_find_phys_memslot(inst, paddr);
	const struct kvm_userspace_memory_region *r;

	if (slot < 0)
		return NULL;
	r = &inst->ram[slot];
	if (avail)
		*avail = r->memory_size - (paddr - r->guest_phys_addr);
	return (char *)(uintptr_t)r->userspace_addr +
		(paddr - r->guest_phys_addr);
}

static int read_pte(const struct tst_kvm_instance *inst, uint64_t table,
	unsigned int index, uint64_t *pte)
{
	uint64_t avail;
	const uint64_t *p = phys_ptr(inst, table + index * 8ULL, &avail);

	if (!p || avail < 8)
		return -1;
	*pte = __atomic_load_n(p, __ATOMIC_RELAXED);
	return 0;
}

/* Walk 4-level paging (SDM Vol. 3A 4.5); -1 if @addr is not mapped. */
static int walk(const struct tst_kvm_instance *inst, uint64_t cr3,
	uint64_t addr, uint64_t *paddr)
{
	static const unsigned int shifts[] = { 39, 30, 21, 12 };
	uint64_t table = cr3 & X86_PTE_ADDR_MASK, pte = 0;
	unsigned int level;

	/* Non-canonical addresses are never mapped. */
	if ((uint64_t)((int64_t)(addr << 16) >> 16) != addr)
		return -1;

	for (level = 0; level < ARRAY_SIZE(shifts); level++) {
		uint64_t page_mask;

		if (read_pte(inst, table, (addr >> shifts[level]) & 511, &pte))
			return -1;
		if (!(pte & X86_PTE_P))
			return -1;
		if (level == 3 || (level > 0 && (pte & X86_PTE_PS))) {
			page_mask = (1ULL << shifts[level]) - 1;
			*paddr = ((pte & X86_PTE_ADDR_MASK) & ~page_mask) |
				 (addr & page_mask);
			return 0;
		}
		table = pte & X86_PTE_ADDR_MASK;
	}
	return -1;
}

/* Guest virtual -> physical with the given control registers. */
static int translate(const struct tst_kvm_instance *inst,
	const struct kvm_sregs *sregs, uint64_t addr, uint64_t *paddr)
{
	if (!(sregs->cr0 & X86_CR0_PG)) {
		*paddr = addr;
		return 0;
	}
	if (!(sregs->efer & X86_EFER_LMA))
		return -1;	/* 32-bit paging: not walked yet */
	return walk(inst, sregs->cr3, addr, paddr);
}

/*
 * The vCPU's paging registers: read now if it is stopped or this is its
 * own thread, else the ones read last (the cache is not part of the
 * instance's logical state, hence the cast).
 */
static void paging_regs(const struct tst_kvm_instance *inst,
	struct kvm_sregs *sregs)
{
	struct tst_kvm_instance *cache = (struct tst_kvm_instance *)inst;
	unsigned int cpu = tst_kvm_current_cpu(inst);

	/* A vCPU thread reads its own vCPU, which is stopped in an exit. */
	if (__atomic_load_n(&inst->running, __ATOMIC_ACQUIRE) &&
	    !tst_kvm_this_vcpu(inst) &&
	    !pthread_equal(pthread_self(), inst->run_thread)) {
		sregs->cr0 = inst->paging_cr0;
		sregs->cr3 = inst->paging_cr3;
		sregs->efer = inst->paging_efer;
		return;
	}
	if (ioctl(tst_kvm_cur_fd(inst), KVM_GET_SREGS, sregs))
		tst_brk(TBROK, "KVM_GET_SREGS: %m");
	if (cpu)
		return;		/* the cache holds vCPU 0's */
	cache->paging_cr0 = sregs->cr0;
	cache->paging_cr3 = sregs->cr3;
	cache->paging_efer = sregs->efer;
}

static int translate_now(const struct tst_kvm_instance *inst, uint64_t addr,
	uint64_t *paddr)
{
	struct kvm_sregs sregs;

	paging_regs(inst, &sregs);
	return translate(inst, &sregs, addr, paddr);
}

uint64_t tst_kvm_get_phys_address(const struct tst_kvm_instance *inst,
	uint64_t addr)
{
	uint64_t paddr;

	return translate_now(inst, addr, &paddr) ? 0 : paddr;
}

int tst_kvm_find_memslot(const struct tst_kvm_instance *inst, uint64_t addr)
{
	uint64_t paddr;

	if (translate_now(inst, addr, &paddr))
		return -1;
	return tst_kvm_find_phys_memslot(inst, paddr);
}

void *tst_kvm_get_memptr(const struct tst_kvm_instance *inst, uint64_t addr)
{
	uint64_t paddr;

	if (translate_now(inst, addr, &paddr))
		return NULL;
	return phys_ptr(inst, paddr, NULL);
}

/* Visit [addr, addr + len) page by page: fn(host ptr, chunk length). */
static int for_each_chunk(const struct tst_kvm_instance *inst, uint64_t addr,
	size_t len, int (*fn)(void *host, size_t n, void *arg), void *arg)
{
	struct kvm_sregs sregs;

	paging_regs(inst, &sregs);
	while (len) {
		uint64_t in_page = KVM_PAGE_SIZE - (addr & (KVM_PAGE_SIZE - 1));
		size_t n = len < in_page ? len : in_page;
		uint64_t paddr, avail;
		void *host;

		if (translate(inst, &sregs, addr, &paddr))
			return -1;
		host = phys_ptr(inst, paddr, &avail);
		if (!host || avail < n)
			return -1;
		if (fn(host, n, arg))
			return -1;
		addr += n;
		len -= n;
	}
	return 0;
}

struct range_arg {
	char *first;
	char *next;
};

static int range_chunk(void *host, size_t n, void *arg)
{
	struct range_arg *r = arg;

	if (!r->first)
		r->first = host;
	else if (host != r->next)
		return -1;
	r->next = (char *)host + n;
	return 0;
}

void *tst_kvm_guest_range(const struct tst_kvm_instance *inst,
	uint64_t addr, size_t len)
{
	struct range_arg r = { NULL, NULL };

	if (!len)
		len = 1;
	if (addr + len < addr)
		return NULL;
	if (for_each_chunk(inst, addr, len, range_chunk, &r))
		return NULL;
	return r.first;
}

static int copy_out(void *host, size_t n, void *arg)
{
	char **dst = arg;

	memcpy(*dst, host, n);
	*dst += n;
	return 0;
}

static int copy_in(void *host, size_t n, void *arg)
{
	const char **src = arg;

	memcpy(host, *src, n);
	*src += n;
	return 0;
}

struct str_arg {
	char *dst;
	size_t left;
	int done;
};

static int str_chunk(void *host, size_t n, void *arg)
{
	struct str_arg *a = arg;
	const char *src = host;
	size_t i;

	for (i = 0; i < n && a->left; i++, a->left--) {
		*a->dst++ = src[i];
		if (!src[i]) {
			a->done = 1;
			return 1;	/* stop: found the NUL */
		}
	}
	return a->left ? 0 : 1;
}

int tst_kvm_read_guest_string(const struct tst_kvm_instance *inst,
	uint64_t addr, char *buf, size_t size, uint64_t *bad_addr)
{
	struct str_arg a = { buf, size, 0 };

	if (!size || addr + size < addr) {
		*bad_addr = addr;
		return -1;
	}
	/* Pages are translated as reached: a NUL ends the walk early. */
	for_each_chunk(inst, addr, size, str_chunk, &a);
	if (a.done)
		return (int)(a.dst - buf - 1);
	if (!a.left)
		return -2;
	*bad_addr = addr + (a.dst - buf);
	return -1;
}

int tst_kvm_read_guest(const struct tst_kvm_instance *inst, uint64_t addr,
	void *buf, size_t len)
{
	char *dst = buf;

	if (addr + len < addr)
		return -1;
	return for_each_chunk(inst, addr, len, copy_out, &dst);
}

int tst_kvm_write_guest(const struct tst_kvm_instance *inst, uint64_t addr,
	const void *buf, size_t len)
{
	const char *src = buf;

	if (addr + len < addr)
		return -1;
	return for_each_chunk(inst, addr, len, copy_in, &src);
}
