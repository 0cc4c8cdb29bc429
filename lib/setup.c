/* SPDX-License-Identifier: MIT */
/*
 * Opening a device and setting up its ring.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/*
 * Setup flags, best first. SINGLE_ISSUER + DEFER_TASKRUN (6.1) run task
 * work only when the owner waits, which is what a one-ring-per-thread
 * program wants; COOP_TASKRUN (5.19) avoids IPIs for task work. A kernel
 * that lacks one rejects the whole setup with -EINVAL, so step down.
 * TASKRUN_FLAG makes pending task work visible in the SQ flags, which is
 * how a peek knows to enter the kernel for it.
 */
static const unsigned mu_taskrun_tiers[] = {
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
		IORING_SETUP_TASKRUN_FLAG,
	IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
	0,
};

#define MU_MIXED	(LIBMISCURING_SETUP_CQE_MIXED | LIBMISCURING_SETUP_SQE_MIXED)

/*
 * A kernel without mixed-size rings (CQE_MIXED before 6.18, SQE_MIXED
 * before 6.19) refuses the flag with -EINVAL, as it refuses a tier it
 * lacks. When no tier took the mixed ring, see whether the same ring
 * without the mixed flags would have been taken: then the kernel has no
 * such ring (-EOPNOTSUPP), else the -EINVAL is about something else.
 */
static int mu_mixed_refused(unsigned entries, unsigned base, int ret)
{
	struct io_uring probe;

	if (ret != -EINVAL || !(base & MU_MIXED))
		return ret;
	if (io_uring_queue_init(entries, &probe, base & ~MU_MIXED))
		return ret;
	io_uring_queue_exit(&probe);
	return -EOPNOTSUPP;
}

static int mu_queue_init(struct miscuring_ring *ring, unsigned entries)
{
	unsigned base = 0;
	size_t i = 0;
	int ret;

	if (ring->flags & MISCURING_SETUP_SQE128)
		base |= IORING_SETUP_SQE128;
	if (ring->flags & MISCURING_SETUP_CQE32)
		base |= IORING_SETUP_CQE32;
	if (ring->flags & MISCURING_SETUP_CQE_MIXED)
		base |= LIBMISCURING_SETUP_CQE_MIXED;
	if (ring->flags & MISCURING_SETUP_SQE_MIXED)
		base |= LIBMISCURING_SETUP_SQE_MIXED;
	/* A ring that may change threads must not have an owner. */
	if (ring->flags & MISCURING_SETUP_ANY_THREAD)
		i = 1;

	for (; i < sizeof(mu_taskrun_tiers) / sizeof(mu_taskrun_tiers[0]); i++) {
		ret = io_uring_queue_init(entries, &ring->uring,
					  base | mu_taskrun_tiers[i]);
		if (ret != -EINVAL)
			return ret;
	}
	return mu_mixed_refused(entries, base, ret);
}

/*
 * MISCURING_SETUP_FIXED_FILE: register the device fd as the ring's file 0.
 * A command on a registered file skips the kernel's per-command file
 * lookup and its reference count (fget/fput, atomics on a shared cache
 * line): measured here, ~10 % fewer instructions per NOP at batch 32 and
 * 13-30 % more commands per second (docs/PERFORMANCE.md). It is asked for,
 * not done for every ring, because it costs a system call at setup and,
 * on older kernels (Debian's 6.1), an RCU grace period in
 * miscuring_close() (below): a loss for a ring that sends a few commands.
 */
static int mu_register_fd(struct miscuring_ring *ring)
{
	if (!(ring->flags & MISCURING_SETUP_FIXED_FILE))
		return 0;
	return io_uring_register_files(&ring->uring, &ring->fd, 1);
}

/*
 * The registered file holds a reference to the device file that the ring
 * drops only when the kernel frees the ring, in a worker, after close.
 * Drop it now, so that the device is released when its fd is closed, as
 * without the ring: `uringctl bench; rmmod miscuring` must not find the
 * module busy. Older kernels (Debian's 6.1) make the unregister wait for
 * an RCU grace period (~20 ms in the test VM), and for the commands using
 * the table to finish: so only with nothing in flight (a WAIT may take
 * seconds, and those commands hold the file anyway until they end).
 */
static void mu_unregister_fd(struct miscuring_ring *ring)
{
	if ((ring->flags & MISCURING_SETUP_FIXED_FILE) && !ring->inflight)
		io_uring_unregister_files(&ring->uring);
}

static int mu_ring_new(int fd, unsigned entries, unsigned flags,
		       struct miscuring_ring **ringp)
{
	struct miscuring_ring *ring;
	int ret;

	ring = calloc(1, sizeof(*ring));
	if (!ring)
		return -ENOMEM;
	ring->fd = fd;
	ring->flags = flags;
	ring->sqe_size = flags & MISCURING_SETUP_SQE128 ? 128 : 64;
	ring->payload_size = flags & (MISCURING_SETUP_SQE128 |
				      MISCURING_SETUP_SQE_MIXED) ?
			     MISCURING_PAYLOAD_SQE128 : MISCURING_PAYLOAD_SQE64;
	ring->cq_mixed = flags & MISCURING_SETUP_CQE_MIXED;

	ret = mu_queue_init(ring, entries ? entries : MISCURING_DEFAULT_ENTRIES);
	if (ret < 0) {
		free(ring);
		return ret;
	}
	if (flags & MISCURING_SETUP_SQE_MIXED) {
		ring->slot_cmd = calloc(ring->uring.sq.ring_entries, 1);
		if (!ring->slot_cmd)
			ret = -ENOMEM;
	}
	if (!ret)
		ret = mu_register_fd(ring);
	if (!ret)
		ret = mu_identify(ring);
	if (ret < 0) {
		io_uring_queue_exit(&ring->uring);
		free(ring->slot_cmd);
		free(ring->backlog);
		free(ring);
		return ret;
	}
	*ringp = ring;
	return 0;
}

/*
 * Use an open fd. A PROBE tells whether it is /dev/miscuring: if not, the
 * device commands fail with -ENOTTY, the generic ones work. The caller
 * keeps ownership unless flags has
 * MISCURING_SETUP_OWN_FD, and then only on success: a failed call never
 * closes fd. fd -1 makes a ring for miscuring_prep_cmd() on other files.
 */
/* Flags no ring can have: unknown ones, a fixed and a mixed size at once. */
static bool mu_setup_bad(unsigned flags)
{
	return (flags & ~MU_SETUP_ALL) ||
	       (flags & MISCURING_SETUP_CQE32 &&
		flags & MISCURING_SETUP_CQE_MIXED) ||
	       (flags & MISCURING_SETUP_SQE128 &&
		flags & MISCURING_SETUP_SQE_MIXED);
}

int miscuring_open_fd(int fd, unsigned entries, unsigned flags,
		      struct miscuring_ring **ringp)
{
	if (!ringp || mu_setup_bad(flags) || (flags & MISCURING_SETUP_RDONLY))
		return -EINVAL;
	if (fd < -1)
		return -EBADF;
	/* Neither a file to own nor one to register. */
	if (fd == -1 && (flags & (MISCURING_SETUP_OWN_FD |
				  MISCURING_SETUP_FIXED_FILE)))
		return -EBADF;
	return mu_ring_new(fd, entries, flags, ringp);
}

int miscuring_open(const char *path, unsigned entries, unsigned flags,
		   struct miscuring_ring **ringp)
{
	int fd, mode, ret;

	if (!ringp || mu_setup_bad(flags) || (flags & MISCURING_SETUP_OWN_FD))
		return -EINVAL;
	if (!path)
		path = MISCURING_DEVICE_PATH;

	mode = flags & MISCURING_SETUP_RDONLY ? O_RDONLY : O_RDWR;
	fd = open(path, mode | O_CLOEXEC);
	if (fd < 0)
		return -errno;

	flags &= ~MISCURING_SETUP_RDONLY;
	ret = mu_ring_new(fd, entries, flags | MISCURING_SETUP_OWN_FD, ringp);
	if (ret < 0)
		close(fd);
	return ret;
}

/*
 * The kernel cancels or finishes what is still in flight after the ring fd
 * is closed, in the background: reap every completion first when commands
 * point at buffers that are about to go away.
 */
void miscuring_close(struct miscuring_ring *ring)
{
	if (!ring)
		return;
	mu_unregister_fd(ring);
	io_uring_queue_exit(&ring->uring);
	if ((ring->flags & MISCURING_SETUP_OWN_FD) && ring->fd >= 0)
		close(ring->fd);
	free(ring->slot_cmd);
	free(ring->backlog);
	free(ring);
}

int miscuring_device_fd(const struct miscuring_ring *ring)
{
	return ring->fd;
}

int miscuring_ring_fd(const struct miscuring_ring *ring)
{
	return ring->uring.ring_fd;
}

/* The IORING_SETUP_* flags the kernel accepted, after any fallback. */
unsigned miscuring_ring_setup_flags(const struct miscuring_ring *ring)
{
	return ring->uring.flags;
}

unsigned miscuring_sq_space_left(const struct miscuring_ring *ring)
{
	return io_uring_sq_space_left(&ring->uring);
}

unsigned miscuring_inflight(const struct miscuring_ring *ring)
{
	return ring->inflight;
}
