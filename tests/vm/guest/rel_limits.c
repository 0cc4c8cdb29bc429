// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Limits on queued DELAY and WAIT commands, and what queued WAITs cost a
 * SET_VALUE:
 *
 *   per_file_limit   max_pending_per_file lowered to 100 (sysfs): 100 long
 *                    commands queue on one file, the next fails -EBUSY,
 *                    another file still queues; DELAY 0 is never counted
 *   global_limit     max_pending lowered to 150: 100 + 50 on two files
 *                    queue, a third file's next one fails -EBUSY
 *   waiters_N        N = 0, 1,000, 100,000 WAITs queued on one file; the
 *                    latency of a SET_VALUE that keeps the value (wakes
 *                    nobody) on that file and of one on another file (the
 *                    figures for docs/PERFORMANCE.md, on stderr, never
 *                    checked against a time), then a SET_VALUE that
 *                    changes it wakes every one of them with res 0.
 *                    With MU_REL_TIME_OWNER_CHECK=1 (run-suite --append),
 *                    also what one round of the module's owner check
 *                    (every 100 ms while a queue holds anything) costs
 *                    with them queued, timed by the kernel's function_graph
 *                    tracer where it has one (stderr only, as above). Not
 *                    by default: switching the tracer on and off patches a
 *                    running function's entry, and on the 6.12 PREEMPT_RT
 *                    kernel under TCG that once ended in an int3 Oops at
 *                    mu_timeq_owner_fn+0x5 (the patch site)
 *
 * Both limits are restored to what they were after each case.
 */
#include "rel_util.h"

#include <sys/mount.h>

#define PARAM_DIR	"/sys/module/miscuring/parameters/"
#define LONG_US		8000000u

static int write_param(const char *name, long long v)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%lld\n", v) > 0 ? 0 : -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static long long read_param(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	return gt_read_sysfs_ll(path);
}

/* Queue n long DELAYs on fd; how many the kernel took (submit count). */
static int queue_delays(struct io_uring *ring, int fd, int n)
{
	int done = 0;

	while (done < n) {
		int batch = 0, ret;

		while (done + batch < n &&
		       gt_prep_delay(ring, fd, LONG_US, 0, 0xd0000000ull + done + batch))
			batch++;
		ret = io_uring_submit(ring);
		if (ret < 0)
			return ret;
		done += ret;
		if (ret < batch)
			break;
	}
	return done;
}

/* One command, expecting an inline completion res. */
static int one_delay(struct io_uring *ring, int fd, uint32_t usec)
{
	struct miscuring_delay d = gt_delay_payload(usec, 5);
	struct gt_cqe cqe;
	int ret = gt_cmd_sync(ring, fd, MISCURING_CMD_DELAY, &d, sizeof(d), &cqe);

	return ret ? ret : cqe.res;
}

static void test_per_file_limit(void)
{
	struct io_uring r1 = {}, r2 = {};
	long long old = read_param("max_pending_per_file");
	int fd1 = -1, fd2 = -1, ret;

	gt_begin("per_file_limit");
	CHECK(old > 0, "max_pending_per_file unreadable: %lld", old);
	CHECK(rel_ring_init(&r1, 128, 256, GT_RING_PLAIN) == 0, "ring");
	CHECK(rel_ring_init(&r2, 8, 16, GT_RING_PLAIN) == 0, "ring");
	fd1 = gt_open_dev(O_RDWR);
	fd2 = gt_open_dev(O_RDWR);
	CHECK(fd1 >= 0 && fd2 >= 0, "open");
	ret = write_param("max_pending_per_file", 100);
	CHECK(ret == 0, "setting max_pending_per_file: %s", gt_errname(ret));
	CHECK_SYS(queue_delays(&r1, fd1, 100), 100);
	/* the 101st: refused at once; DELAY 0 is not queued, not counted */
	CHECK_RES(one_delay(&r1, fd1, LONG_US), -EBUSY);
	CHECK_RES(one_delay(&r1, fd1, 0), 5);
	/* the limit is per file */
	CHECK_RES(one_delay(&r2, fd2, 1000), 5);
out:
	if (old > 0)
		write_param("max_pending_per_file", old);
	gt_ring_dev_exit(&r1, fd1);
	gt_ring_dev_exit(&r2, fd2);
	gt_end();
}

static void test_global_limit(void)
{
	struct io_uring r1 = {}, r2 = {}, r3 = {};
	long long old = read_param("max_pending"), t;
	struct rel_stats st;
	int fd1 = -1, fd2 = -1, fd3 = -1;

	gt_begin("global_limit");
	CHECK(old > 0, "max_pending unreadable: %lld", old);
	/* the last case's commands may take an owner check to end (6.1) */
	t = rel_wait_in_flight(0, 3000000, &st);
	CHECK(t >= 0, "%" PRIu64 " commands still in flight before the case",
	      st.in_flight);
	CHECK(rel_ring_init(&r1, 128, 256, GT_RING_PLAIN) == 0, "ring");
	CHECK(rel_ring_init(&r2, 64, 128, GT_RING_PLAIN) == 0, "ring");
	CHECK(rel_ring_init(&r3, 8, 16, GT_RING_PLAIN) == 0, "ring");
	fd1 = gt_open_dev(O_RDWR);
	fd2 = gt_open_dev(O_RDWR);
	fd3 = gt_open_dev(O_RDWR);
	CHECK(fd1 >= 0 && fd2 >= 0 && fd3 >= 0, "open");
	CHECK(write_param("max_pending", 150) == 0, "setting max_pending");
	CHECK_SYS(queue_delays(&r1, fd1, 100), 100);
	CHECK_SYS(queue_delays(&r2, fd2, 50), 50);
	CHECK_RES(one_delay(&r3, fd3, LONG_US), -EBUSY);
	/* raised again: room for more */
	CHECK(write_param("max_pending", old) == 0, "restoring max_pending");
	CHECK_RES(one_delay(&r3, fd3, 1000), 5);
out:
	if (old > 0)
		write_param("max_pending", old);
	gt_ring_dev_exit(&r1, fd1);
	gt_ring_dev_exit(&r2, fd2);
	gt_ring_dev_exit(&r3, fd3);
	gt_end();
}

/* ------------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

#define NSETS	400

/* Median µs of NSETS SET_VALUE(value) on fd, one at a time; or -errno. */
static long long set_latency(struct io_uring *ring, int fd, uint64_t value)
{
	static uint64_t s[NSETS];

	for (int i = 0; i < NSETS; i++) {
		uint64_t t0 = gt_now_us();
		int ret = gt_set_value(ring, fd, value);

		if (ret)
			return ret;
		s[i] = gt_now_us() - t0;
	}
	qsort(s, NSETS, sizeof(s[0]), cmp_u64);
	return (long long)s[NSETS / 2];
}

#define TRACEFS		"/sys/kernel/tracing/"
#define OWNER_FN	"mu_timeq_owner_fn"

/* The duration in a function_graph line ("1) ! 123.456 us |  fn();"), or -1. */
static double trace_duration(const char *line)
{
	const char *us = strstr(line, " us ");
	const char *p;

	if (!us || !strstr(us, OWNER_FN))
		return -1;
	for (p = us; p > line && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9'));)
		p--;
	return p < us ? strtod(p, NULL) : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * What the owner check costs with n WAITs queued: its rounds in window_us,
 * each timed by the function_graph tracer. A figure on stderr, not a
 * result: nothing here can fail the test (a kernel without the tracer,
 * like the debug kernels, says so).
 */
static void owner_check_cost(int n, uint64_t window_us)
{
	double d[64];
	char line[512];
	int ret, nd = 0;
	FILE *f;

	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY) {
		fprintf(stderr, "waiters_%d: owner check not timed: tracefs: %s\n",
			n, strerror(errno));
		return;
	}
	ret = rel_write_file(TRACEFS "set_ftrace_filter", OWNER_FN);
	if (!ret)
		ret = rel_write_file(TRACEFS "current_tracer", "function_graph");
	if (!ret)
		ret = rel_write_file(TRACEFS "trace", "");
	if (ret) {
		fprintf(stderr, "waiters_%d: owner check not timed: no function_graph tracer for " OWNER_FN ": %s\n",
			n, gt_errname(ret));
		goto out;
	}
	rel_write_file(TRACEFS "tracing_on", "1");
	usleep(window_us);
	/* Stop it, but keep the tracer: changing tracers empties the buffer. */
	rel_write_file(TRACEFS "tracing_on", "0");
	f = fopen(TRACEFS "trace", "r");
	while (f && fgets(line, sizeof(line), f) && nd < 64) {
		double v = trace_duration(line);

		if (v >= 0)
			d[nd++] = v;
	}
	if (f)
		fclose(f);
	if (!nd) {
		fprintf(stderr, "waiters_%d: owner check: no round in %" PRIu64
			" ms (it runs while a queue holds anything)\n",
			n, window_us / 1000);
		goto out;
	}
	qsort(d, nd, sizeof(d[0]), cmp_double);
	fprintf(stderr, "waiters_%d: owner check: %d rounds in %" PRIu64
		" ms, median %.1f us, max %.1f us\n", n, nd, window_us / 1000,
		d[nd / 2], d[nd - 1]);
out:
	rel_write_file(TRACEFS "current_tracer", "nop");
	rel_write_file(TRACEFS "set_ftrace_filter", "");
	rel_write_file(TRACEFS "tracing_on", "1");
}

static void test_waiters(int n)
{
	struct miscuring_wait w = {
		.value = htole64(0),
		.timeout_usec = htole32(10000000),
	};
	struct io_uring wring = {}, sring = {};
	int wfd = -1, ofd = -1, queued = 0, got = 0, ret;
	long long same, other;
	uint64_t t0, t_wake, t_queue, t_timed;

	gt_begin("waiters_%d", n);
	ret = rel_ring_init(&wring, 4096, 65536, GT_RING_PLAIN);
	CHECK(ret == 0, "ring: %s", gt_errname(ret));
	CHECK(gt_ring_init(&sring, 8, GT_RING_PLAIN) == 0, "ring");
	wfd = gt_open_dev(O_RDWR);
	ofd = gt_open_dev(O_RDWR);
	CHECK(wfd >= 0 && ofd >= 0, "open");
	t_queue = gt_now_us();
	while (queued < n) {
		int batch = 0;

		while (queued + batch < n &&
		       gt_prep_cmd(&wring, wfd, MISCURING_CMD_WAIT, &w, sizeof(w),
				   (uint64_t)(queued + batch)))
			batch++;
		ret = io_uring_submit(&wring);
		CHECK(ret == batch, "submit %d at %d: %s", batch, queued,
		      gt_errname(ret));
		queued += batch;
	}
	same = set_latency(&sring, wfd, 0);
	other = set_latency(&sring, ofd, 1);
	CHECK(same >= 0 && other >= 0, "SET_VALUE: %s %s", gt_errname(same),
	      gt_errname(other));
	fprintf(stderr, "waiters_%d: SET_VALUE median %lld us on the waiters' "
		"file (value kept), %lld us on another file\n", n, same, other);
	t0 = gt_now_us();
	if (rel_env_u64("MU_REL_TIME_OWNER_CHECK", 0))
		owner_check_cost(n, 550000);
	t_timed = gt_now_us() - t0;
	/*
	 * The WAITs time out after 10 s, the most the op allows, and waking
	 * them all costs about what queueing them did: on a kernel this slow
	 * (a KASAN build queues 100,000 in seconds) the rest of the test would
	 * race their timeouts.
	 */
	if (gt_now_us() - t_queue - t_timed > 4000000) {
		gt_skip("queueing %d WAITs and %d SET_VALUEs took %" PRIu64
			" ms here: waking them would race the WAITs' 10 s timeout",
			n, 2 * NSETS, (gt_now_us() - t_queue - t_timed) / 1000);
		goto out;
	}
	/* nobody woke */
	ret = gt_reap(&wring, &(struct gt_cqe){}, 0);
	CHECK(ret == -ETIME, "a WAIT completed though the value never changed");
	t0 = gt_now_us();
	ret = gt_set_value(&sring, wfd, 42);
	t_wake = gt_now_us() - t0;
	CHECK(ret == 0, "SET_VALUE 42: %s", gt_errname(ret));
	while (got < n) {
		struct gt_cqe cqe;

		ret = gt_reap(&wring, &cqe, 5000000);
		CHECK(ret == 0, "%d of %d WAITs woke: %s", got, n, gt_errname(ret));
		CHECK(cqe.res == 0, "WAIT %" PRIu64 ": %s", cqe.user_data,
		      gt_errname(cqe.res));
		got++;
	}
	fprintf(stderr, "waiters_%d: the SET_VALUE that woke them took %" PRIu64
		" us, all %d reaped after %" PRIu64 " us\n", n, t_wake, n,
		gt_now_us() - t0);
out:
	gt_ring_dev_exit(&wring, wfd);
	gt_ring_dev_exit(&sring, ofd);
	gt_end();
}

int main(void)
{
	gt_init("rel_limits", 110);
	test_per_file_limit();
	test_global_limit();
	test_waiters(0);
	test_waiters(1000);
	test_waiters(100000);
	return gt_exit_status();
}
