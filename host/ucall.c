/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ucall.c - the host end of the guest channel. A 32-bit OUT of the result
 * page address to KVM_UCALL_PORT delivers a report; a 32-bit IN from
 * KVM_HOSTCALL_PORT is a synchronous host call. The result page is copied
 * once and every field is validated before use (result code, file name
 * pointer and string, message termination), so a guest that scribbles on
 * it gets a precise TBROK and never makes the host read out of bounds.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "tst_test.h"
#include "internal.h"

/* One consistent copy of the page: the guest cannot change it under us. */
struct result_copy {
	struct tst_kvm_result hdr;
	char message[KVM_RESULT_MSG_SIZE];
};

/* The calling thread's vCPU's page (each vCPU has its own). */
static void snapshot(const struct tst_kvm_instance *inst,
	struct result_copy *copy)
{
	memcpy(copy, tst_kvm_cur_result(inst), KVM_PAGE_SIZE);
}

void tst_sanitize(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	for (i = 0; i < srclen && o + 5 < dstlen; i++) {
		unsigned char c = (unsigned char)src[i];

		if ((c >= 0x20 && c < 0x7f) || c == '\t') {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	if (dstlen)
		dst[o < dstlen ? o : dstlen - 1] = '\0';
}

/* Copy the guest's file name; a TBROK names what is wrong with it. */
static void fetch_file_name(struct tst_kvm_instance *inst, uint64_t addr,
	char *buf)
{
	char raw[KVM_MAX_FILENAME];
	uint64_t bad = 0;
	int len = tst_kvm_read_guest_string(inst, addr, raw, sizeof(raw), &bad);

	if (len == -1)
		tst_kvm_brk(inst, "guest file name pointer 0x%llx: byte at "
			    "0x%llx is outside guest memory",
			    (unsigned long long)addr, (unsigned long long)bad);
	if (len < 0)
		tst_kvm_brk(inst, "guest file name at 0x%llx is not "
			    "NUL-terminated within %d bytes",
			    (unsigned long long)addr, KVM_MAX_FILENAME);
	tst_sanitize(buf, KVM_MAX_FILENAME, raw, len);
}

static void print_result(struct tst_kvm_instance *inst,
	const struct result_copy *r)
{
	char msg[KVM_RESULT_MSG_SIZE * 4], prefix[16], *last_file;
	size_t len = strnlen(r->message, sizeof(r->message));
	int *last_line;

	if (len == sizeof(r->message))
		tst_kvm_brk(inst, "guest result message is not "
			    "NUL-terminated within the result page (%zu bytes)",
			    sizeof(r->message));
	if (__atomic_add_fetch(&inst->results, 1, __ATOMIC_RELAXED) >
	    TST_KVM_MAX_RESULTS)
		tst_kvm_brk(inst, "guest flooded the result channel: more "
			    "than %d results in one run",
			    TST_KVM_MAX_RESULTS);

	tst_kvm_cur_last_report(inst, &last_file, &last_line);
	fetch_file_name(inst, r->hdr.file_addr, last_file);
	*last_line = r->hdr.lineno;
	tst_sanitize(msg, sizeof(msg), r->message, len);
	tst_res_(last_file, r->hdr.lineno, r->hdr.result, "%s%s",
		 tst_kvm_cpu_prefix(inst, prefix, sizeof(prefix)), msg);
}

static enum tst_kvm_action sync_guest(struct tst_kvm_instance *inst,
	int kind)
{
	pthread_mutex_lock(&inst->sync_lock);
	inst->guest_signal = kind;
	pthread_cond_broadcast(&inst->sync_cond);
	while (kind == KVM_TSYNC_WAIT && inst->guest_signal &&
	       !tst_watchdog_expired() && !tst_vcpu_stop_requested()) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&inst->sync_cond, &inst->sync_lock,
				       &ts);
	}
	pthread_mutex_unlock(&inst->sync_lock);
	if (tst_vcpu_stop_requested() && !tst_watchdog_expired())
		tst_vcpu_thread_halt();
	if (tst_watchdog_expired())
		tst_kvm_brk(inst, "timed out after %.0f s with the guest "
			    "waiting in tst_wait_host() for the host",
			    tst_watchdog_seconds());
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action ucall_write(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	struct result_copy r;
	uint64_t expect;
	uint32_t addr;

	(void)opaque;
	if (offset || len != 4)
		tst_kvm_brk(inst, "guest wrote %u bytes at offset %llu of the "
			    "result port 0x%x; expected one 32-bit OUT", len,
			    (unsigned long long)offset, KVM_UCALL_PORT);
	memcpy(&addr, data, 4);
	expect = KVM_CPU_RESULT_PAGE(tst_kvm_current_cpu(inst));
	if (addr != expect)
		tst_kvm_brk(inst, "guest reported through result page "
			    "address 0x%x; its result page is 0x%llx", addr,
			    (unsigned long long)expect);

	snapshot(inst, &r);
	if (_tst_kvm_validate_result(r.hdr.result)) {
		print_result(inst, &r);
		return TST_KVM_CONTINUE;
	}

	switch (r.hdr.result) {
	case KVM_TEXIT:
		inst->finished = 1;
		return TST_KVM_STOP;
	case KVM_TSYNC:
	case KVM_TSYNC_WAIT:
		return sync_guest(inst, r.hdr.result);
	case KVM_TEXCEPTION:
		tst_kvm_report_exception(inst,
			(const struct kvm_exception_report *)r.message);
	default:
		tst_kvm_brk(inst, "invalid result code %d (0x%x) in the "
			    "guest's result page", r.hdr.result,
			    (unsigned int)r.hdr.result);
	}
}

static enum tst_kvm_action hostcall_read(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	struct result_copy r;
	uint32_t answer;

	(void)opaque;
	if (offset || len != 4)
		tst_kvm_brk(inst, "guest read %u bytes at offset %llu of the "
			    "host-call port 0x%x; expected one 32-bit IN", len,
			    (unsigned long long)offset, KVM_HOSTCALL_PORT);
	snapshot(inst, &r);
	if (r.hdr.result != KVM_THOSTCALL)
		tst_kvm_brk(inst, "guest host call with result code 0x%x in "
			    "its result page; expected KVM_THOSTCALL (0x%x)",
			    (unsigned int)r.hdr.result, KVM_THOSTCALL);
	if (!inst->host_call)
		tst_kvm_brk(inst, "guest made host call %u (arg 0x%llx) but "
			    "the test set no handler (tst_kvm_set_host_call)",
			    (unsigned int)r.hdr.lineno,
			    (unsigned long long)r.hdr.file_addr);
	answer = inst->host_call(inst, inst->host_call_opaque,
				 (uint32_t)r.hdr.lineno, r.hdr.file_addr);
	memcpy(data, &answer, 4);
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action hostcall_write(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	(void)opaque;
	(void)offset;
	(void)data;
	tst_kvm_brk(inst, "guest wrote %u bytes to the host-call port 0x%x, "
		    "which only answers 32-bit reads", len, KVM_HOSTCALL_PORT);
}

static enum tst_kvm_action ucall_read(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	(void)opaque;
	(void)offset;
	(void)data;
	tst_kvm_brk(inst, "guest read %u bytes from the result port 0x%x, "
		    "which only takes 32-bit writes", len, KVM_UCALL_PORT);
}

void tst_kvm_set_host_call(struct tst_kvm_instance *inst,
	tst_kvm_host_call_fn fn, void *opaque)
{
	inst->host_call = fn;
	inst->host_call_opaque = opaque;
}

int tst_kvm_wait_guest(struct tst_kvm_instance *inst, int timeout_ms)
{
	struct timespec deadline;
	double ms = timeout_ms * tst_timeout_mul();
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)(ms / 1000);
	deadline.tv_nsec += (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6);
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}

	pthread_mutex_lock(&inst->sync_lock);
	while (!inst->guest_signal && !inst->finished && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&inst->sync_cond,
					     &inst->sync_lock, &deadline);
	if (inst->guest_signal)
		ret = 0;
	else if (inst->finished)
		ret = ECHILD;
	pthread_mutex_unlock(&inst->sync_lock);
	return ret;
}

void tst_kvm_clear_guest_signal(struct tst_kvm_instance *inst)
{
	pthread_mutex_lock(&inst->sync_lock);
	inst->guest_signal = 0;
	pthread_cond_broadcast(&inst->sync_cond);
	pthread_mutex_unlock(&inst->sync_lock);
}

extern const struct tst_kvm_device tst_kvm_serial_device;
extern const struct tst_kvm_device tst_kvm_i8042_cmd_device;
extern const struct tst_kvm_device tst_kvm_i8042_data_device;

void tst_kvm_add_platform_devices(struct tst_kvm_instance *inst)
{
	/* Reports of several vCPUs may be printed at once. */
	static const struct tst_kvm_device ucall = {
		.name = "result port",
		.base = KVM_UCALL_PORT,
		.size = 4,
		.read = ucall_read,
		.write = ucall_write,
		.flags = TST_KVM_DEV_CONCURRENT,
	};
	static const struct tst_kvm_device hostcall = {
		.name = "host-call port",
		.base = KVM_HOSTCALL_PORT,
		.size = 4,
		.read = hostcall_read,
		.write = hostcall_write,
	};

	tst_kvm_add_pio_device(inst, &ucall);
	tst_kvm_add_pio_device(inst, &hostcall);
	tst_kvm_add_pio_device(inst, &tst_kvm_serial_device);
	tst_kvm_add_pio_device(inst, &tst_kvm_i8042_cmd_device);
	tst_kvm_add_pio_device(inst, &tst_kvm_i8042_data_device);
	if (inst->nr_vcpus > 1)
		tst_kvm_add_smp_device(inst);
}
