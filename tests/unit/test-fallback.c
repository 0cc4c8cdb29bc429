/* SPDX-License-Identifier: MIT */
/*
 * Ring setup on kernels without DEFER_TASKRUN or COOP_TASKRUN: this
 * program defines io_uring_queue_init(), which the library's call binds to
 * (an executable's symbol comes first), and plays an older kernel that
 * rejects the newer flags with -EINVAL.
 */
#include "config.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "test.h"

T_DEFINE_COUNTERS;

static unsigned reject_mask;	/* setup flags the "kernel" lacks */
static int fail_with;		/* or fail every setup with this */
static unsigned calls;
static unsigned seen[8];

int io_uring_queue_init(unsigned entries, struct io_uring *ring,
			unsigned flags)
{
	static int (*real)(unsigned, struct io_uring *, unsigned);

	if (!real)
		real = (int (*)(unsigned, struct io_uring *, unsigned))
			dlsym(RTLD_NEXT, "io_uring_queue_init");
	REQUIRE(real);
	if (calls < 8)
		seen[calls] = flags;
	calls++;
	if (fail_with)
		return fail_with;
	if (flags & reject_mask)
		return -EINVAL;
	return real(entries, ring, flags);
}

static struct miscuring_ring *open_ring(unsigned flags)
{
	struct miscuring_ring *ring = NULL;

	calls = 0;
	memset(seen, 0, sizeof(seen));
	REQUIRE(miscuring_open("/dev/null", 4, flags, &ring) == 0);
	return ring;
}

static void test_new_kernel(void)
{
	struct miscuring_ring *ring = open_ring(0);

	CHECK_EQ(calls, 1);
	CHECK(seen[0] & IORING_SETUP_DEFER_TASKRUN);
	CHECK(seen[0] & IORING_SETUP_SINGLE_ISSUER);
	miscuring_close(ring);
}

/* 5.19/6.0: COOP_TASKRUN but no DEFER_TASKRUN. */
static void test_no_defer(void)
{
	struct miscuring_ring *ring;
	unsigned f;

	reject_mask = IORING_SETUP_DEFER_TASKRUN;
	ring = open_ring(MISCURING_SETUP_SQE128 | MISCURING_SETUP_CQE32);
	CHECK_EQ(calls, 2);
	f = miscuring_ring_setup_flags(ring);
	CHECK(f & IORING_SETUP_COOP_TASKRUN);
	CHECK(!(f & IORING_SETUP_DEFER_TASKRUN));
	/* What the caller asked for is kept in every attempt. */
	CHECK(seen[0] & seen[1] & IORING_SETUP_SQE128);
	CHECK(seen[0] & seen[1] & IORING_SETUP_CQE32);
	CHECK(f & IORING_SETUP_SQE128);
	/* The ring works (/dev/null completes any uring_cmd with 0). */
	CHECK_EQ(miscuring_cmd(ring, miscuring_device_fd(ring), 1, NULL, 0,
			       NULL), 0);
	miscuring_close(ring);
}

/* Older still: neither. */
static void test_plain(void)
{
	struct miscuring_ring *ring;

	reject_mask = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN;
	ring = open_ring(0);
	CHECK_EQ(calls, 3);
	CHECK_EQ(seen[2], 0);
	CHECK_EQ(miscuring_ring_setup_flags(ring) &
		 (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN), 0);
	CHECK_EQ(miscuring_cmd(ring, miscuring_device_fd(ring), 1, NULL, 0,
			       NULL), 0);
	miscuring_close(ring);
	reject_mask = 0;
}

/* Only -EINVAL means "unknown flag"; other errors end the attempt. */
static void test_other_errors(void)
{
	struct miscuring_ring *ring = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	REQUIRE(fd >= 0);
	calls = 0;
	fail_with = -ENOMEM;
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_OWN_FD, &ring),
		 -ENOMEM);
	CHECK_EQ(calls, 1);
	CHECK(ring == NULL);
	CHECK(fcntl(fd, F_GETFD) >= 0);

	calls = 0;
	fail_with = -EINVAL;
	CHECK_EQ(miscuring_open_fd(fd, 4, 0, &ring), -EINVAL);
	CHECK_EQ(calls, 3);
	fail_with = 0;
	close(fd);
}

int main(void)
{
	test_new_kernel();
	test_no_defer();
	test_plain();
	test_other_errors();
	return t_report("fallback");
}
