// SPDX-License-Identifier: GPL-2.0
/*
 * Command counters, as the STATS op returns them and as
 * /sys/class/misc/miscuring/stats/ shows them. The mu_cmd kit's hooks
 * (miscuring_dev.h) count every command per CPU; this file sums them and
 * subtracts the sums taken at the last reset, so a reset never disturbs
 * the live in-flight count.
 *
 * A reader sums the counters and subtracts the base under the same mutex
 * as a reset takes its snapshot: each per-CPU counter only grows, so a sum
 * taken after the snapshot is never below it, and no reader sees a value
 * torn between two resets (or "negative", near 2^64).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "miscuring_dev.h"

DEFINE_PER_CPU(struct miscuring_counters, miscuring_counters);

static DEFINE_MUTEX(mu_stats_lock);
static struct miscuring_counters mu_stats_base;	/* the sums at reset */

/*
 * Sums the counters over all CPUs. Completions are summed before issues,
 * so that issued - completed never goes below zero.
 */
static void mu_stats_sum(struct miscuring_counters *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct miscuring_counters *s =
			per_cpu_ptr(&miscuring_counters, cpu);

		sum->completed_inline += READ_ONCE(s->completed_inline);
		sum->completed_async += READ_ONCE(s->completed_async);
		sum->cancelled += READ_ONCE(s->cancelled);
		sum->failed += READ_ONCE(s->failed);
	}
	smp_rmb();	/* pairs with the order of issue before completion */
	for_each_possible_cpu(cpu)
		sum->issued += READ_ONCE(per_cpu_ptr(&miscuring_counters, cpu)->issued);
}

static void mu_stats_read(struct miscuring_counters *now, u64 *in_flight)
{
	struct miscuring_counters raw;
	u64 completed;

	mutex_lock(&mu_stats_lock);
	mu_stats_sum(&raw);
	now->issued = raw.issued - mu_stats_base.issued;
	now->completed_inline = raw.completed_inline - mu_stats_base.completed_inline;
	now->completed_async = raw.completed_async - mu_stats_base.completed_async;
	now->cancelled = raw.cancelled - mu_stats_base.cancelled;
	now->failed = raw.failed - mu_stats_base.failed;
	mutex_unlock(&mu_stats_lock);

	completed = raw.completed_inline + raw.completed_async;
	*in_flight = raw.issued > completed ? raw.issued - completed : 0;
}

void miscuring_stats_get(struct miscuring_stats *st)
{
	struct miscuring_counters now;
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
	mutex_lock(&mu_stats_lock);
	mu_stats_sum(&mu_stats_base);
	mutex_unlock(&mu_stats_lock);
}

#define MU_STATS_ATTR(field)						\
static ssize_t field##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct miscuring_counters now;					\
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
	struct miscuring_counters now;
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
