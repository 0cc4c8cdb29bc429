/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mu_cmd_mshot.h - multishot commands: one SQE, a stream of CQEs (part of
 * the mu_cmd kit; mu_cmd.h includes it, a driver never does directly).
 */
#ifndef MU_CMD_MSHOT_H
#define MU_CMD_MSHOT_H

#include <linux/errno.h>
#include <linux/types.h>
#include <linux/uaccess.h>

/**
 * DOC: Multishot commands
 *
 * From 6.18 an application may submit a command with
 * IORING_URING_CMD_MULTISHOT in uring_cmd_flags, IOSQE_BUFFER_SELECT in
 * the SQE's flags and a provided-buffer group in sqe->buf_group; the
 * driver then posts any number of CQEs flagged IORING_CQE_F_MORE, each
 * with its data in a buffer taken from that group, before the final CQE
 * that any command has. An op that takes them declares
 * %MU_CMD_F_MULTISHOT in &mu_cmd_op.uring_cmd_flags (the kit then also
 * lets sqe->buf_index, where the group lives, through), queues the
 * command cancelable, and posts from its task-work callback with
 * mu_tw_mshot_post(): copy into a buffer of the group, post, keep the
 * command. Each callback posts at most what it has, then either returns
 * (the command stays queued; the driver queues task work again for the
 * next event) or completes it with mu_tw_done()/mu_tw_done2(), which posts
 * the final CQE, without F_MORE. Posting needs the ring's lock, so it
 * happens in task work only: never at issue (the issue may run in io-wq),
 * never from a workqueue or timer.
 *
 * What the kernel does not offer: the CQEs with F_MORE carry no second
 * result (their big_cqe is 0 on a CQE32 ring), so data travels in the
 * buffer; a CQ without room for one ends the stream (-EOVERFLOW from
 * mu_tw_mshot_post(), the buffer is used up), as does a group without
 * buffers (-ENOBUFS). Before 6.18 (mu_cmd_mshot_supported() false)
 * io_uring itself refuses the flag (-EINVAL) and IOSQE_BUFFER_SELECT on a
 * uring_cmd (-EOPNOTSUPP), so the op never sees one.
 *
 * A task-work callback may be queued again only after the previous one
 * ran: a driver keeps a "queued" flag under its own lock, set when it
 * queues, cleared at the end of the callback that does not complete the
 * command.
 */

/**
 * MU_CMD_F_MULTISHOT - IORING_URING_CMD_MULTISHOT, for
 * &mu_cmd_op.uring_cmd_flags; 0 where the kernel has no multishot commands
 */
#define MU_CMD_F_MULTISHOT	MU_COMPAT_CMD_MULTISHOT

/**
 * mu_cmd_mshot_supported - the kernel has multishot commands (6.18+)
 */
static inline bool mu_cmd_mshot_supported(void)
{
	return MU_CMD_F_MULTISHOT != 0;
}

/**
 * mu_cmd_is_mshot - the command was submitted multishot
 * @cmd: the command
 */
static inline bool mu_cmd_is_mshot(const struct mu_cmd *cmd)
{
	return MU_CMD_F_MULTISHOT &&
	       (mu_cmd_uring_cmd_flags(cmd) & MU_CMD_F_MULTISHOT);
}

/**
 * mu_cmd_buf_group - the provided-buffer group of a multishot command
 * @cmd: the command
 *
 * Read it at issue and keep it: the SQE is not the driver's afterwards.
 */
static inline u16 mu_cmd_buf_group(const struct mu_cmd *cmd)
{
	return mu_compat_buf_group(cmd->ioucmd);
}

/**
 * mu_tw_mshot_post - post one CQE with F_MORE, its data in a buffer
 * @tw: the task-work handle of a multishot command
 * @group: its provided-buffer group (mu_cmd_buf_group())
 * @data: the bytes to put in the buffer
 * @len: how many (at least 1); the CQE's res
 *
 * Returns 0 when posted: the command stays queued. Otherwise nothing was
 * posted, the stream must end, and the caller completes the command with
 * the errno: -ENOBUFS (no buffer in the group), -EMSGSIZE (the buffer is
 * smaller than @len; given back where io_uring can), -EFAULT (it could not be
 * written), -EOVERFLOW (the CQ is full; the buffer is used up),
 * -ECANCELED (the submitter is exiting: its memory is not touched),
 * -EOPNOTSUPP (no multishot in this kernel).
 */
static inline int mu_tw_mshot_post(struct mu_tw *tw, u16 group,
				   const void *data, u32 len)
{
	struct mu_compat_buf b;
	size_t blen = len;
	int ret;

	if (mu_tw_dying(tw))
		return -ECANCELED;
	ret = mu_compat_buf_select(tw->ioucmd, group, &blen, &b,
				   tw->issue_flags);
	if (ret)
		return ret;
	if (blen < len)
		ret = -EMSGSIZE;
	else if (copy_to_user(mu_compat_buf_addr(&b), data, len))
		ret = -EFAULT;
	if (ret) {
		/* Gives the buffer back; posts nothing. */
		mu_compat_mshot_post(tw->ioucmd, &b, ret, tw->issue_flags);
		return ret;
	}
	return mu_compat_mshot_post(tw->ioucmd, &b, len, tw->issue_flags) ?
	       0 : -EOVERFLOW;
}

#endif /* MU_CMD_MSHOT_H */
