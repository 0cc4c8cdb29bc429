/* SPDX-License-Identifier: MIT */
/*
 * Sending prepared commands: everything queued goes in one io_uring_enter.
 */
#include "config.h"

#include "internal.h"

/* Returns the number of commands sent, or a negative errno. */
int miscuring_submit(struct miscuring_ring *ring)
{
	int ret = io_uring_submit(&ring->uring);

	if (ret > 0)
		ring->inflight += (unsigned)ret;
	return ret;
}

/* Send, and wait in the same system call for wait_nr completions. */
int miscuring_submit_and_wait(struct miscuring_ring *ring, unsigned wait_nr)
{
	int ret = io_uring_submit_and_wait(&ring->uring, wait_nr);

	if (ret > 0)
		ring->inflight += (unsigned)ret;
	return ret;
}
