/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dev_serial.c - a 16550A UART on COM1 as far as a polling transmitter
 * needs it: the transmitter is always empty (LSR.THRE|TEMT), there is no
 * input and no interrupt. Bytes become "[guest] ..." console lines,
 * sanitised, up to TST_KVM_CONSOLE_LIMIT per run; a guest writing more
 * than TST_KVM_CONSOLE_FLOOD bytes is stopped as flooding.
 */
#include <string.h>
#include "tst_test.h"
#include "internal.h"

#define UART_RBR_THR	0
#define UART_IER	1
#define UART_IIR_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7
#define UART_LCR_DLAB	0x80
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40
#define UART_IIR_NONE	0x01
#define UART_MSR_IDLE	0xb0	/* DCD | DSR | CTS */

/* Print the pending line, even an empty one (the guest wrote "\n"). */
static void flush_line(struct tst_kvm_serial *s)
{
	char out[sizeof(s->line) * 4 + 8];

	tst_sanitize(out, sizeof(out), s->line, s->line_len);
	tst_printf("[guest] %s\n", out);
	s->line_len = 0;
}

void tst_kvm_serial_flush(struct tst_kvm_instance *inst)
{
	struct tst_kvm_serial *s = &inst->serial;

	if (s->line_len)
		flush_line(s);
	if (s->dropped)
		tst_res(TINFO, "guest console: %lu bytes beyond the %d-byte "
			"limit not shown", s->dropped, TST_KVM_CONSOLE_LIMIT);
	s->dropped = 0;
}

static void output(struct tst_kvm_instance *inst, uint8_t c)
{
	struct tst_kvm_serial *s = &inst->serial;

	if (++s->bytes > TST_KVM_CONSOLE_FLOOD)
		tst_kvm_brk(inst, "guest flooded the console: more than %d "
			    "bytes written", TST_KVM_CONSOLE_FLOOD);
	if (s->capture_len < sizeof(s->capture))
		s->capture[s->capture_len++] = (char)c;
	if (s->bytes > TST_KVM_CONSOLE_LIMIT) {
		s->dropped++;
		return;
	}
	if (c == '\n') {
		flush_line(s);
		return;
	}
	if (c == '\r')
		return;
	/* Split long lines; one of exactly 256 then "\n" stays one line. */
	if (s->line_len == sizeof(s->line))
		flush_line(s);
	s->line[s->line_len++] = (char)c;
}

static enum tst_kvm_action serial_write(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, const void *data, unsigned int len)
{
	struct tst_kvm_serial *s = &inst->serial;
	uint8_t v = *(const uint8_t *)data;
	int dlab = s->lcr & UART_LCR_DLAB;

	(void)opaque;
	(void)len;
	switch (offset) {
	case UART_RBR_THR:
		if (dlab)
			s->dll = v;
		else
			output(inst, v);
		break;
	case UART_IER:
		if (dlab)
			s->dlm = v;
		else
			s->ier = v & 0x0f;
		break;
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		s->mcr = v & 0x1f;
		break;
	case UART_SCR:
		s->scr = v;
		break;
	default:	/* FCR, read-only LSR/MSR */
		break;
	}
	return TST_KVM_CONTINUE;
}

static enum tst_kvm_action serial_read(struct tst_kvm_instance *inst,
	void *opaque, uint64_t offset, void *data, unsigned int len)
{
	struct tst_kvm_serial *s = &inst->serial;
	int dlab = s->lcr & UART_LCR_DLAB;
	static const uint8_t fixed[8] = {
		[UART_IIR_FCR] = UART_IIR_NONE,
		[UART_LSR] = UART_LSR_THRE | UART_LSR_TEMT,
		[UART_MSR] = UART_MSR_IDLE,
	};
	uint8_t v = fixed[offset & 7];

	(void)opaque;
	switch (offset) {
	case UART_RBR_THR:
		v = dlab ? s->dll : 0;
		break;
	case UART_IER:
		v = dlab ? s->dlm : s->ier;
		break;
	case UART_LCR:
		v = s->lcr;
		break;
	case UART_MCR:
		v = s->mcr;
		break;
	case UART_SCR:
		v = s->scr;
		break;
	}
	memset(data, 0, len);
	*(uint8_t *)data = v;
	return TST_KVM_CONTINUE;
}

const struct tst_kvm_device tst_kvm_serial_device = {
	.name = "16550 UART (COM1)",
	.base = KVM_COM1_PORT,
	.size = 8,
	.read = serial_read,
	.write = serial_write,
};
