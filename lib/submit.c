/* SPDX-License-Identifier: MIT */
/*
 * Sending prepared commands: everything queued goes in one io_uring_enter.
 */
#include "config.h"

#include "internal.h"

/*
 * The kernel answers with the SQ slots it consumed. On an SQE_MIXED ring a
 * 128-byte command takes two and a padding NOP one without a completion:
 * count the commands that started in those slots (head: the SQ head before
 * the call). Elsewhere a slot is a command.
 */
static int mu_sent(struct miscuring_ring *ring, unsigned head, int ret)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned i, n = 0;

	if (ret <= 0)
		return ret;
	if (!ring->slot_cmd) {
		ring->inflight += (unsigned)ret;
		return ret;
	}
	for (i = 0; i < (unsigned)ret; i++)
		n += ring->slot_cmd[(head + i) & sq->ring_mask];
	ring->inflight += n;
	return (int)n;
}

/* Returns the number of commands sent, or a negative errno. */
int miscuring_submit(struct miscuring_ring *ring)
{
	unsigned head = IO_URING_READ_ONCE(*ring->uring.sq.khead);

	return mu_sent(ring, head, io_uring_submit(&ring->uring));
}

/* Send, and wait in the same system call for wait_nr completions. */
int miscuring_submit_and_wait(struct miscuring_ring *ring, unsigned wait_nr)
{
	unsigned head = IO_URING_READ_ONCE(*ring->uring.sq.khead);

	return mu_sent(ring, head,
		       io_uring_submit_and_wait(&ring->uring, wait_nr));
}
