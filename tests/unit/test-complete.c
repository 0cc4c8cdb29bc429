/* SPDX-License-Identifier: MIT */
/*
 * Submission and completion against the real kernel. uring_cmd on
 * /dev/zero, which has no uring_cmd handler, completes at once with
 * -EOPNOTSUPP; a read from an empty pipe
 * (queued through the ring's liburing handle) stands in for a command that
 * stays in flight, for timeouts and cancellation.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

T_DEFINE_COUNTERS;

static int zero_fd;
static int pipe_fds[2];
static char pipe_buf[16];

static struct miscuring_ring *ring_new(unsigned flags)
{
	struct miscuring_ring *ring = NULL;

	REQUIRE(miscuring_open_fd(zero_fd, 32, flags, &ring) == 0);
	return ring;
}

/* Queue a read that cannot complete until the pipe is written. */
static void prep_stuck_read(struct miscuring_ring *ring, uint64_t user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring->uring);

	REQUIRE(sqe);
	io_uring_prep_read(sqe, pipe_fds[0], pipe_buf, sizeof(pipe_buf), 0);
	sqe->user_data = user_data;
}

static long long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000LL +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_submit_wait(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(flags);
	struct miscuring_cqe cqe;
	uint64_t seen = 0;
	int i;

	for (i = 0; i < 8; i++)
		CHECK_EQ(miscuring_prep_nop(ring, 100 + i), 0);
	CHECK_EQ(miscuring_submit(ring), 8);
	CHECK_EQ(miscuring_inflight(ring), 8);
	for (i = 0; i < 8; i++) {
		CHECK_EQ(miscuring_wait(ring, &cqe), 0);
		CHECK_EQ(cqe.res, -EOPNOTSUPP);
		CHECK_EQ(cqe.res2, 0);
		CHECK(cqe.user_data >= 100 && cqe.user_data < 108);
		seen |= 1ULL << (cqe.user_data - 100);
	}
	CHECK(seen == 0xff);
	CHECK_EQ(miscuring_inflight(ring), 0);
	CHECK_EQ(miscuring_peek(ring, &cqe), -EAGAIN);
	/* Waiting for more than can ever come would block forever. */
	CHECK_EQ(miscuring_wait(ring, &cqe), -EINVAL);
	CHECK_EQ(miscuring_wait(ring, NULL), -EINVAL);
	CHECK_EQ(miscuring_peek(ring, NULL), -EINVAL);

	/* submit_and_wait: one enter sends and waits. */
	for (i = 0; i < 4; i++)
		CHECK_EQ(miscuring_prep_hello(ring, i), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 4), 4);
	CHECK_EQ(miscuring_cq_ready(ring), 4);
	for (i = 0; i < 4; i++)
		CHECK_EQ(miscuring_peek(ring, &cqe), 0);
	CHECK_EQ(miscuring_peek(ring, &cqe), -EAGAIN);
	CHECK_EQ(miscuring_submit(ring), 0);
	miscuring_close(ring);
}

/* Peek and wait send what was prepared first. */
static void test_wait_flushes(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct miscuring_cqe cqe;

	CHECK_EQ(miscuring_prep_nop(ring, 7), 0);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.user_data == 7);
	CHECK_EQ(miscuring_prep_nop(ring, 8), 0);
	CHECK_EQ(miscuring_peek(ring, &cqe), 0);
	CHECK(cqe.user_data == 8);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

static void test_batch(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct miscuring_cqe cqes[16];
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 10; i++)
		CHECK_EQ(miscuring_prep_nop(ring, i), 0);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 4, 4, NULL), 4);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 16, 1, NULL), 6);
	for (i = 0; i < 6; i++)
		CHECK_EQ(cqes[i].res, -EOPNOTSUPP);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 16, 0, NULL), 0);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 16, 1, &ts), -ETIME);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 4, 5, NULL), -EINVAL);
	CHECK_EQ(miscuring_wait_batch(ring, NULL, 4, 1, NULL), -EINVAL);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 0, 0, NULL), -EINVAL);
	miscuring_close(ring);
}

struct reap_state {
	unsigned	n;
	unsigned	stop_at;
	uint64_t	sum;
};

static int count_cqe(const struct miscuring_cqe *cqe, void *arg)
{
	struct reap_state *st = arg;

	st->sum += cqe->user_data;
	return ++st->n == st->stop_at;
}

static void test_reap(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct reap_state st = { 0, 3, 0 };
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 1; i <= 5; i++)
		CHECK_EQ(miscuring_prep_nop(ring, i), 0);
	/* Stops after the third; the rest stay for the next call. */
	CHECK_EQ(miscuring_reap(ring, 5, NULL, count_cqe, &st), 3);
	CHECK_EQ(miscuring_cq_ready(ring), 2);
	st.stop_at = 0;
	CHECK_EQ(miscuring_reap(ring, 0, NULL, count_cqe, &st), 2);
	CHECK_EQ(st.n, 5);
	CHECK(st.sum == 15);
	CHECK_EQ(miscuring_reap(ring, 0, NULL, count_cqe, &st), 0);
	CHECK_EQ(miscuring_reap(ring, 1, &ts, count_cqe, &st), -ETIME);
	CHECK_EQ(miscuring_reap(ring, 0, NULL, NULL, &st), -EINVAL);
	miscuring_close(ring);
}

static void test_timeout(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(flags);
	struct timespec ts = { 0, 30 * 1000000 }, t0;
	struct timespec bad = { 0, 1000000000 };
	struct miscuring_cqe cqe;

	/* Nothing in flight: the timeout still passes in full. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(miscuring_wait_timeout(ring, &cqe, &ts), -ETIME);
	CHECK(elapsed_ms(&t0) >= 29);

	prep_stuck_read(ring, 55);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(miscuring_wait_timeout(ring, &cqe, &ts), -ETIME);
	CHECK(elapsed_ms(&t0) >= 29);
	CHECK(elapsed_ms(&t0) < 5000);
	CHECK_EQ(miscuring_inflight(ring), 1);

	CHECK_EQ(miscuring_wait_timeout(ring, &cqe, &bad), -EINVAL);
	bad.tv_nsec = -1;
	CHECK_EQ(miscuring_wait_timeout(ring, &cqe, &bad), -EINVAL);

	/* It completes once the pipe has data. */
	REQUIRE(write(pipe_fds[1], "x", 1) == 1);
	CHECK_EQ(miscuring_wait_timeout(ring, &cqe, &ts), 0);
	CHECK(cqe.user_data == 55);
	CHECK_EQ(cqe.res, 1);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

static void test_cancel(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(flags);
	struct timespec ts = { 1, 0 }, bad = { -1, 0 };
	struct miscuring_cqe cqes[2];
	int n, i;

	/* Synchronous, by user_data. */
	prep_stuck_read(ring, 0xc0ffee);
	CHECK_EQ(miscuring_submit(ring), 1);
	CHECK_EQ(miscuring_cancel(ring, 0xbad, &ts), -ENOENT);
	CHECK_EQ(miscuring_cancel(ring, 0xc0ffee, &bad), -EINVAL);
	CHECK_EQ(miscuring_cancel(ring, 0xc0ffee, NULL), 0);
	CHECK_EQ(miscuring_wait(ring, &cqes[0]), 0);
	CHECK(cqes[0].user_data == 0xc0ffee);
	CHECK_EQ(cqes[0].res, -ECANCELED);

	/* A target that is only prepared gets sent first, then cancelled. */
	prep_stuck_read(ring, 0xc0ffef);
	CHECK_EQ(miscuring_cancel(ring, 0xc0ffef, &ts), 0);
	CHECK_EQ(miscuring_wait(ring, &cqes[0]), 0);
	CHECK_EQ(cqes[0].res, -ECANCELED);

	/* Asynchronous: the cancel request has a completion of its own. */
	prep_stuck_read(ring, 1);
	CHECK_EQ(miscuring_prep_cancel(ring, 1, 2), 0);
	n = miscuring_wait_batch(ring, cqes, 2, 2, NULL);
	CHECK_EQ(n, 2);
	for (i = 0; i < n && i < 2; i++) {
		if (cqes[i].user_data == 1)
			CHECK_EQ(cqes[i].res, -ECANCELED);
		else
			CHECK(cqes[i].user_data == 2 && cqes[i].res == 0);
	}
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

/* The second result of a CQE32 ring reaches the caller. */
static void test_cqe32(void)
{
	struct miscuring_ring *ring = ring_new(MISCURING_SETUP_CQE32);
	struct miscuring_cqe cqe;
	struct io_uring_cqe *raw;

	CHECK_EQ(miscuring_prep_nop(ring, 3), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	/* Plant a value where the kernel puts big_cqe[0]. */
	REQUIRE(io_uring_peek_cqe(&ring->uring, &raw) == 0);
	raw->big_cqe[0] = 0x1234567890ULL;
	CHECK_EQ(miscuring_peek(ring, &cqe), 0);
	CHECK(cqe.res2 == 0x1234567890ULL);
	CHECK(cqe.user_data == 3);
	miscuring_close(ring);
}

int main(void)
{
	zero_fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
	REQUIRE(zero_fd >= 0);
	REQUIRE(pipe2(pipe_fds, O_CLOEXEC) == 0);

	test_submit_wait(0);
	test_submit_wait(MISCURING_SETUP_ANY_THREAD);
	test_submit_wait(MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32);
	test_wait_flushes();
	test_batch();
	test_reap();
	test_timeout(0);
	test_timeout(MISCURING_SETUP_ANY_THREAD);
	test_cancel(0);
	test_cancel(MISCURING_SETUP_ANY_THREAD);
	test_cqe32();
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	close(zero_fd);
	return t_report("complete");
}
