// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Port I/O of sizes 1, 2 and 4, OUT and IN, in both encodings: the
 * immediate form (imm8 port, SDM Vol. 2B "OUT"/"IN", opcodes E6/E7/E4/E5)
 * and the DX form (EE/EF/EC/ED). Two test devices on the port bus record
 * every access: one at 0x1200-0x123f (DX form only, ports above 0xff) and
 * one at 0xc0-0xcf (reachable with imm8). The guest runs the table below,
 * with ports at the start, middle (unaligned) and end of each range.
 *
 * Checked on the host: each access reached the device with the expected
 * port, size, direction and (for OUT) data, in order, and nothing else did.
 * Checked in the guest: each IN returns what the device computes from port
 * and size, merged into RAX by the operand-size rule (SDM Vol. 1 3.4.1.1):
 * IN AL / IN AX leave RAX[63:8] / RAX[63:16] unchanged, IN EAX
 * zero-extends into RAX[63:32].
 */
#include "kvm_test.h"

#define PIO_HIGH_BASE	0x1200
#define PIO_HIGH_SIZE	0x40
#define PIO_LOW_BASE	0xc0
#define PIO_LOW_SIZE	0x10

enum pio_dir { PIO_OUT, PIO_IN };
enum pio_form { FORM_DX, FORM_IMM };

struct pio_access {
	uint8_t dir;
	uint8_t form;
	uint8_t size;
	uint16_t port;
	uint32_t data;		/* OUT: value written; IN: unused */
};

#define OUT_DX(sz, p, d)	{ PIO_OUT, FORM_DX, sz, p, d }
#define IN_DX(sz, p)		{ PIO_IN, FORM_DX, sz, p, 0 }
#define OUT_IMM(sz, p, d)	{ PIO_OUT, FORM_IMM, sz, p, d }
#define IN_IMM(sz, p)		{ PIO_IN, FORM_IMM, sz, p, 0 }

/* The guest does these in order; the host expects exactly these. */
static const struct pio_access accesses[] = {
	/* High device, DX form: start, middle (unaligned), end. */
	OUT_DX(1, 0x1200, 0x5a),
	OUT_DX(2, 0x1200, 0xbeef),
	OUT_DX(4, 0x1200, 0xdeadbeef),
	OUT_DX(1, 0x1221, 0xa5),
	OUT_DX(2, 0x1221, 0x1234),
	OUT_DX(4, 0x1222, 0x87654321),
	OUT_DX(1, 0x123f, 0x3c),
	OUT_DX(2, 0x123e, 0xf00d),
	OUT_DX(4, 0x123c, 0x01020304),
	OUT_DX(4, 0x1210, 0xffffffff),
	OUT_DX(2, 0x1212, 0x0000),
	IN_DX(1, 0x1200),
	IN_DX(2, 0x1200),
	IN_DX(4, 0x1200),
	IN_DX(1, 0x1221),
	IN_DX(2, 0x1221),
	IN_DX(4, 0x1222),
	IN_DX(1, 0x123f),
	IN_DX(2, 0x123e),
	IN_DX(4, 0x123c),
	/* Low device, imm8 form: start, middle, end. */
	OUT_IMM(1, 0xc0, 0x11),
	OUT_IMM(2, 0xc6, 0x2233),
	OUT_IMM(4, 0xcc, 0x44556677),
	OUT_IMM(1, 0xcf, 0x88),
	IN_IMM(1, 0xc0),
	IN_IMM(2, 0xc6),
	IN_IMM(4, 0xcc),
	IN_IMM(1, 0xcf),
	/* Low device, DX form: the same ports without the immediate. */
	OUT_DX(2, 0xc6, 0x99aa),
	OUT_DX(4, 0xcc, 0xcafef00d),
	IN_DX(2, 0xc6),
	IN_DX(4, 0xcc),
};

/*
 * The device's answer to an IN: a byte pattern that depends on the port,
 * the size and the byte position, never 0x00 or 0xff in any byte, so a
 * missing or unclaimed access cannot pass for it.
 */
static inline uint32_t pio_in_value(uint16_t port, unsigned int size)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++) {
		uint32_t b = (port * 0x1dU + size * 0x43U + i * 0x65U) % 0xfdU;

		v |= (b + 1) << (8 * i);
	}
	return v;
}

static inline const char *dir_name(unsigned int dir)
{
	return dir == PIO_OUT ? "OUT" : "IN";
}

#ifdef COMPILE_PAYLOAD

#define RAX_SENTINEL	0x1122334455667788ULL

static void out_dx(uint16_t port, unsigned int size, uint32_t v)
{
	switch (size) {
	case 1:
		__asm__ __volatile__("outb %%al, %%dx" :: "a"(v), "d"(port));
		break;
	case 2:
		__asm__ __volatile__("outw %%ax, %%dx" :: "a"(v), "d"(port));
		break;
	default:
		__asm__ __volatile__("outl %%eax, %%dx" :: "a"(v), "d"(port));
		break;
	}
}

static uint64_t in_dx(uint16_t port, unsigned int size, uint64_t rax)
{
	switch (size) {
	case 1:
		__asm__ __volatile__("inb %%dx, %%al" : "+a"(rax) : "d"(port));
		break;
	case 2:
		__asm__ __volatile__("inw %%dx, %%ax" : "+a"(rax) : "d"(port));
		break;
	default:
		__asm__ __volatile__("inl %%dx, %%eax" : "+a"(rax) : "d"(port));
		break;
	}
	return rax;
}

/* The imm8 encodings need the port at compile time: one case per port. */
#define IMM_OUT_CASE(p) \
	case p: \
		if (size == 1) \
			asm volatile("outb %%al, %0" :: "i"(p), "a"(v)); \
		else if (size == 2) \
			asm volatile("outw %%ax, %0" :: "i"(p), "a"(v)); \
		else \
			asm volatile("outl %%eax, %0" :: "i"(p), "a"(v)); \
		return 0

#define IMM_IN_CASE(p) \
	case p: \
		if (size == 1) \
			asm volatile("inb %1, %%al" : "+a"(*rax) : "i"(p)); \
		else if (size == 2) \
			asm volatile("inw %1, %%ax" : "+a"(*rax) : "i"(p)); \
		else \
			asm volatile("inl %1, %%eax" : "+a"(*rax) : "i"(p)); \
		return 0

static int out_imm(uint16_t port, unsigned int size, uint32_t v)
{
	switch (port) {
	IMM_OUT_CASE(0xc0);
	IMM_OUT_CASE(0xc6);
	IMM_OUT_CASE(0xcc);
	IMM_OUT_CASE(0xcf);
	}
	return -1;
}

static int in_imm(uint16_t port, unsigned int size, uint64_t *rax)
{
	switch (port) {
	IMM_IN_CASE(0xc0);
	IMM_IN_CASE(0xc6);
	IMM_IN_CASE(0xcc);
	IMM_IN_CASE(0xcf);
	}
	return -1;
}

/*
 * RAX after an IN of @size bytes returning @v into RAX = @old
 * (SDM Vol. 1 3.4.1.1: 8/16-bit results keep the upper bits, 32-bit
 * results are zero-extended to 64 bits).
 */
static uint64_t merged_rax(uint64_t old, unsigned int size, uint32_t v)
{
	static const uint64_t keep[5] = {
		[1] = ~0xffULL, [2] = ~0xffffULL, [4] = 0,
	};

	return (old & keep[size]) | v;
}

static void do_in(unsigned int i, const struct pio_access *a)
{
	uint64_t rax = RAX_SENTINEL, want;
	const char *form = a->form == FORM_IMM ? "imm8" : "DX";

	if (a->form == FORM_IMM) {
		if (in_imm(a->port, a->size, &rax))
			tst_brk(TBROK, "#%u: no imm8 IN for port 0x%x", i,
				a->port);
	} else {
		rax = in_dx(a->port, a->size, rax);
	}
	want = merged_rax(RAX_SENTINEL, a->size, pio_in_value(a->port,
							       a->size));
	tst_res(rax == want ? TPASS : TFAIL,
		"IN #%u (%s) port 0x%x size %u: expected RAX 0x%016llx, "
		"got 0x%016llx", i, form, a->port, a->size,
		(unsigned long long)want, (unsigned long long)rax);
}

static void do_out(unsigned int i, const struct pio_access *a)
{
	if (a->form == FORM_DX)
		out_dx(a->port, a->size, a->data);
	else if (out_imm(a->port, a->size, a->data))
		tst_brk(TBROK, "#%u: no imm8 OUT for port 0x%x", i, a->port);
}

void main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(accesses); i++) {
		if (accesses[i].dir == PIO_OUT)
			do_out(i, &accesses[i]);
		else
			do_in(i, &accesses[i]);
	}
}

#else /* COMPILE_PAYLOAD */

struct pio_record {
	uint16_t port;
	uint8_t size;
	uint8_t dir;
	uint32_t data;
};

#define MAX_RECORDS 128

static struct pio_record records[MAX_RECORDS];
static unsigned int nr_records;
static struct tst_kvm_instance inst;

static void record(uint64_t base, uint64_t offset, unsigned int len,
	unsigned int dir, uint32_t data)
{
	if (nr_records < MAX_RECORDS)
		records[nr_records] = (struct pio_record) {
			.port = (uint16_t)(base + offset),
			.size = (uint8_t)len,
			.dir = (uint8_t)dir,
			.data = data,
		};
	nr_records++;
}

static enum tst_kvm_action dev_write(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	uint32_t v = 0;

	(void)vm;
	memcpy(&v, data, len < 4 ? len : 4);
	record((uintptr_t)opaque, offset, len, PIO_OUT, v);
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action dev_read(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	uint16_t port = (uint16_t)((uintptr_t)opaque + offset);
	uint32_t v = pio_in_value(port, len);

	(void)vm;
	memset(data, 0, len);
	memcpy(data, &v, len < 4 ? len : 4);
	record((uintptr_t)opaque, offset, len, PIO_IN, v);
	return TST_KVM_CONTINUE;
}

static const struct tst_kvm_device devices[] = {
	{
		.name = "pio test device (high)",
		.base = PIO_HIGH_BASE,
		.size = PIO_HIGH_SIZE,
		.read = dev_read,
		.write = dev_write,
		.opaque = (void *)(uintptr_t)PIO_HIGH_BASE,
	},
	{
		.name = "pio test device (imm8)",
		.base = PIO_LOW_BASE,
		.size = PIO_LOW_SIZE,
		.read = dev_read,
		.write = dev_write,
		.opaque = (void *)(uintptr_t)PIO_LOW_BASE,
	},
};

/*
 * One line per expected access. A port-I/O exit reports port, size,
 * direction and the OUT data (Documentation/virt/kvm/api.rst, KVM_EXIT_IO);
 * the device must see them as the instruction specified them.
 */
static void check_access(unsigned int i)
{
	const struct pio_access *a = &accesses[i];
	const struct pio_record *r = &records[i];
	int ok;

	if (i >= nr_records) {
		tst_res(TFAIL, "%s #%u: expected port 0x%x size %u data 0x%x, "
			"got no access", dir_name(a->dir), i, a->port, a->size,
			a->data);
		return;
	}
	ok = r->port == a->port && r->size == a->size && r->dir == a->dir;
	if (a->dir == PIO_OUT) {
		ok = ok && r->data == a->data;
		tst_res(ok ? TPASS : TFAIL, "OUT #%u: expected port 0x%x size "
			"%u data 0x%x, got %s port 0x%x size %u data 0x%x", i,
			a->port, a->size, a->data, dir_name(r->dir), r->port,
			r->size, r->data);
	} else {
		tst_res(ok ? TPASS : TFAIL, "IN #%u: expected port 0x%x size "
			"%u, got %s port 0x%x size %u (device answered 0x%x)",
			i, a->port, a->size, dir_name(r->dir), r->port,
			r->size, r->data);
	}
}

static void run(void)
{
	unsigned int i;

	nr_records = 0;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	for (i = 0; i < ARRAY_SIZE(devices); i++)
		tst_kvm_add_pio_device(&inst, &devices[i]);
	tst_kvm_run_instance(&inst);

	for (i = 0; i < ARRAY_SIZE(accesses); i++)
		check_access(i);
	tst_res(nr_records == ARRAY_SIZE(accesses) ? TPASS : TFAIL,
		"test devices saw %u accesses, expected %zu", nr_records,
		ARRAY_SIZE(accesses));
	tst_res(inst.pio.unclaimed_reads == 0 ? TPASS : TFAIL,
		"unclaimed port reads: expected 0, got %lu",
		inst.pio.unclaimed_reads);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "port I/O of 1/2/4 bytes, OUT and IN, imm8 and DX "
		       "forms, seen by a recording device",
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
