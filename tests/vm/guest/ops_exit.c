// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Commands in flight when their ring, file or submitting task goes away:
 * nothing may hang, the module must keep working afterwards, and a CQE on a
 * ring that outlives its submitter must still arrive.
 */
#include "guest_test.h"

/* The module still answers: NOP inline and a short DELAY. */
static int module_alive(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	struct miscuring_nop nop = {};
	struct miscuring_delay d = gt_delay_payload(10000, 515);
	struct gt_cqe cqe = {};
	int fd, ret;

	ret = gt_ring_init(&ring, 4, k);
	if (ret)
		return ret;
	fd = gt_open_dev(O_RDWR);
	if (fd < 0) {
		gt_ring_exit(&ring);
		return fd;
	}
	ret = gt_cmd_sync(&ring, fd, MISCURING_CMD_NOP, &nop, sizeof(nop), &cqe);
	if (!ret && cqe.res != 0)
		ret = -EPROTO;
	if (!ret)
		ret = gt_cmd_sync(&ring, fd, MISCURING_CMD_DELAY, &d, sizeof(d), &cqe);
	if (!ret && cqe.res != 515)
		ret = -EPROTO;
	close(fd);
	gt_ring_exit(&ring);
	return ret;
}

/* Tear the ring down with DELAYs in flight. */
static void test_ring_exit(enum gt_ring_kind k)
{
	struct io_uring ring = {};
	uint64_t t0;
	int fd = -1, ret;

	gt_begin("ring_exit_in_flight_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&ring, 32, k, fd, O_RDWR);
	for (int i = 0; i < 16; i++)
		CHECK(gt_prep_delay(&ring, fd, (uint32_t)(i * 20000), i, (uint64_t)i),
		      "no SQE");
	ret = io_uring_submit(&ring);
	CHECK(ret == 16, "submit: %s", gt_errname(ret));
	t0 = gt_now_us();
	close(fd);
	fd = -1;
	gt_ring_exit(&ring);
	CHECK(gt_now_us() - t0 < 5000000, "ring teardown took %" PRIu64 " us",
	      gt_now_us() - t0);
	gt_sleep_us(350000);	/* let the delays run out */
	ret = module_alive(k);
	CHECK(ret == 0, "module unusable after the ring went away: %s",
	      gt_errname(ret));
out:
	gt_ring_dev_exit(&ring, fd);
	gt_end();
}

/* A process exits with DELAYs in flight on its own ring. */
static void test_child_exit(enum gt_ring_kind k)
{
	int status = 0, ret;
	pid_t pid;

	gt_begin("child_exit_in_flight_%s", gt_ring_names[k]);
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		struct io_uring ring = {};
		int fd;

		alarm(0);
		if (gt_ring_init(&ring, 16, k))
			_exit(2);
		fd = gt_open_dev(O_RDWR);
		if (fd < 0)
			_exit(3);
		for (int i = 0; i < 8; i++)
			if (!gt_prep_delay(&ring, fd, (uint32_t)(i * 40000), 100 + i,
					   (uint64_t)i))
				_exit(4);
		if (io_uring_submit(&ring) != 8)
			_exit(5);
		_exit(0);	/* ring, file and task go away with all in flight */
	}
	ret = gt_wait_child(pid, &status, 20000000);
	CHECK(ret == 0, "child did not exit: %s", gt_errname(ret));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child failed before exiting: status 0x%x", status);
	gt_sleep_us(350000);
	ret = module_alive(k);
	CHECK(ret == 0, "module unusable after the child exited: %s",
	      gt_errname(ret));
out:
	gt_end();
}

/*
 * A child submits a DELAY on the parent's ring and exits at once. The ring
 * lives on, so the completion must be posted there, exactly once: the
 * result after the delay, or -ECANCELED (the module may end long commands
 * of an exiting task early).
 */
static void test_submitter_exit(enum gt_ring_kind k)
{
	const uint32_t usec = 500000;
	struct miscuring_info info = {};
	struct miscuring_probe pr = gt_probe_payload(&info, sizeof(info));
	struct io_uring ring = {}, pring = {};
	struct gt_cqe cqe = {};
	uint64_t t0, t;
	int fd = -1, status = 0, ret, cancelable;
	pid_t pid;

	gt_begin("submitter_exit_%s", gt_ring_names[k]);
	CHECK_RING_AND_OPEN(&pring, 4, GT_RING_PLAIN, fd, O_RDWR);
	ret = gt_cmd_sync(&pring, fd, MISCURING_CMD_PROBE, &pr, sizeof(pr), &cqe);
	CHECK(ret == 0 && cqe.res == sizeof(info), "PROBE: %s / %s",
	      gt_errname(ret), gt_errname(cqe.res));
	cancelable = !!(le64toh(info.features) & MISCURING_FEAT_CANCELABLE);
	gt_ring_exit(&pring);

	ret = gt_ring_init(&ring, 4, k);
	CHECK(ret == 0, "ring setup: %s", gt_errname(ret));
	fflush(NULL);
	t0 = gt_now_us();
	pid = fork();
	CHECK(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		/* the child only submits; the parent never does on this ring */
		alarm(0);
		if (!gt_prep_delay(&ring, fd, usec, 4711, 0x51))
			_exit(4);
		if (io_uring_submit(&ring) != 1)
			_exit(5);
		_exit(0);
	}
	ret = gt_wait_child(pid, &status, 20000000);
	CHECK(ret == 0, "child did not exit: %s", gt_errname(ret));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child failed: status 0x%x", status);
	ret = gt_reap(&ring, &cqe, GT_WAIT_US);
	t = gt_now_us() - t0;
	CHECK(ret == 0, "no CQE for the exited task's DELAY: %s", gt_errname(ret));
	CHECK(cqe.user_data == 0x51, "user_data 0x%" PRIx64, cqe.user_data);
	fprintf(stderr, "submitter_exit_%s: res %d after %" PRIu64 " us "
		"(cancelable %d)\n", gt_ring_names[k], cqe.res, t, cancelable);
	if (cqe.res == 4711)
		CHECK(t >= usec, "DELAY %u us done after %" PRIu64 " us", usec, t);
	else
		CHECK(cqe.res == -ECANCELED, "res %s, expected 4711 or %s",
		      gt_errname(cqe.res), gt_errname(-ECANCELED));
	ret = gt_reap(&ring, &cqe, 50000);
	CHECK(ret == -ETIME, "extra CQE user_data 0x%" PRIx64 " res %d",
	      cqe.user_data, cqe.res);
out:
	gt_ring_dev_exit(&ring, fd);
	gt_ring_exit(&pring);
	gt_end();
}

int main(void)
{
	gt_init("ops_exit", 55);

	for (int k = 0; k < GT_RING_KINDS; k++) {
		test_ring_exit(k);
		test_child_exit(k);
		test_submitter_exit(k);
	}
	return gt_exit_status();
}
