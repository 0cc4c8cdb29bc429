/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mu_compat.h - the one place where io_uring command API differences
 * between kernels are absorbed (part of the mu_cmd kit, see README.md).
 *
 * Every #if here tests a MU_HAVE_* result of a compile probe (in probes/,
 * run by kit.mk against the target kernel), never a kernel version:
 * Debian's 6.1 carries backports that a version check would get wrong. A
 * new kernel line should cost a probe and a branch here.
 *
 * Only mu_cmd.h includes this header; a driver never does. It is also the
 * only file of the kit that reads io_uring internals: on kernels without
 * uring_cmd cancellation (6.1), mu_compat_owner_exiting() looks at the
 * request, its ring and its task (struct io_kiocb, io_ring_ctx and
 * task_struct fields) to see an exit coming. Nothing else does.
 */
#ifndef MU_COMPAT_H
#define MU_COMPAT_H

#include "mu_compat_probed.h"

#ifdef MU_HAVE_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif
#include <linux/io_uring_types.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#if !defined(MU_HAVE_CMD_DONE_FLAGS) && !defined(MU_HAVE_CMD_DONE32)
#error "mu_cmd kit: unsupported io_uring_cmd_done() form"
#endif
#if !defined(MU_HAVE_TW_CB_FLAGS) && !defined(MU_HAVE_TW_CB_REQ)
#error "mu_cmd kit: unsupported task-work callback form"
#endif
/*
 * A probe that stops compiling on a newer kernel for a reason of its own
 * (a renamed field it happened to use) would turn its feature off without
 * a word. Kernels new enough for io_uring_cmd_done32() (6.18) have every
 * feature below, so there a missing one means a broken probe.
 */
#if defined(MU_HAVE_CMD_DONE32) &&					\
	!(defined(MU_HAVE_IO_URING_CMD_H) && defined(MU_HAVE_CMD_CANCELABLE) && \
	  defined(MU_HAVE_DO_IN_TASK_LAZY) && defined(MU_HAVE_CMD_REISSUE) && \
	  defined(MU_HAVE_CMD_GET_TASK) && defined(MU_HAVE_TCTX_IN_CANCEL) && \
	  defined(MU_HAVE_CMD_IMPORT_FIXED_TYPED) && \
	  defined(MU_HAVE_CMD_IMPORT_FIXED_VEC) && defined(MU_HAVE_IMPORT_UBUF) && \
	  defined(MU_HAVE_CMD_MSHOT))
#error "mu_cmd kit: a compat probe failed on a 6.18+ kernel: see .mu_probes/probe.log"
#endif

/*
 * uring_cmd_flags bits user space may set (IORING_URING_CMD_MASK of the
 * UAPI where it has one). The rest of ioucmd->flags is io_uring's own.
 */
#ifdef IORING_URING_CMD_MASK
#define MU_COMPAT_USER_FLAGS	IORING_URING_CMD_MASK
#else
#define MU_COMPAT_USER_FLAGS	IORING_URING_CMD_FIXED
#endif

static inline u32 mu_compat_user_flags(const struct io_uring_cmd *ioucmd)
{
	return READ_ONCE(ioucmd->flags) & MU_COMPAT_USER_FLAGS;
}

/*
 * The whole SQE, for its fields outside the command area, or NULL where a
 * driver only gets the command area (before 6.4, cmd->cmd: a command
 * issued from io-wq sees a copy of the command area alone).
 */
static inline const struct io_uring_sqe *
mu_compat_sqe(const struct io_uring_cmd *ioucmd)
{
#if defined(MU_HAVE_CMD_SQE) || defined(MU_HAVE_SQE_CMD_TYPED)
	return ioucmd->sqe;
#else
	return NULL;
#endif
}

/*
 * The SQE's command area: 16 bytes in a 64-byte SQE, 80 in a 128-byte one.
 * A command has a 128-byte SQE on an IORING_SETUP_SQE128 ring, and (6.19+)
 * when it is an IORING_OP_URING_CMD128 on an IORING_SETUP_SQE_MIXED ring:
 * io_uring then took two consecutive SQ slots for it (never the ring's
 * last one) or copied both, and says so the same way in both cases,
 * IO_URING_F_SQE128 in the issue flags. A plain IORING_OP_URING_CMD on a
 * mixed ring is a 64-byte SQE without the flag: the slot after it is
 * another command's, so nothing past 16 bytes may be read then. No probe
 * is needed: where the opcode exists it comes with the flag's meaning.
 */
struct mu_compat_payload {
	u8 bytes[80];
};

static inline const void *mu_compat_payload(const struct io_uring_cmd *ioucmd)
{
#if defined(MU_HAVE_SQE_CMD_TYPED)
	/* The caller reads past 16 bytes only with IO_URING_F_SQE128. */
	return io_uring_sqe128_cmd(ioucmd->sqe, struct mu_compat_payload);
#elif defined(MU_HAVE_CMD_SQE)
	return io_uring_sqe_cmd(ioucmd->sqe);
#else
	return ioucmd->cmd;
#endif
}

static inline void *mu_compat_pdu(struct io_uring_cmd *ioucmd)
{
	return ioucmd->pdu;
}

/* True when this ->uring_cmd call re-issues a command after -EAGAIN. */
static inline bool mu_compat_is_reissue(const struct io_uring_cmd *ioucmd)
{
#ifdef MU_HAVE_CMD_REISSUE
	return ioucmd->flags & IORING_URING_CMD_REISSUE;
#else
	/*
	 * Without the flag a re-issue cannot be told apart. The layer's rule
	 * (see mu_cmd.h) is that a handler returning -EAGAIN keeps nothing in
	 * the PDU, so zeroing it again is harmless.
	 */
	return false;
#endif
}

/*
 * Completion. Before 6.18, io_uring_cmd_done() takes res2 and the kernel
 * puts it in big_cqe[0] when the ring has IORING_SETUP_CQE32, else drops
 * it. From 6.18 the driver picks: io_uring_cmd_done() posts no res2, and
 * io_uring_cmd_done32() posts it where the ring can take it and drops it
 * where it cannot, so neither needs the ring's flags checked here:
 *   - IORING_SETUP_CQE32: in big_cqe[0] of the ring's 32-byte CQE;
 *   - IORING_SETUP_CQE_MIXED (6.18+): in a 32-byte CQE flagged
 *     IORING_CQE_F_32 (such a ring also gets IO_URING_F_CQE32 at issue),
 *     while io_uring_cmd_done() posts a 16-byte CQE on it; where the CQ
 *     ring has one slot left before it wraps, io_uring first fills that
 *     slot with a CQE flagged IORING_CQE_F_SKIP, which user space skips;
 *   - any other ring: dropped; the CQE is an ordinary 16-byte one (the
 *     value lands in the request's unused big_cqe, which such a ring never
 *     copies out).
 * So: mu_compat_done() for a result alone, mu_compat_done2() for a
 * command that has a second result, whatever its value (on a CQE_MIXED
 * ring, a second result of 0 must still come in a 32-byte CQE).
 */
static inline void mu_compat_done(struct io_uring_cmd *ioucmd, s32 ret,
				  unsigned int issue_flags)
{
#ifdef MU_HAVE_CMD_DONE32
	io_uring_cmd_done(ioucmd, ret, issue_flags);
#else
	io_uring_cmd_done(ioucmd, ret, 0, issue_flags);
#endif
}

static inline void mu_compat_done2(struct io_uring_cmd *ioucmd, s32 ret,
				   u64 res2, unsigned int issue_flags)
{
#ifdef MU_HAVE_CMD_DONE32
	io_uring_cmd_done32(ioucmd, ret, res2, issue_flags);
#else
	io_uring_cmd_done(ioucmd, ret, res2, issue_flags);
#endif
}

/*
 * Task work. MU_COMPAT_TW_FN(name) opens a callback of the kernel's form
 * (mu_tw_fn); in its body MU_COMPAT_TW_CMD(), MU_COMPAT_TW_FLAGS() and
 * MU_COMPAT_TW_DYING() give the command, the flags to complete it with and
 * whether its task is exiting. MU_TASK_WORK() in mu_cmd.h wraps these.
 */
#ifdef MU_HAVE_TW_CB_REQ
typedef void (*mu_tw_fn)(struct io_tw_req, io_tw_token_t);
#define MU_COMPAT_TW_FN(name) \
	void name(struct io_tw_req mu_req, io_tw_token_t mu_tw)
#define MU_COMPAT_TW_CMD()	io_uring_cmd_from_tw(mu_req)
#define MU_COMPAT_TW_FLAGS()	IO_URING_CMD_TASK_WORK_ISSUE_FLAGS
#define MU_COMPAT_TW_DYING()	(mu_tw.cancel)
#else
typedef void (*mu_tw_fn)(struct io_uring_cmd *, unsigned int);
#define MU_COMPAT_TW_FN(name) \
	void name(struct io_uring_cmd *mu_ioucmd, unsigned int mu_issue_flags)
#define MU_COMPAT_TW_CMD()	(mu_ioucmd)
#define MU_COMPAT_TW_FLAGS()	(mu_issue_flags)
#ifdef MU_HAVE_F_TASK_DEAD
#define MU_COMPAT_TW_DYING()	(!!(mu_issue_flags & IO_URING_F_TASK_DEAD))
#else
/*
 * Before IO_URING_F_TASK_DEAD, task work of an exiting task runs from the
 * io_uring fallback worker: not in the submitter's context.
 */
#define MU_COMPAT_TW_DYING()	(!!(current->flags & (PF_EXITING | PF_KTHREAD)))
#endif
#endif

static inline void mu_compat_complete_in_task(struct io_uring_cmd *ioucmd,
					      mu_tw_fn fn, bool lazy)
{
#ifdef MU_HAVE_DO_IN_TASK_LAZY
	if (lazy) {
		io_uring_cmd_do_in_task_lazy(ioucmd, fn);
		return;
	}
#endif
	io_uring_cmd_complete_in_task(ioucmd, fn);
}

#ifdef MU_HAVE_CMD_CANCELABLE
#define MU_COMPAT_F_CANCEL	IO_URING_F_CANCEL

/*
 * io_uring cancels the commands of a ring that goes away itself: nobody
 * needs to watch the ring.
 */
static inline struct io_ring_ctx *mu_compat_ring(struct io_uring_cmd *ioucmd)
{
	return NULL;
}

static inline bool mu_compat_ring_dying(struct io_ring_ctx *ctx)
{
	return false;
}

static inline void mu_compat_mark_cancelable(struct io_uring_cmd *ioucmd,
					     unsigned int issue_flags)
{
	io_uring_cmd_mark_cancelable(ioucmd, issue_flags);
}
#else
#define MU_COMPAT_F_CANCEL	0

/*
 * Without uring_cmd cancellation nobody tells the driver that a command's
 * ring is going away, so it has to look: a closed ring has its ctx
 * references killed, and its exit work waits for the command.
 */
static inline struct io_ring_ctx *mu_compat_ring(struct io_uring_cmd *ioucmd)
{
	return cmd_to_io_kiocb(ioucmd)->ctx;
}

static inline bool mu_compat_ring_dying(struct io_ring_ctx *ctx)
{
	return percpu_ref_is_dying(&ctx->refs);
}

static inline void mu_compat_mark_cancelable(struct io_uring_cmd *ioucmd,
					     unsigned int issue_flags)
{
}
#endif

/* The task that submitted @ioucmd; the request holds a reference on it. */
static inline struct task_struct *mu_compat_task(struct io_uring_cmd *ioucmd)
{
#ifdef MU_HAVE_CMD_GET_TASK
	return io_uring_cmd_get_task(ioucmd);
#else
	return cmd_to_io_kiocb(ioucmd)->task;
#endif
}

/*
 * @task, a command's submitter, is leaving its io_uring context, and
 * io_uring may not cancel the command for it on any kernel:
 *  - it exits: PF_EXITING, or a group exit (exit_group, a fatal signal)
 *    that shows before the thread gets there. A thread that is not the
 *    last one of its process leaves its commands to run (6.7+ cancels
 *    them only when the ring goes away); a 6.1 exit waits for them;
 *  - it execs, or exits, and io_uring's cancel of the task runs (its
 *    io_uring context counts that run): on 6.1 exec waits for the
 *    commands, io_uring does not cancel them.
 * Racy reads of another task's state: a stale answer costs one more round
 * of the caller's periodic check.
 */
static inline bool mu_compat_task_leaving(struct task_struct *task)
{
	struct io_uring_task *tctx = READ_ONCE(task->io_uring);

	/* data_race: another task's flags, a stale read costs one round */
	if (data_race(READ_ONCE(task->flags)) & PF_EXITING)
		return true;
	if (READ_ONCE(task->signal->flags) & SIGNAL_GROUP_EXIT)
		return true;
#if defined(MU_HAVE_TCTX_IN_CANCEL)
	return tctx && atomic_read(&tctx->in_cancel);
#elif defined(MU_HAVE_TCTX_IN_IDLE)
	return tctx && atomic_read(&tctx->in_idle);
#else
	return false;
#endif
}

/*
 * --- data: mu_cmd_data.h ------------------------------------------------
 *
 * The SQE fields that say where a command's data is (addr, len), and the
 * three ways to make an iov_iter of it: a user buffer, a user iovec array,
 * a registered buffer (IORING_URING_CMD_FIXED + sqe->buf_index).
 */

/*
 * The whole SQE during this issue, or NULL. From 6.4 io_uring keeps a
 * whole copy of the SQE for a command it issues later (from io-wq, after
 * a link, a drain or -EAGAIN), so it is always there. Before (6.1), the
 * driver has cmd->cmd, the command area: inside the SQ ring while the
 * command is issued from io_uring_enter() (or the SQPOLL thread), the
 * SQE around it still the application's; or a copy of the command area
 * alone in the request's async data, the SQE long gone.
 */
static inline const struct io_uring_sqe *
mu_compat_sqe_now(struct io_uring_cmd *ioucmd)
{
#if defined(MU_HAVE_CMD_SQE) || defined(MU_HAVE_SQE_CMD_TYPED)
	return ioucmd->sqe;
#else
	if (cmd_to_io_kiocb(ioucmd)->flags & REQ_F_ASYNC_DATA)
		return NULL;
	return (const struct io_uring_sqe *)((const u8 *)ioucmd->cmd -
					     offsetof(struct io_uring_sqe, cmd));
#endif
}

/* One user buffer; before import_ubuf() (6.4), its body by hand. */
static inline int mu_compat_import_ubuf(int dir, void __user *buf, size_t len,
					struct iov_iter *iter)
{
#ifdef MU_HAVE_IMPORT_UBUF
	return import_ubuf(dir, buf, len, iter);
#else
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (unlikely(!access_ok(buf, len)))
		return -EFAULT;
	iov_iter_ubuf(iter, dir, buf, len);
	return 0;
#endif
}

/*
 * A range of the command's registered buffer. Up to 6.14 io_uring looked
 * the buffer up when it prepared the request (an index out of range fails
 * the request before the driver sees it), and the import only checks the
 * range; from 6.15 the import looks it up, under the ring's lock unless
 * the issue flags say it is not held: hence the flags.
 */
static inline int mu_compat_import_fixed(u64 addr, size_t len, int dir,
					 struct iov_iter *iter,
					 struct io_uring_cmd *ioucmd,
					 unsigned int issue_flags)
{
#ifdef MU_HAVE_CMD_IMPORT_FIXED_TYPED
	return io_uring_cmd_import_fixed(addr, len, dir, iter, ioucmd,
					 issue_flags);
#else
	return io_uring_cmd_import_fixed(addr, len, dir, iter, ioucmd);
#endif
}

/* An iovec array whose entries lie in the registered buffer: 6.15+. */
#ifdef MU_HAVE_CMD_IMPORT_FIXED_VEC
#define MU_COMPAT_FIXED_VEC	1
#else
#define MU_COMPAT_FIXED_VEC	0
#endif

static inline int mu_compat_import_fixed_vec(struct io_uring_cmd *ioucmd,
					     const struct iovec __user *uvec,
					     u32 nr_segs, int dir,
					     struct iov_iter *iter,
					     unsigned int issue_flags)
{
#ifdef MU_HAVE_CMD_IMPORT_FIXED_VEC
	return io_uring_cmd_import_fixed_vec(ioucmd, uvec, nr_segs, dir, iter,
					     issue_flags);
#else
	return -EOPNOTSUPP;
#endif
}

/*
 * Multishot commands (mu_cmd_mshot.h). From 6.18 a command submitted with
 * IORING_URING_CMD_MULTISHOT (and IOSQE_BUFFER_SELECT, which io_uring
 * requires with it) may post any number of CQEs flagged IORING_CQE_F_MORE
 * before its final one: io_uring_cmd_buffer_select() picks a buffer of the
 * group sqe->buf_group names, io_uring_mshot_cmd_post_cqe() posts a CQE
 * whose res is the bytes written there (flags: F_BUFFER, the buffer id,
 * F_MORE) and returns true when it could not (the CQ is full) or the
 * result was no success; then the driver ends the command with
 * io_uring_cmd_done(). Both need the ring's lock: task work or the issue
 * call, never io-wq. Such CQEs carry no second result (their big_cqe is
 * 0 on a CQE32 ring). Before 6.18 the flag does not exist: io_uring
 * refuses it (-EINVAL), and IOSQE_BUFFER_SELECT on a uring_cmd
 * (-EOPNOTSUPP); nothing here is ever called.
 */
#ifdef MU_HAVE_CMD_MSHOT
#define MU_COMPAT_CMD_MULTISHOT	IORING_URING_CMD_MULTISHOT

struct mu_compat_buf {
	struct io_br_sel	sel;
};

/* 0 with a buffer of at most *len bytes (*len updated), or an errno. */
static inline int mu_compat_buf_select(struct io_uring_cmd *ioucmd,
				       u16 group, size_t *len,
				       struct mu_compat_buf *b,
				       unsigned int issue_flags)
{
	b->sel = io_uring_cmd_buffer_select(ioucmd, group, len, issue_flags);
	if (b->sel.val < 0)
		return b->sel.val;
	/* An empty group, or none of that id: no address. */
	return b->sel.addr ? 0 : -ENOBUFS;
}

static inline void __user *mu_compat_buf_addr(const struct mu_compat_buf *b)
{
	return b->sel.addr;
}

/*
 * Posts a CQE with res @res (> 0: bytes in the buffer) and F_MORE; true
 * when posted. With @res <= 0 (a failure) the buffer goes back to its
 * group and nothing is posted: the caller completes the command.
 */
static inline bool mu_compat_mshot_post(struct io_uring_cmd *ioucmd,
					struct mu_compat_buf *b, s32 res,
					unsigned int issue_flags)
{
	b->sel.val = res;
	return !io_uring_mshot_cmd_post_cqe(ioucmd, &b->sel, issue_flags);
}
#else
#define MU_COMPAT_CMD_MULTISHOT	0

struct mu_compat_buf {
	void __user		*addr;
};

static inline int mu_compat_buf_select(struct io_uring_cmd *ioucmd,
				       u16 group, size_t *len,
				       struct mu_compat_buf *b,
				       unsigned int issue_flags)
{
	b->addr = NULL;
	return -EOPNOTSUPP;
}

static inline void __user *mu_compat_buf_addr(const struct mu_compat_buf *b)
{
	return b->addr;
}

static inline bool mu_compat_mshot_post(struct io_uring_cmd *ioucmd,
					struct mu_compat_buf *b, s32 res,
					unsigned int issue_flags)
{
	return false;
}
#endif

/* The provided-buffer group of the command (sqe->buf_group), at issue. */
static inline u16 mu_compat_buf_group(const struct io_uring_cmd *ioucmd)
{
	const struct io_uring_sqe *sqe = mu_compat_sqe(ioucmd);

	return sqe ? READ_ONCE(sqe->buf_group) : 0;
}

#endif /* MU_COMPAT_H */
