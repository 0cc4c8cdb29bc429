/* SPDX-License-Identifier: MIT */
/*
 * A progress line on stderr for runs longer than UC_PROGRESS_AFTER
 * seconds: "\r<label> 42%", redrawn at most every UC_PROGRESS_EVERY
 * seconds, erased at the end. Only on a terminal: never with --json or
 * --quiet, never when stdout or stderr is not a TTY. Callers pass the
 * time (uc_now()), so the tests can drive it.
 */
#ifndef URINGCTL_PROGRESS_H
#define URINGCTL_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#define UC_PROGRESS_AFTER	1.0
#define UC_PROGRESS_EVERY	0.1

struct uc_progress {
	FILE	*f;		/* NULL: disabled */
	double	start;
	double	next;		/* do not draw before */
	bool	drawn;		/* a line is on the terminal */
	char	label[96];
};

bool uc_progress_wanted(bool json, bool quiet, bool stdout_tty,
			bool stderr_tty);
/* f NULL disables it. */
void uc_progress_start(struct uc_progress *p, FILE *f, double now,
		       const char *label);
void uc_progress_label(struct uc_progress *p, const char *label);
/* fraction done, 0 to 1 */
void uc_progress_update(struct uc_progress *p, double now, double fraction);
/* Erase the line, if one was drawn. */
void uc_progress_end(struct uc_progress *p);

#endif /* URINGCTL_PROGRESS_H */
