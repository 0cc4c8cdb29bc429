// SPDX-License-Identifier: GPL-2.0
/* The command points at its SQE (cmd->sqe), not at the payload (cmd->cmd): 6.4+. */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	const struct io_uring_sqe *sqe = cmd->sqe;

	cmd->flags = READ_ONCE(sqe->len) | issue_flags;
}
