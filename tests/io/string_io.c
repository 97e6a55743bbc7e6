// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * String port I/O: REP OUTSB/OUTSW/OUTSD and REP INSB/INSW/INSD (SDM
 * Vol. 2B "OUTS/OUTSB/OUTSW/OUTSD", "INS/INSB/INSW/INSD", "REP/REPE/
 * REPZ/REPNE/REPNZ") with counts 0, 1, 2, 7, buffers whose elements
 * straddle a page boundary, counts of more than one page of data, and
 * with DF=1 (descending addresses).
 *
 * A recording device sits at STR_PORT (the data port, where every element
 * goes) and STR_CTRL (a 32-bit OUT starts case N). Checked on the host,
 * per case: the device saw exactly COUNT elements of the instruction's
 * size and direction, in the order the instruction processes them (SDM:
 * each iteration moves one element from/to [RSI]/[RDI], then adds or
 * subtracts the element size according to DF), with OUTS data equal to
 * the guest buffer. Checked in the guest: RCX ends at 0 (REP decrements
 * it per iteration and stops at 0; a count of 0 does nothing), RSI/RDI
 * end at start +/- COUNT * size, INS stored the device's elements at the
 * right addresses and nothing outside the buffer changed.
 *
 * Faulting cases: the page after the buffer is made not-present, so the
 * REP stops with #PF part way. SDM Vol. 2B "REP": a repeated string
 * instruction interrupted by an exception keeps its registers so that it
 * can be resumed; the fault is reported on the instruction (RIP at it),
 * CR2 is the first inaccessible byte, the error code says not-present and
 * W = 1 for INS (memory write) / W = 0 for OUTS (memory read) (SDM Vol. 3A
 * 4.7). RCX/RSI/RDI must count exactly the elements done (those wholly
 * before the page; an element straddling into it faults); OUTS must have
 * sent exactly those (memory is read before the port is written); INS
 * must have stored them (the device may have been read once more, for
 * the element whose store faulted: reported, not judged).
 */
#include "kvm_test.h"

#define STR_PORT	0x1300	/* data port: string I/O goes here */
#define STR_CTRL	0x1304	/* 32-bit OUT: start case N */
#define STR_DEV_SIZE	8

#define PAGE		4096
#define GUARD		16	/* bytes checked on each side of the buffer */

enum sio_dir { SIO_OUT, SIO_IN };

struct sio_case {
	const char *name;
	uint8_t dir;
	uint8_t size;
	uint8_t df;
	uint8_t fault;	/* the page after the boundary is not present */
	uint32_t count;
	int32_t offset;	/* buffer start relative to a page boundary */
};

#define OUTS(n, sz, df, cnt, off) { n, SIO_OUT, sz, df, 0, cnt, off }
#define INS(n, sz, df, cnt, off) { n, SIO_IN, sz, df, 0, cnt, off }
#define OUTS_PF(n, sz, cnt, off) { n, SIO_OUT, sz, 0, 1, cnt, off }
#define INS_PF(n, sz, cnt, off) { n, SIO_IN, sz, 0, 1, cnt, off }

static const struct sio_case cases[] = {
	OUTS("rep outsb", 1, 0, 1, 0x40),
	OUTS("rep outsw", 2, 0, 2, 0x40),
	OUTS("rep outsl", 4, 0, 7, 0x40),
	OUTS("rep outsb", 1, 0, 0, 0x40),
	OUTS("rep outsw (page-crossing)", 2, 0, 8, -5),
	OUTS("rep outsl (page-crossing)", 4, 0, 3, -2),
	OUTS("rep outsb (> 1 page)", 1, 0, 5000, 0x10),
	OUTS("rep outsl (> 1 page)", 4, 0, 1500, -0x7fe),
	OUTS("std; rep outsw", 2, 1, 7, 0x40),
	OUTS("std; rep outsl (page-crossing)", 4, 1, 5, -9),
	OUTS("std; rep outsb (> 1 page)", 1, 1, 4200, -0x802),
	INS("rep insb", 1, 0, 1, 0x40),
	INS("rep insw", 2, 0, 2, 0x40),
	INS("rep insl", 4, 0, 7, 0x40),
	INS("rep insl", 4, 0, 0, 0x40),
	INS("rep insw (page-crossing)", 2, 0, 8, -5),
	INS("rep insl (page-crossing)", 4, 0, 3, -2),
	INS("rep insb (> 1 page)", 1, 0, 5000, 0x10),
	INS("rep insl (> 1 page)", 4, 0, 1500, -0x7fe),
	INS("std; rep insw", 2, 1, 7, 0x40),
	INS("std; rep insb (page-crossing)", 1, 1, 9, -3),
	INS("std; rep insl (> 1 page)", 4, 1, 1100, -0x802),
	OUTS_PF("rep outsb, #PF", 1, 16, -6),
	OUTS_PF("rep outsw, #PF on a straddling element", 2, 8, -5),
	OUTS_PF("rep outsl, #PF", 4, 8, -12),
	INS_PF("rep insb, #PF", 1, 16, -6),
	INS_PF("rep insw, #PF", 2, 8, -6),
	INS_PF("rep insl, #PF on a straddling element", 4, 4, -6),
};

/* Elements a case completes: all, or those wholly before the bad page. */
static inline unsigned int sio_done(const struct sio_case *c)
{
	return c->fault ? (unsigned int)(-c->offset) / c->size : c->count;
}

/*
 * Element value: for OUTS what the guest stores at element index k of
 * case c; for INS what the device returns as the k-th element of case c.
 */
static inline uint32_t sio_elem(unsigned int c, unsigned int k,
	unsigned int size, unsigned int dir)
{
	uint32_t x = (k + 1) * 0x9e3779b1U + c * 0x7f4a7c15U +
		     dir * 0x01234567U;

	x ^= x >> 13;
	return size == 4 ? x : x & ((1U << (8 * size)) - 1);
}

/* Element k in processing order lies at index k (DF=0) or count-1-k. */
static inline unsigned int sio_index(const struct sio_case *c,
	unsigned int k)
{
	return c->df ? c->count - 1 - k : k;
}

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/* Five pages; buffers start around the boundary at area + 2 * PAGE. */
static uint8_t area[5 * PAGE] __attribute__((aligned(PAGE)));

struct sio_regs {
	uint64_t ptr;	/* RSI (OUTS) or RDI (INS) */
	uint64_t rcx;
};

#define REP_STR(insn, reg, r) do { \
	if (df) \
		__asm__ __volatile__("std\n\trep " insn "\n\tcld" \
				     : "+" reg((r)->ptr), "+c"((r)->rcx) \
				     : "d"((uint16_t)STR_PORT) : "memory"); \
	else \
		__asm__ __volatile__("rep " insn \
				     : "+" reg((r)->ptr), "+c"((r)->rcx) \
				     : "d"((uint16_t)STR_PORT) : "memory"); \
} while (0)

static void rep_io(unsigned int dir, unsigned int size, int df,
	struct sio_regs *r)
{
	switch (dir * 8 + size) {
	case SIO_OUT * 8 + 1:
		REP_STR("outsb", "S", r);
		break;
	case SIO_OUT * 8 + 2:
		REP_STR("outsw", "S", r);
		break;
	case SIO_OUT * 8 + 4:
		REP_STR("outsl", "S", r);
		break;
	case SIO_IN * 8 + 1:
		REP_STR("insb", "D", r);
		break;
	case SIO_IN * 8 + 2:
		REP_STR("insw", "D", r);
		break;
	case SIO_IN * 8 + 4:
		REP_STR("insl", "D", r);
		break;
	}
}

static void put_elem(uint8_t *p, uint32_t v, unsigned int size)
{
	memcpy(p, &v, size);
}

static uint32_t get_elem(const uint8_t *p, unsigned int size)
{
	uint32_t v = 0;

	memcpy(&v, p, size);
	return v;
}

static void fill(unsigned int ci, uint8_t *buf)
{
	const struct sio_case *c = &cases[ci];
	unsigned int k;

	memset(buf - GUARD, 0xcc, c->count * c->size + 2 * GUARD);
	if (c->dir != SIO_OUT)
		return;
	for (k = 0; k < c->count; k++)
		put_elem(buf + k * c->size, sio_elem(ci, k, c->size, SIO_OUT),
			 c->size);
}

/* INS: element k (processing order) from the device is at sio_index(k). */
static void check_memory(unsigned int ci, const uint8_t *buf)
{
	const struct sio_case *c = &cases[ci];
	unsigned int k, idx;
	uint32_t want, got;

	for (k = 0; k < c->count; k++) {
		idx = sio_index(c, k);
		want = sio_elem(ci, k, c->size, SIO_IN);
		got = get_elem(buf + idx * c->size, c->size);
		if (got != want) {
			tst_res(TFAIL, "#%u %s count %u: element %u at buffer "
				"index %u: expected 0x%x, got 0x%x", ci,
				c->name, c->count, k, idx, want, got);
			return;
		}
	}
	tst_res(TPASS, "#%u %s count %u: memory holds the device's %u "
		"elements", ci, c->name, c->count, c->count);
}

static int guard_intact(const uint8_t *p)
{
	unsigned int i;

	for (i = 0; i < GUARD; i++) {
		if (p[i] != 0xcc)
			return 0;
	}
	return 1;
}

static void run_case(unsigned int ci)
{
	const struct sio_case *c = &cases[ci];
	uint8_t *buf = area + 2 * PAGE + c->offset;
	uint64_t bytes = (uint64_t)c->count * c->size;
	uint64_t start = (uintptr_t)buf + (c->df && c->count ?
					   bytes - c->size : 0);
	/* SDM: each iteration adds (DF=0) or subtracts (DF=1) the size. */
	uint64_t want_ptr = c->df ? start - bytes : start + bytes;
	struct sio_regs r = { .ptr = start, .rcx = c->count };
	const char *reg = c->dir == SIO_OUT ? "RSI" : "RDI";

	fill(ci, buf);
	kvm_outl(STR_CTRL, ci);
	rep_io(c->dir, c->size, c->df, &r);

	tst_res(r.rcx == 0 ? TPASS : TFAIL, "#%u %s count %u: RCX expected 0, "
		"got %llu", ci, c->name, c->count, (unsigned long long)r.rcx);
	tst_res(r.ptr == want_ptr ? TPASS : TFAIL, "#%u %s count %u: %s "
		"expected 0x%llx (start 0x%llx %c %llu), got 0x%llx", ci,
		c->name, c->count, reg, (unsigned long long)want_ptr,
		(unsigned long long)start, c->df ? '-' : '+',
		(unsigned long long)bytes, (unsigned long long)r.ptr);
	if (c->dir == SIO_IN) {
		check_memory(ci, buf);
		tst_res(guard_intact(buf - GUARD) && guard_intact(buf + bytes) ?
			TPASS : TFAIL, "#%u %s count %u: %u bytes before and "
			"after the buffer unchanged", ci, c->name, c->count,
			GUARD);
	}
}

/* The 4 KiB PTE of @addr (low 2 MiB: KVM_PT0_BASE maps them). */
static uint64_t *pte_of(uintptr_t addr)
{
	if (addr >= 0x200000)
		tst_brk(TBROK, "0x%lx is not in the 4 KiB-mapped low 2 MiB",
			(unsigned long)addr);
	return (uint64_t *)KVM_PT0_BASE + (addr >> 12);
}

static void set_present(uintptr_t addr, int present)
{
	uint64_t *pte = pte_of(addr);

	*pte = present ? *pte | 1 : *pte & ~1ULL;
	__asm__ __volatile__("invlpg (%0)" :: "r"(addr) : "memory");
}

#define REP_SAFE(insn, reg, r, at) \
	__asm__ __volatile__("lea 1f(%%rip), %2\n\t" \
			     KVM_ASM_SAFE("rep " insn) \
			     : "+" reg((r)->ptr), "+c"((r)->rcx), "=&r"(at) \
			     : "d"((uint16_t)STR_PORT) : "memory")

/* Returns the address of the REP instruction. */
static uintptr_t rep_io_safe(unsigned int dir, unsigned int size,
	struct sio_regs *r)
{
	uintptr_t at = 0;

	switch (dir * 8 + size) {
	case SIO_OUT * 8 + 1:
		REP_SAFE("outsb", "S", r, at);
		break;
	case SIO_OUT * 8 + 2:
		REP_SAFE("outsw", "S", r, at);
		break;
	case SIO_OUT * 8 + 4:
		REP_SAFE("outsl", "S", r, at);
		break;
	case SIO_IN * 8 + 1:
		REP_SAFE("insb", "D", r, at);
		break;
	case SIO_IN * 8 + 2:
		REP_SAFE("insw", "D", r, at);
		break;
	case SIO_IN * 8 + 4:
		REP_SAFE("insl", "D", r, at);
		break;
	}
	return at;
}

static void check_u64(unsigned int ci, const char *what, uint64_t want,
	uint64_t got)
{
	tst_res(want == got ? TPASS : TFAIL, "#%u %s count %u: %s expected "
		"0x%llx, got 0x%llx", ci, cases[ci].name, cases[ci].count,
		what, (unsigned long long)want, (unsigned long long)got);
}

static void run_fault_case(unsigned int ci)
{
	const struct sio_case *c = &cases[ci];
	uintptr_t bad = (uintptr_t)area + 2 * PAGE, at;
	uint8_t *buf = (uint8_t *)bad + c->offset;
	unsigned int done = sio_done(c), k;
	struct sio_regs r = { .ptr = (uintptr_t)buf, .rcx = c->count };
	uint64_t err_want = c->dir == SIO_IN ? X86_PF_W : 0;

	fill(ci, buf);
	kvm_outl(STR_CTRL, ci);
	set_present(bad, 0);
	kvm_exc_clear();
	at = rep_io_safe(c->dir, c->size, &r);
	set_present(bad, 1);

	check_u64(ci, "exception vector", X86_PF, kvm_exc_vector());
	check_u64(ci, "#PF error code P/W/U bits", err_want,
		  kvm_last_exc.errcode & (X86_PF_P | X86_PF_W | X86_PF_U));
	check_u64(ci, "CR2", bad, kvm_last_exc.cr2);
	check_u64(ci, "faulting RIP (the REP instruction)", at,
		  kvm_last_exc.rip);
	check_u64(ci, "RCX (elements left)", c->count - done, r.rcx);
	check_u64(ci, c->dir == SIO_OUT ? "RSI" : "RDI",
		  (uintptr_t)buf + done * c->size, r.ptr);
	for (k = 0; c->dir == SIO_IN && k < done; k++) {
		uint32_t want = sio_elem(ci, k, c->size, SIO_IN);

		if (get_elem(buf + k * c->size, c->size) != want)
			break;
	}
	if (c->dir == SIO_IN)
		tst_res(k == done ? TPASS : TFAIL, "#%u %s count %u: elements "
			"in memory before the fault: expected %u correct, got "
			"%u correct before the first wrong one", ci, c->name,
			c->count, done, k);
}

void main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].fault)
			run_fault_case(i);
		else
			run_case(i);
	}
	kvm_outl(STR_CTRL, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

#include <stdlib.h>

#define MAX_ELEMS	32768

struct sio_elem_rec {
	uint8_t size;
	uint8_t dir;
	uint32_t data;
};

/* What the device saw, per case: elements and KVM_EXIT_IO exits. */
struct sio_case_rec {
	unsigned int first;	/* index into elems[] */
	unsigned int count;
	unsigned int exits;
	unsigned int started;
};

static struct sio_elem_rec elems[MAX_ELEMS];
static unsigned int nr_elems, cur_case = ~0U;
static struct sio_case_rec recs[ARRAY_SIZE(cases)];
static unsigned long last_exit_seen;
static unsigned int stray;	/* elements outside any case */
static struct tst_kvm_instance inst;

static void add_elem(struct tst_kvm_instance *vm, unsigned int size,
	unsigned int dir, uint32_t data)
{
	struct sio_case_rec *r;

	if (cur_case >= ARRAY_SIZE(cases) || nr_elems >= MAX_ELEMS) {
		stray++;
		return;
	}
	r = &recs[cur_case];
	if (vm->exit_counts[KVM_EXIT_IO] != last_exit_seen) {
		last_exit_seen = vm->exit_counts[KVM_EXIT_IO];
		r->exits++;
	}
	elems[nr_elems++] = (struct sio_elem_rec) { size, dir, data };
	r->count++;
}

static enum tst_kvm_action dev_write(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	uint32_t v = 0;

	(void)opaque;
	memcpy(&v, data, len);
	if (offset == STR_CTRL - STR_PORT && len == 4) {
		cur_case = v;
		if (v < ARRAY_SIZE(cases)) {
			recs[v].first = nr_elems;
			recs[v].started = 1;
		}
		return TST_KVM_CONTINUE;
	}
	if (offset)
		tst_kvm_brk(vm, "string I/O device: %u-byte write at offset "
			    "%llu", len, (unsigned long long)offset);
	add_elem(vm, len, SIO_OUT, v);
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action dev_read(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	uint32_t v = 0;
	unsigned int k = cur_case < ARRAY_SIZE(cases) ?
			 recs[cur_case].count : 0;

	(void)opaque;
	if (offset)
		tst_kvm_brk(vm, "string I/O device: %u-byte read at offset "
			    "%llu", len, (unsigned long long)offset);
	if (cur_case < ARRAY_SIZE(cases))
		v = sio_elem(cur_case, k, len, SIO_IN);
	memcpy(data, &v, len);
	add_elem(vm, len, SIO_IN, v);
	return TST_KVM_CONTINUE;
}

static const struct tst_kvm_device device = {
	.name = "string I/O test device",
	.base = STR_PORT,
	.size = STR_DEV_SIZE,
	.read = dev_read,
	.write = dev_write,
};

/* The first element that differs from what case @ci should produce. */
static int first_bad_elem(unsigned int ci, char *buf, size_t len)
{
	const struct sio_case *c = &cases[ci];
	const struct sio_case_rec *r = &recs[ci];
	unsigned int k;

	for (k = 0; k < r->count && k < sio_done(c); k++) {
		const struct sio_elem_rec *e = &elems[r->first + k];
		uint32_t want = c->dir == SIO_OUT ?
			sio_elem(ci, sio_index(c, k), c->size, SIO_OUT) :
			e->data;

		if (e->size != c->size || e->dir != c->dir || e->data != want) {
			snprintf(buf, len, "element %u: expected %s size %u "
				 "data 0x%x, got %s size %u data 0x%x", k,
				 c->dir == SIO_OUT ? "OUT" : "IN", c->size,
				 want, e->dir == SIO_OUT ? "OUT" : "IN",
				 e->size, e->data);
			return 1;
		}
	}
	return 0;
}

/* INS faulting: one extra device read for the faulting element is OK. */
static void check_count(unsigned int ci)
{
	const struct sio_case *c = &cases[ci];
	const struct sio_case_rec *r = &recs[ci];
	unsigned int want = sio_done(c);

	if (c->fault && c->dir == SIO_IN) {
		tst_res(r->count == want || r->count == want + 1 ? TPASS :
			TFAIL, "#%u %s count %u: device saw %u elements, "
			"expected %u (or %u: the faulting element's read)", ci,
			c->name, c->count, r->count, want, want + 1);
		return;
	}
	tst_res(r->count == want ? TPASS : TFAIL, "#%u %s count %u: device "
		"saw %u elements, expected %u", ci, c->name, c->count,
		r->count, want);
}

static void check_case(unsigned int ci)
{
	const struct sio_case *c = &cases[ci];
	const struct sio_case_rec *r = &recs[ci];
	char bad[160];

	if (!r->started) {
		tst_res(TFAIL, "#%u %s count %u: the guest never started "
			"this case", ci, c->name, c->count);
		return;
	}
	check_count(ci);
	if (first_bad_elem(ci, bad, sizeof(bad)))
		tst_res(TFAIL, "#%u %s count %u: %s", ci, c->name, c->count,
			bad);
	else if (sio_done(c))
		tst_res(TPASS, "#%u %s count %u: every element %s, %u bytes, "
			"in %s order", ci, c->name, c->count,
			c->dir == SIO_OUT ? "carried the buffer's data" :
			"was a read", c->size,
			c->df ? "descending-address" : "ascending-address");
	tst_res(TINFO, "#%u %s count %u: KVM delivered %u elements in %u "
		"KVM_EXIT_IO exits", ci, c->name, c->count, r->count, r->exits);
}

static void run(void)
{
	unsigned int i;

	memset(recs, 0, sizeof(recs));
	nr_elems = stray = 0;
	cur_case = ~0U;
	last_exit_seen = 0;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_add_pio_device(&inst, &device);
	tst_kvm_run_instance(&inst);

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(i);
	tst_res(stray == 0 ? TPASS : TFAIL, "device saw %u elements outside "
		"the cases, expected 0", stray);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "rep outs/ins of bytes, words and dwords: every "
		       "element in order, RCX/RSI/RDI and memory as the SDM "
		       "says",
	.test_all = run,
	.timeout = 20,
};

#endif /* COMPILE_PAYLOAD */
