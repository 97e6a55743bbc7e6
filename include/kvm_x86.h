/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_x86.h - the guest runtime's x86 API: exception vectors and interrupt
 * callbacks, fault-catching ("safe") instruction helpers, CPUID, control
 * registers, MSRs and page-table entries. Payload pass only.
 */
#ifndef KVM_X86_H
#define KVM_X86_H

#include "kvm_guest.h"
#include "x86_defs.h"

/*
 * Interrupt callbacks. The frame is struct kvm_interrupt_frame
 * (kvm_common.h): CR2 at entry, all GPRs, vector, error code and the iret
 * frame. The callback may change any of them; they are restored on return.
 *
 * Return value: 0 means "handled": execution resumes at the frame's RIP
 * (kvm_set_interrupt_ip() changes it; for faults it is the faulting
 * instruction, so a handler that does not fix the cause must move RIP or
 * the fault repeats). Non-zero means "not handled": the test ends with
 * TBROK naming the exception, exactly as if no callback were set.
 */
typedef int (*tst_interrupt_callback)(void *userdata,
	struct kvm_interrupt_frame *ifrm, unsigned long errcode);

/*
 * Install @func for @vector (0-255), replacing any previous one; NULL
 * removes it and the vector becomes fatal again.
 */
void tst_set_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata);

static inline uintptr_t kvm_get_interrupt_ip(
	const struct kvm_interrupt_frame *ifrm)
{
	return ifrm->rip;
}

static inline void kvm_set_interrupt_ip(struct kvm_interrupt_frame *ifrm,
	uintptr_t ip)
{
	ifrm->rip = ip;
}

/*
 * "#PF", "#GP"... for vectors 0-31, "vector 42" for the others (in a
 * static buffer: the next call may overwrite it), "no exception" for
 * KVM_NO_EXC.
 */
const char *kvm_exception_name(int vector);

/* Number of exceptions delivered so far (all vectors), for tests. */
extern volatile unsigned long kvm_interrupt_count[256];

/*
 * Fault catching. KVM_ASM_SAFE(insn) emits @insn with an exception-table
 * entry: a fault on it does not reach the callbacks; execution continues
 * after it and kvm_exc_vector() tells which exception it was. The *_safe()
 * helpers return the vector, or KVM_NO_EXC when nothing was raised.
 * The entry matches the saved RIP: an exception reported at another RIP,
 * such as a trap (#BP from INT3, #DB from INT1: RIP after the instruction)
 * is not caught and goes to the callbacks, or ends the test as unhandled.
 */
#define KVM_NO_EXC	(-1)

struct kvm_exc_info {
	int vector;		/* KVM_NO_EXC if none */
	unsigned long errcode;
	uint64_t cr2;
	uintptr_t rip;		/* of the faulting instruction */
	unsigned long count;	/* exceptions caught so far */
	/* The whole frame at the exception: registers, RFLAGS, RSP... */
	struct kvm_interrupt_frame frame;
};

extern struct kvm_exc_info kvm_last_exc;

#define KVM_ASM_EXTABLE(from, to) \
	".pushsection .kvm_extable, \"a\"\n\t" \
	".balign 8\n\t" \
	".quad " from ", " to "\n\t" \
	".popsection\n\t"

#define KVM_ASM_SAFE(insn) \
	"1: " insn "\n\t" \
	"2:\n\t" \
	KVM_ASM_EXTABLE("1b", "2b")

/*
 * Marks: where an instruction under test is. KVM_ASM_MARK_AT(mark, insn)
 * emits @insn between the local labels 1 and 2 and, right before it,
 * stores in the struct kvm_asm_mark named @mark (a global symbol) the
 * address of @insn, the address after it and RSP. It clobbers R11.
 * KVM_ASM_MARK(insn) uses kvm_mark. For tests whose callbacks check the
 * frame against the mark and resume at next_ip (KVM_ASM_SAFE() would
 * catch the exception before any callback); a callback raising another
 * marked exception needs its own mark (KVM_ASM_MARK_AT).
 * KVM_ASM_SAFE_MARK(insn) is KVM_ASM_SAFE() with kvm_mark set: a test
 * can compare kvm_last_exc.rip and frame.rsp with it.
 */
struct kvm_asm_mark {
	uintptr_t insn_ip;	/* the instruction */
	uintptr_t next_ip;	/* right after it */
	uintptr_t rsp;		/* RSP when it starts */
};

extern struct kvm_asm_mark kvm_mark;

#define __kvm_asm_mark_store(mark) \
	"lea 1f(%%rip), %%r11\n\t" \
	"mov %%r11, " mark "+0(%%rip)\n\t" \
	"lea 2f(%%rip), %%r11\n\t" \
	"mov %%r11, " mark "+8(%%rip)\n\t" \
	"mov %%rsp, " mark "+16(%%rip)\n\t"

#define KVM_ASM_MARK_AT(mark, insn) \
	__kvm_asm_mark_store(mark) \
	"1: " insn "\n\t" \
	"2:\n\t"

#define KVM_ASM_MARK(insn) KVM_ASM_MARK_AT("kvm_mark", insn)

#define KVM_ASM_SAFE_MARK(insn) \
	__kvm_asm_mark_store("kvm_mark") \
	KVM_ASM_SAFE(insn)

/*
 * Install @func on every exception vector (0-31) but #DF, NMI and #MC,
 * which run on their own stacks and cannot always be resumed; NULL
 * removes it from them. For tests that record whichever exception an
 * instruction raises.
 */
void tst_set_exception_callbacks(tst_interrupt_callback func,
	void *userdata);

static inline void kvm_exc_clear(void)
{
	kvm_last_exc.vector = KVM_NO_EXC;
	__asm__ __volatile__("" ::: "memory");
}

static inline int kvm_exc_vector(void)
{
	__asm__ __volatile__("" ::: "memory");
	return kvm_last_exc.vector;
}

/* CPUID */
struct kvm_cpuid {
	unsigned int eax, ebx, ecx, edx;
};

void kvm_get_cpuid(unsigned int eax, unsigned int ecx, struct kvm_cpuid *buf);
/* Test one feature bit (X86_FEATURE_* from x86_defs.h). */
int kvm_cpu_has(uint64_t feature);

/* Control registers */
struct kvm_cregs {
	unsigned long cr0, cr2, cr3, cr4;
};

void kvm_read_cregs(struct kvm_cregs *buf);

static inline unsigned long kvm_read_cr0(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline unsigned long kvm_read_cr2(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline unsigned long kvm_read_cr3(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline unsigned long kvm_read_cr4(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void kvm_write_cr0(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr0" :: "r"(v) : "memory");
}

static inline void kvm_write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" :: "r"(v) : "memory");
}

static inline void kvm_write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" :: "r"(v) : "memory");
}

int kvm_write_cr0_safe(unsigned long v);
int kvm_write_cr4_safe(unsigned long v);

/* MSRs */
uint64_t kvm_rdmsr(unsigned int msr);
void kvm_wrmsr(unsigned int msr, uint64_t value);
int kvm_rdmsr_safe(unsigned int msr, uint64_t *value);
int kvm_wrmsr_safe(unsigned int msr, uint64_t value);

static inline uint64_t kvm_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline unsigned long kvm_read_rflags(void)
{
	unsigned long v;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void kvm_cli(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void kvm_sti(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void kvm_hlt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

static inline void kvm_outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline void kvm_outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" :: "a"(v), "Nd"(port));
}

static inline void kvm_outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t kvm_inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t kvm_inw(uint16_t port)
{
	uint16_t v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t kvm_inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Page tables (PAE and 4-level paging share the entry format). */
struct page_table_entry_pae {
	unsigned int present: 1;
	unsigned int writable: 1;
	unsigned int user_access: 1;
	unsigned int write_through: 1;
	unsigned int disable_cache: 1;
	unsigned int accessed: 1;
	unsigned int dirty: 1;
	unsigned int page_type: 1;
	unsigned int global: 1;
	unsigned int padding: 3;
	uint64_t address: 40;
	unsigned int padding2: 7;
	unsigned int prot_key: 4;
	unsigned int noexec: 1;
} __attribute__((__packed__));

/*
 * Physical address the entry points to (next table or page frame), 0 if
 * the entry is not present.
 */
uintptr_t kvm_get_page_address_pae(const struct page_table_entry_pae *entry);

#endif /* KVM_X86_H */
