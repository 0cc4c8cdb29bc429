/* SPDX-License-Identifier: MIT */
/*
 * Synchronous helpers: queue one command, send it, wait for it.
 *
 * They need a ring with nothing queued or in flight (-EBUSY otherwise):
 * with other commands around, their completions would have to be held
 * back for the caller, which the ring does not do. The kernel writes only
 * into the ring's scratch area, never into the helper's stack frame.
 */
#include "config.h"

#include <errno.h>

#include "internal.h"

static int mu_idle(struct miscuring_ring *ring)
{
	if (ring->inflight || io_uring_sq_ready(&ring->uring))
		return -EBUSY;
	return 0;
}

/*
 * Take back the one SQE a failed submit left in the SQ ring, so a later
 * submit does not send a command its helper has given up on. Without
 * SQPOLL only this task moves the tail and the kernel reads the ring only
 * inside io_uring_enter, so stepping the tail back is safe.
 */
static void mu_unqueue_one(struct miscuring_ring *ring)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned tail = sq->sqe_tail - 1;

	sq->sqe_tail = tail;
	sq->sqe_head = tail;
	IO_URING_WRITE_ONCE(*sq->ktail, tail);
}

/* Send the one queued command and wait for its completion. */
static int mu_run(struct miscuring_ring *ring, struct miscuring_cqe *cqe)
{
	struct io_uring_cqe *c;
	int ret;

	ret = miscuring_submit(ring);
	if (ret != 1) {
		mu_unqueue_one(ring);
		return ret < 0 ? ret : -EAGAIN;
	}
	/* A signal does not end the wait: the command is still running. */
	do {
		ret = io_uring_wait_cqe(&ring->uring, &c);
	} while (ret == -EINTR || ret == -EAGAIN);
	if (ret < 0)
		return ret;
	mu_take_cqe(ring, c, cqe);
	return 0;
}

/* The CQE's res, or a negative errno if the command never completed. */
static int mu_run_res(struct miscuring_ring *ring, uint64_t *res2)
{
	struct miscuring_cqe cqe;
	int ret = mu_run(ring, &cqe);

	if (ret)
		return ret;
	if (res2)
		*res2 = cqe.res2;
	return cqe.res;
}

int miscuring_nop(struct miscuring_ring *ring)
{
	int ret = mu_idle(ring);

	if (!ret)
		ret = miscuring_prep_nop(ring, MU_SYNC_USER_DATA);
	return ret ? ret : mu_run_res(ring, NULL);
}

int miscuring_hello(struct miscuring_ring *ring)
{
	int ret = mu_idle(ring);

	if (!ret)
		ret = miscuring_prep_hello(ring, MU_SYNC_USER_DATA);
	return ret ? ret : mu_run_res(ring, NULL);
}

/* Through a buffer, which works with and without CQE32. */
int miscuring_get_value(struct miscuring_ring *ring, uint64_t *value)
{
	int ret;

	if (!value)
		return -EINVAL;
	ret = mu_idle(ring);
	if (ret)
		return ret;
	ring->scratch.value = 0;
	ret = miscuring_prep_get_value(ring, &ring->scratch.value,
				       MU_SYNC_USER_DATA);
	if (!ret)
		ret = mu_run_res(ring, NULL);
	if (ret < 0)
		return ret;
	*value = ring->scratch.value;
	return 0;
}

int miscuring_set_value(struct miscuring_ring *ring, uint64_t value)
{
	int ret = mu_idle(ring);

	if (!ret)
		ret = miscuring_prep_set_value(ring, value, MU_SYNC_USER_DATA);
	return ret ? ret : mu_run_res(ring, NULL);
}

/*
 * The module must echo the payload it got: its own header (our buffer's
 * address and length) and then the data. Anything else is -EPROTO.
 */
static int mu_echo_check(struct miscuring_ring *ring, int res,
			 const void *data, size_t len)
{
	struct miscuring_args args;
	const uint8_t *echo = ring->scratch.echo;

	if (res < 0)
		return res;
	if ((unsigned)res != ring->payload_size)
		return -EPROTO;
	if (miscuring_decode(MISCURING_CMD_ECHO, echo, ring->payload_size,
			     &args) ||
	    args.addr != (uint64_t)(uintptr_t)echo ||
	    args.len != ring->payload_size ||
	    (len && memcmp(args.data, data, len)) ||
	    !mu_all_zero(args.data + len, args.data_len - len))
		return -EPROTO;
	return 0;
}

/*
 * Echo len bytes of data (up to 64, SQE128 rings only; 0 just round-trips
 * the header) into out. Returns len.
 */
int miscuring_echo(struct miscuring_ring *ring, const void *data, size_t len,
		   void *out)
{
	int ret;

	if (len && (!data || !out))
		return -EINVAL;
	ret = mu_idle(ring);
	if (ret)
		return ret;
	memset(ring->scratch.echo, 0, sizeof(ring->scratch.echo));
	ret = miscuring_prep_echo(ring, ring->scratch.echo, ring->payload_size,
				  data, len, MU_SYNC_USER_DATA);
	if (ret)
		return ret;
	ret = mu_echo_check(ring, mu_run_res(ring, NULL), data, len);
	if (ret)
		return ret;
	if (len)
		memcpy(out, ring->scratch.echo + MISCURING_PAYLOAD_SQE64, len);
	return (int)len;
}

/* Returns the CQE's res: result when the module honoured the delay. */
int miscuring_delay(struct miscuring_ring *ring, uint32_t usec, int32_t result)
{
	int ret = mu_idle(ring);

	if (!ret)
		ret = miscuring_prep_delay(ring, usec, result,
					   MU_SYNC_USER_DATA);
	return ret ? ret : mu_run_res(ring, NULL);
}

int miscuring_probe(struct miscuring_ring *ring,
		    struct miscuring_devinfo *info)
{
	int ret;

	if (!info)
		return -EINVAL;
	ret = mu_idle(ring);
	if (ret)
		return ret;
	memset(&ring->scratch.info, 0, sizeof(ring->scratch.info));
	ret = miscuring_prep_probe(ring, &ring->scratch.info,
				   sizeof(ring->scratch.info),
				   MU_SYNC_USER_DATA);
	if (!ret)
		ret = mu_run_res(ring, NULL);
	if (ret < 0)
		return ret;
	return miscuring_decode_info(&ring->scratch.info, (size_t)ret, info);
}

/*
 * Wait until the file's value differs from value, at most timeout_usec.
 * *now (if not NULL) gets the value at completion: the CQE32 second
 * result, or on other rings a GET_VALUE right after.
 */
int miscuring_wait_value(struct miscuring_ring *ring, uint64_t value,
			 uint32_t timeout_usec, uint64_t *now)
{
	uint64_t res2 = 0;
	int ret = mu_idle(ring);

	if (!ret)
		ret = miscuring_prep_wait_value(ring, value, timeout_usec,
						MU_SYNC_USER_DATA);
	if (!ret)
		ret = mu_run_res(ring, &res2);
	if (ret < 0 || !now)
		return ret;
	if (ring->flags & MISCURING_SETUP_CQE32) {
		*now = res2;
		return 0;
	}
	return miscuring_get_value(ring, now);
}

int miscuring_stats(struct miscuring_ring *ring,
		    struct miscuring_devstats *stats)
{
	int ret;

	if (!stats)
		return -EINVAL;
	ret = mu_idle(ring);
	if (ret)
		return ret;
	memset(&ring->scratch.stats, 0, sizeof(ring->scratch.stats));
	ret = miscuring_prep_stats(ring, &ring->scratch.stats,
				   sizeof(ring->scratch.stats),
				   MU_SYNC_USER_DATA);
	if (!ret)
		ret = mu_run_res(ring, NULL);
	if (ret < 0)
		return ret;
	return miscuring_decode_stats(&ring->scratch.stats, (size_t)ret, stats);
}

/* Needs CAP_SYS_ADMIN in the module: -EPERM without. */
int miscuring_reset_stats(struct miscuring_ring *ring)
{
	int ret = mu_idle(ring);

	if (!ret)
		ret = miscuring_prep_reset_stats(ring, MU_SYNC_USER_DATA);
	return ret ? ret : mu_run_res(ring, NULL);
}

/* Any uring_cmd, waited for; returns its res, *res2 gets the second one. */
int miscuring_cmd(struct miscuring_ring *ring, int fd, uint32_t cmd_op,
		  const void *payload, size_t len, uint64_t *res2)
{
	int ret = mu_idle(ring);

	if (!ret)
		ret = miscuring_prep_cmd(ring, fd, cmd_op, payload, len,
					 MU_SYNC_USER_DATA);
	return ret ? ret : mu_run_res(ring, res2);
}
