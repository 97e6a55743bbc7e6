/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_host.h - the host VMM library (tst_kvm_*): VM and vCPU creation with
 * host-built long-mode state, memory slots and guest memory access, the
 * payload's symbols, the device buses, the run loop and the guest <-> host
 * channel. Functions without a leading underscore never return on error:
 * they end the test with TBROK (or TCONF when KVM lacks something).
 */
#ifndef KVM_HOST_H
#define KVM_HOST_H

#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <linux/kvm.h>
#include "kvm_common.h"
#include "x86_defs.h"

#define MAX_KVM_MEMSLOTS	8
#define DEFAULT_RAM_SIZE	(16 * 1024 * 1024)
#define TST_KVM_MAX_DEVICES	16
#define TST_KVM_EXIT_REASONS	64	/* size of the exit counters */
/* A guest reporting more results than this in one run is flooding. */
#define TST_KVM_MAX_RESULTS	10000
/* Console bytes shown per run; the rest is counted and dropped. */
#define TST_KVM_CONSOLE_LIMIT	(64 * 1024)
/* A guest writing more console bytes than this in one run is flooding. */
#define TST_KVM_CONSOLE_FLOOD	(256 * 1024)

struct tst_kvm_instance;

/*
 * Device handlers return TST_KVM_CONTINUE to resume the guest or
 * TST_KVM_STOP to end the run in order (like kvm_exit()). A device that
 * finds the guest broken calls tst_kvm_brk().
 */
enum tst_kvm_action {
	TST_KVM_CONTINUE,
	TST_KVM_STOP,
};

/*
 * A device on the port-I/O or MMIO bus: [base, base + size). @data holds
 * @len bytes in guest (little-endian) order; a read handler fills it.
 */
struct tst_kvm_device {
	const char *name;
	uint64_t base;
	uint64_t size;
	enum tst_kvm_action (*read)(struct tst_kvm_instance *inst,
		void *opaque, uint64_t offset, void *data, unsigned int len);
	enum tst_kvm_action (*write)(struct tst_kvm_instance *inst,
		void *opaque, uint64_t offset, const void *data,
		unsigned int len);
	void *opaque;
	/*
	 * TST_KVM_DEV_CONCURRENT: the handlers may run on several vCPU
	 * threads at once (they lock what they share). Without it the bus
	 * runs one handler of the instance at a time.
	 */
	unsigned int flags;
};

#define TST_KVM_DEV_CONCURRENT	1

struct tst_kvm_bus {
	const char *name;		/* "port" or "MMIO" */
	struct tst_kvm_device devs[TST_KVM_MAX_DEVICES];
	unsigned int count;
	unsigned long unclaimed_reads, unclaimed_writes;
};

#define TST_KVM_CONSOLE_CAPTURE	4096

/*
 * The 16550 UART on COM1: registers, the console line buffer and a copy of
 * the first TST_KVM_CONSOLE_CAPTURE bytes of the run's output (raw, not
 * NUL-terminated) for tests that check what the guest printed.
 */
struct tst_kvm_serial {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	char line[256];
	unsigned int line_len;
	unsigned long bytes;		/* all bytes the guest wrote */
	unsigned long dropped;		/* beyond TST_KVM_CONSOLE_LIMIT */
	char capture[TST_KVM_CONSOLE_CAPTURE];
	unsigned int capture_len;
};

struct tst_payload;

/* Most vCPUs a VM can have here (the guest layout has room for these). */
#define TST_KVM_MAX_VCPUS	KVM_MAX_VCPUS

/*
 * How to build a VM: tst_kvm_create_instance_opts(), and struct tst_test's
 * kvm_opts for the default tst_kvm_run() and the negative-test helpers.
 * A zero field takes the default.
 */
struct tst_kvm_vm_opts {
	size_t ram_size;	/* 0: DEFAULT_RAM_SIZE */
	unsigned int nr_vcpus;	/* 0: 1; at most TST_KVM_MAX_VCPUS */
};

/*
 * One vCPU of an instance. vcpu[0] is the LTP vcpu_fd/vcpu_info; each
 * other vCPU (AP) runs on its own host thread during
 * tst_kvm_run_instance() (host/smp.c).
 */
struct tst_kvm_vcpu {
	struct tst_kvm_instance *inst;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	struct tst_kvm_result *result;		/* host pointer */
	struct kvm_boot_info *boot_info;	/* host pointer */
	/* Last guest report of an AP (CPU 0's: inst->last_file/line). */
	char last_file[KVM_MAX_FILENAME];
	int last_line;
	/* Host thread and park state (host/smp.c, under inst->smp_lock). */
	pthread_t thread;
	int thread_started;
	int tid;
	int wake;		/* an UNPARK is pending */
	int parked;		/* stopped in KVM_SMP_PARK */
	int done;		/* left its run loop */
};

/*
 * Answers tst_host_call(nr, arg) from the guest. Runs on the vCPU thread
 * while the vCPU is stopped; may read and change guest state.
 */
typedef uint32_t (*tst_kvm_host_call_fn)(struct tst_kvm_instance *inst,
	void *opaque, uint32_t nr, uint64_t arg);

struct tst_kvm_instance {
	/* The fields of the LTP KVM API. */
	int vm_fd, vcpu_fd;
	struct kvm_run *vcpu_info;
	size_t vcpu_info_size;
	struct kvm_userspace_memory_region ram[MAX_KVM_MEMSLOTS];
	struct tst_kvm_result *result;

	/* kvmcheck additions. */
	size_t ram_size;
	struct kvm_boot_info *boot_info;
	struct tst_payload *payload;
	struct tst_kvm_bus pio, mmio;
	struct tst_kvm_serial serial;
	/* Exits seen by the run loop, indexed by KVM_EXIT_* reason. */
	unsigned long exit_counts[TST_KVM_EXIT_REASONS];
	unsigned long results;		/* guest reports this run */
	char last_file[KVM_MAX_FILENAME];	/* of the last guest report */
	int last_line;
	int finished;			/* guest ended this run */
	tst_kvm_host_call_fn host_call;
	void *host_call_opaque;

	/*
	 * The thread in tst_kvm_run_instance(), and the paging registers
	 * guest-memory helpers use when called from another thread while
	 * the vCPU runs (KVM_GET_SREGS would wait for the next exit).
	 */
	pthread_t run_thread;
	int running;
	uint64_t paging_cr0, paging_cr3, paging_efer;

	/* Guest signal state for tst_kvm_wait_guest(). */
	pthread_mutex_t sync_lock;
	pthread_cond_t sync_cond;
	int guest_signal;		/* 0, KVM_TSYNC or KVM_TSYNC_WAIT */

	/*
	 * SMP (host/smp.c): the vCPUs, the park/unpark state, and the flag
	 * that ends every vCPU's loop. Device handlers run under bus_lock
	 * unless the device says it is TST_KVM_DEV_CONCURRENT.
	 */
	unsigned int nr_vcpus;
	struct tst_kvm_vcpu vcpu[TST_KVM_MAX_VCPUS];
	pthread_mutex_t smp_lock;
	pthread_cond_t smp_cond;
	int ending;
	pthread_mutex_t bus_lock;
};

/* Default struct tst_test entry points: one VM per iteration. */
void tst_kvm_setup(void);
void tst_kvm_run(void);
void tst_kvm_cleanup(void);

/*
 * Checks a result value read from the guest; TBROK if it is not a result
 * type (TPASS, TFAIL, TBROK, TWARN, TINFO, TCONF).
 */
void tst_kvm_validate_result(int value);
/* Non-fatal variant: 1 if valid. */
int _tst_kvm_validate_result(int value);

/* /dev/kvm, opened once. TCONF (with the reason) if it is unusable. */
int tst_kvm_open(void);
/* KVM_CHECK_EXTENSION on /dev/kvm: 0 if absent. */
int tst_kvm_check_cap(int cap);
/* "KVM_CAP_IMMEDIATE_EXIT" for 136, or "KVM_CAP_<n>". */
const char *tst_kvm_cap_name(int cap);
/* "IO" for KVM_EXIT_IO, or "UNKNOWN_<n>". */
const char *tst_kvm_exit_name(uint32_t reason);
/* The KVM backend: "kvm_intel", "kvm_amd", "kvm_pvm" or "unknown". */
const char *tst_kvm_backend(void);

/* KVM_GET_SUPPORTED_CPUID; free() the result. */
struct kvm_cpuid2 *tst_kvm_get_cpuid(int sysfd);
/* One entry of a CPUID list, NULL if absent. */
struct kvm_cpuid_entry2 *tst_kvm_cpuid_entry(struct kvm_cpuid2 *cpuid,
	uint32_t function, uint32_t index);
/* One feature bit (X86_FEATURE_*) of a CPUID list; 0 if the leaf is absent. */
int tst_kvm_cpuid_has(struct kvm_cpuid2 *cpuid, uint64_t feature);
/*
 * Put @apic_id in the CPUID fields that report the current processor's
 * APIC ID (leaf 1 EBX[31:24], 0xB/0x1F EDX, 0x8000001E EAX).
 * KVM_GET_SUPPORTED_CPUID fills them with the APIC ID of the host CPU the
 * ioctl ran on; tst_kvm_create_instance() sets the vCPU's own.
 */
void tst_kvm_cpuid_set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t apic_id);
/* Replace the vCPU's CPUID (before the first run). */
void tst_kvm_set_cpuid(struct tst_kvm_instance *inst,
	const struct kvm_cpuid2 *cpuid);

/*
 * A VM with @ram_size bytes of RAM at guest-physical 0, the payload
 * loaded, page tables, GDT, TSS and IDT built, and one vCPU in 64-bit mode
 * at the payload entry.
 */
void tst_kvm_create_instance(struct tst_kvm_instance *inst, size_t ram_size);
/*
 * The same with options (NULL: defaults). With nr_vcpus > 1 every AP gets
 * its own CPUID (APIC ID = its index), TSS, stacks, boot info and result
 * page and starts at the payload entry like CPU 0 (no INIT-SIPI); TCONF if
 * KVM_CAP_MAX_VCPUS (or KVM_CAP_NR_VCPUS) is lower.
 */
void tst_kvm_create_instance_opts(struct tst_kvm_instance *inst,
	const struct tst_kvm_vm_opts *opts);
/*
 * Runs until the guest ends (kvm_exit(), return from main(), i8042 reset),
 * printing every guest result. A broken guest (invalid report, unhandled
 * exception, triple fault, unexpected exit, timeout) ends the test with
 * TBROK and the vCPU registers.
 */
void tst_kvm_run_instance(struct tst_kvm_instance *inst);
void tst_kvm_destroy_instance(struct tst_kvm_instance *inst);

/*
 * SMP. tst_kvm_run_instance() runs vCPU 0 on the calling thread and each
 * AP on a thread of its own; it returns when CPU 0's main() has returned
 * and every AP is idle, or when any CPU ends the run (kvm_exit(),
 * tst_brk(), the i8042 reset). A fatal error on any vCPU (unhandled
 * exception, triple fault, timeout) is a TBROK naming the CPU; the other
 * vCPUs are kicked out of KVM_RUN before the test ends. Result lines of an
 * SMP VM start with "CPU <n>: ". An SMP instance runs once.
 *
 * Called from a vCPU thread (a device handler, a host call), the vCPU
 * helpers (tst_kvm_get_regs(), tst_kvm_dump_vcpu(), tst_kvm_brk()...) use
 * that thread's vCPU, from any other thread vCPU 0.
 */
/* The vCPU the calling thread runs for @inst; 0 on any other thread. */
unsigned int tst_kvm_current_cpu(const struct tst_kvm_instance *inst);
/* The fd of vCPU @cpu (TBROK if there is none), for ioctls after a run. */
int tst_kvm_vcpu_fd(const struct tst_kvm_instance *inst, unsigned int cpu);

/*
 * Memory. The guest-virtual helpers walk the vCPU's page tables with its
 * current CR0/CR3/EFER. Called from another thread while the vCPU runs,
 * they use the values read at the vCPU's last stop instead (reading the
 * registers of a running vCPU blocks until its next exit): a guest that
 * changed CR3 since is translated with the old one.
 */
void *tst_kvm_alloc_memory(struct tst_kvm_instance *inst, unsigned int slot,
	uint64_t baseaddr, size_t size, unsigned int flags);
/* Guest virtual -> physical through the vCPU's page tables; 0 if unmapped. */
uint64_t tst_kvm_get_phys_address(const struct tst_kvm_instance *inst,
	uint64_t addr);
int tst_kvm_find_phys_memslot(const struct tst_kvm_instance *inst,
	uint64_t paddr);
int tst_kvm_find_memslot(const struct tst_kvm_instance *inst, uint64_t addr);
/* Guest virtual address -> host pointer; NULL if not backed. */
void *tst_kvm_get_memptr(const struct tst_kvm_instance *inst, uint64_t addr);
/*
 * Host pointer to @len bytes at guest virtual @addr, or NULL unless all of
 * them are mapped and backed by one memory slot, contiguously.
 */
void *tst_kvm_guest_range(const struct tst_kvm_instance *inst,
	uint64_t addr, size_t len);
/*
 * Copy a NUL-terminated string of at most @size bytes (NUL included) from
 * guest virtual @addr: its length, -1 if a byte is not readable (its
 * address in *@bad_addr), -2 if there is no NUL within @size bytes.
 */
int tst_kvm_read_guest_string(const struct tst_kvm_instance *inst,
	uint64_t addr, char *buf, size_t size, uint64_t *bad_addr);
/* Copy from/to guest virtual memory; -1 if any byte is not backed. */
int tst_kvm_read_guest(const struct tst_kvm_instance *inst, uint64_t addr,
	void *buf, size_t len);
int tst_kvm_write_guest(const struct tst_kvm_instance *inst, uint64_t addr,
	const void *buf, size_t len);

/* Payload symbols */
/* Address of a guest symbol, 0 if there is none. */
uint64_t tst_kvm_find_symbol(const struct tst_kvm_instance *inst,
	const char *name);
/* Like tst_kvm_find_symbol(), TBROK if missing. */
uint64_t tst_kvm_symbol(const struct tst_kvm_instance *inst,
	const char *name);
/* "function+0x12" for a guest address ("?" if unknown); returns @buf. */
const char *tst_kvm_symbolize(const struct tst_kvm_instance *inst,
	uint64_t addr, char *buf, size_t len);

/* Devices and host calls */
void tst_kvm_add_pio_device(struct tst_kvm_instance *inst,
	const struct tst_kvm_device *dev);
void tst_kvm_add_mmio_device(struct tst_kvm_instance *inst,
	const struct tst_kvm_device *dev);
void tst_kvm_set_host_call(struct tst_kvm_instance *inst,
	tst_kvm_host_call_fn fn, void *opaque);
/* A value the guest reads as kvm_boot_info()->host_arg. */
void tst_kvm_set_guest_arg(struct tst_kvm_instance *inst, uint64_t arg);

/* vCPU registers (TBROK on failure) */
void tst_kvm_get_regs(const struct tst_kvm_instance *inst,
	struct kvm_regs *regs);
void tst_kvm_set_regs(const struct tst_kvm_instance *inst,
	const struct kvm_regs *regs);
void tst_kvm_get_sregs(const struct tst_kvm_instance *inst,
	struct kvm_sregs *sregs);
void tst_kvm_set_sregs(const struct tst_kvm_instance *inst,
	const struct kvm_sregs *sregs);
/* Print the vCPU registers (GPRs, RIP with symbol, CRs, EFER, segments). */
void tst_kvm_dump_vcpu(const struct tst_kvm_instance *inst);

/*
 * TBROK about the guest: prints the message, the vCPU registers and the
 * last guest report, then ends the test.
 */
void tst_kvm_brk_(const char *file, int lineno,
	const struct tst_kvm_instance *inst, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));
#define tst_kvm_brk(inst, fmt, ...) \
	tst_kvm_brk_(TST_FILE, __LINE__, (inst), (fmt), ##__VA_ARGS__)

/*
 * Guest signals (tst_signal_host()/tst_wait_host()). Run the vCPU on
 * another thread; tst_kvm_wait_guest() returns 0 when the guest signalled,
 * ETIMEDOUT after @timeout_ms (scaled by the timeout multiplier), or
 * ECHILD if the guest ended first. tst_kvm_clear_guest_signal() lets a
 * guest waiting in tst_wait_host() go on.
 */
int tst_kvm_wait_guest(struct tst_kvm_instance *inst, int timeout_ms);
void tst_kvm_clear_guest_signal(struct tst_kvm_instance *inst);

/*
 * Watchdog timeout (seconds, times KVMCHECK_TIMEOUT_MUL) of the child each
 * following scenario or case runs in; 0 restores the default of 3 s. For
 * scenarios that are slow by design (a console flood), so that load on
 * the machine cannot turn their verdict into a timeout.
 */
void tst_kvm_expect_timeout(double seconds);

/*
 * Checks how a run ends, from the outside: runs @fn (which creates, runs
 * and destroys a VM) in a child process with its output captured and its
 * own short watchdog (3 s times the timeout multiplier). TPASS if the
 * child exited, without a signal, with exactly @ttype's status bit (0 for
 * TPASS and TINFO) and printed a line containing @substr (a glob, with
 * implicit '*' at both ends, if it contains a '*'); that line must be a
 * @ttype line unless @substr names a type itself ("TINFO: went on").
 * TFAIL otherwise, with what it got and the child's output. For negative
 * tests of the framework itself.
 */
void tst_kvm_expect_verdict_(const char *file, int lineno,
	void (*fn)(void), int ttype, const char *substr);
#define tst_kvm_expect_verdict(fn, ttype, substr) \
	tst_kvm_expect_verdict_(TST_FILE, __LINE__, (fn), (ttype), (substr))
/*
 * The common case of the above: a fresh default VM of this test's payload
 * with kvm_boot_info()->host_arg = @guest_arg (the guest picks a scenario
 * from it), run to its end in a child. Its result line starts with
 * "scenario <guest_arg>: " so a known-failure entry can name one case.
 */
void tst_kvm_expect_guest_verdict_(const char *file, int lineno,
	uint64_t guest_arg, int ttype, const char *substr);
#define tst_kvm_expect_guest_verdict(guest_arg, ttype, substr) \
	tst_kvm_expect_guest_verdict_(TST_FILE, __LINE__, (guest_arg), \
				      (ttype), (substr))

/*
 * Run the cases of a test split with the guest's tst_case_run(): case i
 * (named @names[i]) in a fresh default VM in a child with host_arg = i.
 * Each gives one line: TPASS if it ended with "<name>: passed all",
 * TCONF (relayed) if it ended with TCONF, TFAIL with its output otherwise;
 * lines start with "scenario <i>: " like tst_kvm_expect_guest_verdict().
 */
void tst_kvm_run_cases_(const char *file, int lineno,
	const char *const *names, unsigned int count);
#define tst_kvm_run_cases(names, count) \
	tst_kvm_run_cases_(TST_FILE, __LINE__, (names), (count))
/*
 * The same for a test that needs its own VM: the child of case i calls
 * @run_vm(i) in place of the default VM. @run_vm creates the instance,
 * sets host_arg = i (tst_kvm_set_guest_arg()), adds its devices and host
 * calls, runs and destroys it; a TFAIL of its own host-side checks fails
 * the case like one of the guest's, a tst_brk(TCONF) is relayed.
 */
void tst_kvm_run_cases_vm_(const char *file, int lineno,
	const char *const *names, unsigned int count,
	void (*run_vm)(unsigned int i));
#define tst_kvm_run_cases_vm(names, count, run_vm) \
	tst_kvm_run_cases_vm_(TST_FILE, __LINE__, (names), (count), (run_vm))

#endif /* KVM_HOST_H */
