// SPDX-License-Identifier: GPL-2.0
/*
 * WATCH and WATCH_STOP: a multishot stream of an open file's value (kernels
 * with multishot uring_cmd, 6.18+; see the UAPI header for the contract).
 *
 * A WATCH is a struct mu_watcher the command's PDU points to, on its
 * file's list of watchers. Every store of the value calls
 * miscuring_watch_notify(), which bumps the file's store count and queues
 * the task work of each watcher that has none queued yet. The task work
 * (mu_watcher_tw) posts one event, the latest value and the stores since
 * the previous event, through the kit's mu_tw_mshot_post(), and queues
 * itself again if more stores came meanwhile; so stores that come faster
 * than task work runs are coalesced into one event that counts them.
 *
 * Every end of a stream goes through that task work too: WATCH_STOP,
 * io_uring's cancel call (ring exit, exec), the owner check of a &struct
 * mu_watch (a thread's exit, which io_uring does not cancel) and a failed
 * post. Those set @end and queue the task work unless it is queued
 * already; the task work takes the watcher off every list, completes the
 * command and frees the watcher. At most one task work is queued per
 * watcher (@tw_queued, under the file's watch lock), so the command is
 * completed exactly once, by the last one, and nothing refers to the
 * watcher afterwards: io_uring's cancel calls and task work are serialized
 * by the ring's lock, and the owner check by mu_watch_del().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>

#include "miscuring_dev.h"

/* A WATCH in flight. */
struct mu_watcher {
	struct list_head	node;		/* on watches.list, under its lock */
	struct mu_watch_entry	owner;		/* on watches.owner */
	struct mu_queued	q;
	struct mu_claim		claim;		/* never claimed: see issue */
	struct miscuring_watches *ws;
	u64			tag;
	u64			last_seq;	/* store count at the last event */
	s32			end;		/* result to end with, if ending */
	u16			group;		/* provided-buffer group */
	bool			ending;
	bool			initial;	/* the first event is still due */
	bool			tw_queued;
	bool			listed;		/* on watches.list */
};

/* The PDU: a pointer to the watcher. */
struct mu_watch_pdu {
	struct mu_watcher	*w;
};

bool miscuring_watch_supported(void)
{
	return mu_cmd_mshot_supported();
}

static MU_COMPAT_TW_FN(mu_watcher_tw);

/* Called with ws->lock held. */
static void mu_watcher_kick(struct mu_watcher *w)
{
	if (w->tw_queued)
		return;
	w->tw_queued = true;
	mu_queued_complete_in_task(w->q, mu_watcher_tw, true);
}

/* Called with ws->lock held: the stream ends with @end (first one wins). */
static void mu_watcher_end(struct mu_watcher *w, s32 end)
{
	if (!w->ending) {
		w->ending = true;
		w->end = end;
	}
	mu_watcher_kick(w);
}

MU_TASK_WORK(mu_watcher_tw)
{
	struct mu_watcher *w = mu_tw_pdu(tw, struct mu_watch_pdu)->w;
	struct miscuring_watches *ws = w->ws;
	struct miscuring_file *mf = container_of(ws, struct miscuring_file,
						 watches);
	struct miscuring_watch_event ev;
	u64 seq, value;
	int ret = 0;

	spin_lock(&ws->lock);
	if (mu_tw_dying(tw))
		mu_watcher_end(w, -ECANCELED);
	seq = atomic64_read(&ws->seq);
	if (!w->ending && (w->initial || seq != w->last_seq)) {
		value = atomic64_read(&mf->value);
		ev.value = cpu_to_le64(value);
		ev.changes = cpu_to_le64(seq - w->last_seq);
		spin_unlock(&ws->lock);
		/* Outside the lock: it writes to user memory. */
		ret = mu_tw_mshot_post(tw, w->group, &ev, sizeof(ev));
		spin_lock(&ws->lock);
		if (ret)
			mu_watcher_end(w, ret);
		w->initial = false;
		w->last_seq = seq;
	}
	if (!w->ending) {
		/* Stores that came while posting: one more round. */
		if (atomic64_read(&ws->seq) != w->last_seq)
			mu_queued_complete_in_task(w->q, mu_watcher_tw, true);
		else
			w->tw_queued = false;
		spin_unlock(&ws->lock);
		return;
	}
	if (w->listed) {
		list_del(&w->node);
		w->listed = false;
	}
	spin_unlock(&ws->lock);

	mu_watch_del(&ws->owner, &w->owner);
	miscuring_pending_unreserve(&mf->pending);
	ret = w->end;
	kfree(w);
	mu_tw_done2(tw, ret, atomic64_read(&mf->value));
}

/* The owner check: the submitter exits or execs, io_uring does not say. */
static void mu_watch_owner_exiting(struct mu_watch_entry *e)
{
	struct mu_watcher *w = container_of(e, struct mu_watcher, owner);

	spin_lock(&w->ws->lock);
	mu_watcher_end(w, -ECANCELED);
	spin_unlock(&w->ws->lock);
}

void miscuring_watch_init(struct miscuring_file *mf)
{
	struct miscuring_watches *ws = &mf->watches;

	spin_lock_init(&ws->lock);
	INIT_LIST_HEAD(&ws->list);
	atomic64_set(&ws->seq, 0);
	mu_watch_init(&ws->owner, mu_watch_owner_exiting);
}

/* Every WATCH holds the file: none is left when it is released. */
void miscuring_watch_release(struct miscuring_file *mf)
{
	mu_watch_stop(&mf->watches.owner);
	WARN_ON_ONCE(!list_empty(&mf->watches.list));
}

/*
 * Store @value and count the store as one step under the watch lock, where
 * the task work reads both: an event's value is then always the one its
 * count ends with. Counted after the value unlocked, an event could take
 * the new value with the old count, and the next event, made for the count
 * alone, would repeat that value (seen by tests/bench/watch-bench on 7.2:
 * up to 4 % of the events when stores never pause).
 */
void miscuring_watch_store(struct miscuring_file *mf, u64 value)
{
	struct miscuring_watches *ws = &mf->watches;

	spin_lock(&ws->lock);
	atomic64_set(&mf->value, value);
	atomic64_inc(&ws->seq);
	spin_unlock(&ws->lock);
}

/* The value of @mf was stored (miscuring_watch_store()): wake its watchers. */
void miscuring_watch_notify(struct miscuring_file *mf)
{
	struct miscuring_watches *ws = &mf->watches;
	struct mu_watcher *w;

	/*
	 * Unlocked peek, ordered after the count: a WATCH that is being
	 * listed now reads the count after listing itself (see its issue).
	 */
	smp_mb();
	if (list_empty_careful(&ws->list))
		return;
	spin_lock(&ws->lock);
	list_for_each_entry(w, &ws->list, node)
		mu_watcher_kick(w);
	spin_unlock(&ws->lock);
}

int miscuring_op_watch(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_watch *a = mu_payload_args(p, struct miscuring_watch);
	struct miscuring_file *mf = miscuring_file(mu_cmd_file(cmd));
	struct miscuring_watches *ws = &mf->watches;
	u32 flags = le32_to_cpu(a->flags);
	struct mu_watcher *w;
	int ret;

	if (a->reserved || !mu_payload_tail_is_zero(p, sizeof(*a)) ||
	    (flags & ~MISCURING_WATCH_FLAGS) || !mu_cmd_is_mshot(cmd))
		return mu_cmd_complete(cmd, -EINVAL);
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return mu_cmd_complete(cmd, -ENOMEM);
	if (!miscuring_pending_reserve(&mf->pending)) {
		kfree(w);
		return mu_cmd_complete(cmd, -EBUSY);
	}
	w->ws = ws;
	w->tag = le64_to_cpu(a->tag);
	w->group = mu_cmd_buf_group(cmd);
	w->initial = flags & MISCURING_WATCH_INITIAL;
	mu_claim_init(&w->claim);
	/*
	 * The issue holds the watcher's one task work until it is done with
	 * it: whatever comes meanwhile (a store, a cancel call, which may come
	 * from io-wq even before mu_cmd_queue() returns, a WATCH_STOP) only
	 * marks it, and the task work, queued at the end, sees to it.
	 */
	w->tw_queued = true;
	mu_cmd_pdu(cmd, struct mu_watch_pdu)->w = w;
	ret = mu_cmd_queue(cmd, &w->q, true);

	spin_lock(&ws->lock);
	list_add_tail(&w->node, &ws->list);
	w->listed = true;
	spin_unlock(&ws->lock);
	/* Stores from here on are the watch's (see notify's peek). */
	smp_mb();
	w->last_seq = atomic64_read(&ws->seq);
	/*
	 * For the ends io_uring does not tell (a thread's exit). Nothing has
	 * completed the command: the claim is never taken, the single task
	 * work decides.
	 */
	mu_watch_add(&ws->owner, &w->owner, w->q, &w->claim);

	spin_lock(&ws->lock);
	w->tw_queued = false;
	if (w->ending || w->initial || atomic64_read(&ws->seq) != w->last_seq)
		mu_watcher_kick(w);
	spin_unlock(&ws->lock);
	return ret;
}

/* io_uring wants a queued WATCH ended: its ring goes away, or an exec. */
void miscuring_cancel_watch(struct mu_cancel *c)
{
	struct mu_watcher *w = mu_cancel_pdu(c, struct mu_watch_pdu)->w;

	spin_lock(&w->ws->lock);
	mu_watcher_end(w, -ECANCELED);
	spin_unlock(&w->ws->lock);
	/* The task work completes it; io_uring calls again until then. */
}

int miscuring_op_watch_stop(struct mu_cmd *cmd, const struct mu_payload *p)
{
	const struct miscuring_watch_stop *a =
		mu_payload_args(p, struct miscuring_watch_stop);
	struct miscuring_file *mf = miscuring_file(mu_cmd_file(cmd));
	struct miscuring_watches *ws = &mf->watches;
	u64 tag = le64_to_cpu(a->tag);
	struct mu_watcher *w;
	s32 n = 0;

	if (a->reserved || !mu_payload_tail_is_zero(p, sizeof(*a)))
		return mu_cmd_complete(cmd, -EINVAL);
	spin_lock(&ws->lock);
	list_for_each_entry(w, &ws->list, node) {
		if (w->tag != tag || w->ending)
			continue;
		mu_watcher_end(w, 0);
		n++;
	}
	spin_unlock(&ws->lock);
	return mu_cmd_complete(cmd, n);
}
