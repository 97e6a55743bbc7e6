// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The i8042 keyboard controller as the platform documents it
 * (kvm_common.h, host/dev_i8042.c): command 0xfe on port 0x64 pulses the
 * reset line, which ends the run in order (no TBROK; inst.finished set; a
 * TINFO line naming the command); no guest instruction after that OUT
 * runs. Status reads say both buffers are empty (bits 0 OBF and 1 IBF
 * clear, so a polling driver goes on), and other commands and data bytes
 * are ignored: the guest continues after them.
 *
 * The host checks the end of the run, guest variables set before and
 * after the reset command, the number of guest reports, and the TINFO
 * line (stdout of the run captured and replayed).
 */
#include "kvm_test.h"

#define I8042_STATUS_OBF	0x01
#define I8042_STATUS_IBF	0x02

/* Guest reports before the reset: the status check and 3 "continued". */
#define NR_REPORTS_BEFORE	4
/* Writes before the reset: 5 commands, 2 pulse commands, 2 data bytes. */
#define NR_IGNORED		9

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

volatile uint32_t before_reset, after_reset, ignored_writes;

/*
 * Commands that do not reset: read command byte, self test, disable and
 * enable keyboard, write output port (with A20 and the reset line high),
 * pulse no / only the non-reset output lines (0xff, 0xfd).
 */
static const uint8_t commands[] = { 0x20, 0xaa, 0xad, 0xae, 0xd1 };
static const uint8_t pulses[] = { 0xff, 0xfd };

static void check_status(void)
{
	uint8_t st = kvm_inb(KVM_I8042_CMD_PORT);

	tst_res(st & (I8042_STATUS_OBF | I8042_STATUS_IBF) ? TFAIL : TPASS,
		"status port 0x%x: expected OBF and IBF clear, got 0x%02x",
		KVM_I8042_CMD_PORT, st);
}

static void ignored(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++, ignored_writes++)
		kvm_outb(KVM_I8042_CMD_PORT, commands[i]);
	kvm_outb(KVM_I8042_DATA_PORT, 0xdf);	/* output port for 0xd1 */
	ignored_writes++;
	tst_res(TPASS, "guest continued after commands 0x20 0xaa 0xad 0xae "
		"0xd1 and data 0xdf");
	for (i = 0; i < ARRAY_SIZE(pulses); i++, ignored_writes++)
		kvm_outb(KVM_I8042_CMD_PORT, pulses[i]);
	tst_res(TPASS, "guest continued after pulse commands 0xff 0xfd");
	kvm_outb(KVM_I8042_DATA_PORT, KVM_I8042_RESET_CMD);
	ignored_writes++;
	tst_res(TPASS, "guest continued after 0x%x on the data port 0x%x",
		KVM_I8042_RESET_CMD, KVM_I8042_DATA_PORT);
}

void main(void)
{
	check_status();
	ignored();

	before_reset = 1;
	kvm_outb(KVM_I8042_CMD_PORT, KVM_I8042_RESET_CMD);
	after_reset = 1;
	tst_res(TFAIL, "guest ran on after the reset command");
}

#else /* COMPILE_PAYLOAD */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct tst_kvm_instance inst;

static uint32_t guest_u32(const char *name)
{
	uint32_t v = 0;

	if (tst_kvm_read_guest(&inst, tst_kvm_symbol(&inst, name), &v,
			       sizeof(v)))
		tst_brk(TBROK, "reading guest variable %s", name);
	return v;
}

static void expect_u32(const char *what, uint32_t want, uint32_t got)
{
	tst_res(want == got ? TPASS : TFAIL, "%s: expected %u, got %u", what,
		want, got);
}

static void run(void)
{
	static const char info[] = "TINFO: guest reset the machine through "
		"the i8042 (command 0xfe on port 0x64)";
	char *out;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_output_capture_begin();
	tst_kvm_run_instance(&inst);
	out = tst_output_capture_end();
	if (!out)
		tst_brk(TBROK, "reading back the captured stdout failed");

	/* dev_i8042.c: reset ends the run in order, like kvm_exit(). */
	expect_u32("inst.finished after the reset", 1, inst.finished);
	tst_res(strstr(out, info) ? TPASS : TFAIL, "run output %s the line "
		"'%s'", strstr(out, info) ? "has" : "lacks", info);
	expect_u32("guest code before the reset ran (before_reset)", 1,
		   guest_u32("before_reset"));
	expect_u32("ignored i8042 writes the guest got past", NR_IGNORED,
		   guest_u32("ignored_writes"));
	expect_u32("guest code after the reset ran (after_reset)", 0,
		   guest_u32("after_reset"));
	expect_u32("guest reports in the run", NR_REPORTS_BEFORE,
		   (uint32_t)inst.results);
	free(out);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "i8042 command 0xfe ends the run in order; other "
		       "commands are ignored",
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
