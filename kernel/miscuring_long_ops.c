// SPDX-License-Identifier: GPL-2.0
/*
 * The long-running ops, DELAY and WAIT. Both wait in a deadline queue of
 * their open file (miscuring_timeq.c) and are cancelable: where the kernel
 * supports it, io_uring calls ->uring_cmd with the cancel flag when their
 * ring goes away or their task execs, and they complete with -ECANCELED at
 * once; the queue's owner check ends them in the other cases.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>

#include "miscuring_dev.h"

static s32 mu_delay_timeout_result(const struct mu_timed *t)
{
	/* The result the caller chose, stored at issue. */
	return (s32)t->arg;
}

MU_TASK_WORK(mu_delay_tw)
{
	s32 result = mu_tw_pdu(tw, struct mu_timed)->result;

	/* Nobody is left to read a chosen result: say what happened. */
	mu_tw_done(tw, mu_tw_dying(tw) ? -ECANCELED : result);
}

static const struct mu_timeq_ops mu_delay_ops = {
	.timeout_result	= mu_delay_timeout_result,
	.complete	= mu_delay_tw,
};

static s32 mu_wait_timeout_result(const struct mu_timed *t)
{
	return -ETIMEDOUT;
}

/* A WAIT is satisfied once its file's value differs from the one given. */
static bool mu_wait_ready(struct mu_timeq *q, const struct mu_timed *t)
{
	struct miscuring_file *mf = container_of(q, struct miscuring_file, waits);

	return (u64)atomic64_read(&mf->value) != t->arg;
}

MU_TASK_WORK(mu_wait_tw)
{
	struct miscuring_file *mf = miscuring_file(mu_tw_file(tw));
	s32 result = mu_tw_pdu(tw, struct mu_timed)->result;

	if (mu_tw_dying(tw))
		result = -ECANCELED;
	mu_tw_done2(tw, result, atomic64_read(&mf->value));
}

static const struct mu_timeq_ops mu_wait_ops = {
	.timeout_result	= mu_wait_timeout_result,
	.ready		= mu_wait_ready,
	.complete	= mu_wait_tw,
};

void miscuring_long_ops_init(struct miscuring_file *mf)
{
	atomic_set(&mf->pending, 0);
	mu_timeq_init(&mf->delays, &mu_delay_ops, &mf->pending);
	mu_timeq_init(&mf->waits, &mu_wait_ops, &mf->pending);
}

void miscuring_long_ops_release(struct miscuring_file *mf)
{
	mu_timeq_destroy(&mf->delays);
	mu_timeq_destroy(&mf->waits);
}

int miscuring_op_delay(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_delay *a = mu_payload_args(p, struct miscuring_delay);
	struct miscuring_file *mf = miscuring_file(mu_cmd_file(cmd));
	u32 usec = le32_to_cpu(a->usec);

	if (a->reserved || !mu_payload_tail_is_zero(p, sizeof(*a)))
		return mu_cmd_complete(cmd, -EINVAL);
	if (usec > MISCURING_DELAY_MAX_USEC)
		return mu_cmd_complete(cmd, -EINVAL);
	/* The result is stored sign-extended, and read back as an s32. */
	return mu_timeq_add(&mf->delays, cmd, usec,
			    (u64)(s64)(s32)le32_to_cpu(a->result));
}

int miscuring_op_wait(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_wait *a = mu_payload_args(p, struct miscuring_wait);
	struct miscuring_file *mf = miscuring_file(mu_cmd_file(cmd));
	u32 timeout = le32_to_cpu(a->timeout_usec);
	u64 watch = le64_to_cpu(a->value);
	u64 now;

	if (a->reserved || !mu_payload_tail_is_zero(p, sizeof(*a)))
		return mu_cmd_complete(cmd, -EINVAL);
	if (timeout > MISCURING_WAIT_MAX_USEC)
		return mu_cmd_complete(cmd, -EINVAL);

	/* Already different, or only a poll: no need to queue. */
	now = atomic64_read(&mf->value);
	if (now != watch)
		return mu_cmd_complete2(cmd, 0, now);
	if (!timeout)
		return mu_cmd_complete2(cmd, -ETIMEDOUT, now);
	return mu_timeq_add(&mf->waits, cmd, timeout, watch);
}

/* io_uring asks to cancel a queued DELAY or WAIT of this file. */
void miscuring_cancel_delay(struct mu_cancel *c)
{
	mu_timeq_cancel(&miscuring_file(mu_cancel_file(c))->delays, c);
}

void miscuring_cancel_wait(struct mu_cancel *c)
{
	mu_timeq_cancel(&miscuring_file(mu_cancel_file(c))->waits, c);
}

/*
 * Every change of the value goes through here, from io_uring and ioctl
 * alike: store it, then wake the WAITs it satisfies. The wake takes the
 * queue lock, which orders it against a WAIT being queued (see
 * mu_timeq_add's re-check), so no wake-up is lost.
 */
void miscuring_set_value(struct miscuring_file *mf, u64 value)
{
	miscuring_watch_store(mf, value);
	mu_timeq_wake(&mf->waits);
	miscuring_watch_notify(mf);
}
