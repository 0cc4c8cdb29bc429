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

/*
 * Kernels without mixed-size rings (CQE_MIXED before 6.18, SQE_MIXED before
 * 6.19) refuse the flag with -EINVAL in every tier: the library tells it
 * apart from other -EINVALs by the same ring without it, and says
 * -EOPNOTSUPP. A fixed and a mixed size at once never reach the kernel.
 */
static void test_no_mixed(void)
{
	struct miscuring_ring *ring = NULL;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	REQUIRE(fd >= 0);
	reject_mask = LIBMISCURING_SETUP_CQE_MIXED | LIBMISCURING_SETUP_SQE_MIXED;
	calls = 0;
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_CQE_MIXED, &ring),
		 -EOPNOTSUPP);
	CHECK(ring == NULL);
	/* Three tiers with the flag, then the plain ring that works. */
	CHECK_EQ(calls, 4);
	CHECK(seen[0] & seen[1] & seen[2] & LIBMISCURING_SETUP_CQE_MIXED);
	CHECK_EQ(seen[3], 0);
	calls = 0;
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_SQE_MIXED |
				   MISCURING_SETUP_CQE32, &ring), -EOPNOTSUPP);
	CHECK(seen[3] == IORING_SETUP_CQE32);
	/* SQE_MIXED alone missing (6.18): CQE_MIXED still opens. */
	reject_mask = LIBMISCURING_SETUP_SQE_MIXED;
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_CQE_MIXED |
				   MISCURING_SETUP_SQE_MIXED, &ring),
		 -EOPNOTSUPP);
	REQUIRE(miscuring_open_fd(fd, 4, MISCURING_SETUP_CQE_MIXED, &ring) == 0);
	CHECK(miscuring_ring_setup_flags(ring) & LIBMISCURING_SETUP_CQE_MIXED);
	miscuring_close(ring);
	ring = NULL;
	reject_mask = 0;

	/* -EINVAL for another reason stays -EINVAL. */
	fail_with = -EINVAL;
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_CQE_MIXED, &ring),
		 -EINVAL);
	fail_with = 0;

	calls = 0;
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_CQE_MIXED |
				   MISCURING_SETUP_CQE32, &ring), -EINVAL);
	CHECK_EQ(miscuring_open_fd(fd, 4, MISCURING_SETUP_SQE_MIXED |
				   MISCURING_SETUP_SQE128, &ring), -EINVAL);
	CHECK_EQ(miscuring_open(NULL, 4, MISCURING_SETUP_CQE_MIXED |
				MISCURING_SETUP_CQE32, &ring), -EINVAL);
	CHECK_EQ(calls, 0);
	CHECK(ring == NULL);
	close(fd);
}

int main(void)
{
	test_new_kernel();
	test_no_defer();
	test_plain();
	test_other_errors();
	test_no_mixed();
	return t_report("fallback");
}
