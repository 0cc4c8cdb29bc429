// SPDX-License-Identifier: GPL-2.0
/* io_uring_cmd_get_task(): the submitting task of a command, 6.8+. */
#include "probe.h"

#include <linux/sched.h>

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	cmd->flags = io_uring_cmd_get_task(cmd)->flags & issue_flags;
}
