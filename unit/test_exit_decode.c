// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of exit naming and decoding (host/run_loop.c) with synthetic
 * kvm_run structures, no KVM needed: every exit reason has its name, an
 * unknown one is named by number, and the one-line decodes of IO, MMIO,
 * internal-error, entry-failure, system-event and debug exits carry the
 * fields a user needs. Also the escaping of guest text (tst_sanitize).
 */
#include "unit.h"
#include "internal.h"

static struct kvm_run *run;
static struct tst_kvm_instance inst;

static void names(void)
{
	static const struct {
		uint32_t reason;
		const char *name;
	} table[] = {
		{ KVM_EXIT_IO, "IO" }, { KVM_EXIT_MMIO, "MMIO" },
		{ KVM_EXIT_HLT, "HLT" }, { KVM_EXIT_SHUTDOWN, "SHUTDOWN" },
		{ KVM_EXIT_FAIL_ENTRY, "FAIL_ENTRY" },
		{ KVM_EXIT_INTERNAL_ERROR, "INTERNAL_ERROR" },
		{ KVM_EXIT_SYSTEM_EVENT, "SYSTEM_EVENT" },
		{ KVM_EXIT_DEBUG, "DEBUG" }, { KVM_EXIT_INTR, "INTR" },
		{ KVM_EXIT_X86_RDMSR, "X86_RDMSR" }, { KVM_EXIT_NOTIFY, "NOTIFY" },
		{ 39, "MEMORY_FAULT" }, { 1000, "UNKNOWN_1000" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		UNIT_EQ_STR("exit name", table[i].name,
			    tst_kvm_exit_name(table[i].reason));
	for (i = 1; i < 40; i++) {
		char what[48];

		snprintf(what, sizeof(what), "exit reason %zu has a name", i);
		UNIT_CHECK(strncmp(tst_kvm_exit_name(i), "UNKNOWN_", 8), what);
	}
}

static void expect_decode(const char *what, const char *expected)
{
	char buf[512];

	tst_kvm_describe_exit(&inst, buf, sizeof(buf));
	UNIT_EQ_STR(what, expected, buf);
}

static void decodes(void)
{
	memset(run, 0, inst.vcpu_info_size);
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = KVM_EXIT_IO_OUT;
	run->io.port = 0x3f8;
	run->io.size = 1;
	run->io.count = 3;
	run->io.data_offset = 0x100;
	memcpy((char *)run + 0x100, "abc", 3);
	expect_decode("IO", "OUT port 0x3f8, 1 bytes x 3, data [61 62 63]");

	run->io.data_offset = inst.vcpu_info_size - 1;
	expect_decode("IO with data outside kvm_run",
		      "OUT port 0x3f8, 1 bytes x 3, data [(out of bounds)]");

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = 0x40000000;
	run->mmio.len = 4;
	run->mmio.is_write = 1;
	memcpy(run->mmio.data, "\x78\x56\x34\x12", 4);
	expect_decode("MMIO", "MMIO write at 0x40000000, 4 bytes, data "
		      "[78 56 34 12]");
	run->mmio.len = 200;	/* hostile length: decode stays bounded */
	expect_decode("MMIO with a bad length", "MMIO write at 0x40000000, "
		      "200 bytes, data [78 56 34 12 00 00 00 00]");

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->internal.ndata = 2;
	run->internal.data[0] = 1;
	run->internal.data[1] = 0xcc;
	expect_decode("internal error", "suberror 1 (instruction emulation "
		      "failed), 2 data words: 0x1 0xcc");
	run->internal.suberror = 99;
	run->internal.ndata = 1000;
	expect_decode("internal error, unknown suberror, huge ndata",
		      "suberror 99 (unknown), 1000 data words: 0x1 0xcc 0x0 0x0 "
		      "0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0");

	run->exit_reason = KVM_EXIT_FAIL_ENTRY;
	run->fail_entry.hardware_entry_failure_reason = 0x21;
	run->fail_entry.cpu = 1;
	expect_decode("entry failure", "hardware entry failure reason 0x21 "
		      "on CPU 1");

	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = KVM_SYSTEM_EVENT_CRASH;
	expect_decode("system event", "system event 3 (CRASH)");

	run->exit_reason = KVM_EXIT_DEBUG;
	run->debug.arch.exception = 1;
	run->debug.arch.pc = 0x100010;
	run->debug.arch.dr6 = 0xffff0ff1;
	run->debug.arch.dr7 = 0x401;
	expect_decode("debug", "debug exception 1 at 0x100010, DR6=0xffff0ff1 "
		      "DR7=0x401");

	run->exit_reason = KVM_EXIT_NOTIFY;
	expect_decode("other exits", "no further data");
}

static void sanitize(void)
{
	char out[64];

	tst_sanitize(out, sizeof(out), "plain text\tok", 13);
	UNIT_EQ_STR("printable text and tabs kept", "plain text\tok", out);
	tst_sanitize(out, sizeof(out), "a\nb\x1b[1m\x7f\xff", 9);
	UNIT_EQ_STR("control, DEL and high bytes escaped",
		    "a\\x0ab\\x1b[1m\\x7f\\xff", out);
	tst_sanitize(out, sizeof(out), "ab\0cd", 5);
	UNIT_EQ_STR("NUL escaped, the rest kept", "ab\\x00cd", out);
	tst_sanitize(out, 8, "\x01\x02\x03\x04", 4);
	UNIT_EQ_STR("never splits an escape, stays in the buffer", "\\x01",
		    out);
	tst_sanitize(out, 1, "abc", 3);
	UNIT_EQ_STR("1-byte buffer", "", out);
}

int main(void)
{
	inst.vcpu_info_size = 4096;
	run = calloc(1, inst.vcpu_info_size);
	inst.vcpu_info = run;
	names();
	decodes();
	sanitize();
	free(run);
	return unit_done();
}
