// SPDX-License-Identifier: GPL-2.0
/*
 * mu_cmd: the out-of-line half of the io_uring command layer (mu_cmd.h).
 * The hot, trivial parts are inline in the header.
 */
#include <linux/cpumask.h>

#include "mu_cmd.h"

DEFINE_PER_CPU(struct mu_cmd_stats, mu_cmd_stats);

void mu_cmd_stats_read(struct mu_cmd_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct mu_cmd_stats *s = per_cpu_ptr(&mu_cmd_stats, cpu);

		sum->completed_inline += READ_ONCE(s->completed_inline);
		sum->completed_async += READ_ONCE(s->completed_async);
		sum->cancelled += READ_ONCE(s->cancelled);
		sum->failed += READ_ONCE(s->failed);
	}
	smp_rmb();	/* pairs with the order of issue before completion */
	for_each_possible_cpu(cpu)
		sum->issued += READ_ONCE(per_cpu_ptr(&mu_cmd_stats, cpu)->issued);
}

/* Posts the CQE from ->uring_cmd itself, with the flags it was given. */
int mu_cmd_post(struct mu_cmd *cmd, s32 ret)
{
	mu_cmd_count_done(ret, true);
	mu_compat_done(cmd->ioucmd, ret, cmd->issue_flags);
	return -EIOCBQUEUED;
}

int mu_cmd_complete2(struct mu_cmd *cmd, s32 ret, u64 res2)
{
	if (!mu_cmd_has_cqe32(cmd))
		return mu_cmd_complete(cmd, ret);
	mu_cmd_count_done(ret, true);
	mu_compat_done2(cmd->ioucmd, ret, res2, cmd->issue_flags);
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
	mu_cmd_count_done(-ECANCELED, false);
	mu_compat_done(cmd->ioucmd, -ECANCELED, cmd->issue_flags);
	return -EIOCBQUEUED;
}

void mu_tw_done(struct mu_tw *tw, s32 ret)
{
	mu_cmd_count_done(ret, false);
	mu_compat_done(tw->ioucmd, ret, tw->issue_flags);
}

void mu_tw_done2(struct mu_tw *tw, s32 ret, u64 res2)
{
	mu_cmd_count_done(ret, false);
	mu_compat_done2(tw->ioucmd, ret, res2, tw->issue_flags);
}
