/* SPDX-License-Identifier: MIT */
/*
 * The synchronous helpers against the real kernel, on files that are not
 * /dev/miscuring: /dev/zero (no uring_cmd at all) and /dev/null (whose
 * uring_cmd completes anything with 0). The device helpers refuse both
 * with -ENOTTY and send nothing; the generic command reaches them and
 * returns the kernel's answer. Plus their own argument and state checks.
 * Their success paths are in test-fake-device.c and, on the module, in
 * the VM.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

T_DEFINE_COUNTERS;

static void each_helper(struct miscuring_ring *ring, int want, int want_cmd)
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
			       MISCURING_CMD_NOP, NULL, 0, &res2), want_cmd);
	CHECK(res2 == 0);
	/* They leave the ring as they found it. */
	CHECK_EQ(miscuring_inflight(ring), 0);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 0);
	CHECK_EQ(miscuring_cq_ready(ring), 0);
}

static void test_kernel_answer(unsigned flags)
{
	struct miscuring_ring *ring = NULL;

	REQUIRE(miscuring_open("/dev/zero", 4, flags, &ring) == 0);
	each_helper(ring, -ENOTTY, -EOPNOTSUPP);
	miscuring_close(ring);
}

/*
 * /dev/null answers every uring_cmd with 0: a device helper that sent its
 * command there would report a made-up value (GET_VALUE 0, SET_VALUE done).
 * They refuse it; the generic command gets the kernel's 0.
 */
static void test_null_device(unsigned flags)
{
	struct miscuring_ring *ring = NULL;

	REQUIRE(miscuring_open("/dev/null", 4, flags, &ring) == 0);
	each_helper(ring, -ENOTTY, 0);
	miscuring_close(ring);
}

/*
 * Other commands queued or in flight do not stop a sync helper; only an SQ
 * ring without room does (-EBUSY), and then nothing changes.
 */
static void test_busy(void)
{
	struct miscuring_ring *ring = NULL;
	struct miscuring_cqe cqe;
	int fd, i;

	REQUIRE(miscuring_open("/dev/zero", 4, 0, &ring) == 0);
	fd = miscuring_device_fd(ring);
	CHECK_EQ(miscuring_prep_cmd(ring, fd, 1, NULL, 0, 1), 0);
	CHECK_EQ(miscuring_cmd(ring, fd, 2, NULL, 0, NULL), -EOPNOTSUPP);
	CHECK_EQ(miscuring_inflight(ring), 1);
	CHECK_EQ(miscuring_wait(ring, &cqe), 0);
	CHECK(cqe.user_data == 1);
	for (i = 0; i < 4; i++)
		CHECK_EQ(miscuring_prep_cmd(ring, fd, 1, NULL, 0, 10 + i), 0);
	CHECK_EQ(miscuring_cmd(ring, fd, 2, NULL, 0, NULL), -EBUSY);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 4);
	CHECK_EQ(miscuring_submit(ring), 4);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(miscuring_wait(ring, &cqe), 0);
		CHECK(cqe.user_data == 10U + (unsigned)i);
	}
	CHECK_EQ(miscuring_cmd(ring, fd, 2, NULL, 0, NULL), -EOPNOTSUPP);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

static void test_rejects(void)
{
	struct miscuring_ring *ring = NULL, *none = NULL;
	struct miscuring_cmd_desc d = { .size = sizeof(d) };
	uint8_t data[65] = { 0 }, out[65];
	struct miscuring_devinfo info;
	struct miscuring_cqe cqe;

	REQUIRE(miscuring_open("/dev/zero", 4, 0, &ring) == 0);
	CHECK_EQ(miscuring_get_value(ring, NULL), -EINVAL);
	CHECK_EQ(miscuring_probe(ring, NULL), -EINVAL);
	CHECK_EQ(miscuring_stats(ring, NULL), -EINVAL);
	CHECK_EQ(miscuring_echo(ring, NULL, 1, out), -EINVAL);
	CHECK_EQ(miscuring_echo(ring, data, 1, NULL), -EINVAL);
	CHECK_EQ(miscuring_cmd(ring, -1, 0, NULL, 0, NULL), -EBADF);
	CHECK_EQ(miscuring_cmd(ring, 0, 0, data, 17, NULL), -EMSGSIZE);
	d.fd = miscuring_device_fd(ring);
	CHECK_EQ(miscuring_cmd_desc(ring, &d, NULL), -EINVAL);
	CHECK_EQ(miscuring_cmd_desc(ring, NULL, &cqe), -EINVAL);
	d.payload = data;
	d.payload_len = 17;
	CHECK_EQ(miscuring_cmd_desc(ring, &d, &cqe), -EMSGSIZE);
	CHECK_EQ(miscuring_inflight(ring), 0);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 0);
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
	test_null_device(MISCURING_SETUP_SQE128);
	test_null_device(MISCURING_SETUP_CQE32 | MISCURING_SETUP_FIXED_FILE);
	test_busy();
	test_rejects();
	return t_report("sync");
}
