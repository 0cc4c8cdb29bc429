// SPDX-License-Identifier: GPL-2.0
/*
 * The classic interface of the upstream rust_misc_device sample, with its
 * ioctl numbers, so that programs written for the sample run unchanged:
 *
 *  - HELLO, GET_VALUE and SET_VALUE ioctls on the open file's value, the
 *    same value the io_uring GET/SET_VALUE ops use;
 *  - read/write/pread/pwrite/lseek on one byte buffer shared by every open
 *    of the device. Writes past the end grow it, up to max_buffer bytes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/uio.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "miscuring_dev.h"

#define MISCURING_MAX_BUFFER_LIMIT	(256U << 20)

unsigned int miscuring_max_buffer = 1U << 20;
module_param_named(max_buffer, miscuring_max_buffer, uint, 0444);
MODULE_PARM_DESC(max_buffer,
		 "Size limit of the shared read/write buffer in bytes (default 1 MiB, at most 256 MiB)");

static DEFINE_MUTEX(mu_buf_lock);
static u8 *mu_buf;		/* zeroed beyond mu_buf_len up to mu_buf_cap */
static size_t mu_buf_len;
static size_t mu_buf_cap;

static long mu_ioctl_get(struct file *file, int __user *arg)
{
	int value = (int)atomic64_read(&miscuring_file(file)->value);

	return put_user(value, arg);
}

static long mu_ioctl_set(struct file *file, int __user *arg)
{
	int value;

	if (!miscuring_may_write(file))
		return -EBADF;
	if (get_user(value, arg))
		return -EFAULT;
	miscuring_set_value(miscuring_file(file), (s64)value);
	return 0;
}

long miscuring_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case MISCURING_IOC_HELLO:
		dev_info_ratelimited(miscuring_misc.this_device,
				     "hello from ioctl (pid %d)\n",
				     task_tgid_vnr(current));
		return 0;
	case MISCURING_IOC_GET_VALUE:
		return mu_ioctl_get(file, (int __user *)arg);
	case MISCURING_IOC_SET_VALUE:
		return mu_ioctl_set(file, (int __user *)arg);
	default:
		return -ENOTTY;
	}
}

/*
 * The buffer's lock is held only to copy between the buffer and a kernel
 * bounce buffer, never across a user copy: a page fault in one user's
 * memory (userfaultfd, a slow swap-in) holds up nobody else. A copy larger
 * than the bounce buffer is made in chunks, each one under the lock on its
 * own, so a read or write of more than MU_BOUNCE_MAX bytes may interleave
 * with other writers' chunks (as pipes do past PIPE_BUF).
 *
 * IOCB_NOWAIT (io_uring's first try, preadv2/pwritev2 with RWF_NOWAIT, and
 * an io_uring read or write on an O_NONBLOCK file) never sleeps on the
 * lock or in reclaim: it gets -EAGAIN where it would have, or a short count
 * once some bytes were copied.
 */
#define MU_BOUNCE_MAX	(64U << 10)

/*
 * Memory for the buffer and the bounce buffers is charged to the caller's
 * memory cgroup. Past its memory.max the read or write fails with -ENOMEM
 * (__GFP_RETRY_MAYFAIL: no OOM kill of the cgroup for a device buffer,
 * nor a warning in the kernel log).
 */
#define MU_GFP_BUF	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

static void *mu_bounce_alloc(size_t want, bool nowait)
{
	size_t size = min_t(size_t, want, MU_BOUNCE_MAX);

	if (nowait)
		return kmalloc(size, GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);
	return kvmalloc(size, MU_GFP_BUF);
}

static bool mu_buf_lock_for(bool nowait)
{
	if (nowait)
		return mutex_trylock(&mu_buf_lock);
	mutex_lock(&mu_buf_lock);
	return true;
}

/*
 * read_iter/write_iter rather than read/write: the iov_iter copies report
 * how far they got and leave the rest of the destination alone, where
 * copy_from_user() would zero the part it could not copy, over data a
 * faulting write never wrote.
 */
/*
 * miscuring_buf_read - copy from the buffer at *@ppos to @to, like pread
 * @ppos: the position, advanced by the bytes copied
 * @to: where the bytes go
 * @nowait: do not sleep (see above)
 *
 * Bytes copied (0 at or past the end), or -errno when none was. Shared by
 * read_iter and the uring_cmd READ op (miscuring_data.c).
 */
ssize_t miscuring_buf_read(loff_t *ppos, struct iov_iter *to, bool nowait)
{
	size_t want = iov_iter_count(to);
	size_t done = 0, n, copied;
	ssize_t ret = 0;
	u8 *bounce;

	if (*ppos < 0)
		return -EINVAL;
	if (!want)
		return 0;
	bounce = mu_bounce_alloc(want, nowait);
	if (!bounce)
		return nowait ? -EAGAIN : -ENOMEM;

	while (done < want) {
		loff_t pos = *ppos;

		if (!mu_buf_lock_for(nowait)) {
			ret = -EAGAIN;
			break;
		}
		n = 0;
		if ((size_t)pos < mu_buf_len) {
			n = min3(want - done, mu_buf_len - (size_t)pos,
				 (size_t)MU_BOUNCE_MAX);
			memcpy(bounce, mu_buf + pos, n);
		}
		mutex_unlock(&mu_buf_lock);
		if (!n)
			break;

		copied = copy_to_iter(bounce, n, to);
		*ppos = pos + copied;
		done += copied;
		if (copied < n) {
			ret = -EFAULT;
			break;
		}
	}
	kvfree(bounce);
	return done ? (ssize_t)done : ret;
}

ssize_t miscuring_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return miscuring_buf_read(&iocb->ki_pos, to,
				  iocb->ki_flags & IOCB_NOWAIT);
}

/* Makes room for @end bytes; called with mu_buf_lock held. */
static int mu_buf_reserve(size_t end, bool nowait)
{
	size_t cap;
	u8 *buf;

	if (end <= mu_buf_cap)
		return 0;
	/* Grow geometrically so that appends cost amortised O(1). */
	cap = min_t(size_t, max(end, 2 * mu_buf_cap), miscuring_max_buffer);
	buf = kvzalloc(cap, nowait ? GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN :
			MU_GFP_BUF);
	if (!buf)
		return nowait ? -EAGAIN : -ENOMEM;
	if (mu_buf_len)
		memcpy(buf, mu_buf, mu_buf_len);
	kvfree(mu_buf);
	mu_buf = buf;
	mu_buf_cap = cap;
	return 0;
}

/*
 * Stores @n bytes of a write at its position, or at the end of the buffer
 * for the first chunk of an O_APPEND write; called with mu_buf_lock held.
 * Bytes stored (shortened at max_buffer), or -errno.
 */
static ssize_t mu_buf_store(loff_t *ppos, const u8 *src, size_t n,
			    bool append, bool nowait)
{
	loff_t pos = *ppos;
	int ret;

	if (append)
		pos = mu_buf_len;
	if (pos >= miscuring_max_buffer)
		return -EFBIG;
	n = min_t(size_t, n, miscuring_max_buffer - pos);
	ret = mu_buf_reserve(pos + n, nowait);
	if (ret)
		return ret;
	memcpy(mu_buf + pos, src, n);
	mu_buf_len = max_t(size_t, mu_buf_len, pos + n);
	*ppos = pos + n;
	return n;
}

/*
 * Like a file with a size limit: a write that would cross max_buffer is
 * shortened to it, and one that starts at or beyond it fails with -EFBIG.
 * A fault part-way is a short write, as for a regular file. O_APPEND
 * writes at the end of the buffer, whatever the file position.
 */
/*
 * miscuring_buf_write - copy @from into the buffer at *@ppos, like pwrite
 * @ppos: the position, advanced past the bytes stored
 * @from: the bytes
 * @append: store at the end of the buffer, whatever *@ppos says
 * @nowait: do not sleep (see above)
 *
 * Bytes stored, or -errno when none was. Shared by write_iter and the
 * uring_cmd WRITE op (miscuring_data.c).
 */
ssize_t miscuring_buf_write(loff_t *ppos, struct iov_iter *from, bool append,
			    bool nowait)
{
	size_t count = iov_iter_count(from);
	size_t done = 0, chunk, n;
	ssize_t ret = 0;
	u8 *bounce;

	if (*ppos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	if (!append && *ppos >= miscuring_max_buffer)
		return -EFBIG;
	bounce = mu_bounce_alloc(count, nowait);
	if (!bounce)
		return nowait ? -EAGAIN : -ENOMEM;

	while (done < count) {
		chunk = min_t(size_t, count - done, MU_BOUNCE_MAX);
		n = copy_from_iter(bounce, chunk, from);
		if (!n) {
			ret = -EFAULT;
			break;
		}
		if (!mu_buf_lock_for(nowait)) {
			ret = -EAGAIN;
			break;
		}
		ret = mu_buf_store(ppos, bounce, n, append && !done, nowait);
		mutex_unlock(&mu_buf_lock);
		if (ret <= 0)
			break;
		done += ret;
		if ((size_t)ret < n || n < chunk)
			break;
	}
	kvfree(bounce);
	return done ? (ssize_t)done : ret;
}

ssize_t miscuring_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return miscuring_buf_write(&iocb->ki_pos, from,
				   iocb->ki_flags & IOCB_APPEND,
				   iocb->ki_flags & IOCB_NOWAIT);
}

loff_t miscuring_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t ret;

	mutex_lock(&mu_buf_lock);
	ret = generic_file_llseek_size(file, offset, whence,
				       miscuring_max_buffer, mu_buf_len);
	mutex_unlock(&mu_buf_lock);
	return ret;
}

int miscuring_classic_init(void)
{
	if (!miscuring_max_buffer ||
	    miscuring_max_buffer > MISCURING_MAX_BUFFER_LIMIT) {
		pr_err("max_buffer must be 1..%u bytes, not %u\n",
		       MISCURING_MAX_BUFFER_LIMIT, miscuring_max_buffer);
		return -EINVAL;
	}
	return 0;
}

void miscuring_classic_exit(void)
{
	kvfree(mu_buf);
	mu_buf = NULL;
	mu_buf_len = 0;
	mu_buf_cap = 0;
}
