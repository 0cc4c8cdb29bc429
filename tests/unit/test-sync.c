/* SPDX-License-Identifier: MIT */
/*
 * The synchronous helpers against the real kernel, on a file without
 * uring_cmd (/dev/zero): each sends its command, waits, and returns the
 * kernel's -EOPNOTSUPP; on /dev/null, whose uring_cmd completes anything
 * with 0, as a device that does not answer like miscuring; plus their own
 * argument and state checks. Their success paths are in
 * test-fake-device.c and, on the module, in the VM.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

T_DEFINE_COUNTERS;

static void each_helper(struct miscuring_ring *ring, int want)
{
	struct miscuring_devinfo info;
	struct miscuring_devstats stats;
	uint8_t data[4] = { 1, 2, 3, 4 }, out[4];
	uint64_t v = 0x77, res2 = 0x77;

	CHECK_EQ(miscuring_nop(ring), want);
	CHECK_EQ(miscuring_hello(ring), want);
	CHECK_EQ(miscuring_get_value(ring, &v), want);
	CHECK(v == 0x77);		/* untouched on failure */
	CHECK_EQ(miscuring_set_value(ring, 5), want);
	CHECK_EQ(miscuring_echo(ring, NULL, 0, NULL), want);
	if (ring->payload_size == MISCURING_PAYLOAD_SQE128)
		CHECK_EQ(miscuring_echo(ring, data, 4, out), want);
	CHECK_EQ(miscuring_delay(ring, 1, 0), want);
	CHECK_EQ(miscuring_probe(ring, &info), want);
	CHECK_EQ(miscuring_wait_value(ring, 0, 0, &v), want);
	CHECK(v == 0x77);
	CHECK_EQ(miscuring_stats(ring, &stats), want);
	CHECK_EQ(miscuring_reset_stats(ring), want);
	CHECK_EQ(miscuring_cmd(ring, miscuring_device_fd(ring),
			       MISCURING_CMD_NOP, NULL, 0, &res2), want);
	/* They leave the ring as they found it. */
	CHECK_EQ(miscuring_inflight(ring), 0);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), want == -EBUSY ? 1 : 0);
	CHECK_EQ(miscuring_cq_ready(ring), 0);
}

static void test_kernel_answer(unsigned flags)
{
	struct miscuring_ring *ring = NULL;

	REQUIRE(miscuring_open("/dev/zero", 4, flags, &ring) == 0);
	each_helper(ring, -EOPNOTSUPP);
	miscuring_close(ring);
}

/* res 0 is right for some ops and wrong for ECHO, PROBE and STATS. */
static void test_null_device(void)
{
	struct miscuring_ring *ring = NULL;
	struct miscuring_devinfo info;
	struct miscuring_devstats stats;
	uint64_t v = 0x77;

	REQUIRE(miscuring_open("/dev/null", 4, MISCURING_SETUP_SQE128,
			       &ring) == 0);
	CHECK_EQ(miscuring_nop(ring), 0);
	CHECK_EQ(miscuring_hello(ring), 0);
	CHECK_EQ(miscuring_set_value(ring, 5), 0);
	CHECK_EQ(miscuring_delay(ring, 1, 99), 0);
	/* Nothing was written to the buffer: the helper's zeroed scratch. */
	CHECK_EQ(miscuring_get_value(ring, &v), 0);
	CHECK(v == 0);
	CHECK_EQ(miscuring_echo(ring, "ab", 2, &v), -EPROTO);
	CHECK_EQ(miscuring_probe(ring, &info), -EMSGSIZE);
	CHECK_EQ(miscuring_stats(ring, &stats), -EMSGSIZE);
	CHECK_EQ(miscuring_reset_stats(ring), 0);
	CHECK_EQ(miscuring_wait_value(ring, 1, 0, NULL), 0);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

static void test_busy(void)
{
	struct miscuring_ring *ring = NULL;
	struct miscuring_cqe cqe;

	REQUIRE(miscuring_open("/dev/zero", 4, 0, &ring) == 0);
	/* Prepared but not sent. */
	CHECK_EQ(miscuring_prep_nop(ring, 1), 0);
	each_helper(ring, -EBUSY);
	/* Sent, completion not reaped. */
	CHECK_EQ(miscuring_submit(ring), 1);
	CHECK_EQ(miscuring_nop(ring), -EBUSY);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.user_data == 1);
	CHECK_EQ(miscuring_nop(ring), -EOPNOTSUPP);
	miscuring_close(ring);
}

static void test_rejects(void)
{
	struct miscuring_ring *ring = NULL, *none = NULL;
	uint8_t data[65] = { 0 }, out[65];
	struct miscuring_devinfo info;

	REQUIRE(miscuring_open("/dev/zero", 4, 0, &ring) == 0);
	CHECK_EQ(miscuring_get_value(ring, NULL), -EINVAL);
	CHECK_EQ(miscuring_probe(ring, NULL), -EINVAL);
	CHECK_EQ(miscuring_stats(ring, NULL), -EINVAL);
	CHECK_EQ(miscuring_wait_value(ring, 0, MISCURING_WAIT_MAX_USEC + 1,
				      NULL), -EINVAL);
	CHECK_EQ(miscuring_echo(ring, NULL, 1, out), -EINVAL);
	CHECK_EQ(miscuring_echo(ring, data, 1, NULL), -EINVAL);
	/* Data needs an SQE128 ring. */
	CHECK_EQ(miscuring_echo(ring, data, 1, out), -EMSGSIZE);
	CHECK_EQ(miscuring_delay(ring, MISCURING_DELAY_MAX_USEC + 1, 0),
		 -EINVAL);
	CHECK_EQ(miscuring_cmd(ring, -1, 0, NULL, 0, NULL), -EBADF);
	CHECK_EQ(miscuring_cmd(ring, 0, 0, data, 17, NULL), -EMSGSIZE);
	miscuring_close(ring);

	REQUIRE(miscuring_open("/dev/zero", 4, MISCURING_SETUP_SQE128,
			       &ring) == 0);
	CHECK_EQ(miscuring_echo(ring, data, 65, out), -EMSGSIZE);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);

	/* A ring with no device has nothing to send the ops to. */
	REQUIRE(miscuring_open_fd(-1, 4, 0, &none) == 0);
	CHECK_EQ(miscuring_nop(none), -EBADF);
	CHECK_EQ(miscuring_probe(none, &info), -EBADF);
	miscuring_close(none);
}

int main(void)
{
	test_kernel_answer(0);
	test_kernel_answer(MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32);
	test_kernel_answer(MISCURING_SETUP_ANY_THREAD);
	test_null_device();
	test_busy();
	test_rejects();
	return t_report("sync");
}
