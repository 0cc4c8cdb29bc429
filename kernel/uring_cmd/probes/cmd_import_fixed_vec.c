// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_cmd_import_fixed_vec(): an iovec array whose entries point into
 * one registered buffer (vectored registered buffers): 6.15+.
 */
#include <linux/uio.h>
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct iov_iter iter;

	cmd->flags = io_uring_cmd_import_fixed_vec(cmd, NULL, 0, ITER_SOURCE,
						   &iter, issue_flags);
}
