/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mu_cmd_data.h - a command's data as an iov_iter (part of the mu_cmd kit).
 * Included by mu_cmd.h; a driver includes mu_cmd.h only.
 */
#ifndef MU_CMD_DATA_H
#define MU_CMD_DATA_H

#ifndef MU_CMD_H
#error "include mu_cmd.h, not mu_cmd_data.h"
#endif

#include <linux/slab.h>
#include <linux/uio.h>

/**
 * DOC: Data
 *
 * An op that moves data between the device and the submitter's memory
 * (a read or write op) declares %MU_SQE_ADDR and %MU_SQE_LEN in its
 * &mu_cmd_op.sqe_fields, and %IORING_URING_CMD_FIXED in its
 * &mu_cmd_op.uring_cmd_flags if it takes registered buffers, and calls
 * mu_cmd_import_data() once at issue time. That gives it a &struct
 * mu_data whose @iter covers the command's data, whichever of the forms
 * the submitter chose:
 *
 * - a user buffer: sqe->addr, sqe->len;
 * - a user iovec array: sqe->addr points to @nr_vecs iovecs (at most
 *   %UIO_MAXIOV; sqe->len must be 0), the op takes the count from its
 *   payload;
 * - a registered buffer (%IORING_URING_CMD_FIXED, sqe->buf_index):
 *   sqe->addr and sqe->len a range inside it;
 * - a registered buffer, vectored: an iovec array at sqe->addr whose
 *   entries lie inside the registered buffer, where the kernel has it
 *   (mu_cmd_data_fixed_vec_supported(), 6.15+; -EOPNOTSUPP elsewhere;
 *   io_uring refuses an empty iovec in it with -EFAULT).
 *
 * The op copies with copy_to_iter() (a read: @dir %ITER_DEST) or
 * copy_from_iter() (a write: %ITER_SOURCE), which report how far they got
 * (a fault in user memory is a short copy), and calls mu_data_release()
 * when done with the &struct mu_data.
 *
 * Where the data may be copied, and when:
 *
 * - User memory (the first two forms) is the submitter's: copy it during
 *   the issue call, or in a MU_TASK_WORK() callback that is not
 *   mu_tw_dying() (to import there is too late: the SQE is gone; import at
 *   issue, keep the &struct mu_data in a driver object, copy in the
 *   callback). Never from a workqueue, timer or interrupt: no user mm
 *   there. mu_data_registered() is false.
 * - A registered buffer is pinned pages (a bvec iterator): any context may
 *   copy it, a worker or an interrupt handler included, with no user mm.
 *   mu_data_registered() is true. io_uring keeps the buffer for the
 *   request: up to 6.14 the request holds the resource node of the
 *   buffer table it was prepared with, from 6.15 the buffer's own node
 *   (the import takes the reference); either way the pages stay pinned,
 *   even if the application unregisters or replaces the buffer meanwhile,
 *   until the command completes (mu_tw_done(), mu_cancel_done()). So a
 *   driver queues the command (mu_cmd_queue()) and completes it only
 *   after its last copy, and never uses the iterator after the
 *   completion; it takes no reference of its own, and must not import at
 *   any other time than the issue call (the import needs the issue flags
 *   for the ring's lock from 6.15).
 *
 * The &struct mu_data must not be copied once imported: its iterator may
 * point into it (a short iovec array). Import it where it will live: on
 * the stack for an inline op, in the driver's per-command object for a
 * queued one.
 *
 * Before 6.4 the driver sees only the command area, and the SQE fields
 * outside it (addr, len) only while the command is issued from the
 * submission itself; a command issued later from io_uring's worker
 * (%IOSQE_ASYNC, a link, a drain) has lost them, and mu_cmd_import_data()
 * fails with -EOPNOTSUPP there.
 */

/**
 * struct mu_data - a command's data, imported
 * @iter: the data; copy_to_iter()/copy_from_iter() move it
 * @iov: an iovec array the import allocated (the kit's business)
 * @fast: the iovec array of short vectors (the kit's business)
 * @registered: the data is in a registered buffer (pinned pages)
 */
struct mu_data {
	struct iov_iter		iter;
	struct iovec		*iov;
	struct iovec		fast[UIO_FASTIOV];
	bool			registered;
};

/**
 * mu_cmd_data_fixed_vec_supported - vectored registered buffers import
 *
 * True where the kernel has io_uring_cmd_import_fixed_vec() (6.15+).
 */
static inline bool mu_cmd_data_fixed_vec_supported(void)
{
	return MU_COMPAT_FIXED_VEC != 0;
}

/**
 * mu_cmd_import_data - make an iov_iter of the command's data
 * @cmd: the command, at issue time
 * @dir: %ITER_DEST when the op writes into the data (a read op),
 *	%ITER_SOURCE when it reads from it (a write op)
 * @vectored: sqe->addr is an iovec array (see "Data")
 * @nr_vecs: with @vectored, how many iovecs; ignored otherwise
 * @d: where the data's iterator goes (see "Data" on where it lives)
 *
 * Returns 0 with @d ready, to be released with mu_data_release(); or an
 * errno, with nothing to release:
 *
 * - -EFAULT: a buffer, the iovec array or a registered range outside
 *   what the submitter may access (a registered range outside its
 *   buffer; from 6.15 also a buffer index out of range, which earlier
 *   kernels refuse before the driver sees the command);
 * - -EINVAL: @vectored with sqe->len not 0, more than %UIO_MAXIOV
 *   iovecs, or an iovec longer than SSIZE_MAX;
 * - -EOPNOTSUPP: vectored registered buffers where the kernel lacks them,
 *   or (before 6.4) the SQE is gone (see "Data");
 * - -ENOMEM.
 *
 * User data longer than MAX_RW_COUNT (just under 2 GiB) in all is cut to
 * it, as read(2) and readv(2) cut it.
 */
static inline int mu_cmd_import_data(struct mu_cmd *cmd, int dir,
				     bool vectored, u32 nr_vecs,
				     struct mu_data *d)
{
	struct io_uring_cmd *ioucmd = cmd->ioucmd;
	const struct io_uring_sqe *sqe = mu_compat_sqe_now(ioucmd);
	bool fixed = mu_cmd_uring_cmd_flags(cmd) & IORING_URING_CMD_FIXED;
	const struct iovec __user *uvec;
	ssize_t ret;
	u64 addr;
	u32 len;

	d->iov = NULL;
	d->registered = fixed;
	if (!sqe)
		return -EOPNOTSUPP;
	addr = READ_ONCE(sqe->addr);
	len = READ_ONCE(sqe->len);
	if (!vectored) {
		if (fixed)
			return mu_compat_import_fixed(addr, len, dir, &d->iter,
						      ioucmd, cmd->issue_flags);
		return mu_compat_import_ubuf(dir, u64_to_user_ptr(addr), len,
					     &d->iter);
	}

	uvec = u64_to_user_ptr(addr);
	if (len || nr_vecs > UIO_MAXIOV)
		return -EINVAL;
	if (fixed)
		return mu_compat_import_fixed_vec(ioucmd, uvec, nr_vecs, dir,
						  &d->iter, cmd->issue_flags);
	d->iov = d->fast;
	ret = import_iovec(dir, uvec, nr_vecs, ARRAY_SIZE(d->fast), &d->iov,
			   &d->iter);
	return ret < 0 ? ret : 0;
}

/**
 * mu_data_registered - the data is in a registered buffer
 * @d: the imported data
 *
 * Then any context may copy it (see "Data"); otherwise only the issue
 * call or the submitter's task work.
 */
static inline bool mu_data_registered(const struct mu_data *d)
{
	return d->registered;
}

/**
 * mu_data_release - free what the import allocated
 * @d: the imported data
 *
 * Any context. The iterator is unusable afterwards.
 */
static inline void mu_data_release(struct mu_data *d)
{
	kfree(d->iov);
	d->iov = NULL;
}

#endif /* MU_CMD_DATA_H */
