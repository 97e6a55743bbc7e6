// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu/regs - the general-purpose registers and the arithmetic flags
 * survive instructions that exit to the VMM. For each exit kind the guest
 * loads RAX..R15 and RFLAGS with distinct patterns in one asm block, runs
 * the exiting instruction, stores every register and compares it with
 * what the instruction architecturally leaves there: unchanged, except
 * the destination of a read (AL for IN, the MOV target for an MMIO read)
 * and RSI/RCX for REP OUTSB. Exits: port OUT and IN and REP OUTSB to a
 * port device of this test, MMIO write and read to an MMIO device of this
 * test (both handled in user space), HLT (user space without an in-kernel
 * irqchip) and WRMSR of IA32_KERNEL_GS_BASE (handled in the kernel).
 * The host also compares KVM_GET_REGS with the loaded patterns when the
 * guest's access reaches its device.
 * References: SDM Vol. 2B OUT, IN, OUTS, MOV, HLT, WRMSR ("Flags
 * Affected", "Operation"); SDM Vol. 1 3.4.3 (EFLAGS).
 * SDM section numbers as in the 2016-2022 editions (later editions moved
 * the Vol. 3A chapters after 8 up by one or two).
 */
#include "kvm_test.h"
#include "x86_defs.h"

#define TEST_PORT	0xe0
/* above RAM, below 2 GiB: identity-mapped but not backed */
#define TEST_MMIO	0x40000000ull
#define IN_BYTE		0x5a
#define MMIO_VALUE	0x0123456789abcdefull
#define NR_GPRS		15	/* RAX..R15 without RSP */
/* CF PF AF ZF SF OF (SDM Vol. 1 3.4.3.1) */
#define ARITH_FLAGS	0x8d5ull

/* Order of the registers in struct regset and in the asm below. */
enum {
	R_RAX, R_RBX, R_RCX, R_RDX, R_RSI, R_RDI, R_RBP, R_R8, R_R9, R_R10,
	R_R11, R_R12, R_R13, R_R14, R_R15,
};

/* Loaded before, stored after the exit; shared with the host's check. */
struct regset {
	uint64_t gpr[NR_GPRS];
	uint64_t rflags;
	uint64_t rsp;
};

static const char *const gpr_names[NR_GPRS] = {
	"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8", "R9", "R10",
	"R11", "R12", "R13", "R14", "R15",
};

#ifdef COMPILE_PAYLOAD
#include "kvm_x86.h"

/* Used by name from the asm blocks and by the host: not static. */
struct regset regs_in, regs_out;
uint8_t outs_buf[4] = { 0x11, 0x22, 0x33, 0x44 };

/*
 * Loads regs_in (flags first: MOV does not change them), runs @insn,
 * stores everything to regs_out. RBP is saved by hand (frame pointer);
 * RSP is stored before the loads and after the exit.
 */
#define EXIT_ASM(insn)							\
	__asm__ __volatile__(						\
		"push %%rbp\n\t"					\
		"pushq regs_in+120(%%rip)\n\t"				\
		"popfq\n\t"						\
		"mov %%rsp, regs_in+128(%%rip)\n\t"			\
		"mov regs_in+0(%%rip), %%rax\n\t"			\
		"mov regs_in+8(%%rip), %%rbx\n\t"			\
		"mov regs_in+16(%%rip), %%rcx\n\t"			\
		"mov regs_in+24(%%rip), %%rdx\n\t"			\
		"mov regs_in+32(%%rip), %%rsi\n\t"			\
		"mov regs_in+40(%%rip), %%rdi\n\t"			\
		"mov regs_in+48(%%rip), %%rbp\n\t"			\
		"mov regs_in+56(%%rip), %%r8\n\t"			\
		"mov regs_in+64(%%rip), %%r9\n\t"			\
		"mov regs_in+72(%%rip), %%r10\n\t"			\
		"mov regs_in+80(%%rip), %%r11\n\t"			\
		"mov regs_in+88(%%rip), %%r12\n\t"			\
		"mov regs_in+96(%%rip), %%r13\n\t"			\
		"mov regs_in+104(%%rip), %%r14\n\t"			\
		"mov regs_in+112(%%rip), %%r15\n\t"			\
		insn "\n\t"						\
		"mov %%rax, regs_out+0(%%rip)\n\t"			\
		"mov %%rbx, regs_out+8(%%rip)\n\t"			\
		"mov %%rcx, regs_out+16(%%rip)\n\t"			\
		"mov %%rdx, regs_out+24(%%rip)\n\t"			\
		"mov %%rsi, regs_out+32(%%rip)\n\t"			\
		"mov %%rdi, regs_out+40(%%rip)\n\t"			\
		"mov %%rbp, regs_out+48(%%rip)\n\t"			\
		"mov %%r8, regs_out+56(%%rip)\n\t"			\
		"mov %%r9, regs_out+64(%%rip)\n\t"			\
		"mov %%r10, regs_out+72(%%rip)\n\t"			\
		"mov %%r11, regs_out+80(%%rip)\n\t"			\
		"mov %%r12, regs_out+88(%%rip)\n\t"			\
		"mov %%r13, regs_out+96(%%rip)\n\t"			\
		"mov %%r14, regs_out+104(%%rip)\n\t"			\
		"mov %%r15, regs_out+112(%%rip)\n\t"			\
		"mov %%rsp, regs_out+128(%%rip)\n\t"			\
		"pushfq\n\t"						\
		"popq regs_out+120(%%rip)\n\t"				\
		"pop %%rbp\n\t"						\
		"cld\n\t"						\
		::: "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", \
		    "r10", "r11", "r12", "r13", "r14", "r15", "memory", "cc")

_Static_assert(__builtin_offsetof(struct regset, rflags) == 120, "layout");
_Static_assert(__builtin_offsetof(struct regset, rsp) == 128, "layout");

static void exit_out(void)
{
	/* SDM Vol. 2B OUT: writes EAX to the port; no register, no flag */
	EXIT_ASM("outl %%eax, $0xe0");
}

static void exit_in(void)
{
	/* SDM Vol. 2B IN: AL <- port; RAX[63:8] and flags unchanged */
	EXIT_ASM("inb $0xe0, %%al");
}

static void exit_outs(void)
{
	/*
	 * SDM Vol. 2B OUTS/REP: DX port, RSI advances by the count
	 * (DF = 0), RCX counts down to 0; no flag changes.
	 */
	EXIT_ASM("rep outsb");
}

static void exit_mmio_write(void)
{
	/* SDM Vol. 2B MOV: a store changes no register and no flag */
	EXIT_ASM("movq %%r9, 0x40000000");
}

static void exit_mmio_read(void)
{
	/* SDM Vol. 2B MOV: only the destination R10 changes */
	EXIT_ASM("movq 0x40000000, %%r10");
}

static void exit_hlt(void)
{
	/* SDM Vol. 2B HLT: no register or flag is changed */
	EXIT_ASM("hlt");
}

static void exit_wrmsr(void)
{
	/* SDM Vol. 2B WRMSR: reads ECX, EDX:EAX; changes nothing else */
	EXIT_ASM("wrmsr");
}

struct exit_kind {
	const char *name;
	void (*run)(void);
	/* patches the patterns where the instruction needs an operand */
	void (*prepare)(struct regset *in);
	/* patches the expected values where the instruction writes */
	void (*expect)(struct regset *exp);
	uint64_t flags;		/* arithmetic flags to load */
};

static void prep_outs(struct regset *in)
{
	in->gpr[R_RSI] = (uintptr_t)outs_buf;
	in->gpr[R_RCX] = sizeof(outs_buf);
	in->gpr[R_RDX] = (in->gpr[R_RDX] & ~0xffffull) | TEST_PORT;
}

static void exp_outs(struct regset *exp)
{
	exp->gpr[R_RSI] += sizeof(outs_buf);
	exp->gpr[R_RCX] = 0;
}

static void exp_in(struct regset *exp)
{
	exp->gpr[R_RAX] = (exp->gpr[R_RAX] & ~0xffull) | IN_BYTE;
}

static void exp_mmio_read(struct regset *exp)
{
	exp->gpr[R_R10] = MMIO_VALUE;
}

/* WRMSR IA32_KERNEL_GS_BASE; RCX[63:32] are ignored (SDM WRMSR) */
static void prep_wrmsr(struct regset *in)
{
	in->gpr[R_RCX] = (in->gpr[R_RCX] & ~0xffffffffull) |
			 MSR_KERNEL_GS_BASE;
	/* a canonical value: EDX = 0xffff8000 | (pattern & 0x7fff) */
	in->gpr[R_RDX] = (in->gpr[R_RDX] & ~0xffffffffull) | 0xffff8000u |
			 (in->gpr[R_RDX] & 0x7fff);
}

static const struct exit_kind kinds[] = {
	{ "OUT port", exit_out, NULL, NULL, ARITH_FLAGS },
	{ "IN port", exit_in, NULL, exp_in, X86_RFLAGS_CF | X86_RFLAGS_AF |
	  X86_RFLAGS_SF },
	{ "REP OUTSB", exit_outs, prep_outs, exp_outs, X86_RFLAGS_PF |
	  X86_RFLAGS_ZF | X86_RFLAGS_OF },
	{ "MMIO write", exit_mmio_write, NULL, NULL, ARITH_FLAGS },
	{ "MMIO read", exit_mmio_read, NULL, exp_mmio_read, X86_RFLAGS_CF |
	  X86_RFLAGS_ZF | X86_RFLAGS_OF },
	{ "HLT", exit_hlt, NULL, NULL, X86_RFLAGS_PF | X86_RFLAGS_AF |
	  X86_RFLAGS_SF },
	{ "WRMSR (in-kernel)", exit_wrmsr, prep_wrmsr, NULL, ARITH_FLAGS },
};

/* Distinct, all-bytes-nonzero patterns per register and exit kind. */
static uint64_t pattern(unsigned int reg, unsigned int kind)
{
	return 0x9e3779b97f4a7c15ull * (reg + 1 + 16 * (kind + 1)) |
	       0x0101010101010101ull;
}

static void check_reg(const char *kind, const char *reg, uint64_t got,
	uint64_t exp)
{
	if (got == exp)
		tst_res(TPASS, "%s: %s = 0x%016llx", kind, reg,
			(unsigned long long)got);
	else
		tst_res(TFAIL, "%s: %s expected 0x%016llx, got 0x%016llx",
			kind, reg, (unsigned long long)exp,
			(unsigned long long)got);
}

static void run_kind(unsigned int k)
{
	const struct exit_kind *e = &kinds[k];
	struct regset exp;
	unsigned int i;

	for (i = 0; i < NR_GPRS; i++)
		regs_in.gpr[i] = pattern(i, k);
	regs_in.rflags = X86_RFLAGS_FIXED | e->flags;
	if (e->prepare)
		e->prepare(&regs_in);
	e->run();

	exp = regs_in;
	if (e->expect)
		e->expect(&exp);
	for (i = 0; i < NR_GPRS; i++)
		check_reg(e->name, gpr_names[i], regs_out.gpr[i], exp.gpr[i]);
	/* RSP: the same as just before the register loads */
	check_reg(e->name, "RSP", regs_out.rsp, regs_in.rsp);
	check_reg(e->name, "RFLAGS arithmetic flags",
		  regs_out.rflags & ARITH_FLAGS, exp.rflags & ARITH_FLAGS);
}

void main(void)
{
	uint64_t kgs = kvm_rdmsr(MSR_KERNEL_GS_BASE);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		run_kind(k);
	kvm_wrmsr(MSR_KERNEL_GS_BASE, kgs);
}

#else /* COMPILE_PAYLOAD */

#include <string.h>

static struct tst_kvm_instance inst;
static unsigned int port_writes, outs_bytes, port_reads;
static unsigned int mmio_writes, mmio_reads;
static uint32_t out_value;
static uint64_t mmio_written;
static uint8_t outs_seen[4];

/*
 * The registers as KVM_GET_REGS shows them while the guest's access is
 * at the device, against the patterns the guest loaded (regs_in).
 */
static void check_host_view(struct tst_kvm_instance *in, const char *kind)
{
	struct kvm_regs r;
	struct regset want;
	uint64_t got[NR_GPRS];
	unsigned int i, bad = 0;

	if (tst_kvm_read_guest(in, tst_kvm_symbol(in, "regs_in"), &want,
			       sizeof(want)))
		tst_kvm_brk(in, "cannot read the guest's regs_in");
	tst_kvm_get_regs(in, &r);
	memcpy(got, (uint64_t[NR_GPRS]){ r.rax, r.rbx, r.rcx, r.rdx, r.rsi,
		r.rdi, r.rbp, r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14,
		r.r15 }, sizeof(got));
	for (i = 0; i < NR_GPRS; i++) {
		if (got[i] == want.gpr[i])
			continue;
		bad++;
		tst_res(TFAIL, "KVM_GET_REGS at the %s exit: %s expected "
			"0x%016llx, got 0x%016llx", kind, gpr_names[i],
			(unsigned long long)want.gpr[i],
			(unsigned long long)got[i]);
	}
	if ((r.rflags & ARITH_FLAGS) != (want.rflags & ARITH_FLAGS)) {
		bad++;
		tst_res(TFAIL, "KVM_GET_REGS at the %s exit: arithmetic flags "
			"expected 0x%llx, got 0x%llx", kind,
			(unsigned long long)(want.rflags & ARITH_FLAGS),
			(unsigned long long)(r.rflags & ARITH_FLAGS));
	}
	if (!bad)
		tst_res(TPASS, "KVM_GET_REGS at the %s exit: RAX..R15 and "
			"arithmetic flags are the guest's patterns", kind);
}

static enum tst_kvm_action port_write(struct tst_kvm_instance *in,
	void *opaque, uint64_t off, const void *data, unsigned int len)
{
	(void)opaque;
	(void)off;
	if (len == 4) {
		memcpy(&out_value, data, 4);
		port_writes++;
		check_host_view(in, "OUT port");
	} else if (len == 1 && outs_bytes < sizeof(outs_seen)) {
		outs_seen[outs_bytes++] = *(const uint8_t *)data;
	}
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action port_read(struct tst_kvm_instance *in,
	void *opaque, uint64_t off, void *data, unsigned int len)
{
	(void)opaque;
	(void)off;
	port_reads++;
	check_host_view(in, "IN port");
	memset(data, IN_BYTE, len);
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action mmio_write(struct tst_kvm_instance *in,
	void *opaque, uint64_t off, const void *data, unsigned int len)
{
	(void)opaque;
	(void)off;
	mmio_writes++;
	mmio_written = 0;
	memcpy(&mmio_written, data, len < 8 ? len : 8);
	check_host_view(in, "MMIO write");
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action mmio_read(struct tst_kvm_instance *in,
	void *opaque, uint64_t off, void *data, unsigned int len)
{
	uint64_t v = MMIO_VALUE;

	(void)opaque;
	mmio_reads++;
	check_host_view(in, "MMIO read");
	memcpy(data, (uint8_t *)&v + (off & 7), len <= 8 - (off & 7) ?
	       len : 8 - (off & 7));
	return TST_KVM_CONTINUE;
}

static void check_count(const char *what, unsigned long got,
	unsigned long exp)
{
	tst_res(got == exp ? TPASS : TFAIL, "%s: expected %lu, got %lu", what,
		exp, got);
}

static void run(void)
{
	static const struct tst_kvm_device port = {
		.name = "regs test port", .base = TEST_PORT, .size = 4,
		.read = port_read, .write = port_write,
	};
	static const struct tst_kvm_device mmio = {
		.name = "regs test MMIO", .base = TEST_MMIO, .size = 0x1000,
		.read = mmio_read, .write = mmio_write,
	};

	port_writes = outs_bytes = port_reads = mmio_writes = mmio_reads = 0;
	memset(outs_seen, 0, sizeof(outs_seen));
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_add_pio_device(&inst, &port);
	tst_kvm_add_mmio_device(&inst, &mmio);
	tst_kvm_run_instance(&inst);

	check_count("32-bit OUTs at the test port", port_writes, 1);
	check_count("INs at the test port", port_reads, 1);
	check_count("REP OUTSB bytes at the test port", outs_bytes, 4);
	tst_res(!memcmp(outs_seen, "\x11\x22\x33\x44", 4) ? TPASS : TFAIL,
		"REP OUTSB data: %02x %02x %02x %02x (expected 11 22 33 44)",
		outs_seen[0], outs_seen[1], outs_seen[2], outs_seen[3]);
	check_count("MMIO writes", mmio_writes, 1);
	check_count("MMIO reads", mmio_reads, 1);
	check_count("KVM_EXIT_HLT exits", inst.exit_counts[KVM_EXIT_HLT], 1);
	tst_kvm_destroy_instance(&inst);
}

static void cleanup(void)
{
	if (inst.vm_fd > 0)
		tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "GPRs and arithmetic flags preserved across IO, MMIO, "
		       "HLT and in-kernel exits",
	.setup = tst_kvm_setup,
	.test_all = run,
	.cleanup = cleanup,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
