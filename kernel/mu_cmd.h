/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mu_cmd: a small layer over struct io_uring_cmd that makes the right thing
 * the easy thing. The driver never touches io_uring_cmd fields or issue
 * flags itself; it holds one of three handles, each valid in one context:
 *
 *   struct mu_cmd     issue time, inside ->uring_cmd only (on the stack).
 *                     Read the payload once, complete inline, or queue.
 *   struct mu_queued  after mu_cmd_queue(): may cross to any context
 *                     (workqueue, timer, another CPU). It carries no issue
 *                     flags, so the only thing it can do is hand over to
 *                     task work.
 *   struct mu_tw      inside a MU_TASK_WORK() callback, built from the flags
 *                     io_uring passed to that callback: the only place a
 *                     queued command can be completed.
 *
 *	static int my_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int f)
 *	{
 *		struct mu_cmd cmd = mu_cmd_issue(ioucmd, f);
 *		struct mu_payload p;
 *		struct mu_queued q;
 *
 *		mu_cmd_read_payload(&cmd, &p);
 *		if (!fast)
 *			return mu_cmd_complete(&cmd, -EINVAL);
 *		mu_cmd_pdu(&cmd, struct my_pdu)->x = 1;
 *		ret = mu_cmd_queue(&cmd, &q);	(-EIOCBQUEUED)
 *		hand q to a worker;		(don't touch cmd again)
 *		return ret;
 *	}
 *
 *	worker:	mu_queued_complete_in_task(q, my_tw);
 *
 *	MU_TASK_WORK(my_tw)
 *	{
 *		mu_tw_done(tw, mu_tw_pdu(tw, struct my_pdu)->x);
 *	}
 *
 * The PDU (32 bytes inside the request) is zeroed at first issue. On
 * kernels that cannot flag a re-issue after -EAGAIN it is zeroed again,
 * so a handler that returns -EAGAIN must not rely on what it stored there.
 */
#ifndef MU_CMD_H
#define MU_CMD_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/percpu.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>

#include "mu_compat.h"

#define MU_PDU_SIZE		sizeof_field(struct io_uring_cmd, pdu)
#define MU_PAYLOAD_SQE64	16
#define MU_PAYLOAD_MAX		80	/* bytes of command area in an SQE128 */

/* A private copy of the command's payload, taken once at issue. */
struct mu_payload {
	u8	bytes[MU_PAYLOAD_MAX] __aligned(8);
	u32	size;			/* 16, or 80 on an SQE128 ring */
};

struct mu_cmd {
	struct io_uring_cmd	*ioucmd;
	unsigned int		issue_flags;
};

struct mu_queued {
	struct io_uring_cmd	*ioucmd;
};

struct mu_tw {
	struct io_uring_cmd	*ioucmd;
	unsigned int		issue_flags;
	bool			dying;
};

/*
 * Every command the layer sees, counted per CPU at issue and at completion
 * (see mu_cmd_stats_read()); the layer is the one place that sees them all.
 */
struct mu_cmd_stats {
	u64	issued;
	u64	completed_inline;
	u64	completed_async;
	u64	cancelled;
	u64	failed;
};

DECLARE_PER_CPU(struct mu_cmd_stats, mu_cmd_stats);

static inline void mu_cmd_count_done(s32 ret, bool inline_done)
{
	if (inline_done)
		this_cpu_inc(mu_cmd_stats.completed_inline);
	else
		this_cpu_inc(mu_cmd_stats.completed_async);
	if (unlikely(ret < 0)) {
		this_cpu_inc(mu_cmd_stats.failed);
		if (ret == -ECANCELED)
			this_cpu_inc(mu_cmd_stats.cancelled);
	}
}

/*
 * Sums the counters over all CPUs. Completions are summed before issues,
 * so that issued - completed never goes below zero.
 */
void mu_cmd_stats_read(struct mu_cmd_stats *sum);

/* --- issue time --------------------------------------------------------- */

static inline struct mu_cmd mu_cmd_issue(struct io_uring_cmd *ioucmd,
					 unsigned int issue_flags)
{
	struct mu_cmd cmd = { .ioucmd = ioucmd, .issue_flags = issue_flags };

	/* A cancel call is about a queued command: its PDU is in use. */
	if (issue_flags & MU_COMPAT_F_CANCEL)
		return cmd;
	this_cpu_inc(mu_cmd_stats.issued);
	if (!mu_compat_is_reissue(ioucmd))
		memset(mu_compat_pdu(ioucmd), 0, MU_PDU_SIZE);
	return cmd;
}

static inline u32 mu_cmd_op(const struct mu_cmd *cmd)
{
	return READ_ONCE(cmd->ioucmd->cmd_op);
}

static inline struct file *mu_cmd_file(const struct mu_cmd *cmd)
{
	return cmd->ioucmd->file;
}

static inline bool mu_cmd_has_sqe128(const struct mu_cmd *cmd)
{
	return cmd->issue_flags & IO_URING_F_SQE128;
}

static inline bool mu_cmd_has_cqe32(const struct mu_cmd *cmd)
{
	return cmd->issue_flags & IO_URING_F_CQE32;
}

/* True when io_uring asks the driver to cancel this (cancelable) command. */
static inline bool mu_cmd_is_cancel(const struct mu_cmd *cmd)
{
	return MU_COMPAT_F_CANCEL && (cmd->issue_flags & MU_COMPAT_F_CANCEL);
}

/* Whether this kernel can cancel queued commands on ring exit. */
static inline bool mu_cmd_cancel_supported(void)
{
	return MU_COMPAT_F_CANCEL != 0;
}

/*
 * Copies the payload out of the SQE, once: the SQE is shared with user
 * space, which may change it at any time, so every check is made on the
 * copy, and the SQE is not looked at again.
 */
static inline void mu_cmd_read_payload(const struct mu_cmd *cmd,
				       struct mu_payload *p)
{
	p->size = mu_cmd_has_sqe128(cmd) ? MU_PAYLOAD_MAX : MU_PAYLOAD_SQE64;
	memcpy(p->bytes, mu_compat_payload(cmd->ioucmd), p->size);
}

/* The payload as an op's argument struct; its size is checked at build. */
#define mu_payload_args(p, type) ({					\
	BUILD_BUG_ON(sizeof(type) > MU_PAYLOAD_SQE64);			\
	(const type *)(p)->bytes;					\
})

/* True when the payload bytes after an op's argument struct are all zero. */
static inline bool mu_payload_tail_is_zero(const struct mu_payload *p,
					   size_t used)
{
	return p->size <= used || !memchr_inv(p->bytes + used, 0, p->size - used);
}

#define mu_pdu_check(type) do {						\
	BUILD_BUG_ON(sizeof(type) > MU_PDU_SIZE);			\
	BUILD_BUG_ON(__alignof__(type) > 8);				\
} while (0)

/* The driver's per-command state, a struct of at most 32 bytes. */
#define mu_cmd_pdu(cmd, type) ({					\
	mu_pdu_check(type);						\
	(type *)mu_compat_pdu((cmd)->ioucmd);				\
})

int mu_cmd_post(struct mu_cmd *cmd, s32 ret);

/*
 * Inline completion: the result becomes the CQE's res. Returns what
 * ->uring_cmd must return.
 *
 * Only 0 and errors are returned as they are. Some kernels (Debian's 6.1)
 * take a positive return of ->uring_cmd for a failure: links behind the
 * command are cancelled, and from io-wq the CQE is never posted. A
 * positive result is posted through io_uring_cmd_done() instead, which
 * every kernel handles alike.
 */
static inline int mu_cmd_complete(struct mu_cmd *cmd, s32 ret)
{
	if (ret > 0)
		return mu_cmd_post(cmd, ret);
	mu_cmd_count_done(ret, true);
	return ret;
}

/*
 * Inline completion with a second result, posted only on a CQE32 ring (the
 * op decides beforehand whether it can do without it).
 */
int mu_cmd_complete2(struct mu_cmd *cmd, s32 ret, u64 res2);

/*
 * Takes the command over for asynchronous completion. Returns -EIOCBQUEUED,
 * for ->uring_cmd to return. Fill the PDU before making @q visible to
 * another context: from then on, the command may complete at any moment.
 * With @cancelable, io_uring calls ->uring_cmd again with the cancel flag
 * when the ring goes away (where the kernel supports it).
 */
int mu_cmd_queue(struct mu_cmd *cmd, struct mu_queued *q, bool cancelable);

/*
 * Completes with -ECANCELED a command that was queued cancelable, from the
 * ->uring_cmd call that has the cancel flag (mu_cmd_is_cancel()), once the
 * driver has taken it off its own lists. Returns what ->uring_cmd returns.
 */
int mu_cmd_complete_cancelled(struct mu_cmd *cmd);

/* --- queued ------------------------------------------------------------- */

#define mu_queued_pdu(q, type) ({					\
	mu_pdu_check(type);						\
	(type *)mu_compat_pdu((q)->ioucmd);				\
})

/* The queued handle whose PDU is @pdu (for PDUs kept on a list). */
static inline struct mu_queued mu_queued_from_pdu(void *pdu)
{
	struct mu_queued q = {
		.ioucmd = container_of((u8 *)pdu, struct io_uring_cmd, pdu[0]),
	};

	return q;
}

/*
 * Hands the command to the submitter's task, where @fn (a MU_TASK_WORK)
 * completes it. Any context. With @lazy, the wake-up of a waiter may be
 * batched with others (where the kernel supports it): for completions that
 * come in bursts.
 */
static inline void mu_queued_complete_in_task(struct mu_queued q,
					      mu_tw_fn fn, bool lazy)
{
	mu_compat_complete_in_task(q.ioucmd, fn, lazy);
}

/*
 * The ring or the task that submitted @q is on its way out, or the task
 * execs, in a way io_uring does not cancel the command for (on 6.1 none;
 * on 6.7+ the exit of a thread or of a process whose ring lives on):
 * complete it soon, or that exit or exec waits for it (6.1), or it
 * outlives its submitter until its own deadline. Call it periodically for
 * every queued long-running command.
 */
static inline bool mu_queued_owner_exiting(struct mu_queued q)
{
	return mu_compat_ring_dying(q.ioucmd) ||
	       mu_compat_submitter_leaving(q.ioucmd);
}

/* --- task work ---------------------------------------------------------- */

/*
 * Defines task-work callback @name; its body sees `struct mu_tw *tw`:
 *
 *	MU_TASK_WORK(my_tw)
 *	{
 *		mu_tw_done(tw, 0);
 *	}
 */
#define MU_TASK_WORK(name)						\
static void name##_body(struct mu_tw *tw);				\
static MU_COMPAT_TW_FN(name)						\
{									\
	struct mu_tw tw = {						\
		.ioucmd = MU_COMPAT_TW_CMD(),				\
		.issue_flags = MU_COMPAT_TW_FLAGS(),			\
		.dying = MU_COMPAT_TW_DYING(),				\
	};								\
									\
	name##_body(&tw);						\
}									\
static void name##_body(struct mu_tw *tw)

#define mu_tw_pdu(tw, type) ({						\
	mu_pdu_check(type);						\
	(type *)mu_compat_pdu((tw)->ioucmd);				\
})

/*
 * The submitting task is exiting: the command must still be completed, but
 * its memory must not be touched.
 */
static inline bool mu_tw_dying(const struct mu_tw *tw)
{
	return tw->dying;
}

static inline struct file *mu_tw_file(const struct mu_tw *tw)
{
	return tw->ioucmd->file;
}

void mu_tw_done(struct mu_tw *tw, s32 ret);
void mu_tw_done2(struct mu_tw *tw, s32 ret, u64 res2);

#endif /* MU_CMD_H */
