// SPDX-License-Identifier: GPL-2.0
/* Cancelable commands, IO_URING_F_CANCEL on ring exit: 6.7+. */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	if (!(issue_flags & IO_URING_F_CANCEL))
		io_uring_cmd_mark_cancelable(cmd, issue_flags);
}
