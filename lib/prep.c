/* SPDX-License-Identifier: MIT */
/*
 * SQE builders. Each one validates its arguments before it takes an SQE,
 * so a failed call leaves nothing queued, then writes the command straight
 * into the ring: no allocation, no copy through a temporary.
 */
#include "config.h"

#include <errno.h>

#include "internal.h"

_Static_assert(offsetof(struct io_uring_sqe, cmd) == MU_SQE_CMD_OFFSET,
	       "uring_cmd payload offset");
_Static_assert(MU_SQE_CMD_OFFSET + MISCURING_PAYLOAD_SQE64 == 64,
	       "64-byte SQE payload size");

/*
 * Take the next SQE and clear all of it: 64 or 128 bytes. Stale bytes
 * from an earlier command would otherwise end up in the payload, and the
 * module rejects non-zero reserved bytes. Constant sizes let the compiler
 * inline the clearing.
 *
 * This is io_uring_get_sqe() for the rings this library sets up: never
 * SQPOLL, so the kernel moves the SQ head only inside this thread's
 * io_uring_enter() and a plain read of it is enough.
 */
static inline struct io_uring_sqe *mu_get_sqe(struct miscuring_ring *ring)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned tail = sq->sqe_tail;
	struct io_uring_sqe *sqe;

	if (tail - IO_URING_READ_ONCE(*sq->khead) >= sq->ring_entries)
		return NULL;
	sq->sqe_tail = tail + 1;
	if (ring->sqe_size == 128) {
		sqe = &sq->sqes[(tail & sq->ring_mask) << 1];
		memset(sqe, 0, 128);
	} else {
		sqe = &sq->sqes[tail & sq->ring_mask];
		memset(sqe, 0, 64);
	}
	return sqe;
}

/*
 * What io_uring_prep_uring_cmd() (liburing 2.13+) and, before it,
 * io_uring_prep_rw(IORING_OP_URING_CMD, ...) + cmd_op produce; on a zeroed
 * SQE only these fields are not zero.
 */
static inline void mu_prep_uring_cmd(const struct miscuring_ring *ring,
				     struct io_uring_sqe *sqe, int fd,
				     uint32_t cmd_op, uint64_t user_data)
{
	sqe->opcode = IORING_OP_URING_CMD;
	mu_sqe_set_file(ring, sqe, fd);
	sqe->cmd_op = cmd_op;
	sqe->user_data = user_data;
}

/* Queue a miscuring op on the ring's device; returns its payload area. */
static inline uint8_t *mu_queue_op(struct miscuring_ring *ring,
				   uint32_t cmd_op, uint64_t user_data,
				   int *err)
{
	struct io_uring_sqe *sqe;

	if (ring->fd < 0) {
		*err = -EBADF;
		return NULL;
	}
	sqe = mu_get_sqe(ring);
	if (!sqe) {
		*err = -EBUSY;
		return NULL;
	}
	mu_prep_uring_cmd(ring, sqe, ring->fd, cmd_op, user_data);
	return mu_sqe_payload(sqe);
}

int miscuring_prep_nop(struct miscuring_ring *ring, uint64_t user_data)
{
	int err = 0;

	mu_queue_op(ring, MISCURING_CMD_NOP, user_data, &err);
	return err;
}

int miscuring_prep_hello(struct miscuring_ring *ring, uint64_t user_data)
{
	int err = 0;

	mu_queue_op(ring, MISCURING_CMD_HELLO, user_data, &err);
	return err;
}

/*
 * value NULL asks for the value as the CQE's second result, which only a
 * CQE32 ring carries: the module would fail it with -EINVAL, so fail early.
 */
int miscuring_prep_get_value(struct miscuring_ring *ring, uint64_t *value,
			     uint64_t user_data)
{
	uint8_t *p;
	int err = 0;

	if (!value && !(ring->flags & MISCURING_SETUP_CQE32))
		return -EINVAL;
	p = mu_queue_op(ring, MISCURING_CMD_GET_VALUE, user_data, &err);
	if (p)
		mu_put_get_value(p, (uint64_t)(uintptr_t)value);
	return err;
}

int miscuring_prep_set_value(struct miscuring_ring *ring, uint64_t value,
			     uint64_t user_data)
{
	uint8_t *p;
	int err = 0;

	p = mu_queue_op(ring, MISCURING_CMD_SET_VALUE, user_data, &err);
	if (p)
		mu_put_set_value(p, value);
	return err;
}

/*
 * The module copies min(len, payload size) bytes of the payload to buf:
 * the 16-byte struct miscuring_echo, then data (SQE128 rings only).
 */
int miscuring_prep_echo(struct miscuring_ring *ring, void *buf, uint32_t len,
			const void *data, size_t data_len, uint64_t user_data)
{
	uint8_t *p;
	int err = 0;

	if (!buf || !len || (data_len && !data))
		return -EINVAL;
	if (data_len > ring->payload_size - MISCURING_PAYLOAD_SQE64)
		return -EMSGSIZE;
	p = mu_queue_op(ring, MISCURING_CMD_ECHO, user_data, &err);
	if (!p)
		return err;
	mu_put_addr_len(p, (uint64_t)(uintptr_t)buf, len);
	if (data_len)
		memcpy(p + MISCURING_PAYLOAD_SQE64, data, data_len);
	return 0;
}

int miscuring_prep_delay(struct miscuring_ring *ring, uint32_t usec,
			 int32_t result, uint64_t user_data)
{
	uint8_t *p;
	int err = 0;

	if (usec > MISCURING_DELAY_MAX_USEC)
		return -EINVAL;
	p = mu_queue_op(ring, MISCURING_CMD_DELAY, user_data, &err);
	if (p)
		mu_put_delay(p, usec, result);
	return err;
}

int miscuring_prep_probe(struct miscuring_ring *ring, void *buf, uint32_t len,
			 uint64_t user_data)
{
	uint8_t *p;
	int err = 0;

	if (!buf || !len)
		return -EINVAL;
	p = mu_queue_op(ring, MISCURING_CMD_PROBE, user_data, &err);
	if (p)
		mu_put_addr_len(p, (uint64_t)(uintptr_t)buf, len);
	return err;
}

/*
 * WAIT completes once the file's value differs from value (at once if it
 * already does), or with -ETIMEDOUT after timeout_usec (0: just look).
 */
int miscuring_prep_wait_value(struct miscuring_ring *ring, uint64_t value,
			      uint32_t timeout_usec, uint64_t user_data)
{
	uint8_t *p;
	int err = 0;

	if (timeout_usec > MISCURING_WAIT_MAX_USEC)
		return -EINVAL;
	p = mu_queue_op(ring, MISCURING_CMD_WAIT, user_data, &err);
	if (p)
		mu_put_wait(p, value, timeout_usec);
	return err;
}

int miscuring_prep_stats(struct miscuring_ring *ring, void *buf, uint32_t len,
			 uint64_t user_data)
{
	uint8_t *p;
	int err = 0;

	if (!buf || !len)
		return -EINVAL;
	p = mu_queue_op(ring, MISCURING_CMD_STATS, user_data, &err);
	if (p)
		mu_put_addr_len(p, (uint64_t)(uintptr_t)buf, len);
	return err;
}

int miscuring_prep_reset_stats(struct miscuring_ring *ring, uint64_t user_data)
{
	int err = 0;

	mu_queue_op(ring, MISCURING_CMD_RESET_STATS, user_data, &err);
	return err;
}

/*
 * Any uring_cmd on any file: the payload is copied as given and the rest of
 * the command area is left zero. The payload is not checked against the
 * miscuring ABI, so this also reaches ops the library does not know.
 */
int miscuring_prep_cmd(struct miscuring_ring *ring, int fd, uint32_t cmd_op,
		       const void *payload, size_t len, uint64_t user_data)
{
	struct io_uring_sqe *sqe;

	if (fd < 0)
		return -EBADF;
	if (len && !payload)
		return -EINVAL;
	if (len > ring->payload_size)
		return -EMSGSIZE;
	sqe = mu_get_sqe(ring);
	if (!sqe)
		return -EBUSY;
	mu_prep_uring_cmd(ring, sqe, fd, cmd_op, user_data);
	if (len)
		memcpy(mu_sqe_payload(sqe), payload, len);
	return 0;
}

/* Ask the kernel to cancel the in-flight command with user_data target. */
int miscuring_prep_cancel(struct miscuring_ring *ring, uint64_t target,
			  uint64_t user_data)
{
	struct io_uring_sqe *sqe = mu_get_sqe(ring);

	if (!sqe)
		return -EBUSY;
	io_uring_prep_cancel64(sqe, target, 0);
	sqe->user_data = user_data;
	return 0;
}
