/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Helpers of the reliability tests (tests/vm/guest/rel_*.c), on top of
 * guest_test.h: the module's counters in sysfs, big rings, children with a
 * deadline, parameters from the environment.
 *
 * Parameters reach a test program through init's environment: the kernel
 * hands every command-line word of the form NAME=value (no dot in NAME) to
 * init as an environment variable, so `run-suite --append MU_REL_X=5` sets
 * MU_REL_X for every guest program.
 */
#ifndef REL_UTIL_H
#define REL_UTIL_H

#include "guest_test.h"

#include <poll.h>

/* ------------------------------------------------------------------ */
/* Counters                                                            */
/* ------------------------------------------------------------------ */

#define REL_STATS_DIR	"/sys/class/misc/miscuring/stats/"

struct rel_stats {
	uint64_t issued;
	uint64_t completed_inline;
	uint64_t completed_async;
	uint64_t cancelled;
	uint64_t failed;
	uint64_t in_flight;
};

/* One counter file of REL_STATS_DIR: 0 and *v, or -errno. */
static inline int rel_read_counter(const char *name, uint64_t *v)
{
	char path[128], buf[64], *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), REL_STATS_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	buf[n] = 0;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n'))
		return -EINVAL;
	return 0;
}

/*
 * All counters, one file at a time: a consistent picture only while no
 * command is issued or completed, which is when the tests compare them.
 */
static inline int rel_stats_read(struct rel_stats *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	if ((ret = rel_read_counter("issued", &s->issued)) ||
	    (ret = rel_read_counter("completed_inline", &s->completed_inline)) ||
	    (ret = rel_read_counter("completed_async", &s->completed_async)) ||
	    (ret = rel_read_counter("cancelled", &s->cancelled)) ||
	    (ret = rel_read_counter("failed", &s->failed)) ||
	    (ret = rel_read_counter("in_flight", &s->in_flight)))
		return ret;
	return 0;
}

/* For messages: "issued N inline N async N cancelled N failed N in_flight N". */
static inline const char *rel_stats_str(const struct rel_stats *s)
{
	static char buf[4][160];
	static int idx;
	char *b = buf[idx++ & 3];

	snprintf(b, sizeof(buf[0]),
		 "issued %" PRIu64 " inline %" PRIu64 " async %" PRIu64
		 " cancelled %" PRIu64 " failed %" PRIu64 " in_flight %" PRIu64,
		 s->issued, s->completed_inline, s->completed_async,
		 s->cancelled, s->failed, s->in_flight);
	return b;
}

/* after - before, counter by counter (in_flight: the value after). */
static inline struct rel_stats rel_stats_delta(const struct rel_stats *before,
					       const struct rel_stats *after)
{
	return (struct rel_stats){
		.issued = after->issued - before->issued,
		.completed_inline = after->completed_inline - before->completed_inline,
		.completed_async = after->completed_async - before->completed_async,
		.cancelled = after->cancelled - before->cancelled,
		.failed = after->failed - before->failed,
		.in_flight = after->in_flight,
	};
}

/*
 * Poll the counters until in_flight == target, for at most timeout_us.
 * Returns the microseconds it took (>= 0) with the last reading in *last,
 * -ETIME if in_flight was still different then, or -errno.
 *
 * in_flight is the last file read, so the other counters of the reading
 * that sees it at target may predate the last completions: once it is
 * there, everything is read again, and that second reading is returned.
 */
static inline long long rel_wait_in_flight(uint64_t target, uint64_t timeout_us,
					   struct rel_stats *last)
{
	uint64_t t0 = gt_now_us();
	int ret;

	for (;;) {
		ret = rel_stats_read(last);
		if (ret)
			return ret;
		if (last->in_flight == target) {
			uint64_t t = gt_now_us() - t0;

			ret = rel_stats_read(last);
			if (ret)
				return ret;
			if (last->in_flight == target)
				return (long long)t;
		}
		if (gt_now_us() - t0 >= timeout_us)
			return -ETIME;
		gt_sleep_us(2000);
	}
}

/* /sys/module/miscuring/refcnt: open files (and more) pinning the module. */
static inline long long rel_module_refcnt(void)
{
	return gt_read_sysfs_ll("/sys/module/miscuring/refcnt");
}

/*
 * Poll until the module's refcount is target, for at most timeout_us (a
 * ring's teardown, and with it the release of its registered files, runs
 * in a kernel worker after close). Microseconds it took, -ETIME or -errno;
 * the last value read in *last.
 */
static inline long long rel_wait_refcnt(long long target, uint64_t timeout_us,
					long long *last)
{
	uint64_t t0 = gt_now_us();

	for (;;) {
		*last = rel_module_refcnt();
		if (*last < 0)
			return *last;
		if (*last == target)
			return (long long)(gt_now_us() - t0);
		if (gt_now_us() - t0 >= timeout_us)
			return -ETIME;
		gt_sleep_us(2000);
	}
}

/* ------------------------------------------------------------------ */
/* Device and rings                                                    */
/* ------------------------------------------------------------------ */

/* miscuring_info.features of the loaded module, or -errno. */
static inline long long rel_features(void)
{
	struct miscuring_info info = {};
	struct miscuring_probe p = gt_probe_payload(&info, sizeof(info));
	struct io_uring ring;
	struct gt_cqe cqe;
	int fd, ret;

	fd = gt_open_dev(O_RDONLY);
	if (fd < 0)
		return fd;
	ret = gt_ring_init(&ring, 4, GT_RING_PLAIN);
	if (ret) {
		close(fd);
		return ret;
	}
	ret = gt_cmd_sync(&ring, fd, MISCURING_CMD_PROBE, &p, sizeof(p), &cqe);
	gt_ring_exit(&ring);
	close(fd);
	if (ret)
		return ret;
	if (cqe.res != (int)sizeof(info))
		return cqe.res < 0 ? cqe.res : -EPROTO;
	return (long long)le64toh(info.features);
}

/*
 * A ring with sq_entries SQEs and cq_entries CQEs (IORING_SETUP_CQSIZE),
 * of the given kind. 0 or -errno; on failure the ring is left unset for
 * gt_ring_exit().
 */
static inline int rel_ring_init(struct io_uring *ring, unsigned int sq_entries,
				unsigned int cq_entries, enum gt_ring_kind kind)
{
	struct io_uring_params p;
	int ret;

	memset(ring, 0, sizeof(*ring));
	memset(&p, 0, sizeof(p));
	p.flags = gt_ring_flags[kind] | IORING_SETUP_CQSIZE;
	p.cq_entries = cq_entries;
	ret = io_uring_queue_init_params(sq_entries, ring, &p);
	if (ret)
		memset(ring, 0, sizeof(*ring));
	return ret;
}

/* ------------------------------------------------------------------ */
/* Processes                                                           */
/* ------------------------------------------------------------------ */

/* Kill a child that must not outlive a failed case, and reap it. */
static inline void rel_kill_child(pid_t pid)
{
	int status;

	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	(void)gt_wait_child(pid, &status, 20000000);
}

/* Read one byte from fd within timeout_us: the byte, -ETIME or -errno. */
static inline int rel_read_byte(int fd, uint64_t timeout_us)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned char c;
	int ret;

	ret = poll(&pfd, 1, (int)(timeout_us / 1000));
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIME;
	ret = (int)read(fd, &c, 1);
	if (ret < 0)
		return -errno;
	return ret == 1 ? c : -EPIPE;
}

/* ------------------------------------------------------------------ */
/* Parameters                                                          */
/* ------------------------------------------------------------------ */

/* Environment variable name as an unsigned number (0x.. allowed), or def. */
static inline uint64_t rel_env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);
	char *end;
	uint64_t v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "ignoring %s=%s: not a number\n", name, s);
		return def;
	}
	return v;
}

/* Write @v to a sysfs, tracefs or cgroup file (truncating it): 0 or -errno. */
static inline int rel_write_file(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) != (ssize_t)strlen(v))
		ret = -errno;
	close(fd);
	return ret;
}

/* A fresh random-looking value for a seed: time and pid. */
static inline uint64_t rel_random_seed(void)
{
	return gt_now_us() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32;
}

#endif /* REL_UTIL_H */
