/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the parts of miscuring.ko. */
#ifndef MISCURING_DEV_H
#define MISCURING_DEV_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "uapi/miscuring.h"

/*
 * Every command the driver sees, counted per CPU at issue and at
 * completion by the mu_cmd kit's hooks (miscuring_stats.c reads them).
 */
struct miscuring_counters {
	u64	issued;
	u64	completed_inline;
	u64	completed_async;
	u64	cancelled;
	u64	failed;
};

DECLARE_PER_CPU(struct miscuring_counters, miscuring_counters);

static inline void miscuring_count_done(s32 ret, bool inline_done)
{
	if (inline_done)
		this_cpu_inc(miscuring_counters.completed_inline);
	else
		this_cpu_inc(miscuring_counters.completed_async);
	if (unlikely(ret < 0)) {
		this_cpu_inc(miscuring_counters.failed);
		if (ret == -ECANCELED)
			this_cpu_inc(miscuring_counters.cancelled);
	}
}

#define MU_CMD_HOOK_ISSUE()	this_cpu_inc(miscuring_counters.issued)
#define MU_CMD_HOOK_DONE(ret, inline_done) \
	miscuring_count_done(ret, inline_done)
#include "uring_cmd/mu_cmd.h"

/* PDU of a command waiting in a mu_timeq (exactly the 32 bytes there are). */
struct mu_timed {
	struct list_head	node;
	u64			deadline_ns;	/* 0 once taken off the queue */
	union {
		u64		arg;		/* the op's, while queued */
		s32		result;		/* once taken off */
	};
};

struct mu_timeq;

struct mu_timeq_ops {
	/* The result of a command whose deadline passed. */
	s32 (*timeout_result)(const struct mu_timed *t);
	/* Optional: whether a command may complete (with 0) before then. */
	bool (*ready)(struct mu_timeq *q, const struct mu_timed *t);
	/* Task work that completes a command taken off the queue. */
	mu_tw_fn complete;	/* a MU_TASK_WORK() */
};

/* Long-running commands of one kind on one open file, by deadline. */
struct mu_timeq {
	spinlock_t		lock;		/* guards pending and its PDUs */
	struct list_head	pending;	/* earliest deadline first */
	struct hrtimer		timer;		/* at the earliest deadline */
	struct delayed_work	owner_work;	/* the owner check, while queued */
	const struct mu_timeq_ops *ops;
	atomic_t		*file_pending;	/* of every queue of the file */
	bool			same_arg;	/* all pending share one arg */
	/* The owners of pending commands (struct mu_timeq_owner), by owner */
	DECLARE_HASHTABLE(owners, 4);
};

/* WATCH streams of one open file (miscuring_watch.c). */
struct miscuring_watches {
	spinlock_t		lock;		/* guards list and its watchers */
	struct list_head	list;		/* WATCHes in flight */
	atomic64_t		seq;		/* stores of the value so far */
	struct mu_watch		owner;		/* exits io_uring does not tell */
};

/* State of one open file of /dev/miscuring. */
struct miscuring_file {
	atomic64_t	value;		/* uring GET/SET_VALUE and the ioctls */
	struct mu_timeq	delays;		/* DELAY commands */
	struct mu_timeq	waits;		/* WAIT commands, woken by a new value */
	atomic_t	pending;	/* queued in delays and waits */
	struct miscuring_watches watches; /* WATCH commands */
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
extern const struct mu_cmd_table miscuring_cmds;

/* miscuring_timeq.c: deadline queues of long-running commands. */
int miscuring_timeq_setup(void);
void miscuring_timeq_teardown(void);
void mu_timeq_init(struct mu_timeq *q, const struct mu_timeq_ops *ops,
		   atomic_t *file_pending);
void mu_timeq_destroy(struct mu_timeq *q);
int mu_timeq_add(struct mu_timeq *q, struct mu_cmd *cmd, u32 timeout_usec,
		 u64 arg);
void mu_timeq_wake(struct mu_timeq *q);
void mu_timeq_cancel(struct mu_timeq *q, struct mu_cancel *c);
bool miscuring_pending_reserve(atomic_t *file_pending);
void miscuring_pending_unreserve(atomic_t *file_pending);

/* miscuring_long_ops.c: DELAY and WAIT, the long-running ops. */
void miscuring_long_ops_init(struct miscuring_file *mf);
void miscuring_long_ops_release(struct miscuring_file *mf);
int miscuring_op_delay(struct mu_cmd *cmd, const struct mu_payload *p);
void miscuring_cancel_delay(struct mu_cancel *c);
int miscuring_op_wait(struct mu_cmd *cmd, const struct mu_payload *p);
void miscuring_cancel_wait(struct mu_cancel *c);
void miscuring_set_value(struct miscuring_file *mf, u64 value);

/* miscuring_watch.c: WATCH and WATCH_STOP, multishot (6.18+). */
bool miscuring_watch_supported(void);
void miscuring_watch_init(struct miscuring_file *mf);
void miscuring_watch_release(struct miscuring_file *mf);
void miscuring_watch_store(struct miscuring_file *mf, u64 value);
void miscuring_watch_notify(struct miscuring_file *mf);
int miscuring_op_watch(struct mu_cmd *cmd, const struct mu_payload *p);
void miscuring_cancel_watch(struct mu_cancel *c);
int miscuring_op_watch_stop(struct mu_cmd *cmd, const struct mu_payload *p);

/* miscuring_stats.c: command counters, in sysfs and through STATS. */
extern const struct attribute_group *miscuring_groups[];
void miscuring_stats_get(struct miscuring_stats *st);
void miscuring_stats_reset(void);

/* miscuring_data.c: READ and WRITE, the data ops. */
int miscuring_data_setup(void);
void miscuring_data_teardown(void);
int miscuring_op_read(struct mu_cmd *cmd, const struct mu_payload *p);
int miscuring_op_write(struct mu_cmd *cmd, const struct mu_payload *p);

/* miscuring_classic.c: the rust_misc_device sample's interface. */
extern unsigned int miscuring_max_buffer;
int miscuring_classic_init(void);
void miscuring_classic_exit(void);
long miscuring_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
ssize_t miscuring_buf_read(loff_t *ppos, struct iov_iter *to, bool nowait);
ssize_t miscuring_buf_write(loff_t *ppos, struct iov_iter *from, bool append,
			    bool nowait);
ssize_t miscuring_read_iter(struct kiocb *iocb, struct iov_iter *to);
ssize_t miscuring_write_iter(struct kiocb *iocb, struct iov_iter *from);
loff_t miscuring_llseek(struct file *file, loff_t offset, int whence);

#endif /* MISCURING_DEV_H */
