// SPDX-License-Identifier: GPL-2.0
/*
 * import_ubuf(): an iov_iter over one user buffer, access_ok() checked and
 * the length clamped to MAX_RW_COUNT: 6.4+. Before, the same by hand with
 * iov_iter_ubuf().
 */
#include <linux/uio.h>
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct iov_iter iter;

	cmd->flags = import_ubuf(ITER_DEST, NULL, issue_flags, &iter);
}
