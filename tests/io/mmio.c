// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MMIO reads and writes of 1, 2, 4 and 8 bytes to a recording device at
 * MMIO_BASE (guest-physical memory above RAM, so every access is a
 * KVM_EXIT_MMIO, Documentation/virt/kvm/api.rst): MOV of each width
 * (aligned, unaligned, at the start, middle and end of the device), MOV
 * with an immediate, MOVZX/MOVSX loads, the MOV moffs64 forms (A1/A3),
 * read-modify-write instructions (ADD, XCHG, LOCK XADD, CMPXCHG equal and
 * not equal, BTS with a register bit offset outside the addressed
 * operand, also negative), MOVS/REP MOVS between RAM and MMIO and from
 * MMIO to MMIO, and REP STOS to MMIO.
 *
 * Checked on the host: the device saw exactly the accesses each
 * instruction implies (SDM Vol. 2): MOV/MOVZX/MOVSX are one access of the
 * operand size; ADD, XCHG, XADD, CMPXCHG and BTS read the memory operand,
 * then write the result, CMPXCHG also when not equal ("the destination
 * operand receives a write cycle without regard to the result of the
 * comparison"); BTS accesses EA + size * (BitOffset DIV bits); MOVS moves
 * one element from [RSI] to [RDI], STOS stores RAX at [RDI], REP repeats
 * RCX times in address order; each with the right address, size,
 * direction and written data. Checked in the guest: loaded values
 * (zero/sign extension, partial-register rules of SDM Vol. 1 3.4.1.1),
 * ADD's flags, the old value XCHG/XADD return, CMPXCHG's ZF and RAX,
 * BTS's CF, MOVS/STOS pointer and counter updates and RAM contents.
 */
#include "kvm_test.h"

#define MMIO_BASE	0x40000000ULL
#define MMIO_SIZE	0x1000

/* Operands of the fixed encodings (immediates, moffs64 addresses). */
#define IMM_B		0x7e
#define IMM_W		0x8421
#define IMM_L		0x13579bdf
#define IMM_Q		(-0x7fffffff)	/* imm32 0x80000001 */
#define MOFFS_W_OFF	0x280
#define MOFFS_R_OFF	0x288

enum mmio_kind {
	MOV_W,		/* mov %reg, mem */
	MOV_IMM_W,	/* mov $imm, mem (8 bytes: imm32 sign-extended) */
	MOV_R,		/* mov mem, %reg */
	MOVZX_R,	/* movzb/movzw mem, %reg */
	MOVSX_R,	/* movsb/movsw/movsl mem, %r64 */
	MOVABS_W,	/* mov %rax, moffs64 (A3) */
	MOVABS_R,	/* mov moffs64, %rax (A1) */
	ADD_RMW,	/* add %reg, mem */
	XCHG_RMW,	/* xchg %reg, mem */
	XADD_RMW,	/* lock xadd %reg, mem */
	CMPXCHG_EQ,	/* cmpxchg, RAX equal to memory */
	CMPXCHG_NE,	/* cmpxchg, RAX not equal to memory */
	BTS_RMW,	/* bts %reg, mem: data is the signed bit offset */
	MOVS_TO,	/* movs: RAM -> MMIO */
	MOVS_FROM,	/* movs: MMIO -> RAM */
	REP_MOVS_TO,	/* rep movs: RAM -> MMIO */
	REP_MOVS_FROM,	/* rep movs: MMIO -> RAM */
	MOVS_MM,	/* movs: MMIO -> MMIO (+MOVS_MM_DIST) */
	REP_STOS,	/* rep stos: RAX -> MMIO */
	NR_KINDS
};

static const char *const kind_names[NR_KINDS] = {
	[MOV_W] = "mov write",
	[MOV_IMM_W] = "mov $imm write",
	[MOV_R] = "mov read",
	[MOVZX_R] = "movzx read",
	[MOVSX_R] = "movsx read",
	[MOVABS_W] = "mov moffs64 write",
	[MOVABS_R] = "mov moffs64 read",
	[ADD_RMW] = "add to MMIO",
	[XCHG_RMW] = "xchg with MMIO",
	[XADD_RMW] = "lock xadd to MMIO",
	[CMPXCHG_EQ] = "cmpxchg (equal) with MMIO",
	[CMPXCHG_NE] = "cmpxchg (not equal) with MMIO",
	[BTS_RMW] = "bts reg, MMIO",
	[MOVS_TO] = "movs RAM->MMIO",
	[MOVS_FROM] = "movs MMIO->RAM",
	[REP_MOVS_TO] = "rep movs RAM->MMIO",
	[REP_MOVS_FROM] = "rep movs MMIO->RAM",
	[MOVS_MM] = "movs MMIO->MMIO",
	[REP_STOS] = "rep stos to MMIO",
};

#define MOVS_MM_DIST	0x80	/* destination - source of MOVS_MM */

struct mmio_op {
	uint8_t kind;
	uint8_t size;
	uint8_t count;		/* REP_MOVS_*: RCX */
	uint16_t off;
	uint64_t data;		/* written value, imm32 or addend */
};

static const struct mmio_op ops[] = {
	{ MOV_W, 1, 1, 0x000, 0x5a },
	{ MOV_W, 2, 1, 0x010, 0xbeef },
	{ MOV_W, 4, 1, 0x020, 0xdeadbeef },
	{ MOV_W, 8, 1, 0x030, 0x0123456789abcdefULL },
	{ MOV_W, 4, 1, 0x043, 0x11223344 },
	{ MOV_W, 8, 1, 0x7fb, 0xfedcba9876543210ULL },
	{ MOV_W, 8, 1, 0xff8, 0x8000000000000001ULL },
	{ MOV_W, 1, 1, 0xfff, 0xa5 },
	{ MOV_R, 1, 1, 0x000, 0 },
	{ MOV_R, 2, 1, 0x012, 0 },
	{ MOV_R, 4, 1, 0x024, 0 },
	{ MOV_R, 8, 1, 0x038, 0 },
	{ MOV_R, 8, 1, 0x805, 0 },
	{ MOV_R, 2, 1, 0x7ff, 0 },
	{ MOV_R, 4, 1, 0xffc, 0 },
	{ MOV_R, 1, 1, 0xfff, 0 },
	{ MOVZX_R, 1, 1, 0x101, 0 },
	{ MOVZX_R, 2, 1, 0x102, 0 },
	{ MOVSX_R, 1, 1, 0x105, 0 },
	{ MOVSX_R, 2, 1, 0x106, 0 },
	{ MOVSX_R, 4, 1, 0x108, 0 },
	{ MOV_IMM_W, 1, 1, 0x200, IMM_B },
	{ MOV_IMM_W, 2, 1, 0x202, IMM_W },
	{ MOV_IMM_W, 4, 1, 0x204, IMM_L },
	{ MOV_IMM_W, 8, 1, 0x208, (uint32_t)IMM_Q },
	{ MOVABS_W, 4, 1, MOFFS_W_OFF, 0xabcdef01 },
	{ MOVABS_R, 8, 1, MOFFS_R_OFF, 0 },
	{ ADD_RMW, 1, 1, 0x311, 0x90 },
	{ ADD_RMW, 2, 1, 0x312, 0x0001 },
	{ ADD_RMW, 4, 1, 0x314, 0x7fffffff },
	{ ADD_RMW, 8, 1, 0x318, 0x8000000000000001ULL },
	{ XCHG_RMW, 8, 1, 0x400, 0x0badc0ffee0ddf00ULL },
	{ XCHG_RMW, 2, 1, 0x40a, 0x4321 },
	{ XADD_RMW, 4, 1, 0x410, 0x01010101 },
	{ XADD_RMW, 8, 1, 0x418, 0xf000000000000001ULL },
	{ CMPXCHG_EQ, 8, 1, 0x420, 0x1234567890abcdefULL },
	{ CMPXCHG_EQ, 2, 1, 0x42a, 0x7777 },
	{ CMPXCHG_NE, 8, 1, 0x430, 0x1234567890abcdefULL },
	{ CMPXCHG_NE, 2, 1, 0x43a, 0x7777 },
	{ CMPXCHG_NE, 4, 1, 0x43c, 0x55555555 },
	{ BTS_RMW, 4, 1, 0x440, 3 },
	{ BTS_RMW, 4, 1, 0x440, 35 },
	{ BTS_RMW, 8, 1, 0x460, 130 },
	{ BTS_RMW, 8, 1, 0x460, (uint64_t)-5 },
	{ BTS_RMW, 4, 1, 0x480, (uint64_t)-33 },
	{ MOVS_TO, 8, 1, 0x500, 0x1122334455667788ULL },
	{ MOVS_TO, 1, 1, 0x50f, 0x99 },
	{ MOVS_FROM, 4, 1, 0x510, 0 },
	{ MOVS_FROM, 2, 1, 0x51e, 0 },
	{ REP_MOVS_TO, 2, 3, 0x600, 0x0102 },
	{ REP_MOVS_TO, 8, 2, 0x610, 0x0a0b0c0d0e0f1011ULL },
	{ REP_MOVS_FROM, 4, 3, 0x620, 0 },
	{ REP_MOVS_FROM, 1, 5, 0x631, 0 },
	{ MOVS_MM, 4, 1, 0x700, 0 },
	{ MOVS_MM, 8, 1, 0x708, 0 },
	{ REP_STOS, 4, 3, 0x900, 0x5eed5eed },
	{ REP_STOS, 8, 2, 0x910, 0x0102030405060708ULL },
};

static inline uint64_t size_mask(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/*
 * What the device returns for a read of @len bytes at @off: bytes that
 * depend on address and length; bytes at odd addresses have bit 7 set so
 * sign extension of any load ending at an odd address is visible.
 */
static inline uint64_t mmio_value(unsigned int off, unsigned int len)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int a = off + i;
		uint64_t b = ((a * 0x9dU + len * 0x3bU) & 0x7f) |
			     ((a & 1) ? 0x80 : 0);

		v |= b << (8 * i);
	}
	return v;
}

/* Value of element @i of a REP MOVS RAM source. */
static inline uint64_t rep_elem(const struct mmio_op *op, unsigned int i)
{
	return (op->data + i * 0x1111111111111111ULL) & size_mask(op->size);
}

/*
 * BT/BTS with a register bit offset and a memory operand (SDM Vol. 2A
 * "BT"): the offset is signed, the operand accessed lies at
 * EA + (operand size) * (BitOffset DIV operand bits), floor division, and
 * the bit within it is BitOffset MOD operand bits.
 */
static inline int64_t bts_index(const struct mmio_op *op)
{
	int64_t bits = 8 * op->size;
	int64_t off = op->size == 4 ? (int32_t)op->data : (int64_t)op->data;

	return off >= 0 ? off / bits : -((-off + bits - 1) / bits);
}

static inline unsigned int bts_offset(const struct mmio_op *op)
{
	return (unsigned int)(op->off + bts_index(op) * op->size);
}

static inline unsigned int bts_bit(const struct mmio_op *op)
{
	int64_t off = op->size == 4 ? (int32_t)op->data : (int64_t)op->data;

	return (unsigned int)(off - bts_index(op) * 8 * op->size);
}

struct mmio_acc {
	uint16_t off;
	uint8_t len;
	uint8_t write;
	uint64_t data;
};

#define MAX_ACC_PER_OP 8

/* The bus accesses @op implies, in order (see the comment at the top). */
static inline unsigned int mmio_expect(const struct mmio_op *op,
	struct mmio_acc *out)
{
	unsigned int n = 0, i, sz = op->size;
	uint64_t old = mmio_value(op->off, sz), m = size_mask(sz);

	switch (op->kind) {
	case MOV_W:
	case MOVABS_W:
	case MOVS_TO:
		out[n++] = (struct mmio_acc) { op->off, sz, 1, op->data & m };
		break;
	case MOV_IMM_W:	/* SDM MOV C7 /0: imm32 sign-extended to 64 bits */
		out[n++] = (struct mmio_acc) { op->off, sz, 1,
			sz == 8 ? (uint64_t)(int64_t)(int32_t)op->data :
			op->data & m };
		break;
	case MOV_R:
	case MOVZX_R:
	case MOVSX_R:
	case MOVABS_R:
	case MOVS_FROM:
		out[n++] = (struct mmio_acc) { op->off, sz, 0, old };
		break;
	case ADD_RMW:
		out[n++] = (struct mmio_acc) { op->off, sz, 0, old };
		out[n++] = (struct mmio_acc) { op->off, sz, 1,
					       (old + op->data) & m };
		break;
	case XCHG_RMW:
	case CMPXCHG_EQ:	/* SDM CMPXCHG: equal: DEST <- SRC */
		out[n++] = (struct mmio_acc) { op->off, sz, 0, old };
		out[n++] = (struct mmio_acc) { op->off, sz, 1, op->data & m };
		break;
	case CMPXCHG_NE:	/* "the destination operand receives a write
				 * cycle without regard to the result" */
		out[n++] = (struct mmio_acc) { op->off, sz, 0, old };
		out[n++] = (struct mmio_acc) { op->off, sz, 1, old };
		break;
	case XADD_RMW:		/* SDM XADD: DEST <- DEST + SRC */
		out[n++] = (struct mmio_acc) { op->off, sz, 0, old };
		out[n++] = (struct mmio_acc) { op->off, sz, 1,
					       (old + op->data) & m };
		break;
	case BTS_RMW: {
		/* SDM BT: the operand at EA + size * (BitOffset DIV bits) */
		unsigned int o = bts_offset(op);

		old = mmio_value(o, sz);
		out[n++] = (struct mmio_acc) { o, sz, 0, old };
		out[n++] = (struct mmio_acc) { o, sz, 1,
					       old | 1ULL << bts_bit(op) };
		break;
	}
	case MOVS_MM:	/* SDM MOVS: read [RSI], then write [RDI] */
		out[n++] = (struct mmio_acc) { op->off, sz, 0, old };
		out[n++] = (struct mmio_acc) { op->off + MOVS_MM_DIST, sz, 1,
					       old };
		break;
	case REP_STOS:	/* SDM STOS: RCX stores of RAX, ascending */
		for (i = 0; i < op->count && n < MAX_ACC_PER_OP; i++)
			out[n++] = (struct mmio_acc) { op->off + i * sz, sz, 1,
						       op->data & m };
		break;
	case REP_MOVS_TO:
	case REP_MOVS_FROM:
		for (i = 0; i < op->count && n < MAX_ACC_PER_OP; i++) {
			unsigned int o = op->off + i * sz;
			int w = op->kind == REP_MOVS_TO;

			out[n++] = (struct mmio_acc) { o, sz, w,
				w ? rep_elem(op, i) : mmio_value(o, sz) };
		}
		break;
	}
	return n;
}

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define RAX_SENTINEL	0x1122334455667788ULL

static void *mmio(unsigned int off)
{
	return (void *)(uintptr_t)(MMIO_BASE + off);
}

#define SIZED_ASM(size, b, w, l, q, ...) do { \
	switch (size) { \
	case 1: __asm__ __volatile__(b __VA_ARGS__); break; \
	case 2: __asm__ __volatile__(w __VA_ARGS__); break; \
	case 4: __asm__ __volatile__(l __VA_ARGS__); break; \
	default: __asm__ __volatile__(q __VA_ARGS__); break; \
	} \
} while (0)

static void mov_write(const struct mmio_op *op)
{
	SIZED_ASM(op->size, "movb %b0, (%1)", "movw %w0, (%1)",
		  "movl %k0, (%1)", "movq %0, (%1)",
		  :: "r"(op->data), "r"(mmio(op->off)) : "memory");
}

static void mov_imm_write(const struct mmio_op *op)
{
	SIZED_ASM(op->size, "movb %1, (%0)", "movw %2, (%0)",
		  "movl %3, (%0)", "movq %4, (%0)",
		  :: "r"(mmio(op->off)), "i"(IMM_B), "i"(IMM_W), "i"(IMM_L),
		  "i"(IMM_Q) : "memory");
}

/* Loads into RAX preloaded with RAX_SENTINEL. */
static uint64_t mov_read(const struct mmio_op *op)
{
	uint64_t rax = RAX_SENTINEL;

	SIZED_ASM(op->size, "movb (%1), %%al", "movw (%1), %%ax",
		  "movl (%1), %%eax", "movq (%1), %%rax",
		  : "+a"(rax) : "r"(mmio(op->off)) : "memory");
	return rax;
}

static uint64_t movzx_read(const struct mmio_op *op)
{
	uint64_t rax = RAX_SENTINEL;

	if (op->size == 1)
		__asm__ __volatile__("movzbl (%1), %%eax" : "+a"(rax)
				     : "r"(mmio(op->off)) : "memory");
	else
		__asm__ __volatile__("movzwl (%1), %%eax" : "+a"(rax)
				     : "r"(mmio(op->off)) : "memory");
	return rax;
}

static uint64_t movsx_read(const struct mmio_op *op)
{
	uint64_t rax = RAX_SENTINEL;

	SIZED_ASM(op->size, "movsbq (%1), %%rax", "movswq (%1), %%rax",
		  "movslq (%1), %%rax", "movq (%1), %%rax",
		  : "+a"(rax) : "r"(mmio(op->off)) : "memory");
	return rax;
}

static void movabs_write(const struct mmio_op *op)
{
	/* A3: the 64-bit absolute address is part of the instruction. */
	__asm__ __volatile__("movabsl %%eax, %c1" :: "a"(op->data),
			     "i"(MMIO_BASE + MOFFS_W_OFF) : "memory");
}

static uint64_t movabs_read(const struct mmio_op *op)
{
	uint64_t rax = RAX_SENTINEL;

	(void)op;
	__asm__ __volatile__("movabsq %c1, %%rax" : "+a"(rax)
			     : "i"(MMIO_BASE + MOFFS_R_OFF) : "memory");
	return rax;
}

static uint64_t add_rmw(const struct mmio_op *op)
{
	uint64_t flags;

	SIZED_ASM(op->size, "addb %b1, (%2)\n\tpushfq\n\tpopq %0",
		  "addw %w1, (%2)\n\tpushfq\n\tpopq %0",
		  "addl %k1, (%2)\n\tpushfq\n\tpopq %0",
		  "addq %1, (%2)\n\tpushfq\n\tpopq %0",
		  : "=r"(flags) : "r"(op->data), "r"(mmio(op->off))
		  : "memory", "cc");
	return flags;
}

static uint64_t xchg_rmw(const struct mmio_op *op)
{
	uint64_t rax = op->data;

	SIZED_ASM(op->size, "xchgb %%al, (%1)", "xchgw %%ax, (%1)",
		  "xchgl %%eax, (%1)", "xchgq %%rax, (%1)",
		  : "+a"(rax) : "r"(mmio(op->off)) : "memory");
	return rax;
}

static uint64_t xadd_rmw(const struct mmio_op *op)
{
	uint64_t v = op->data;

	if (op->size == 4)
		__asm__ __volatile__("lock xaddl %k0, (%1)" : "+r"(v)
				     : "r"(mmio(op->off)) : "memory");
	else
		__asm__ __volatile__("lock xaddq %0, (%1)" : "+r"(v)
				     : "r"(mmio(op->off)) : "memory");
	return v;
}

/* CMPXCHG with RAX = @rax; returns RAX after it, ZF in *zf. */
static uint64_t cmpxchg(const struct mmio_op *op, uint64_t rax, int *zf)
{
	uint8_t z;

	SIZED_ASM(op->size, "cmpxchgb %b2, (%3)", "cmpxchgw %w2, (%3)",
		  "cmpxchgl %k2, (%3)", "cmpxchgq %2, (%3)",
		  : "+a"(rax), "=@ccz"(z) : "r"(op->data),
		  "r"(mmio(op->off)) : "memory");
	*zf = z;
	return rax;
}

/* BTS with the bit offset in a register; returns CF (the old bit). */
static int bts(const struct mmio_op *op)
{
	uint8_t cf;

	if (op->size == 4)
		__asm__ __volatile__("btsl %k1, (%2)" : "=@ccc"(cf)
				     : "r"(op->data), "r"(mmio(op->off))
				     : "memory");
	else
		__asm__ __volatile__("btsq %1, (%2)" : "=@ccc"(cf)
				     : "r"(op->data), "r"(mmio(op->off))
				     : "memory");
	return cf;
}

struct movs_regs {
	uint64_t rsi, rdi, rcx;
};

static void movs(unsigned int size, int rep, struct movs_regs *r)
{
	if (rep)
		SIZED_ASM(size, "rep movsb", "rep movsw", "rep movsl",
			  "rep movsq", : "+S"(r->rsi), "+D"(r->rdi),
			  "+c"(r->rcx) :: "memory");
	else
		SIZED_ASM(size, "movsb", "movsw", "movsl", "movsq",
			  : "+S"(r->rsi), "+D"(r->rdi) :: "memory");
}

/* RAX after a load of @size bytes (SDM Vol. 1 3.4.1.1). */
static uint64_t merged(uint64_t old, unsigned int size, uint64_t v)
{
	if (size == 1 || size == 2)
		return (old & ~size_mask(size)) | v;
	return v;	/* 32-bit results are zero-extended, 64 are whole */
}

static uint64_t sign_extend(uint64_t v, unsigned int size)
{
	unsigned int shift = 64 - 8 * size;

	return (uint64_t)((int64_t)(v << shift) >> shift);
}

static void report_value(unsigned int i, const struct mmio_op *op,
	const char *what, uint64_t want, uint64_t got)
{
	tst_res(want == got ? TPASS : TFAIL, "op #%u %s %u bytes at +0x%x: "
		"%s expected 0x%016llx, got 0x%016llx", i, kind_names[op->kind],
		op->size, op->off, what, (unsigned long long)want,
		(unsigned long long)got);
}

/* SDM ADD "Flags Affected": CF, ZF, SF, OF from the result. */
static uint64_t add_flags(uint64_t a, uint64_t b, unsigned int size)
{
	uint64_t m = size_mask(size), sign = 1ULL << (8 * size - 1);
	uint64_t r = (a + b) & m, f = 0;

	if (r < a)
		f |= X86_RFLAGS_CF;
	if (!r)
		f |= X86_RFLAGS_ZF;
	if (r & sign)
		f |= X86_RFLAGS_SF;
	if (~(a ^ b) & (a ^ r) & sign)
		f |= X86_RFLAGS_OF;
	return f;
}

#define ADD_FLAGS (X86_RFLAGS_CF | X86_RFLAGS_ZF | X86_RFLAGS_SF | \
		   X86_RFLAGS_OF)

static uint8_t ram_buf[64] __attribute__((aligned(16)));

static void check_movs(unsigned int i, const struct mmio_op *op)
{
	int to = op->kind == MOVS_TO || op->kind == REP_MOVS_TO;
	int rep = op->kind == REP_MOVS_TO || op->kind == REP_MOVS_FROM;
	unsigned int n = rep ? op->count : 1, k;
	uint64_t ram = (uintptr_t)ram_buf, dev = MMIO_BASE + op->off;
	struct movs_regs r = { to ? ram : dev, to ? dev : ram, n };
	uint64_t bytes = (uint64_t)n * op->size;

	memset(ram_buf, 0xcc, sizeof(ram_buf));
	for (k = 0; to && k < n; k++) {
		uint64_t v = rep ? rep_elem(op, k) : op->data;

		memcpy(ram_buf + k * op->size, &v, op->size);
	}
	movs(op->size, rep, &r);

	/* SDM MOVS: RSI and RDI advance by the element size (DF=0). */
	report_value(i, op, "RSI", (to ? ram : dev) + bytes, r.rsi);
	report_value(i, op, "RDI", (to ? dev : ram) + bytes, r.rdi);
	if (rep)
		report_value(i, op, "RCX", 0, r.rcx);
	for (k = 0; !to && k < n; k++) {
		uint64_t got = 0;
		char what[32];

		memcpy(&got, ram_buf + k * op->size, op->size);
		snprintf(what, sizeof(what), "RAM element %u", k);
		report_value(i, op, what,
			     mmio_value(op->off + k * op->size, op->size), got);
	}
}

static void check_movs_mm(unsigned int i, const struct mmio_op *op)
{
	uint64_t src = MMIO_BASE + op->off, dst = src + MOVS_MM_DIST;
	struct movs_regs r = { src, dst, 0 };

	movs(op->size, 0, &r);
	report_value(i, op, "RSI", src + op->size, r.rsi);
	report_value(i, op, "RDI", dst + op->size, r.rdi);
}

static void check_stos(unsigned int i, const struct mmio_op *op)
{
	uint64_t dst = MMIO_BASE + op->off, rcx = op->count;

	SIZED_ASM(op->size, "rep stosb", "rep stosw", "rep stosl",
		  "rep stosq", : "+D"(dst), "+c"(rcx) : "a"(op->data)
		  : "memory");
	/* SDM STOS: RDI advances by the element size per iteration. */
	report_value(i, op, "RDI", MMIO_BASE + op->off +
		     (uint64_t)op->count * op->size, dst);
	report_value(i, op, "RCX", 0, rcx);
}

static void check_cmpxchg(unsigned int i, const struct mmio_op *op,
	uint64_t old)
{
	int eq = op->kind == CMPXCHG_EQ, zf;
	uint64_t rax = eq ? (RAX_SENTINEL & ~size_mask(op->size)) | old :
		       RAX_SENTINEL;
	uint64_t got = cmpxchg(op, rax, &zf);

	/* SDM CMPXCHG: ZF = equal; not equal: accumulator <- DEST. */
	report_value(i, op, "ZF", eq, zf);
	report_value(i, op, "RAX", eq ? rax : merged(rax, op->size, old), got);
}

static void run_op(unsigned int i, const struct mmio_op *op)
{
	uint64_t old = mmio_value(op->off, op->size), m = size_mask(op->size);

	switch (op->kind) {
	case MOV_W:
		mov_write(op);
		break;
	case MOV_IMM_W:
		mov_imm_write(op);
		break;
	case MOVABS_W:
		movabs_write(op);
		break;
	case MOV_R:
		report_value(i, op, "RAX", merged(RAX_SENTINEL, op->size, old),
			     mov_read(op));
		break;
	case MOVABS_R:
		report_value(i, op, "RAX", old, movabs_read(op));
		break;
	case MOVZX_R:	/* SDM MOVZX: zero-extended; 32-bit dest clears 63:32 */
		report_value(i, op, "RAX", old, movzx_read(op));
		break;
	case MOVSX_R:	/* SDM MOVSX/MOVSXD: sign-extended to 64 bits */
		report_value(i, op, "RAX", sign_extend(old, op->size),
			     movsx_read(op));
		break;
	case ADD_RMW:
		report_value(i, op, "RFLAGS.CF/ZF/SF/OF",
			     add_flags(old, op->data & m, op->size),
			     add_rmw(op) & ADD_FLAGS);
		break;
	case XCHG_RMW:	/* SDM XCHG: the register gets the old memory value */
		report_value(i, op, "RAX", merged(op->data, op->size, old),
			     xchg_rmw(op));
		break;
	case XADD_RMW:	/* SDM XADD: the register gets the old value */
		report_value(i, op, "source register", old, xadd_rmw(op));
		break;
	case CMPXCHG_EQ:
	case CMPXCHG_NE:
		check_cmpxchg(i, op, old);
		break;
	case BTS_RMW:	/* SDM BTS: CF <- the selected bit before setting */
		report_value(i, op, "CF",
			     mmio_value(bts_offset(op), op->size) >>
			     bts_bit(op) & 1, bts(op));
		break;
	case MOVS_MM:
		check_movs_mm(i, op);
		break;
	case REP_STOS:
		check_stos(i, op);
		break;
	default:
		check_movs(i, op);
		break;
	}
}

void main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		run_op(i, &ops[i]);
}

#else /* COMPILE_PAYLOAD */

#define MAX_RECORDS	256

static struct mmio_acc records[MAX_RECORDS];
static unsigned int nr_records;
static struct tst_kvm_instance inst;

static void record(uint64_t offset, unsigned int len, int write,
	uint64_t data)
{
	if (nr_records < MAX_RECORDS)
		records[nr_records] = (struct mmio_acc) {
			(uint16_t)offset, (uint8_t)len, (uint8_t)write, data,
		};
	nr_records++;
}

static enum tst_kvm_action dev_write(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	uint64_t v = 0;

	(void)vm;
	(void)opaque;
	memcpy(&v, data, len);
	record(offset, len, 1, v);
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action dev_read(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	uint64_t v = mmio_value(offset, len);

	(void)vm;
	(void)opaque;
	memcpy(data, &v, len);
	record(offset, len, 0, v);
	return TST_KVM_CONTINUE;
}

static const struct tst_kvm_device device = {
	.name = "MMIO test device",
	.base = MMIO_BASE,
	.size = MMIO_SIZE,
	.read = dev_read,
	.write = dev_write,
};

static const char *dir_name(int write)
{
	return write ? "write" : "read";
}

/*
 * One line per expected access of op @i; @next is the first record not
 * yet matched. KVM_EXIT_MMIO reports address, length, direction and the
 * written bytes (api.rst); the device sees them as the SDM says.
 */
static unsigned int check_op(unsigned int i, unsigned int next)
{
	const struct mmio_op *op = &ops[i];
	struct mmio_acc want[MAX_ACC_PER_OP];
	unsigned int n = mmio_expect(op, want), k;

	for (k = 0; k < n; k++, next++) {
		const struct mmio_acc *w = &want[k];
		const struct mmio_acc *g = &records[next];

		if (next >= nr_records || next >= MAX_RECORDS) {
			tst_res(TFAIL, "op #%u %s access %u: expected %s +0x%x "
				"size %u data 0x%llx, got no access", i,
				kind_names[op->kind], k, dir_name(w->write),
				w->off, w->len, (unsigned long long)w->data);
			continue;
		}
		tst_res(g->off == w->off && g->len == w->len &&
			g->write == w->write && g->data == w->data ?
			TPASS : TFAIL, "op #%u %s access %u: expected %s +0x%x "
			"size %u data 0x%llx, got %s +0x%x size %u data 0x%llx",
			i, kind_names[op->kind], k, dir_name(w->write), w->off,
			w->len, (unsigned long long)w->data,
			dir_name(g->write), g->off, g->len,
			(unsigned long long)g->data);
	}
	return next;
}

static void run(void)
{
	unsigned int i, next = 0, total = 0;
	struct mmio_acc tmp[MAX_ACC_PER_OP];

	nr_records = 0;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_add_mmio_device(&inst, &device);
	tst_kvm_run_instance(&inst);

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		next = check_op(i, next);
		total += mmio_expect(&ops[i], tmp);
	}
	tst_res(nr_records == total ? TPASS : TFAIL, "MMIO device saw %u "
		"accesses, expected %u", nr_records, total);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "MMIO of 1/2/4/8 bytes: mov, movzx/movsx, moffs, add, "
		       "xchg and movs, seen by a recording device",
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
