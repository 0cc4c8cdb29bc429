// SPDX-License-Identifier: GPL-2.0
/*
 * The asynchronous path: DELAY commands wait on one deadline-ordered list,
 * a single delayed work item drains every command whose deadline passed
 * and hands each to task work, where it completes with the flags io_uring
 * gives that callback (workqueue -> task work -> io_uring_cmd_done).
 *
 * The list node lives in the command's PDU, so queueing allocates nothing,
 * and one work run completes any number of commands.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "miscuring.h"
#include "mu_cmd.h"

struct mu_delay_pdu {
	struct list_head	node;
	u64			deadline_ns;
	s32			result;
};

static LIST_HEAD(mu_delay_pending);	/* by deadline, earliest first */
static DEFINE_SPINLOCK(mu_delay_lock);
static struct workqueue_struct *mu_delay_wq;

static void mu_delay_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mu_delay_work, mu_delay_work_fn);

/* Jiffies until @deadline_ns, rounded up so the work never runs early. */
static unsigned long mu_delay_jiffies(u64 deadline_ns)
{
	u64 now = ktime_get_ns();

	if (deadline_ns <= now)
		return 0;
	return usecs_to_jiffies(div_u64(deadline_ns - now, NSEC_PER_USEC) + 1);
}

/* Called with mu_delay_lock held. */
static void mu_delay_arm(void)
{
	struct mu_delay_pdu *first;

	first = list_first_entry_or_null(&mu_delay_pending,
					 struct mu_delay_pdu, node);
	if (first)
		mod_delayed_work(mu_delay_wq, &mu_delay_work,
				 mu_delay_jiffies(first->deadline_ns));
}

MU_TASK_WORK(mu_delay_tw)
{
	mu_tw_done(tw, mu_tw_pdu(tw, struct mu_delay_pdu)->result);
}

static void mu_delay_work_fn(struct work_struct *work)
{
	struct mu_delay_pdu *pdu, *tmp;
	LIST_HEAD(expired);
	u64 now = ktime_get_ns();

	spin_lock(&mu_delay_lock);
	list_for_each_entry_safe(pdu, tmp, &mu_delay_pending, node) {
		if (pdu->deadline_ns > now)
			break;
		list_move_tail(&pdu->node, &expired);
	}
	mu_delay_arm();
	spin_unlock(&mu_delay_lock);

	/*
	 * Once handed over, a command may complete and its PDU be reused at
	 * any moment: unlink each before handing it over, never after.
	 */
	list_for_each_entry_safe(pdu, tmp, &expired, node) {
		list_del(&pdu->node);
		mu_queued_complete_in_task(mu_queued_from_pdu(pdu),
					   mu_delay_tw, true);
	}
}

int miscuring_delay_queue(struct mu_cmd *cmd, u32 usec, s32 result)
{
	struct mu_delay_pdu *pdu, *pos;
	struct mu_queued q;
	int ret;

	ret = mu_cmd_queue(cmd, &q, false);
	pdu = mu_queued_pdu(&q, struct mu_delay_pdu);
	pdu->deadline_ns = ktime_get_ns() + (u64)usec * NSEC_PER_USEC;
	pdu->result = result;

	spin_lock(&mu_delay_lock);
	/* Deadlines mostly come in order: search for the slot from the end. */
	list_for_each_entry_reverse(pos, &mu_delay_pending, node) {
		if (pos->deadline_ns <= pdu->deadline_ns)
			break;
	}
	list_add(&pdu->node, &pos->node);
	if (mu_delay_pending.next == &pdu->node)
		mu_delay_arm();
	spin_unlock(&mu_delay_lock);
	return ret;
}

int miscuring_delay_init(void)
{
	/* Completion work must run even under memory pressure. */
	mu_delay_wq = alloc_workqueue("miscuring", WQ_MEM_RECLAIM, 0);
	return mu_delay_wq ? 0 : -ENOMEM;
}

void miscuring_delay_exit(void)
{
	cancel_delayed_work_sync(&mu_delay_work);
	WARN_ON(!list_empty(&mu_delay_pending));
	destroy_workqueue(mu_delay_wq);
}
