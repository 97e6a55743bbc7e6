/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bus.c - the port-I/O and MMIO device buses: registration with overlap
 * checks, dispatch of one access to the device that claims it, and the
 * platform's answer when none does (reads return all-ones, as on a PC
 * bus with nothing decoding the address; writes are dropped with a TWARN
 * naming the address, data and guest RIP, for the first few of a run).
 * In an SMP VM the bus runs one device handler at a time.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include "tst_test.h"
#include "internal.h"

#define UNCLAIMED_WARN_LIMIT 8

void tst_kvm_bus_init(struct tst_kvm_bus *bus, const char *name)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
}

void tst_kvm_bus_add(struct tst_kvm_instance *inst, struct tst_kvm_bus *bus,
	const struct tst_kvm_device *dev)
{
	unsigned int i;

	(void)inst;
	if (!dev->size || dev->base + dev->size < dev->base)
		tst_brk(TBROK, "%s device '%s': empty or wrapping range",
			bus->name, dev->name);
	if (bus->count == TST_KVM_MAX_DEVICES)
		tst_brk(TBROK, "%s bus full: cannot add '%s'", bus->name,
			dev->name);
	for (i = 0; i < bus->count; i++) {
		const struct tst_kvm_device *d = &bus->devs[i];

		if (dev->base < d->base + d->size && d->base < dev->base +
		    dev->size)
			tst_brk(TBROK, "%s device '%s' [0x%llx, +0x%llx) "
				"overlaps '%s' [0x%llx, +0x%llx)", bus->name,
				dev->name, (unsigned long long)dev->base,
				(unsigned long long)dev->size, d->name,
				(unsigned long long)d->base,
				(unsigned long long)d->size);
	}
	bus->devs[bus->count++] = *dev;
}

void tst_kvm_add_pio_device(struct tst_kvm_instance *inst,
	const struct tst_kvm_device *dev)
{
	tst_kvm_bus_add(inst, &inst->pio, dev);
}

void tst_kvm_add_mmio_device(struct tst_kvm_instance *inst,
	const struct tst_kvm_device *dev)
{
	tst_kvm_bus_add(inst, &inst->mmio, dev);
}

static const struct tst_kvm_device *find(const struct tst_kvm_bus *bus,
	uint64_t addr, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < bus->count; i++) {
		const struct tst_kvm_device *d = &bus->devs[i];

		if (addr >= d->base && addr - d->base < d->size &&
		    len <= d->size - (addr - d->base))
			return d;
	}
	return NULL;
}

static void warn_unclaimed_write(struct tst_kvm_instance *inst,
	struct tst_kvm_bus *bus, uint64_t addr, const void *data,
	unsigned int len)
{
	unsigned long long value = 0;
	struct kvm_regs regs;
	char sym[128] = "?";

	if (++bus->unclaimed_writes > UNCLAIMED_WARN_LIMIT)
		return;
	memcpy(&value, data, len < sizeof(value) ? len : sizeof(value));
	if (!ioctl(tst_kvm_cur_fd(inst), KVM_GET_REGS, &regs))
		tst_kvm_symbolize(inst, regs.rip, sym, sizeof(sym));
	else
		regs.rip = 0;
	tst_res(TWARN, "guest wrote 0x%llx (%u bytes) to unclaimed %s "
		"address 0x%llx at RIP=0x%llx (%s)%s", value, len, bus->name,
		(unsigned long long)addr, (unsigned long long)regs.rip, sym,
		bus->unclaimed_writes == UNCLAIMED_WARN_LIMIT ?
		"; further unclaimed writes are not shown" : "");
}

/*
 * The instance's bus lock, given up for a halt when the test is being
 * stopped (its holder may have ended the test from a handler).
 */
static void bus_lock(struct tst_kvm_instance *inst)
{
	struct timespec ts;

	for (;;) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (!pthread_mutex_timedlock(&inst->bus_lock, &ts))
			return;
		if (tst_vcpu_stop_requested())
			tst_vcpu_thread_halt();
	}
}

static enum tst_kvm_action dispatch(struct tst_kvm_instance *inst,
	struct tst_kvm_bus *bus, uint64_t addr, void *data,
	unsigned int len, int is_write)
{
	const struct tst_kvm_device *d = find(bus, addr, len);

	if (d && is_write && d->write)
		return d->write(inst, d->opaque, addr - d->base, data, len);
	if (d && !is_write && d->read)
		return d->read(inst, d->opaque, addr - d->base, data, len);

	if (is_write) {
		warn_unclaimed_write(inst, bus, addr, data, len);
	} else {
		bus->unclaimed_reads++;
		memset(data, 0xff, len);
	}
	return TST_KVM_CONTINUE;
}

/*
 * Devices of an SMP VM are reached from several vCPU threads: one handler
 * at a time, except for TST_KVM_DEV_CONCURRENT devices.
 */
enum tst_kvm_action tst_kvm_bus_access(struct tst_kvm_instance *inst,
	struct tst_kvm_bus *bus, uint64_t addr, void *data,
	unsigned int len, int is_write)
{
	const struct tst_kvm_device *d = find(bus, addr, len);
	enum tst_kvm_action action;

	if (inst->nr_vcpus < 2 || (d && (d->flags & TST_KVM_DEV_CONCURRENT)))
		return dispatch(inst, bus, addr, data, len, is_write);
	bus_lock(inst);
	action = dispatch(inst, bus, addr, data, len, is_write);
	pthread_mutex_unlock(&inst->bus_lock);
	return action;
}
