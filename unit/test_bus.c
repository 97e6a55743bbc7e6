// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of the device buses (host/bus.c) and the platform devices on
 * them, without KVM: accesses reach the device claiming the address with
 * the offset, size and data; an access that straddles a device's end is
 * not its; unclaimed reads return all-ones for every size; unclaimed
 * writes are counted; the 16550 answers what a polling driver reads
 * (LSR, IIR, scratch, DLAB) and turns bytes into console lines and the
 * capture buffer; the i8042 reset command stops the run.
 */
#include "unit.h"
#include "internal.h"

static struct tst_kvm_instance inst;

struct access {
	uint64_t offset;
	unsigned int len;
	int write;
	uint64_t data;
};

static struct access last;
static unsigned int calls;

static enum tst_kvm_action rec_read(struct tst_kvm_instance *vm, void *opaque,
	uint64_t offset, void *data, unsigned int len)
{
	uint64_t v = 0x1122334455667788ULL + offset;

	(void)vm;
	(void)opaque;
	last = (struct access){ offset, len, 0, 0 };
	calls++;
	memcpy(data, &v, len);
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action rec_write(struct tst_kvm_instance *vm,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	(void)vm;
	(void)opaque;
	last = (struct access){ offset, len, 1, 0 };
	memcpy(&last.data, data, len);
	calls++;
	return TST_KVM_CONTINUE;
}

static void routing(void)
{
	static const struct tst_kvm_device dev = {
		.name = "recorder", .base = 0x1000, .size = 0x10,
		.read = rec_read, .write = rec_write,
	};
	uint64_t v = 0xabcd;
	unsigned int before;

	tst_kvm_add_mmio_device(&inst, &dev);
	tst_kvm_bus_access(&inst, &inst.mmio, 0x1004, &v, 2, 1);
	UNIT_CHECK(last.write && last.offset == 4 && last.len == 2 &&
		   last.data == 0xabcd, "write reaches the device with offset, "
		   "size and data");
	v = 0;
	tst_kvm_bus_access(&inst, &inst.mmio, 0x1008, &v, 8, 0);
	UNIT_EQ_U64("read returns the device's data",
		    0x1122334455667788ULL + 8, v);
	before = calls;
	v = 0;
	tst_kvm_bus_access(&inst, &inst.mmio, 0x100c, &v, 8, 0);
	UNIT_EQ_INT("access straddling the device end not routed to it",
		    before, calls);
	UNIT_EQ_U64("... and reads as all-ones", UINT64_MAX, v);
}

static void unclaimed(void)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	unsigned long before = inst.mmio.unclaimed_reads;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint64_t v = 0;
		char what[48];

		tst_kvm_bus_access(&inst, &inst.mmio, 0x50000000, &v, sizes[i],
				   0);
		snprintf(what, sizeof(what), "unclaimed %u-byte read",
			 sizes[i]);
		UNIT_EQ_U64(what, sizes[i] == 8 ? UINT64_MAX :
			    (1ULL << (8 * sizes[i])) - 1, v);
	}
	UNIT_EQ_INT("unclaimed reads counted", 4,
		    inst.mmio.unclaimed_reads - before);
}

static uint8_t pio_in(uint16_t port)
{
	uint8_t v = 0;

	tst_kvm_bus_access(&inst, &inst.pio, port, &v, 1, 0);
	return v;
}

static enum tst_kvm_action pio_out(uint16_t port, uint8_t v)
{
	return tst_kvm_bus_access(&inst, &inst.pio, port, &v, 1, 1);
}

static void serial(void)
{
	const char *text = "hi\nthere";
	size_t i;

	UNIT_EQ_INT("LSR: THRE|TEMT", 0x60, pio_in(KVM_COM1_PORT + 5));
	UNIT_EQ_INT("IIR: no interrupt pending", 1, pio_in(KVM_COM1_PORT + 2));
	pio_out(KVM_COM1_PORT + 7, 0x5a);
	UNIT_EQ_INT("scratch register round trip", 0x5a,
		    pio_in(KVM_COM1_PORT + 7));
	pio_out(KVM_COM1_PORT + 3, 0x80);	/* DLAB */
	pio_out(KVM_COM1_PORT, 0x0c);
	pio_out(KVM_COM1_PORT + 1, 0x01);
	UNIT_EQ_INT("DLL with DLAB=1", 0x0c, pio_in(KVM_COM1_PORT));
	UNIT_EQ_INT("DLM with DLAB=1", 0x01, pio_in(KVM_COM1_PORT + 1));
	pio_out(KVM_COM1_PORT + 3, 0x03);	/* 8N1, DLAB=0 */
	UNIT_EQ_INT("IER with DLAB=0", 0, pio_in(KVM_COM1_PORT + 1));

	for (i = 0; i < strlen(text); i++)
		pio_out(KVM_COM1_PORT, text[i]);
	UNIT_EQ_INT("bytes counted", 8, inst.serial.bytes);
	UNIT_CHECK(inst.serial.capture_len == 8 &&
		   !memcmp(inst.serial.capture, text, 8), "bytes captured");
	UNIT_CHECK(inst.serial.line_len == 5 &&
		   !memcmp(inst.serial.line, "there", 5),
		   "partial line kept until newline");
	tst_kvm_serial_flush(&inst);
	UNIT_EQ_INT("flush empties the line", 0, inst.serial.line_len);
}

static void i8042(void)
{
	UNIT_EQ_INT("i8042 status: buffers empty", 0,
		    pio_in(KVM_I8042_CMD_PORT));
	UNIT_EQ_INT("other i8042 command ignored", TST_KVM_CONTINUE,
		    pio_out(KVM_I8042_CMD_PORT, 0xad));
	UNIT_EQ_INT("reset command stops the run", TST_KVM_STOP,
		    pio_out(KVM_I8042_CMD_PORT, KVM_I8042_RESET_CMD));
	UNIT_EQ_INT("... and marks the guest finished", 1, inst.finished);
}

int main(void)
{
	inst.vcpu_fd = inst.vm_fd = -1;
	tst_kvm_bus_init(&inst.pio, "port");
	tst_kvm_bus_init(&inst.mmio, "MMIO");
	tst_kvm_add_platform_devices(&inst);

	routing();
	unclaimed();
	serial();
	i8042();
	return unit_done();
}
