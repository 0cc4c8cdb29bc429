/* SPDX-License-Identifier: MIT */
/*
 * Submission and completion against the real kernel. A generic uring_cmd
 * on /dev/zero, which has no uring_cmd handler, completes at once with
 * -EOPNOTSUPP (the device ops refuse /dev/zero: -ENOTTY); a read from an empty pipe
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

/* A command that completes at once: miscuring's NOP op on /dev/zero. */
static int prep_quick(struct miscuring_ring *ring, uint64_t user_data)
{
	return miscuring_prep_cmd(ring, zero_fd, MISCURING_CMD_NOP, NULL, 0,
				  user_data);
}

/*
 * Write res2 = tag + i, res3 = ~(tag + i) into the extra words of the i-th
 * ready CQE, where the kernel puts a second and third result.
 */
static unsigned plant_extra(struct miscuring_ring *ring, uint64_t tag)
{
	struct io_uring_cq *cq = &ring->uring.cq;
	unsigned head = *cq->khead, tail = *cq->ktail, i;

	for (i = 0; head != tail; head++, i++) {
		struct io_uring_cqe *c = &cq->cqes[(head & cq->ring_mask) << 1];

		c->big_cqe[0] = tag + i;
		c->big_cqe[1] = ~(tag + i);
	}
	return i;
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
		CHECK_EQ(prep_quick(ring, 100 + i), 0);
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
		CHECK_EQ(prep_quick(ring, i), 0);
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

	CHECK_EQ(prep_quick(ring, 7), 0);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.user_data == 7);
	CHECK_EQ(prep_quick(ring, 8), 0);
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
		CHECK_EQ(prep_quick(ring, i), 0);
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

static uint64_t last_res3;

static int keep_res3(const struct miscuring_cqe *cqe, void *arg)
{
	(void)arg;
	last_res3 = cqe->res3;
	return 0;
}

/* Mark every ready CQE as one with more to come. */
static unsigned set_more(struct miscuring_ring *ring)
{
	struct io_uring_cq *cq = &ring->uring.cq;
	unsigned head = *cq->khead, tail = *cq->ktail, i;
	unsigned shift = ring->uring.flags & IORING_SETUP_CQE32 ? 1 : 0;

	for (i = 0; head != tail; head++, i++)
		cq->cqes[(head & cq->ring_mask) << shift].flags |=
			IORING_CQE_F_MORE;
	return i;
}

static void test_reap(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct reap_state st = { 0, 3, 0 };
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 1; i <= 5; i++)
		CHECK_EQ(prep_quick(ring, i), 0);
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

/* Both extra words of a CQE32 reach the caller, on every path. */
static void test_cqe32(void)
{
	struct miscuring_ring *ring = ring_new(MISCURING_SETUP_CQE32);
	struct miscuring_cqe cqe, cqes[8];
	struct reap_state st = { 0, 0, 0 };
	int i;

	CHECK_EQ(prep_quick(ring, 3), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(plant_extra(ring, 0x1234567890ULL), 1);
	CHECK_EQ(miscuring_peek(ring, &cqe), 0);
	CHECK(cqe.res2 == 0x1234567890ULL);
	CHECK(cqe.res3 == ~0x1234567890ULL);
	CHECK(cqe.user_data == 3);

	/* A batch: every CQE keeps its own words, not the first one's. */
	for (i = 0; i < 5; i++)
		CHECK_EQ(prep_quick(ring, 10 + i), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 5), 5);
	CHECK_EQ(plant_extra(ring, 1000), 5);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 8, 5, NULL), 5);
	for (i = 0; i < 5; i++) {
		CHECK(cqes[i].res2 == 1000ULL + (unsigned)i);
		CHECK(cqes[i].res3 == ~(1000ULL + (unsigned)i));
		CHECK(cqes[i].user_data == 10ULL + (unsigned)i);
	}

	/* wait, and the reap callback. */
	CHECK_EQ(prep_quick(ring, 20), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	plant_extra(ring, 77);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.res2 == 77 && cqe.res3 == ~77ULL);
	CHECK_EQ(prep_quick(ring, 21), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	plant_extra(ring, 88);
	last_res3 = 0;
	CHECK_EQ(miscuring_reap(ring, 1, NULL, keep_res3, &st), 1);
	CHECK(last_res3 == ~88ULL);
	miscuring_close(ring);
}

/* The decoder on a caller's CQE: plain, CQE32 and CQE_MIXED rings. */
static void test_decode(void)
{
	uint64_t raw[4] = { 42, 0, 0x1111, 0x2222 };
	struct io_uring_cqe *c = (struct io_uring_cqe *)raw;
	struct miscuring_cqe out;

	c->res = -5;
	c->flags = IORING_CQE_F_MORE;
	CHECK_EQ(miscuring_cqe_decode(c, 0, &out), 16);
	CHECK(out.user_data == 42 && out.res == -5 &&
	      out.flags == IORING_CQE_F_MORE && !out.res2 && !out.res3);
	CHECK_EQ(miscuring_cqe_decode(c, IORING_SETUP_CQE32, &out), 32);
	CHECK(out.res2 == 0x1111 && out.res3 == 0x2222);
	/* Mixed ring: 32 bytes only with IORING_CQE_F_32. */
	CHECK_EQ(miscuring_cqe_decode(c, LIBMISCURING_SETUP_CQE_MIXED, &out),
		 16);
	CHECK(!out.res2 && !out.res3);
	c->flags |= LIBMISCURING_CQE_F_32;
	CHECK_EQ(miscuring_cqe_decode(c, LIBMISCURING_SETUP_CQE_MIXED, &out),
		 32);
	CHECK(out.res2 == 0x1111 && out.res3 == 0x2222);
	CHECK(out.flags == (IORING_CQE_F_MORE | LIBMISCURING_CQE_F_32));
	/* F_32 means nothing on a ring that is not mixed. */
	CHECK_EQ(miscuring_cqe_decode(c, 0, &out), 16);
	CHECK_EQ(miscuring_cqe_decode(NULL, 0, &out), -EINVAL);
	CHECK_EQ(miscuring_cqe_decode(c, 0, NULL), -EINVAL);
}

/*
 * A CQE with IORING_CQE_F_MORE is not its command's last: the command stays
 * in flight (a multishot uring_cmd, a socket's TX timestamps) on every path.
 */
static void test_more(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct miscuring_cqe cqe, cqes[4];
	struct reap_state st = { 0, 0, 0 };
	struct timespec ts = { 0, 1000000 };

	CHECK_EQ(prep_quick(ring, 1), 0);
	CHECK_EQ(prep_quick(ring, 2), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 2), 2);
	CHECK_EQ(set_more(ring), 2);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.flags & IORING_CQE_F_MORE);
	CHECK_EQ(miscuring_inflight(ring), 2);
	CHECK_EQ(miscuring_peek(ring, &cqe), 0);
	CHECK_EQ(miscuring_inflight(ring), 2);
	/* More CQEs can come than commands are in flight: with a timeout. */
	CHECK_EQ(miscuring_wait_timeout(ring, &cqe, &ts), -ETIME);

	CHECK_EQ(prep_quick(ring, 3), 0);
	CHECK_EQ(prep_quick(ring, 4), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 2), 2);
	CHECK_EQ(set_more(ring), 2);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 4, 2, NULL), 2);
	CHECK_EQ(miscuring_inflight(ring), 4);
	CHECK_EQ(prep_quick(ring, 5), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(set_more(ring), 1);
	CHECK_EQ(miscuring_reap(ring, 1, NULL, count_cqe, &st), 1);
	CHECK_EQ(miscuring_inflight(ring), 5);
	/* The last CQEs (no F_MORE) end them. */
	CHECK_EQ(prep_quick(ring, 6), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK_EQ(miscuring_inflight(ring), 5);
	miscuring_close(ring);
}

/*
 * A sync helper sends its command after whatever is queued or in flight,
 * returns its own CQE (matched by user_data, not the first one in the CQ
 * ring) and keeps the others, in order, for wait/peek/batch/reap.
 */
static void test_sync_keeps_others(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(flags);
	struct miscuring_cmd_desc d = { .size = sizeof(d) };
	struct miscuring_cqe cqe, cqes[4];
	struct reap_state st = { 0, 0, 0 };
	uint64_t res2 = 1;

	CHECK_EQ(prep_quick(ring, 101), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(prep_quick(ring, 102), 0);	/* queued, not sent */
	/* Their CQEs come first; the helper must not take them. */
	CHECK_EQ(miscuring_cmd(ring, zero_fd, 0x1234, NULL, 0, &res2),
		 -EOPNOTSUPP);
	CHECK(res2 == 0);
	CHECK_EQ(miscuring_inflight(ring), 2);
	CHECK_EQ(miscuring_cq_ready(ring), 2);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.user_data == 101);
	d.fd = zero_fd;
	d.cmd_op = 7;
	d.user_data = 5;	/* the helper uses its own */
	CHECK_EQ(miscuring_cmd_desc(ring, &d, &cqe), 0);
	CHECK_EQ(cqe.res, -EOPNOTSUPP);
	CHECK(cqe.user_data >> MISCURING_SYNC_TAG_SHIFT == MISCURING_SYNC_TAG);
	CHECK_EQ(miscuring_peek(ring, &cqe), 0);
	CHECK(cqe.user_data == 102);
	CHECK_EQ(miscuring_inflight(ring), 0);

	/* The batch and reap paths hand out the kept ones first. */
	CHECK_EQ(prep_quick(ring, 201), 0);
	CHECK_EQ(prep_quick(ring, 202), 0);
	CHECK_EQ(miscuring_cmd(ring, zero_fd, 1, NULL, 0, NULL), -EOPNOTSUPP);
	CHECK_EQ(prep_quick(ring, 203), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 4, 3, NULL), 3);
	CHECK(cqes[0].user_data == 201 && cqes[1].user_data == 202 &&
	      cqes[2].user_data == 203);
	CHECK_EQ(prep_quick(ring, 301), 0);
	CHECK_EQ(miscuring_cmd(ring, zero_fd, 1, NULL, 0, NULL), -EOPNOTSUPP);
	CHECK_EQ(miscuring_reap(ring, 1, NULL, count_cqe, &st), 1);
	CHECK(st.sum == 301);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

static struct miscuring_ring *chain_ring;
static unsigned chain_calls;

/* Each completion sends another that completes at once. */
static int chain_cqe(const struct miscuring_cqe *cqe, void *arg)
{
	(void)cqe;
	(void)arg;
	if (++chain_calls > 1000000)
		return 1;
	if (!prep_quick(chain_ring, chain_calls))
		miscuring_submit(chain_ring);
	return 0;
}

/* reap hands out what was ready when it began, never an endless chain. */
static void test_reap_bounded(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct miscuring_cqe cqes[8];

	chain_ring = ring;
	CHECK_EQ(prep_quick(ring, 0), 0);
	CHECK_EQ(prep_quick(ring, 0), 0);
	CHECK_EQ(miscuring_submit_and_wait(ring, 2), 2);
	chain_calls = 0;
	CHECK_EQ(miscuring_reap(ring, 1, NULL, chain_cqe, NULL), 2);
	CHECK_EQ(chain_calls, 2);
	/* The two the callbacks sent are there for the next call. */
	CHECK_EQ(miscuring_cq_ready(ring), 2);
	CHECK_EQ(miscuring_reap(ring, 1, NULL, chain_cqe, NULL), 2);
	CHECK_EQ(chain_calls, 4);
	CHECK_EQ(miscuring_wait_batch(ring, cqes, 8, 2, NULL), 2);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

/* Device ops on a file that is not /dev/miscuring queue nothing. */
static void test_not_device(void)
{
	struct miscuring_ring *ring = ring_new(MISCURING_SETUP_CQE32);
	struct miscuring_devinfo info;
	unsigned space = miscuring_sq_space_left(ring);
	uint64_t v = 9;
	char buf[16];

	CHECK_EQ(miscuring_prep_nop(ring, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_hello(ring, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_get_value(ring, &v, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_set_value(ring, 5, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_echo(ring, buf, 16, NULL, 0, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_delay(ring, 0, 0, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_probe(ring, buf, 16, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_wait_value(ring, 0, 0, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_stats(ring, buf, 16, 1), -ENOTTY);
	CHECK_EQ(miscuring_prep_reset_stats(ring, 1), -ENOTTY);
	CHECK_EQ(miscuring_sq_space_left(ring), space);
	CHECK_EQ(miscuring_set_value(ring, 5), -ENOTTY);
	CHECK_EQ(miscuring_get_value(ring, &v), -ENOTTY);
	CHECK(v == 9);
	CHECK_EQ(miscuring_probe(ring, &info), -ENOTTY);
	CHECK_EQ(miscuring_identify(zero_fd, &info), -ENOTTY);
	CHECK_EQ(miscuring_identify(pipe_fds[0], NULL), -ENOTTY);
	CHECK_EQ(miscuring_identify(-1, NULL), -EBADF);
	CHECK_EQ(miscuring_inflight(ring), 0);
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
	test_decode();
	test_more();
	test_sync_keeps_others(0);
	test_sync_keeps_others(MISCURING_SETUP_SQE128 | MISCURING_SETUP_FIXED_FILE);
	test_reap_bounded();
	test_not_device();
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	close(zero_fd);
	return t_report("complete");
}
