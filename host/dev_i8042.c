/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dev_i8042.c - the i8042 keyboard controller as far as a PC guest uses it
 * to reboot: command 0xfe on port 0x64 pulses the reset line, which ends
 * the run in order. Status reads say both buffers are empty.
 */
#include <string.h>
#include "tst_test.h"
#include "internal.h"

static enum tst_kvm_action i8042_read(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	(void)inst;
	(void)opaque;
	(void)offset;
	memset(data, 0, len);
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action i8042_cmd_write(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	(void)opaque;
	(void)offset;
	(void)len;
	if (*(const uint8_t *)data != KVM_I8042_RESET_CMD)
		return TST_KVM_CONTINUE;
	tst_res(TINFO, "guest reset the machine through the i8042 "
		"(command 0x%x on port 0x%x)", KVM_I8042_RESET_CMD,
		KVM_I8042_CMD_PORT);
	inst->finished = 1;
	return TST_KVM_STOP;
}

static enum tst_kvm_action i8042_data_write(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	(void)inst;
	(void)opaque;
	(void)offset;
	(void)data;
	(void)len;
	return TST_KVM_CONTINUE;
}

const struct tst_kvm_device tst_kvm_i8042_cmd_device = {
	.name = "i8042 command/status",
	.base = KVM_I8042_CMD_PORT,
	.size = 1,
	.read = i8042_read,
	.write = i8042_cmd_write,
};

const struct tst_kvm_device tst_kvm_i8042_data_device = {
	.name = "i8042 data",
	.base = KVM_I8042_DATA_PORT,
	.size = 1,
	.read = i8042_read,
	.write = i8042_data_write,
};
