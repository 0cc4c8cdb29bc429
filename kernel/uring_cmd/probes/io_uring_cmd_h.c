// SPDX-License-Identifier: GPL-2.0
/* <linux/io_uring/cmd.h> exists (6.8+; before, io_uring_cmd is in <linux/io_uring.h>). */
#include <linux/io_uring/cmd.h>

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags);
void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	cmd->flags = issue_flags;
}
