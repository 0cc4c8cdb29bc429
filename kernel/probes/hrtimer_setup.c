// SPDX-License-Identifier: GPL-2.0
/* hrtimer_setup(), which replaced hrtimer_init(): 6.13+. */
#include "probe.h"

#include <linux/hrtimer.h>

static enum hrtimer_restart mu_probe_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	static struct hrtimer t;

	hrtimer_setup(&t, mu_probe_fn, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	cmd->flags = issue_flags;
}
