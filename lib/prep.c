/* SPDX-License-Identifier: MIT */
/*
 * The library ring's builders: a thin layer on the miscuring_sqe_*()
 * builders of sqe.c. Each fills the ring's next free SQE in place and
 * takes it only when the builder succeeded, so a failed call leaves
 * nothing queued: no allocation, no copy through a temporary.
 */
#include "config.h"

#include <errno.h>

#include "internal.h"

/*
 * The next free SQE, not taken yet; NULL when the SQ ring is full. This is
 * io_uring_get_sqe() for the rings this library sets up: never SQPOLL, so
 * the kernel moves the SQ head only inside this thread's io_uring_enter()
 * and a plain read of it is enough.
 */
static inline struct io_uring_sqe *mu_next_sqe(struct miscuring_ring *ring)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned tail = sq->sqe_tail;

	if (tail - IO_URING_READ_ONCE(*sq->khead) >= sq->ring_entries)
		return NULL;
	if (ring->sqe_size == 128)
		return &sq->sqes[(tail & sq->ring_mask) << 1];
	return &sq->sqes[tail & sq->ring_mask];
}

/* Take the SQE a builder filled (ret 0), pointing it at a registered file. */
static inline int mu_take_sqe(struct miscuring_ring *ring,
			      struct io_uring_sqe *sqe, int ret)
{
	struct io_uring_sq *sq = &ring->uring.sq;

	if (ret)
		return ret;
	mu_sqe_set_file(ring, sqe, sqe->fd);
	if (ring->slot_cmd)
		ring->slot_cmd[sq->sqe_tail & sq->ring_mask] = 1;
	sq->sqe_tail++;
	ring->last_slots = 1;
	return 0;
}

/*
 * SQE_MIXED rings: the next two free slots for a 128-byte SQE, not taken
 * yet; NULL when the SQ ring has no room. The kernel reads the two in a
 * row and refuses a 128-byte SQE in the ring's last slot, so when the
 * tail is there, that slot gets a NOP first (mu_take_sqe128()) and the
 * command starts at slot 0: *slots is 3 then, else 2.
 */
static struct io_uring_sqe *mu_next_sqe128(struct miscuring_ring *ring,
					   unsigned *slots)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned tail = sq->sqe_tail;
	unsigned pad = (tail & sq->ring_mask) == sq->ring_mask;

	if (tail + pad + 2 - IO_URING_READ_ONCE(*sq->khead) > sq->ring_entries)
		return NULL;
	*slots = pad + 2;
	return &sq->sqes[(tail + pad) & sq->ring_mask];
}

/*
 * Take the 128-byte SQE a builder filled (ret 0) as IORING_OP_URING_CMD128,
 * after the padding NOP if it needs one. The NOP asks for no CQE
 * (IOSQE_CQE_SKIP_SUCCESS; a NOP does not fail): no completion shows for
 * it. io_uring then refuses IOSQE_IO_DRAIN on this ring (-EOPNOTSUPP), as
 * it does after any CQE_SKIP_SUCCESS request.
 */
static int mu_take_sqe128(struct miscuring_ring *ring, struct io_uring_sqe *sqe,
			  unsigned slots, int ret)
{
	struct io_uring_sq *sq = &ring->uring.sq;
	unsigned tail = sq->sqe_tail;

	if (ret)
		return ret;
	ret = miscuring_sqe_set_cmd128(sqe);
	if (ret)
		return ret;
	mu_sqe_set_file(ring, sqe, sqe->fd);
	if (slots == 3) {
		struct io_uring_sqe *nop = &sq->sqes[tail & sq->ring_mask];

		memset(nop, 0, sizeof(*nop));
		io_uring_prep_nop(nop);
		nop->flags = IOSQE_CQE_SKIP_SUCCESS;
		ring->slot_cmd[tail++ & sq->ring_mask] = 0;
	}
	ring->slot_cmd[tail++ & sq->ring_mask] = 1;
	ring->slot_cmd[tail++ & sq->ring_mask] = 0;
	sq->sqe_tail = tail;
	ring->last_slots = slots;
	return 0;
}

/* A command with payload_len bytes of payload needs a 128-byte SQE here. */
static inline bool mu_needs_sqe128(const struct miscuring_ring *ring,
				   size_t payload_len)
{
	return ring->slot_cmd && payload_len > MISCURING_PAYLOAD_SQE64;
}

/* Device ops go only to an open /dev/miscuring (-EBADF, -ENOTTY). */
static inline int mu_dev_check(const struct miscuring_ring *ring)
{
	if (ring->fd < 0)
		return -EBADF;
	return ring->is_device ? 0 : -ENOTTY;
}

/* The next SQE for a device op (mu_dev_check()). */
static inline struct io_uring_sqe *mu_dev_sqe(struct miscuring_ring *ring,
					      int *err)
{
	struct io_uring_sqe *sqe;

	*err = mu_dev_check(ring);
	if (*err)
		return NULL;
	sqe = mu_next_sqe(ring);
	if (!sqe)
		*err = -EBUSY;
	return sqe;
}

int miscuring_prep_nop(struct miscuring_ring *ring, uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe, miscuring_sqe_nop(sqe, ring->sqe_size,
							 ring->fd, user_data));
}

int miscuring_prep_hello(struct miscuring_ring *ring, uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe, miscuring_sqe_hello(sqe, ring->sqe_size,
							   ring->fd, user_data));
}

/*
 * value NULL asks for the value as the CQE's second result, which only a
 * CQE32 or CQE_MIXED ring carries: the module would fail it with -EINVAL,
 * so fail early.
 */
int miscuring_prep_get_value(struct miscuring_ring *ring, uint64_t *value,
			     uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe;

	if (!value && !(ring->flags & MU_SETUP_RES2))
		return -EINVAL;
	sqe = mu_dev_sqe(ring, &err);
	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_get_value(sqe, ring->sqe_size,
						   ring->fd, value, user_data));
}

int miscuring_prep_set_value(struct miscuring_ring *ring, uint64_t value,
			     uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_set_value(sqe, ring->sqe_size,
						   ring->fd, value, user_data));
}

/* On an SQE_MIXED ring, data makes it a 128-byte SQE; none, a 64-byte one. */
int miscuring_prep_echo(struct miscuring_ring *ring, void *buf, uint32_t len,
			const void *data, size_t data_len, uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe;
	unsigned slots;

	if (mu_needs_sqe128(ring, MISCURING_PAYLOAD_SQE64 + data_len)) {
		if (data_len > MISCURING_PAYLOAD_SQE128 - MISCURING_PAYLOAD_SQE64)
			return -EMSGSIZE;
		err = mu_dev_check(ring);
		if (err)
			return err;
		sqe = mu_next_sqe128(ring, &slots);
		if (!sqe)
			return -EBUSY;
		return mu_take_sqe128(ring, sqe, slots,
				      miscuring_sqe_echo(sqe, 128, ring->fd,
							 buf, len, data,
							 data_len, user_data));
	}
	sqe = mu_dev_sqe(ring, &err);
	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_echo(sqe, ring->sqe_size, ring->fd,
					      buf, len, data, data_len,
					      user_data));
}

int miscuring_prep_delay(struct miscuring_ring *ring, uint32_t usec,
			 int32_t result, uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_delay(sqe, ring->sqe_size, ring->fd,
					       usec, result, user_data));
}

int miscuring_prep_probe(struct miscuring_ring *ring, void *buf, uint32_t len,
			 uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_probe(sqe, ring->sqe_size, ring->fd,
					       buf, len, user_data));
}

int miscuring_prep_wait_value(struct miscuring_ring *ring, uint64_t value,
			      uint32_t timeout_usec, uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_wait_value(sqe, ring->sqe_size,
						    ring->fd, value,
						    timeout_usec, user_data));
}

int miscuring_prep_stats(struct miscuring_ring *ring, void *buf, uint32_t len,
			 uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_stats(sqe, ring->sqe_size, ring->fd,
					       buf, len, user_data));
}

int miscuring_prep_reset_stats(struct miscuring_ring *ring, uint64_t user_data)
{
	int err = 0;
	struct io_uring_sqe *sqe = mu_dev_sqe(ring, &err);

	if (!sqe)
		return err;
	return mu_take_sqe(ring, sqe,
			   miscuring_sqe_reset_stats(sqe, ring->sqe_size,
						     ring->fd, user_data));
}

/*
 * Any uring_cmd on any file, every SQE field (struct miscuring_cmd_desc).
 * The payload is not checked against the miscuring ABI, so this also
 * reaches ops the library does not know, on files that are not miscuring.
 */
int miscuring_prep_cmd_desc(struct miscuring_ring *ring,
			    const struct miscuring_cmd_desc *desc)
{
	struct io_uring_sqe *sqe;
	struct miscuring_cmd_desc d;
	unsigned slots;
	int ret;

	/*
	 * On an SQE_MIXED ring a command may be a 128-byte SQE: asked for
	 * (opcode), or needed for its payload.
	 */
	ret = mu_desc_check(desc, mu_ring_max_sqe(ring), &d);
	if (ret)
		return ret;
	if (mu_needs_sqe128(ring, d.payload_len) ||
	    (ring->slot_cmd && d.opcode)) {
		sqe = mu_next_sqe128(ring, &slots);
		if (!sqe)
			return -EBUSY;
		d.opcode = 0;
		mu_desc_fill(sqe, 128, &d);
		return mu_take_sqe128(ring, sqe, slots, 0);
	}
	sqe = mu_next_sqe(ring);
	if (!sqe)
		return -EBUSY;
	mu_desc_fill(sqe, ring->sqe_size, &d);
	return mu_take_sqe(ring, sqe, 0);
}

/* The command area alone: cmd_op and up to 16 or 80 payload bytes. */
int miscuring_prep_cmd(struct miscuring_ring *ring, int fd, uint32_t cmd_op,
		       const void *payload, size_t len, uint64_t user_data)
{
	struct miscuring_cmd_desc d = {
		.size = sizeof(d),
		.cmd_op = cmd_op,
		.fd = fd,
		.user_data = user_data,
		.payload = payload,
	};

	if (len > ring->payload_size)
		return -EMSGSIZE;
	d.payload_len = (uint32_t)len;
	return miscuring_prep_cmd_desc(ring, &d);
}

/* Ask the kernel to cancel the in-flight command with user_data target. */
int miscuring_prep_cancel(struct miscuring_ring *ring, uint64_t target,
			  uint64_t user_data)
{
	struct io_uring_sqe *sqe = mu_next_sqe(ring);

	if (!sqe)
		return -EBUSY;
	memset(sqe, 0, ring->sqe_size);
	io_uring_prep_cancel64(sqe, target, 0);
	sqe->user_data = user_data;
	return mu_take_sqe(ring, sqe, 0);
}
