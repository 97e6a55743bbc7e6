/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vcpu_state.c - reading and showing vCPU state: asserting register
 * accessors, guest symbol lookup and "function+offset" names, the register
 * dump with a frame-pointer backtrace, and tst_kvm_brk() which ends a test
 * with all of that attached. They act on the calling thread's vCPU (SMP).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include "tst_test.h"
#include "internal.h"

#define BACKTRACE_DEPTH 8

void tst_kvm_get_regs(const struct tst_kvm_instance *inst,
	struct kvm_regs *regs)
{
	if (ioctl(tst_kvm_cur_fd(inst), KVM_GET_REGS, regs))
		tst_brk(TBROK, "KVM_GET_REGS: %m");
}

void tst_kvm_set_regs(const struct tst_kvm_instance *inst,
	const struct kvm_regs *regs)
{
	if (ioctl(tst_kvm_cur_fd(inst), KVM_SET_REGS, regs))
		tst_brk(TBROK, "KVM_SET_REGS: %m");
}

void tst_kvm_get_sregs(const struct tst_kvm_instance *inst,
	struct kvm_sregs *sregs)
{
	if (ioctl(tst_kvm_cur_fd(inst), KVM_GET_SREGS, sregs))
		tst_brk(TBROK, "KVM_GET_SREGS: %m");
}

void tst_kvm_set_sregs(const struct tst_kvm_instance *inst,
	const struct kvm_sregs *sregs)
{
	if (ioctl(tst_kvm_cur_fd(inst), KVM_SET_SREGS, sregs))
		tst_brk(TBROK, "KVM_SET_SREGS: %m");
}

uint64_t tst_kvm_find_symbol(const struct tst_kvm_instance *inst,
	const char *name)
{
	const struct tst_payload_symbol *s;

	if (!inst->payload)
		return 0;
	s = tst_payload_lookup_name(inst->payload, name);
	return s ? s->addr : 0;
}

uint64_t tst_kvm_symbol(const struct tst_kvm_instance *inst,
	const char *name)
{
	uint64_t addr = tst_kvm_find_symbol(inst, name);

	if (!addr)
		tst_brk(TBROK, "guest payload has no symbol '%s'", name);
	return addr;
}

const char *tst_kvm_symbolize(const struct tst_kvm_instance *inst,
	uint64_t addr, char *buf, size_t len)
{
	const struct tst_payload_symbol *s = NULL;

	if (inst->payload)
		s = tst_payload_lookup_addr(inst->payload, addr);
	if (!s)
		snprintf(buf, len, "?");
	else if (addr == s->addr)
		snprintf(buf, len, "%s", s->name);
	else
		snprintf(buf, len, "%s+0x%llx", s->name,
			 (unsigned long long)(addr - s->addr));
	return buf;
}

static void print_segment(const char *name, const struct kvm_segment *s)
{
	tst_printf("  %-3s=%04x base=%016llx limit=%08x type=%x dpl=%u p=%u "
		   "s=%u l=%u db=%u g=%u%s\n", name, s->selector,
		   (unsigned long long)s->base, s->limit, s->type, s->dpl,
		   s->present, s->s, s->l, s->db, s->g,
		   s->unusable ? " unusable" : "");
}

/* Follow saved RBP links (the payload keeps frame pointers). */
void tst_kvm_print_backtrace(const struct tst_kvm_instance *inst,
	uint64_t rip, uint64_t rbp)
{
	char line[1024], sym[128];
	size_t o;
	int i;

	o = snprintf(line, sizeof(line), "  backtrace: %s",
		     tst_kvm_symbolize(inst, rip, sym, sizeof(sym)));
	for (i = 0; i < BACKTRACE_DEPTH && rbp && o < sizeof(line); i++) {
		uint64_t frame[2];

		if (rbp & 7 || tst_kvm_read_guest(inst, rbp, frame,
						  sizeof(frame)))
			break;
		o += snprintf(line + o, sizeof(line) - o, " <- %s",
			      tst_kvm_symbolize(inst, frame[1], sym,
						sizeof(sym)));
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	tst_printf("%s\n", line);
}

void tst_kvm_dump_vcpu(const struct tst_kvm_instance *inst)
{
	struct kvm_regs r;
	struct kvm_sregs s;
	char sym[128];

	if (ioctl(tst_kvm_cur_fd(inst), KVM_GET_REGS, &r) ||
	    ioctl(tst_kvm_cur_fd(inst), KVM_GET_SREGS, &s)) {
		tst_printf("  (vCPU registers unavailable: %m)\n");
		return;
	}
	tst_printf("  vCPU registers:\n"
		   "  RIP=%016llx (%s) RFLAGS=%08llx\n"
		   "  RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n"
		   "  RSI=%016llx RDI=%016llx RBP=%016llx RSP=%016llx\n"
		   "  R8 =%016llx R9 =%016llx R10=%016llx R11=%016llx\n"
		   "  R12=%016llx R13=%016llx R14=%016llx R15=%016llx\n"
		   "  CR0=%016llx CR2=%016llx CR3=%016llx CR4=%016llx\n"
		   "  CR8=%016llx EFER=%016llx APIC_BASE=%016llx\n"
		   "  GDT=%016llx/%04x IDT=%016llx/%04x\n",
		   r.rip, tst_kvm_symbolize(inst, r.rip, sym, sizeof(sym)),
		   r.rflags, r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp,
		   r.rsp, r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15,
		   s.cr0, s.cr2, s.cr3, s.cr4, s.cr8, s.efer, s.apic_base,
		   s.gdt.base, s.gdt.limit, s.idt.base, s.idt.limit);
	print_segment("CS", &s.cs);
	print_segment("SS", &s.ss);
	print_segment("DS", &s.ds);
	print_segment("ES", &s.es);
	print_segment("FS", &s.fs);
	print_segment("GS", &s.gs);
	print_segment("TR", &s.tr);
	tst_kvm_print_backtrace(inst, r.rip, r.rbp);
}

static pthread_mutex_t report_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void tst_kvm_report_lock(void)
{
	pthread_mutex_lock(&report_lock);
}

void tst_kvm_report_unlock(void)
{
	pthread_mutex_unlock(&report_lock);
}

void tst_kvm_brk_(const char *file, int lineno,
	const struct tst_kvm_instance *inst, const char *fmt, ...)
{
	char msg[2048], prefix[16], *last_file;
	int *last_line;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	/* One vCPU's report at a time, the dump right under its line. */
	tst_kvm_report_lock();
	tst_res_(file, lineno, TBROK, "%s%s",
		 tst_kvm_cpu_prefix(inst, prefix, sizeof(prefix)), msg);
	tst_kvm_dump_vcpu(inst);
	tst_kvm_cur_last_report(inst, &last_file, &last_line);
	if (*last_line)
		tst_printf("  last guest report: %s:%d\n", last_file,
			   *last_line);
	tst_kvm_report_unlock();
	tst_abort();
}
