// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Nested exceptions and #DF. An exception raised inside a callback is
 * delivered on top of the first one (no IST: the same stack, below the
 * first frame) and both complete: the #GP callback executes UD2, the #UD
 * callback skips it, then the #GP callback resumes the original code;
 * also three levels (#GP -> #UD -> #DE). An unhandled exception inside a
 * callback ends the test with TBROK saying "raised inside an exception
 * handler", and one after the nesting unwound does not.
 *
 * #DF (SDM Vol. 3A 6.15 "Interrupt 8", Table 6-5): a page fault while
 * delivering a page fault (the stack is unmapped), a contributory
 * exception while delivering a contributory one (#SS pushing onto a
 * non-canonical RSP; #GP through a not-present #GP gate -> #NP; #GP
 * through a gate beyond the IDT limit -> #GP) and a contributory one while
 * delivering a page fault (#NP from a not-present #PF gate) must each
 * raise #DF, with error code 0, on its IST stack (IST1 in the framework's
 * IDT: SDM Vol. 3A 6.14.5), without the callback of the first exception
 * running. The saved RIP of #DF is undefined (an abort), so the callback
 * restores RSP and RIP itself to resume.
 *
 * Each case runs in its own VM (tst_case_run()): the passing ones with
 * tst_kvm_run_cases(), the TBROK ones, last, with
 * tst_kvm_expect_guest_verdict().
 */
#include "kvm_test.h"

/* X(function, name): cases that pass */
#define NESTED_CASES(X) \
	X(ud_in_gp, "#UD inside the #GP callback") \
	X(three_levels, "#GP -> #UD -> #DE") \
	X(df_pf_pf, "#DF: #PF while delivering #PF") \
	X(df_ss_ss, "#DF: #SS while delivering #SS") \
	X(df_gp_np, "#DF: #NP while delivering #GP") \
	X(df_gp_limit, "#DF: #GP while delivering #GP (IDT limit)") \
	X(df_pf_np, "#DF: #NP while delivering #PF")

/* X(function, name, the TBROK line the host looks for): after the others */
#define NESTED_BROKEN(X) \
	X(unhandled_inside, "unhandled #GP inside the #UD callback", \
	  "TBROK: unhandled #GP (general protection) in guest (raised " \
	  "inside an exception handler)") \
	X(unhandled_after, "unhandled #UD after nesting unwound", \
	  "TBROK: unhandled #UD (invalid opcode) in guest: error code 0x0")

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/*
 * Where the instruction under test is and where to resume after it: the
 * outer level in kvm_mark (KVM_ASM_MARK()), the inner levels in their own
 * marks, as each callback needs its level's after the inner one returned.
 */
struct kvm_asm_mark inner_mark, third_mark;
/* The good RSP while a case runs on a bad one. */
uint64_t saved_rsp;

/* KVM_ASM_MARK() clobbers R11. */
#define CLOBBERS "r11", "cc", "memory"

static void check_u64(const char *what, uint64_t exp, uint64_t got)
{
	if (exp == got)
		tst_res(TPASS, "%s = 0x%llx", what, (unsigned long long)got);
	else
		tst_res(TFAIL, "%s: expected 0x%llx, got 0x%llx", what,
			(unsigned long long)exp, (unsigned long long)got);
}

/* What each level saw; depth is the callbacks active at entry + 1. */
struct level {
	unsigned int calls, depth;
	uint64_t vector, errcode, rip, rsp;
	uintptr_t frame;
	int frame_intact;	/* outer frame unchanged after the inner */
};

static struct level gp, ud, de;
static unsigned int depth, max_depth;

static void enter(struct level *l, struct kvm_interrupt_frame *ifrm)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	l->calls++;
	l->depth = depth;
	l->vector = ifrm->vector;
	l->errcode = ifrm->errcode;
	l->rip = ifrm->rip;
	l->rsp = ifrm->rsp;
	l->frame = (uintptr_t)ifrm;
}

static int de_cb(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	enter(&de, ifrm);
	kvm_set_interrupt_ip(ifrm, third_mark.next_ip);
	depth--;
	return 0;
}

/* With userdata != NULL, divide by zero before returning. */
static int ud_cb(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct kvm_interrupt_frame copy = *ifrm;

	(void)errcode;
	enter(&ud, ifrm);
	if (userdata) {
		__asm__ __volatile__(KVM_ASM_MARK_AT("third_mark",
						     "divl %%ecx")
				     :: "a"(1), "d"(0), "c"(0) : CLOBBERS);
		ud.frame_intact = !memcmp(&copy, ifrm, sizeof(copy));
	}
	kvm_set_interrupt_ip(ifrm, inner_mark.next_ip);
	depth--;
	return 0;
}

static int gp_cb(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct kvm_interrupt_frame copy = *ifrm;

	(void)userdata;
	(void)errcode;
	enter(&gp, ifrm);
	__asm__ __volatile__(KVM_ASM_MARK_AT("inner_mark", "ud2")
			     ::: CLOBBERS);
	gp.frame_intact = !memcmp(&copy, ifrm, sizeof(copy));
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	depth--;
	return 0;
}

static void bad_ds_load(void)
{
	__asm__ __volatile__(KVM_ASM_MARK("mov %0, %%ds")
			     :: "r"((uint16_t)0x50) : CLOBBERS);
}

static void check_level(const char *what, const struct level *l,
	unsigned int vec, uint64_t errcode, unsigned int lvl, uintptr_t rip)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s callback calls", what);
	check_u64(buf, 1, l->calls);
	snprintf(buf, sizeof(buf), "%s vector", what);
	check_u64(buf, vec, l->vector);
	snprintf(buf, sizeof(buf), "%s error code", what);
	check_u64(buf, errcode, l->errcode);
	snprintf(buf, sizeof(buf), "%s nesting depth", what);
	check_u64(buf, lvl, l->depth);
	snprintf(buf, sizeof(buf), "%s RIP (the faulting instruction)", what);
	check_u64(buf, rip, l->rip);
}

/* The inner frame lies below the outer one, on the same stack. */
static void check_below(const char *what, const struct level *inner,
	const struct level *outer)
{
	if (inner->frame < outer->frame && inner->rsp < outer->frame)
		tst_res(TPASS, "%s frame at 0x%llx below the outer one at "
			"0x%llx", what, (unsigned long long)inner->frame,
			(unsigned long long)outer->frame);
	else
		tst_res(TFAIL, "%s frame at 0x%llx (RSP 0x%llx): expected "
			"below the outer frame at 0x%llx", what,
			(unsigned long long)inner->frame,
			(unsigned long long)inner->rsp,
			(unsigned long long)outer->frame);
}

static void ud_in_gp(void)
{
	tst_set_interrupt_callback(X86_GP, gp_cb, NULL);
	tst_set_interrupt_callback(X86_UD, ud_cb, NULL);
	bad_ds_load();
	tst_set_interrupt_callback(X86_GP, NULL, NULL);
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	check_level("#GP", &gp, X86_GP, 0x50, 1, kvm_mark.insn_ip);
	check_level("#UD", &ud, X86_UD, 0, 2, inner_mark.insn_ip);
	check_below("#UD", &ud, &gp);
	if (gp.frame_intact)
		tst_res(TPASS, "#GP frame unchanged by the nested #UD");
	else
		tst_res(TFAIL, "#GP frame changed by the nested #UD");
	check_u64("deepest nesting", 2, max_depth);
	tst_res(TPASS, "the original code resumed after both callbacks");
}

static void three_levels(void)
{
	tst_set_interrupt_callback(X86_GP, gp_cb, NULL);
	tst_set_interrupt_callback(X86_UD, ud_cb, &ud);
	tst_set_interrupt_callback(X86_DE, de_cb, NULL);
	bad_ds_load();
	tst_set_interrupt_callback(X86_GP, NULL, NULL);
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	tst_set_interrupt_callback(X86_DE, NULL, NULL);
	check_level("#GP", &gp, X86_GP, 0x50, 1, kvm_mark.insn_ip);
	check_level("#UD", &ud, X86_UD, 0, 2, inner_mark.insn_ip);
	check_level("#DE", &de, X86_DE, 0, 3, third_mark.insn_ip);
	check_below("#UD", &ud, &gp);
	check_below("#DE", &de, &ud);
	if (gp.frame_intact && ud.frame_intact)
		tst_res(TPASS, "outer frames unchanged by the nested "
			"exceptions");
	else
		tst_res(TFAIL, "outer frames changed by the nested exceptions "
			"(#GP %s, #UD %s)", gp.frame_intact ? "intact" :
			"changed", ud.frame_intact ? "intact" : "changed");
	check_u64("deepest nesting", 3, max_depth);
}

static int ud_then_gp(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)ifrm;
	(void)errcode;
	__asm__ __volatile__("mov %0, %%ds" :: "r"((uint16_t)0x50));
	return 0;
}

/* Host expects TBROK "... (raised inside an exception handler)". */
static void unhandled_inside(void)
{
	tst_set_interrupt_callback(X86_UD, ud_then_gp, NULL);
	__asm__ __volatile__("ud2");
	tst_res(TFAIL, "went on after an unhandled #GP");
}

/* Host expects TBROK "unhandled #UD ... in guest: error code". */
static void unhandled_after(void)
{
	tst_set_interrupt_callback(X86_GP, gp_cb, NULL);
	tst_set_interrupt_callback(X86_UD, ud_cb, NULL);
	bad_ds_load();
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	__asm__ __volatile__("ud2");
	tst_res(TFAIL, "went on after an unhandled #UD");
}

/* #DF */
static struct level df, first;

static int df_cb(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	enter(&df, ifrm);
	ifrm->rsp = saved_rsp;
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	depth--;
	return 0;
}

/* Must not run: the first exception could not be delivered. */
static int first_cb(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	(void)userdata;
	(void)errcode;
	enter(&first, ifrm);
	ifrm->rsp = saved_rsp;
	kvm_set_interrupt_ip(ifrm, kvm_mark.next_ip);
	depth--;
	return 0;
}

static void check_df(unsigned int first_vec)
{
	uintptr_t bottom = KVM_IST1_GUARD + KVM_PAGE_SIZE;

	if (first.calls)
		tst_res(TFAIL, "the %s callback ran (vector %llu, error code "
			"0x%llx); expected #DF", kvm_exception_name(first_vec),
			(unsigned long long)first.vector,
			(unsigned long long)first.errcode);
	else
		tst_res(TPASS, "the %s callback did not run",
			kvm_exception_name(first_vec));
	if (!df.calls) {
		tst_res(TFAIL, "expected #DF, got none");
		return;
	}
	check_u64("#DF callback calls", 1, df.calls);
	check_u64("#DF vector", X86_DF, df.vector);
	/* SDM Vol. 3A 6.15 "Interrupt 8": error code always 0 */
	check_u64("#DF error code", 0, df.errcode);
	/* SDM Vol. 3A 6.14.5; the IDT gives #DF IST1 */
	if (df.frame >= bottom && df.frame < KVM_IST1_TOP)
		tst_res(TPASS, "#DF frame at 0x%llx on the IST1 stack "
			"[0x%llx, 0x%llx)", (unsigned long long)df.frame,
			(unsigned long long)bottom,
			(unsigned long long)KVM_IST1_TOP);
	else
		tst_res(TFAIL, "#DF frame at 0x%llx: expected on the IST1 "
			"stack [0x%llx, 0x%llx)", (unsigned long long)df.frame,
			(unsigned long long)bottom,
			(unsigned long long)KVM_IST1_TOP);
}

static void df_callbacks(unsigned int first_vec, tst_interrupt_callback f)
{
	tst_set_interrupt_callback(X86_DF, f ? df_cb : NULL, NULL);
	tst_set_interrupt_callback(first_vec, f, NULL);
}

/* Switch to @rsp, run @insn, switch back (the #DF callback does too). */
#define ON_STACK(rsp, insn) \
	__asm__ __volatile__("mov %%rsp, saved_rsp(%%rip)\n\t" \
			     "mov %[stk], %%rsp\n\t" \
			     KVM_ASM_MARK(insn) \
			     "mov saved_rsp(%%rip), %%rsp\n\t" \
			     :: [stk] "r"((uint64_t)(rsp)) : "rax", CLOBBERS)

/* Table 6-5: page fault, then page fault -> #DF. */
static void df_pf_pf(void)
{
	df_callbacks(X86_PF, first_cb);
	/* A NULL read; its #PF is pushed onto the unmapped stack guard. */
	ON_STACK(KVM_STACK_GUARD + 0x800, "mov 0, %%rax");
	df_callbacks(X86_PF, NULL);
	check_df(X86_PF);
}

/* Table 6-5: contributory, then contributory -> #DF. */
static void df_ss_ss(void)
{
	df_callbacks(X86_SS, first_cb);
	ON_STACK(0x8000000000000800ull, "push %%rax");
	df_callbacks(X86_SS, NULL);
	check_df(X86_SS);
}

struct idt_gate {
	uint16_t offset0, selector;
	uint8_t ist, type_attr;
	uint16_t offset1;
	uint32_t offset2, reserved;
} __attribute__((packed));

static struct idt_gate *gate(unsigned int vector)
{
	return (struct idt_gate *)KVM_IDT_BASE + vector;
}

static void df_gp_np(void)
{
	uint8_t attr = gate(X86_GP)->type_attr;

	df_callbacks(X86_GP, first_cb);
	gate(X86_GP)->type_attr = attr & 0x7f;	/* P = 0 */
	__asm__ __volatile__("mov %%rsp, saved_rsp(%%rip)" ::: "memory");
	bad_ds_load();
	gate(X86_GP)->type_attr = attr;
	df_callbacks(X86_GP, NULL);
	check_df(X86_GP);
}

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void df_gp_limit(void)
{
	struct dtr full, part;

	__asm__ __volatile__("sidt %0" : "=m"(full));
	part = full;
	part.limit = X86_GP * 16 - 1;	/* vectors 0..12 */
	df_callbacks(X86_GP, first_cb);
	__asm__ __volatile__("mov %%rsp, saved_rsp(%%rip)" ::: "memory");
	__asm__ __volatile__("lidt %0" :: "m"(part));
	bad_ds_load();
	__asm__ __volatile__("lidt %0" :: "m"(full));
	df_callbacks(X86_GP, NULL);
	check_df(X86_GP);
}

/* Table 6-5: page fault, then contributory -> #DF. */
static void df_pf_np(void)
{
	uint8_t attr = gate(X86_PF)->type_attr;

	df_callbacks(X86_PF, first_cb);
	gate(X86_PF)->type_attr = attr & 0x7f;
	__asm__ __volatile__("mov %%rsp, saved_rsp(%%rip)" ::: "memory");
	__asm__ __volatile__(KVM_ASM_MARK("mov 0, %%rax") ::: "rax", CLOBBERS);
	gate(X86_PF)->type_attr = attr;
	df_callbacks(X86_PF, NULL);
	check_df(X86_PF);
}

static const struct tst_case cases[] = {
#define NESTED_ENTRY(fn, name, ...) { name, fn },
	NESTED_CASES(NESTED_ENTRY)
	NESTED_BROKEN(NESTED_ENTRY)
};

void main(void)
{
	tst_case_run(cases, ARRAY_SIZE(cases));
}

#else /* COMPILE_PAYLOAD */

static const char *const names[] = {
#define NESTED_NAME(fn, name) name,
	NESTED_CASES(NESTED_NAME)
};

static const char *const broken_lines[] = {
#define NESTED_LINE(fn, name, line) line,
	NESTED_BROKEN(NESTED_LINE)
};

static void run(void)
{
	unsigned int i;

	tst_kvm_run_cases(names, ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(broken_lines); i++)
		tst_kvm_expect_guest_verdict(ARRAY_SIZE(names) + i, TBROK,
					     broken_lines[i]);
}

static struct tst_test test = {
	.description = "nested exceptions in callbacks, and #DF",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
