// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The host library's view of guest memory, checked while the guest waits
 * in a host call: symbol lookup and "function+offset" names, virtual to
 * physical translation through the guest's page tables (identity map,
 * unmapped NULL page, result page, unbacked addresses), memory-slot
 * lookup, host pointers, bounded ranges and copies in both directions.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

uint64_t shared_value = 0x1122334455667788ULL;

void main(void)
{
	uint32_t failures = tst_host_call(1, (uintptr_t)&shared_value);

	tst_res(failures ? TFAIL : TPASS, "host-side checks: %u failed",
		failures);
	tst_res(shared_value == 0xa5a5a5a5a5a5a5a5ULL ? TPASS : TFAIL,
		"value written by the host: expected 0xa5a5a5a5a5a5a5a5, got "
		"0x%llx", (unsigned long long)shared_value);
}

#else /* COMPILE_PAYLOAD */

static struct tst_kvm_instance inst;
static unsigned int failures;

static void check(int ok, const char *what, unsigned long long got)
{
	tst_res(ok ? TPASS : TFAIL, "%s (got 0x%llx)", what, got);
	failures += !ok;
}

static void check_symbols(uint64_t addr)
{
	uint64_t main_addr = tst_kvm_find_symbol(&inst, "main");
	char buf[64];

	check(tst_kvm_find_symbol(&inst, "shared_value") == addr,
	      "symbol shared_value = the address the guest passed", addr);
	check(tst_kvm_find_symbol(&inst, "no_such_symbol") == 0,
	      "unknown symbol -> 0", 0);
	tst_kvm_symbolize(&inst, main_addr + 3, buf, sizeof(buf));
	tst_res(strcmp(buf, "main+0x3") ? TFAIL : TPASS,
		"symbolize(main + 3): expected \"main+0x3\", got \"%s\"", buf);
	failures += !!strcmp(buf, "main+0x3");
	tst_kvm_symbolize(&inst, 0x7ff00000, buf, sizeof(buf));
	tst_res(strcmp(buf, "?") ? TFAIL : TPASS,
		"symbolize(outside the image): expected \"?\", got \"%s\"",
		buf);
	failures += !!strcmp(buf, "?");
}

static void check_translation(uint64_t addr)
{
	char *ram = (char *)(uintptr_t)inst.ram[0].userspace_addr;

	check(tst_kvm_get_phys_address(&inst, addr) == addr,
	      "identity map: phys(shared_value) = its address",
	      tst_kvm_get_phys_address(&inst, addr));
	check(tst_kvm_get_phys_address(&inst, 0x10) == 0,
	      "NULL page unmapped: phys(0x10) = 0",
	      tst_kvm_get_phys_address(&inst, 0x10));
	check(tst_kvm_find_memslot(&inst, 0) == -1, "no memslot for VA 0", 0);
	check(tst_kvm_find_memslot(&inst, addr) == 0,
	      "shared_value in slot 0", tst_kvm_find_memslot(&inst, addr));
	check(tst_kvm_find_phys_memslot(&inst, KVM_RESULT_BASEADDR) == 1,
	      "result page in slot 1",
	      tst_kvm_find_phys_memslot(&inst, KVM_RESULT_BASEADDR));
	check(tst_kvm_find_phys_memslot(&inst, 0x40000000) == -1,
	      "unbacked 0x40000000 in no slot", 0x40000000);
	check(tst_kvm_get_memptr(&inst, addr) == ram + addr,
	      "host pointer = RAM base + address",
	      (uintptr_t)tst_kvm_get_memptr(&inst, addr));
	check(tst_kvm_get_memptr(&inst, 0x40000000) == NULL,
	      "no host pointer for unbacked memory", 0);
	check(tst_kvm_guest_range(&inst, inst.ram_size - 8, 16) == NULL,
	      "range crossing the end of RAM refused", inst.ram_size - 8);
	check(tst_kvm_guest_range(&inst, KVM_NULL_PAGE + 0xff0, 32) == NULL,
	      "range touching the unmapped NULL page refused", 0xff0);
	check(tst_kvm_guest_range(&inst, addr, 8) == ram + addr,
	      "range inside RAM accepted", addr);
}

static void check_copies(uint64_t addr)
{
	uint64_t v = 0, pattern = 0xa5a5a5a5a5a5a5a5ULL;
	int ret = tst_kvm_read_guest(&inst, addr, &v, sizeof(v));
	char byte;

	check(!ret && v == 0x1122334455667788ULL,
	      "read_guest sees the guest value", v);
	check(tst_kvm_read_guest(&inst, 0x7ff00000, &byte, 1) == -1,
	      "read_guest of unbacked memory fails", 0x7ff00000);
	check(tst_kvm_write_guest(&inst, 0x8000000000000000ULL, &v, 8) == -1,
	      "write_guest to a non-canonical address fails", 0);
	check(!tst_kvm_write_guest(&inst, addr, &pattern, sizeof(pattern)),
	      "write_guest into guest RAM", addr);
}

static uint32_t host_call(struct tst_kvm_instance *vm, void *opaque,
	uint32_t nr, uint64_t arg)
{
	(void)vm;
	(void)opaque;
	if (nr != 1)
		tst_brk(TBROK, "unexpected host call %u", nr);
	check_symbols(arg);
	check_translation(arg);
	check_copies(arg);
	return failures;
}

static void run(void)
{
	failures = 0;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_set_host_call(&inst, host_call, NULL);
	tst_kvm_run_instance(&inst);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "host-side symbol, translation, memslot and guest "
		"memory access API",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
