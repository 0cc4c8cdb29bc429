// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_cmd_import_fixed() takes the command typed, and the issue flags
 * (it looks the registered buffer up then, under the ring's lock): 6.15+.
 * Before, it took the command as void * and used the buffer io_uring had
 * looked up when it prepared the request.
 */
#include <linux/uio.h>
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct iov_iter iter;

	cmd->flags = io_uring_cmd_import_fixed(0, 0, ITER_DEST, &iter, cmd,
					       issue_flags);
}
