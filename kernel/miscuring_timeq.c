// SPDX-License-Identifier: GPL-2.0
/*
 * Deadline queues for long-running commands. Each open file has one per
 * kind of long-running op (DELAY, WAIT). A queued command's list node and
 * deadline live in its PDU (struct mu_timed), so queueing allocates
 * nothing; one delayed work per queue takes every command whose time has
 * come off the list and hands each to task work, where it completes:
 * workqueue -> task work -> io_uring_cmd_done. A command with nothing to
 * wait for (DELAY 0) skips the queue: issue -> task work.
 *
 * A command leaves its queue exactly once, under the queue lock, by one of:
 * its deadline, an early wake-up (mu_timeq_wake), cancellation by io_uring
 * (mu_timeq_cancel), or the periodic owner check: the exit or exec of
 * the task that submitted it, or (6.1) the end of its ring, where io_uring
 * does not cancel it. Whoever takes it off completes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "miscuring_dev.h"
#include "mu_cmd.h"

/*
 * How often a queue looks for submitters that exit or exec, and (6.1) for
 * rings that go away, where io_uring does not cancel their commands
 * itself; this bounds how long such a command outlives them.
 */
#define MU_TIMEQ_OWNER_POLL_MS	100

static struct workqueue_struct *mu_timeq_wq;

static void mu_timeq_work_fn(struct work_struct *work);

/* Jiffies until @deadline_ns, rounded up so the work never runs early. */
static unsigned long mu_timeq_jiffies(u64 deadline_ns)
{
	u64 now = ktime_get_ns();

	if (deadline_ns <= now)
		return 0;
	return usecs_to_jiffies(div_u64(deadline_ns - now, NSEC_PER_USEC) + 1);
}

/* Called with q->lock held. */
static void mu_timeq_arm(struct mu_timeq *q)
{
	struct mu_timed *first;
	unsigned long delay;

	first = list_first_entry_or_null(&q->pending, struct mu_timed, node);
	if (!first)
		return;
	delay = min(mu_timeq_jiffies(first->deadline_ns),
		    msecs_to_jiffies(MU_TIMEQ_OWNER_POLL_MS));
	mod_delayed_work(mu_timeq_wq, &q->work, delay);
}

/* Takes @t off its queue with result @result; called with q->lock held. */
static void mu_timeq_take(struct mu_timed *t, struct list_head *done,
			  s32 result)
{
	t->deadline_ns = 0;
	t->result = result;
	list_move_tail(&t->node, done);
}

/*
 * Hands the commands on @done to task work. Once handed over, a command may
 * complete and its PDU be reused at any moment: unlink it first.
 */
static void mu_timeq_complete(struct mu_timeq *q, struct list_head *done)
{
	struct mu_timed *t, *tmp;

	list_for_each_entry_safe(t, tmp, done, node) {
		list_del(&t->node);
		mu_queued_complete_in_task(mu_queued_from_pdu(t),
					   q->ops->complete, true);
	}
}

static void mu_timeq_work_fn(struct work_struct *work)
{
	struct mu_timeq *q = container_of(to_delayed_work(work),
					  struct mu_timeq, work);
	struct mu_timed *t, *tmp;
	u64 now = ktime_get_ns();
	LIST_HEAD(done);

	spin_lock(&q->lock);
	list_for_each_entry_safe(t, tmp, &q->pending, node) {
		if (t->deadline_ns <= now)
			mu_timeq_take(t, &done, q->ops->timeout_result(t));
		else if (mu_queued_owner_exiting(mu_queued_from_pdu(t)))
			mu_timeq_take(t, &done, -ECANCELED);
	}
	mu_timeq_arm(q);
	spin_unlock(&q->lock);

	mu_timeq_complete(q, &done);
}

void mu_timeq_init(struct mu_timeq *q, const struct mu_timeq_ops *ops)
{
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->pending);
	INIT_DELAYED_WORK(&q->work, mu_timeq_work_fn);
	q->ops = ops;
}

/*
 * Every queued command holds a reference on the file that owns @q, so by
 * the time the file is released the queue is empty; only the work may
 * still be running its last round.
 */
void mu_timeq_destroy(struct mu_timeq *q)
{
	cancel_delayed_work_sync(&q->work);
	WARN_ON_ONCE(!list_empty(&q->pending));
}

int mu_timeq_add(struct mu_timeq *q, struct mu_cmd *cmd, u32 timeout_usec,
		 u64 arg)
{
	struct mu_timed *t, *pos;
	struct mu_queued qd;
	LIST_HEAD(done);
	int ret;

	/*
	 * Before taking the lock: marking cancelable may sleep. A command
	 * with nothing to wait for goes to task work at once: nothing for a
	 * cancel call to take back.
	 */
	ret = mu_cmd_queue(cmd, &qd, timeout_usec != 0);
	t = mu_queued_pdu(&qd, struct mu_timed);
	t->arg = arg;

	/*
	 * Nothing to wait for: complete from task work at once, as the work
	 * would, without the queue and the work. Handing over to a kworker
	 * and back costs two wake-ups per run, which is most of what such a
	 * command costs. deadline_ns 0 tells a cancel call it is taken.
	 */
	if (!timeout_usec) {
		s32 result = q->ops->timeout_result(t);

		t->deadline_ns = 0;
		t->result = result;
		mu_queued_complete_in_task(qd, q->ops->complete, true);
		return ret;
	}

	spin_lock(&q->lock);
	/*
	 * Set under the lock, as a cancel call reads it: from io-wq a command
	 * is cancelable before it is on the list. 0 means "taken": never
	 * store it for a pending command.
	 */
	t->deadline_ns = ktime_get_ns() + (u64)timeout_usec * NSEC_PER_USEC + 1;
	/* Deadlines mostly come in order: search for the slot from the end. */
	list_for_each_entry_reverse(pos, &q->pending, node) {
		if (pos->deadline_ns <= t->deadline_ns)
			break;
	}
	list_add(&t->node, &pos->node);
	/* A wake-up that came between the caller's check and now. */
	if (q->ops->ready && q->ops->ready(q, t))
		mu_timeq_take(t, &done, 0);
	else if (q->pending.next == &t->node)
		mu_timeq_arm(q);
	spin_unlock(&q->lock);

	mu_timeq_complete(q, &done);
	return ret;
}

void mu_timeq_wake(struct mu_timeq *q)
{
	struct mu_timed *t, *tmp;
	LIST_HEAD(done);

	spin_lock(&q->lock);
	list_for_each_entry_safe(t, tmp, &q->pending, node) {
		if (q->ops->ready(q, t))
			mu_timeq_take(t, &done, 0);
	}
	spin_unlock(&q->lock);

	mu_timeq_complete(q, &done);
}

int mu_timeq_cancel(struct mu_timeq *q, struct mu_cmd *cmd)
{
	struct mu_timed *t = mu_cmd_pdu(cmd, struct mu_timed);
	bool pending;

	spin_lock(&q->lock);
	pending = t->deadline_ns != 0;
	if (pending)
		list_del(&t->node);
	spin_unlock(&q->lock);

	/* Not pending: task work already has it and will complete it. */
	return pending ? mu_cmd_complete_cancelled(cmd) : 0;
}

int miscuring_timeq_setup(void)
{
	/* Completion work must make progress under memory pressure too. */
	mu_timeq_wq = alloc_workqueue("miscuring", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return mu_timeq_wq ? 0 : -ENOMEM;
}

void miscuring_timeq_teardown(void)
{
	destroy_workqueue(mu_timeq_wq);
}
