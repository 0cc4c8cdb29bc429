// SPDX-License-Identifier: GPL-2.0
/* A re-issue after -EAGAIN is flagged with IORING_URING_CMD_REISSUE: 6.17+. */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	cmd->flags |= (cmd->flags & IORING_URING_CMD_REISSUE) ? issue_flags : 0;
}
