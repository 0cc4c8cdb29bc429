/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the parts of miscuring.ko. */
#ifndef MISCURING_H
#define MISCURING_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>

#include "uapi/miscuring.h"

struct io_uring_cmd;
struct mu_cmd;

/* State of one open file of /dev/miscuring. */
struct miscuring_file {
	atomic64_t	value;		/* uring GET/SET_VALUE and the ioctls */
};

static inline struct miscuring_file *miscuring_file(struct file *file)
{
	return file->private_data;
}

static inline bool miscuring_may_write(struct file *file)
{
	return file->f_mode & FMODE_WRITE;
}

extern struct miscdevice miscuring_misc;

/* miscuring_ops.c: the io_uring command ops. */
int miscuring_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
u64 miscuring_features(void);

/* miscuring_delay.c: the asynchronous DELAY engine. */
int miscuring_delay_init(void);
void miscuring_delay_exit(void);
int miscuring_delay_queue(struct mu_cmd *cmd, u32 usec, s32 result);

/* miscuring_classic.c: the rust_misc_device sample's interface. */
extern unsigned int miscuring_max_buffer;
int miscuring_classic_init(void);
void miscuring_classic_exit(void);
long miscuring_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
ssize_t miscuring_read(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos);
ssize_t miscuring_write(struct file *file, const char __user *buf,
			size_t count, loff_t *ppos);
loff_t miscuring_llseek(struct file *file, loff_t offset, int whence);

#endif /* MISCURING_H */
