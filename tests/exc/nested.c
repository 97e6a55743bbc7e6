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
 * Each scenario runs in its own VM (guest arg = scenario index).
 */
#include "kvm_test.h"

/* X(function, name, expected type, the line the host looks for) */
#define NESTED_SCENARIOS(X) \
	X(ud_in_gp, "#UD inside the #GP callback", TPASS, NULL) \
	X(three_levels, "#GP -> #UD -> #DE", TPASS, NULL) \
	X(unhandled_inside, "unhandled #GP inside the #UD callback", TBROK, \
	  "TBROK: unhandled #GP (general protection) in guest (raised " \
	  "inside an exception handler)") \
	X(unhandled_after, "unhandled #UD after nesting unwound", TBROK, \
	  "TBROK: unhandled #UD (invalid opcode) in guest: error code 0x0") \
	X(df_pf_pf, "#DF: #PF while delivering #PF", TPASS, NULL) \
	X(df_ss_ss, "#DF: #SS while delivering #SS", TPASS, NULL) \
	X(df_gp_np, "#DF: #NP while delivering #GP", TPASS, NULL) \
	X(df_gp_limit, "#DF: #GP while delivering #GP (IDT limit)", TPASS, \
	  NULL) \
	X(df_pf_np, "#DF: #NP while delivering #PF", TPASS, NULL)

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

/*
 * The instruction under test and where to resume after it (outer level),
 * written by EXC_ASM(); the inner levels have their own pairs.
 */
uintptr_t exc_insn_ip, exc_resume_ip;
uintptr_t inner_insn_ip, inner_resume_ip, third_insn_ip, third_resume_ip;
/* The good RSP while a scenario runs on a bad one. */
uint64_t saved_rsp;

#define EXC_ASM_AT(ip, resume, insn) \
	"lea 1f(%%rip), %%r11\n\t" \
	"mov %%r11, " ip "(%%rip)\n\t" \
	"lea 2f(%%rip), %%r11\n\t" \
	"mov %%r11, " resume "(%%rip)\n\t" \
	"1: " insn "\n\t" \
	"2:\n\t"
#define EXC_ASM(insn) EXC_ASM_AT("exc_insn_ip", "exc_resume_ip", insn)

#define CLOBBERS "r11", "cc", "memory"

static unsigned int passed, failed;
static const char *name;

#define pass(fmt, ...) \
	(passed++, tst_res(TPASS, "%s: " fmt, name, ##__VA_ARGS__))
#define fail(fmt, ...) \
	(failed++, tst_res(TFAIL, "%s: " fmt, name, ##__VA_ARGS__))

static void check_u64(const char *what, uint64_t exp, uint64_t got)
{
	if (exp == got)
		pass("%s = 0x%llx", what, (unsigned long long)got);
	else
		fail("%s: expected 0x%llx, got 0x%llx", what,
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
	kvm_set_interrupt_ip(ifrm, third_resume_ip);
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
		__asm__ __volatile__(EXC_ASM_AT("third_insn_ip",
						"third_resume_ip",
						"divl %%ecx")
				     :: "a"(1), "d"(0), "c"(0) : CLOBBERS);
		ud.frame_intact = !memcmp(&copy, ifrm, sizeof(copy));
	}
	kvm_set_interrupt_ip(ifrm, inner_resume_ip);
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
	__asm__ __volatile__(EXC_ASM_AT("inner_insn_ip", "inner_resume_ip",
					"ud2") ::: CLOBBERS);
	gp.frame_intact = !memcmp(&copy, ifrm, sizeof(copy));
	kvm_set_interrupt_ip(ifrm, exc_resume_ip);
	depth--;
	return 0;
}

static void bad_ds_load(void)
{
	__asm__ __volatile__(EXC_ASM("mov %0, %%ds")
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
		pass("%s frame at 0x%llx below the outer one at 0x%llx", what,
		     (unsigned long long)inner->frame,
		     (unsigned long long)outer->frame);
	else
		fail("%s frame at 0x%llx (RSP 0x%llx): expected below the "
		     "outer frame at 0x%llx", what,
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
	check_level("#GP", &gp, X86_GP, 0x50, 1, exc_insn_ip);
	check_level("#UD", &ud, X86_UD, 0, 2, inner_insn_ip);
	check_below("#UD", &ud, &gp);
	if (gp.frame_intact)
		pass("#GP frame unchanged by the nested #UD");
	else
		fail("#GP frame changed by the nested #UD");
	check_u64("deepest nesting", 2, max_depth);
	pass("the original code resumed after both callbacks");
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
	check_level("#GP", &gp, X86_GP, 0x50, 1, exc_insn_ip);
	check_level("#UD", &ud, X86_UD, 0, 2, inner_insn_ip);
	check_level("#DE", &de, X86_DE, 0, 3, third_insn_ip);
	check_below("#UD", &ud, &gp);
	check_below("#DE", &de, &ud);
	if (gp.frame_intact && ud.frame_intact)
		pass("outer frames unchanged by the nested exceptions");
	else
		fail("outer frames changed by the nested exceptions (#GP "
		     "%s, #UD %s)", gp.frame_intact ? "intact" : "changed",
		     ud.frame_intact ? "intact" : "changed");
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
	fail("went on after an unhandled #GP");
}

/* Host expects TBROK "unhandled #UD ... in guest: error code". */
static void unhandled_after(void)
{
	tst_set_interrupt_callback(X86_GP, gp_cb, NULL);
	tst_set_interrupt_callback(X86_UD, ud_cb, NULL);
	bad_ds_load();
	tst_set_interrupt_callback(X86_UD, NULL, NULL);
	__asm__ __volatile__("ud2");
	fail("went on after an unhandled #UD");
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
	kvm_set_interrupt_ip(ifrm, exc_resume_ip);
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
	kvm_set_interrupt_ip(ifrm, exc_resume_ip);
	depth--;
	return 0;
}

static void check_df(unsigned int first_vec)
{
	uintptr_t bottom = KVM_IST1_GUARD + KVM_PAGE_SIZE;

	if (first.calls)
		fail("the %s callback ran (vector %llu, error code 0x%llx); "
		     "expected #DF", kvm_exception_name(first_vec),
		     (unsigned long long)first.vector,
		     (unsigned long long)first.errcode);
	else
		pass("the %s callback did not run",
		     kvm_exception_name(first_vec));
	if (!df.calls) {
		fail("expected #DF, got none");
		return;
	}
	check_u64("#DF callback calls", 1, df.calls);
	check_u64("#DF vector", X86_DF, df.vector);
	/* SDM Vol. 3A 6.15 "Interrupt 8": error code always 0 */
	check_u64("#DF error code", 0, df.errcode);
	/* SDM Vol. 3A 6.14.5; the IDT gives #DF IST1 */
	if (df.frame >= bottom && df.frame < KVM_IST1_TOP)
		pass("#DF frame at 0x%llx on the IST1 stack [0x%llx, 0x%llx)",
		     (unsigned long long)df.frame,
		     (unsigned long long)bottom,
		     (unsigned long long)KVM_IST1_TOP);
	else
		fail("#DF frame at 0x%llx: expected on the IST1 stack "
		     "[0x%llx, 0x%llx)", (unsigned long long)df.frame,
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
			     EXC_ASM(insn) \
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
	__asm__ __volatile__(EXC_ASM("mov 0, %%rax") ::: "rax", CLOBBERS);
	gate(X86_PF)->type_attr = attr;
	df_callbacks(X86_PF, NULL);
	check_df(X86_PF);
}

static const struct nested_scenario {
	const char *name;
	void (*fn)(void);
} scenarios[] = {
#define NESTED_ENTRY(fn, name, ttype, line) { name, fn },
	NESTED_SCENARIOS(NESTED_ENTRY)
};

void main(void)
{
	uint64_t i = kvm_boot_info()->host_arg;

	if (i >= ARRAY_SIZE(scenarios))
		tst_brk(TBROK, "no scenario %llu", (unsigned long long)i);
	name = scenarios[i].name;
	scenarios[i].fn();
	if (!failed) {
		unsigned int n = passed;

		pass("passed all %u checks", n);
	}
}

#else /* COMPILE_PAYLOAD */

static const struct {
	const char *name;
	int ttype;
	const char *line;
} scenarios[] = {
#define NESTED_HOST(fn, name, ttype, line) { name, ttype, line },
	NESTED_SCENARIOS(NESTED_HOST)
};

static void run(void)
{
	char pattern[160];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		if (scenarios[i].line)
			snprintf(pattern, sizeof(pattern), "%s",
				 scenarios[i].line);
		else
			snprintf(pattern, sizeof(pattern),
				 "TPASS: %s: passed all", scenarios[i].name);
		tst_kvm_expect_guest_verdict(i, scenarios[i].ttype, pattern);
	}
}

static struct tst_test test = {
	.description = "nested exceptions in callbacks, and #DF",
	.test_all = run,
	.setup = tst_kvm_setup,
};

#endif /* COMPILE_PAYLOAD */
