// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Every op on an IORING_SETUP_IOPOLL ring. Up to Linux 7.0 io_uring refuses
 * a uring_cmd there (-EOPNOTSUPP) unless the file polls (->uring_cmd_iopoll,
 * which the module has not), so the module never sees one. From 7.1 such a
 * command reaches the module as on any ring (no IO_URING_F_IOPOLL: the
 * request is not polled) and completes through the ordinary path: inline
 * ops at once, DELAY and a queued WAIT from task work, which the test reaps
 * without relying on the poller. Nothing may hang: every wait is bounded.
 */
#include "guest_test.h"

#include <sys/utsname.h>

static int kver;	/* major * 100 + minor */

/* Waits up to 5 s for one CQE by peeking: never in a blocking enter. */
static int reap_bounded(struct io_uring *ring, struct gt_cqe *out)
{
	uint64_t deadline = gt_now_us() + 5000000;

	while (gt_now_us() < deadline) {
		if (!gt_reap(ring, out, 0))
			return 0;
		/* Any system call runs pending task work on its way back. */
		io_uring_submit(ring);
		gt_sleep_us(1000);
	}
	return -ETIME;
}

static void one_op(struct io_uring *ring, int fd, const char *name,
		   uint32_t op, const void *payload, size_t len, int want_new)
{
	struct gt_cqe cqe;
	int want = kver >= 701 ? want_new : -EOPNOTSUPP;

	gt_begin("iopoll_%s", name);
	CHECK(gt_prep_cmd(ring, fd, op, payload, len, 0x10) != NULL, "no SQE");
	CHECK(io_uring_submit(ring) == 1, "submit");
	CHECK(!reap_bounded(ring, &cqe), "no completion within 5 s");
	CHECK(cqe.user_data == 0x10, "ud 0x%" PRIx64, cqe.user_data);
	CHECK_RES(cqe.res, want);
out:
	gt_end();
}

int main(void)
{
	struct io_uring ring = {};
	struct utsname u;
	uint64_t value = 0;
	struct miscuring_info info;
	struct miscuring_stats st;
	unsigned char echo[16];
	int fd = -1, major = 0, minor = 0, ret;

	gt_init("iopoll_ops", 120);
	uname(&u);
	sscanf(u.release, "%d.%d", &major, &minor);
	kver = major * 100 + minor;
	fprintf(stderr, "iopoll_ops: kernel %d.%d\n", major, minor);

	gt_begin("iopoll_ring");
	ret = io_uring_queue_init(8, &ring, IORING_SETUP_IOPOLL);
	CHECK(!ret, "IOPOLL ring: %s", gt_errname(ret));
	fd = gt_open_dev(O_RDWR);
	CHECK(fd >= 0, "open: %s", gt_errname(fd));
out:
	gt_end();
	if (fd < 0 || ret)
		return gt_exit_status();

	{
		struct miscuring_nop nop = { 0 };
		struct miscuring_get_value get = gt_get_payload(&value);
		struct miscuring_set_value set = gt_set_payload(42);
		struct miscuring_echo ech = gt_echo_payload(echo, sizeof(echo));
		struct miscuring_probe pr = gt_probe_payload(&info, sizeof(info));
		struct miscuring_stats_req sr = {
			.addr = htole64((uintptr_t)&st),
			.len = htole32(sizeof(st)),
		};
		struct miscuring_delay d1 = gt_delay_payload(1000, 7);
		struct miscuring_delay d0 = gt_delay_payload(0, 3);
		struct miscuring_wait wnow = { .value = htole64(1),
					       .timeout_usec = htole32(1000) };
		struct miscuring_wait wq = { .value = htole64(42),
					     .timeout_usec = htole32(20000) };

		one_op(&ring, fd, "nop", MISCURING_CMD_NOP, &nop, sizeof(nop), 0);
		one_op(&ring, fd, "hello", MISCURING_CMD_HELLO, &nop, sizeof(nop), 0);
		one_op(&ring, fd, "set_value", MISCURING_CMD_SET_VALUE, &set,
		       sizeof(set), 0);
		one_op(&ring, fd, "get_value", MISCURING_CMD_GET_VALUE, &get,
		       sizeof(get), 0);
		gt_begin("iopoll_get_value_result");
		CHECK(kver < 701 || value == 42, "value %" PRIu64, value);
		gt_end();
		one_op(&ring, fd, "echo", MISCURING_CMD_ECHO, &ech, sizeof(ech),
		       (int)sizeof(ech));
		one_op(&ring, fd, "probe", MISCURING_CMD_PROBE, &pr, sizeof(pr),
		       (int)sizeof(info));
		one_op(&ring, fd, "stats", MISCURING_CMD_STATS, &sr, sizeof(sr),
		       (int)sizeof(st));
		/* Asynchronous: completed from task work, reaped all the same. */
		one_op(&ring, fd, "delay", MISCURING_CMD_DELAY, &d1, sizeof(d1), 7);
		one_op(&ring, fd, "delay0", MISCURING_CMD_DELAY, &d0, sizeof(d0), 3);
		one_op(&ring, fd, "wait_inline", MISCURING_CMD_WAIT, &wnow,
		       sizeof(wnow), 0);
		one_op(&ring, fd, "wait_queued", MISCURING_CMD_WAIT, &wq,
		       sizeof(wq), -ETIMEDOUT);
	}
	close(fd);
	gt_ring_exit(&ring);
	return gt_exit_status();
}
