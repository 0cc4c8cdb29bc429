/* SPDX-License-Identifier: MIT */
/*
 * READ and WRITE (MISCURING_FEAT_RW_CMD): builders on any ring's SQE, in
 * liburing's prep model (read/write on a buffer, readv/writev on iovecs;
 * miscuring_sqe_set_fixed() makes either use a registered buffer,
 * miscuring_sqe_set_rw_flags() adds MISCURING_RW_ASYNC), and buffer
 * registration on the library's own ring.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <sys/uio.h>

#include "internal.h"

/* One READ or WRITE through the generic command's checks and writer. */
static int mu_sqe_rw(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
		     uint32_t cmd_op, const void *addr, uint32_t len,
		     uint32_t nr_vecs, bool vectored, uint64_t offset,
		     uint64_t user_data)
{
	uint8_t p[sizeof(struct miscuring_rw)];
	struct miscuring_cmd_desc d = {
		.size = sizeof(d),
		.cmd_op = cmd_op,
		.fd = fd,
		.user_data = user_data,
		.addr = (uint64_t)(uintptr_t)addr,
		.len = len,
		.payload = p,
		.payload_len = sizeof(p),
	};
	struct miscuring_cmd_desc checked;
	int ret;

	if (!sqe)
		return -EINVAL;
	if (offset > INT64_MAX || (vectored && nr_vecs > IOV_MAX) ||
	    (vectored && nr_vecs && !addr))
		return -EINVAL;
	mu_put_le64(p + offsetof(struct miscuring_rw, offset), offset);
	mu_put_le32(p + offsetof(struct miscuring_rw, flags),
		    vectored ? MISCURING_RW_VECTORED : 0);
	mu_put_le32(p + offsetof(struct miscuring_rw, nr_vecs), nr_vecs);
	ret = mu_desc_check(&d, sqe_size, &checked);
	if (!ret)
		mu_desc_fill(sqe, sqe_size, &checked);
	return ret;
}

int miscuring_sqe_read(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
		       void *buf, uint32_t len, uint64_t offset,
		       uint64_t user_data)
{
	return mu_sqe_rw(sqe, sqe_size, fd, MISCURING_CMD_READ, buf, len, 0,
			 false, offset, user_data);
}

int miscuring_sqe_write(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			const void *buf, uint32_t len, uint64_t offset,
			uint64_t user_data)
{
	return mu_sqe_rw(sqe, sqe_size, fd, MISCURING_CMD_WRITE, buf, len, 0,
			 false, offset, user_data);
}

int miscuring_sqe_readv(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			const struct iovec *iov, uint32_t nr_vecs,
			uint64_t offset, uint64_t user_data)
{
	return mu_sqe_rw(sqe, sqe_size, fd, MISCURING_CMD_READ, iov, 0,
			 nr_vecs, true, offset, user_data);
}

int miscuring_sqe_writev(struct io_uring_sqe *sqe, unsigned sqe_size, int fd,
			 const struct iovec *iov, uint32_t nr_vecs,
			 uint64_t offset, uint64_t user_data)
{
	return mu_sqe_rw(sqe, sqe_size, fd, MISCURING_CMD_WRITE, iov, 0,
			 nr_vecs, true, offset, user_data);
}

static bool mu_sqe_is_rw(const struct io_uring_sqe *sqe)
{
	return sqe && sqe->opcode == IORING_OP_URING_CMD &&
	       (sqe->cmd_op == MISCURING_CMD_READ ||
		sqe->cmd_op == MISCURING_CMD_WRITE);
}

int miscuring_sqe_set_fixed(struct io_uring_sqe *sqe, unsigned buf_index)
{
	if (!mu_sqe_is_rw(sqe) || buf_index > UINT16_MAX)
		return -EINVAL;
	sqe->uring_cmd_flags |= LIBMISCURING_URING_CMD_FIXED;
	sqe->buf_index = (uint16_t)buf_index;
	return 0;
}

int miscuring_sqe_set_rw_flags(struct io_uring_sqe *sqe, uint32_t flags)
{
	uint8_t *p;

	if (!mu_sqe_is_rw(sqe) || (flags & ~MISCURING_RW_ASYNC))
		return -EINVAL;
	p = mu_sqe_payload(sqe) + offsetof(struct miscuring_rw, flags);
	mu_put_le32(p, mu_get_le32(p) | flags);
	return 0;
}

int miscuring_register_buffers(struct miscuring_ring *ring,
			       const struct iovec *iov, unsigned nr)
{
	if (!ring || !iov || !nr)
		return -EINVAL;
	return io_uring_register_buffers(&ring->uring, iov, nr);
}

int miscuring_unregister_buffers(struct miscuring_ring *ring)
{
	if (!ring)
		return -EINVAL;
	return io_uring_unregister_buffers(&ring->uring);
}
