// SPDX-License-Identifier: GPL-2.0
/*
 * The data ops, READ and WRITE: the shared read/write buffer of the
 * classic interface (miscuring_classic.c, whose buffer functions they
 * use), and the command's data in any form the kit imports (a user
 * buffer, an iovec array, a registered buffer: mu_cmd_data.h).
 *
 * Inline, the copy runs in the issue call. With MISCURING_RW_ASYNC (only
 * for registered buffers: pinned pages, no user mm needed) the command is
 * queued, a worker copies, and task work completes it: the pattern of a
 * driver whose hardware fills the buffer and interrupts later.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/workqueue.h>

#include "miscuring_dev.h"

static struct workqueue_struct *mu_data_wq;

/* A queued READ or WRITE; the PDU points to it. */
struct mu_rw_async {
	struct work_struct	work;
	struct mu_queued	q;
	struct mu_data		data;	/* imported in place: never copied */
	loff_t			pos;
	ssize_t			ret;
	bool			write;
};

struct mu_rw_pdu {
	struct mu_rw_async	*a;
};

/* The copy itself, for both ops, in whatever context may make it. */
static ssize_t mu_rw_copy(loff_t *pos, struct mu_data *d, bool write)
{
	if (write)
		return miscuring_buf_write(pos, &d->iter, false, false);
	return miscuring_buf_read(pos, &d->iter, false);
}

MU_TASK_WORK(mu_rw_tw)
{
	struct mu_rw_async *a = mu_tw_pdu(tw, struct mu_rw_pdu)->a;
	ssize_t ret = a->ret;

	/* The copy is done: a dying submitter gets its result all the same. */
	mu_tw_done(tw, ret);
	mu_data_release(&a->data);
	kfree(a);
}

static void mu_rw_work(struct work_struct *work)
{
	struct mu_rw_async *a = container_of(work, struct mu_rw_async, work);

	a->ret = mu_rw_copy(&a->pos, &a->data, a->write);
	mu_queued_complete_in_task(a->q, mu_rw_tw, true);
}

/*
 * Both ops: the arguments checked, the data imported, the copy made
 * inline or queued.
 */
static int mu_op_rw(struct mu_cmd *cmd, const struct mu_payload *p, bool write)
{
	const struct miscuring_rw *args = mu_payload_args(p, struct miscuring_rw);
	u64 offset = le64_to_cpu(args->offset);
	u32 flags = le32_to_cpu(args->flags);
	u32 nr_vecs = le32_to_cpu(args->nr_vecs);
	bool vectored = flags & MISCURING_RW_VECTORED;
	int dir = write ? ITER_SOURCE : ITER_DEST;
	struct mu_rw_async *a;
	struct mu_data d;
	loff_t pos;
	ssize_t ret;

	if ((flags & ~MISCURING_RW_FLAGS) || (!vectored && nr_vecs) ||
	    !mu_payload_tail_is_zero(p, sizeof(*args)) || offset > LLONG_MAX)
		return mu_cmd_complete(cmd, -EINVAL);
	if (write && !miscuring_may_write(mu_cmd_file(cmd)))
		return mu_cmd_complete(cmd, -EBADF);
	pos = offset;

	if (!(flags & MISCURING_RW_ASYNC)) {
		ret = mu_cmd_import_data(cmd, dir, vectored, nr_vecs, &d);
		if (ret)
			return mu_cmd_complete(cmd, ret);
		ret = mu_rw_copy(&pos, &d, write);
		mu_data_release(&d);
		return mu_cmd_complete(cmd, ret);
	}

	/* User memory is copied in the submitter's context only. */
	if (!(mu_cmd_uring_cmd_flags(cmd) & IORING_URING_CMD_FIXED))
		return mu_cmd_complete(cmd, -EINVAL);
	a = kmalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
	if (!a)
		return mu_cmd_complete(cmd, -ENOMEM);
	ret = mu_cmd_import_data(cmd, dir, vectored, nr_vecs, &a->data);
	if (ret) {
		kfree(a);
		return mu_cmd_complete(cmd, ret);
	}
	INIT_WORK(&a->work, mu_rw_work);
	a->pos = pos;
	a->write = write;
	mu_cmd_pdu(cmd, struct mu_rw_pdu)->a = a;
	ret = mu_cmd_queue(cmd, &a->q, false);
	queue_work(mu_data_wq, &a->work);
	return ret;
}

int miscuring_op_read(struct mu_cmd *cmd, const struct mu_payload *p)
{
	return mu_op_rw(cmd, p, false);
}

int miscuring_op_write(struct mu_cmd *cmd, const struct mu_payload *p)
{
	return mu_op_rw(cmd, p, true);
}

int miscuring_data_setup(void)
{
	mu_data_wq = alloc_workqueue("miscuring-data", WQ_UNBOUND, 0);
	return mu_data_wq ? 0 : -ENOMEM;
}

/*
 * Every async command holds its file, so none is queued any more; the
 * last workers may still be returning from mu_rw_work().
 */
void miscuring_data_teardown(void)
{
	destroy_workqueue(mu_data_wq);
}
