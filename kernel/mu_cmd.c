// SPDX-License-Identifier: GPL-2.0
/*
 * mu_cmd: the out-of-line half of the io_uring command layer (mu_cmd.h).
 * The hot, trivial parts are inline in the header.
 */
#include "mu_cmd.h"

int mu_cmd_complete2(struct mu_cmd *cmd, s32 ret, u64 res2)
{
	if (!mu_cmd_has_cqe32(cmd))
		return mu_cmd_complete(cmd, ret);
	/* Posting from ->uring_cmd itself, with the flags it was given. */
	mu_compat_done(cmd->ioucmd, ret, res2, cmd->issue_flags);
	return -EIOCBQUEUED;
}

int mu_cmd_queue(struct mu_cmd *cmd, struct mu_queued *q, bool cancelable)
{
	q->ioucmd = cmd->ioucmd;
	if (cancelable)
		mu_compat_mark_cancelable(cmd->ioucmd, cmd->issue_flags);
	return -EIOCBQUEUED;
}

int mu_cmd_complete_cancelled(struct mu_cmd *cmd)
{
	mu_compat_done(cmd->ioucmd, -ECANCELED, 0, cmd->issue_flags);
	return -EIOCBQUEUED;
}

void mu_tw_done(struct mu_tw *tw, s32 ret)
{
	mu_compat_done(tw->ioucmd, ret, 0, tw->issue_flags);
}

void mu_tw_done2(struct mu_tw *tw, s32 ret, u64 res2)
{
	mu_compat_done(tw->ioucmd, ret, res2, tw->issue_flags);
}
