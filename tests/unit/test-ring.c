/* SPDX-License-Identifier: MIT */
/*
 * Opening and closing rings: argument checks, fd ownership, setup flags.
 */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

T_DEFINE_COUNTERS;

static int fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void test_open_rejects(void)
{
	struct miscuring_ring *ring = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	REQUIRE(fd >= 0);
	CHECK_EQ(miscuring_open("/dev/null", 4, 1U << 31, &ring), -EINVAL);
	CHECK_EQ(miscuring_open("/dev/null", 4, MISCURING_SETUP_OWN_FD, &ring),
		 -EINVAL);
	CHECK_EQ(miscuring_open("/dev/null", 4, 0, NULL), -EINVAL);
	CHECK_EQ(miscuring_open("/nonexistent/miscuring", 4, 0, &ring), -ENOENT);
	CHECK_EQ(miscuring_open_fd(fd, 4, 1U << 31, &ring), -EINVAL);
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_RDONLY, &ring),
		 -EINVAL);
	CHECK_EQ(miscuring_open_fd(fd, 4, 0, NULL), -EINVAL);
	CHECK_EQ(miscuring_open_fd(-2, 4, 0, &ring), -EBADF);
	CHECK_EQ(miscuring_open_fd(-1, 4, MISCURING_SETUP_OWN_FD, &ring),
		 -EBADF);
	CHECK_EQ(miscuring_open_fd(-1, 4, MISCURING_SETUP_FIXED_FILE, &ring),
		 -EBADF);
	/* The kernel's limit on ring size comes back as is. */
	CHECK_EQ(miscuring_open_fd(fd, 1U << 30, 0, &ring), -EINVAL);
	CHECK(ring == NULL);
	/* A failed call never closes the caller's fd. */
	CHECK_EQ(miscuring_open_fd(fd, 1U << 30, MISCURING_SETUP_OWN_FD, &ring),
		 -EINVAL);
	CHECK(fd_is_open(fd));
	close(fd);
}

static void test_ownership(void)
{
	struct miscuring_ring *ring = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	REQUIRE(fd >= 0);
	REQUIRE(miscuring_open_fd(fd, 4, 0, &ring) == 0);
	CHECK_EQ(miscuring_device_fd(ring), fd);
	miscuring_close(ring);
	CHECK(fd_is_open(fd));

	REQUIRE(miscuring_open_fd(fd, 4, MISCURING_SETUP_OWN_FD, &ring) == 0);
	miscuring_close(ring);
	CHECK(!fd_is_open(fd));

	/* miscuring_open() owns the fd it opened. */
	REQUIRE(miscuring_open("/dev/null", 0, MISCURING_SETUP_RDONLY, &ring) == 0);
	fd = miscuring_device_fd(ring);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	miscuring_close(ring);
	CHECK(!fd_is_open(fd));

	REQUIRE(miscuring_open("/dev/null", 0, 0, &ring) == 0);
	CHECK_EQ(fcntl(miscuring_device_fd(ring), F_GETFL) & O_ACCMODE, O_RDWR);
	miscuring_close(ring);
	miscuring_close(NULL);
}

static void test_setup_flags(void)
{
	struct miscuring_ring *ring = NULL;
	unsigned f;

	REQUIRE(miscuring_open("/dev/null", 0, 0, &ring) == 0);
	f = miscuring_ring_setup_flags(ring);
	CHECK(!(f & (IORING_SETUP_SQE128 | IORING_SETUP_CQE32)));
	/* Every kernel this project supports (6.1+) has these. */
	CHECK(f & IORING_SETUP_SINGLE_ISSUER);
	CHECK(f & IORING_SETUP_DEFER_TASKRUN);
	CHECK_EQ(ring->uring.sq.ring_entries, MISCURING_DEFAULT_ENTRIES);
	CHECK(miscuring_ring_fd(ring) >= 0);
	CHECK(miscuring_ring_fd(ring) != miscuring_device_fd(ring));
	CHECK_EQ(miscuring_inflight(ring), 0);
	miscuring_close(ring);

	REQUIRE(miscuring_open("/dev/null", 8, MISCURING_SETUP_SQE128 |
			       MISCURING_SETUP_CQE32 |
			       MISCURING_SETUP_ANY_THREAD, &ring) == 0);
	f = miscuring_ring_setup_flags(ring);
	CHECK(f & IORING_SETUP_SQE128);
	CHECK(f & IORING_SETUP_CQE32);
	CHECK(!(f & (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)));
	CHECK(f & IORING_SETUP_COOP_TASKRUN);
	CHECK_EQ(ring->uring.sq.ring_entries, 8);
	CHECK_EQ(miscuring_sq_space_left(ring), 8);
	miscuring_close(ring);
}

int main(void)
{
	test_open_rejects();
	test_ownership();
	test_setup_flags();
	return t_report("ring");
}
