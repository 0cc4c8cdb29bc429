// SPDX-License-Identifier: GPL-2.0
/*
 * Command counters, as the STATS op returns them and as
 * /sys/class/misc/miscuring/stats/ shows them. The mu_cmd layer counts
 * every command; this file only subtracts the snapshot taken at the last
 * reset, so a reset never disturbs the live in-flight count.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "miscuring_dev.h"

static DEFINE_MUTEX(mu_stats_lock);
static struct mu_cmd_stats mu_stats_base;	/* raw counters at reset */

static void mu_stats_read(struct mu_cmd_stats *now, u64 *in_flight)
{
	struct mu_cmd_stats raw;
	u64 completed;

	mu_cmd_stats_read(&raw);
	completed = raw.completed_inline + raw.completed_async;
	*in_flight = raw.issued > completed ? raw.issued - completed : 0;

	mutex_lock(&mu_stats_lock);
	now->issued = raw.issued - mu_stats_base.issued;
	now->completed_inline = raw.completed_inline - mu_stats_base.completed_inline;
	now->completed_async = raw.completed_async - mu_stats_base.completed_async;
	now->cancelled = raw.cancelled - mu_stats_base.cancelled;
	now->failed = raw.failed - mu_stats_base.failed;
	mutex_unlock(&mu_stats_lock);
}

void miscuring_stats_get(struct miscuring_stats *st)
{
	struct mu_cmd_stats now;
	u64 in_flight;

	mu_stats_read(&now, &in_flight);
	memset(st, 0, sizeof(*st));
	st->stats_size = cpu_to_le32(sizeof(*st));
	st->issued = cpu_to_le64(now.issued);
	st->completed_inline = cpu_to_le64(now.completed_inline);
	st->completed_async = cpu_to_le64(now.completed_async);
	st->cancelled = cpu_to_le64(now.cancelled);
	st->failed = cpu_to_le64(now.failed);
	st->in_flight = cpu_to_le64(in_flight);
}

void miscuring_stats_reset(void)
{
	struct mu_cmd_stats raw;

	mu_cmd_stats_read(&raw);
	mutex_lock(&mu_stats_lock);
	mu_stats_base = raw;
	mutex_unlock(&mu_stats_lock);
}

#define MU_STATS_ATTR(field)						\
static ssize_t field##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct mu_cmd_stats now;					\
	u64 in_flight;							\
									\
	mu_stats_read(&now, &in_flight);				\
	return sysfs_emit(buf, "%llu\n", now.field);			\
}									\
static DEVICE_ATTR_RO(field)

MU_STATS_ATTR(issued);
MU_STATS_ATTR(completed_inline);
MU_STATS_ATTR(completed_async);
MU_STATS_ATTR(cancelled);
MU_STATS_ATTR(failed);

static ssize_t in_flight_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct mu_cmd_stats now;
	u64 in_flight;

	mu_stats_read(&now, &in_flight);
	return sysfs_emit(buf, "%llu\n", in_flight);
}
static DEVICE_ATTR_RO(in_flight);

/* Writing 1 resets the counters; the file is root's alone (0200). */
static ssize_t reset_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	bool reset;
	int ret;

	ret = kstrtobool(buf, &reset);
	if (ret)
		return ret;
	if (!reset)
		return -EINVAL;
	miscuring_stats_reset();
	return count;
}
static DEVICE_ATTR_WO(reset);

static struct attribute *mu_stats_attrs[] = {
	&dev_attr_issued.attr,
	&dev_attr_completed_inline.attr,
	&dev_attr_completed_async.attr,
	&dev_attr_cancelled.attr,
	&dev_attr_failed.attr,
	&dev_attr_in_flight.attr,
	&dev_attr_reset.attr,
	NULL,
};

static const struct attribute_group mu_stats_group = {
	.name	= "stats",
	.attrs	= mu_stats_attrs,
};

const struct attribute_group *miscuring_groups[] = {
	&mu_stats_group,
	NULL,
};
