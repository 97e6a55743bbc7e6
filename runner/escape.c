// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * escape.c - writing bytes a test printed (hostile: binary garbage, NULs,
 * invalid UTF-8, terminal escapes) into the reports. A strict UTF-8
 * decoder feeds one emitter per target: plain text and KTAP (control
 * characters and invalid bytes become '?'), XML/HTML (entities, characters
 * XML 1.0 forbids become U+FFFD) and JSON (escapes, U+FFFD).
 */
#include <string.h>
#include "runner.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

typedef void (*emit_fn)(FILE *f, uint32_t cp, const char *raw, size_t n);

static bool cont(const unsigned char *s, size_t len, size_t i)
{
	return i < len && (s[i] & 0xc0) == 0x80;
}

/* Second-byte range of a multi-byte sequence, per lead byte (RFC 3629). */
static bool second_ok(unsigned char lead, unsigned char b)
{
	if (lead == 0xe0)
		return b >= 0xa0 && b <= 0xbf;
	if (lead == 0xed)
		return b >= 0x80 && b <= 0x9f;	/* no surrogates */
	if (lead == 0xf0)
		return b >= 0x90 && b <= 0xbf;
	if (lead == 0xf4)
		return b >= 0x80 && b <= 0x8f;	/* <= U+10FFFF */
	return (b & 0xc0) == 0x80;
}

/*
 * Decodes one character at s (len > 0). Returns the bytes consumed; an
 * invalid or truncated sequence consumes one byte and yields UTF8_INVALID.
 */
size_t utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		goto invalid;
	if (len < 2 || !second_ok(s[0], s[1]))
		goto invalid;
	*cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if (!cont(s, len, i))
			goto invalid;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return n;
invalid:
	*cp = UTF8_INVALID;
	return 1;
}

static void esc_run(FILE *f, const char *s, size_t len, emit_fn emit)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		emit(f, cp, s + i, n);
		i += n;
	}
}

/* C0 and C1 controls and DEL: a terminal would interpret them. */
static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

static void emit_text(FILE *f, uint32_t cp, const char *raw, size_t n)
{
	if (cp == UTF8_INVALID || (is_control(cp) && cp != '\t'))
		fputc('?', f);
	else
		fwrite(raw, 1, n, f);
}

/* KTAP: as text, and no '#' (it would start a directive). */
static void emit_ktap(FILE *f, uint32_t cp, const char *raw, size_t n)
{
	if (cp != '#')
		emit_text(f, cp, raw, n);
}

static const char *const xml_entities[128] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};

/* XML 1.0 Char production, minus the discouraged C1 controls. */
static bool xml_allowed(uint32_t cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return true;
	if (is_control(cp) || cp == UTF8_INVALID)
		return false;
	return cp != 0xfffe && cp != 0xffff;
}

static void emit_xml(FILE *f, uint32_t cp, const char *raw, size_t n)
{
	if (!xml_allowed(cp))
		fputs(REPLACEMENT, f);
	else if (cp < 128 && xml_entities[cp])
		fputs(xml_entities[cp], f);
	else
		fwrite(raw, 1, n, f);
}

/* In attributes, keep white space from being normalized away. */
static void emit_xml_attr(FILE *f, uint32_t cp, const char *raw, size_t n)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		fprintf(f, "&#%u;", (unsigned int)cp);
	else
		emit_xml(f, cp, raw, n);
}

static const char *const json_escapes[128] = {
	['"'] = "\\\"", ['\\'] = "\\\\", ['\b'] = "\\b", ['\f'] = "\\f",
	['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
};

static void emit_json(FILE *f, uint32_t cp, const char *raw, size_t n)
{
	if (cp == UTF8_INVALID)
		fputs("\\ufffd", f);
	else if (cp < 128 && json_escapes[cp])
		fputs(json_escapes[cp], f);
	else if (cp < 0x20 || cp == 0x7f)
		fprintf(f, "\\u%04x", (unsigned int)cp);
	else
		fwrite(raw, 1, n, f);
}

void esc_text(FILE *f, const char *s, size_t len)
{
	esc_run(f, s, len, emit_text);
}

void esc_ktap(FILE *f, const char *s, size_t len)
{
	esc_run(f, s, len, emit_ktap);
}

void esc_xml(FILE *f, const char *s, size_t len)
{
	esc_run(f, s, len, emit_xml);
}

void esc_xml_attr(FILE *f, const char *s, size_t len)
{
	esc_run(f, s, len, emit_xml_attr);
}

void esc_json(FILE *f, const char *s, size_t len)
{
	esc_run(f, s, len, emit_json);
}

void json_str(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	esc_json(f, s, len);
	fputc('"', f);
}

void json_cstr(FILE *f, const char *s)
{
	if (s)
		json_str(f, s, strlen(s));
	else
		fputs("null", f);
}
