// SPDX-License-Identifier: GPL-2.0
/*
 * Multishot uring_cmd: IORING_URING_CMD_MULTISHOT, a provided buffer from
 * io_uring_cmd_buffer_select() (a struct io_br_sel) and a CQE with
 * IORING_CQE_F_MORE from io_uring_mshot_cmd_post_cqe(): 6.18+.
 */
#include "probe.h"

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	size_t len = 8;
	struct io_br_sel sel;

	if (!(cmd->flags & IORING_URING_CMD_MULTISHOT))
		return;
	sel = io_uring_cmd_buffer_select(cmd, 0, &len, issue_flags);
	if (sel.addr)
		sel.val = len;
	if (io_uring_mshot_cmd_post_cqe(cmd, &sel, issue_flags))
		cmd->flags = 0;
}
