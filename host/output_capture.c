/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output_capture.c - lets a test check what the host itself printed
 * (result lines, "[guest]" console lines): stdout goes to a temporary file
 * between tst_output_capture_begin() and tst_output_capture_end(), which
 * prints it after all and hands it to the test. The harness ends a capture
 * left open by a tst_brk(), so nothing printed is ever lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "tst_test.h"

static FILE *capture_file;
static int saved_stdout = -1;

void tst_output_capture_begin(void)
{
	if (saved_stdout >= 0)
		tst_brk(TBROK, "tst_output_capture_begin(): already capturing");
	fflush(stdout);
	capture_file = tmpfile();
	saved_stdout = dup(STDOUT_FILENO);
	if (!capture_file || saved_stdout < 0 ||
	    dup2(fileno(capture_file), STDOUT_FILENO) < 0)
		tst_brk(TBROK, "redirecting stdout to a temporary file: %m");
}

char *tst_output_capture_end(void)
{
	char *text;
	long len;

	if (saved_stdout < 0)
		return NULL;
	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	saved_stdout = -1;
	len = ftell(capture_file);
	text = calloc(1, len > 0 ? len + 1 : 1);
	rewind(capture_file);
	if (text && len > 0 && fread(text, 1, len, capture_file) != (size_t)len)
		text[0] = '\0';
	fclose(capture_file);
	capture_file = NULL;
	if (!text)
		tst_brk(TBROK, "out of memory for the captured output");
	fputs(text, stdout);
	fflush(stdout);
	return text;
}
