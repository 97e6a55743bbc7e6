/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest_exception.c - turns the guest's report of an unhandled exception
 * (struct kvm_exception_report) into one TBROK line a user can act on:
 * the vector's name, the decoded error code, CR2 for #PF, RIP with the
 * guest symbol and the last guest report, followed by the saved registers.
 */
#include <stdio.h>
#include <string.h>
#include "tst_test.h"
#include "internal.h"

static const char *const vector_names[32] = {
	"#DE (divide error)", "#DB (debug)", "NMI", "#BP (breakpoint)",
	"#OF (overflow)", "#BR (bound range)", "#UD (invalid opcode)",
	"#NM (device not available)", "#DF (double fault)",
	"coprocessor segment overrun", "#TS (invalid TSS)",
	"#NP (segment not present)", "#SS (stack fault)",
	"#GP (general protection)", "#PF (page fault)", "vector 15",
	"#MF (x87 error)", "#AC (alignment check)", "#MC (machine check)",
	"#XM (SIMD exception)", "#VE (virtualization exception)",
	"#CP (control protection)", "vector 22", "vector 23", "vector 24",
	"vector 25", "vector 26", "vector 27", "#HV (hypervisor injection)",
	"#VC (VMM communication)", "#SX (security exception)", "vector 31",
};

static const char *vector_name(uint64_t vector, char *buf, size_t len)
{
	if (vector < 32)
		return vector_names[vector];
	snprintf(buf, len, "interrupt vector %llu", (unsigned long long)vector);
	return buf;
}

/* SDM Vol. 3A 4.7 */
static void decode_pf(uint64_t ec, char *buf, size_t len)
{
	snprintf(buf, len, " [%s, %s, %s%s%s%s]",
		 ec & X86_PF_P ? "protection violation" : "not present",
		 ec & X86_PF_W ? "write" : "read",
		 ec & X86_PF_U ? "user" : "supervisor",
		 ec & X86_PF_RSVD ? ", reserved bit" : "",
		 ec & X86_PF_I ? ", instruction fetch" : "",
		 ec & X86_PF_PK ? ", protection key" : "");
}

/* SDM Vol. 3A 6.13: selector error codes */
static void decode_selector(uint64_t ec, char *buf, size_t len)
{
	static const char *const tables[] = { "GDT", "IDT", "LDT", "IDT" };

	if (!ec) {
		snprintf(buf, len, " [no selector]");
		return;
	}
	snprintf(buf, len, " [%s %s 0x%llx%s]", tables[(ec >> 1) & 3],
		 (ec & 2) ? "vector" : "selector",
		 (unsigned long long)((ec & 2) ? ec >> 3 : ec & ~7ULL),
		 (ec & 1) ? ", external event" : "");
}

static void decode_errcode(uint64_t vector, uint64_t ec, char *buf,
	size_t len)
{
	buf[0] = '\0';
	if (vector == X86_PF)
		decode_pf(ec, buf, len);
	else if (vector == X86_TS || vector == X86_NP || vector == X86_SS ||
		 vector == X86_GP)
		decode_selector(ec, buf, len);
}

static void dump_frame(const struct kvm_exception_report *rep)
{
	const struct kvm_interrupt_frame *f = &rep->frame;
	const struct kvm_gprs *g = &f->regs;

	tst_printf("  guest registers at the exception:\n"
		   "  RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n"
		   "  RSI=%016llx RDI=%016llx RBP=%016llx RSP=%016llx\n"
		   "  R8 =%016llx R9 =%016llx R10=%016llx R11=%016llx\n"
		   "  R12=%016llx R13=%016llx R14=%016llx R15=%016llx\n"
		   "  RIP=%016llx RFLAGS=%08llx CS=%04llx SS=%04llx\n"
		   "  CR0=%016llx CR2=%016llx CR3=%016llx CR4=%016llx\n"
		   "  EFER=%016llx\n",
		   (unsigned long long)g->rax, (unsigned long long)g->rbx,
		   (unsigned long long)g->rcx, (unsigned long long)g->rdx,
		   (unsigned long long)g->rsi, (unsigned long long)g->rdi,
		   (unsigned long long)g->rbp, (unsigned long long)f->rsp,
		   (unsigned long long)g->r8, (unsigned long long)g->r9,
		   (unsigned long long)g->r10, (unsigned long long)g->r11,
		   (unsigned long long)g->r12, (unsigned long long)g->r13,
		   (unsigned long long)g->r14, (unsigned long long)g->r15,
		   (unsigned long long)f->rip, (unsigned long long)f->rflags,
		   (unsigned long long)f->cs, (unsigned long long)f->ss,
		   (unsigned long long)rep->cr0, (unsigned long long)f->cr2,
		   (unsigned long long)rep->cr3, (unsigned long long)rep->cr4,
		   (unsigned long long)rep->efer);
}

void tst_kvm_report_exception(struct tst_kvm_instance *inst,
	const struct kvm_exception_report *rep)
{
	const struct kvm_interrupt_frame *f = &rep->frame;
	char vbuf[48], ecbuf[96], sym[128], cr2[48] = "", last[300] = "";
	char prefix[16], *last_file;
	int *last_line;

	tst_kvm_symbolize(inst, f->rip, sym, sizeof(sym));
	decode_errcode(f->vector, f->errcode, ecbuf, sizeof(ecbuf));
	if (f->vector == X86_PF)
		snprintf(cr2, sizeof(cr2), ", CR2=0x%llx",
			 (unsigned long long)f->cr2);
	tst_kvm_cur_last_report(inst, &last_file, &last_line);
	if (*last_line)
		snprintf(last, sizeof(last), "; last report at %s:%d",
			 last_file, *last_line);

	tst_kvm_report_lock();
	tst_res(TBROK, "%sunhandled %s in guest%s: error code 0x%llx%s%s at "
		"RIP=0x%llx (%s)%s",
		tst_kvm_cpu_prefix(inst, prefix, sizeof(prefix)),
		vector_name(f->vector, vbuf, sizeof(vbuf)),
		rep->nesting ? " (raised inside an exception handler)" : "",
		(unsigned long long)f->errcode, ecbuf, cr2,
		(unsigned long long)f->rip, sym, last);
	dump_frame(rep);
	tst_kvm_print_backtrace(inst, f->rip, f->regs.rbp);
	tst_kvm_report_unlock();
	tst_abort();
}
