// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exits - what the kvmcheck framework costs on top of bare KVM.
 *
 * Every figure is measured twice in the same run, framework and raw,
 * interleaved in ABBA order so that drift and other load hit both alike:
 * the exit figures as 20 VMs per variant (500 warm-up exits each, not
 * counted), lifecycle and process sample by sample (5 warm-up calls per
 * variant). Output per figure: median, p99, min and count of the
 * per-sample cost for each variant, the ratio framework/raw of the
 * medians next to its target, the absolute overhead, and the spread of
 * the per-pair ratios (how far noise moves the ratio). Timings are
 * never asserted on: the program exits 0 whatever the ratios are.
 *
 *   io        IO exit round trip. The guest loops "outb %al, $0xe0; loop"
 *             (2 instructions). Framework: tst_kvm_run_instance() takes
 *             every exit through the exit table and the port bus to a
 *             bench device that timestamps the call. Raw: the same VM
 *             (built by the framework) driven by a bare
 *             "for (;;) { ioctl(KVM_RUN); timestamp; }" loop. Sample =
 *             time between consecutive timestamps.
 *   mmio-write, mmio-read
 *             The same with "movl %eax, (addr)" / "movl (addr), %eax" at
 *             an address the page tables map but no memory slot backs,
 *             claimed by a bench MMIO device.
 *   hlt       HLT exit round trip (no irqchip: KVM_EXIT_HLT every time).
 *             The framework has no per-HLT hook, so both variants take the
 *             guest's own clock: "rdtsc; stosl; hlt; loop" stores the TSC
 *             before each HLT; sample = TSC delta, converted with
 *             KVM_GET_TSC_KHZ. Raw loop without host timestamps.
 *   lifecycle Create a VM, run it to its first exit, destroy it.
 *             Framework: tst_kvm_create_instance() (VM, 16 MiB RAM and
 *             result-page slots with guard pages, payload load, page
 *             tables/GDT/IDT, vCPU, CPUID, SREGS/REGS/XCR0, platform
 *             devices) + tst_kvm_run_instance() of a guest that returns
 *             from main() at once (boot, kvm_exit() -> the result port
 *             OUT) + tst_kvm_destroy_instance() + tst_free_all(). Raw:
 *             KVM_CREATE_VM, one 4 KiB slot, KVM_CREATE_VCPU, mmap
 *             kvm_run, CS base 0 in real mode, RIP 0, KVM_RUN to the
 *             first instruction "outb %al, $0x10", then munmap/close.
 *             /dev/kvm is opened once per process in both.
 *   process   Whole process: fork, exec, waitpid of the hello test
 *             (--hello PATH) against a minimal static program (this
 *             binary with the hidden --raw-child: open /dev/kvm, create
 *             and run the raw VM above, _exit, the VM torn down by the
 *             exit). Stdout of both goes to /dev/null. Target for hello:
 *             a median of at most 3 ms.
 *
 * In the exit figures the guest's loop instructions run in KVM's
 * instruction emulator on kvm_pvm (about 1 us each) and are part of both
 * variants; the difference framework - raw is the host-side cost. The
 * lifecycle and process figures are floors, not like-for-like: the raw
 * guest is one real-mode instruction, the framework's is a long-mode C
 * payload (and hello formats a report in the guest), so their ratios
 * include guest work the framework's design implies.
 *
 * Usage: exits [-n N] [--only NAME[,NAME...]] [--format text|json]
 *              [--hello PATH] [--list] [-h]
 * Exit status: 0 done (whatever the ratios), 2 bad usage or a broken
 * measurement (TBROK), 32 KVM not usable (TCONF).
 */
#define TST_NO_DEFAULT_MAIN
#include "kvm_test.h"

/* Guest modes, in kvm_boot_info()->host_arg: mode | count << 8. */
enum bench_mode {
	MODE_EXIT,		/* return from main() at once */
	MODE_IO,
	MODE_MMIO_WRITE,
	MODE_MMIO_READ,
	MODE_HLT,
	MODE_COUNT
};

#define BENCH_MODE_MASK		0xffULL
#define BENCH_COUNT_SHIFT	8
#define BENCH_PORT		0xe0
/* Mapped by the guest page tables (1-2 GiB), backed by no memory slot. */
#define BENCH_MMIO_ADDR		0x40000000ULL

#ifdef COMPILE_PAYLOAD

/* Guest TSC (low 32 bits) before each HLT; the host reads it. */
uint32_t *bench_tsc_buf;

static void loop_io(uint64_t n)
{
	__asm__ __volatile__("1: outb %%al, %[port]\n\t"
			     "loop 1b"
			     : "+c"(n)
			     : "a"(0), [port] "i"(BENCH_PORT)
			     : "memory");
}

static void loop_mmio_write(uint64_t n)
{
	__asm__ __volatile__("1: movl %%eax, (%[addr])\n\t"
			     "loop 1b"
			     : "+c"(n)
			     : "a"(0), [addr] "r"(BENCH_MMIO_ADDR)
			     : "memory");
}

static void loop_mmio_read(uint64_t n)
{
	uint32_t val;

	__asm__ __volatile__("1: movl (%[addr]), %%eax\n\t"
			     "loop 1b"
			     : "+c"(n), "=&a"(val)
			     : [addr] "r"(BENCH_MMIO_ADDR)
			     : "memory");
	(void)val;
}

static void loop_hlt(uint64_t n)
{
	uint32_t *buf = tst_heap_alloc_aligned(n * sizeof(*buf), 4096);
	uint64_t i;

	/* Touch every page now so that no sample takes a first-use fault. */
	for (i = 0; i < n; i += 1024)
		((volatile uint32_t *)buf)[i] = 0;
	bench_tsc_buf = buf;
	__asm__ __volatile__("1: rdtsc\n\t"
			     "stosl\n\t"
			     "hlt\n\t"
			     "loop 1b"
			     : "+c"(n), "+D"(buf)
			     :
			     : "rax", "rdx", "memory");
}

static void (*const loops[MODE_COUNT])(uint64_t n) = {
	[MODE_IO] = loop_io,
	[MODE_MMIO_WRITE] = loop_mmio_write,
	[MODE_MMIO_READ] = loop_mmio_read,
	[MODE_HLT] = loop_hlt,
};

void main(void)
{
	uint64_t arg = kvm_boot_info()->host_arg;
	uint64_t mode = arg & BENCH_MODE_MASK;
	uint64_t n = arg >> BENCH_COUNT_SHIFT;

	if (mode >= MODE_COUNT)
		tst_brk(TBROK, "bench mode %llu unknown",
			(unsigned long long)mode);
	if (loops[mode] && n)
		loops[mode](n);
}

#else /* COMPILE_PAYLOAD */

#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#define EXIT_ROUNDS		20	/* VMs per variant per exit figure */
#define WARMUP_EXITS		500	/* per VM, not counted */
#define WARMUP_CALLS		5	/* lifecycle/process, not counted */
#define MAX_SAMPLES		10000000
#define MAX_PHASES		3
#define RAW_PORT		0x10
#define RAW_MEM_SIZE		0x1000

enum clock_src {
	CLK_HOST,		/* CLOCK_MONOTONIC on the host */
	CLK_GUEST_TSC,		/* rdtsc in the guest loop */
};

enum dev_bus {
	BUS_NONE,
	BUS_PIO,
	BUS_MMIO,
};

struct series {
	uint64_t *v;			/* per-sample cost, ns */
	uint64_t *phase[MAX_PHASES];	/* lifecycle phases, ns */
	size_t count, cap;
};

struct figure;
typedef void (*sample_fn)(const struct figure *f, struct series *s,
	size_t n);

struct figure {
	const char *name;
	const char *title;
	const char *note;		/* what both variants include */
	enum bench_mode mode;		/* guest loop */
	enum dev_bus bus;		/* bench device */
	uint32_t exit_reason;		/* every exit of the guest loop */
	enum clock_src clock;
	unsigned int default_n;
	unsigned int per_call;		/* per call; 0: n / EXIT_ROUNDS */
	sample_fn framework, raw;
	const char *const *phases;	/* NULL-terminated, or NULL */
	double target_ratio;		/* framework/raw median */
	double target_ms;		/* framework median; 0: none */
	const char *(*skip)(void);	/* why the figure cannot run */
};

struct stats {
	uint64_t median, p99, min;
	size_t count;
};

/*
 * Ratio framework/raw of the medians of each ABBA pair of calls: how
 * stable the ratio is against drift between VMs and other load.
 */
struct pairs {
	double *ratio;
	size_t count;
	double median, p5, p95;
};

enum out_format {
	FMT_TEXT,
	FMT_JSON,
};

static struct {
	size_t n;			/* 0: each figure's default */
	enum out_format format;
	const char *only;
	char hello[PATH_MAX];
	char self[PATH_MAX];
	int kvm_fd;
	int run_size;			/* KVM_GET_VCPU_MMAP_SIZE */
	unsigned long tsc_khz;
	const char *tsc_khz_from;
	int figures_printed;
} opt = { .format = FMT_TEXT };

/* Host timestamps: the bench device's calls or the raw loop's exits. */
static struct {
	uint64_t *t;
	size_t n, cap;
} stamps;

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		tst_brk(TBROK, "calloc(%zu, %zu) failed", n, size);
	return p;
}

/* Raw KVM, no framework: also the whole of --raw-child. */

struct raw_vm {
	int vm, vcpu;
	void *mem;
	struct kvm_run *run;
};

/* Returns the failing step, or NULL. */
static const char *raw_vm_create(struct raw_vm *v, int kvm, int run_size)
{
	static const uint8_t code[] = { 0xe6, RAW_PORT, 0xf4 }; /* out; hlt */
	struct kvm_userspace_memory_region r = { .memory_size = RAW_MEM_SIZE };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rflags = 2 };

	v->vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return "KVM_CREATE_VM";
	v->mem = mmap(NULL, RAW_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->mem == MAP_FAILED)
		return "mmap(guest memory)";
	memcpy(v->mem, code, sizeof(code));
	r.userspace_addr = (uintptr_t)v->mem;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &r))
		return "KVM_SET_USER_MEMORY_REGION";
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return "KVM_CREATE_VCPU";
	v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->vcpu, 0);
	if (v->run == MAP_FAILED)
		return "mmap(kvm_run)";
	if (ioctl(v->vcpu, KVM_GET_SREGS, &sregs))
		return "KVM_GET_SREGS";
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sregs))
		return "KVM_SET_SREGS";
	if (ioctl(v->vcpu, KVM_SET_REGS, &regs))
		return "KVM_SET_REGS";
	return NULL;
}

static const char *raw_vm_run(struct raw_vm *v)
{
	if (ioctl(v->vcpu, KVM_RUN, 0))
		return "KVM_RUN";
	if (v->run->exit_reason != KVM_EXIT_IO || v->run->io.port != RAW_PORT)
		return "KVM_RUN (not the expected IO exit)";
	return NULL;
}

static void raw_vm_destroy(struct raw_vm *v, int run_size)
{
	munmap(v->run, run_size);
	close(v->vcpu);
	close(v->vm);
	munmap(v->mem, RAW_MEM_SIZE);
}

static __attribute__((noreturn)) void raw_child(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct raw_vm v;

	if (kvm < 0 || size <= 0 || raw_vm_create(&v, kvm, size) ||
	    raw_vm_run(&v))
		_exit(1);
	_exit(0);
}

/* The exit figures: one VM per call, W + n + 1 exits, n samples. */

static enum tst_kvm_action stamp_write(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	(void)inst;
	(void)opaque;
	(void)offset;
	(void)data;
	(void)len;
	if (stamps.n < stamps.cap)
		stamps.t[stamps.n++] = now_ns();
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action stamp_read(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	memset(data, 0, len);
	return stamp_write(inst, opaque, offset, data, len);
}

static void bench_vm_create(struct tst_kvm_instance *inst,
	const struct figure *f, size_t exits)
{
	struct tst_kvm_device dev = {
		.name = "bench", .size = 4,
		.read = stamp_read, .write = stamp_write,
	};
	/* Room for the payload, the guest TSC buffer and a heap. */
	size_t ram = DEFAULT_RAM_SIZE + LTP_ALIGN(exits * 4, 0x200000);

	tst_kvm_create_instance(inst, ram);
	tst_kvm_set_guest_arg(inst, f->mode |
			      (uint64_t)exits << BENCH_COUNT_SHIFT);
	dev.base = f->bus == BUS_MMIO ? BENCH_MMIO_ADDR : BENCH_PORT;
	if (f->bus == BUS_PIO)
		tst_kvm_add_pio_device(inst, &dev);
	else if (f->bus == BUS_MMIO)
		tst_kvm_add_mmio_device(inst, &dev);
	stamps.n = 0;
}

static void bench_vm_destroy(struct tst_kvm_instance *inst)
{
	tst_kvm_destroy_instance(inst);
	tst_free_all();
}

static void check_exit(struct tst_kvm_instance *inst, uint32_t reason)
{
	uint32_t got = inst->vcpu_info->exit_reason;

	if (got != reason)
		tst_brk(TBROK, "raw loop: exit %s, expected %s",
			tst_kvm_exit_name(got), tst_kvm_exit_name(reason));
}

/* The raw variant: no dispatch, a timestamp after every KVM_RUN. */
static void raw_loop_stamped(struct tst_kvm_instance *inst, uint32_t reason,
	size_t exits)
{
	size_t i;

	for (i = 0; i < exits; i++) {
		if (ioctl(inst->vcpu_fd, KVM_RUN, 0))
			tst_brk(TBROK, "KVM_RUN: %m");
		stamps.t[i] = now_ns();
		check_exit(inst, reason);
	}
	stamps.n = exits;
}

static void raw_loop_bare(struct tst_kvm_instance *inst, uint32_t reason,
	size_t exits)
{
	size_t i;

	for (i = 0; i < exits; i++) {
		if (ioctl(inst->vcpu_fd, KVM_RUN, 0))
			tst_brk(TBROK, "KVM_RUN: %m");
		check_exit(inst, reason);
	}
}

static void collect_host(struct series *s, size_t exits, size_t n)
{
	size_t i;

	if (stamps.n != exits)
		tst_brk(TBROK, "bench device saw %zu accesses, expected %zu",
			stamps.n, exits);
	for (i = exits - n; i < exits; i++)
		s->v[s->count++] = stamps.t[i] - stamps.t[i - 1];
}

static void collect_guest_tsc(struct series *s,
	struct tst_kvm_instance *inst, size_t exits, size_t n)
{
	uint64_t gva = 0;
	const uint32_t *tsc;
	size_t i;

	if (tst_kvm_read_guest(inst, tst_kvm_symbol(inst, "bench_tsc_buf"),
			       &gva, sizeof(gva)))
		tst_brk(TBROK, "cannot read the guest's bench_tsc_buf");
	tsc = tst_kvm_guest_range(inst, gva, exits * sizeof(*tsc));
	if (!tsc)
		tst_brk(TBROK, "guest TSC buffer 0x%llx (%zu entries) is not "
			"in guest RAM", (unsigned long long)gva, exits);
	for (i = exits - n; i < exits; i++)
		s->v[s->count++] = (uint64_t)(uint32_t)(tsc[i] - tsc[i - 1]) *
			1000000ULL / opt.tsc_khz;
}

static void collect(const struct figure *f, struct series *s,
	struct tst_kvm_instance *inst, size_t exits, size_t n)
{
	if (f->clock == CLK_GUEST_TSC)
		collect_guest_tsc(s, inst, exits, n);
	else
		collect_host(s, exits, n);
}

static void exits_framework(const struct figure *f, struct series *s,
	size_t n)
{
	struct tst_kvm_instance inst;
	size_t exits = WARMUP_EXITS + n + 1;

	bench_vm_create(&inst, f, exits);
	tst_kvm_run_instance(&inst);
	if (!inst.finished)
		tst_brk(TBROK, "guest did not finish its loop");
	collect(f, s, &inst, exits, n);
	bench_vm_destroy(&inst);
}

static void exits_raw(const struct figure *f, struct series *s, size_t n)
{
	struct tst_kvm_instance inst;
	size_t exits = WARMUP_EXITS + n + 1;

	bench_vm_create(&inst, f, exits);
	if (f->clock == CLK_HOST)
		raw_loop_stamped(&inst, f->exit_reason, exits);
	else
		raw_loop_bare(&inst, f->exit_reason, exits);
	collect(f, s, &inst, exits, n);
	bench_vm_destroy(&inst);
}

/* Lifecycle: one sample per call, phases create / run / destroy. */

static void add_phases(struct series *s, const uint64_t t[MAX_PHASES + 1])
{
	unsigned int i;

	for (i = 0; i < MAX_PHASES; i++)
		s->phase[i][s->count] = t[i + 1] - t[i];
	s->v[s->count++] = t[MAX_PHASES] - t[0];
}

static void lifecycle_framework(const struct figure *f, struct series *s,
	size_t n)
{
	struct tst_kvm_instance inst;
	uint64_t t[MAX_PHASES + 1];

	(void)f;
	while (n--) {
		t[0] = now_ns();
		tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
		tst_kvm_set_guest_arg(&inst, MODE_EXIT);
		t[1] = now_ns();
		tst_kvm_run_instance(&inst);
		t[2] = now_ns();
		tst_kvm_destroy_instance(&inst);
		tst_free_all();
		t[3] = now_ns();
		if (!inst.finished || inst.exit_counts[KVM_EXIT_IO] != 1)
			tst_brk(TBROK, "lifecycle guest: %lu IO exits, "
				"expected 1", inst.exit_counts[KVM_EXIT_IO]);
		add_phases(s, t);
	}
}

static void lifecycle_raw(const struct figure *f, struct series *s, size_t n)
{
	uint64_t t[MAX_PHASES + 1];
	struct raw_vm v;
	const char *err;

	(void)f;
	while (n--) {
		t[0] = now_ns();
		err = raw_vm_create(&v, opt.kvm_fd, opt.run_size);
		t[1] = now_ns();
		if (!err)
			err = raw_vm_run(&v);
		t[2] = now_ns();
		if (err)
			tst_brk(TBROK, "raw lifecycle: %s: %m", err);
		raw_vm_destroy(&v, opt.run_size);
		t[3] = now_ns();
		add_phases(s, t);
	}
}

/* Process: fork, exec, waitpid. */

static uint64_t spawn(char *const argv[])
{
	uint64_t t0 = now_ns(), t1;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		tst_brk(TBROK, "fork: %m");
	if (!pid) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		tst_brk(TBROK, "waitpid: %m");
	t1 = now_ns();
	if (WIFSIGNALED(status))
		tst_brk(TBROK, "%s%s%s: killed by signal %d", argv[0],
			argv[1] ? " " : "", argv[1] ? argv[1] : "",
			WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		tst_brk(TBROK, "%s%s%s: exit status %d", argv[0],
			argv[1] ? " " : "", argv[1] ? argv[1] : "",
			WEXITSTATUS(status));
	return t1 - t0;
}

static void process_framework(const struct figure *f, struct series *s,
	size_t n)
{
	char *argv[] = { opt.hello, NULL };

	(void)f;
	while (n--)
		s->v[s->count++] = spawn(argv);
}

static void process_raw(const struct figure *f, struct series *s, size_t n)
{
	char *argv[] = { opt.self, "--raw-child", NULL };

	(void)f;
	while (n--)
		s->v[s->count++] = spawn(argv);
}

static const char *process_skip(void)
{
	static char why[PATH_MAX + 64];

	if (access(opt.hello, X_OK)) {
		snprintf(why, sizeof(why), "hello test %s: %m (build it or "
			 "pass --hello PATH)", opt.hello);
		return why;
	}
	return NULL;
}

static const char *const lifecycle_phases[] = {
	"create", "run", "destroy", NULL
};

static const struct figure figures[] = {
	{
		.name = "io", .title = "IO exit round trip",
		.note = "guest loop 'outb %al,$0xe0; loop' (2 emulated "
			"instructions per sample, in both variants); "
			"host CLOCK_MONOTONIC in the bench device / after "
			"KVM_RUN",
		.mode = MODE_IO, .bus = BUS_PIO, .exit_reason = KVM_EXIT_IO,
		.clock = CLK_HOST, .default_n = 40000,
		.framework = exits_framework, .raw = exits_raw,
		.target_ratio = 1.05,
	},
	{
		.name = "mmio-write", .title = "MMIO write exit round trip",
		.note = "guest loop 'movl %eax,(0x40000000); loop' (2 "
			"emulated instructions per sample, in both variants); "
			"host CLOCK_MONOTONIC in the bench device / after "
			"KVM_RUN",
		.mode = MODE_MMIO_WRITE, .bus = BUS_MMIO,
		.exit_reason = KVM_EXIT_MMIO, .clock = CLK_HOST,
		.default_n = 40000,
		.framework = exits_framework, .raw = exits_raw,
		.target_ratio = 1.05,
	},
	{
		.name = "mmio-read", .title = "MMIO read exit round trip",
		.note = "guest loop 'movl (0x40000000),%eax; loop' (2 "
			"emulated instructions per sample, in both variants); "
			"host CLOCK_MONOTONIC in the bench device / after "
			"KVM_RUN",
		.mode = MODE_MMIO_READ, .bus = BUS_MMIO,
		.exit_reason = KVM_EXIT_MMIO, .clock = CLK_HOST,
		.default_n = 40000,
		.framework = exits_framework, .raw = exits_raw,
		.target_ratio = 1.05,
	},
	{
		.name = "hlt", .title = "HLT exit round trip",
		.note = "guest loop 'rdtsc; stosl; hlt; loop' (4 emulated "
			"instructions per sample, in both variants); guest "
			"TSC deltas, no host timestamps",
		.mode = MODE_HLT, .bus = BUS_NONE,
		.exit_reason = KVM_EXIT_HLT, .clock = CLK_GUEST_TSC,
		.default_n = 40000,
		.framework = exits_framework, .raw = exits_raw,
		.target_ratio = 1.05,
	},
	{
		.name = "lifecycle", .title = "VM create, run to first exit, "
			"destroy",
		.note = "framework: 16 MiB long-mode VM with payload, guest "
			"boots and kvm_exit()s; raw: 4 KiB real-mode VM, "
			"first instruction is an OUT",
		.mode = MODE_EXIT, .default_n = 500, .per_call = 1,
		.framework = lifecycle_framework, .raw = lifecycle_raw,
		.phases = lifecycle_phases, .target_ratio = 1.05,
	},
	{
		.name = "process", .title = "whole process: fork, exec, "
			"waitpid",
		.note = "framework: the hello test; raw: a static program "
			"that opens /dev/kvm, runs a VM to its first exit "
			"and exits",
		.default_n = 300, .per_call = 1,
		.framework = process_framework, .raw = process_raw,
		.target_ratio = 1.05, .target_ms = 3.0,
		.skip = process_skip,
	},
};

/* Statistics and output */

static int selected(const struct figure *f);
static const struct figure *find_figure(const char *name, size_t len);

static size_t figure_n(const struct figure *f)
{
	return opt.n ? opt.n : f->default_n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of @n sorted values. */
static size_t rank_index(size_t n, unsigned int pct)
{
	size_t rank = (n * pct + 99) / 100;

	return rank ? rank - 1 : 0;
}

/* Sorts @v. Median: lower middle; p99: nearest rank. */
static struct stats get_stats(uint64_t *v, size_t n)
{
	struct stats st = { .count = n };

	if (!n)
		return st;
	qsort(v, n, sizeof(*v), cmp_u64);
	st.median = v[(n - 1) / 2];
	st.p99 = v[rank_index(n, 99)];
	st.min = v[0];
	return st;
}

static const char *fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 100000)
		snprintf(buf, len, "%.2f us", ns / 1e3);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else
		snprintf(buf, len, "%.3f ms", ns / 1e6);
	return buf;
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void text_row(const char *variant, const struct stats *st)
{
	char a[32], b[32], c[32];

	printf("  %-10s %12s %12s %12s %9zu\n", variant,
	       fmt_ns(a, sizeof(a), st->median), fmt_ns(b, sizeof(b), st->p99),
	       fmt_ns(c, sizeof(c), st->min), st->count);
}

static void text_phases(const struct figure *f, const char *variant,
	struct series *s)
{
	unsigned int i;
	char buf[32];

	printf("  %s phases (medians):", variant);
	for (i = 0; f->phases[i]; i++)
		printf(" %s %s", f->phases[i], fmt_ns(buf, sizeof(buf),
		       get_stats(s->phase[i], s->count).median));
	printf("\n");
}

static void print_text(const struct figure *f, struct series *fw,
	struct series *raw, const struct stats *a, const struct stats *b,
	const struct pairs *p)
{
	double ratio = (double)a->median / b->median;
	char buf[32];

	printf("\n%s: %s\n  (%s)\n", f->name, f->title, f->note);
	printf("  %-10s %12s %12s %12s %9s\n", "", "median", "p99", "min",
	       "samples");
	text_row("framework", a);
	text_row("raw", b);
	printf("  ratio      %.3f framework/raw median (target <= %.2f: %s),"
	       " overhead %s%s per sample\n", ratio, f->target_ratio,
	       ratio <= f->target_ratio ? "met" : "NOT MET",
	       a->median < b->median ? "-" : "+",
	       fmt_ns(buf, sizeof(buf), a->median < b->median ?
		      b->median - a->median : a->median - b->median));
	printf("  paired     median of %zu per-pair ratios %.3f "
	       "(5th-95th percentile %.3f-%.3f)\n", p->count, p->median,
	       p->p5, p->p95);
	if (f->target_ms)
		printf("  target     framework median %s <= %.1f ms: %s\n",
		       fmt_ns(buf, sizeof(buf), a->median), f->target_ms,
		       a->median <= f->target_ms * 1e6 ? "met" : "NOT MET");
	if (f->phases) {
		text_phases(f, "framework", fw);
		text_phases(f, "raw", raw);
	}
}

static void json_stats(const char *key, const struct stats *st)
{
	printf("\"%s\": {\"median_ns\": %llu, \"p99_ns\": %llu, "
	       "\"min_ns\": %llu, \"count\": %zu}", key,
	       (unsigned long long)st->median, (unsigned long long)st->p99,
	       (unsigned long long)st->min, st->count);
}

static void json_phases(const struct figure *f, const char *key,
	struct series *s)
{
	unsigned int i;

	printf(", \"%s_phase_medians_ns\": {", key);
	for (i = 0; f->phases[i]; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", f->phases[i],
		       (unsigned long long)get_stats(s->phase[i],
						     s->count).median);
	printf("}");
}

static void json_figure_start(const struct figure *f)
{
	printf("%s\n    {\"name\": ", opt.figures_printed++ ? "," : "");
	print_json_string(f->name);
	printf(", \"title\": ");
	print_json_string(f->title);
	printf(", \"note\": ");
	print_json_string(f->note);
}

static void print_json(const struct figure *f, struct series *fw,
	struct series *raw, const struct stats *a, const struct stats *b,
	const struct pairs *p)
{
	json_figure_start(f);
	printf(", ");
	json_stats("framework", a);
	printf(", ");
	json_stats("raw", b);
	printf(", \"ratio\": %.4f, \"target_ratio\": %.2f, "
	       "\"overhead_ns\": %lld", (double)a->median / b->median,
	       f->target_ratio, (long long)a->median - (long long)b->median);
	printf(", \"paired_ratio\": {\"pairs\": %zu, \"median\": %.4f, "
	       "\"p5\": %.4f, \"p95\": %.4f}", p->count, p->median, p->p5,
	       p->p95);
	if (f->target_ms)
		printf(", \"target_framework_median_ms\": %.1f", f->target_ms);
	if (f->phases) {
		json_phases(f, "framework", fw);
		json_phases(f, "raw", raw);
	}
	printf("}");
}

static void print_skip(const struct figure *f, const char *why)
{
	if (opt.format == FMT_JSON) {
		json_figure_start(f);
		printf(", \"skipped\": ");
		print_json_string(why);
		printf("}");
	} else {
		printf("\n%s: %s\n  skipped: %s\n", f->name, f->title, why);
	}
	fflush(stdout);
}

/* Running a figure */

static void series_alloc(struct series *s, const struct figure *f,
	size_t cap)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->cap = cap;
	s->v = xcalloc(cap, sizeof(*s->v));
	for (i = 0; f->phases && f->phases[i]; i++)
		s->phase[i] = xcalloc(cap, sizeof(*s->phase[i]));
}

static void series_free(struct series *s)
{
	unsigned int i;

	free(s->v);
	for (i = 0; i < MAX_PHASES; i++)
		free(s->phase[i]);
}

static void warm_up(const struct figure *f, struct series *fw,
	struct series *raw)
{
	unsigned int i;

	if (!f->per_call)
		return;		/* exit figures warm up inside each VM */
	for (i = 0; i < WARMUP_CALLS; i++) {
		f->framework(f, fw, 1);
		f->raw(f, raw, 1);
	}
	fw->count = raw->count = 0;
}

/* Fault the pages in now, not inside a timed loop. */
static void stamps_alloc(size_t cap)
{
	size_t i;

	stamps.cap = cap;
	stamps.t = xcalloc(cap, sizeof(*stamps.t));
	for (i = 0; i < cap; i += 512)
		((volatile uint64_t *)stamps.t)[i] = 1;
}

static size_t samples_per_call(const struct figure *f, size_t n)
{
	if (f->per_call)
		return f->per_call;
	return n / EXIT_ROUNDS ? n / EXIT_ROUNDS : 1;
}

/* Sorts the pair's own samples in place; phases are not affected. */
static double pair_ratio(struct series *fw, struct series *raw, size_t k)
{
	struct stats a = get_stats(fw->v + fw->count - k, k);
	struct stats b = get_stats(raw->v + raw->count - k, k);

	return b.median ? (double)a.median / b.median : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void pair_stats(struct pairs *p)
{
	size_t n = p->count;

	qsort(p->ratio, n, sizeof(*p->ratio), cmp_double);
	p->median = p->ratio[(n - 1) / 2];
	p->p5 = p->ratio[rank_index(n, 5)];
	p->p95 = p->ratio[rank_index(n, 95)];
}

/* Alternate the variants in ABBA order: F R, R F, F R, ... */
static void measure(const struct figure *f, size_t n, struct series *fw,
	struct series *raw, struct pairs *p)
{
	size_t per = samples_per_call(f, n);

	if (!f->per_call)
		stamps_alloc(WARMUP_EXITS + per + 1);
	p->ratio = xcalloc((n + per - 1) / per, sizeof(*p->ratio));
	p->count = 0;
	warm_up(f, fw, raw);
	while (fw->count < n) {
		size_t k = n - fw->count < per ? n - fw->count : per;

		if (p->count & 1) {
			f->raw(f, raw, k);
			f->framework(f, fw, k);
		} else {
			f->framework(f, fw, k);
			f->raw(f, raw, k);
		}
		p->ratio[p->count++] = pair_ratio(fw, raw, k);
	}
	pair_stats(p);
	free(stamps.t);
	stamps.t = NULL;
}

static void run_figure(const struct figure *f)
{
	size_t n = figure_n(f);
	const char *why = f->skip ? f->skip() : NULL;
	struct series fw, raw;
	struct stats a, b;
	struct pairs p;

	if (why) {
		print_skip(f, why);
		return;
	}
	series_alloc(&fw, f, n + WARMUP_CALLS);
	series_alloc(&raw, f, n + WARMUP_CALLS);
	measure(f, n, &fw, &raw, &p);
	a = get_stats(fw.v, fw.count);
	b = get_stats(raw.v, raw.count);
	if (opt.format == FMT_JSON)
		print_json(f, &fw, &raw, &a, &b, &p);
	else
		print_text(f, &fw, &raw, &a, &b, &p);
	fflush(stdout);
	series_free(&fw);
	series_free(&raw);
	free(p.ratio);
}

/* Setup, header, options */

static void cpu_model(char *buf, size_t len)
{
	FILE *fp = fopen("/proc/cpuinfo", "r");
	char line[256], *p;

	snprintf(buf, len, "unknown");
	while (fp && fgets(line, sizeof(line), fp)) {
		if (strncmp(line, "model name", 10) || !(p = strchr(line, ':')))
			continue;
		p += strspn(p, ": \t");
		p[strcspn(p, "\n")] = '\0';
		snprintf(buf, len, "%s", p);
		break;
	}
	if (fp)
		fclose(fp);
}

/* Guest TSC rate for the hlt figure: KVM's value, else the host's. */
static void tsc_rate(void)
{
	struct tst_kvm_instance inst;
	uint64_t t0, c0, c1;
	int khz;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	khz = ioctl(inst.vcpu_fd, KVM_GET_TSC_KHZ, 0);
	tst_kvm_destroy_instance(&inst);
	tst_free_all();
	if (khz > 0) {
		opt.tsc_khz = khz;
		opt.tsc_khz_from = "KVM_GET_TSC_KHZ";
		return;
	}
	t0 = now_ns();
	c0 = __builtin_ia32_rdtsc();
	while (now_ns() - t0 < 50000000)
		;
	c1 = __builtin_ia32_rdtsc();
	opt.tsc_khz = (c1 - c0) * 1000000 / (now_ns() - t0);
	opt.tsc_khz_from = "host calibration";
}

static void load_avg(char *buf, size_t len)
{
	FILE *fp = fopen("/proc/loadavg", "r");
	double l1, l5, l15;

	if (fp && fscanf(fp, "%lf %lf %lf", &l1, &l5, &l15) == 3)
		snprintf(buf, len, "%.2f %.2f %.2f", l1, l5, l15);
	else
		snprintf(buf, len, "unknown");
	if (fp)
		fclose(fp);
}

struct header {
	char cpu[128], date[64], load[64];
	struct utsname u;
};

static void print_header_json(const struct header *h)
{
	const char *sep = "";
	size_t i;

	printf("{\"bench\": \"exits\", \"backend\": \"%s\", \"cpu\": ",
	       tst_kvm_backend());
	print_json_string(h->cpu);
	printf(", \"cpus\": %ld, \"kernel\": ", sysconf(_SC_NPROCESSORS_ONLN));
	print_json_string(h->u.release);
	printf(", \"date\": \"%s\", \"load_avg\": \"%s\", \"samples\": {",
	       h->date, h->load);
	for (i = 0; i < ARRAY_SIZE(figures); i++) {
		if (!selected(&figures[i]))
			continue;
		printf("%s\"%s\": %zu", sep, figures[i].name,
		       figure_n(&figures[i]));
		sep = ", ";
	}
	printf("}, \"hello\": ");
	print_json_string(opt.hello);
	printf(", \"vms_per_variant\": %d, \"warmup_exits_per_vm\": %d, "
	       "\"warmup_calls\": %d, \"guest_tsc_khz\": %lu, "
	       "\"guest_tsc_khz_from\": \"%s\",\n  \"figures\": [",
	       EXIT_ROUNDS, WARMUP_EXITS, WARMUP_CALLS, opt.tsc_khz,
	       opt.tsc_khz_from);
}

static void print_header_text(const struct header *h)
{
	const char *sep = "";
	size_t i;

	printf("kvmcheck bench: exits (framework vs raw KVM_RUN)\n"
	       "backend   %s\ncpu       %s (%ld online)\nkernel    %s\n"
	       "date      %s\nload      %s (1/5/15 min, at start)\n"
	       "samples   per variant:", tst_kvm_backend(), h->cpu,
	       sysconf(_SC_NPROCESSORS_ONLN), h->u.release, h->date, h->load);
	for (i = 0; i < ARRAY_SIZE(figures); i++) {
		if (!selected(&figures[i]))
			continue;
		printf("%s %s %zu", sep, figures[i].name,
		       figure_n(&figures[i]));
		sep = ",";
	}
	if (selected(find_figure("process", strlen("process"))))
		printf("\nhello     %s", opt.hello);
	printf("\nwarm-up   %d exits per VM (%d VMs per variant, ABBA order); "
	       "%d calls per variant for lifecycle/process\n"
	       "clock     CLOCK_MONOTONIC; guest TSC %lu kHz (%s) for hlt\n",
	       WARMUP_EXITS, EXIT_ROUNDS, WARMUP_CALLS, opt.tsc_khz,
	       opt.tsc_khz_from);
}

static void print_header(void)
{
	struct header h;
	time_t t = time(NULL);

	cpu_model(h.cpu, sizeof(h.cpu));
	strftime(h.date, sizeof(h.date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	load_avg(h.load, sizeof(h.load));
	if (uname(&h.u))
		snprintf(h.u.release, sizeof(h.u.release), "unknown");
	if (opt.format == FMT_JSON)
		print_header_json(&h);
	else
		print_header_text(&h);
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: exits [-n N] [--only NAME[,NAME...]] "
		"[--format text|json] [--hello PATH] [--list] [-h]\n"
		"Cost of the kvmcheck framework against a bare KVM_RUN loop "
		"in the same run.\n"
		"  -n N            samples per variant per figure "
		"(default: per figure, below; max %d)\n"
		"  --only NAMES    run only these figures (comma-separated)\n"
		"  --format FMT    text (default) or json\n"
		"  --hello PATH    hello test binary for 'process' (default: "
		"<dir of exits>/../tests/basic/hello)\n"
		"  --list          list the figures and exit\n"
		"  -h, --help      this help\n"
		"Exit status: 0 done (ratios are reported, never enforced), "
		"2 bad usage or broken measurement, 32 KVM unusable.\n"
		"Figures (default samples):\n", MAX_SAMPLES);
	for (i = 0; i < ARRAY_SIZE(figures); i++)
		fprintf(out, "  %-11s %-45s %6u\n", figures[i].name,
			figures[i].title, figures[i].default_n);
}

static __attribute__((noreturn)) void bad_usage(const char *fmt,
	const char *arg)
{
	fprintf(stderr, "exits: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	exit(2);
}

static const struct figure *find_figure(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(figures); i++) {
		if (strlen(figures[i].name) == len &&
		    !strncmp(figures[i].name, name, len))
			return &figures[i];
	}
	return NULL;
}

static int selected(const struct figure *f)
{
	const char *p = opt.only;

	if (!p)
		return 1;
	while (*p) {
		size_t len = strcspn(p, ",");

		if (find_figure(p, len) == f)
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

static void check_only(const char *list)
{
	const char *p = list;

	if (!*list)
		bad_usage("--only: empty list", "");
	while (*p) {
		size_t len = strcspn(p, ",");

		if (!find_figure(p, len))
			bad_usage("--only: unknown figure in '%s' (see "
				  "--list)", list);
		p += len + (p[len] == ',');
	}
}

static void default_paths(void)
{
	char dir[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", opt.self,
			       sizeof(opt.self) - 1);

	if (len < 0)
		tst_brk(TBROK, "readlink(/proc/self/exe): %m");
	opt.self[len] = '\0';
	if (opt.hello[0])
		return;
	snprintf(dir, sizeof(dir), "%s", opt.self);
	snprintf(opt.hello, sizeof(opt.hello), "%s/../tests/basic/hello",
		 dirname(dir));
}

static void parse_args(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "only", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "hello", required_argument, NULL, 'H' },
		{ "list", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long n;
	char *end;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hn:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'l':
			for (n = 0; n < ARRAY_SIZE(figures); n++)
				printf("%s\n", figures[n].name);
			exit(0);
		case 'n':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-' ||
			    !n || n > MAX_SAMPLES)
				bad_usage("-n '%s': expected a number of "
					  "samples, 1 to 10000000", optarg);
			opt.n = n;
			break;
		case 'o':
			check_only(optarg);
			opt.only = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				opt.format = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				opt.format = FMT_JSON;
			else
				bad_usage("--format '%s': expected text or "
					  "json", optarg);
			break;
		case 'H':
			if (strlen(optarg) >= sizeof(opt.hello))
				bad_usage("--hello '%s': path too long",
					  optarg);
			snprintf(opt.hello, sizeof(opt.hello), "%s", optarg);
			break;
		case ':':
			bad_usage("option '%s' needs an argument",
				  argv[optind - 1]);
		default:
			bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
}

int main(int argc, char *argv[])
{
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "--raw-child"))
		raw_child();
	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	default_paths();

	opt.kvm_fd = tst_kvm_open();
	opt.run_size = ioctl(opt.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (opt.run_size <= 0)
		tst_brk(TBROK, "KVM_GET_VCPU_MMAP_SIZE: %m");
	tsc_rate();
	print_header();
	for (i = 0; i < ARRAY_SIZE(figures); i++) {
		if (selected(&figures[i]))
			run_figure(&figures[i]);
	}
	if (opt.format == FMT_JSON)
		printf("\n  ]\n}\n");
	return 0;
}

#endif /* COMPILE_PAYLOAD */
