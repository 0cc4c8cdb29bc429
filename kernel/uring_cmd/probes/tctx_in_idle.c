// SPDX-License-Identifier: GPL-2.0
/* A task's io_uring context counts its cancel runs in in_idle: up to 6.2. */
#include "probe.h"

#include <linux/io_uring_types.h>
#include <linux/sched.h>

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	cmd->flags = atomic_read(&current->io_uring->in_idle) & issue_flags;
}
