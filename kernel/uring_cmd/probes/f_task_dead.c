// SPDX-License-Identifier: GPL-2.0
/* Task work of a dying task runs with IO_URING_F_TASK_DEAD: 6.13-6.18, late 6.12.y. */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	cmd->flags = issue_flags & IO_URING_F_TASK_DEAD;
}
