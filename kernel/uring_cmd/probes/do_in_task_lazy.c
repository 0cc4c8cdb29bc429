// SPDX-License-Identifier: GPL-2.0
/* io_uring_cmd_do_in_task_lazy(), task work with batched wake-ups: 6.5+. */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	/*
	 * Only its presence matters: its callback type is tw_cb_*'s business,
	 * and where the callback is kept changed (7.x has no task_work_cb).
	 */
	void *fn = &io_uring_cmd_do_in_task_lazy;

	cmd->file = fn;
}
