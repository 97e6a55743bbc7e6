// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tst_host_call(): the guest's synchronous call into the host controller
 * (kvm_guest.h, host/ucall.c). The vCPU stops for the call, the handler
 * set with tst_kvm_set_host_call() gets the call number and the 64-bit
 * argument and its 32-bit answer comes back as the return value; the
 * handler may read and change guest memory, and the guest sees the change
 * when the call returns.
 *
 * Checked: a table of call numbers and arguments at the edges of their
 * ranges (answers checked by the guest, the sequence of calls by the
 * host); calls whose argument is the address of a guest structure (also
 * one straddling a page boundary) that the handler reads, checks and
 * rewrites; a call the handler refuses. In a child
 * (tst_kvm_expect_verdict): a call with no handler set ends the run with
 * the precise TBROK, and the guest does not go on.
 */
#include "kvm_test.h"

#define MODE_CALLS	0
#define MODE_NO_HANDLER	1

#define CALL_MEM	0x4d454d00	/* arg: struct hc_block address */
#define CALL_NO_HANDLER	77
#define NO_HANDLER_ARG	0x1234ULL
#define HC_MAGIC	0x6b766d63	/* "kvmc" */
#define HC_BAD_ADDR	0xffffffffU	/* answer when arg is unusable */
#define HC_NVALS	8

struct hc_call {
	uint32_t nr;
	uint64_t arg;
};

static const struct hc_call calls[] = {
	{ 0, 0 },
	{ 1, 1 },
	{ 2, 0xffffffffULL },
	{ 3, 0x100000000ULL },
	{ 0x7fffffff, 0x8000000000000000ULL },
	{ 0x80000000, ~0ULL },
	{ 0xfffffffe, 0x123456789abcdef0ULL },
	{ 0xffffffff, 0xfedcba9876543210ULL },
	{ 42, 0x00000000deadbeefULL },
	{ 42, 0xdeadbeef00000000ULL },
};

/* What the handler answers for a plain call. */
static inline uint32_t hc_answer(uint32_t nr, uint64_t arg)
{
	uint32_t x = nr * 0x9e3779b1U ^ (uint32_t)arg ^
		     (uint32_t)(arg >> 32) * 0x85ebca6bU;

	return x ^ (x >> 16) ^ 0x5a5a5a5aU;
}

/* Guest memory a CALL_MEM handler reads and rewrites. */
struct hc_block {
	uint32_t magic;
	uint32_t n;
	uint32_t vals[HC_NVALS];
	uint32_t sum;		/* handler: sum of vals[0..n) */
	uint32_t seen;		/* handler: HC_MAGIC ^ n */
	char text[24];		/* handler: upper-cases it */
};

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static struct hc_block block;
/* A block starting 20 bytes before a page boundary. */
static uint8_t page_pair[2 * 4096] __attribute__((aligned(4096)));

static void plain_calls(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		uint32_t want = hc_answer(calls[i].nr, calls[i].arg);
		uint32_t got = tst_host_call(calls[i].nr, calls[i].arg);

		tst_res(want == got ? TPASS : TFAIL, "call #%u nr 0x%x arg "
			"0x%llx: expected answer 0x%08x, got 0x%08x", i,
			calls[i].nr, (unsigned long long)calls[i].arg, want,
			got);
	}
}

static void mem_call(const char *where, struct hc_block *b, uint32_t n)
{
	uint32_t i, sum = 0, answer;

	memset(b, 0, sizeof(*b));
	b->magic = HC_MAGIC;
	b->n = n;
	for (i = 0; i < n; i++) {
		b->vals[i] = 0x1000 * (i + 1) + i;
		sum += b->vals[i];
	}
	strcpy(b->text, "host, change me");

	answer = tst_host_call(CALL_MEM, (uintptr_t)b);
	tst_res(answer == n ? TPASS : TFAIL, "%s: answer expected %u, got %u",
		where, n, answer);
	tst_res(b->sum == sum ? TPASS : TFAIL, "%s: sum the host wrote: "
		"expected 0x%x, got 0x%x", where, sum, b->sum);
	tst_res(b->seen == (HC_MAGIC ^ n) ? TPASS : TFAIL, "%s: seen the host "
		"wrote: expected 0x%x, got 0x%x", where, HC_MAGIC ^ n, b->seen);
	tst_res(!strcmp(b->text, "HOST, CHANGE ME") ? TPASS : TFAIL,
		"%s: text after the call: expected \"HOST, CHANGE ME\", got "
		"\"%.23s\"", where, b->text);
}

void main(void)
{
	uint32_t got;

	if (kvm_boot_info()->host_arg == MODE_NO_HANDLER) {
		got = tst_host_call(CALL_NO_HANDLER, NO_HANDLER_ARG);
		tst_res(TFAIL, "call without a handler returned 0x%x", got);
		return;
	}
	plain_calls();
	mem_call("block in .bss", &block, HC_NVALS);
	mem_call("block across a page boundary",
		 (struct hc_block *)(page_pair + 4096 - 20), 5);
	/* The NULL page is not mapped: the handler cannot read it. */
	got = tst_host_call(CALL_MEM, 0);
	tst_res(got == HC_BAD_ADDR ? TPASS : TFAIL, "call with an unmapped "
		"address: expected the handler's refusal 0x%x, got 0x%x",
		HC_BAD_ADDR, got);
}

#else /* COMPILE_PAYLOAD */

#include <ctype.h>

#define MAX_SEEN	64

static struct tst_kvm_instance inst;
static struct hc_call seen[MAX_SEEN];
static unsigned int nr_seen;

static uint32_t mem_handler(struct tst_kvm_instance *vm, uint64_t addr)
{
	struct hc_block b;
	uint32_t i;

	if (tst_kvm_read_guest(vm, addr, &b, sizeof(b)) ||
	    b.magic != HC_MAGIC || b.n > HC_NVALS)
		return HC_BAD_ADDR;
	b.sum = 0;
	for (i = 0; i < b.n; i++)
		b.sum += b.vals[i];
	b.seen = HC_MAGIC ^ b.n;
	for (i = 0; i < sizeof(b.text) && b.text[i]; i++)
		b.text[i] = (char)toupper((unsigned char)b.text[i]);
	if (tst_kvm_write_guest(vm, addr, &b, sizeof(b)))
		return HC_BAD_ADDR;
	return b.n;
}

static uint32_t handler(struct tst_kvm_instance *vm, void *opaque,
	uint32_t nr, uint64_t arg)
{
	if (opaque != &inst)
		tst_kvm_brk(vm, "host call handler got opaque %p, expected %p",
			    opaque, (void *)&inst);
	if (nr_seen < MAX_SEEN)
		seen[nr_seen] = (struct hc_call) { nr, arg };
	nr_seen++;
	if (nr == CALL_MEM)
		return mem_handler(vm, arg);
	return hc_answer(nr, arg);
}

/* The host saw the calls of the table, in order, then the CALL_MEMs. */
static void check_seen(void)
{
	uint64_t block = tst_kvm_symbol(&inst, "block");
	uint64_t pair = tst_kvm_symbol(&inst, "page_pair");
	struct hc_call want[ARRAY_SIZE(calls) + 3];
	unsigned int n = 0, i;

	for (i = 0; i < ARRAY_SIZE(calls); i++)
		want[n++] = calls[i];
	want[n++] = (struct hc_call) { CALL_MEM, block };
	want[n++] = (struct hc_call) { CALL_MEM, pair + 4096 - 20 };
	want[n++] = (struct hc_call) { CALL_MEM, 0 };

	for (i = 0; i < n; i++) {
		const struct hc_call *g = &seen[i];

		if (i >= nr_seen) {
			tst_res(TFAIL, "host call %u: expected nr 0x%x arg "
				"0x%llx, got no call", i, want[i].nr,
				(unsigned long long)want[i].arg);
			continue;
		}
		tst_res(g->nr == want[i].nr && g->arg == want[i].arg ?
			TPASS : TFAIL, "host call %u: expected nr 0x%x arg "
			"0x%llx, got nr 0x%x arg 0x%llx", i, want[i].nr,
			(unsigned long long)want[i].arg, g->nr,
			(unsigned long long)g->arg);
	}
	tst_res(nr_seen == n ? TPASS : TFAIL, "host calls in the run: "
		"expected %u, got %u", n, nr_seen);
}

static void run_no_handler(void)
{
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_set_guest_arg(&inst, MODE_NO_HANDLER);
	tst_kvm_run_instance(&inst);
	tst_kvm_destroy_instance(&inst);
}

static void run(void)
{
	nr_seen = 0;
	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_kvm_set_guest_arg(&inst, MODE_CALLS);
	tst_kvm_set_host_call(&inst, handler, &inst);
	tst_kvm_run_instance(&inst);
	check_seen();
	tst_kvm_destroy_instance(&inst);

	/* ucall.c hostcall_read(): no handler is a TBROK naming the call. */
	tst_kvm_expect_verdict(run_no_handler, TBROK, "guest made host call "
		"77 (arg 0x1234) but the test set no handler "
		"(tst_kvm_set_host_call)");
}

static struct tst_test test = {
	.description = "tst_host_call round trips: numbers, arguments, guest "
		       "memory changed by the handler, no handler",
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
