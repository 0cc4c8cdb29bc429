// SPDX-License-Identifier: GPL-2.0
/* Task-work callbacks take (cmd, issue_flags): up to 6.18. */
#include "probe.h"

static void mu_probe_cb(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_done(cmd, 0, 0, issue_flags);
}

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_complete_in_task(cmd, mu_probe_cb);
}
