// SPDX-License-Identifier: GPL-2.0
/* io_uring_cmd_done(cmd, ret, res2, issue_flags): 6.3-6.17 and Debian's 6.1. */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_done(cmd, 0, 0, issue_flags);
}
