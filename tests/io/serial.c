// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest console on the 16550 UART at COM1 (host/dev_serial.c).
 *
 * Output: the guest printf()s known lines (formatted numbers, an empty
 * line, a 300-character line, a line of exactly 256 characters, a tab,
 * a control character, a NUL byte, CR LF) and
 * writes one line byte by byte with OUTB after polling LSR.THRE, then
 * ends with a line without a trailing newline. The host checks the raw
 * capture (inst.serial.capture: every byte written to THR, in order),
 * the byte count, and the console lines it printed: "[guest] " + the line
 * with CR dropped, non-printable bytes (NUL too) as \xNN, an empty line
 * as an empty console line, lines split every 256 characters (a line of
 * exactly 256 stays one line), and the unterminated tail flushed at the
 * end of the run.
 *
 * Registers the guest may rely on (PC16550D data sheet, "Registers";
 * dev_serial.c: transmitter always empty, no input, no interrupts):
 * LSR = THRE|TEMT (0x60), IIR = 0x01 (no interrupt pending), the scratch
 * register and LCR keep what is written, IER keeps bits 3:0 and MCR bits
 * 4:0 (the others always read 0), and LCR.DLAB switches offsets 0 and 1
 * to the divisor latch (DLL, DLM): writes there then change the divisor,
 * not THR/IER, and send nothing.
 */
#include "kvm_test.h"

#define UART_THR	0
#define UART_IER	1
#define UART_IIR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define LONG_LEN	300
#define LINE_SPLIT	256	/* dev_serial.c: sizeof(serial.line) */

/* printf() output and what the host must find, in order. */
#define NUMBERS_FMT "serial: numbers %d %u %#x %#X %#o %s %c [%5d] [%-5d] " \
		    "[%05d] %+d %lld %llx %%\n"
#define NUMBERS_ARGS -42, 4000000000U, 0xdeadbeefU, 0xcafeU, 0755U, "str", \
		     'Z', 17, 17, 42, 5, -9000000000LL, 0x123456789abcdef0ULL
#define NUMBERS_TEXT "serial: numbers -42 4000000000 0xdeadbeef 0XCAFE 0755 " \
		     "str Z [   17] [17   ] [00042] +5 -9000000000 " \
		     "123456789abcdef0 %\n"
#define CTL_TEXT	"ctl: tab\there bell\a end\n"
#define CTL_SHOWN	"ctl: tab\there bell\\x07 end"
#define CRLF_TEXT	"crlf line\r\n"
#define POLLED_TEXT	"polled: ABC xyz\n"
#define TAIL_TEXT	"tail without newline"
#define NUL_TEXT	"nul:\0after\n"	/* 11 bytes, one of them NUL */
#define NUL_LEN		11
#define NUL_SHOWN	"nul:\\x00after"

/* Character @i of the long line: position markers every 10 characters. */
static inline char long_char(unsigned int i)
{
	return i % 10 ? (char)('a' + (i / 10) % 26) : (char)('0' + i / 100);
}

#ifdef COMPILE_PAYLOAD

#include "kvm_x86.h"

static uint8_t uart_in(unsigned int reg)
{
	return kvm_inb(KVM_COM1_PORT + reg);
}

static void uart_out(unsigned int reg, uint8_t v)
{
	kvm_outb(KVM_COM1_PORT + reg, v);
}

/* A transmitter driver: wait for THRE, then write THR. */
static void polled_puts(const char *s)
{
	for (; *s; s++) {
		while (!(uart_in(UART_LSR) & LSR_THRE))
			;
		uart_out(UART_THR, (uint8_t)*s);
	}
}

static void expect_reg(const char *what, uint8_t want, uint8_t got)
{
	tst_res(want == got ? TPASS : TFAIL, "%s: expected 0x%02x, got 0x%02x",
		what, want, got);
}

static void check_scratch(void)
{
	static const uint8_t values[] = { 0x00, 0x55, 0xaa, 0xff, 0x3c };
	char what[48];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		uart_out(UART_SCR, values[i]);
		snprintf(what, sizeof(what), "SCR after writing 0x%02x",
			 values[i]);
		expect_reg(what, values[i], uart_in(UART_SCR));
	}
}

/* PC16550D: IER bits 7:4 and MCR bits 7:5 are always 0. */
static void check_plain_regs(void)
{
	expect_reg("LSR (THRE|TEMT, no data ready)", LSR_THRE | LSR_TEMT,
		   uart_in(UART_LSR));
	expect_reg("IIR (no interrupt pending)", 0x01, uart_in(UART_IIR));
	uart_out(UART_LCR, 0x1b);
	expect_reg("LCR after writing 0x1b", 0x1b, uart_in(UART_LCR));
	uart_out(UART_LCR, LCR_8N1);
	uart_out(UART_IER, 0xff);
	expect_reg("IER after writing 0xff", 0x0f, uart_in(UART_IER));
	uart_out(UART_MCR, 0xef);
	expect_reg("MCR after writing 0xef (loopback off)", 0x0f,
		   uart_in(UART_MCR));
	uart_out(UART_MCR, 0x0b);	/* DTR | RTS | OUT2 */
}

static void check_dlab(void)
{
	uart_out(UART_IER, 0x05);
	uart_out(UART_LCR, LCR_DLAB | LCR_8N1);
	uart_out(UART_THR, 0x34);	/* DLL, not a character */
	uart_out(UART_IER, 0x12);	/* DLM, not IER */
	expect_reg("offset 0 with DLAB=1 (DLL)", 0x34, uart_in(UART_THR));
	expect_reg("offset 1 with DLAB=1 (DLM)", 0x12, uart_in(UART_IER));
	expect_reg("LCR with DLAB=1", LCR_DLAB | LCR_8N1, uart_in(UART_LCR));
	uart_out(UART_LCR, LCR_8N1);
	expect_reg("offset 1 with DLAB=0 (IER kept under the latch)", 0x05,
		   uart_in(UART_IER));
	uart_out(UART_LCR, LCR_DLAB | LCR_8N1);
	expect_reg("DLL kept while DLAB=0", 0x34, uart_in(UART_THR));
	expect_reg("DLM kept while DLAB=0", 0x12, uart_in(UART_IER));
	uart_out(UART_LCR, LCR_8N1);
	uart_out(UART_IER, 0);
}

void main(void)
{
	static char long_line[LONG_LEN + 1];
	unsigned int i;

	printf(NUMBERS_FMT, NUMBERS_ARGS);
	printf("\n");
	for (i = 0; i < LONG_LEN; i++)
		long_line[i] = long_char(i);
	printf("%s\n", long_line);
	printf("%.*s\n", LINE_SPLIT, long_line);
	printf("%s", CTL_TEXT);
	kvm_console_write(NUL_TEXT, NUL_LEN);
	printf("%s", CRLF_TEXT);

	check_plain_regs();
	check_scratch();
	check_dlab();

	polled_puts(POLLED_TEXT);
	printf("%s", TAIL_TEXT);
}

#else /* COMPILE_PAYLOAD */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct tst_kvm_instance inst;

struct segment {
	const char *name;
	char text[512];
	size_t len;
};

/* Printable form of @len bytes for a result message, at most 40 shown. */
static const char *escape(const char *src, size_t len, char *buf,
	size_t size)
{
	size_t o = 0, i;

	for (i = 0; i < len && i < 40 && o + 5 < size; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += snprintf(buf + o, size - o, "\\x%02x", c);
	}
	snprintf(buf + o, size - o, "%s", i < len ? "..." : "");
	return buf;
}

static void add_segment(struct segment *s, const char *name,
	const char *text, size_t len)
{
	s->name = name;
	memcpy(s->text, text, len);
	s->len = len;
}

/* What the guest wrote to THR, in order (DLAB writes excluded). */
static unsigned int expected_segments(struct segment *s)
{
	char text[LONG_LEN + 1];
	unsigned int n = 0, i;

	for (i = 0; i < LONG_LEN; i++)
		text[i] = long_char(i);
	text[LONG_LEN] = '\n';
	add_segment(&s[n++], "formatted numbers", NUMBERS_TEXT,
		    strlen(NUMBERS_TEXT));
	add_segment(&s[n++], "empty line", "\n", 1);
	add_segment(&s[n++], "300-character line", text, LONG_LEN + 1);
	add_segment(&s[n], "256-character line", text, LINE_SPLIT + 1);
	s[n++].text[LINE_SPLIT] = '\n';
	add_segment(&s[n++], "tab and BEL", CTL_TEXT, strlen(CTL_TEXT));
	add_segment(&s[n++], "NUL byte", NUL_TEXT, NUL_LEN);
	add_segment(&s[n++], "CR LF line", CRLF_TEXT, strlen(CRLF_TEXT));
	add_segment(&s[n++], "polled OUTB line", POLLED_TEXT,
		    strlen(POLLED_TEXT));
	add_segment(&s[n++], "tail without newline", TAIL_TEXT,
		    strlen(TAIL_TEXT));
	return n;
}

/* dev_serial.c: capture holds every byte written to THR, raw. */
static void check_capture(void)
{
	static struct segment segs[12];
	unsigned int n = expected_segments(segs), i;
	const char *cap = inst.serial.capture;
	size_t pos = 0;
	char w[200], g[200];

	for (i = 0; i < n; i++) {
		size_t len = segs[i].len;
		size_t have = inst.serial.capture_len > pos ?
			      inst.serial.capture_len - pos : 0;
		int ok = have >= len && !memcmp(cap + pos, segs[i].text, len);

		tst_res(ok ? TPASS : TFAIL, "capture: %s: expected %zu bytes "
			"\"%s\" at offset %zu, got \"%s\"", segs[i].name, len,
			escape(segs[i].text, len, w, sizeof(w)), pos,
			escape(cap + pos, have < len ? have : len, g,
			       sizeof(g)));
		pos += len;
	}
	tst_res(inst.serial.capture_len == pos ? TPASS : TFAIL,
		"capture length: expected %zu, got %u (nothing else reached "
		"THR, DLAB writes excluded)", pos, inst.serial.capture_len);
	tst_res(inst.serial.bytes == pos ? TPASS : TFAIL,
		"bytes written to the console: expected %zu, got %lu", pos,
		inst.serial.bytes);
}

#define LINE_MAX_SHOWN	(LINE_SPLIT * 4 + 16)

/* The console lines the host prints for the guest's output, in order. */
static unsigned int expected_lines(char lines[][LINE_MAX_SHOWN])
{
	char text[LONG_LEN + 1];
	unsigned int n = 0, i;

	for (i = 0; i < LONG_LEN; i++)
		text[i] = long_char(i);
	text[LONG_LEN] = '\0';
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] %.*s",
		 (int)strlen(NUMBERS_TEXT) - 1, NUMBERS_TEXT);
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] ");
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] %.*s", LINE_SPLIT, text);
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] %s", text + LINE_SPLIT);
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] %.*s", LINE_SPLIT, text);
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] %s", CTL_SHOWN);
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] %s", NUL_SHOWN);
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] crlf line");
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] polled: ABC xyz");
	snprintf(lines[n++], LINE_MAX_SHOWN, "[guest] %s", TAIL_TEXT);
	return n;
}

/* The "[guest] " lines of @out, in order; returns how many. */
static unsigned int console_lines(char *out, char **lines, unsigned int max)
{
	unsigned int n = 0;
	char *p = out;

	while (p && *p) {
		char *end = strchr(p, '\n');

		if (end)
			*end = '\0';
		if (!strncmp(p, "[guest]", 7) && n < max)
			lines[n++] = p;
		p = end ? end + 1 : NULL;
	}
	return n;
}

/*
 * Each expected line must come, in order, after the previous one; a
 * missing line fails alone instead of shifting all that follow.
 */
static void check_console_lines(char *out)
{
	static char want[12][LINE_MAX_SHOWN];
	char *got[64], w[200], g[200];
	unsigned int n = expected_lines(want), ng, i, j = 0, k;

	ng = console_lines(out, got, ARRAY_SIZE(got));
	for (i = 0; i < n; i++) {
		for (k = j; k < ng && strcmp(got[k], want[i]); k++)
			;
		if (k < ng) {
			tst_res(TPASS, "console line %u: \"%s\"", i,
				escape(want[i], strlen(want[i]), w, sizeof(w)));
			j = k + 1;
			continue;
		}
		tst_res(TFAIL, "console line %u: expected \"%s\", got \"%s\"",
			i, escape(want[i], strlen(want[i]), w, sizeof(w)),
			j < ng ? escape(got[j], strlen(got[j]), g, sizeof(g)) :
			"(no more lines)");
	}
	tst_res(ng == n ? TPASS : TFAIL, "console lines for the guest: "
		"expected %u, got %u", n, ng);
}

static void run(void)
{
	char *out;

	tst_kvm_create_instance(&inst, DEFAULT_RAM_SIZE);
	tst_output_capture_begin();
	tst_kvm_run_instance(&inst);
	out = tst_output_capture_end();
	if (!out)
		tst_brk(TBROK, "reading back the captured stdout failed");

	check_capture();
	check_console_lines(out);
	free(out);
	tst_kvm_destroy_instance(&inst);
}

static struct tst_test test = {
	.description = "guest console on the COM1 16550: capture, console "
		       "lines and UART registers",
	.test_all = run,
	.timeout = 10,
};

#endif /* COMPILE_PAYLOAD */
