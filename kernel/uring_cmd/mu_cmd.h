/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mu_cmd.h - a kit for io_uring passthrough commands (IORING_OP_URING_CMD)
 * in a character-device driver. Header only: every symbol is static inline
 * or a macro, so any number of drivers built with their own copy of the kit
 * load side by side. See README.md next to this file for how to vendor it.
 */
#ifndef MU_CMD_H
#define MU_CMD_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "mu_compat.h"

/**
 * DOC: The mu_cmd kit
 *
 * A driver writes one function per op and an op table; the kit does the
 * rest of ->uring_cmd: it refuses what an op did not declare (unknown ops,
 * uring_cmd_flags bits, SQE fields outside the command area), zeroes the
 * PDU, copies the payload once, routes io_uring's cancel calls to the op's
 * cancel function, and hides every API difference between kernels (6.1 to
 * 7.x). A driver never touches struct io_uring_cmd, issue flags or io_uring
 * internals. (The kit itself reads io_uring internals in one place: on
 * kernels without uring_cmd cancellation, 6.1, mu_queued_owner_exiting()
 * looks at the request, its ring and its task; mu_compat.h keeps that.)
 * A driver holds one of four handles, each valid in one context:
 *
 * - &struct mu_cmd: issue time, inside the op's issue function only (on
 *   the stack). Read the payload, complete inline, or queue.
 * - &struct mu_queued: after mu_cmd_queue(); may cross to any context
 *   (workqueue, timer, another CPU). It carries no issue flags, so all it
 *   can do is hand over to task work (mu_queued_complete_in_task()).
 * - &struct mu_tw: inside a MU_TASK_WORK() callback, the only place a
 *   queued command is completed (mu_tw_done()).
 * - &struct mu_cancel: inside the op's cancel function, called when
 *   io_uring wants a queued cancelable command to end (see "Cancellation").
 *
 * The smallest complete driver on the kit, an inline op and a cancelable
 * workqueue -> task work op, is the sample that comes with the kit
 * (examples/uring_cmd_sample/uring_cmd_sample.c in the kit's home tree);
 * it is built with W=1 and sparse and tested on every supported kernel.
 *
 * Stats are the driver's: define MU_CMD_HOOK_ISSUE() and
 * MU_CMD_HOOK_DONE(ret, inline) before including this header, the same in
 * every file of the driver, and the kit calls them for every command the
 * driver sees and every completion (inline is true for a completion from
 * the issue call itself). They default to nothing.
 */

/** MU_CMD_KIT_VERSION - version of the kit (README.md has its history) */
#define MU_CMD_KIT_VERSION	"1.2.0"

#ifndef MU_CMD_HOOK_ISSUE
#define MU_CMD_HOOK_ISSUE()		do { } while (0)
#endif
#ifndef MU_CMD_HOOK_DONE
#define MU_CMD_HOOK_DONE(ret, inl)	do { (void)(ret); (void)(inl); } while (0)
#endif

/** MU_PDU_SIZE - bytes of per-command state inside the request (32) */
#define MU_PDU_SIZE		sizeof_field(struct io_uring_cmd, pdu)
/** MU_PAYLOAD_SQE64 - payload bytes in a 64-byte SQE */
#define MU_PAYLOAD_SQE64	16
/**
 * MU_PAYLOAD_MAX - payload bytes in a 128-byte SQE (IORING_SETUP_SQE128, or
 * IORING_OP_URING_CMD128 on an IORING_SETUP_SQE_MIXED ring, 6.19+)
 */
#define MU_PAYLOAD_MAX		80

/**
 * struct mu_payload - a private copy of a command's payload, taken once
 * @bytes: the SQE's command area; bytes past @size are undefined
 * @size: %MU_PAYLOAD_MAX when the command came in a 128-byte SQE
 *	(mu_cmd_has_sqe128()), else %MU_PAYLOAD_SQE64
 */
struct mu_payload {
	u8	bytes[MU_PAYLOAD_MAX] __aligned(8);
	u32	size;
};

/**
 * struct mu_cmd - a command at issue time
 * @ioucmd: the io_uring command (the kit's business only)
 * @issue_flags: the flags of this ->uring_cmd call (the kit's business only)
 */
struct mu_cmd {
	struct io_uring_cmd	*ioucmd;
	unsigned int		issue_flags;
};

/**
 * struct mu_queued - a command queued for asynchronous completion
 * @ioucmd: the io_uring command (the kit's business only)
 */
struct mu_queued {
	struct io_uring_cmd	*ioucmd;
};

/**
 * struct mu_owner - what a queued command's fate hangs on besides itself
 * @task: the task that submitted it
 * @ring: its ring where io_uring does not cancel the commands of a ring
 *	that goes away (6.1), NULL where it does
 *
 * Commands with equal owners end together when their owner goes away
 * (mu_owner_exiting()), so a driver with many queued commands may watch
 * each owner once instead of each command (see mu_queued_owner()). An
 * owner is an opaque key: the kit's business, valid (its task and ring
 * pinned) while at least one of its commands is queued.
 */
struct mu_owner {
	struct task_struct	*task;
	struct io_ring_ctx	*ring;
};

/**
 * struct mu_tw - a queued command in its task-work callback
 * @ioucmd: the io_uring command (the kit's business only)
 * @issue_flags: the flags io_uring gave the callback
 * @dying: whether the submitting task is exiting
 */
struct mu_tw {
	struct io_uring_cmd	*ioucmd;
	unsigned int		issue_flags;
	bool			dying;
};

/**
 * struct mu_cancel - a queued cancelable command io_uring wants ended
 * @ioucmd: the io_uring command (the kit's business only)
 * @issue_flags: the flags of the cancel call
 */
struct mu_cancel {
	struct io_uring_cmd	*ioucmd;
	unsigned int		issue_flags;
};

/*
 * SQE fields outside the command area, for mu_cmd_op.sqe_fields. The kit
 * refuses (-EINVAL) a command that sets one its op did not declare, so the
 * fields stay free for later. On kernels before 6.4 the driver gets the
 * command area alone (a command issued from io-wq sees only a copy of it),
 * so there these fields cannot be checked and are ignored. sqe->off holds
 * cmd_op and __pad1, which io_uring itself requires to be zero;
 * sqe->buf_index is io_uring's own with IORING_URING_CMD_FIXED.
 */
/** MU_SQE_ADDR - the op uses sqe->addr */
#define MU_SQE_ADDR		BIT(0)
/** MU_SQE_LEN - the op uses sqe->len */
#define MU_SQE_LEN		BIT(1)
/** MU_SQE_BUF_INDEX - the op uses sqe->buf_index without a fixed buffer */
#define MU_SQE_BUF_INDEX	BIT(2)
/** MU_SQE_FILE_INDEX - the op uses sqe->file_index */
#define MU_SQE_FILE_INDEX	BIT(3)

/**
 * struct mu_cmd_op - one op of a driver
 * @issue: starts the command: completes it inline (mu_cmd_complete()) or
 *	queues it (mu_cmd_queue()); returns what that returned
 * @cancel: for an op that queues commands cancelable: io_uring wants one
 *	of them ended (see "Cancellation"); NULL for other ops
 * @uring_cmd_flags: the IORING_URING_CMD_* bits the op accepts (0: none)
 * @sqe_fields: the MU_SQE_* fields outside the command area it uses
 * @no_pdu: the op never uses the command's PDU (it completes every command
 *	inline, mu_cmd_pdu() is not called for it): the kit then leaves the
 *	PDU as it is instead of zeroing it, a saving on ops that do little
 */
struct mu_cmd_op {
	int	(*issue)(struct mu_cmd *cmd, const struct mu_payload *p);
	void	(*cancel)(struct mu_cancel *c);
	u32	uring_cmd_flags;
	u32	sqe_fields;
	bool	no_pdu;
};

/**
 * struct mu_cmd_table - a driver's ops, indexed by cmd_op - @base
 * @ops: the ops; an entry without @issue is an unknown op (-EOPNOTSUPP)
 * @nr_ops: entries in @ops
 * @base: cmd_op of entry 0
 */
struct mu_cmd_table {
	const struct mu_cmd_op	*ops;
	u32			nr_ops;
	u32			base;
};

/**
 * MU_CMD_TABLE - a &struct mu_cmd_table initializer for an array of ops
 * @array: the ops, a &struct mu_cmd_op array with designated entries
 * @first: the cmd_op of @array[0]
 */
#define MU_CMD_TABLE(array, first)					\
	{ .ops = (array), .nr_ops = ARRAY_SIZE(array), .base = (first) }

/* --- issue time --------------------------------------------------------- */

/**
 * mu_cmd_op - the command's op code (sqe->cmd_op)
 * @cmd: the command
 */
static inline u32 mu_cmd_op(const struct mu_cmd *cmd)
{
	return READ_ONCE(cmd->ioucmd->cmd_op);
}

/**
 * mu_cmd_file - the file the command was submitted on
 * @cmd: the command
 *
 * A queued command holds a reference on it until it completes.
 */
static inline struct file *mu_cmd_file(const struct mu_cmd *cmd)
{
	return cmd->ioucmd->file;
}

/**
 * mu_cmd_has_sqe128 - the command came in a 128-byte SQE (an 80-byte payload)
 * @cmd: the command
 *
 * True on an IORING_SETUP_SQE128 ring, and for an IORING_OP_URING_CMD128 on
 * an IORING_SETUP_SQE_MIXED ring (6.19+). On a mixed ring a plain
 * IORING_OP_URING_CMD has 16 bytes of payload: this is per command, not
 * per ring.
 */
static inline bool mu_cmd_has_sqe128(const struct mu_cmd *cmd)
{
	return cmd->issue_flags & IO_URING_F_SQE128;
}

/**
 * mu_cmd_has_cqe32 - the ring takes a second result (mu_cmd_complete2())
 * @cmd: the command
 *
 * True on an IORING_SETUP_CQE32 ring, where every CQE has 32 bytes, and on
 * an IORING_SETUP_CQE_MIXED ring (6.18+), where mu_cmd_complete2() and
 * mu_tw_done2() post a 32-byte CQE flagged IORING_CQE_F_32 and every other
 * completion a 16-byte one. False elsewhere: the second result is dropped.
 */
static inline bool mu_cmd_has_cqe32(const struct mu_cmd *cmd)
{
	return cmd->issue_flags & IO_URING_F_CQE32;
}

/**
 * mu_cmd_nonblock - io_uring asks this issue not to block
 * @cmd: the command
 *
 * When true, an op that would have to sleep (a lock, memory, I/O) should
 * return -EAGAIN without completing (return it directly, not through
 * mu_cmd_complete()); io_uring then issues the command again from a worker
 * that may block, with this false. Leave nothing in the PDU in that case:
 * kernels before 6.17 cannot tell the kit it is a re-issue, and the kit
 * zeroes the PDU again.
 */
static inline bool mu_cmd_nonblock(const struct mu_cmd *cmd)
{
	return cmd->issue_flags & IO_URING_F_NONBLOCK;
}

/**
 * mu_cmd_uring_cmd_flags - the command's IORING_URING_CMD_* bits
 * @cmd: the command
 *
 * Only bits its op declared in &mu_cmd_op.uring_cmd_flags ever reach it.
 */
static inline u32 mu_cmd_uring_cmd_flags(const struct mu_cmd *cmd)
{
	return mu_compat_user_flags(cmd->ioucmd);
}

/**
 * mu_cmd_cancel_supported - the kernel cancels queued commands itself
 *
 * True where io_uring calls an op's cancel function when a command's ring
 * or task goes away (6.7+). Where false (6.1), nobody tells the driver;
 * a &struct mu_watch finds such commands on every kernel.
 */
static inline bool mu_cmd_cancel_supported(void)
{
	return MU_COMPAT_F_CANCEL != 0;
}

/**
 * mu_cmd_read_payload - copy the payload out of the SQE
 * @cmd: the command
 * @p: where to copy it
 *
 * The kit's dispatch does it once before the op's issue function runs; a
 * driver calls it only when it dispatches by itself. The SQE is shared
 * with user space, which may change it at any time, so every check is
 * made on the copy, and the SQE is not looked at again.
 */
static inline void mu_cmd_read_payload(const struct mu_cmd *cmd,
				       struct mu_payload *p)
{
	const void *src = mu_compat_payload(cmd->ioucmd);

	/*
	 * Copies of constant size: a few moves, not a call to memcpy().
	 * unsafe_memcpy(): sqe->cmd is a zero-length array standing for the
	 * command area, which FORTIFY_SOURCE would take for a 0-byte field.
	 */
	if (mu_cmd_has_sqe128(cmd)) {
		p->size = MU_PAYLOAD_MAX;
		unsafe_memcpy(p->bytes, src, MU_PAYLOAD_MAX,
			      "the command area of a 128-byte SQE is 80 bytes");
	} else {
		p->size = MU_PAYLOAD_SQE64;
		unsafe_memcpy(p->bytes, src, MU_PAYLOAD_SQE64,
			      "the command area of a 64-byte SQE is 16 bytes");
	}
}

/**
 * mu_payload_args - the payload as an op's argument struct of <= 16 bytes
 * @p: the payload
 * @type: the argument struct; its size is checked at build time
 */
#define mu_payload_args(p, type) ({					\
	BUILD_BUG_ON(sizeof(type) > MU_PAYLOAD_SQE64);			\
	(const type *)(p)->bytes;					\
})

/**
 * mu_payload_args128 - the payload as an argument struct of <= 80 bytes
 * @p: the payload
 * @type: the argument struct; its size is checked at build time
 *
 * For ops whose arguments need the SQE128 area. Evaluates to NULL when the
 * struct does not fit the payload the ring gave (a 64-byte SQE): the op
 * then fails the command, typically with -EINVAL.
 */
#define mu_payload_args128(p, type) ({					\
	BUILD_BUG_ON(sizeof(type) > MU_PAYLOAD_MAX);			\
	(p)->size >= sizeof(type) ? (const type *)(p)->bytes : NULL;	\
})

/**
 * mu_payload_tail_is_zero - the payload after the first @used bytes is 0
 * @p: the payload
 * @used: bytes the op's arguments take
 *
 * Ops that keep unused bytes free for later require them to be zero.
 */
static inline bool mu_payload_tail_is_zero(const struct mu_payload *p,
					   size_t used)
{
	return p->size <= used || !memchr_inv(p->bytes + used, 0, p->size - used);
}

/* The PDU holds the driver's per-command state: at most 32 bytes. */
#define mu_pdu_check(type) do {						\
	BUILD_BUG_ON(sizeof(type) > MU_PDU_SIZE);			\
	BUILD_BUG_ON(__alignof__(type) > 8);				\
} while (0)

/**
 * mu_cmd_pdu - the command's per-command state, a struct of <= 32 bytes
 * @cmd: the command
 * @type: the driver's PDU struct (checked at build time)
 *
 * Zeroed when the command is issued. Anything larger (a timer, a work
 * item) goes in an object the driver allocates and the PDU points to: see
 * "Per-command objects".
 */
#define mu_cmd_pdu(cmd, type) ({					\
	mu_pdu_check(type);						\
	(type *)mu_compat_pdu((cmd)->ioucmd);				\
})

/**
 * mu_cmd_complete - complete the command inline
 * @cmd: the command
 * @ret: the CQE's res: 0, a positive value or a negative errno
 *
 * Returns what the issue function returns.
 *
 * Only 0 and errors are returned as they are. Some kernels (Debian's 6.1)
 * take a positive return of ->uring_cmd for a failure: links behind the
 * command are cancelled, and from io-wq the CQE is never posted. A
 * positive result is posted through io_uring_cmd_done() instead, which
 * every kernel handles alike.
 */
static inline int mu_cmd_complete(struct mu_cmd *cmd, s32 ret)
{
	MU_CMD_HOOK_DONE(ret, true);
	if (ret <= 0)
		return ret;
	mu_compat_done(cmd->ioucmd, ret, cmd->issue_flags);
	return -EIOCBQUEUED;
}

/**
 * mu_cmd_complete2 - complete inline with a second result
 * @cmd: the command
 * @ret: the CQE's res
 * @res2: the second result, posted only where the ring takes it
 *	(mu_cmd_has_cqe32(); the op decides beforehand whether it can do
 *	without it)
 *
 * Returns what the issue function returns.
 */
static inline int mu_cmd_complete2(struct mu_cmd *cmd, s32 ret, u64 res2)
{
	if (!mu_cmd_has_cqe32(cmd))
		return mu_cmd_complete(cmd, ret);
	MU_CMD_HOOK_DONE(ret, true);
	mu_compat_done2(cmd->ioucmd, ret, res2, cmd->issue_flags);
	return -EIOCBQUEUED;
}

/**
 * mu_cmd_queue - take the command over for asynchronous completion
 * @cmd: the command
 * @q: the queued handle, for whoever completes it
 * @cancelable: have io_uring call the op's cancel function when the
 *	command's ring or task goes away (where the kernel can)
 *
 * Returns -EIOCBQUEUED, for the issue function to return. Fill the PDU
 * before making @q visible to another context: from then on, the command
 * may complete at any moment, and @cmd must not be used again. Marking a
 * command cancelable may sleep: do it before taking a spinlock. From the
 * moment it is marked, the op's cancel function may be called (from
 * io-wq even before this returns), so the driver's own bookkeeping must
 * already tell a cancel call what to do.
 */
static inline int mu_cmd_queue(struct mu_cmd *cmd, struct mu_queued *q,
			       bool cancelable)
{
	q->ioucmd = cmd->ioucmd;
	if (cancelable)
		mu_compat_mark_cancelable(cmd->ioucmd, cmd->issue_flags);
	return -EIOCBQUEUED;
}

/* --- queued ------------------------------------------------------------- */

/**
 * mu_queued_pdu - the PDU of a queued command
 * @q: the queued handle
 * @type: the driver's PDU struct
 *
 * Valid until the command completes.
 */
#define mu_queued_pdu(q, type) ({					\
	mu_pdu_check(type);						\
	(type *)mu_compat_pdu((q)->ioucmd);				\
})

/**
 * mu_queued_from_pdu - the queued handle whose PDU is @pdu
 * @pdu: a PDU (e.g. found on a driver's list of queued commands)
 */
static inline struct mu_queued mu_queued_from_pdu(void *pdu)
{
	struct mu_queued q = {
		.ioucmd = container_of((u8 *)pdu, struct io_uring_cmd, pdu[0]),
	};

	return q;
}

/**
 * mu_queued_complete_in_task - hand the command to its submitter's task
 * @q: the queued handle
 * @fn: the MU_TASK_WORK() callback that completes it
 * @lazy: the wake-up of a waiter may be batched with others (where the
 *	kernel supports it): for completions that come in bursts
 *
 * Any context. After this, the command may complete at any moment: the
 * caller must not touch its PDU again.
 */
static inline void mu_queued_complete_in_task(struct mu_queued q,
					      mu_tw_fn fn, bool lazy)
{
	mu_compat_complete_in_task(q.ioucmd, fn, lazy);
}

/**
 * mu_owner_of - the owner of a command, for mu_cmd_owner() and friends
 * @ioucmd: the io_uring command (the kit's business only)
 */
static inline struct mu_owner mu_owner_of(struct io_uring_cmd *ioucmd)
{
	struct mu_owner o = {
		.task	= mu_compat_task(ioucmd),
		.ring	= mu_compat_ring(ioucmd),
	};

	return o;
}

/**
 * mu_cmd_owner - the owner of a command, at issue time
 * @cmd: the command
 *
 * For a driver that groups its queued commands by owner (see &struct
 * mu_owner) and wants the group ready before mu_cmd_queue().
 */
static inline struct mu_owner mu_cmd_owner(const struct mu_cmd *cmd)
{
	return mu_owner_of(cmd->ioucmd);
}

/**
 * mu_queued_owner - the owner of a queued command
 * @q: the queued handle
 */
static inline struct mu_owner mu_queued_owner(struct mu_queued q)
{
	return mu_owner_of(q.ioucmd);
}

/**
 * mu_owner_equal - whether two owners are the same
 * @a: an owner
 * @b: another
 */
static inline bool mu_owner_equal(const struct mu_owner *a,
				  const struct mu_owner *b)
{
	return a->task == b->task && a->ring == b->ring;
}

/**
 * mu_owner_hash - a hash key for an owner (e.g. for <linux/hashtable.h>)
 * @o: the owner
 */
static inline unsigned long mu_owner_hash(const struct mu_owner *o)
{
	return (unsigned long)o->task ^ ((unsigned long)o->ring >> 4);
}

/**
 * mu_owner_exiting - the ring or submitter of @o's commands is going away
 * @o: the owner, of at least one command still queued
 *
 * The same answer mu_queued_owner_exiting() gives for each of its
 * commands, at the cost of one look.
 */
static inline bool mu_owner_exiting(const struct mu_owner *o)
{
	return (o->ring && mu_compat_ring_dying(o->ring)) ||
	       mu_compat_task_leaving(o->task);
}

/**
 * mu_queued_owner_exiting - the command's ring or submitter is going away
 * @q: the queued handle
 *
 * True when the ring or the task that submitted @q is on its way out, or
 * the task execs, in a way io_uring does not cancel the command for (on
 * 6.1 none; on 6.7+ the exit of a thread, or of a process whose ring lives
 * on): complete it soon, or that exit or exec waits for it (6.1), or it
 * outlives its submitter until its own end. &struct mu_watch calls it
 * periodically for a driver.
 */
static inline bool mu_queued_owner_exiting(struct mu_queued q)
{
	struct mu_owner o = mu_queued_owner(q);

	return mu_owner_exiting(&o);
}

/* --- task work ---------------------------------------------------------- */

/**
 * MU_TASK_WORK - define a task-work callback
 * @name: the callback, for mu_queued_complete_in_task()
 *
 * The body that follows sees ``struct mu_tw *tw``, and must complete the
 * command (mu_tw_done() or mu_tw_done2()) exactly once::
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

/**
 * mu_tw_pdu - the PDU of the command in a task-work callback
 * @tw: the task-work handle
 * @type: the driver's PDU struct
 *
 * Valid until mu_tw_done().
 */
#define mu_tw_pdu(tw, type) ({						\
	mu_pdu_check(type);						\
	(type *)mu_compat_pdu((tw)->ioucmd);				\
})

/**
 * mu_tw_dying - the submitting task is exiting
 * @tw: the task-work handle
 *
 * The callback may run outside the submitter's context (a kernel worker):
 * the command must still be completed, typically with -ECANCELED, but the
 * submitter's user memory must not be touched (no copy_to_user(), no
 * pinning its pages). The PDU and the driver's own objects are valid as
 * always.
 */
static inline bool mu_tw_dying(const struct mu_tw *tw)
{
	return tw->dying;
}

/**
 * mu_tw_file - the file the command was submitted on
 * @tw: the task-work handle
 */
static inline struct file *mu_tw_file(const struct mu_tw *tw)
{
	return tw->ioucmd->file;
}

/**
 * mu_tw_done - complete the command from its task-work callback
 * @tw: the task-work handle
 * @ret: the CQE's res
 *
 * The PDU is gone afterwards.
 */
static inline void mu_tw_done(struct mu_tw *tw, s32 ret)
{
	MU_CMD_HOOK_DONE(ret, false);
	mu_compat_done(tw->ioucmd, ret, tw->issue_flags);
}

/**
 * mu_tw_done2 - complete the command with a second result
 * @tw: the task-work handle
 * @ret: the CQE's res
 * @res2: the second result, posted where the ring takes it
 */
static inline void mu_tw_done2(struct mu_tw *tw, s32 ret, u64 res2)
{
	MU_CMD_HOOK_DONE(ret, false);
	mu_compat_done2(tw->ioucmd, ret, res2, tw->issue_flags);
}

/* --- cancellation ------------------------------------------------------- */

/**
 * DOC: Cancellation
 *
 * A command queued with mu_cmd_queue(..., true) is cancelable: where the
 * kernel supports it (mu_cmd_cancel_supported(), 6.7+), io_uring calls its
 * op's &mu_cmd_op.cancel when the command's ring is closed, its task
 * exits or execs, or an SQPOLL thread exits (not when a thread other than
 * the last one exits). The rules:
 *
 * - The cancel function either completes the command now, with
 *   mu_cancel_done(), or does nothing. There is no return value: io_uring
 *   keeps calling the cancel function again, rescheduling in between,
 *   until the command has completed one way or another. So "nothing" is
 *   right when another path already owns the completion and will finish
 *   it soon.
 * - Exactly one path completes a command. A cancel call races with the
 *   driver's own completing path (a timer, a worker, an interrupt); decide
 *   who wins with a &struct mu_claim (or under a lock of the driver), never
 *   by looking at whether "it is still queued" without one.
 * - During a cancel call the command has not completed: its PDU and what
 *   the PDU points to are valid. After mu_cancel_done() (or mu_tw_done())
 *   the PDU is gone, but a driver object the losing path still holds must
 *   stay alive until that path is done with it: &struct mu_claim counts
 *   those references. Freeing such an object in the worker, right after
 *   handing the command to task work, is a use-after-free when a cancel
 *   call comes in between.
 * - The cancel function runs in the context of the exiting task or ring,
 *   with io_uring's ring lock held: it must not sleep.
 * - On kernels without cancellation (6.1) nothing calls it, and on no
 *   kernel does io_uring cancel a command when its submitter execs (6.1)
 *   or when a thread exits while the ring stays (6.7+). A &struct mu_watch
 *   looks for such owners every 100 ms and ends their commands like the
 *   cancel function would.
 */

/**
 * mu_cancel_op - the op code of the command to cancel
 * @c: the cancel handle
 */
static inline u32 mu_cancel_op(const struct mu_cancel *c)
{
	return READ_ONCE(c->ioucmd->cmd_op);
}

/**
 * mu_cancel_file - the file the command to cancel was submitted on
 * @c: the cancel handle
 */
static inline struct file *mu_cancel_file(const struct mu_cancel *c)
{
	return c->ioucmd->file;
}

/**
 * mu_cancel_pdu - the PDU of the command to cancel
 * @c: the cancel handle
 * @type: the driver's PDU struct
 */
#define mu_cancel_pdu(c, type) ({					\
	mu_pdu_check(type);						\
	(type *)mu_compat_pdu((c)->ioucmd);				\
})

/**
 * mu_cancel_done - complete the command with -ECANCELED, now
 * @c: the cancel handle
 *
 * Only once the driver owns the completion (mu_claim_take() returned true,
 * or its own lock says so) and has taken the command off its own lists.
 */
static inline void mu_cancel_done(struct mu_cancel *c)
{
	MU_CMD_HOOK_DONE(-ECANCELED, false);
	mu_compat_done(c->ioucmd, -ECANCELED, c->issue_flags);
}

/**
 * struct mu_claim - who completes a command, and when its object goes
 * @v: bit 0: claimed; the rest: references, two per unit
 *
 * For a driver object allocated per queued command (it holds a timer or a
 * work item that does not fit the 32-byte PDU; the PDU points to it). Two
 * paths may try to complete the command: the driver's own (the timer or
 * worker firing) and the cancel path (a cancel call, or a &struct
 * mu_watch). mu_claim_init() gives the object two references, one for
 * each of:
 *
 * - the asynchronous source (the timer or work item), dropped when it has
 *   run, or by the path that stopped it from running;
 * - the command, dropped by whoever completed it, after mu_tw_done() or
 *   mu_cancel_done().
 *
 * Each path calls mu_claim_take() first: the one that gets true completes
 * the command, the other does not touch it. Each reference ends with
 * mu_claim_put(); whoever gets true frees the object.
 */
struct mu_claim {
	atomic_t	v;
};

/**
 * mu_claim_init - unclaimed, with two references
 * @c: the claim
 */
static inline void mu_claim_init(struct mu_claim *c)
{
	atomic_set(&c->v, 2 * 2);
}

/**
 * mu_claim_take - claim the completion of the command
 * @c: the claim
 *
 * Returns true for the first caller only. Fully ordered.
 */
static inline bool mu_claim_take(struct mu_claim *c)
{
	return !(atomic_fetch_or(1, &c->v) & 1);
}

/**
 * mu_claim_put - drop one reference
 * @c: the claim
 *
 * Returns true for the last one: the caller frees the object.
 */
static inline bool mu_claim_put(struct mu_claim *c)
{
	return atomic_sub_return(2, &c->v) < 2;
}

/**
 * MU_WATCH_PERIOD_MS - how often a &struct mu_watch looks
 */
#define MU_WATCH_PERIOD_MS	100

/**
 * struct mu_watch_entry - a queued command on a &struct mu_watch
 * @node: on the watch's list (the kit's business)
 * @q: the command
 */
struct mu_watch_entry {
	struct list_head	node;
	struct mu_queued	q;
};

/**
 * struct mu_watch - the cancel path where io_uring has none
 * @lock: guards @list
 * @list: the watched commands
 * @dwork: the periodic check
 * @owner_exiting: called with @lock held (must not sleep, nor call
 *	mu_watch_del()) for a command whose ring or task is going away,
 *	after taking it off the list; it ends the command as the cancel
 *	function would, but through task work (mu_queued_complete_in_task()),
 *	as it has no cancel handle
 *
 * Where !mu_cmd_cancel_supported() (6.1), io_uring waits for a command
 * whose ring closes or whose task exits or execs, and tells nobody; on
 * every kernel it leaves the commands of an exiting thread alone while the
 * ring stays. A driver with cancelable commands arms one watch (per device
 * or per open file), mu_watch_add()s every such command right after
 * queueing it and mu_watch_del()s it on every other path that ends it (its
 * worker before mu_claim_take(), its cancel function after it) before the
 * command completes; every %MU_WATCH_PERIOD_MS while the list is not
 * empty, the watch
 * calls @owner_exiting for those
 * whose owner is going away (mu_queued_owner_exiting()).
 */
struct mu_watch {
	spinlock_t		lock;
	struct list_head	list;
	struct delayed_work	dwork;
	void			(*owner_exiting)(struct mu_watch_entry *e);
};

static inline void mu_watch_fn(struct work_struct *work)
{
	struct mu_watch *w = container_of(to_delayed_work(work),
					  struct mu_watch, dwork);
	struct mu_watch_entry *e, *tmp;

	spin_lock(&w->lock);
	list_for_each_entry_safe(e, tmp, &w->list, node) {
		if (mu_queued_owner_exiting(e->q)) {
			list_del_init(&e->node);
			w->owner_exiting(e);
		}
	}
	if (!list_empty(&w->list))
		schedule_delayed_work(&w->dwork,
				      msecs_to_jiffies(MU_WATCH_PERIOD_MS));
	spin_unlock(&w->lock);
}

/**
 * mu_watch_init - set up a watch
 * @w: the watch
 * @owner_exiting: see &struct mu_watch
 */
static inline void mu_watch_init(struct mu_watch *w,
				 void (*owner_exiting)(struct mu_watch_entry *e))
{
	spin_lock_init(&w->lock);
	INIT_LIST_HEAD(&w->list);
	INIT_DELAYED_WORK(&w->dwork, mu_watch_fn);
	w->owner_exiting = owner_exiting;
}

/**
 * mu_watch_add - watch a queued command, unless it already ended
 * @w: the watch
 * @e: the entry, in the driver's per-command object
 * @q: the command, just queued
 * @claim: its claim
 *
 * After mu_cmd_queue(), so a cancel call may already have claimed and
 * completed the command: then it is not added. Race-free against a cancel
 * function that mu_watch_del()s after mu_claim_take().
 */
static inline void mu_watch_add(struct mu_watch *w, struct mu_watch_entry *e,
				struct mu_queued q, struct mu_claim *claim)
{
	e->q = q;
	spin_lock(&w->lock);
	if (!(atomic_read(&claim->v) & 1)) {
		list_add_tail(&e->node, &w->list);
		schedule_delayed_work(&w->dwork,
				      msecs_to_jiffies(MU_WATCH_PERIOD_MS));
	} else {
		INIT_LIST_HEAD(&e->node);
	}
	spin_unlock(&w->lock);
}

/**
 * mu_watch_del - stop watching a command (if the watch did not already)
 * @w: the watch
 * @e: the entry given to mu_watch_add()
 */
static inline void mu_watch_del(struct mu_watch *w, struct mu_watch_entry *e)
{
	spin_lock(&w->lock);
	list_del_init(&e->node);
	spin_unlock(&w->lock);
}

/**
 * mu_watch_stop - wait for the watch's last round
 * @w: the watch
 *
 * Once nothing can be added any more (module exit, or the release of the
 * file the watch belongs to).
 */
static inline void mu_watch_stop(struct mu_watch *w)
{
	cancel_delayed_work_sync(&w->dwork);
}

/* --- multishot commands ------------------------------------------------- */

#include "mu_cmd_mshot.h"

/* --- dispatch and registration ------------------------------------------ */

/* The uring_cmd_flags and SQE fields outside the command area @o allows. */
static inline int mu_cmd_check_sqe(const struct mu_cmd *cmd,
				   const struct mu_cmd_op *o)
{
	const struct io_uring_sqe *sqe = mu_compat_sqe(cmd->ioucmd);
	u32 flags = mu_cmd_uring_cmd_flags(cmd);
	u32 fields = o->sqe_fields;

	if (flags & ~o->uring_cmd_flags)
		return -EINVAL;
	if (!sqe)
		return 0;
	/* Most ops use none of them: one test for all four. */
	if (!fields && !flags)
		return (READ_ONCE(sqe->addr) | READ_ONCE(sqe->len) |
			READ_ONCE(sqe->buf_index) |
			READ_ONCE(sqe->file_index)) ? -EINVAL : 0;
	/* buf_index is io_uring's: a fixed buffer, or a buffer group. */
	if (flags & (IORING_URING_CMD_FIXED | MU_COMPAT_CMD_MULTISHOT))
		fields |= MU_SQE_BUF_INDEX;
	if ((!(fields & MU_SQE_ADDR) && READ_ONCE(sqe->addr)) ||
	    (!(fields & MU_SQE_LEN) && READ_ONCE(sqe->len)) ||
	    (!(fields & MU_SQE_BUF_INDEX) && READ_ONCE(sqe->buf_index)) ||
	    (!(fields & MU_SQE_FILE_INDEX) && READ_ONCE(sqe->file_index)))
		return -EINVAL;
	return 0;
}

/**
 * mu_cmd_dispatch - a driver's whole ->uring_cmd
 * @t: the driver's ops
 * @ioucmd: as ->uring_cmd got it
 * @issue_flags: as ->uring_cmd got them
 *
 * A cancel call goes to the op's cancel function. Otherwise the command
 * fails with -EOPNOTSUPP for an unknown op and -EINVAL for uring_cmd_flags
 * or SQE fields its op did not declare; else its PDU is zeroed (not for an
 * op with &mu_cmd_op.no_pdu, nor on a re-issue where the kernel flags it),
 * its payload copied, and the op's issue function called.
 * MU_URING_CMD_FOPS() and MU_MISC_DEVICE() wire it up; call it directly
 * from a ->uring_cmd of your own otherwise.
 */
static inline int mu_cmd_dispatch(const struct mu_cmd_table *t,
				  struct io_uring_cmd *ioucmd,
				  unsigned int issue_flags)
{
	struct mu_cmd cmd = { .ioucmd = ioucmd, .issue_flags = issue_flags };
	const struct mu_cmd_op *o = NULL;
	u32 idx = READ_ONCE(ioucmd->cmd_op) - t->base;
	/* Its first p.size bytes are copied, nothing reads past them. */
	struct mu_payload p __uninitialized;
	int ret;

	if (idx < t->nr_ops) {
		o = &t->ops[array_index_nospec(idx, t->nr_ops)];
		if (!o->issue)
			o = NULL;
	}
	if (MU_COMPAT_F_CANCEL && (issue_flags & MU_COMPAT_F_CANCEL)) {
		struct mu_cancel c = { .ioucmd = ioucmd,
				       .issue_flags = issue_flags };

		/* Only an op with a cancel function queues cancelable. */
		if (!WARN_ON_ONCE(!o || !o->cancel))
			o->cancel(&c);
		return 0;
	}

	MU_CMD_HOOK_ISSUE();
	if (!o)
		return mu_cmd_complete(&cmd, -EOPNOTSUPP);
	ret = mu_cmd_check_sqe(&cmd, o);
	if (ret)
		return mu_cmd_complete(&cmd, ret);
	if (!o->no_pdu && !mu_compat_is_reissue(ioucmd))
		memset(mu_compat_pdu(ioucmd), 0, MU_PDU_SIZE);
	mu_cmd_read_payload(&cmd, &p);
	return o->issue(&cmd, &p);
}

/**
 * MU_URING_CMD_FOPS - define file operations whose ->uring_cmd is the kit
 * @fops: the name of the &struct file_operations to define
 * @table: the driver's &struct mu_cmd_table
 * @...: more initializers of the file operations (.open = ..., ...)
 *
 * .owner is THIS_MODULE, so an open file, and every queued command (it
 * holds its file), keeps the module loaded.
 */
#define MU_URING_CMD_FOPS(fops, table, ...)				\
static int fops##_uring_cmd(struct io_uring_cmd *ioucmd,		\
			    unsigned int issue_flags)			\
{									\
	return mu_cmd_dispatch(&(table), ioucmd, issue_flags);		\
}									\
static const struct file_operations fops = {				\
	.owner		= THIS_MODULE,					\
	.uring_cmd	= fops##_uring_cmd,				\
	__VA_ARGS__							\
}

/**
 * MU_MISC_DEVICE - define a misc device whose only interface is the kit
 * @dev: the name of the &struct miscdevice to define
 * @devname: its name in /dev
 * @table: the driver's &struct mu_cmd_table
 *
 * Register it with misc_register(&dev) (or module_misc_device(dev)). Its
 * file operations are @dev_fops; misc_open() leaves the &struct
 * miscdevice in file->private_data.
 */
#define MU_MISC_DEVICE(dev, devname, table)				\
MU_URING_CMD_FOPS(dev##_fops, table);					\
static struct miscdevice dev = {					\
	.minor	= MISC_DYNAMIC_MINOR,					\
	.name	= devname,						\
	.fops	= &dev##_fops,						\
}

/* A command's data (read and write ops): */
#include "mu_cmd_data.h"

#endif /* MU_CMD_H */
