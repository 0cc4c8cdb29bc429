/* SPDX-License-Identifier: MIT */
/*
 * The progress line of progress.h.
 */
#include "config.h"

#include <string.h>

#include "progress.h"

bool uc_progress_wanted(bool json, bool quiet, bool stdout_tty,
			bool stderr_tty)
{
	return !json && !quiet && stdout_tty && stderr_tty;
}

void uc_progress_start(struct uc_progress *p, FILE *f, double now,
		       const char *label)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->start = now;
	p->next = now + UC_PROGRESS_AFTER;
	uc_progress_label(p, label);
}

void uc_progress_label(struct uc_progress *p, const char *label)
{
	snprintf(p->label, sizeof(p->label), "%s", label);
}

void uc_progress_update(struct uc_progress *p, double now, double fraction)
{
	if (!p->f || now < p->next)
		return;
	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	/* \033[K clears what a longer label left on the line. */
	fprintf(p->f, "\r%s %3d%%\033[K", p->label, (int)(fraction * 100));
	fflush(p->f);
	p->drawn = true;
	p->next = now + UC_PROGRESS_EVERY;
}

void uc_progress_end(struct uc_progress *p)
{
	if (p->f && p->drawn) {
		fputs("\r\033[K", p->f);
		fflush(p->f);
	}
	p->drawn = false;
}
