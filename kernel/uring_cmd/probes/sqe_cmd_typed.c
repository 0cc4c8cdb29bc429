// SPDX-License-Identifier: GPL-2.0
/*
 * Typed payload accessors io_uring_sqe_cmd(sqe, type) (16 bytes) and
 * io_uring_sqe128_cmd(sqe, type) (80 bytes): 7.0+.
 */
#include "probe.h"

struct mu_probe16 {
	u8 b[16];
};

struct mu_probe80 {
	u8 b[80];
};

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	const struct mu_probe16 *p16 = io_uring_sqe_cmd(cmd->sqe, struct mu_probe16);
	const struct mu_probe80 *p80 = io_uring_sqe128_cmd(cmd->sqe, struct mu_probe80);

	cmd->flags = p16->b[0] + p80->b[79] + issue_flags;
}
