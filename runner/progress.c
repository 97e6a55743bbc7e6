// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * progress.c - the "[12/34] cpu/msr ..." line on stderr while tests run:
 * only when stderr is a terminal, redrawn in place, cut to the terminal
 * width, and cleared before report lines are printed and at the end.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "runner.h"

void progress_init(struct progress *p, FILE *f)
{
	struct winsize ws;

	memset(p, 0, sizeof(*p));
	p->f = f;
	p->enabled = isatty(fileno(f));
	p->width = 80;
	if (p->enabled && !ioctl(fileno(f), TIOCGWINSZ, &ws) && ws.ws_col)
		p->width = ws.ws_col;
}

void progress_show(struct progress *p, size_t done, size_t total,
		   const char *name)
{
	size_t room, len;
	int n;

	if (!p->enabled)
		return;
	n = fprintf(p->f, "\r\033[K[%zu/%zu] ", done, total);
	if (name) {
		len = strlen(name);
		room = p->width > (unsigned int)n + 5 ?
		       p->width - (unsigned int)n - 5 : 0;
		esc_text(p->f, name, len < room ? len : room);
		fputs(" ...", p->f);
	}
	fflush(p->f);
	p->drawn = true;
}

void progress_clear(struct progress *p)
{
	if (!p->enabled || !p->drawn)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
	p->drawn = false;
}
