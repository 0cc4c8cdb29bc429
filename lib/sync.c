/* SPDX-License-Identifier: MIT */
/*
 * Synchronous helpers: queue one command, send it, wait for it.
 *
 * Other commands may be queued or in flight: they are sent along, and
 * their CQEs, met while the helper waits for its own (matched by
 * user_data), are put aside for peek/wait/reap. The kernel writes only
 * into the ring's scratch area, never into the helper's stack frame.
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "internal.h"

/* A user_data no other sync command of this ring has had lately. */
static uint64_t mu_sync_ud(struct miscuring_ring *ring)
{
	ring->sync_seq = (ring->sync_seq + 1) & MU_SYNC_SEQ_MASK;
	return MISCURING_SYNC_TAG << MISCURING_SYNC_TAG_SHIFT | ring->sync_seq;
}

/*
 * Take back the one command a failed submit left in the SQ ring (the
 * helper's own, queued last: one SQ slot, or the two or three of a
 * 128-byte SQE on an SQE_MIXED ring), so a later submit does not send a command its helper
 * has given up on. Without SQPOLL only this task moves the tail and the
 * kernel reads the ring only inside io_uring_enter, so stepping the tail
 * back is safe; commands queued before it stay queued.
 */
static void mu_unqueue_one(struct miscuring_ring *ring)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned tail = sq->sqe_tail - ring->last_slots;

	sq->sqe_tail = tail;
	sq->sqe_head = tail;
	IO_URING_WRITE_ONCE(*sq->ktail, tail);
}

/*
 * Send what is queued, the helper's command (user_data ud) last, and wait
 * for that command's CQE. Other CQEs met on the way go to the backlog for
 * peek/wait/reap. A signal does not end the wait: the command still runs.
 */
static int mu_run(struct miscuring_ring *ring, uint64_t ud,
		  struct miscuring_cqe *cqe)
{
	struct io_uring_cqe *c;
	int ret;

	ret = miscuring_submit(ring);
	if (ret < 0 || io_uring_sq_ready(&ring->uring)) {
		mu_unqueue_one(ring);
		return ret < 0 ? ret : -EAGAIN;
	}
	for (;;) {
		c = mu_ready_cqe(ring);
		if (!c) {
			do {
				ret = io_uring_wait_cqe(&ring->uring, &c);
			} while (ret == -EINTR || ret == -EAGAIN);
			if (ret < 0)
				return ret;
			/* Look again: it may be a skip CQE (CQE_MIXED). */
			continue;
		}
		mu_pull_cqe(ring, c, cqe);
		if (cqe->user_data == ud) {
			mu_handed_out(ring, cqe);
			return 0;
		}
		ret = mu_backlog_push(ring, cqe);
		if (ret)
			return ret;
	}
}

/* Run the command just queued with user_data ud; the CQE's res. */
static int mu_run_res(struct miscuring_ring *ring, uint64_t ud,
		      uint64_t *res2)
{
	struct miscuring_cqe cqe;
	int ret = mu_run(ring, ud, &cqe);

	if (ret)
		return ret;
	if (res2)
		*res2 = cqe.res2;
	return cqe.res;
}

int miscuring_nop(struct miscuring_ring *ring)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret = miscuring_prep_nop(ring, ud);

	return ret ? ret : mu_run_res(ring, ud, NULL);
}

int miscuring_hello(struct miscuring_ring *ring)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret = miscuring_prep_hello(ring, ud);

	return ret ? ret : mu_run_res(ring, ud, NULL);
}

/* Through a buffer, which works with and without CQE32. */
int miscuring_get_value(struct miscuring_ring *ring, uint64_t *value)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret;

	if (!value)
		return -EINVAL;
	ring->scratch.value = 0;
	ret = miscuring_prep_get_value(ring, &ring->scratch.value, ud);
	if (!ret)
		ret = mu_run_res(ring, ud, NULL);
	if (ret < 0)
		return ret;
	*value = ring->scratch.value;
	return 0;
}

int miscuring_set_value(struct miscuring_ring *ring, uint64_t value)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret = miscuring_prep_set_value(ring, value, ud);

	return ret ? ret : mu_run_res(ring, ud, NULL);
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
	/* An SQE_MIXED ring sends a header alone in a 64-byte SQE. */
	unsigned sent = ring->flags & MISCURING_SETUP_SQE_MIXED && !len ?
			MISCURING_PAYLOAD_SQE64 : ring->payload_size;

	if (res < 0)
		return res;
	if ((unsigned)res != sent)
		return -EPROTO;
	if (miscuring_decode(MISCURING_CMD_ECHO, echo, sent, &args) ||
	    args.addr != (uint64_t)(uintptr_t)echo ||
	    args.len != ring->payload_size ||
	    (len && memcmp(args.data, data, len)) ||
	    !mu_all_zero(args.data + len, args.data_len - len))
		return -EPROTO;
	return 0;
}

/*
 * Echo len bytes of data (up to 64, SQE128 and SQE_MIXED rings only; 0
 * just round-trips the header) into out. Returns len.
 */
int miscuring_echo(struct miscuring_ring *ring, const void *data, size_t len,
		   void *out)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret;

	if (len && (!data || !out))
		return -EINVAL;
	memset(ring->scratch.echo, 0, sizeof(ring->scratch.echo));
	ret = miscuring_prep_echo(ring, ring->scratch.echo, ring->payload_size,
				  data, len, ud);
	if (ret)
		return ret;
	ret = mu_echo_check(ring, mu_run_res(ring, ud, NULL), data, len);
	if (ret)
		return ret;
	if (len)
		memcpy(out, ring->scratch.echo + MISCURING_PAYLOAD_SQE64, len);
	return (int)len;
}

/* Returns the CQE's res: result when the module honoured the delay. */
int miscuring_delay(struct miscuring_ring *ring, uint32_t usec, int32_t result)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret = miscuring_prep_delay(ring, usec, result, ud);

	return ret ? ret : mu_run_res(ring, ud, NULL);
}

/* PROBE into the scratch area; the bytes the module wrote. */
static int mu_probe_raw(struct miscuring_ring *ring)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret;

	memset(&ring->scratch.info, 0, sizeof(ring->scratch.info));
	ret = miscuring_prep_probe(ring, &ring->scratch.info,
				   sizeof(ring->scratch.info), ud);
	return ret ? ret : mu_run_res(ring, ud, NULL);
}

/*
 * At open: is the ring's file /dev/miscuring? Only a character device can
 * be (no command goes to a socket, a pipe, a block device, a regular
 * file); for one, PROBE must answer with an info this library decodes.
 * Other drivers fail the op, /dev/null answers 0 bytes. Fails only when
 * the PROBE could not be sent or waited for.
 */
int mu_identify(struct miscuring_ring *ring)
{
	struct miscuring_devinfo info;
	struct miscuring_cqe cqe;
	struct stat st;
	uint64_t ud;
	int ret;

	ring->is_device = false;
	if (ring->fd < 0 || fstat(ring->fd, &st) || !S_ISCHR(st.st_mode))
		return 0;
	ring->is_device = true;
	ud = mu_sync_ud(ring);
	memset(&ring->scratch.info, 0, sizeof(ring->scratch.info));
	ret = miscuring_prep_probe(ring, &ring->scratch.info,
				   sizeof(ring->scratch.info), ud);
	if (!ret)
		ret = mu_run(ring, ud, &cqe);
	ring->is_device = !ret && cqe.res > 0 &&
		!miscuring_decode_info(&ring->scratch.info, (size_t)cqe.res,
				       &info);
	return ret;
}

int miscuring_probe(struct miscuring_ring *ring,
		    struct miscuring_devinfo *info)
{
	int ret;

	if (!info)
		return -EINVAL;
	if (!ring->is_device)
		return ring->fd < 0 ? -EBADF : -ENOTTY;
	ret = mu_probe_raw(ring);
	if (ret < 0)
		return ret;
	return miscuring_decode_info(&ring->scratch.info, (size_t)ret, info);
}

/*
 * Wait until the file's value differs from value, at most timeout_usec.
 * *now (if not NULL) gets the value at completion: the second result on
 * a CQE32 or CQE_MIXED ring, or on other rings a GET_VALUE right after.
 */
int miscuring_wait_value(struct miscuring_ring *ring, uint64_t value,
			 uint32_t timeout_usec, uint64_t *now)
{
	uint64_t ud = mu_sync_ud(ring), res2 = 0;
	int ret = miscuring_prep_wait_value(ring, value, timeout_usec, ud);

	if (!ret)
		ret = mu_run_res(ring, ud, &res2);
	if (ret < 0 || !now)
		return ret;
	if (ring->flags & MU_SETUP_RES2) {
		*now = res2;
		return 0;
	}
	return miscuring_get_value(ring, now);
}

int miscuring_stats(struct miscuring_ring *ring,
		    struct miscuring_devstats *stats)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret;

	if (!stats)
		return -EINVAL;
	memset(&ring->scratch.stats, 0, sizeof(ring->scratch.stats));
	ret = miscuring_prep_stats(ring, &ring->scratch.stats,
				   sizeof(ring->scratch.stats), ud);
	if (!ret)
		ret = mu_run_res(ring, ud, NULL);
	if (ret < 0)
		return ret;
	return miscuring_decode_stats(&ring->scratch.stats, (size_t)ret, stats);
}

/* Needs CAP_SYS_ADMIN in the module: -EPERM without. */
int miscuring_reset_stats(struct miscuring_ring *ring)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret = miscuring_prep_reset_stats(ring, ud);

	return ret ? ret : mu_run_res(ring, ud, NULL);
}

/* Any uring_cmd, waited for; returns its res, *res2 gets the second one. */
int miscuring_cmd(struct miscuring_ring *ring, int fd, uint32_t cmd_op,
		  const void *payload, size_t len, uint64_t *res2)
{
	uint64_t ud = mu_sync_ud(ring);
	int ret = miscuring_prep_cmd(ring, fd, cmd_op, payload, len, ud);

	return ret ? ret : mu_run_res(ring, ud, res2);
}

int miscuring_cmd_desc(struct miscuring_ring *ring,
		       const struct miscuring_cmd_desc *desc,
		       struct miscuring_cqe *cqe)
{
	struct miscuring_cmd_desc d;
	uint64_t ud;
	int ret;

	if (!cqe)
		return -EINVAL;
	ret = mu_desc_check(desc, mu_ring_max_sqe(ring), &d);
	if (ret)
		return ret;
	ud = mu_sync_ud(ring);
	d.user_data = ud;
	ret = miscuring_prep_cmd_desc(ring, &d);
	return ret ? ret : mu_run(ring, ud, cqe);
}
