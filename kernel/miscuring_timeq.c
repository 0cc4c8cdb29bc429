// SPDX-License-Identifier: GPL-2.0
/*
 * Deadline queues for long-running commands. Each open file has one per
 * kind of long-running op (DELAY, WAIT). A queued command's list node and
 * deadline live in its PDU (struct mu_timed), so queueing allocates
 * nothing. One high-resolution timer per queue, at its earliest deadline,
 * takes every command whose time has come off the list and hands each to
 * task work, where it completes: hrtimer (softirq) -> task work ->
 * io_uring_cmd_done. A command with nothing to wait for (DELAY 0) skips
 * the queue: issue -> task work.
 *
 * A command leaves its queue exactly once, under the queue lock, by one of:
 * its deadline, an early wake-up (mu_timeq_wake), cancellation by io_uring
 * (mu_timeq_cancel), or the periodic owner check (a delayed work, while
 * the queue holds anything): the exit or exec of the task that submitted
 * it, or (6.1) the end of its ring, where io_uring does not cancel it.
 * Whoever takes it off completes it.
 *
 * The owner check looks at owners, not commands: each queue keeps one
 * small record per owner (submitting task, and on 6.1 ring) with the
 * number of its commands queued, so a check costs one look per owner
 * however many commands each has queued, and walks the queue only when an
 * owner is going away, once, to end that owner's commands.
 *
 * The timer runs in softirq context, so everybody else takes the lock with
 * bottom halves off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "miscuring_dev.h"
#include "mu_compat_probed.h"

/*
 * How often a queue looks for submitters that exit or exec, and (6.1) for
 * rings that go away, where io_uring does not cancel their commands
 * itself; this bounds how long such a command outlives them.
 */
#define MU_TIMEQ_OWNER_POLL_MS	100

static struct workqueue_struct *mu_timeq_wq;

/*
 * Limits on queued commands: every one holds an io_uring request, a file
 * reference and a place in a list that wake-ups and the owner check walk.
 * Past either limit a DELAY or WAIT fails with -EBUSY. Writable at run
 * time; a lower limit refuses new commands, it does not end queued ones.
 */
static unsigned int mu_max_pending = 1U << 20;
module_param_named(max_pending, mu_max_pending, uint, 0644);
MODULE_PARM_DESC(max_pending,
		 "Most DELAY, WAIT and WATCH commands queued at once, all files together (default 1048576)");

static unsigned int mu_max_pending_per_file = 1U << 17;
module_param_named(max_pending_per_file, mu_max_pending_per_file, uint, 0644);
MODULE_PARM_DESC(max_pending_per_file,
		 "Most DELAY, WAIT and WATCH commands queued at once on one open file (default 131072)");

static atomic_t mu_pending_total = ATOMIC_INIT(0);

/*
 * Counts a command in before it is queued; false past a limit. WATCH
 * (miscuring_watch.c) counts its commands here too.
 */
bool miscuring_pending_reserve(atomic_t *file_pending)
{
	if (atomic_inc_return(file_pending) > READ_ONCE(mu_max_pending_per_file))
		goto undo_file;
	if (atomic_inc_return(&mu_pending_total) > READ_ONCE(mu_max_pending))
		goto undo_total;
	return true;

undo_total:
	atomic_dec(&mu_pending_total);
undo_file:
	atomic_dec(file_pending);
	return false;
}

void miscuring_pending_unreserve(atomic_t *file_pending)
{
	atomic_dec(&mu_pending_total);
	atomic_dec(file_pending);
}

static bool mu_timeq_reserve(struct mu_timeq *q)
{
	return miscuring_pending_reserve(q->file_pending);
}

static void mu_timeq_unreserve(struct mu_timeq *q)
{
	miscuring_pending_unreserve(q->file_pending);
}

/*
 * The owner of queued commands (see struct mu_owner): one look at it in
 * the owner check stands for all of them. Allocated for its first command,
 * freed with its last.
 */
struct mu_timeq_owner {
	struct hlist_node	node;		/* on mu_timeq.owners */
	struct mu_owner		who;
	unsigned long		nr;		/* commands counted in */
	unsigned long		queued;		/* of those, on the list */
	bool			exiting;	/* in the current owner check */
};

/* Called with q->lock held. */
static struct mu_timeq_owner *mu_timeq_owner_find(struct mu_timeq *q,
						  const struct mu_owner *who)
{
	struct mu_timeq_owner *o;

	hash_for_each_possible(q->owners, o, node, mu_owner_hash(who)) {
		if (mu_owner_equal(&o->who, who))
			return o;
	}
	return NULL;
}

/*
 * Counts a command of @who in, before it is queued; its owner record is
 * allocated if it is the first. The count keeps the record until the
 * command leaves the queue. May sleep.
 */
static struct mu_timeq_owner *mu_timeq_owner_get(struct mu_timeq *q,
						 const struct mu_owner *who)
{
	struct mu_timeq_owner *o, *new = NULL;

	for (;;) {
		spin_lock_bh(&q->lock);
		o = mu_timeq_owner_find(q, who);
		if (!o && new) {
			o = new;
			new = NULL;
			o->who = *who;
			o->nr = 0;
			o->queued = 0;
			o->exiting = false;
			hash_add(q->owners, &o->node, mu_owner_hash(who));
		}
		if (o)
			o->nr++;
		spin_unlock_bh(&q->lock);
		if (o)
			break;
		new = kmalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
		if (!new)
			return NULL;
	}
	/* Another command of @who got there first. */
	kfree(new);
	return o;
}

/*
 * Counts a command of @o out, one that is on the list if @queued; called
 * with q->lock held.
 */
static void mu_timeq_owner_put(struct mu_timeq_owner *o, bool queued)
{
	if (queued)
		o->queued--;
	if (--o->nr)
		return;
	hash_del(&o->node);
	kfree(o);
}

/* The owner record of queued command @t; called with q->lock held. */
static struct mu_timeq_owner *mu_timeq_owner_of(struct mu_timeq *q,
						struct mu_timed *t)
{
	struct mu_owner who = mu_queued_owner(mu_queued_from_pdu(t));

	return mu_timeq_owner_find(q, &who);
}

/* Called with q->lock held. */
static void mu_timeq_arm(struct mu_timeq *q)
{
	struct mu_timed *first;

	first = list_first_entry_or_null(&q->pending, struct mu_timed, node);
	if (!first)
		return;
	/* ktime_get_ns() is CLOCK_MONOTONIC, the timer's clock. */
	hrtimer_start(&q->timer, ns_to_ktime(first->deadline_ns),
		      HRTIMER_MODE_ABS_SOFT);
}

/*
 * Takes @t, a command of @o, off its queue with result @result; called
 * with q->lock held.
 */
static void mu_timeq_take_owned(struct mu_timeq *q, struct mu_timed *t,
				struct mu_timeq_owner *o,
				struct list_head *done, s32 result)
{
	mu_timeq_unreserve(q);
	if (!WARN_ON_ONCE(!o))
		mu_timeq_owner_put(o, true);
	t->deadline_ns = 0;
	t->result = result;
	list_move_tail(&t->node, done);
}

static void mu_timeq_take(struct mu_timeq *q, struct mu_timed *t,
			  struct list_head *done, s32 result)
{
	mu_timeq_take_owned(q, t, mu_timeq_owner_of(q, t), done, result);
}

/*
 * Takes every pending command off with result 0, as a wake-up that
 * satisfies them all does: one pass over them, no per-command owner look.
 * Called with q->lock held.
 */
static void mu_timeq_take_all(struct mu_timeq *q, struct list_head *done)
{
	struct mu_timeq_owner *o;
	struct hlist_node *tmp;
	struct mu_timed *t;
	unsigned long nr = 0;
	int bkt;

	list_for_each_entry(t, &q->pending, node) {
		t->deadline_ns = 0;
		t->result = 0;
		nr++;
	}
	list_splice_tail_init(&q->pending, done);
	atomic_sub(nr, &mu_pending_total);
	atomic_sub(nr, q->file_pending);
	hash_for_each_safe(q->owners, bkt, tmp, o, node) {
		/* Commands still on their way in keep their owner. */
		o->nr -= o->queued;
		o->queued = 0;
		if (!o->nr) {
			hash_del(&o->node);
			kfree(o);
		}
	}
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

static enum hrtimer_restart mu_timeq_timer_fn(struct hrtimer *timer)
{
	struct mu_timeq *q = container_of(timer, struct mu_timeq, timer);
	struct mu_timed *t, *tmp;
	u64 now = ktime_get_ns();
	LIST_HEAD(done);

	spin_lock(&q->lock);
	list_for_each_entry_safe(t, tmp, &q->pending, node) {
		if (t->deadline_ns > now)
			break;
		mu_timeq_take(q, t, &done, q->ops->timeout_result(t));
	}
	/* Restarting from the callback itself is allowed. */
	mu_timeq_arm(q);
	spin_unlock(&q->lock);

	mu_timeq_complete(q, &done);
	return HRTIMER_NORESTART;
}

static void mu_timeq_owner_fn(struct work_struct *work)
{
	struct mu_timeq *q = container_of(to_delayed_work(work),
					  struct mu_timeq, owner_work);
	struct mu_timeq_owner *o;
	struct mu_timed *t, *tmp;
	bool exiting = false;
	LIST_HEAD(done);
	int bkt;

	spin_lock_bh(&q->lock);
	/* One look per owner, however many commands it has queued. */
	hash_for_each(q->owners, bkt, o, node) {
		o->exiting = o->queued && mu_owner_exiting(&o->who);
		exiting |= o->exiting;
	}
	/* Only for an owner that goes away: a walk that ends its commands. */
	if (exiting) {
		list_for_each_entry_safe(t, tmp, &q->pending, node) {
			o = mu_timeq_owner_of(q, t);
			if (o && o->exiting)
				mu_timeq_take_owned(q, t, o, &done,
						    -ECANCELED);
		}
	}
	if (!list_empty(&q->pending))
		queue_delayed_work(mu_timeq_wq, &q->owner_work,
				   msecs_to_jiffies(MU_TIMEQ_OWNER_POLL_MS));
	spin_unlock_bh(&q->lock);

	mu_timeq_complete(q, &done);
}

void mu_timeq_init(struct mu_timeq *q, const struct mu_timeq_ops *ops,
		   atomic_t *file_pending)
{
	q->file_pending = file_pending;
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->pending);
#ifdef MU_HAVE_HRTIMER_SETUP
	hrtimer_setup(&q->timer, mu_timeq_timer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
#else
	hrtimer_init(&q->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	q->timer.function = mu_timeq_timer_fn;
#endif
	INIT_DELAYED_WORK(&q->owner_work, mu_timeq_owner_fn);
	hash_init(q->owners);
	q->ops = ops;
}

/*
 * Every queued command holds a reference on the file that owns @q, so by
 * the time the file is released the queue is empty; only the timer and
 * the owner check may still be running their last round.
 */
void mu_timeq_destroy(struct mu_timeq *q)
{
	hrtimer_cancel(&q->timer);
	cancel_delayed_work_sync(&q->owner_work);
	WARN_ON_ONCE(!list_empty(&q->pending));
	WARN_ON_ONCE(!hash_empty(q->owners));
}

int mu_timeq_add(struct mu_timeq *q, struct mu_cmd *cmd, u32 timeout_usec,
		 u64 arg)
{
	struct mu_owner who = mu_cmd_owner(cmd);
	struct mu_timeq_owner *o = NULL;
	struct mu_timed *t, *pos;
	struct mu_queued qd;
	LIST_HEAD(done);
	int ret;

	if (timeout_usec) {
		if (!mu_timeq_reserve(q))
			return mu_cmd_complete(cmd, -EBUSY);
		o = mu_timeq_owner_get(q, &who);
		if (!o) {
			mu_timeq_unreserve(q);
			return mu_cmd_complete(cmd, -ENOMEM);
		}
	}
	/*
	 * Before taking the lock: marking cancelable may sleep. A command
	 * with nothing to wait for goes to task work at once: nothing for a
	 * cancel call to take back.
	 */
	ret = mu_cmd_queue(cmd, &qd, timeout_usec != 0);
	t = mu_queued_pdu(&qd, struct mu_timed);
	t->arg = arg;

	/*
	 * Nothing to wait for: complete from task work at once, as the timer
	 * would, without the queue. deadline_ns 0 tells a cancel call it is
	 * taken.
	 */
	if (!timeout_usec) {
		s32 result = q->ops->timeout_result(t);

		t->deadline_ns = 0;
		t->result = result;
		mu_queued_complete_in_task(qd, q->ops->complete, true);
		return ret;
	}

	spin_lock_bh(&q->lock);
	/*
	 * Set under the lock, as a cancel call reads it: from io-wq a command
	 * is cancelable before it is on the list. 0 means "taken": never
	 * store it for a pending command.
	 */
	t->deadline_ns = ktime_get_ns() + (u64)timeout_usec * NSEC_PER_USEC;
	/* Deadlines mostly come in order: search for the slot from the end. */
	list_for_each_entry_reverse(pos, &q->pending, node) {
		if (pos->deadline_ns <= t->deadline_ns)
			break;
	}
	if (list_empty(&q->pending))
		q->same_arg = true;
	else if (list_first_entry(&q->pending, struct mu_timed, node)->arg != arg)
		q->same_arg = false;
	list_add(&t->node, &pos->node);
	o->queued++;
	/* A wake-up that came between the caller's check and now. */
	if (q->ops->ready && q->ops->ready(q, t)) {
		mu_timeq_take_owned(q, t, o, &done, 0);
	} else {
		if (q->pending.next == &t->node)
			mu_timeq_arm(q);
		/* No-op while it is queued already. */
		queue_delayed_work(mu_timeq_wq, &q->owner_work,
				   msecs_to_jiffies(MU_TIMEQ_OWNER_POLL_MS));
	}
	spin_unlock_bh(&q->lock);

	mu_timeq_complete(q, &done);
	return ret;
}

/*
 * Whether a command may complete early depends on its arg alone, so when
 * every queued command has the same one, the first answers for all: a
 * wake-up that wakes nobody costs O(1), one that wakes k commands O(k).
 * (WAITs watch the value their file had when they were queued, and a new
 * value wakes them all: mostly they do share one.) Only a queue with
 * different args is walked whole, and that walk sees whether the rest
 * share one again.
 */
void mu_timeq_wake(struct mu_timeq *q)
{
	struct mu_timed *t, *tmp, *first;
	bool same = true;
	LIST_HEAD(done);

	spin_lock_bh(&q->lock);
	first = list_first_entry_or_null(&q->pending, struct mu_timed, node);
	if (!first || (q->same_arg && !q->ops->ready(q, first))) {
		spin_unlock_bh(&q->lock);
		return;
	}
	if (q->same_arg) {
		mu_timeq_take_all(q, &done);
	} else {
		first = NULL;
		list_for_each_entry_safe(t, tmp, &q->pending, node) {
			if (q->ops->ready(q, t)) {
				mu_timeq_take(q, t, &done, 0);
				continue;
			}
			if (!first)
				first = t;
			else if (t->arg != first->arg)
				same = false;
		}
		q->same_arg = same;
	}
	spin_unlock_bh(&q->lock);

	mu_timeq_complete(q, &done);
}

void mu_timeq_cancel(struct mu_timeq *q, struct mu_cancel *c)
{
	struct mu_timed *t = mu_cancel_pdu(c, struct mu_timed);
	bool pending;

	spin_lock_bh(&q->lock);
	pending = t->deadline_ns != 0;
	if (pending) {
		struct mu_timeq_owner *o = mu_timeq_owner_of(q, t);

		list_del(&t->node);
		mu_timeq_unreserve(q);
		if (!WARN_ON_ONCE(!o))
			mu_timeq_owner_put(o, true);
	}
	spin_unlock_bh(&q->lock);

	/* Not pending: task work already has it and will complete it. */
	if (pending)
		mu_cancel_done(c);
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
