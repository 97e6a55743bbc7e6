// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Accesses nothing decodes. The platform rule (host/bus.c): a read that no
 * device claims returns all-ones, as on a PC bus where nothing drives the
 * data lines; a write no device claims is dropped with a TWARN naming the
 * data, size, bus and address (the first 8 per run, the 8th saying that
 * further ones are not shown). A device claims an access only if all its
 * bytes lie in [base, base + size), so an access straddling a device's end
 * is unclaimed too.
 *
 * Mode READS (in this process): MMIO reads of 1/2/4/8 bytes (the first
 * byte after RAM, the middle of the hole, the last qword of the 2 GiB
 * identity map, straddling a device's end), port reads of 1/2/4 bytes
 * (also straddling a device) and REP INSW from an unclaimed port. The
 * guest checks every value (all-ones, merged into RAX by SDM Vol. 1
 * 3.4.1.1); the host checks the unclaimed-read counters and that the
 * neighbouring devices saw nothing.
 *
 * Modes MMIO_WRITE and PORT_WRITE (in a child, tst_kvm_expect_verdict):
 * the run ends with the precise TWARN lines, and the guest goes on after
 * each dropped write.
 */
#include "kvm_test.h"

#define MODE_READS	0
#define MODE_MMIO_WRITE	1
#define MODE_PORT_WRITE	2

#define RAM_END		0x01000000ULL	/* DEFAULT_RAM_SIZE */
#define HOLE		0x40001000ULL
#define MAP_END		0x80000000ULL	/* KVM_IDENTITY_MAP_SIZE */
#define MMIO_DEV	0x40002000ULL	/* 4-byte device for straddling */
#define MMIO_DEV_SIZE	4
#define PORT_HOLE	0x1400
#define PORT_DEV	0x1500		/* 2-port device for straddling */
#define PORT_DEV_SIZE	2
#define INSW_COUNT	3
#define NR_WRITES	10		/* more than the 8 warnings shown */

enum bus { BUS_MMIO, BUS_PORT };

struct unclaimed_read {
	uint8_t bus;
	uint8_t size;
	uint64_t addr;
	const char *where;
};

static const struct unclaimed_read reads[] = {
	{ BUS_MMIO, 1, RAM_END, "first byte after RAM" },
	{ BUS_MMIO, 2, HOLE + 0x2, "MMIO hole" },
	{ BUS_MMIO, 4, HOLE + 0x4, "MMIO hole" },
	{ BUS_MMIO, 8, HOLE + 0x8, "MMIO hole" },
	{ BUS_MMIO, 8, HOLE + 0x13, "MMIO hole, unaligned" },
	{ BUS_MMIO, 8, MAP_END - 8, "last qword of the identity map" },
	{ BUS_MMIO, 4, MMIO_DEV + 2, "straddling the end of a device" },
	{ BUS_PORT, 1, PORT_HOLE, "unused port" },
	{ BUS_PORT, 2, PORT_HOLE + 2, "unused port" },
	{ BUS_PORT, 4, PORT_HOLE + 4, "unused port" },
	{ BUS_PORT, 1, 0x80, "unused port below 0x100" },
	{ BUS_PORT, 4, 0xfffc, "last dword of the port space" },
	{ BUS_PORT, 2, PORT_DEV + 1, "straddling the end of a device" },
};

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

#define RAX_SENTINEL	0x0123456789abcdefULL

static uint64_t mmio_read(uint64_t addr, unsigned int size)
{
	uint64_t rax = RAX_SENTINEL;
	volatile void *p = (volatile void *)(uintptr_t)addr;

	switch (size) {
	case 1:
		__asm__ __volatile__("movb (%1), %%al" : "+a"(rax) : "r"(p));
		break;
	case 2:
		__asm__ __volatile__("movw (%1), %%ax" : "+a"(rax) : "r"(p));
		break;
	case 4:
		__asm__ __volatile__("movl (%1), %%eax" : "+a"(rax) : "r"(p));
		break;
	default:
		__asm__ __volatile__("movq (%1), %%rax" : "+a"(rax) : "r"(p));
		break;
	}
	return rax;
}

static uint64_t port_read(uint16_t port, unsigned int size)
{
	uint64_t rax = RAX_SENTINEL;

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

/*
 * All-ones of @size bytes loaded into RAX = RAX_SENTINEL: 8/16-bit loads
 * keep RAX's upper bits, 32-bit loads zero-extend (SDM Vol. 1 3.4.1.1).
 */
static uint64_t all_ones_in_rax(unsigned int size)
{
	static const uint64_t want[9] = {
		[1] = (RAX_SENTINEL & ~0xffULL) | 0xff,
		[2] = (RAX_SENTINEL & ~0xffffULL) | 0xffff,
		[4] = 0xffffffffULL,
		[8] = ~0ULL,
	};

	return want[size];
}

static void check_read(const struct unclaimed_read *r)
{
	uint64_t got = r->bus == BUS_MMIO ? mmio_read(r->addr, r->size) :
		       port_read((uint16_t)r->addr, r->size);
	uint64_t want = all_ones_in_rax(r->size);

	tst_res(got == want ? TPASS : TFAIL, "%s read of %u bytes at 0x%llx "
		"(%s): expected RAX 0x%016llx, got 0x%016llx",
		r->bus == BUS_MMIO ? "MMIO" : "port", r->size,
		(unsigned long long)r->addr, r->where,
		(unsigned long long)want, (unsigned long long)got);
}

static void check_insw(void)
{
	uint16_t buf[INSW_COUNT + 2] = { 0x1111, 0x2222, 0x3333, 0x4444,
					 0x5555 };
	uint16_t *dst = &buf[1];
	uint64_t cnt = INSW_COUNT;
	unsigned int i, ok;

	__asm__ __volatile__("rep insw" : "+D"(dst), "+c"(cnt)
			     : "d"((uint16_t)PORT_HOLE) : "memory");
	ok = buf[0] == 0x1111 && buf[INSW_COUNT + 1] == 0x5555;
	for (i = 1; i <= INSW_COUNT; i++)
		ok = ok && buf[i] == 0xffff;
	tst_res(ok ? TPASS : TFAIL, "rep insw x%d from unclaimed port 0x%x: "
		"expected ffff ffff ffff between 1111 and 5555, got %04x "
		"[%04x %04x %04x] %04x", INSW_COUNT, PORT_HOLE, buf[0], buf[1],
		buf[2], buf[3], buf[4]);
}

static void mode_reads(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reads); i++)
		check_read(&reads[i]);
	check_insw();
}

/* Writes that are dropped; the guest must go on after each one. */
static void mode_mmio_write(void)
{
	unsigned int i;

	*(volatile uint8_t *)(uintptr_t)(HOLE + 0x10) = 0xa5;
	*(volatile uint64_t *)(uintptr_t)(HOLE + 0x18) = 0x1122334455667788ULL;
	for (i = 2; i < NR_WRITES; i++)
		*(volatile uint32_t *)(uintptr_t)(HOLE + 0x100 + 4 * i) = i;
	tst_res(TINFO, "guest went on after %d unclaimed MMIO writes",
		NR_WRITES);
}

static void mode_port_write(void)
{
	kvm_outw(PORT_HOLE + 6, 0xbeef);
	kvm_outl(PORT_DEV + 1, 0xcafe);	/* straddles a device */
	tst_res(TINFO, "guest went on after 2 unclaimed port writes");
}

void main(void)
{
	switch (kvm_boot_info()->host_arg) {
	case MODE_READS:
		mode_reads();
		break;
	case MODE_MMIO_WRITE:
		mode_mmio_write();
		break;
	case MODE_PORT_WRITE:
		mode_port_write();
		break;
	default:
		tst_brk(TBROK, "unknown mode %llu",
			(unsigned long long)kvm_boot_info()->host_arg);
	}
}

#else /* COMPILE_PAYLOAD */

static struct tst_kvm_instance inst;
static unsigned int neighbour_accesses;

static enum tst_kvm_action dev_read(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	(void)vm;
	(void)opaque;
	(void)offset;
	memset(data, 0, len);
	neighbour_accesses++;
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action dev_write(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	(void)vm;
	(void)opaque;
	(void)offset;
	(void)data;
	(void)len;
	neighbour_accesses++;
	return TST_KVM_CONTINUE;
}

static const struct tst_kvm_device mmio_dev = {
	.name = "MMIO neighbour",
	.base = MMIO_DEV,
	.size = MMIO_DEV_SIZE,
	.read = dev_read,
	.write = dev_write,
};

static const struct tst_kvm_device port_dev = {
	.name = "port neighbour",
	.base = PORT_DEV,
	.size = PORT_DEV_SIZE,
	.read = dev_read,
	.write = dev_write,
};

static void run_mode(unsigned int mode)
{
	neighbour_accesses = 0;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_add_mmio_device(&inst, &mmio_dev);
	tst_kvm_add_pio_device(&inst, &port_dev);
	tst_kvm_set_guest_arg(&inst, mode);
	tst_kvm_run_instance(&inst);
}

static void run_mmio_write(void)
{
	run_mode(MODE_MMIO_WRITE);
	tst_kvm_destroy_instance(&inst);
}

static void run_port_write(void)
{
	run_mode(MODE_PORT_WRITE);
	tst_kvm_destroy_instance(&inst);
}

static unsigned long expected_reads(unsigned int bus)
{
	unsigned long n = bus == BUS_PORT ? INSW_COUNT : 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reads); i++)
		n += reads[i].bus == bus;
	return n;
}

static void check_counter(const char *what, unsigned long want,
	unsigned long got)
{
	tst_res(want == got ? TPASS : TFAIL, "%s: expected %lu, got %lu",
		what, want, got);
}

static void check_reads(void)
{
	run_mode(MODE_READS);
	check_counter("unclaimed MMIO reads counted by the bus",
		      expected_reads(BUS_MMIO), inst.mmio.unclaimed_reads);
	check_counter("unclaimed port reads counted by the bus",
		      expected_reads(BUS_PORT), inst.pio.unclaimed_reads);
	check_counter("unclaimed writes (MMIO + port)", 0,
		      inst.mmio.unclaimed_writes + inst.pio.unclaimed_writes);
	check_counter("accesses reaching the devices next to straddling "
		      "reads", 0, neighbour_accesses);
	tst_kvm_destroy_instance(&inst);
}

static void run(void)
{
	check_reads();

	/* bus.c warn_unclaimed_write(): data, size, bus, address. */
	tst_kvm_expect_verdict(run_mmio_write, TWARN, "guest wrote 0xa5 "
		"(1 bytes) to unclaimed MMIO address 0x40001010 at RIP=");
	tst_kvm_expect_verdict(run_mmio_write, TWARN, "guest wrote "
		"0x1122334455667788 (8 bytes) to unclaimed MMIO address "
		"0x40001018 at RIP=");
	/* The 8th write (i = 7) is the last one shown. */
	tst_kvm_expect_verdict(run_mmio_write, TWARN, "guest wrote 0x7 "
		"(4 bytes) to unclaimed MMIO address 0x4000111c");
	tst_kvm_expect_verdict(run_mmio_write, TWARN, "; further unclaimed "
		"writes are not shown");
	tst_kvm_expect_verdict(run_port_write, TWARN, "guest wrote 0xbeef "
		"(2 bytes) to unclaimed port address 0x1406 at RIP=");
	tst_kvm_expect_verdict(run_port_write, TWARN, "guest wrote 0xcafe "
		"(4 bytes) to unclaimed port address 0x1501 at RIP=");
}

static struct tst_test test = {
	.description = "unclaimed MMIO and port reads return all-ones; "
		       "unclaimed writes end in a TWARN naming the address",
	.test_all = run,
	.timeout = 20,
};

#endif /* COMPILE_PAYLOAD */
