// SPDX-License-Identifier: GPL-2.0
/*
 * Task-work callbacks take (struct io_tw_req, io_tw_token_t), the command
 * comes from io_uring_cmd_from_tw() and a dying task shows as tw.cancel:
 * 6.19+.
 */
#include "probe.h"

static void mu_probe_cb(struct io_tw_req req, io_tw_token_t tw)
{
	struct io_uring_cmd *cmd = io_uring_cmd_from_tw(req);

	io_uring_cmd_done(cmd, tw.cancel ? -ECANCELED : 0,
			  IO_URING_CMD_TASK_WORK_ISSUE_FLAGS);
}

void mu_probe(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_complete_in_task(cmd, mu_probe_cb);
}
