/* SPDX-License-Identifier: MIT */
/*
 * Completions: waiting, peeking, batches, callbacks and cancellation.
 *
 * Every path copies a CQE out (struct miscuring_cqe) and marks it seen
 * before the caller sees it, so a callback may queue, submit or wait on
 * the same ring without holding a slot of the CQ ring.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "internal.h"

#define MU_NSEC_PER_SEC	1000000000L

int mu_backlog_push(struct miscuring_ring *ring,
		    const struct miscuring_cqe *cqe)
{
	if (ring->bl_count == ring->bl_cap) {
		unsigned cap = ring->bl_cap ? ring->bl_cap * 2 : 16, i;
		struct miscuring_cqe *b = malloc(cap * sizeof(*b));

		if (!b)
			return -ENOMEM;
		for (i = 0; i < ring->bl_count; i++)
			b[i] = ring->backlog[(ring->bl_head + i) &
					     (ring->bl_cap - 1)];
		free(ring->backlog);
		ring->backlog = b;
		ring->bl_cap = cap;
		ring->bl_head = 0;
	}
	ring->backlog[(ring->bl_head + ring->bl_count) & (ring->bl_cap - 1)] =
		*cqe;
	ring->bl_count++;
	if (!(cqe->flags & IORING_CQE_F_MORE))
		ring->bl_final++;
	return 0;
}

bool mu_backlog_pop(struct miscuring_ring *ring, struct miscuring_cqe *out)
{
	if (!ring->bl_count)
		return false;
	*out = ring->backlog[ring->bl_head];
	ring->bl_head = (ring->bl_head + 1) & (ring->bl_cap - 1);
	ring->bl_count--;
	if (!(out->flags & IORING_CQE_F_MORE))
		ring->bl_final--;
	return true;
}

/* Waiting for a completion sends what was prepared: it could not come. */
static int mu_flush(struct miscuring_ring *ring)
{
	int ret = 0;

	if (io_uring_sq_ready(&ring->uring))
		ret = miscuring_submit(ring);
	return ret < 0 ? ret : 0;
}

int mu_deadline(const struct timespec *timeout, struct timespec *end)
{
	if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
	    timeout->tv_nsec >= MU_NSEC_PER_SEC)
		return -EINVAL;
	clock_gettime(CLOCK_MONOTONIC, end);
	end->tv_sec += timeout->tv_sec;
	end->tv_nsec += timeout->tv_nsec;
	if (end->tv_nsec >= MU_NSEC_PER_SEC) {
		end->tv_sec++;
		end->tv_nsec -= MU_NSEC_PER_SEC;
	}
	return 0;
}

/* Time left until end; -ETIME once it has passed. */
int mu_time_left(const struct timespec *end,
			struct __kernel_timespec *left)
{
	struct timespec now;
	long long nsec;

	clock_gettime(CLOCK_MONOTONIC, &now);
	nsec = (long long)(end->tv_sec - now.tv_sec) * MU_NSEC_PER_SEC +
	       (end->tv_nsec - now.tv_nsec);
	if (nsec <= 0)
		return -ETIME;
	left->tv_sec = nsec / MU_NSEC_PER_SEC;
	left->tv_nsec = nsec % MU_NSEC_PER_SEC;
	return 0;
}

/*
 * Completions in the CQ ring. On a CQE_MIXED ring a 32-byte CQE takes two
 * slots and a skip CQE one slot with no completion, so count them.
 */
unsigned mu_cq_count(const struct miscuring_ring *ring)
{
	const struct io_uring_cq *cq = &ring->uring.cq;
	unsigned head = *cq->khead, tail, n = 0;

	tail = io_uring_smp_load_acquire(cq->ktail);
	if (!ring->cq_mixed)
		return tail - head;
	while (head != tail) {
		const struct io_uring_cqe *cqe = &cq->cqes[head & cq->ring_mask];

		head += cqe->flags & LIBMISCURING_CQE_F_32 ? 2 : 1;
		n += !(cqe->flags & LIBMISCURING_CQE_F_SKIP);
	}
	return n;
}

/*
 * Wait until nr completions are ready to be read, put-aside ones included.
 * The timeout covers the whole wait however often the kernel wakes us
 * early. Without a timeout, asking for more completions than can come
 * would never return: each command still running in the kernel gives at
 * least one; only once a multishot CQE was seen is there no bound.
 */
static int mu_wait_ready(struct miscuring_ring *ring, unsigned nr,
			 const struct timespec *timeout)
{
	struct __kernel_timespec left;
	struct io_uring_cqe *cqe;
	unsigned have, slots;
	struct timespec end;
	int ret;

	if (timeout) {
		ret = mu_deadline(timeout, &end);
		if (ret)
			return ret;
	}
	ret = mu_flush(ring);
	if (ret)
		return ret;
	if (!nr) {
		/* Lets liburing run task work the kernel says is pending. */
		io_uring_peek_cqe(&ring->uring, &cqe);
		return 0;
	}
	if (ring->bl_count >= nr)
		return 0;
	nr -= ring->bl_count;
	if (!timeout && !ring->saw_more &&
	    (ring->inflight < ring->bl_final ||
	     nr > ring->inflight - ring->bl_final))
		return -EINVAL;

	/*
	 * The kernel counts CQ slots: on a CQE_MIXED ring ask for as many
	 * more slots as completions are missing, and count again.
	 */
	while ((have = mu_cq_count(ring)) < nr) {
		slots = io_uring_cq_ready(&ring->uring) + nr - have;
		if (timeout) {
			ret = mu_time_left(&end, &left);
			if (!ret)
				ret = io_uring_wait_cqes(&ring->uring, &cqe,
							 slots, &left, NULL);
		} else {
			ret = io_uring_wait_cqes(&ring->uring, &cqe, slots,
						 NULL, NULL);
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Copy out and consume the next completion; -EAGAIN if none. Only when the
 * CQ ring looks empty does liburing get to look further (pending task work,
 * an overflowed CQ), which may mean entering the kernel.
 */
static int mu_next(struct miscuring_ring *ring, struct miscuring_cqe *out)
{
	struct io_uring_cqe *cqe;
	int ret;

	if (!mu_backlog_pop(ring, out)) {
		cqe = mu_ready_cqe(ring);
		if (!cqe) {
			ret = io_uring_peek_cqe(&ring->uring, &cqe);
			if (ret)
				return ret;
			/* It may have been a skip CQE alone. */
			cqe = mu_ready_cqe(ring);
			if (!cqe)
				return -EAGAIN;
		}
		mu_pull_cqe(ring, cqe, out);
	}
	mu_handed_out(ring, out);
	return 0;
}

/*
 * struct miscuring_cqe starts like struct io_uring_cqe, so the batch path
 * copies those 16 bytes in one go, then the two extra words of a CQE32.
 */
_Static_assert(offsetof(struct miscuring_cqe, user_data) ==
	       offsetof(struct io_uring_cqe, user_data) &&
	       offsetof(struct miscuring_cqe, res) ==
	       offsetof(struct io_uring_cqe, res) &&
	       offsetof(struct miscuring_cqe, flags) ==
	       offsetof(struct io_uring_cqe, flags) &&
	       offsetof(struct miscuring_cqe, res2) == 16 &&
	       offsetof(struct miscuring_cqe, res3) == 24 &&
	       sizeof(struct miscuring_cqe) == 32 &&
	       sizeof(struct io_uring_cqe) == 16, "CQE layouts");

/*
 * Copy out up to max ready completions, put-aside ones first, and consume
 * those of the CQ ring with one store of its head: the batch path, where
 * no callback can re-enter the ring.
 */
static unsigned mu_copy_ready(struct miscuring_ring *ring,
			      struct miscuring_cqe *out, unsigned max)
{
	struct io_uring_cq *cq = &ring->uring.cq;
	unsigned head, mask = cq->ring_mask, n = 0, i, avail;

	while (n < max && mu_backlog_pop(ring, &out[n]))
		n++;
	if (ring->cq_mixed) {
		struct io_uring_cqe *cqe;

		/* CQEs of one or two slots: one at a time. */
		while (n < max && (cqe = mu_ready_cqe(ring)))
			mu_pull_cqe(ring, cqe, &out[n++]);
		goto out;
	}
	head = *cq->khead;
	avail = io_uring_smp_load_acquire(cq->ktail) - head;
	if (avail > max - n)
		avail = max - n;
	if (ring->uring.flags & IORING_SETUP_CQE32) {
		for (i = 0; i < avail; i++, n++, head++) {
			const struct io_uring_cqe *cqe =
				&cq->cqes[(head & mask) << 1];

			memcpy(&out[n], cqe, 16);
			out[n].res2 = cqe->big_cqe[0];
			out[n].res3 = cqe->big_cqe[1];
		}
	} else {
		for (i = 0; i < avail; i++, n++, head++) {
			memcpy(&out[n], &cq->cqes[head & mask], 16);
			out[n].res2 = 0;
			out[n].res3 = 0;
		}
	}
	if (avail)
		io_uring_smp_store_release(cq->khead, head);
out:
	for (i = 0; i < n; i++)
		mu_handed_out(ring, &out[i]);
	return n;
}

int miscuring_peek(struct miscuring_ring *ring, struct miscuring_cqe *cqe)
{
	int ret;

	if (!cqe)
		return -EINVAL;
	ret = mu_flush(ring);
	if (ret)
		return ret;
	return mu_next(ring, cqe);
}

int miscuring_wait_timeout(struct miscuring_ring *ring,
			   struct miscuring_cqe *cqe,
			   const struct timespec *timeout)
{
	int ret;

	if (!cqe)
		return -EINVAL;
	ret = mu_wait_ready(ring, 1, timeout);
	if (ret)
		return ret;
	return mu_next(ring, cqe);
}

int miscuring_wait(struct miscuring_ring *ring, struct miscuring_cqe *cqe)
{
	return miscuring_wait_timeout(ring, cqe, NULL);
}

/*
 * Fill up to max completions, after waiting for min of them (0: do not
 * wait). Returns how many were filled; fewer than min only when the timeout
 * expired, and -ETIME when it expired with none.
 */
int miscuring_wait_batch(struct miscuring_ring *ring,
			 struct miscuring_cqe *cqes, unsigned max,
			 unsigned min, const struct timespec *timeout)
{
	unsigned n;
	int ret;

	if (!cqes || !max || min > max)
		return -EINVAL;
	ret = mu_wait_ready(ring, min, timeout);
	if (ret && ret != -ETIME)
		return ret;
	/* mu_wait_ready() looked for task work already: the ring is enough. */
	n = mu_copy_ready(ring, cqes, max);
	return n ? (int)n : ret;
}

/*
 * Like miscuring_wait_batch(), handing each completion to fn. fn returning
 * non-zero stops the walk after that completion; the rest stay queued.
 * Only the completions ready when the walk starts are handed out: those
 * of commands that fn sends and that complete at once would otherwise
 * keep the walk going for ever.
 */
int miscuring_reap(struct miscuring_ring *ring, unsigned min,
		   const struct timespec *timeout, miscuring_cqe_fn fn,
		   void *arg)
{
	struct io_uring_cqe *cqe;
	struct miscuring_cqe out;
	unsigned n = 0, limit;
	int ret;

	if (!fn)
		return -EINVAL;
	ret = mu_wait_ready(ring, min, timeout);
	if (ret && ret != -ETIME)
		return ret;
	limit = miscuring_cq_ready(ring);
	while (n < limit) {
		if (!mu_backlog_pop(ring, &out)) {
			cqe = mu_ready_cqe(ring);
			if (!cqe)
				break;
			mu_pull_cqe(ring, cqe, &out);
		}
		mu_handed_out(ring, &out);
		n++;
		if (fn(&out, arg))
			break;
	}
	return n ? (int)n : ret;
}

unsigned miscuring_cq_ready(const struct miscuring_ring *ring)
{
	return ring->bl_count + mu_cq_count(ring);
}

/*
 * Cancel the in-flight command with user_data target and wait until it is
 * gone (IORING_REGISTER_SYNC_CANCEL, 6.0+). Its own completion, normally
 * -ECANCELED, is still to be reaped. -ENOENT: no such command, or one
 * io_uring cannot cancel; uring_cmd commands are among those (io_uring
 * cancels them only when their ring goes away). -ETIME: timeout passed.
 */
int miscuring_cancel(struct miscuring_ring *ring, uint64_t target,
		     const struct timespec *timeout)
{
	struct io_uring_sync_cancel_reg reg;
	int ret;

	/* The target may still be only prepared. */
	ret = mu_flush(ring);
	if (ret)
		return ret;
	memset(&reg, 0, sizeof(reg));
	reg.addr = target;
	reg.fd = -1;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	if (timeout) {
		if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 ||
		    timeout->tv_nsec >= MU_NSEC_PER_SEC)
			return -EINVAL;
		reg.timeout.tv_sec = timeout->tv_sec;
		reg.timeout.tv_nsec = timeout->tv_nsec;
	}
	return io_uring_register_sync_cancel(&ring->uring, &reg);
}
