// SPDX-License-Identifier: GPL-2.0
/*
 * The mu_cmd kit's sample driver: /dev/uring_cmd_sample, with an inline op
 * (ADD) and a cancelable op that completes from a workqueue through task
 * work (SLEEP), on the kit alone. The file a driver author copies first.
 */
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "uring_cmd/mu_cmd.h"
#include "uring_cmd_sample.h"

static struct workqueue_struct *sample_wq;
static struct mu_watch sample_watch;	/* where io_uring does not cancel */

/* A SLEEP's state: a delayed work does not fit the 32-byte PDU. */
struct sample_sleep {
	struct delayed_work	dwork;
	struct mu_claim		claim;
	struct mu_watch_entry	watch;
	struct mu_queued	q;
	s32			result;
};

/* The PDU: only a pointer to the object. */
struct sample_pdu {
	struct sample_sleep	*s;
};

static int sample_add(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct uring_cmd_sample_add *a =
		mu_payload_args(p, struct uring_cmd_sample_add);
	u32 sum;

	if (a->reserved || !mu_payload_tail_is_zero(p, sizeof(*a)))
		return mu_cmd_complete(cmd, -EINVAL);
	if (check_add_overflow(le32_to_cpu(a->a), le32_to_cpu(a->b), &sum) ||
	    sum > S32_MAX)
		return mu_cmd_complete(cmd, -EOVERFLOW);
	return mu_cmd_complete(cmd, sum);
}

static void sample_put(struct sample_sleep *s)
{
	if (mu_claim_put(&s->claim))
		kfree(s);
}

MU_TASK_WORK(sample_sleep_tw)
{
	struct sample_sleep *s = mu_tw_pdu(tw, struct sample_pdu)->s;

	mu_tw_done(tw, mu_tw_dying(tw) ? -ECANCELED : s->result);
	sample_put(s);			/* the command's reference */
}

/* The completing path: the work ran, SLEEP is over. */
static void sample_sleep_fn(struct work_struct *work)
{
	struct sample_sleep *s = container_of(to_delayed_work(work),
					      struct sample_sleep, dwork);

	mu_watch_del(&sample_watch, &s->watch);
	if (mu_claim_take(&s->claim)) {
		s->result = 0;
		mu_queued_complete_in_task(s->q, sample_sleep_tw, false);
	}
	sample_put(s);			/* the work's reference */
}

/*
 * The cancel path won the claim: stop the work if it has not started (its
 * reference is then ours to drop; if it has, it drops it itself).
 */
static void sample_sleep_stop(struct sample_sleep *s)
{
	if (cancel_delayed_work(&s->dwork))
		sample_put(s);
}

/* io_uring wants the SLEEP ended (6.7+). */
static void sample_sleep_cancel(struct mu_cancel *c)
{
	struct sample_sleep *s = mu_cancel_pdu(c, struct sample_pdu)->s;

	if (!mu_claim_take(&s->claim))
		return;			/* task work has it: io_uring calls again */
	/* Off the watch before s can go (the work may never run). */
	mu_watch_del(&sample_watch, &s->watch);
	sample_sleep_stop(s);
	mu_cancel_done(c);
	sample_put(s);			/* the command's reference */
}

/*
 * Its owner is exiting in a way io_uring does not cancel it for (on 6.1:
 * any): the watch's lock is held.
 */
static void sample_owner_exiting(struct mu_watch_entry *e)
{
	struct sample_sleep *s = container_of(e, struct sample_sleep, watch);

	if (!mu_claim_take(&s->claim))
		return;
	sample_sleep_stop(s);
	s->result = -ECANCELED;
	mu_queued_complete_in_task(s->q, sample_sleep_tw, false);
}

static int sample_sleep(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct uring_cmd_sample_sleep *a =
		mu_payload_args(p, struct uring_cmd_sample_sleep);
	u32 msec = le32_to_cpu(a->msec);
	struct sample_sleep *s;
	int ret;

	if (a->reserved || a->reserved2 || !mu_payload_tail_is_zero(p, sizeof(*a)) ||
	    msec > URING_CMD_SAMPLE_SLEEP_MAX_MSEC)
		return mu_cmd_complete(cmd, -EINVAL);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return mu_cmd_complete(cmd, -ENOMEM);
	INIT_DELAYED_WORK(&s->dwork, sample_sleep_fn);
	mu_claim_init(&s->claim);
	mu_cmd_pdu(cmd, struct sample_pdu)->s = s;
	/*
	 * From here a cancel call, and the watch, may end the command: the
	 * PDU points to s already. The work runs (or is stopped) either way,
	 * and holds its own reference.
	 */
	ret = mu_cmd_queue(cmd, &s->q, true);
	mu_watch_add(&sample_watch, &s->watch, s->q, &s->claim);
	/*
	 * A timer of n jiffies fires at the n-th tick from now, which may
	 * be up to one tick less than n tick periods: one more, as msleep()
	 * adds, so a SLEEP never ends early.
	 */
	queue_delayed_work(sample_wq, &s->dwork, msecs_to_jiffies(msec) + 1);
	return ret;
}

static const struct mu_cmd_op sample_ops[] = {
	[URING_CMD_SAMPLE_ADD]	 = { .issue = sample_add },
	[URING_CMD_SAMPLE_SLEEP] = { .issue = sample_sleep,
				     .cancel = sample_sleep_cancel },
};

static const struct mu_cmd_table sample_cmds = MU_CMD_TABLE(sample_ops, 0);

MU_MISC_DEVICE(sample_misc, URING_CMD_SAMPLE_NAME, sample_cmds);

static int __init sample_init(void)
{
	int ret;

	/* 7.x warns about a workqueue that is neither per-CPU nor unbound. */
	sample_wq = alloc_workqueue("uring_cmd_sample", WQ_UNBOUND, 0);
	if (!sample_wq)
		return -ENOMEM;
	mu_watch_init(&sample_watch, sample_owner_exiting);
	ret = misc_register(&sample_misc);
	if (ret)
		destroy_workqueue(sample_wq);
	return ret;
}

/*
 * An open file pins the module and a queued command pins its file, so
 * nothing is queued any more; works that lost to a cancel may still run.
 */
static void __exit sample_exit(void)
{
	misc_deregister(&sample_misc);
	mu_watch_stop(&sample_watch);
	destroy_workqueue(sample_wq);
}

module_init(sample_init);
module_exit(sample_exit);

MODULE_DESCRIPTION("The mu_cmd kit's sample io_uring command driver");
MODULE_LICENSE("GPL");
