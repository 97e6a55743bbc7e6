/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run_loop.c - the vCPU run loop. Every KVM_RUN exit goes through one
 * table (exit_table) that names the exit and says how to handle it;
 * exits without a handler are unexpected and end the test with a TBROK
 * that decodes the exit and dumps the vCPU. A failing KVM_RUN is either a
 * kick (EINTR: check the watchdog, run again) or the end of the test.
 * Each vCPU of an SMP VM runs this loop on its own thread (host/smp.c);
 * the handlers act on the calling thread's vCPU (tst_kvm_cur_run()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include "tst_test.h"
#include "internal.h"

#ifndef KVM_EXIT_LOONGARCH_IOCSR
# define KVM_EXIT_LOONGARCH_IOCSR 38
#endif
#ifndef KVM_EXIT_MEMORY_FAULT
# define KVM_EXIT_MEMORY_FAULT 39
#endif
#ifndef KVM_SYSTEM_EVENT_SUSPEND
# define KVM_SYSTEM_EVENT_SUSPEND 5
#endif
#ifndef KVM_SYSTEM_EVENT_SEV_TERM
# define KVM_SYSTEM_EVENT_SEV_TERM 6
#endif

typedef enum tst_kvm_action (*exit_fn)(struct tst_kvm_instance *inst);

struct exit_desc {
	const char *name;
	exit_fn handle;		/* NULL: unexpected exit */
};

static enum tst_kvm_action handle_io(struct tst_kvm_instance *inst);
static enum tst_kvm_action handle_mmio(struct tst_kvm_instance *inst);
static enum tst_kvm_action handle_hlt(struct tst_kvm_instance *inst);
static enum tst_kvm_action handle_shutdown(struct tst_kvm_instance *inst);
static enum tst_kvm_action handle_fail_entry(struct tst_kvm_instance *inst);
static enum tst_kvm_action handle_internal_error(
	struct tst_kvm_instance *inst);
static enum tst_kvm_action handle_system_event(struct tst_kvm_instance *inst);

static const struct exit_desc exit_table[] = {
	[KVM_EXIT_UNKNOWN]		= { "UNKNOWN", NULL },
	[KVM_EXIT_EXCEPTION]		= { "EXCEPTION", NULL },
	[KVM_EXIT_IO]			= { "IO", handle_io },
	[KVM_EXIT_HYPERCALL]		= { "HYPERCALL", NULL },
	[KVM_EXIT_DEBUG]		= { "DEBUG", NULL },
	[KVM_EXIT_HLT]			= { "HLT", handle_hlt },
	[KVM_EXIT_MMIO]			= { "MMIO", handle_mmio },
	[KVM_EXIT_IRQ_WINDOW_OPEN]	= { "IRQ_WINDOW_OPEN", NULL },
	[KVM_EXIT_SHUTDOWN]		= { "SHUTDOWN", handle_shutdown },
	[KVM_EXIT_FAIL_ENTRY]		= { "FAIL_ENTRY", handle_fail_entry },
	[KVM_EXIT_INTR]			= { "INTR", NULL },
	[KVM_EXIT_SET_TPR]		= { "SET_TPR", NULL },
	[KVM_EXIT_TPR_ACCESS]		= { "TPR_ACCESS", NULL },
	[KVM_EXIT_S390_SIEIC]		= { "S390_SIEIC", NULL },
	[KVM_EXIT_S390_RESET]		= { "S390_RESET", NULL },
	[KVM_EXIT_DCR]			= { "DCR", NULL },
	[KVM_EXIT_NMI]			= { "NMI", NULL },
	[KVM_EXIT_INTERNAL_ERROR]	= { "INTERNAL_ERROR",
					    handle_internal_error },
	[KVM_EXIT_OSI]			= { "OSI", NULL },
	[KVM_EXIT_PAPR_HCALL]		= { "PAPR_HCALL", NULL },
	[KVM_EXIT_S390_UCONTROL]	= { "S390_UCONTROL", NULL },
	[KVM_EXIT_WATCHDOG]		= { "WATCHDOG", NULL },
	[KVM_EXIT_S390_TSCH]		= { "S390_TSCH", NULL },
	[KVM_EXIT_EPR]			= { "EPR", NULL },
	[KVM_EXIT_SYSTEM_EVENT]		= { "SYSTEM_EVENT",
					    handle_system_event },
	[KVM_EXIT_S390_STSI]		= { "S390_STSI", NULL },
	[KVM_EXIT_IOAPIC_EOI]		= { "IOAPIC_EOI", NULL },
	[KVM_EXIT_HYPERV]		= { "HYPERV", NULL },
	[KVM_EXIT_ARM_NISV]		= { "ARM_NISV", NULL },
	[KVM_EXIT_X86_RDMSR]		= { "X86_RDMSR", NULL },
	[KVM_EXIT_X86_WRMSR]		= { "X86_WRMSR", NULL },
	[KVM_EXIT_DIRTY_RING_FULL]	= { "DIRTY_RING_FULL", NULL },
	[KVM_EXIT_AP_RESET_HOLD]	= { "AP_RESET_HOLD", NULL },
	[KVM_EXIT_X86_BUS_LOCK]		= { "X86_BUS_LOCK", NULL },
	[KVM_EXIT_XEN]			= { "XEN", NULL },
	[KVM_EXIT_RISCV_SBI]		= { "RISCV_SBI", NULL },
	[KVM_EXIT_RISCV_CSR]		= { "RISCV_CSR", NULL },
	[KVM_EXIT_NOTIFY]		= { "NOTIFY", NULL },
	[KVM_EXIT_LOONGARCH_IOCSR]	= { "LOONGARCH_IOCSR", NULL },
	[KVM_EXIT_MEMORY_FAULT]		= { "MEMORY_FAULT", NULL },
};

const char *tst_kvm_exit_name(uint32_t reason)
{
	static __thread char buf[24];

	if (reason < ARRAY_SIZE(exit_table) && exit_table[reason].name)
		return exit_table[reason].name;
	snprintf(buf, sizeof(buf), "UNKNOWN_%u", reason);
	return buf;
}

static const char *const internal_suberrors[] = {
	[KVM_INTERNAL_ERROR_EMULATION] = "instruction emulation failed",
	[KVM_INTERNAL_ERROR_SIMUL_EX] = "exception raised while delivering "
		"an exception",
	[KVM_INTERNAL_ERROR_DELIVERY_EV] = "event delivery failed",
	[KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON] = "unexpected hardware "
		"exit reason",
};

static const char *const system_events[] = {
	[KVM_SYSTEM_EVENT_SHUTDOWN] = "SHUTDOWN",
	[KVM_SYSTEM_EVENT_RESET] = "RESET",
	[KVM_SYSTEM_EVENT_CRASH] = "CRASH",
	[KVM_SYSTEM_EVENT_WAKEUP] = "WAKEUP",
	[KVM_SYSTEM_EVENT_SUSPEND] = "SUSPEND",
	[KVM_SYSTEM_EVENT_SEV_TERM] = "SEV_TERM",
};

#define TABLE_NAME(table, i) \
	((i) < ARRAY_SIZE(table) && (table)[i] ? (table)[i] : "unknown")

static void hex_bytes(char *buf, size_t len, const uint8_t *data,
	unsigned int n)
{
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && o + 4 < len; i++)
		o += snprintf(buf + o, len - o, "%s%02x", i ? " " : "",
			      data[i]);
}

void tst_kvm_describe_exit(const struct tst_kvm_instance *inst, char *buf,
	size_t len)
{
	const struct kvm_run *run = tst_kvm_cur_run(inst);
	char data[64];
	uint32_t i, n;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		n = run->io.size * run->io.count;
		if (run->io.data_offset + (uint64_t)n <= inst->vcpu_info_size)
			hex_bytes(data, sizeof(data), (const uint8_t *)run +
				  run->io.data_offset, n < 16 ? n : 16);
		else
			snprintf(data, sizeof(data), "(out of bounds)");
		snprintf(buf, len, "%s port 0x%x, %u bytes x %u, data [%s]",
			 run->io.direction == KVM_EXIT_IO_OUT ? "OUT" : "IN",
			 run->io.port, run->io.size, run->io.count, data);
		break;
	case KVM_EXIT_MMIO:
		hex_bytes(data, sizeof(data), run->mmio.data,
			  run->mmio.len < 8 ? run->mmio.len : 8);
		snprintf(buf, len, "MMIO %s at 0x%llx, %u bytes, data [%s]",
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr, run->mmio.len,
			 data);
		break;
	case KVM_EXIT_INTERNAL_ERROR: {
		size_t o;

		n = run->internal.ndata;
		o = snprintf(buf, len, "suberror %u (%s), %u data words",
			     run->internal.suberror,
			     TABLE_NAME(internal_suberrors,
					run->internal.suberror), n);
		for (i = 0; i < n && i < 16 && o < len; i++)
			o += snprintf(buf + o, len - o, "%s0x%llx",
				      i ? " " : ": ",
				      (unsigned long long)run->internal.data[i]);
		break;
	}
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(buf, len, "hardware entry failure reason 0x%llx on "
			 "CPU %u", (unsigned long long)
			 run->fail_entry.hardware_entry_failure_reason,
			 run->fail_entry.cpu);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		snprintf(buf, len, "system event %u (%s)",
			 run->system_event.type,
			 TABLE_NAME(system_events, run->system_event.type));
		break;
	case KVM_EXIT_DEBUG:
		snprintf(buf, len, "debug exception %u at 0x%llx, DR6=0x%llx "
			 "DR7=0x%llx", run->debug.arch.exception,
			 (unsigned long long)run->debug.arch.pc,
			 (unsigned long long)run->debug.arch.dr6,
			 (unsigned long long)run->debug.arch.dr7);
		break;
	case KVM_EXIT_HYPERCALL:
		snprintf(buf, len, "hypercall nr 0x%llx",
			 (unsigned long long)run->hypercall.nr);
		break;
	default:
		snprintf(buf, len, "no further data");
		break;
	}
}

static enum tst_kvm_action handle_io(struct tst_kvm_instance *inst)
{
	struct kvm_run *run = tst_kvm_cur_run(inst);
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint64_t total = (uint64_t)run->io.size * run->io.count;
	int is_write = run->io.direction == KVM_EXIT_IO_OUT;
	uint32_t i;

	if (run->io.size > 4 || run->io.data_offset > inst->vcpu_info_size ||
	    total > inst->vcpu_info_size - run->io.data_offset)
		tst_kvm_brk(inst, "KVM reported port I/O with %u x %u bytes at "
			    "offset %llu of a %zu-byte kvm_run", run->io.count,
			    run->io.size,
			    (unsigned long long)run->io.data_offset,
			    inst->vcpu_info_size);

	for (i = 0; i < run->io.count; i++) {
		if (tst_kvm_bus_access(inst, &inst->pio, run->io.port,
				       data + i * run->io.size, run->io.size,
				       is_write) == TST_KVM_STOP)
			return TST_KVM_STOP;
	}
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action handle_mmio(struct tst_kvm_instance *inst)
{
	struct kvm_run *run = tst_kvm_cur_run(inst);

	if (!run->mmio.len || run->mmio.len > sizeof(run->mmio.data))
		tst_kvm_brk(inst, "KVM reported an MMIO access of %u bytes",
			    run->mmio.len);
	return tst_kvm_bus_access(inst, &inst->mmio, run->mmio.phys_addr,
				  run->mmio.data, run->mmio.len,
				  run->mmio.is_write);
}

/*
 * Without an in-kernel irqchip HLT comes to user space. Nothing here can
 * wake the vCPU, so the halt completes at once and the guest goes on; the
 * exit counter tells tests how many halts there were.
 */
static enum tst_kvm_action handle_hlt(struct tst_kvm_instance *inst)
{
	(void)inst;
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action handle_shutdown(struct tst_kvm_instance *inst)
{
	struct kvm_regs regs;
	char sym[128];

	/* Some KVMs (SVM) reset the vCPU on shutdown: say what we see. */
	tst_kvm_get_regs(inst, &regs);
	tst_kvm_brk(inst, "guest triple fault (KVM_EXIT_SHUTDOWN): an "
		    "exception could not be delivered; RIP after the "
		    "shutdown 0x%llx (%s)", (unsigned long long)regs.rip,
		    tst_kvm_symbolize(inst, regs.rip, sym, sizeof(sym)));
}

static enum tst_kvm_action handle_fail_entry(struct tst_kvm_instance *inst)
{
	char desc[160];

	tst_kvm_describe_exit(inst, desc, sizeof(desc));
	tst_kvm_brk(inst, "KVM could not enter the guest "
		    "(KVM_EXIT_FAIL_ENTRY): %s", desc);
}

static enum tst_kvm_action handle_internal_error(
	struct tst_kvm_instance *inst)
{
	char desc[512], insn[64] = "unreadable", sym[128];
	uint8_t bytes[15];
	struct kvm_regs regs;

	tst_kvm_describe_exit(inst, desc, sizeof(desc));
	tst_kvm_get_regs(inst, &regs);
	if (!tst_kvm_read_guest(inst, regs.rip, bytes, sizeof(bytes)))
		hex_bytes(insn, sizeof(insn), bytes, sizeof(bytes));
	tst_kvm_brk(inst, "KVM internal error (KVM_EXIT_INTERNAL_ERROR): %s; "
		    "instruction bytes at RIP 0x%llx (%s): %s", desc,
		    (unsigned long long)regs.rip,
		    tst_kvm_symbolize(inst, regs.rip, sym, sizeof(sym)), insn);
}

static enum tst_kvm_action handle_system_event(struct tst_kvm_instance *inst)
{
	uint32_t type = tst_kvm_cur_run(inst)->system_event.type;

	if (type == KVM_SYSTEM_EVENT_SHUTDOWN || type == KVM_SYSTEM_EVENT_RESET) {
		tst_res(TINFO, "guest requested %s (KVM_EXIT_SYSTEM_EVENT)",
			type == KVM_SYSTEM_EVENT_RESET ? "a reset" :
			"power off");
		inst->finished = 1;
		return TST_KVM_STOP;
	}
	tst_kvm_brk(inst, "guest system event %u (%s)", type,
		    TABLE_NAME(system_events, type));
}

static void unexpected_exit(struct tst_kvm_instance *inst)
{
	char desc[512];
	uint32_t reason = tst_kvm_cur_run(inst)->exit_reason;

	tst_kvm_describe_exit(inst, desc, sizeof(desc));
	tst_kvm_brk(inst, "unexpected exit KVM_EXIT_%s (%u): %s",
		    tst_kvm_exit_name(reason), reason, desc);
}

static void report_timeout(struct tst_kvm_instance *inst)
{
	struct kvm_regs regs;
	char sym[128];

	tst_kvm_get_regs(inst, &regs);
	tst_kvm_symbolize(inst, regs.rip, sym, sizeof(sym));
	tst_kvm_brk(inst, "guest still running after %.0f s at RIP=0x%llx "
		    "(%s)", tst_watchdog_seconds(),
		    (unsigned long long)regs.rip, sym);
}

/* KVM_RUN failed: 0 to run again, or the test ends. */
static void run_error(struct tst_kvm_instance *inst, int err)
{
	switch (err) {
	case EINTR:	/* a kick; the watchdog is checked before re-entry */
		tst_kvm_cur_run(inst)->immediate_exit = 0;
		return;
	case EAGAIN:
		return;
	case EFAULT:
		tst_kvm_brk(inst, "KVM_RUN: %s: guest memory not accessible "
			    "to the host", strerror(err));
	default:
		tst_kvm_brk(inst, "KVM_RUN failed: %s", strerror(err));
	}
}

static void dispatch_exit(struct tst_kvm_instance *inst,
	enum tst_kvm_action *action)
{
	uint32_t reason = tst_kvm_cur_run(inst)->exit_reason;
	const struct exit_desc *d = NULL;

	if (reason < TST_KVM_EXIT_REASONS)
		__atomic_add_fetch(&inst->exit_counts[reason], 1,
				   __ATOMIC_RELAXED);
	if (reason < ARRAY_SIZE(exit_table))
		d = &exit_table[reason];
	if (!d || !d->handle)
		unexpected_exit(inst);
	*action = d->handle(inst);
}

/*
 * One vCPU's loop on the calling thread, until an exit handler stops it,
 * or another vCPU ended the run (SMP), or the test is being stopped.
 */
void tst_kvm_run_vcpu(struct tst_kvm_instance *inst, struct tst_kvm_vcpu *v)
{
	enum tst_kvm_action action = TST_KVM_CONTINUE;

	tst_vcpu_thread_enter(v->run);
	while (action == TST_KVM_CONTINUE) {
		if (tst_watchdog_expired())
			report_timeout(inst);
		if (tst_vcpu_stop_requested())
			tst_vcpu_thread_halt();
		if (__atomic_load_n(&inst->ending, __ATOMIC_SEQ_CST))
			break;
		if (ioctl(v->fd, KVM_RUN, 0) < 0)
			run_error(inst, errno);
		else
			dispatch_exit(inst, &action);
	}
	tst_vcpu_thread_leave();
}

void tst_kvm_run_instance(struct tst_kvm_instance *inst)
{
	struct tst_kvm_vcpu *cpu0 = &inst->vcpu[0];
	struct kvm_sregs sregs;

	/* Paging registers for guest-memory access from other threads. */
	tst_kvm_get_sregs(inst, &sregs);
	inst->paging_cr0 = sregs.cr0;
	inst->paging_cr3 = sregs.cr3;
	inst->paging_efer = sregs.efer;
	inst->run_thread = pthread_self();
	__atomic_store_n(&inst->running, 1, __ATOMIC_RELEASE);

	inst->finished = 0;
	inst->results = 0;
	inst->serial.bytes = 0;
	inst->serial.capture_len = 0;

	/* An instance built by hand has only the LTP fields. */
	cpu0->inst = inst;
	cpu0->fd = inst->vcpu_fd;
	cpu0->run = inst->vcpu_info;
	if (!inst->nr_vcpus)
		inst->nr_vcpus = 1;
	tst_kvm_smp_start(inst);
	tst_kvm_set_this_vcpu(cpu0);
	tst_kvm_run_vcpu(inst, cpu0);
	tst_kvm_smp_vcpu_done(inst, cpu0);
	tst_kvm_smp_join(inst);
	tst_kvm_set_this_vcpu(NULL);

	__atomic_store_n(&inst->running, 0, __ATOMIC_RELEASE);
	tst_kvm_serial_flush(inst);
	pthread_mutex_lock(&inst->sync_lock);
	inst->finished = 1;
	pthread_cond_broadcast(&inst->sync_cond);
	pthread_mutex_unlock(&inst->sync_lock);
}
