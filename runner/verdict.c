// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * verdict.c - a test's verdict from how it ended, what it printed and the
 * known failures, and the verdict table (names, labels, which verdicts are
 * unexpected and fail the run).
 *
 * Rules, first match wins:
 *  - it could not be started, or its metadata failed: broken
 *  - killed at its time limit: timeout; died by a signal: broken (crash).
 *    A known-failures entry with match "timeout"/"crash" makes it xfail
 *    unless it also printed unknown TFAIL/TBROK or any TWARN lines.
 *  - no result line at all, or an exit status that does not match the
 *    result lines (the harness ORs TFAIL, TBROK, TWARN, TCONF): broken
 *  - an unknown TBROK line: broken; an unknown TFAIL line: fail
 *  - a TWARN line: warn. TWARN means the test or the machine is in a state
 *    nobody expects, so it is a failure-class verdict, never known.
 *  - TFAIL/TBROK lines that are all known: xfail (with the reasons)
 *  - something passed: pass, or xpass if the test has a known-failures
 *    entry (the failure did not reproduce: unexpected)
 *  - only TCONF: conf (skipped), with the TCONF message as the reason
 */
#include <stdlib.h>
#include <string.h>
#include "runner.h"

#define REASON_MAX	1000	/* bytes of a message kept as a reason */

static const struct verdict_info verdicts[V_COUNT] = {
	[V_PASS]	= { "pass",    "PASS",    false },
	[V_FAIL]	= { "fail",    "FAIL",    true },
	[V_BROKEN]	= { "broken",  "BROKEN",  true },
	[V_CONF]	= { "conf",    "SKIP",    false },
	[V_TIMEOUT]	= { "timeout", "TIMEOUT", true },
	[V_XFAIL]	= { "xfail",   "XFAIL",   false },
	[V_XPASS]	= { "xpass",   "XPASS",   true },
	[V_WARN]	= { "warn",    "WARN",    true },
};

const struct verdict_info *verdict_info(enum verdict v)
{
	return &verdicts[v < V_COUNT ? v : V_BROKEN];
}

/* What the result lines say, with known failures already marked. */
struct line_summary {
	struct result_counts c;
	int flags;			/* expected exit status */
	const struct out_line *brok, *fail, *warn, *conf; /* first unknown */
	size_t known;
	char *reasons;			/* distinct known reasons, "; " */
	const struct kf_entry **seen;	/* entries whose reason is in */
	size_t nseen;
};

static struct verdict_result result(enum verdict v, char *reason)
{
	return (struct verdict_result){ v, reason };
}

/* A message as a reason: NULs replaced, capped. */
static char *msg_reason(const struct out_line *l)
{
	size_t len = l->msg.len < REASON_MAX ? l->msg.len : REASON_MAX;
	char *s = xmalloc(len + 1), *p;

	memcpy(s, l->msg.p, len);
	s[len] = '\0';
	for (p = s; p < s + len; p++) {
		if (!*p)
			*p = '?';
	}
	return s;
}

static void add_reason(char **reasons, const char *reason)
{
	char *s;

	if (!*reasons) {
		*reasons = xstrdup(reason);
		return;
	}
	s = xasprintf("%s; %s", *reasons, reason);
	free(*reasons);
	*reasons = s;
}

/* Each reason once, however many lines (or entries) give it. */
static void add_known(struct line_summary *s, const struct kf_entry *e)
{
	size_t i;

	for (i = 0; i < s->nseen; i++) {
		if (s->seen[i] == e || !strcmp(s->seen[i]->reason, e->reason))
			return;
	}
	s->seen = xrealloc(s->seen, (s->nseen + 1) * sizeof(*s->seen));
	s->seen[s->nseen++] = e;
	add_reason(&s->reasons, e->reason);
}

static void first(const struct out_line **slot, const struct out_line *l)
{
	if (!*slot)
		*slot = l;
}

static void summarize(struct line_summary *s, const struct out_line *lines,
		      size_t n)
{
	const struct out_line *l;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->flags = lines_count(lines, n, &s->c);
	for (i = 0; i < n; i++) {
		l = &lines[i];
		if (l->kind != LINE_RESULT)
			continue;
		if (l->known) {
			s->known++;
			add_known(s, l->known);
		} else if (l->type == TBROK) {
			first(&s->brok, l);
		} else if (l->type == TFAIL) {
			first(&s->fail, l);
		} else if (l->type == TWARN) {
			first(&s->warn, l);
		} else if (l->type == TCONF) {
			first(&s->conf, l);
		}
	}
}

/* Unknown TBROK, TFAIL or TWARN lines decide, if there are any. */
static bool unknown_failure(const struct line_summary *s,
			    struct verdict_result *vr)
{
	if (s->brok)
		*vr = result(V_BROKEN, msg_reason(s->brok));
	else if (s->fail)
		*vr = result(V_FAIL, msg_reason(s->fail));
	else if (s->warn)
		*vr = result(V_WARN, msg_reason(s->warn));
	else
		return false;
	return true;
}

static struct verdict_result known_failure(struct line_summary *s,
					   const char *extra)
{
	char *reasons = NULL;

	if (extra)
		add_reason(&reasons, extra);
	if (s->reasons)
		add_reason(&reasons, s->reasons);
	return result(V_XFAIL, reasons);
}

/* A timeout or a crash: known if an entry's match names the event. */
static struct verdict_result event(struct line_summary *s, const char *test,
				   const struct kf_list *kf, const char *ev,
				   enum verdict v, char *reason)
{
	const struct kf_entry *e = kf_find_event(kf, test, ev);
	struct verdict_result vr;

	if (!e)
		return result(v, reason);
	free(reason);
	if (unknown_failure(s, &vr))
		return vr;
	return known_failure(s, e->reason);
}

/*
 * The exit status must be what the lines say. With truncated output some
 * lines are gone: then only results we saw but the status lacks count.
 */
static char *status_mismatch(const struct line_summary *s, int status,
			     bool truncated)
{
	int all = TFAIL | TBROK | TWARN | TCONF;

	if (status & ~all)
		return xasprintf("exit status %d is not a harness status",
				 status);
	if (truncated ? (s->flags & ~status & ~TCONF) != 0 :
	    s->flags != status)
		return xasprintf("exit status %d does not match the result "
				 "lines (expected %d)", status, s->flags);
	return NULL;
}

/* Results only the exit status tells about (dropped output). */
static bool lost_results(int status, int flags, struct verdict_result *vr)
{
	int lost = status & ~flags;

	if (lost & TBROK)
		*vr = result(V_BROKEN, xstrdup("TBROK in the dropped output"));
	else if (lost & TFAIL)
		*vr = result(V_FAIL, xstrdup("TFAIL in the dropped output"));
	else if (lost & TWARN)
		*vr = result(V_WARN, xstrdup("TWARN in the dropped output"));
	else
		return false;
	return true;
}

static struct verdict_result exited(struct line_summary *s, const char *test,
				    const struct kf_list *kf, int status,
				    bool truncated)
{
	const struct kf_entry *e;
	struct verdict_result vr;
	char *why;

	if (!(s->c.pass + s->c.fail + s->c.brok + s->c.warn + s->c.conf))
		return result(V_BROKEN, xasprintf("no result line (exit "
						  "status %d)", status));
	why = status_mismatch(s, status, truncated);
	if (why)
		return result(V_BROKEN, why);
	if (unknown_failure(s, &vr))
		return vr;
	if (truncated && lost_results(status, s->flags, &vr))
		return vr;
	if (s->known)
		return known_failure(s, NULL);
	if (s->c.pass) {
		e = kf_find_test(kf, test);
		if (!e)
			return result(V_PASS, NULL);
		return result(V_XPASS, xasprintf("known failure did not "
						 "reproduce: %s", e->reason));
	}
	return result(V_CONF, s->conf ? msg_reason(s->conf) : NULL);
}

struct verdict_result compute_verdict(const char *test,
				      const struct exit_info *st,
				      const struct out_line *lines, size_t n,
				      bool truncated,
				      const struct kf_list *kf)
{
	struct line_summary s;
	struct verdict_result vr;

	summarize(&s, lines, n);
	if (st->spawn_error)
		vr = result(V_BROKEN, xasprintf("cannot run: %s",
						st->spawn_error));
	else if (st->timed_out)
		vr = event(&s, test, kf, "timeout", V_TIMEOUT,
			   xasprintf("killed at the %g s time limit",
				     st->limit_s));
	else if (st->signal)
		vr = event(&s, test, kf, "crash", V_BROKEN,
			   xasprintf("killed by signal %d (%s)", st->signal,
				     signal_name(st->signal)));
	else
		vr = exited(&s, test, kf, st->exit_status, truncated);
	free(s.reasons);
	free(s.seen);
	return vr;
}
