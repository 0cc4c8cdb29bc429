// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Closing a ring with 1,000 long commands in flight (DELAYs of 4-5 s and
 * WAITs of 5-10 s): the close must return at once (under 1 s), every
 * command must be cancelled soon after (in_flight back where it was within
 * 2 s: io_uring cancels them on 6.7+, the module's 100 ms owner poll on
 * 6.1), the counters must show exactly 1,000 issued, 1,000 completed
 * asynchronously, 1,000 cancelled, and the file must work afterwards.
 *
 * Cases: a plain ring, an SQE128|CQE32 ring, and a plain ring whose device
 * file is closed before the ring (the commands then hold the last
 * references to the file, whose release must find its queues empty).
 */
#include "rel_util.h"

#define NCMDS		1000
#define DELAY_MIN_US	4000000u	/* nothing may end before the close */
#define DELAY_SPAN_US	1000000u
#define WAIT_MIN_US	5000000u
#define WAIT_SPAN_US	5000000u
#define CLOSE_MAX_US	1000000u
#define DRAIN_MAX_US	2000000u

/* Queue NCMDS long DELAY/WAIT commands on ring; returns how many are DELAYs. */
static int prep_long_cmds(struct io_uring *ring, int fd)
{
	int ndelay = 0;

	for (int i = 0; i < NCMDS; i++) {
		uint64_t r = gt_rand64();
		struct io_uring_sqe *sqe;

		if (r & 1) {
			sqe = gt_prep_delay(ring, fd, DELAY_MIN_US +
					    (uint32_t)(r >> 8) % DELAY_SPAN_US,
					    i, (uint64_t)i);
			ndelay++;
		} else {
			/* the file's value is 0: the WAIT waits */
			struct miscuring_wait w = {
				.value = htole64(0),
				.timeout_usec = htole32(WAIT_MIN_US +
					(uint32_t)(r >> 8) % WAIT_SPAN_US),
			};

			sqe = gt_prep_cmd(ring, fd, MISCURING_CMD_WAIT, &w,
					  sizeof(w), (uint64_t)i);
		}
		if (!sqe)
			return -ENOSPC;
	}
	return ndelay;
}

/* The file still works: NOP, SET/GET and a short DELAY on a new ring. */
static int file_alive(int fd)
{
	struct miscuring_nop nop = {};
	struct miscuring_delay d = gt_delay_payload(2000, 77);
	struct io_uring ring;
	struct gt_cqe cqe;
	uint64_t v = 0;
	int ret;

	ret = gt_ring_init(&ring, 8, GT_RING_PLAIN);
	if (ret)
		return ret;
	ret = gt_cmd_sync(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), &cqe);
	if (!ret && cqe.res != 0)
		ret = -EPROTO;
	if (!ret)
		ret = gt_set_value(&ring, fd, 0x1234);
	if (!ret)
		ret = gt_get_value(&ring, fd, &v);
	if (!ret && v != 0x1234)
		ret = -EPROTO;
	if (!ret)
		ret = gt_cmd_sync(&ring, fd, MISCURING_CMD_DELAY, &d, sizeof(d), &cqe);
	if (!ret && cqe.res != 77)
		ret = -EPROTO;
	gt_ring_exit(&ring);
	return ret;
}

static void test_ring_close(enum gt_ring_kind kind, int close_fd_first)
{
	struct rel_stats before, mid, after, d;
	struct io_uring ring = {};
	struct gt_cqe cqe;
	uint64_t t_sub, t0, t_close;
	long long t_drain;
	int fd = -1, ret, ndelay;

	gt_begin("ring_close_%s%s", gt_ring_names[kind],
		 close_fd_first ? "_fd_first" : "");
	ret = rel_stats_read(&before);
	CHECK(ret == 0, "reading %s: %s", REL_STATS_DIR, gt_errname(ret));
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
	ret = rel_ring_init(&ring, 1024, 2048, kind);
	CHECK(ret == 0, "ring setup (1024 SQ, 2048 CQ): %s", gt_errname(ret));

	ndelay = prep_long_cmds(&ring, fd);
	CHECK(ndelay >= 0, "no SQE: %s", gt_errname(ndelay));
	t_sub = gt_now_us();
	ret = io_uring_submit(&ring);
	CHECK(ret == NCMDS, "submit: %s, expected %d", gt_errname(ret), NCMDS);
	fprintf(stderr, "%s: %d DELAY + %d WAIT submitted in %" PRIu64 " us\n",
		gt_name, ndelay, NCMDS - ndelay, gt_now_us() - t_sub);

	/* All of them must be waiting: no CQE, in_flight up by exactly NCMDS. */
	ret = gt_reap(&ring, &cqe, 0);
	CHECK(ret == -ETIME, "a CQE before the close: user_data %" PRIu64 " res %s",
	      cqe.user_data, gt_errname(cqe.res));
	ret = rel_stats_read(&mid);
	CHECK(ret == 0, "reading counters: %s", gt_errname(ret));
	d = rel_stats_delta(&before, &mid);
	CHECK(d.issued == NCMDS && mid.in_flight == before.in_flight + NCMDS,
	      "with %d commands queued: issued +%" PRIu64 ", in_flight %" PRIu64
	      " (before %" PRIu64 ")", NCMDS, d.issued, mid.in_flight,
	      before.in_flight);

	if (close_fd_first) {
		CHECK(close(fd) == 0, "close(device): %s", strerror(errno));
		fd = -1;
	}
	t0 = gt_now_us();
	CHECK(t0 - t_sub < DELAY_MIN_US - 500000,
	      "too slow to test: %" PRIu64 " us between submit and close",
	      t0 - t_sub);
	io_uring_queue_exit(&ring);
	memset(&ring, 0, sizeof(ring));
	t_close = gt_now_us() - t0;
	CHECK(t_close < CLOSE_MAX_US,
	      "io_uring_queue_exit with %d commands in flight took %" PRIu64
	      " us (limit %u us)", NCMDS, t_close, CLOSE_MAX_US);

	t_drain = rel_wait_in_flight(before.in_flight, DRAIN_MAX_US, &after);
	CHECK(t_drain >= 0, "in_flight still %" PRIu64 " (%s) %u us after the "
	      "close, expected %" PRIu64 ": %s", after.in_flight,
	      gt_errname(t_drain), DRAIN_MAX_US, before.in_flight,
	      rel_stats_str(&after));
	fprintf(stderr, "%s: close took %" PRIu64 " us, in_flight back after "
		"%lld us (from the close)\n", gt_name, t_close,
		(long long)(gt_now_us() - t0));

	d = rel_stats_delta(&before, &after);
	CHECK(d.issued == NCMDS && d.completed_async == NCMDS &&
	      d.completed_inline == 0 && d.cancelled == NCMDS &&
	      d.failed == NCMDS,
	      "counter deltas: %s; expected issued %d, async %d, inline 0, "
	      "cancelled %d, failed %d", rel_stats_str(&d), NCMDS, NCMDS,
	      NCMDS, NCMDS);

	if (fd >= 0) {
		ret = file_alive(fd);
		CHECK(ret == 0, "the file is unusable after the ring went: %s",
		      gt_errname(ret));
	} else {
		fd = gt_open_dev(O_RDWR);
		CHECK(fd >= 0, "reopen: %s", gt_errname(fd));
		ret = file_alive(fd);
		CHECK(ret == 0, "the device is unusable after the ring went: %s",
		      gt_errname(ret));
	}
out:
	gt_ring_exit(&ring);
	if (fd >= 0)
		close(fd);
	gt_end();
}

int main(void)
{
	gt_init("rel_ring_close", 100);
	gt_srand(rel_env_u64("MU_REL_SEED", 0x7e1c105e));

	test_ring_close(GT_RING_PLAIN, 0);
	test_ring_close(GT_RING_BIG, 0);
	test_ring_close(GT_RING_PLAIN, 1);
	return gt_exit_status();
}
