// SPDX-License-Identifier: GPL-2.0
/*
 * miscuring: io_uring passthrough commands on a misc character device.
 *
 * This file registers /dev/miscuring and owns the per-open state. The
 * io_uring ops live in miscuring_ops.c and miscuring_long_ops.c, the
 * asynchronous engine in miscuring_timeq.c, the data ops READ and WRITE
 * in miscuring_data.c, the counters in
 * miscuring_stats.c and the classic ioctl/read/write interface in
 * miscuring_classic.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#include "miscuring_dev.h"

static int miscuring_open(struct inode *inode, struct file *file)
{
	struct miscuring_file *mf;

	mf = kzalloc(sizeof(*mf), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;
	atomic64_set(&mf->value, 0);
	miscuring_long_ops_init(mf);
	miscuring_watch_init(mf);
	file->private_data = mf;
	/* Reads and writes honour IOCB_NOWAIT (miscuring_classic.c). */
	file->f_mode |= FMODE_NOWAIT;
	return 0;
}

/*
 * Queued commands hold the file, so none is left here; the queues' works
 * may still be finishing their last round.
 */
static int miscuring_release(struct inode *inode, struct file *file)
{
	struct miscuring_file *mf = miscuring_file(file);

	miscuring_long_ops_release(mf);
	miscuring_watch_release(mf);
	kfree(mf);
	return 0;
}

/* ->uring_cmd is the mu_cmd kit's dispatch over miscuring_cmds. */
MU_URING_CMD_FOPS(miscuring_fops, miscuring_cmds,
	.open		= miscuring_open,
	.release	= miscuring_release,
	.unlocked_ioctl	= miscuring_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.read_iter	= miscuring_read_iter,
	.write_iter	= miscuring_write_iter,
	.llseek		= miscuring_llseek,
);

struct miscdevice miscuring_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= MISCURING_DEVICE_NAME,
	.fops	= &miscuring_fops,
	.groups	= miscuring_groups,
	.mode	= 0660,
};

static int __init miscuring_init(void)
{
	int ret;

	ret = miscuring_classic_init();
	if (ret)
		return ret;
	ret = miscuring_timeq_setup();
	if (ret)
		goto err_classic;
	ret = miscuring_data_setup();
	if (ret)
		goto err_timeq;
	ret = misc_register(&miscuring_misc);
	if (ret)
		goto err_data;
	pr_info("version %s, ABI %d, /dev/%s ready\n", MISCURING_VERSION,
		MISCURING_ABI_VERSION, MISCURING_DEVICE_NAME);
	return 0;

err_data:
	miscuring_data_teardown();
err_timeq:
	miscuring_timeq_teardown();
err_classic:
	miscuring_classic_exit();
	return ret;
}

/*
 * Open files pin the module (fops.owner) and every command in flight pins
 * its file, so by the time this runs nothing can be queued any more.
 */
static void __exit miscuring_exit(void)
{
	misc_deregister(&miscuring_misc);
	miscuring_data_teardown();
	miscuring_timeq_teardown();
	miscuring_classic_exit();
}

module_init(miscuring_init);
module_exit(miscuring_exit);

MODULE_AUTHOR("The miscuring developers");
MODULE_DESCRIPTION("io_uring passthrough commands on a misc device");
MODULE_LICENSE("GPL");
MODULE_VERSION(MISCURING_VERSION);
