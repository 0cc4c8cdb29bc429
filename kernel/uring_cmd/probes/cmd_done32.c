// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_cmd_done32(cmd, ret, res2, issue_flags) next to a three-argument
 * io_uring_cmd_done(cmd, ret, issue_flags): 6.18+.
 */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_done32(cmd, 0, 0, issue_flags);
	io_uring_cmd_done(cmd, 0, issue_flags);
}
