/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * internal.h - declarations shared between the host library's files but
 * not part of the public API: the payload image, boot-state builder,
 * device registration, the watchdog/kick machinery and harness hooks.
 */
#ifndef KVMCHECK_HOST_INTERNAL_H
#define KVMCHECK_HOST_INTERNAL_H

#include <signal.h>
#include <stdint.h>
#include <stddef.h>
#include "kvm_host.h"

/* Payload ELF (payload.c) */
struct tst_payload_symbol {
	uint64_t addr;
	uint64_t size;
	const char *name;
};

struct tst_payload {
	const unsigned char *elf;
	size_t elf_size;
	uint64_t entry;
	uint64_t image_start, image_end;	/* page-aligned */
	struct tst_payload_symbol *syms;	/* sorted by address */
	size_t nsyms;
};

/*
 * Parse and validate an ELF image. Returns NULL and fills @err (a reason)
 * on a malformed image.
 */
struct tst_payload *tst_payload_parse(const void *elf, size_t size,
	char *err, size_t errlen);
void tst_payload_free(struct tst_payload *p);
/* The payload embedded in this binary, parsed once; TBROK if absent. */
struct tst_payload *tst_payload_embedded(void);
/* Copy the PT_LOAD segments into guest RAM ([0, ram_size) at @ram). */
int tst_payload_load(const struct tst_payload *p, void *ram,
	size_t ram_size, char *err, size_t errlen);
const struct tst_payload_symbol *tst_payload_lookup_addr(
	const struct tst_payload *p, uint64_t addr);
const struct tst_payload_symbol *tst_payload_lookup_name(
	const struct tst_payload *p, const char *name);

/* Long-mode boot state (x86_boot.c) */
struct tst_boot_layout {
	uint64_t entry;
	uint64_t ram_size;
	uint64_t heap_start;
	uint64_t isr_table[256];	/* guest addresses of the stubs */
	int nx;				/* EFER.NXE available */
	int osxsave;			/* CR4.OSXSAVE available */
	unsigned int nr_vcpus;		/* 0 means 1 */
};

/* Write GDT, TSS, IDT, page tables and boot info into guest RAM. */
void tst_x86_build_tables(void *ram, const struct tst_boot_layout *l);
/* The initial long-mode special and general registers. */
void tst_x86_initial_sregs(struct kvm_sregs *sregs,
	const struct tst_boot_layout *l);
void tst_x86_initial_regs(struct kvm_regs *regs,
	const struct tst_boot_layout *l);
/* The same for vCPU @cpu (own TR, stack and boot info). */
void tst_x86_initial_sregs_cpu(struct kvm_sregs *sregs,
	const struct tst_boot_layout *l, unsigned int cpu);
void tst_x86_initial_regs_cpu(struct kvm_regs *regs,
	const struct tst_boot_layout *l, unsigned int cpu);

/* Buses and devices (bus.c, dev_*.c, ucall.c) */
void tst_kvm_bus_init(struct tst_kvm_bus *bus, const char *name);
void tst_kvm_bus_add(struct tst_kvm_instance *inst, struct tst_kvm_bus *bus,
	const struct tst_kvm_device *dev);
/* Dispatch one access; unclaimed reads return all-ones. */
enum tst_kvm_action tst_kvm_bus_access(struct tst_kvm_instance *inst,
	struct tst_kvm_bus *bus, uint64_t addr, void *data,
	unsigned int len, int is_write);
void tst_kvm_add_platform_devices(struct tst_kvm_instance *inst);
/* Flush a partial console line at the end of a run. */
void tst_kvm_serial_flush(struct tst_kvm_instance *inst);

/* Printable copy of @srclen guest bytes: others (NUL too) become \xNN. */
void tst_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen);

/* Exits (run_loop.c) */
/* One-line decode of the current exit in inst->vcpu_info. */
void tst_kvm_describe_exit(const struct tst_kvm_instance *inst, char *buf,
	size_t len);

/* "backtrace: f+0x1 <- g+0x2 ..." from the guest's frame-pointer chain. */
void tst_kvm_print_backtrace(const struct tst_kvm_instance *inst,
	uint64_t rip, uint64_t rbp);
/* Held while one vCPU's report (line, dump, backtrace) is printed. */
void tst_kvm_report_lock(void);
void tst_kvm_report_unlock(void);
/* Report an unhandled guest exception and end the test (TBROK). */
void tst_kvm_report_exception(struct tst_kvm_instance *inst,
	const struct kvm_exception_report *rep) __attribute__((noreturn));

/* vCPU threads, kicks and the watchdog (watchdog.c) */
void tst_watchdog_start(double seconds);
void tst_watchdog_stop(void);
int tst_watchdog_expired(void);
double tst_watchdog_seconds(void);
/* Register the calling thread as running @run so kicks reach it. */
void tst_vcpu_thread_enter(struct kvm_run *run);
void tst_vcpu_thread_leave(void);
/* Send the kick signal to thread @tid (sets its kvm_run.immediate_exit). */
void tst_vcpu_thread_kick(int tid);
/*
 * Test ending: tst_vcpu_threads_stop() (first tst_abort()) asks every other
 * vCPU thread to halt and waits for that, briefly; a vCPU thread that sees
 * tst_vcpu_stop_requested() calls tst_vcpu_thread_halt() and never returns.
 */
void tst_vcpu_threads_stop(void);
int tst_vcpu_stop_requested(void);
void tst_vcpu_thread_halt(void) __attribute__((noreturn));

/* SMP and the calling thread's vCPU (smp.c) */
/* The vCPU of @inst the calling thread runs, NULL on other threads. */
struct tst_kvm_vcpu *tst_kvm_this_vcpu(const struct tst_kvm_instance *inst);
void tst_kvm_set_this_vcpu(struct tst_kvm_vcpu *v);
/*
 * The calling thread's vCPU (vCPU 0 on a thread that runs none): its fd,
 * kvm_run, result page, boot info and last guest report.
 */
int tst_kvm_cur_fd(const struct tst_kvm_instance *inst);
struct kvm_run *tst_kvm_cur_run(const struct tst_kvm_instance *inst);
struct tst_kvm_result *tst_kvm_cur_result(const struct tst_kvm_instance *inst);
struct kvm_boot_info *tst_kvm_cur_boot_info(
	const struct tst_kvm_instance *inst);
void tst_kvm_cur_last_report(const struct tst_kvm_instance *inst,
	char **file, int **line);
/* "CPU <n>: " on a vCPU thread of an SMP VM, else "". */
const char *tst_kvm_cpu_prefix(const struct tst_kvm_instance *inst,
	char *buf, size_t len);
void tst_kvm_add_smp_device(struct tst_kvm_instance *inst);
/* Start the AP threads; after CPU 0's loop, join them. */
void tst_kvm_smp_start(struct tst_kvm_instance *inst);
void tst_kvm_smp_join(struct tst_kvm_instance *inst);
/* vCPU @v left its loop: end the run on every other vCPU. */
void tst_kvm_smp_vcpu_done(struct tst_kvm_instance *inst,
	struct tst_kvm_vcpu *v);
/* One vCPU's run loop (run_loop.c). */
void tst_kvm_run_vcpu(struct tst_kvm_instance *inst, struct tst_kvm_vcpu *v);
/* A VM as the test's kvm_opts say (instance.c). */
void tst_kvm_create_default_instance(struct tst_kvm_instance *inst);

/* Harness hooks (harness.c) */
/* In a forked child: forget the parent's results and cleanup. */
void tst_harness_child_reset(void);
/* Result bits for the exit status, from the counts so far. */
int tst_harness_exit_code(void);

#endif /* KVMCHECK_HOST_INTERNAL_H */
