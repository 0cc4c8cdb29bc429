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
 * read_iter/write_iter rather than read/write: the iov_iter copies report
 * how far they got and leave the rest of the destination alone, where
 * copy_from_user() would zero the part it could not copy, over data a
 * faulting write never wrote.
 */
ssize_t miscuring_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	size_t want = iov_iter_count(to);
	loff_t pos = iocb->ki_pos;
	ssize_t ret = 0;
	size_t n;

	if (pos < 0)
		return -EINVAL;
	mutex_lock(&mu_buf_lock);
	if (pos < mu_buf_len && want) {
		n = copy_to_iter(mu_buf + pos, min_t(size_t, want, mu_buf_len - pos), to);
		ret = n ? n : -EFAULT;
		iocb->ki_pos = pos + n;
	}
	mutex_unlock(&mu_buf_lock);
	return ret;
}

/* Makes room for @end bytes; called with mu_buf_lock held. */
static int mu_buf_reserve(size_t end)
{
	size_t cap;
	u8 *buf;

	if (end <= mu_buf_cap)
		return 0;
	/* Grow geometrically so that appends cost amortised O(1). */
	cap = min_t(size_t, max(end, 2 * mu_buf_cap), miscuring_max_buffer);
	buf = kvzalloc(cap, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (mu_buf_len)
		memcpy(buf, mu_buf, mu_buf_len);
	kvfree(mu_buf);
	mu_buf = buf;
	mu_buf_cap = cap;
	return 0;
}

/*
 * Like a file with a size limit: a write that would cross max_buffer is
 * shortened to it, and one that starts at or beyond it fails with -EFBIG.
 * A fault part-way is a short write, as for a regular file.
 */
ssize_t miscuring_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	size_t count = iov_iter_count(from);
	loff_t pos = iocb->ki_pos;
	ssize_t ret;
	size_t n;

	if (pos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	if (pos >= miscuring_max_buffer)
		return -EFBIG;
	count = min_t(size_t, count, miscuring_max_buffer - pos);

	mutex_lock(&mu_buf_lock);
	ret = mu_buf_reserve(pos + count);
	if (ret)
		goto out;
	n = copy_from_iter(mu_buf + pos, count, from);
	if (!n) {
		ret = -EFAULT;
		goto out;
	}
	mu_buf_len = max_t(size_t, mu_buf_len, pos + n);
	iocb->ki_pos = pos + n;
	ret = n;
out:
	mutex_unlock(&mu_buf_lock);
	return ret;
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
