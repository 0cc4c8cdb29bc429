/* SPDX-License-Identifier: MIT */
/*
 * Success paths of the sync helpers and of batches, against the in-process
 * module of fakedev.c (the real one runs in the VM tests). Also how the
 * helpers treat a module that answers wrongly.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "fakedev.h"
#include "test.h"

T_DEFINE_COUNTERS;

static struct miscuring_ring *ring_new(unsigned flags)
{
	struct miscuring_ring *ring = NULL;

	int fd = open("/dev/null", (flags & MISCURING_SETUP_RDONLY ? O_RDONLY :
				    O_RDWR) | O_CLOEXEC);

	/* The fake answers the PROBE miscuring_open_fd() sends. */
	REQUIRE(fd >= 0);
	fake_reset(fd);
	flags &= ~MISCURING_SETUP_RDONLY;
	REQUIRE(miscuring_open_fd(fd, 8, flags | MISCURING_SETUP_OWN_FD,
				  &ring) == 0);
	REQUIRE(ring->is_device);
	fake.commands = 0;
	fake.submits = 0;
	return ring;
}

static void test_helpers(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(flags);
	struct miscuring_devinfo info;
	uint64_t v = 1, res2 = 0;

	CHECK_EQ(miscuring_nop(ring), 0);
	CHECK_EQ(miscuring_hello(ring), 0);
	CHECK_EQ(miscuring_get_value(ring, &v), 0);
	CHECK(v == 0);
	CHECK_EQ(miscuring_set_value(ring, 0xfedcba9876543210ULL), 0);
	CHECK_EQ(miscuring_get_value(ring, &v), 0);
	CHECK(v == 0xfedcba9876543210ULL);
	CHECK_EQ(miscuring_delay(ring, 1234, -42), -42);
	CHECK_EQ(fake.last_usec, 1234);
	CHECK_EQ(miscuring_delay(ring, 0, 7), 7);

	CHECK_EQ(miscuring_probe(ring, &info), 0);
	CHECK_EQ(info.abi_version, MISCURING_ABI_VERSION);
	CHECK_EQ(info.decoded, sizeof(struct miscuring_info));
	CHECK(info.ops == 0xfe);
	CHECK_EQ(miscuring_has_op(&info, MISCURING_CMD_ECHO), 1);
	CHECK(!strcmp(info.module_version, "fake-1"));

	CHECK_EQ(miscuring_cmd(ring, miscuring_device_fd(ring),
			       MISCURING_CMD_GET_VALUE, NULL, 0, &res2),
		 flags & MISCURING_SETUP_CQE32 ? 0 : -EINVAL);
	if (flags & MISCURING_SETUP_CQE32)
		CHECK(res2 == 0xfedcba9876543210ULL);
	CHECK_EQ(miscuring_inflight(ring), 0);
	/* One submit per helper call. */
	CHECK_EQ(fake.submits, fake.commands);
	miscuring_close(ring);
}

static void test_echo(void)
{
	struct miscuring_ring *ring = ring_new(MISCURING_SETUP_SQE128);
	uint8_t data[64], out[64];
	int i;

	for (i = 0; i < 64; i++)
		data[i] = (uint8_t)(0xff - i);
	memset(out, 0, sizeof(out));
	CHECK_EQ(miscuring_echo(ring, data, 64, out), 64);
	CHECK(!memcmp(out, data, 64));
	CHECK_EQ(miscuring_echo(ring, data, 5, out), 5);
	CHECK_EQ(miscuring_echo(ring, NULL, 0, NULL), 0);

	/* A module that echoes something else, or less. */
	fake.corrupt_echo = 1;
	CHECK_EQ(miscuring_echo(ring, data, 64, out), -EPROTO);
	CHECK_EQ(miscuring_echo(ring, data, 0, out), -EPROTO);
	fake.corrupt_echo = 0;
	fake.short_echo = 1;
	CHECK_EQ(miscuring_echo(ring, data, 3, out), -EPROTO);
	fake.short_echo = 0;
	/* Right bytes, but the header names another buffer. */
	fake.echo_wrong_addr = 1;
	CHECK_EQ(miscuring_echo(ring, data, 8, out), -EPROTO);
	CHECK_EQ(miscuring_echo(ring, NULL, 0, NULL), -EPROTO);
	fake.echo_wrong_addr = 0;
	CHECK_EQ(miscuring_echo(ring, data, 8, out), 8);
	miscuring_close(ring);

	ring = ring_new(0);
	CHECK_EQ(miscuring_echo(ring, NULL, 0, NULL), 0);
	miscuring_close(ring);
}

static void test_probe_versions(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct miscuring_devinfo info;

	/* An older module with a shorter info. */
	fake.info_size = 40;
	CHECK_EQ(miscuring_probe(ring, &info), 0);
	CHECK_EQ(info.decoded, 40);
	CHECK_EQ(info.max_buffer, 4096);
	CHECK_EQ(info.module_version[0], 0);

	/* A module of another ABI. */
	fake.info_size = sizeof(struct miscuring_info);
	fake.abi_version = 2;
	CHECK_EQ(miscuring_probe(ring, &info), -EPROTONOSUPPORT);
	CHECK_EQ(info.abi_version, 2);
	miscuring_close(ring);
}

static void test_wait_value(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(flags);
	uint64_t now = 0;

	CHECK_EQ(miscuring_set_value(ring, 5), 0);
	CHECK_EQ(miscuring_wait_value(ring, 5, 1000, &now), -ETIMEDOUT);
	CHECK_EQ(fake.last_usec, 1000);
	CHECK_EQ(miscuring_wait_value(ring, 4, 0, &now), 0);
	CHECK(now == 5);
	CHECK_EQ(miscuring_wait_value(ring, 4, 0, NULL), 0);
	/* Without CQE32 the value comes from a GET_VALUE afterwards. */
	CHECK_EQ(fake.commands, flags & MISCURING_SETUP_CQE32 ? 4 : 5);
	miscuring_close(ring);
}

static void test_stats(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct miscuring_devstats st;

	CHECK_EQ(miscuring_nop(ring), 0);
	CHECK_EQ(miscuring_stats(ring, &st), 0);
	CHECK_EQ(st.stats_size, sizeof(struct miscuring_stats));
	CHECK_EQ(st.decoded, sizeof(struct miscuring_stats));
	CHECK(st.issued == 2 && st.completed_inline == 2 &&
	      st.completed_async == 3 && st.cancelled == 4 && st.failed == 5 &&
	      st.in_flight == 6);

	/* An older module's shorter stats. */
	fake.stats_size = 24;
	CHECK_EQ(miscuring_stats(ring, &st), 0);
	CHECK_EQ(st.decoded, 24);
	CHECK(st.completed_inline == 2 && st.completed_async == 0);

	CHECK_EQ(miscuring_reset_stats(ring), 0);
	CHECK_EQ(fake.resets, 1);
	fake.no_admin = 1;
	CHECK_EQ(miscuring_reset_stats(ring), -EPERM);
	CHECK_EQ(fake.resets, 1);
	miscuring_close(ring);
}

static void test_read_only(void)
{
	struct miscuring_ring *ring = ring_new(MISCURING_SETUP_RDONLY);
	uint64_t v = 9;

	CHECK_EQ(miscuring_set_value(ring, 1), -EBADF);
	CHECK_EQ(miscuring_get_value(ring, &v), 0);
	CHECK(v == 0);
	miscuring_close(ring);
}

struct tally {
	int	res[16];
	uint64_t res2[16];
	unsigned n;
};

static int record(const struct miscuring_cqe *cqe, void *arg)
{
	struct tally *t = arg;

	if (cqe->user_data < 16) {
		t->res[cqe->user_data] = cqe->res;
		t->res2[cqe->user_data] = cqe->res2;
	}
	t->n++;
	return 0;
}

/* Every builder in one batch: one submit, each CQE with its user_data. */
static void test_batch(void)
{
	struct miscuring_ring *ring = ring_new(MISCURING_SETUP_SQE128 |
					       MISCURING_SETUP_CQE32);
	struct miscuring_info raw;
	struct miscuring_devinfo info;
	struct tally t;
	uint8_t echo[80], data[2] = { 0xab, 0xcd };
	uint64_t v = 0;

	memset(&t, 0, sizeof(t));
	CHECK_EQ(miscuring_prep_nop(ring, 0), 0);
	CHECK_EQ(miscuring_prep_hello(ring, 1), 0);
	CHECK_EQ(miscuring_prep_set_value(ring, 99, 2), 0);
	CHECK_EQ(miscuring_prep_get_value(ring, &v, 3), 0);
	CHECK_EQ(miscuring_prep_get_value(ring, NULL, 4), 0);
	CHECK_EQ(miscuring_prep_echo(ring, echo, sizeof(echo), data, 2, 5), 0);
	CHECK_EQ(miscuring_prep_delay(ring, 10, 123, 6), 0);
	CHECK_EQ(miscuring_prep_probe(ring, &raw, sizeof(raw), 7), 0);
	CHECK_EQ(miscuring_submit(ring), 8);
	CHECK_EQ(fake.submits, 1);
	CHECK_EQ(miscuring_reap(ring, 8, NULL, record, &t), 8);

	CHECK_EQ(t.n, 8);
	CHECK_EQ(t.res[0], 0);
	CHECK_EQ(t.res[1], 0);
	CHECK_EQ(t.res[2], 0);
	CHECK_EQ(t.res[3], 0);
	CHECK(v == 99);
	CHECK(t.res2[4] == 99);
	CHECK_EQ(t.res[5], 80);
	CHECK(echo[16] == 0xab && echo[17] == 0xcd && echo[18] == 0);
	CHECK_EQ(t.res[6], 123);
	CHECK_EQ(t.res[7], sizeof(raw));
	CHECK(t.res2[7] == (MISCURING_FEAT_SQE128 | MISCURING_FEAT_CQE32));
	CHECK_EQ(miscuring_decode_info(&raw, (size_t)t.res[7], &info), 0);
	CHECK(!strcmp(info.module_version, "fake-1"));
	miscuring_close(ring);
}

/* A submit that fails leaves nothing behind for the next one to send. */
static void test_failed_submit(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct miscuring_cqe cqe;

	fake.fail_submit = -EAGAIN;
	CHECK_EQ(miscuring_set_value(ring, 5), -EAGAIN);
	CHECK_EQ(io_uring_sq_ready(&ring->uring), 0);
	CHECK_EQ(*ring->uring.sq.ktail, *ring->uring.sq.khead);
	CHECK_EQ(miscuring_inflight(ring), 0);
	CHECK_EQ(miscuring_nop(ring), 0);
	CHECK_EQ(fake.commands, 1);
	CHECK_EQ(miscuring_peek(ring, &cqe), -EAGAIN);
	CHECK(fake.value == 0);
	miscuring_close(ring);
}

/* A signal during a sync helper's wait does not end it: the command runs. */
static void test_eintr(unsigned flags)
{
	struct miscuring_ring *ring = ring_new(flags);
	uint64_t v = 0;

	fake.value = 41;
	fake.defer = 1;
	fake.eintr = 3;
	CHECK_EQ(miscuring_get_value(ring, &v), 0);
	CHECK(v == 41);
	CHECK_EQ(fake.eintr, 0);
	CHECK_EQ(fake.waits, 4);
	fake.eintr = 1;
	CHECK_EQ(miscuring_delay(ring, 5, -7), -7);
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);
}

/* What miscuring_cancel() hands the kernel: no timeout means none (-1). */
static void test_cancel_timeout(void)
{
	struct miscuring_ring *ring = ring_new(0);
	struct timespec ts = { 2, 500 };

	CHECK_EQ(miscuring_cancel(ring, 0xabc, NULL), -ENOENT);
	CHECK_EQ(fake.cancels, 1);
	CHECK(fake.cancel_reg.addr == 0xabc);
	CHECK_EQ(fake.cancel_reg.fd, -1);
	CHECK_EQ(fake.cancel_reg.timeout.tv_sec, -1);
	CHECK_EQ(fake.cancel_reg.timeout.tv_nsec, -1);
	CHECK_EQ(miscuring_cancel(ring, 0xabd, &ts), -ENOENT);
	CHECK_EQ(fake.cancel_reg.timeout.tv_sec, 2);
	CHECK_EQ(fake.cancel_reg.timeout.tv_nsec, 500);
	ts.tv_nsec = 1000000000;
	CHECK_EQ(miscuring_cancel(ring, 0xabd, &ts), -EINVAL);
	CHECK_EQ(fake.cancels, 2);
	miscuring_close(ring);
}

/*
 * The registered device file is given back at close (nothing in flight),
 * so the device is released with its fd; a ring without it has none.
 */
static void test_unregister(void)
{
	struct miscuring_ring *ring = ring_new(MISCURING_SETUP_FIXED_FILE);

	CHECK_EQ(miscuring_nop(ring), 0);
	miscuring_close(ring);
	CHECK_EQ(fake.unregisters, 1);
	ring = ring_new(0);
	miscuring_close(ring);
	CHECK_EQ(fake.unregisters, 0);
}

int main(void)
{
	test_helpers(0);
	test_helpers(MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32);
	test_helpers(MISCURING_SETUP_ANY_THREAD);
	test_helpers(MISCURING_SETUP_FIXED_FILE);
	test_echo();
	test_probe_versions();
	test_wait_value(0);
	test_wait_value(MISCURING_SETUP_CQE32);
	test_stats();
	test_read_only();
	test_batch();
	test_failed_submit();
	test_eintr(0);
	test_eintr(MISCURING_SETUP_CQE32 | MISCURING_SETUP_SQE128);
	test_cancel_timeout();
	test_unregister();
	return t_report("fake-device");
}
